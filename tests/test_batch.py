"""Batch mode against a localhost fake of the Files and Batches endpoints (bench/fake_batches.py).

The fake answers lines as the stub server answers requests; its failure shapes (500 and 400
lines, an expired batch, a batch whose every line failed) and its kill switch are named there."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summariser.config import load_settings
from summariser.nightly import NightlyConfig, RunReport, run_nightly
from tests.test_nightly import _bench, articles

fake_batches = _bench("fake_batches")
KEY = "sk-test-batch-key-never-logged"


@pytest.fixture
def fake() -> Iterator[Any]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    batches = fake_batches.FakeBatches(polls=0)
    server = fake_batches.serve_in_thread(batches)
    batches.url = f"http://127.0.0.1:{server.port}/v1"
    yield batches
    server.shutdown()


def _config(tmp_path: Path, **extra: Any) -> NightlyConfig:
    return NightlyConfig(
        sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=tmp_path / "state.db", batch=True, **extra
    )


def _settings(fake: Any, **extra: Any) -> Any:
    return load_settings(trust_env=False, model="openai/gpt-test", base_url=fake.url, api_key=KEY, **extra)


def _nights(config: NightlyConfig, settings: Any, most: int = 12) -> list[RunReport]:
    reports = [run_nightly(config, settings)]
    while reports[-1].waiting and len(reports) < most:
        reports.append(run_nightly(config, settings))
    return reports


def _statuses(db: Path) -> Counter[str]:
    with sqlite3.connect(db) as conn:
        return Counter(status for (status,) in conn.execute("SELECT status FROM articles"))


def _requests(fake: Any) -> Counter[str]:
    """How many batches each request (the custom id without its attempt) was submitted in."""
    return Counter(cid.rsplit("-", 1)[0] for ids in fake.submitted.values() for cid in ids)


def test_a_night_in_rounds_sides_then_questions_then_done(tmp_path: Path, fake: Any) -> None:
    articles.write_articles(tmp_path / "in", 6)
    reports = _nights(_config(tmp_path), _settings(fake))
    assert [r.done for r in reports] == [0, 0, 6] and [r.waiting for r in reports] == [6, 6, 0]
    assert len(fake.submitted) == 2  # two rounds: the sides, then the rest of each article at once
    assert set(_requests(fake).values()) == {1}  # no line submitted twice
    assert _statuses(tmp_path / "state.db") == {"done": 6}
    assert len(list((tmp_path / "out" / "briefs").glob("*.json"))) == 6
    first = json.loads(fake.files["file-1"].decode().splitlines()[0])
    assert first["method"] == "POST" and first["url"] == "/v1/chat/completions"
    assert first["body"]["model"] == "gpt-test" and first["body"]["messages"][0]["role"] == "system"
    creates, files = fake.creates, len(fake.files)
    again = run_nightly(_config(tmp_path), _settings(fake))
    assert (again.unchanged, fake.creates, len(fake.files)) == (6, creates, files)  # a re-run asks for nothing
    with sqlite3.connect(tmp_path / "state.db") as conn:
        stored = "\n".join(str(row) for row in conn.execute("SELECT * FROM batch_lines"))
    assert KEY not in stored


def test_failed_lines_are_asked_again_and_a_400_fails_its_article(tmp_path: Path, fake: Any) -> None:
    articles.write_articles(tmp_path / "in", 8)
    fake.server_error_rate = 0.3
    fake.bad_request_every = 7
    reports = _nights(_config(tmp_path), _settings(fake, max_attempts=4))
    statuses = _statuses(tmp_path / "state.db")
    assert statuses["pending"] == 0 and statuses["done"] >= 1 and statuses["failed"] >= 1
    failures = [error for r in reports for _, error in r.failures]
    assert any("HTTP 400" in error for error in failures)
    retried = [request for request, count in _requests(fake).items() if count > 1]
    assert retried and max(_requests(fake).values()) <= 4  # 500s asked again, at most max_attempts


def test_an_expired_batch_and_one_with_no_output_file(tmp_path: Path, fake: Any) -> None:
    articles.write_articles(tmp_path / "in", 6)
    fake.expire_next = True  # round 1 expires with half its lines answered
    settings = _settings(fake, max_attempts=3)
    first = run_nightly(_config(tmp_path), settings)
    second = run_nightly(_config(tmp_path), settings)
    assert first.waiting == 6 and second.batch.get("answered", 0) == 3
    fake.fail_all_next = True  # the next round fails whole: an error file and no output file
    reports = _nights(_config(tmp_path), settings)
    assert _statuses(tmp_path / "state.db") == {"done": 6}
    assert any(b["status"] == "failed" and b["output_file_id"] is None for b in fake.batches.values())
    assert [r.failed for r in reports] == [0] * len(reports)


@pytest.mark.parametrize("event", ["upload", "created", "content", "create-2"])
def test_kill_minus_9_in_every_phase_then_every_brief_once(tmp_path: Path, fake: Any, event: str) -> None:
    count = 12
    articles.write_articles(tmp_path / "in", count)
    env = {**os.environ, "OPENAI_API_KEY": KEY, "SUMMARISER_CONFIG": str(tmp_path / "none.toml")}
    (tmp_path / "none.toml").write_text("")
    args = [sys.executable, "-m", "summariser", "nightly", "--batch", "--source", str(tmp_path / "in"),
            "--out", str(tmp_path / "out"), "--db", str(tmp_path / "state.db"),
            "--model", "openai/gpt-test", "--base-url", fake.url]  # fmt: skip
    if event in ("content", "create-2"):  # a phase of the second run: the first one runs through
        assert subprocess.run(args, env=env, capture_output=True, timeout=120).returncode == 0
    killed = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fake.kill = (event, killed.pid)
    assert killed.wait(timeout=120) == -9, "the fake never reached the phase to kill in"
    for _ in range(6):
        finished = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
        if not _statuses(tmp_path / "state.db")["pending"]:
            break
    assert _statuses(tmp_path / "state.db") == {"done": count}
    assert len(list((tmp_path / "out" / "briefs").glob("*.json"))) == count
    assert set(_requests(fake).values()) == {1}  # no line was ever submitted twice
    creates = fake.creates
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and fake.creates == creates
    assert KEY not in again.stdout + again.stderr + finished.stdout + finished.stderr


def _run_batch_like_vllm(folder: Path) -> int:
    """What ``vllm run-batch -i round.jsonl -o round.output.jsonl`` does: one output line per request."""
    ran = 0
    for asked in folder.glob("round-*.jsonl"):
        answered = asked.with_name(asked.name.replace(".jsonl", ".output.jsonl"))
        if asked.name.endswith(".output.jsonl") or answered.exists():
            continue
        lines = [json.loads(line) for line in asked.read_text().splitlines()]
        out = []
        for line in lines:
            content = fake_batches._answer(line["body"]["messages"], line["body"].get("response_format"))
            out.append(fake_batches._line(line["custom_id"], (200, fake_batches._completion(line["body"], content))))
        answered.write_text("".join(text + "\n" for text in out[:-1]))  # still writing: one line short
        assert run_nightly(_folder_config(folder), _folder_settings()).batch.get("open_rounds") == 1
        answered.write_text("".join(text + "\n" for text in out))
        ran += 1
    return ran


def _folder_config(folder: Path) -> NightlyConfig:
    tmp = folder.parent
    return NightlyConfig(sources=(str(tmp / "in"),), out=tmp / "out", db=tmp / "state.db", batch=True, batch_dir=folder)


def _folder_settings() -> Any:
    return load_settings(trust_env=False, model="vllm/qwen2.5-7b-instruct")


def test_self_hosted_rounds_as_files_for_vllm_run_batch(tmp_path: Path) -> None:
    articles.write_articles(tmp_path / "in", 4)
    folder = tmp_path / "rounds"
    first = run_nightly(_folder_config(folder), _folder_settings())
    assert first.waiting == 4 and len(list(folder.glob("round-*.jsonl"))) == 1
    report, rounds = first, 0
    while report.waiting and rounds < 6:
        rounds += _run_batch_like_vllm(folder)
        report = run_nightly(_folder_config(folder), _folder_settings())
    assert _statuses(tmp_path / "state.db") == {"done": 4} and rounds == 2
    asked = next(p for p in folder.glob("round-*.jsonl") if not p.name.endswith(".output.jsonl"))
    body = json.loads(asked.read_text().splitlines()[0])["body"]
    assert body["model"] == "qwen2.5-7b-instruct"
