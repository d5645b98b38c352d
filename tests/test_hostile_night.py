"""The second hostile probe: a night nobody watches writes nowhere else, leaks no key, never hangs
and never grows without bound. Every case runs against real localhost servers."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import resource
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from summariser import summarise
from summariser.config import load_settings
from summariser.errors import ArticleTimeoutError, ConfigError, InputError, SummariserError
from summariser.load import fetch_url
from summariser.nightly import NightlyConfig, _output_stem, run_nightly
from summariser.render import render_json
from summariser.sources import canonical_url, discover

from .conftest import DEVSET
from .payloads import SIDES
from .test_nightly import articles, rows, settings_for, stub  # noqa: F401  (fixture)

KEY = "sk-test-0123456789abcdefSECRET"


def _night(tmp: Path, sources: tuple[str, ...], out: Path, **extra: Any) -> NightlyConfig:
    return NightlyConfig(sources=sources, out=out, db=tmp / "state.db", allow_private=True, **extra)


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- writes ---------------------------------------------------------------------------------------


def test_links_planted_in_the_output_folder_are_replaced_not_followed(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    found = next(c for c in discover(str(inbox), allow_private=True) if c.article)
    stem = _output_stem(found.key, found.article)  # type: ignore[arg-type]
    out = tmp_path / "out"
    (out / "briefs").mkdir(parents=True)
    victims = []
    for name in (".write-check", f"{stem}.md", f"{stem}.json", f"{stem}.html"):
        victim = tmp_path / f"victim-{name.strip('.')}"
        victim.write_text("precious\n")
        (out / "briefs" / name).symlink_to(victim)
        victims.append(victim)
    today = time.strftime("%Y-%m-%d")
    digest_victim = tmp_path / "victim-digest"
    digest_victim.write_text("precious\n")
    (out / f"digest-{today}-run1.md").symlink_to(digest_victim)

    report = run_nightly(_night(tmp_path, (str(inbox),), out), settings_for(stub))
    assert report.done == 1, report.failures
    for victim in [*victims, digest_victim]:
        assert victim.read_text() == "precious\n", victim
    for suffix in ("md", "json", "html"):
        brief = out / "briefs" / f"{stem}.{suffix}"
        assert brief.is_file() and not brief.is_symlink()


def test_a_briefs_folder_that_is_a_link_is_refused(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    articles.write_articles(inbox, 1)
    elsewhere.mkdir()
    out.mkdir()
    (out / "briefs").symlink_to(elsewhere)
    with pytest.raises(ConfigError, match="is a symlink"):
        run_nightly(_night(tmp_path, (str(inbox),), out), settings_for(stub))
    assert list(elsewhere.iterdir()) == []


def test_an_output_folder_inside_a_source_folder_is_never_briefed(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 2)
    config = _night(tmp_path, (str(inbox),), inbox / "out")
    first = run_nightly(config, settings_for(stub))
    calls = stub.requests
    second = run_nightly(config, settings_for(stub))
    assert (first.done, second.done, second.unchanged) == (2, 0, 2)
    assert stub.requests == calls


def test_a_file_name_that_is_not_utf8_is_briefed_and_stored(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    odd = os.fsdecode(os.fsencode(inbox) + b"/caf\xe9-talks.txt")
    Path(odd).write_text(articles.article_text(7), encoding="utf-8")
    report = run_nightly(_night(tmp_path, (str(inbox),), tmp_path / "out"), settings_for(stub))
    assert (report.done, report.failed) == (2, 0), report.failures
    assert any("caf\\xe9-talks.txt" in origin for origin, _, _ in rows(tmp_path / "state.db"))


def test_folders_nested_past_the_limit_fail_alone(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    deep = inbox
    for _ in range(1100):  # os.makedirs would itself recurse too deep
        deep = deep / "d"
        deep.mkdir()
    try:
        report = run_nightly(_night(tmp_path, (str(inbox),), tmp_path / "out"), settings_for(stub))
    finally:
        while deep != inbox:  # pytest's own clean-up (shutil.rmtree) recurses too deep for this tree
            deep.rmdir()
            deep = deep.parent
    assert report.done == 1
    assert report.failed == 1 and "nested deeper" in report.failures[0][1]


# --- sources --------------------------------------------------------------------------------------


def test_bare_queries_are_two_articles_and_relative_links_are_the_feeds(httpserver: HTTPServer) -> None:
    assert canonical_url("https://news.example/story.php?101") != canonical_url("https://news.example/story.php?202")
    items = "".join(f"<item><title>t</title><link>/story.php?{n}</link></item>" for n in (101, 202))
    httpserver.expect_request("/feeds/rss.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )
    found = discover(httpserver.url_for("/feeds/rss.xml"), allow_private=True)
    assert [c.origin for c in found] == [httpserver.url_for("/story.php?101"), httpserver.url_for("/story.php?202")]
    assert len({c.key for c in found}) == 2


def test_a_feed_of_fifty_thousand_entries_is_capped(httpserver: HTTPServer) -> None:
    from summariser.sources import MAX_FEED_ENTRIES

    items = "".join(f"<item><link>https://slow.example/{n}</link></item>" for n in range(50_000))
    httpserver.expect_request("/big.xml").respond_with_data(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    assert len(discover(httpserver.url_for("/big.xml"), allow_private=True)) == MAX_FEED_ENTRIES


@pytest.mark.parametrize("layers", [1, 2])
def test_a_compressed_bomb_is_refused_within_bounded_memory(httpserver: HTTPServer, layers: int) -> None:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = b"".join(squeeze.compress(b"\0" * 1_000_000) for _ in range(300)) + squeeze.flush()  # 300 MB of zeros
    if layers == 2:
        body = gzip.compress(body)
    assert len(body) < 400_000
    httpserver.expect_request("/bomb").respond_with_data(
        body, headers={"Content-Encoding": ", ".join(["gzip"] * layers)}, content_type="text/html"
    )
    before = _rss_kb()
    with pytest.raises(InputError, match="larger than|Content-Encoding"):
        fetch_url(httpserver.url_for("/bomb"))
    assert _rss_kb() - before < 200_000  # KB


# --- the model server -----------------------------------------------------------------------------


class _Hostile(http.server.BaseHTTPRequestHandler):
    """A model server whose behaviour is ``server.mode``: trickle, endless, echo-refusal, echo-party."""

    server: Any

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        auth = self.headers.get("authorization", "")
        try:
            self.server.answer(self, body, auth)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _completion(content: str | None, refusal: str | None = None) -> dict[str, Any]:
    message = {"role": "assistant", "content": content, **({"refusal": refusal} if refusal else {})}
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


@pytest.fixture
def hostile() -> Iterator[Callable[[Callable[..., None]], str]]:
    servers = []

    def start(answer: Callable[..., None]) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
        server.daemon_threads = True
        server.answer = answer  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _trickle(handler: _Hostile, body: dict[str, Any], auth: str) -> None:
    data = json.dumps(_completion(json.dumps(SIDES))).encode()
    handler.send_response(200)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(data)))
    handler.end_headers()
    for byte in data:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.5)


def _endless(handler: _Hostile, body: dict[str, Any], auth: str) -> None:
    handler.send_response(200)
    handler.send_header("content-type", "application/json")
    handler.end_headers()
    handler.wfile.write(b'{"id": "x", "choices": [{"message": {"content": "')
    chunk = b"a" * 65536
    while True:
        handler.wfile.write(chunk)


def test_a_model_server_that_trickles_is_cut_at_the_article_budget(hostile: Any) -> None:
    settings = load_settings(
        trust_env=False, model="llamacpp/x", base_url=hostile(_trickle), timeout=5, article_timeout=4
    )
    started = time.monotonic()
    with pytest.raises(ArticleTimeoutError, match="after 4 s"):
        summarise(str(DEVSET / "ceasefire_marenia.txt"), settings=settings)
    assert time.monotonic() - started < 8


def test_an_endless_model_answer_is_cut_at_its_size(hostile: Any) -> None:
    settings = load_settings(trust_env=False, model="llamacpp/x", base_url=hostile(_endless), transport_retries=0)
    before = _rss_kb()
    with pytest.raises(SummariserError):
        summarise(str(DEVSET / "ceasefire_marenia.txt"), settings=settings)
    assert _rss_kb() - before < 200_000


def _echo_refusal(handler: _Hostile, body: dict[str, Any], auth: str) -> None:
    handler.reply(200, _completion(None, refusal=f"I will not. You sent {auth}"))


def _echo_party(handler: _Hostile, body: dict[str, Any], auth: str) -> None:
    sides = json.loads(json.dumps(SIDES))
    sides["parties"].append({"name": auth, "aliases": [auth.split()[-1]], "representatives": []})
    sides["summary"] = f"Talks went on. {auth}"
    options = ((body.get("response_format") or {}).get("schema") or {}).get("enum")
    handler.reply(200, _completion(json.dumps(options[0] if options else sides)))


def test_a_key_a_server_echoes_reaches_no_output(hostile: Any, tmp_path: Path) -> None:
    refusing = load_settings(trust_env=False, model="llamacpp/x", base_url=hostile(_echo_refusal), api_key=KEY)
    with pytest.raises(SummariserError) as caught:
        summarise(str(DEVSET / "ceasefire_marenia.txt"), settings=refusing)
    assert KEY not in str(caught.value) and "redacted" in str(caught.value)

    echoing = load_settings(trust_env=False, model="llamacpp/x", base_url=hostile(_echo_party), api_key=KEY)
    brief = summarise(str(DEVSET / "ceasefire_marenia.txt"), settings=echoing)
    from summariser.html import render_html

    text = DEVSET.joinpath("ceasefire_marenia.txt").read_text()
    for output in (render_json(brief), render_html(brief, text)):
        assert KEY not in output


def test_a_key_echoed_in_a_nightly_failure_is_not_stored(hostile: Any, tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    settings = load_settings(trust_env=False, model="llamacpp/x", base_url=hostile(_echo_refusal), api_key=KEY)
    report = run_nightly(_night(tmp_path, (str(inbox),), tmp_path / "out"), settings)
    assert report.failed == 1
    with sqlite3.connect(tmp_path / "state.db") as db:
        stored = json.dumps(
            db.execute("SELECT * FROM articles").fetchall() + db.execute("SELECT * FROM runs").fetchall()
        )
    assert KEY not in stored and KEY not in json.dumps(report.as_dict())


# --- the state database ---------------------------------------------------------------------------


def test_a_database_locked_by_another_process_stops_the_night_cleanly(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    config = _night(tmp_path, (str(inbox),), tmp_path / "out", lock_patience=1.0)
    assert run_nightly(config, settings_for(stub)).done == 1
    (inbox / "more.txt").write_text(articles.article_text(42), encoding="utf-8")
    holder = sqlite3.connect(tmp_path / "state.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # as a VACUUM or an open sqlite3 shell would
    started = time.monotonic()
    with pytest.raises(ConfigError, match="state database"):
        run_nightly(config, settings_for(stub))
    assert time.monotonic() - started < 10
    holder.execute("ROLLBACK")
    holder.close()
    report = run_nightly(config, settings_for(stub))
    assert (report.done, report.unchanged) == (1, 1)


# --- the command line and the text ----------------------------------------------------------------


def _cli(args: list[str], stub: Any, **kwargs: Any) -> Any:  # noqa: F811
    import subprocess
    import sys

    env = {**os.environ, "SUMMARISER_MODEL": "stub/test", "SUMMARISER_BASE_URL": stub.base_url}
    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([sys.executable, "-m", "summariser", *args], env=env, timeout=120, **kwargs)


def test_output_to_a_full_device_or_a_closed_pipe_is_one_line(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    import subprocess
    import sys

    article = str(DEVSET / "labour_portside.txt")
    with open("/dev/full", "w") as full:
        result = _cli(["brief", article, "--format", "json"], stub, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert result.stderr.decode().strip().startswith("error: cannot write output") and b"Traceback" not in result.stderr
    env = {**os.environ, "SUMMARISER_MODEL": "stub/test", "SUMMARISER_BASE_URL": stub.base_url}
    reader = subprocess.Popen(
        [sys.executable, "-m", "summariser", "brief", article, "--format", "json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None
    reader.stdout.close()  # the reader of the pipe goes away before anything is written
    _, err = reader.communicate(timeout=120)
    assert b"Traceback" not in err and b"internal error" not in err


def test_an_output_that_is_the_article_is_refused(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    article = tmp_path / "story.txt"
    article.write_text(articles.article_text(3), encoding="utf-8")
    before = article.read_text()
    result = _cli(["brief", str(article), "-o", str(article)], stub)
    assert result.returncode == 1 and b"is the article itself" in result.stderr
    assert article.read_text() == before


def test_an_unterminated_escape_loses_one_character_not_the_article() -> None:
    from summariser.load import article_from_text

    text = "Talks resumed on Monday.\x1b] The union and the board met for six hours and agreed to meet again on Friday."
    article = article_from_text(text, source="x")
    assert "agreed to meet again on Friday" in article.text and "\x1b" not in article.text


def test_bidi_overrides_and_zero_width_characters_reach_no_output(stub: Any) -> None:  # noqa: F811
    from summariser.html import render_html
    from summariser.load import article_from_text
    from summariser.render import render_markdown

    text = articles.article_text(5).replace("union", "uni\u202eon\u200b", 1)
    article = article_from_text(text, source="x\u2066.txt")
    brief = summarise(article, settings=settings_for(stub))
    for output in (render_json(brief), render_markdown(brief), render_html(brief, article.text)):
        assert not set(output) & {"\u202e", "\u200b", "\u2066"}


def test_declared_charsets_and_a_stray_byte_decode_as_written(httpserver: HTTPServer) -> None:
    from summariser.load import decode_bytes
    from summariser.sources import fetch_article

    greek = "Η κυβέρνηση και τα συνδικάτα συμφώνησαν να συνεχίσουν τις συνομιλίες τη Δευτέρα."
    assert decode_bytes(greek.encode("iso-8859-7"), "x", content_type="text/plain; charset=ISO-8859-7") == greek
    page = (
        f'<html><head><meta charset="iso-8859-7"></head><body><article><p>{greek} {greek}</p></article></body></html>'
    )
    httpserver.expect_request("/gr").respond_with_data(page.encode("iso-8859-7"), content_type="text/html")
    assert greek in fetch_article(httpserver.url_for("/gr"), allow_private=True).text
    text = "“We will not sign,” the minister said of the café deal. " * 20
    stray = text.encode("utf-8").replace("café".encode(), b"caf\xe9", 1)
    decoded = decode_bytes(stray, "x")
    assert "“We will not sign,”" in decoded and decoded.count("\ufffd") == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj talks resumed on Monday and the union said",
            "application/pdf",
        ),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><text>Talks resumed</text></svg>', "text/html"),
        (
            b"var talks = 'resumed on Monday'; document.write(talks + ' and the union said it would strike');",
            "application/javascript",
        ),
        (
            b"Talks resumed on Monday and the union said it would strike on Friday unless the offer improved.",
            "application/octet-stream",
        ),
    ],
)
def test_bodies_that_are_not_articles_are_refused(httpserver: HTTPServer, body: bytes, content_type: str) -> None:
    from summariser.sources import fetch_article

    httpserver.expect_request("/doc").respond_with_data(body, content_type=content_type)
    with pytest.raises(InputError, match="not an article|binary"):
        fetch_article(httpserver.url_for("/doc"), allow_private=True)


def test_chinese_and_japanese_articles_have_sentences() -> None:
    from summariser.load import article_from_text
    from summariser.segment import segment_text

    zh = "两国代表周二在日内瓦举行贸易谈判。双方同意下周继续会谈。一方要求降低关税，另一方表示将考虑。"
    ja = "政府と労働組合は月曜日に賃金交渉を行った。組合は5%の賃上げを要求した。政府は来週回答すると述べた。"
    for text in (zh, ja):
        assert len(segment_text(article_from_text(text, source="x").text)) == 3


def test_an_answer_with_no_json_says_so(model_server: Any) -> None:
    from .conftest import completion

    model_server.respond = lambda body, n: (200, {}, completion("I cannot help with that."), 0.0)
    settings = load_settings(trust_env=False, model="llamacpp/x", base_url=model_server.base_url, max_attempts=1)
    with pytest.raises(SummariserError, match="no JSON object") as caught:
        summarise(str(DEVSET / "ceasefire_marenia.txt"), settings=settings)
    assert "substring" not in str(caught.value)


# --- the night's budgets, lock and config ---------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"allow_private": "false"}, "allow_private in \\[nightly\\]: input should be a valid boolean"),
        ({"max_failures": "3"}, "max_failures in \\[nightly\\]: input should be a valid integer"),
        ({"requests_per_minute": -1}, "requests_per_minute in \\[nightly\\]: input should be greater than 0"),
        ({"sources": "feeds.txt"}, "must be a list, such as"),
        ({"concurency": 2}, "unknown setting 'concurency' in the \\[nightly\\] table; did you mean concurrency"),
        ({"concurrency": "two"}, "concurrency in \\[nightly\\]: input should be a valid integer"),
    ],
)
def test_the_nightly_table_is_validated(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        NightlyConfig.from_table({"sources": ["feeds.txt"], **table})


def test_a_slow_host_costs_the_night_at_most_its_budget(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    import socket

    # A server that accepts and never answers: every fetch times out.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(100)
    port = silent.getsockname()[1]
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"http://127.0.0.1:{port}/story/{n}\n" for n in range(10)))
    config = _night(tmp_path, (str(urls),), tmp_path / "out", fetch_timeout=0.5, host_failures=2, concurrency=1)
    started = time.monotonic()
    report = run_nightly(config, settings_for(stub))
    silent.close()
    assert (report.failed, report.deferred) == (2, 8)
    assert time.monotonic() - started < 5
    assert sum(1 for _, status, _ in rows(tmp_path / "state.db") if status == "pending") == 8


def test_the_run_deadline_leaves_the_rest_pending(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 3)
    config = _night(tmp_path, (str(inbox),), tmp_path / "out", run_deadline=1e-6, concurrency=1)
    report = run_nightly(config, settings_for(stub))
    assert (report.done, report.deferred) == (0, 3)
    assert "left for the next night" in Path(report.digest or "").read_text()
    again = run_nightly(_night(tmp_path, (str(inbox),), tmp_path / "out"), settings_for(stub))
    assert again.done == 3


def test_one_database_through_a_link_is_one_lock(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    from filelock import FileLock

    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    real = tmp_path / "state.db"
    linked = tmp_path / "link"
    linked.mkdir()
    (linked / "state.db").symlink_to(real)
    with FileLock(str(real) + ".lock"):
        with pytest.raises(ConfigError, match="lock held"):
            run_nightly(
                NightlyConfig(sources=(str(inbox),), out=tmp_path / "out", db=linked / "state.db"), settings_for(stub)
            )


def test_two_databases_writing_one_out_write_two_digests(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    out = tmp_path / "out"
    first = run_nightly(NightlyConfig(sources=(str(inbox),), out=out, db=tmp_path / "a.db"), settings_for(stub))
    second = run_nightly(NightlyConfig(sources=(str(inbox),), out=out, db=tmp_path / "b.db"), settings_for(stub))
    assert first.digest != second.digest and Path(first.digest or "").exists() and Path(second.digest or "").exists()


def _nightly_command(tmp_path: Path, inbox: Path, *extra: str) -> list[str]:
    import sys

    out, db = str(tmp_path / "out"), str(tmp_path / "state.db")
    return [sys.executable, "-m", "summariser", "nightly", "--source", str(inbox), "--out", out, "--db", db, *extra]


def _pending(db: Path) -> bool:
    """Whether the night has articles in flight; False while it has not yet made its tables."""
    import sqlite3

    try:
        return any(status == "pending" for _, status, _ in rows(db))
    except sqlite3.OperationalError:
        return False


def test_ctrl_c_stops_a_night_whose_requests_hang(tmp_path: Path) -> None:
    import signal
    import socket
    import subprocess

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(100)
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 3)
    env = {
        **os.environ,
        "SUMMARISER_MODEL": "stub/test",
        "SUMMARISER_BASE_URL": f"http://127.0.0.1:{silent.getsockname()[1]}/v1",
        "SUMMARISER_TIMEOUT": "600",
    }
    night = subprocess.Popen(
        _nightly_command(tmp_path, inbox, "--concurrency", "3"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As from a terminal: a job started in the background ('&' in a script) inherits SIGINT
        # ignored, and Python honours that, so Ctrl-C would never reach it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    db = tmp_path / "state.db"
    for _ in range(300):  # until the night has its articles in flight
        if db.exists() and _pending(db):
            break
        time.sleep(0.1)
    time.sleep(0.5)
    night.send_signal(signal.SIGINT)
    started = time.monotonic()
    try:
        _, err = night.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        night.kill()
        out, err = night.communicate()
        pytest.fail(f"Ctrl-C did not stop the night in 20 s; its output: {out[-1500:]!r} {err[-3000:]!r}")
    finally:
        silent.close()
    assert time.monotonic() - started < 10
    assert night.returncode == 130 and b"interrupted" in err and b"Traceback" not in err
    assert {status for _, status, _ in rows(tmp_path / "state.db")} == {"pending"}


def test_an_article_too_long_for_any_provider_is_not_sent(model_server: Any) -> None:
    from summariser.load import article_from_text

    article = article_from_text("The talks went on " + "and on " * 700_000 + "until dawn.", source="x")
    settings = load_settings(trust_env=False, model="llamacpp/x", base_url=model_server.base_url)
    with pytest.raises(InputError, match="too long to send"):
        summarise(article, settings=settings)
    assert model_server.requests == []


def test_the_token_budget_stops_an_article_before_the_request(stub: Any) -> None:  # noqa: F811
    with pytest.raises(SummariserError, match="token budget is spent"):
        summarise(str(DEVSET / "labour_portside.txt"), settings=settings_for(stub, token_budget=3000))


def test_a_name_of_megabytes_is_no_side() -> None:
    from summariser.schemas import Sides

    from summariser.segment import segment_text
    from summariser.validate import ground_sides

    text = DEVSET.joinpath("ceasefire_marenia.txt").read_text()
    sides = json.loads(json.dumps(SIDES))
    sides["parties"].append({"name": text * 20, "aliases": [], "representatives": []})
    kept, dropped = ground_sides(Sides.model_validate(sides), segment_text(text))
    assert len(kept.parties) == 2
    assert any("over 120 characters" in d.reason for d in dropped)


def test_a_state_database_folder_that_cannot_be_made_is_one_line(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    inbox = tmp_path / "in"
    articles.write_articles(inbox, 1)
    with pytest.raises(ConfigError, match="cannot create the folder of state database"):
        run_nightly(
            NightlyConfig(sources=(str(inbox),), out=tmp_path / "out", db=blocker / "state.db"), settings_for(stub)
        )


def test_escape_sequences_in_links_reach_no_progress_line(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    urls = tmp_path / "urls.txt"
    urls.write_text("https://news.example/\x1b]0;pwned\x07story\nhttps://news.example/\x1b[2Jother\n")
    lines: list[str] = []
    report = run_nightly(
        _night(tmp_path, (str(urls),), tmp_path / "out"), settings_for(stub), progress=lambda k, d: lines.append(d)
    )
    assert report.failed == 2
    assert lines and not any("\x1b" in line for line in lines)
    assert not any("\x1b" in origin or "\x1b" in error for origin, error in report.failures)


def test_a_full_disk_under_the_night_is_one_line(tmp_path: Path, stub: Any) -> None:  # noqa: F811
    import signal
    import subprocess

    inbox = tmp_path / "in"
    articles.write_articles(inbox, 3)

    def small_disk() -> None:  # every file the night writes may grow to 20 KB: then EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, resource.RLIM_INFINITY))

    env = {**os.environ, "SUMMARISER_MODEL": "stub/test", "SUMMARISER_BASE_URL": stub.base_url}
    result = subprocess.run(
        _nightly_command(tmp_path, inbox),
        env=env,
        capture_output=True,
        timeout=120,
        preexec_fn=small_disk,
    )
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr
    assert b"error:" in result.stderr or b"failed:" in result.stderr


def test_a_killed_writers_temp_files_go_and_a_living_ones_stay(tmp_path: Path) -> None:
    import subprocess
    import sys

    from summariser.nightly import _remove_stale_temps
    from summariser.output import write_atomic

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        dead = tmp_path / f".brief.md.{dead_pid}-abc123.tmp"
        alive = tmp_path / f".brief.md.{living.pid}-def456.tmp"
        unnamed = tmp_path / ".brief.md.xyz789.tmp"  # written before pids were in the name
        for path in (dead, alive, unnamed):
            path.write_text("half a brief")
        _remove_stale_temps(tmp_path)
        assert not dead.exists() and alive.exists() and unnamed.exists()
    finally:
        living.kill()
        living.wait()
    written = write_atomic(tmp_path / "b.md", "x")
    assert written.read_text() == "x" and not list(tmp_path.glob(f".b.md.{os.getpid()}-*.tmp"))
