"""A night on a fleet of model servers: routing by rendezvous hashing, a circuit breaker per server.

The integration test runs three stub replicas, each a process of its own on localhost: one stays
well, one is killed mid-night, one stalls (answers after 30 s, past the 1 s request timeout)."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summariser.config import load_settings
from summariser.errors import ConfigError
from summariser.fleet import Breaker, rendezvous_order
from summariser.nightly import NightlyConfig, run_nightly
from tests.test_nightly import articles

STUB = Path(__file__).resolve().parents[1] / "bench" / "stub_server.py"
URLS = [f"http://gpu{i}:8000/v1" for i in range(6)]


@given(st.text(min_size=1, max_size=40), st.integers(min_value=0, max_value=5))
def test_taking_a_replica_out_moves_only_its_own_articles(key: str, gone: int) -> None:
    order = [URLS[i] for i in rendezvous_order(key, URLS)]
    rest = [u for u in URLS if u != URLS[gone]]
    assert [rest[i] for i in rendezvous_order(key, rest)] == [u for u in order if u != URLS[gone]]


def test_rendezvous_spreads_articles_over_replicas() -> None:
    firsts = [rendezvous_order(f"file:/news/{i}.txt", URLS)[0] for i in range(3000)]
    counts = [firsts.count(i) for i in range(len(URLS))]
    assert min(counts) > 400 and max(counts) < 600  # 500 each, give or take


def test_breaker_opens_after_failures_in_a_row_and_trials_after_cooldown() -> None:
    now = [0.0]
    breaker = Breaker(threshold=2, cooldown=10.0, clock=lambda: now[0])
    breaker.failed()
    breaker.succeeded()  # a success in between: no longer in a row
    breaker.failed()
    assert breaker.allows()
    breaker.failed()
    assert not breaker.allows() and breaker.opened == 1
    now[0] = 10.0
    assert breaker.allows()  # half-open: one trial article
    breaker.start()
    assert not breaker.allows()
    breaker.failed()  # the trial failed: out for twice as long
    now[0] = 29.0
    assert not breaker.allows()
    now[0] = 30.0
    breaker.start()
    breaker.succeeded()
    assert breaker.allows() and not breaker.is_open and breaker.wait == 10.0


def test_endpoints_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be an http"):
        NightlyConfig.from_table({"sources": ["x"], "endpoints": ["gpu1:8000"]})
    with pytest.raises(ConfigError, match="extra inputs"):
        NightlyConfig.from_table({"sources": ["x"], "endpoints": [{"base_url": "http://a/v1", "concurency": 2}]})
    config = NightlyConfig.from_table(
        {
            "sources": ["x"],
            "concurrency": 3,
            "endpoints": ["http://a/v1", {"base_url": "http://b/v1", "concurrency": 8}],
        }
    )
    assert [(e.base_url, e.concurrency) for e in config.endpoints] == [("http://a/v1", 3), ("http://b/v1", 8)]
    keyed = NightlyConfig.from_table(
        {"sources": [str(tmp_path)], "out": str(tmp_path / "o"), "db": str(tmp_path / "s.db"),
         "endpoints": [{"base_url": "http://a/v1", "api_key_env": "SUMMARISER_TEST_NO_SUCH_KEY"}]}
    )  # fmt: skip
    articles.write_articles(tmp_path, 1)
    with pytest.raises(ConfigError, match="SUMMARISER_TEST_NO_SUCH_KEY is not set"):
        run_nightly(keyed, load_settings(trust_env=False, model="stub/x"))


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def replicas() -> Iterator[list[tuple[subprocess.Popen[str], int]]]:
    started = []
    for latency in (0.02, 0.02, 30.0):  # well, to be killed, stalling
        port = _port()
        command = [sys.executable, str(STUB), "--port", str(port), "--latency", str(latency)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        process.stdout.readline()  # "stub listening on ..."
        started.append((process, port))
    yield started
    for process, _ in started:
        process.kill()
        process.wait()
        assert process.stdout is not None
        process.stdout.close()


def _stats(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as response:
        result: dict[str, Any] = json.loads(response.read())
        return result


def test_a_night_survives_a_killed_and_a_stalled_replica(tmp_path: Path, replicas: list[Any]) -> None:
    import threading

    articles.write_articles(tmp_path / "in", 40)
    urls = [f"http://127.0.0.1:{port}/v1" for _, port in replicas]
    config = NightlyConfig.from_table(
        {"sources": [str(tmp_path / "in")], "out": str(tmp_path / "out"), "db": str(tmp_path / "state.db"),
         "endpoints": [{"base_url": url, "concurrency": 2} for url in urls], "breaker_cooldown": 600.0}
    )  # fmt: skip
    settings = load_settings(trust_env=False, model="stub/fleet", timeout=1.0, transport_retries=0)
    killed, snapshot = replicas[1], {}

    def kill_mid_night() -> None:
        while _stats(killed[1])["requests"] < 12:
            time.sleep(0.01)
        snapshot.update(_stats(killed[1]))
        killed[0].kill()

    killer = threading.Thread(target=kill_mid_night, daemon=True)
    killer.start()
    report = run_nightly(config, settings)
    killer.join(timeout=5)

    assert (report.done, report.failed, report.deferred) == (40, 0, 0)
    with sqlite3.connect(tmp_path / "state.db") as conn:
        keys = [key for (key,) in conn.execute("SELECT key FROM articles WHERE status = 'done'")]
    assert len(keys) == 40 and len(list((tmp_path / "out" / "briefs").glob("*.json"))) == 40
    well, _, stalled = report.endpoints
    assert stalled["opened"] >= 1 and stalled["briefs"] == 0 and stalled["out"]
    assert report.endpoints[1]["failures"] >= 1 and report.endpoints[1]["out"]
    assert well["briefs"] + report.endpoints[1]["briefs"] == 40
    # The well replica answered for its own articles (first in their rendezvous order) and no other
    # replica did: all of an article's calls went to the one replica that holds its prefix.
    answered = set(_stats(replicas[0][1])["articles"])
    own = [key for key in keys if rendezvous_order(key, urls)[0] == 0]
    mine = {_first_sentence(key) for key in own}
    assert own and mine <= answered
    assert not mine & set(snapshot.get("articles", []))


def _first_sentence(key: str) -> str:
    """The first sentence of the article a state key names (a file written by tests' ``articles``)."""
    number = int(re.search(r"talks-(\d+)\.txt", key).group(1))  # type: ignore[union-attr]
    body = articles.article_text(number).split("\n\n", 1)[1]
    return body.split(". ")[0] + "."
