"""The nightly job against real localhost servers: a feed, article pages and an OpenAI-compatible stub."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from summariser.cli import app
from summariser.config import load_settings
from summariser.errors import ConfigError
from summariser.nightly import NightlyConfig, run_nightly

from .conftest import DEVSET, ROOT


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


stub_server = _bench("stub_server")
articles = _bench("articles")


@pytest.fixture
def stub() -> Iterator[Any]:
    server = stub_server.serve_in_thread(latency=0.0)
    yield server
    server.shutdown()
    server.server_close()


def settings_for(server: Any, **extra: Any) -> Any:
    return load_settings(trust_env=False, model="stub/test", base_url=server.base_url, transport_retries=6, **extra)


def rows(db: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT origin, status, attempts FROM articles ORDER BY origin").fetchall()


def test_folder_and_feed_then_rerun_makes_no_calls(tmp_path: Path, stub: Any, httpserver: HTTPServer) -> None:
    folder = tmp_path / "in"
    articles.write_articles(folder, 3)
    (folder / "floods.txt").write_text((DEVSET / "nonneg_floods.txt").read_text())
    for i in range(2):
        httpserver.expect_request(f"/story/{i}").respond_with_data(
            f"<html><body><article><h1>Talks {i}</h1><p>{articles.article_text(100 + i)}</p></article></body></html>",
            content_type="text/html",
        )
    items = "".join(
        f"<item><title>Talks {i}</title><link>{httpserver.url_for(f'/story/{i}')}?utm_source=rss</link></item>"
        for i in range(2)
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    config = NightlyConfig(
        sources=(str(folder), httpserver.url_for("/feed.xml")),
        out=tmp_path / "out",
        db=tmp_path / "state.db",
        allow_private=True,
    )
    report = run_nightly(config, settings_for(stub))
    assert (report.done, report.skipped, report.failed) == (5, 1, 0), report.failures
    assert len(list((tmp_path / "out" / "briefs").glob("*.md"))) == 5
    assert len(list((tmp_path / "out" / "briefs").glob("*.json"))) == 5
    digest = Path(report.digest or "").read_text()
    assert digest.count("- [") == 5
    calls = stub.requests

    page = Path(report.digest or "").with_suffix(".html").read_text()
    assert "5 briefed · 1 not negotiations · 0 failed" in page and page.count("<li><a href=") == 5

    again = run_nightly(config, settings_for(stub))
    assert stub.requests == calls  # zero model calls for work already done
    assert (again.done, again.unchanged, again.failed) == (0, 6, 0)
    # Nothing new: no digest, unless asked for one.
    assert again.digest is None and len(list((tmp_path / "out").glob("digest-*"))) == 2
    asked = run_nightly(NightlyConfig(**{**vars(config), "empty_digest": True}), settings_for(stub))
    assert "0 briefed" in Path(asked.digest or "").with_suffix(".html").read_text()

    dry = run_nightly(config, settings_for(stub), dry_run=True)
    assert dry.planned == []


def test_private_addresses_refused_unless_allowed(tmp_path: Path, stub: Any, httpserver: HTTPServer) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(httpserver.url_for("/story") + "\n")
    config = NightlyConfig(sources=(str(urls),), out=tmp_path / "out", db=tmp_path / "state.db")
    report = run_nightly(config, settings_for(stub))
    assert report.failed == 1 and "refusing private or loopback address" in report.failures[0][1]
    page = Path(report.digest or "").with_suffix(".html").read_text()
    assert "<h2>Failures</h2>" in page and "refusing private or loopback address" in page


def test_injected_429_and_500_still_complete(tmp_path: Path) -> None:
    server = stub_server.serve_in_thread(latency=0.0, fail_rate=0.3)
    try:
        articles.write_articles(tmp_path / "in", 12)
        config = NightlyConfig(
            sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=tmp_path / "s.db", concurrency=4
        )
        report = run_nightly(config, settings_for(server))
        assert (report.done, report.failed) == (12, 0)
        assert server.requests > 24  # some requests were retried
    finally:
        server.shutdown()
        server.server_close()


def test_failures_are_retried_then_parked(tmp_path: Path) -> None:
    articles.write_articles(tmp_path / "in", 2)
    config = NightlyConfig(sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=tmp_path / "s.db", max_failures=2)
    down = load_settings(trust_env=False, model="stub/x", base_url="http://127.0.0.1:9/v1", transport_retries=0)
    first = run_nightly(config, down)
    assert first.failed == 2 and "connection failed" in first.failures[0][1]
    second = run_nightly(config, down)
    assert second.failed == 2
    third = run_nightly(config, down)
    assert (third.failed, third.parked) == (0, 2)
    assert {status for _, status, _ in rows(tmp_path / "s.db")} == {"failed"}


def test_lock_keeps_a_second_run_out(tmp_path: Path, stub: Any) -> None:
    from filelock import FileLock

    config = NightlyConfig(sources=(str(tmp_path),), out=tmp_path / "out", db=tmp_path / "s.db")
    with FileLock(str(config.db) + ".lock"):
        with pytest.raises(ConfigError, match="another nightly run"):
            run_nightly(config, settings_for(stub))


def test_sigkill_mid_run_then_resume_exactly_once(tmp_path: Path) -> None:
    server = stub_server.serve_in_thread(latency=0.15)
    try:
        articles.write_articles(tmp_path / "in", 16)
        env = {**os.environ, "SUMMARISER_MODEL": "stub/test", "SUMMARISER_BASE_URL": server.base_url}
        args = [
            sys.executable,
            "-m",
            "summariser",
            "nightly",
            "--source",
            str(tmp_path / "in"),
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(tmp_path / "s.db"),
            "--concurrency",
            "2",
        ]
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Generous: a loaded CI machine may take long to start the child.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list((tmp_path / "out" / "briefs").glob("*.json"))) < 3:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        done_before = len(list((tmp_path / "out" / "briefs").glob("*.json")))
        assert 0 < done_before < 16
        finished = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
        briefs = sorted((tmp_path / "out" / "briefs").glob("*.json"))
        assert len(briefs) == 16 and len(list((tmp_path / "out" / "briefs").glob("*.md"))) == 16
        assert not list((tmp_path / "out" / "briefs").glob(".*.tmp"))
        assert [status for _, status, _ in rows(tmp_path / "s.db")] == ["done"] * 16
        for path in briefs:
            json.loads(path.read_text())
    finally:
        server.shutdown()
        server.server_close()


def test_cli_nightly_exit_code_and_dry_run(tmp_path: Path, stub: Any) -> None:
    articles.write_articles(tmp_path / "in", 2)
    runner = CliRunner()
    base = [
        "nightly",
        "--source",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "out"),
        "--db",
        str(tmp_path / "s.db"),
        "--model",
        "stub/test",
        "--base-url",
        stub.base_url,
    ]
    dry = runner.invoke(app, [*base, "--dry-run"])
    assert dry.exit_code == 0 and dry.output.count("would brief") == 2
    result = runner.invoke(app, base)
    assert result.exit_code == 0, result.output
    assert "digest:" in result.output
    # Log lines of a run off a terminal (cron, systemd) say when, in UTC.
    assert len(re.findall(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ done: ", result.output, re.MULTILINE)) == 2
    down = runner.invoke(
        app,
        [
            "nightly",
            "--source",
            str(tmp_path / "in"),
            "--out",
            str(tmp_path / "o2"),
            "--db",
            str(tmp_path / "s2.db"),
            "--model",
            "stub/x",
            "--base-url",
            "http://127.0.0.1:9/v1",
        ],
        env={"SUMMARISER_TRANSPORT_RETRIES": "0"},
    )
    assert down.exit_code == 1


def test_nightly_config_from_toml(tmp_path: Path, stub: Any) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f'[nightly]\nsources = ["{tmp_path / "in"}"]\nout = "{tmp_path / "o"}"\ndb = "{tmp_path / "d.db"}"\n'
    )
    articles.write_articles(tmp_path / "in", 1)
    result = CliRunner().invoke(
        app, ["nightly", "--config", str(config), "--model", "stub/t", "--base-url", stub.base_url]
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "o" / "briefs").glob("*.md"))) == 1


def test_changed_content_rebriefs_only_when_configured(tmp_path: Path, stub: Any) -> None:
    folder = tmp_path / "in"
    articles.write_articles(folder, 1)
    config = NightlyConfig(sources=(str(folder),), out=tmp_path / "out", db=tmp_path / "s.db")
    assert run_nightly(config, settings_for(stub)).done == 1
    # A different model: nothing happens unless the config asks for re-briefs.
    other = load_settings(trust_env=False, model="stub/other", base_url=stub.base_url)
    assert run_nightly(config, other).unchanged == 1
    from dataclasses import replace

    assert run_nightly(replace(config, rebrief_on_change=True), other).done == 1
    assert run_nightly(replace(config, rebrief_on_change=True), other).unchanged == 1


def test_per_minute_limiter_paces_requests() -> None:
    import asyncio

    from summariser.nightly import _Limiter

    async def scenario() -> float:
        limiter = _Limiter(120)  # two a second, a full minute's budget at the start
        await limiter.acquire(120)
        started = time.monotonic()
        await limiter.acquire(2)
        return time.monotonic() - started

    assert 0.8 <= asyncio.run(scenario()) < 3
    assert asyncio.run(_unlimited()) < 0.1


async def _unlimited() -> float:
    from summariser.nightly import _Limiter

    limiter = _Limiter(None)
    started = time.monotonic()
    for _ in range(1000):
        await limiter.acquire(10)
    return time.monotonic() - started


def test_an_edited_file_is_a_new_version_of_the_same_brief(tmp_path: Path, stub: Any) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    first, second = articles.write_articles(inbox, 2)
    config = NightlyConfig(sources=(str(inbox),), out=out, db=tmp_path / "s.db")
    assert run_nightly(config, settings_for(stub)).done == 2
    briefs = sorted((out / "briefs").glob("*.json"))

    def sentences() -> dict[str, int]:
        return {p.name: json.loads(p.read_text())["meta"]["sentences"] for p in briefs}

    before = sentences()
    # An edit that keeps the title: briefed again, in place of its brief, and in the next digest.
    first.write_text(first.read_text() + "\n\nThe envoys will meet again on Friday.\n")
    again = run_nightly(config, settings_for(stub))
    assert (again.done, again.unchanged) == (1, 1)
    assert sorted((out / "briefs").glob("*.json")) == briefs
    assert sorted(n - before[name] for name, n in sentences().items()) == [0, 1]  # the edited one has one more
    assert Path(again.digest or "").read_text().count("\n- [") == 1
    # An edit that changes the title: the old brief's files go, one brief per article stays.
    second.write_text("A new title for round one\n\n" + second.read_text().split("\n\n", 1)[1] + "\n\nIt went on.\n")
    assert run_nightly(config, settings_for(stub)).done == 1
    names = {p.stem for p in (out / "briefs").iterdir()}
    assert len(names) == 2 and any(n.startswith("a-new-title") for n in names)
    assert len(list((out / "briefs").glob("*.html"))) == 2
    # Nothing edited: nothing briefed.
    assert run_nightly(config, settings_for(stub)).done == 0


def test_one_file_in_two_folders_is_briefed_once(tmp_path: Path, stub: Any) -> None:
    [path] = articles.write_articles(tmp_path / "a", 1)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / path.name).write_text(path.read_text())
    config = NightlyConfig(
        sources=(str(tmp_path / "a"), str(tmp_path / "b")), out=tmp_path / "out", db=tmp_path / "s.db"
    )
    assert run_nightly(config, settings_for(stub)).done == 1


def test_a_database_that_keyed_files_by_content_is_adopted_not_rebriefed(tmp_path: Path, stub: Any) -> None:
    from summariser.sources import content_key

    inbox = tmp_path / "in"
    paths = articles.write_articles(inbox, 2)
    config = NightlyConfig(sources=(str(inbox),), out=tmp_path / "out", db=tmp_path / "s.db")
    assert run_nightly(config, settings_for(stub)).done == 2
    with sqlite3.connect(tmp_path / "s.db") as conn:  # as the nightly wrote them before files were keyed by path
        for path in paths:
            text = next(c.article.text for c in discover_folder(inbox) if c.origin.endswith(path.name))
            conn.execute("UPDATE articles SET key = ? WHERE origin LIKE ?", (content_key(text), f"%{path.name}"))
    calls = stub.requests
    dry = run_nightly(config, settings_for(stub), dry_run=True)
    assert dry.planned == [] and dry.unchanged == 2
    again = run_nightly(config, settings_for(stub))
    assert (again.done, again.unchanged) == (0, 2) and stub.requests == calls
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert all(key.startswith("file:") for (key,) in conn.execute("SELECT key FROM articles"))


def discover_folder(folder: Path) -> list[Any]:
    from summariser.sources import discover

    return [c for c in discover(str(folder), allow_private=True) if c.article]


def test_status_shows_the_state_and_retry_briefs_failures_again(tmp_path: Path, stub: Any) -> None:
    articles.write_articles(tmp_path / "in", 2)
    db = tmp_path / "s.db"
    config = NightlyConfig(sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=db, max_failures=1)
    down = load_settings(trust_env=False, model="stub/x", base_url="http://127.0.0.1:9/v1", transport_retries=0)
    assert run_nightly(config, down).failed == 2
    assert run_nightly(config, settings_for(stub)).parked == 2  # attempts spent: parked
    runner = CliRunner()
    status = runner.invoke(app, ["nightly", "status", "--db", str(db)])
    assert status.exit_code == 0, status.output
    assert "0 done · 0 skipped · 2 failed · 0 pending" in status.output
    assert "run 1 " in status.output and "2 failed" in status.output
    assert status.output.count("failed (1×) ") == 2 and "connection failed" in status.output
    one = status.output.split("failed (1×) ")[1].split(": ")[0]
    retried = runner.invoke(app, ["nightly", "retry", one, "--db", str(db)])
    assert retried.exit_code == 0 and "1 failed article will be briefed" in retried.output
    again = run_nightly(config, settings_for(stub))
    assert (again.done, again.parked) == (1, 1)
    assert "1 failed article" in runner.invoke(app, ["nightly", "retry", "--db", str(db)]).output
    assert run_nightly(config, settings_for(stub)).done == 1
    missing = runner.invoke(app, ["nightly", "status", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no state database" in missing.output and "Traceback" not in missing.output


def test_the_digest_is_posted_to_a_webhook_and_mailed(
    tmp_path: Path, stub: Any, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    from summariser.deliver import Delivery

    received: list[Any] = []

    class Inbox(Message):  # type: ignore[misc]
        def handle_message(self, message: Any) -> None:
            received.append(message)

    import socket

    with socket.socket() as probe:  # a free port (the controller checks its own port, so 0 will not do)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mail = Controller(Inbox(), hostname="127.0.0.1", port=port)
    mail.start()
    try:
        httpserver.expect_request("/hooks/s3cr3t-path", method="POST").respond_with_data("ok")
        articles.write_articles(tmp_path / "in", 2)
        delivery = Delivery(
            webhook=httpserver.url_for("/hooks/s3cr3t-path"),
            mail_to=("desk@example.org",),
            mail_from="night@example.org",
            smtp_host="127.0.0.1",
            smtp_port=port,
        )
        config = NightlyConfig(
            sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=tmp_path / "s.db", delivery=delivery
        )
        report = run_nightly(config, settings_for(stub))
    finally:
        mail.stop()
    assert report.done == 2 and report.undelivered == []
    [(request, _)] = httpserver.log
    posted = json.loads(request.get_data())
    assert posted["run"]["done"] == 2 and len(posted["briefs"]) == 2 and posted["digest"].startswith("# Nightly digest")
    [message] = received
    assert message["To"] == "desk@example.org" and "2 briefed" in message["Subject"]
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}

    # A webhook that fails and a mail server that is not there: the night stands, the CLI says so.
    articles.write_articles(tmp_path / "in", 1, start=5)
    monkeypatch.setenv("SUMMARISER_SMTP_PASSWORD", "hunter2-password")
    gone = Delivery(
        webhook=httpserver.url_for("/missing/s3cr3t-path"), mail_to=("d@example.org",), smtp_port=9, smtp_user="desk"
    )
    failed = run_nightly(NightlyConfig(**{**vars(config), "delivery": gone}), settings_for(stub))
    assert failed.done == 1 and len(failed.undelivered) == 2
    assert not any("s3cr3t" in line or "hunter2" in line for line in failed.undelivered)
    assert failed.undelivered[0].endswith(": HTTP 500") and failed.undelivered[1].startswith("mail via localhost:9: ")


def test_delivery_keys_are_read_from_the_nightly_table() -> None:
    config = NightlyConfig.from_table(
        {"sources": ["in"], "webhook": "https://hooks.example.org/x", "mail_to": ["a@example.org"], "smtp_port": 587}
    )
    assert config.delivery.webhook == "https://hooks.example.org/x" and config.delivery.mail_to == ("a@example.org",)
    assert config.delivery.smtp_port == 587 and config.delivery.smtp_host == "localhost"
    with pytest.raises(ConfigError, match="smtp_port"):
        NightlyConfig.from_table({"sources": ["in"], "smtp_port": "587"})


def test_keep_days_deletes_old_briefs_and_digests_and_briefs_nothing_again(tmp_path: Path, stub: Any) -> None:
    articles.write_articles(tmp_path / "in", 2)
    out, db = tmp_path / "out", tmp_path / "s.db"
    config = NightlyConfig(sources=(str(tmp_path / "in"),), out=out, db=db, keep_days=7)
    first = run_nightly(config, settings_for(stub))
    assert first.done == 2 and first.removed == 0
    ten_days_ago = time.time() - 10 * 86400
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET updated_at = ? WHERE origin LIKE '%talks-0000%'", (ten_days_ago,))
    for digest in out.glob("digest-*"):
        os.utime(digest, (ten_days_ago, ten_days_ago))
    articles.write_articles(tmp_path / "in", 1, start=2)
    calls = stub.requests
    second = run_nightly(config, settings_for(stub))
    assert (second.done, second.unchanged) == (1, 2)  # the old articles stay done: not briefed again
    assert second.removed == 2  # one brief, one digest
    stems = {p.stem for p in (out / "briefs").iterdir()}
    assert len(stems) == 2 and not any(s.startswith("talks-number-0-") for s in stems)
    assert [p.name for p in out.glob("digest-*.md")] == [Path(second.digest or "").name]
    assert stub.requests > calls
    with pytest.raises(ConfigError, match="keep_days"):
        NightlyConfig.from_table({"sources": ["in"], "keep_days": 0})


def test_a_source_has_its_own_name_model_and_words(tmp_path: Path, stub: Any) -> None:
    other = stub_server.serve_in_thread(latency=0.0)
    try:
        desk, wire = tmp_path / "desk", tmp_path / "wire"
        articles.write_articles(desk, 2)
        articles.write_articles(wire, 3, start=10)
        (wire / "talks-0011.txt").write_text(
            (wire / "talks-0011.txt").read_text() + "\n\nA football final was played.\n"
        )
        table = {
            "sources": [
                str(desk),
                {
                    "source": str(wire),
                    "name": "Wire desk",
                    "model": "stub/wire",
                    "base_url": other.base_url,
                    "include": ["fishing"],
                    "exclude": ["FOOTBALL"],
                },
            ],
            "out": str(tmp_path / "out"),
            "db": str(tmp_path / "s.db"),
        }
        config = NightlyConfig.from_table(table)
        assert config.sources == (str(desk), str(wire)) and config.per_source[str(wire)].name == "Wire desk"
        report = run_nightly(config, settings_for(stub))
        assert (report.done, report.filtered) == (4, 1)
        assert other.requests > 0 and stub.requests > 0  # the wire's briefs went to its own model server
        with sqlite3.connect(tmp_path / "s.db") as conn:
            models = dict(conn.execute("SELECT origin, model FROM articles WHERE status = 'done'").fetchall())
        assert sorted(models.values()) == ["stub/test", "stub/test", "stub/wire", "stub/wire"]
        index = (tmp_path / "out" / "index.html").read_text()
        assert '<option value="Wire desk">' in index and "filtered: holds the word &#39;FOOTBALL&#39;" in index
        assert "1 filtered out" in Path(report.digest or "").read_text()
        # A filtered article is checked again each night (the words may change); nothing else is.
        again = run_nightly(config, settings_for(stub))
        assert (again.done, again.filtered, again.unchanged) == (0, 1, 4)
    finally:
        other.shutdown()
        other.server_close()
    with pytest.raises(ConfigError, match="sources"):
        NightlyConfig.from_table({"sources": [{"source": "x", "modle": "y"}]})


def test_writing_a_brief_does_not_hold_a_model_slot(tmp_path: Path, stub: Any, monkeypatch: Any) -> None:
    """At concurrency 1 the second article's model calls go out while the first brief's files
    are still being written: the next article's calls do not wait on the disk."""
    from summariser import nightly

    write = nightly._write_outputs
    second_asked = threading.Event()
    waited: list[bool] = []

    def slow_write(*args: Any, **kwargs: Any) -> Any:
        if not waited:  # the first brief's files: wait until the stub is asked about another article
            waited.append(second_asked.wait(timeout=20))
        return write(*args, **kwargs)

    count = stub.requests

    def watch() -> None:
        while stub.requests < count + 3 and not second_asked.is_set():
            time.sleep(0.01)
        second_asked.set()

    monkeypatch.setattr(nightly, "_write_outputs", slow_write)
    articles.write_articles(tmp_path / "in", 2)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    config = NightlyConfig(
        sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=tmp_path / "state.db", concurrency=1
    )
    report = run_nightly(config, settings_for(stub))
    assert report.done == 2 and waited and all(waited)
