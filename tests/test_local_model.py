"""The real embedded model, end to end (slow: a few minutes). Run with ``pytest -m local_model``.

A multi-sentence prompt is exactly what crashed llama.cpp here before the
repacking setting was turned off, so this test also guards that fix.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from summariser import summarise
from summariser.config import load_settings
from summariser.fleet import Endpoint, rendezvous_order
from summariser.load import load_article
from summariser.nightly import NightlyConfig, run_nightly
from summariser.segment import segment_text

from .conftest import devset_path

pytestmark = pytest.mark.local_model


def test_embedded_model_briefs_a_short_article() -> None:
    pytest.importorskip("llama_cpp", reason='needs the local extra: pip install -e ".[local]"')
    path = devset_path("labour_portside")
    brief = summarise(path, settings=load_settings(trust_env=False, model="local", max_attempts=2))
    assert brief.is_negotiation
    assert brief.meta.provider == "local" and brief.meta.attempts >= 1
    assert brief.meta.usage.completion_tokens > 0
    assert len(brief.parties) >= 2
    text = load_article(path).text
    sentences = [s.text for s in segment_text(text)]
    items = [*brief.parties, *brief.mediators, *brief.positions, *brief.proposals, *brief.next_steps]
    assert items
    for item in items:
        for evidence in item.evidence:
            assert sentences[evidence.sentence - 1] == evidence.text == text[evidence.start : evidence.end]
    # Attribution and kind are checked, not only citations: the union's demand is the union's position.
    union = [p for p in brief.positions if "union" in p.party.lower() or "dockworkers" in p.party.lower()]
    assert any(p.evidence[0].sentence == 4 for p in union)


def test_the_embedded_model_is_overruled_on_a_festival_by_the_fitted_decider() -> None:
    """Step 1's model calls every article a negotiation; the fitted decider, reading the embedding
    of the opening among its signals, judges this festival notice not one, and says so."""
    pytest.importorskip("llama_cpp", reason='needs the local extra: pip install -e ".[local]"')
    brief = summarise(
        devset_path("nonneg_festival"), settings=load_settings(trust_env=False, model="local", max_attempts=2)
    )
    assert not brief.is_negotiation
    assert not brief.positions and not brief.proposals and not brief.next_steps
    reasons = [d.reason for d in brief.meta.dropped if d.section == "brief"]
    assert any(r.startswith("judged not a negotiation (fitted: probability") for r in reasons), reasons


def test_a_night_on_two_llama_servers(tmp_path: Path) -> None:
    """The fleet's small real check: two llama.cpp servers over the embedded model, one thread each."""
    pytest.importorskip("llama_cpp", reason='needs the local extra: pip install -e ".[local]"')
    names = ["wire_nurses_deal", "wire_merger_bid", "labour_portside", "wire_nonneg_derby"]
    (tmp_path / "in").mkdir()
    for name in names:
        shutil.copy(devset_path(name), tmp_path / "in" / f"{name}.txt")
    servers, urls, logs = [], [], []
    try:
        for _ in range(2):
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            command = [sys.executable, "-m", "summariser.llama_server", "--model", "local", "--port", str(port),
                       "--n_ctx", "8192", "--n_threads", "1", "--n_threads_batch", "1"]  # fmt: skip
            logs.append(tmp_path / f"server-{port}.log")
            with logs[-1].open("wb") as log:
                servers.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}/v1")
        for server, url, log in zip(servers, urls, logs, strict=True):
            _wait_for(server, url, log)
        config = NightlyConfig(
            sources=(str(tmp_path / "in"),),
            out=tmp_path / "out",
            db=tmp_path / "state.db",
            endpoints=tuple(Endpoint(url, 1) for url in urls),
        )
        report = run_nightly(config, load_settings(trust_env=False, model="llamacpp/local", timeout=600))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    assert (report.done + report.skipped, report.failed) == (4, 0), report.failures
    # Each article on the replica its key ranks first (ports are random: so is the split).
    with sqlite3.connect(tmp_path / "state.db") as conn:
        keys = [key for (key,) in conn.execute("SELECT key FROM articles")]
    firsts = [rendezvous_order(key, urls)[0] for key in keys]
    assert [server["briefs"] for server in report.endpoints] == [firsts.count(0), firsts.count(1)]
    assert [server["failures"] for server in report.endpoints] == [0, 0]


def _wait_for(server: subprocess.Popen[bytes], url: str, log: Path, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise AssertionError(f"the llama.cpp server for {url} exited ({server.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    tail = log.read_text(errors="replace")[-2000:]
    raise AssertionError(f"no llama.cpp server at {url} after {seconds:.0f} s:\n{tail}")
