"""Hostile input: every case gets one clear line and its exit code, and one bad source fails alone."""

from __future__ import annotations

import http.server
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.errors import ConfigError, InputError
from summariser.load import article_from_text, decode_bytes, fetch_url, load_article
from summariser.nightly import NightlyConfig, run_nightly
from summariser.output import write_atomic
from summariser.sources import canonical_url, discover

from .conftest import DEVSET
from .test_nightly import articles, rows, settings_for, stub  # noqa: F401  (fixture)

runner = CliRunner()


def one_error_line(result: Any) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("source", ["[/x]", "[bold]hi[/bold]"])
def test_markup_in_user_text_is_printed_as_is(source: str) -> None:
    result = runner.invoke(app, ["brief", source])
    assert result.exit_code == 1
    assert one_error_line(result) == f"error: file not found: {source}"


def test_malformed_links_fail_alone(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    folder = tmp_path / "in"
    articles.write_articles(folder, 2)
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:99999/x\nhttp://[::1/x\nhttp://h:notaport/x\n")
    config = NightlyConfig(sources=(str(folder), str(urls)), out=tmp_path / "out", db=tmp_path / "s.db")
    report = run_nightly(config, settings_for(stub))
    assert report.done == 2 and report.failed == 3
    assert all("URL" in error for _, error in report.failures)


def test_tracking_parameters_match_by_exact_name() -> None:
    assert canonical_url("https://e.org/a?refid=101&utm_source=x&ref=feed") == "https://e.org/a?refid=101"
    assert canonical_url("https://e.org/a?refid=101") != canonical_url("https://e.org/a?refid=202")


def test_url_list_that_is_not_utf8_or_not_urls(tmp_path: Path) -> None:
    latin = tmp_path / "urls.txt"
    latin.write_bytes("https://e.org/caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not a UTF-8 text file of URLs"):
        discover(str(latin), allow_private=True)
    article = tmp_path / "story.txt"
    article.write_text((DEVSET / "labour_portside.txt").read_text())
    with pytest.raises(InputError, match="is not a file of URLs .*pass the folder"):
        discover(str(article), allow_private=True)


def test_non_regular_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file"):
        load_article("/dev/zero")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_article(str(fifo))


def test_utf16_with_bom_is_decoded() -> None:
    text = "Talks resumed on Monday between the union and the company."
    assert decode_bytes(text.encode("utf-16"), "x") == text
    assert decode_bytes(b"\xfe\xff" + text.encode("utf-16-be"), "x") == text


def test_front_matter_is_metadata_not_text() -> None:
    raw = (
        '---\ntitle: "Talks resume: union and port meet"\ndate: 2025-06-04\nauthor: Wire staff\ntags: [a, b]\n---\n\n'
        "# Talks resume\n\nThe union and the port operator met for six hours on Monday.\n"
    )
    article = article_from_text(raw, source="story.md")
    assert article.title == "Talks resume: union and port meet"
    assert article.published == "2025-06-04"
    assert "title:" not in article.text and "author" not in article.text
    assert article.text == "The union and the port operator met for six hours on Monday."


def test_output_to_device_or_symlink_is_written_through(tmp_path: Path) -> None:
    write_atomic("/dev/null", "brief\n")
    assert Path("/dev/null").is_char_device()
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "b.md", "x")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


class _Trickle(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", "1500")
        self.end_headers()
        try:
            for _ in range(1500):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def trickle() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()
    server.server_close()


def test_a_body_that_trickles_hits_the_total_deadline(trickle: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out after 1 s"):
        fetch_url(trickle, timeout=1.0)
    assert time.monotonic() - started < 3


def test_damaged_or_foreign_database_is_refused_untouched(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    articles.write_articles(tmp_path / "in", 1)
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x01" * 200)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    before = foreign.read_bytes()
    for db, message in ((damaged, "damaged"), (foreign, "another program")):
        config = NightlyConfig(sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=db)
        with pytest.raises(ConfigError, match=message):
            run_nightly(config, settings_for(stub))
    assert foreign.read_bytes() == before
    text = tmp_path / "notes.db"
    text.write_text("hello")
    with pytest.raises(ConfigError, match="not an SQLite database"):
        run_nightly(NightlyConfig(sources=(str(tmp_path / "in"),), out=tmp_path / "o", db=text), settings_for(stub))


def test_unwritable_out_fails_before_any_model_call(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    articles.write_articles(tmp_path / "in", 1)
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    config = NightlyConfig(sources=(str(tmp_path / "in"),), out=blocker, db=tmp_path / "s.db")
    calls = stub.requests
    with pytest.raises(ConfigError, match="cannot write to output folder"):
        run_nightly(config, settings_for(stub))
    assert stub.requests == calls


def test_briefs_of_a_killed_run_appear_in_the_next_digest(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    articles.write_articles(tmp_path / "in", 2)
    config = NightlyConfig(sources=(str(tmp_path / "in"),), out=tmp_path / "out", db=tmp_path / "s.db")
    run_nightly(config, settings_for(stub))
    # As if a run was killed after finishing a brief but before its digest.
    with sqlite3.connect(config.db) as conn:
        conn.execute("UPDATE articles SET digest_run = NULL WHERE rowid = (SELECT MIN(rowid) FROM articles)")
    articles.write_articles(tmp_path / "in2", 1, start=50)
    again = NightlyConfig(
        sources=(str(tmp_path / "in"), str(tmp_path / "in2")), out=tmp_path / "out", db=tmp_path / "s.db"
    )
    report = run_nightly(again, settings_for(stub))
    assert report.done == 1
    digest = Path(report.digest or "").read_text()
    assert digest.count("\n- [") == 2  # this run's brief and the one no digest listed
    index = Path(report.digest or "").with_suffix(".html").read_text()
    assert index.count('<li><a href="briefs/') == 2 and "default-src 'none'" in index
    with sqlite3.connect(config.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles WHERE digest_run IS NULL").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("model = 5", "model"),
        ("base_url = 5", "base_url"),
        ("max_attempts = true", "max_attempts"),
        ("max_attempts = 2.7", "whole number"),
        ("timeout = -1", "timeout"),
        ('base_url = "notaurl"', "http(s) URL"),
        ('base_url = ""', "http(s) URL"),
        ("max_attemps = 3", "did you mean max_attempts"),
    ],
)
def test_bad_config_values_are_one_clear_line(tmp_path: Path, toml: str, message: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text(toml + "\n")
    result = runner.invoke(app, ["brief", str(DEVSET / "labour_portside.txt"), "--config", str(config)])
    assert result.exit_code == 1
    line = one_error_line(result)
    assert line.startswith("error: ") and message in line


def test_binary_config_file_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_bytes(b"\xff\xfe\x00\x01model")
    result = runner.invoke(app, ["brief", str(DEVSET / "labour_portside.txt"), "--config", str(config)])
    assert result.exit_code == 1 and "not UTF-8" in one_error_line(result)


def test_article_budget_stops_one_article(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    from summariser import summarise
    from summariser.errors import ArticleTimeoutError

    stub.latency = 0.05
    with pytest.raises(ArticleTimeoutError, match="gave up on this article after 0.01 s"):
        summarise(str(DEVSET / "labour_portside.txt"), settings=settings_for(stub, article_timeout=0.01))
