"""Shared fixtures: a clean environment, settings, articles, and a localhost model server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from summariser.config import Settings, load_settings
from summariser.load import Article, load_article

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "devset"
CASSETTES = ROOT / "cassettes"
RECORD_BASE_URL = "http://127.0.0.1:8765/v1"
# The top-level keys of the brief's JSON: a public contract.
CONTRACT_KEYS = frozenset(
    {"parties", "mediators", "positions", "proposals", "next_steps", "summary", "is_negotiation"}
    | {"title", "source", "published", "meta"}
)


@pytest.fixture(autouse=True, scope="module")
def collect_garbage_per_module() -> Iterator[None]:
    """A leaked socket or file warns in the module that leaked it, not wherever GC happens to run."""
    yield
    import gc

    gc.collect()


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SUMMARISER_* or OpenAI variables leak in; the config dir is empty."""
    import os

    for name in list(os.environ):
        if name.startswith(("SUMMARISER_", "OPENAI_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project"],
        "match_on": ["method", "scheme", "host", "port", "path", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture
def recorded_settings() -> Settings:
    """Settings of the llama.cpp server the real cassettes were recorded against."""
    return load_settings(trust_env=False, model="llamacpp/qwen2.5-coder-1.5b", base_url=RECORD_BASE_URL, max_attempts=2)


@pytest.fixture
def article() -> Article:
    return load_article(str(DEVSET / "ceasefire_marenia.txt"))


def devset_path(name: str) -> str:
    return str(DEVSET / f"{name}.txt")


class _Handler(BaseHTTPRequestHandler):
    server: _ModelServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("content-length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(body)
        status, headers, payload, delay = self.server.respond(body, len(self.server.requests))
        if delay:
            time.sleep(delay)
        data = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _ModelServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.respond: Callable[[dict[str, Any], int], tuple[int, dict[str, str], Any, float]] = lambda b, n: (
            500,
            {},
            {"error": {"message": "no responder"}},
            0.0,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


@pytest.fixture
def model_server() -> Iterator[_ModelServer]:
    """A tiny OpenAI-compatible HTTP server on localhost; tests set ``respond``."""
    server = _ModelServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def completion(
    content: str,
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 100,
    completion_tokens: int = 50,
    refusal: str | None = None,
) -> dict[str, Any]:
    """An OpenAI chat-completion body."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if refusal is not None:
        message = {"role": "assistant", "content": None, "refusal": refusal}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def choice_options(body: dict[str, Any]) -> list[str] | None:
    """The options of a multiple-choice question request, or None for a structured step."""
    fmt = body.get("response_format") or {}
    schema = fmt.get("schema") or (fmt.get("json_schema") or {}).get("schema") or {}
    options = schema.get("enum") or ((schema.get("properties") or {}).get("answer") or {}).get("enum")
    return list(options) if options else None


def first_choice(body: dict[str, Any]) -> dict[str, Any] | None:
    """A completion answering a multiple-choice question with its first option (None if not a question)."""
    options = choice_options(body)
    return None if options is None else completion(json.dumps(options[0]), prompt_tokens=10, completion_tokens=2)
