"""An OpenAI-compatible chat-completions server that answers valid briefs for any article.

    python bench/stub_server.py --port PORT --latency SECONDS [--fail-rate R]

It reads the numbered sentences summariser sends, names two capitalised words
of the article as parties, and cites real sentences, so every answer passes
grounding; a multiple-choice question gets "none" when that is an option, else
the first option. ``--fail-rate`` injects 429 (with Retry-After) and 500 answers.
``GET /stats`` answers ``{"requests": N, "articles": [...]}``: chat requests (failed ones
included) and the first sentence of every article it answered a request about.
Used by bench/nightly.py and by the nightly tests.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_SENTENCE = re.compile(r"^\[(\d+)\] (.+)$", re.MULTILINE)
_NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{3,})\b")
_PARTIES = re.compile(r"The parties are: (.+?)\.(?: The mediators|\n)")


def _choice(response_format: Any) -> str | None:
    # A multiple-choice question: {"answer": enum} (json_schema) or a bare enum (json_object).
    if not isinstance(response_format, dict):
        return None
    schema = response_format.get("schema") or (response_format.get("json_schema") or {}).get("schema") or {}
    options = schema.get("enum") or ((schema.get("properties") or {}).get("answer") or {}).get("enum")
    if not options:
        return None
    answer = "none" if "none" in options else options[0]
    return json.dumps(answer if "enum" in schema else {"answer": answer})


def _answer(messages: list[dict[str, Any]], response_format: Any = None) -> str:
    choice = _choice(response_format)
    if choice is not None:
        return choice
    text = "\n".join(str(m.get("content") or "") for m in messages)
    sentences = _SENTENCE.findall(text)
    if "Step 2" in text:
        match = _PARTIES.search(text)
        party = match.group(1).split(", ")[0] if match else "Unknown"
        stance = sentences[0][1] if sentences else "No stance"
        return json.dumps(
            {"positions": [{"party": party, "stance": stance, "sentence": 1}], "proposals": [], "next_steps": []}
        )
    names: list[str] = []
    for _, sentence in sentences:
        for name in _NAME.findall(sentence):
            if name not in names:
                names.append(name)
    about_talks = any(re.search(r"\b(talks|negotiat\w*)\b", sentence, re.IGNORECASE) for _, sentence in sentences)
    if len(names) < 2 or not about_talks:
        return json.dumps({"is_negotiation": False, "summary": "No talks.", "parties": [], "mediators": []})
    return json.dumps(
        {
            "is_negotiation": True,
            "summary": f"{names[0]} and {names[1]} are in talks.",
            "parties": [{"name": n, "aliases": [], "representatives": []} for n in names[:2]],
            "mediators": [],
        }
    )


class StubServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, port: int, latency: float, fail_rate: float) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.latency = latency
        self.fail_rate = fail_rate
        self.requests = 0
        self.articles: set[str] = set()
        self.lock = threading.Lock()
        self.random = random.Random(0)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: StubServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for the
    # client's delayed ACK, about 40 ms a call on Linux, which the benchmarks took for our time.
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a killed nightly run): nothing to answer

    def do_GET(self) -> None:  # noqa: N802
        if self.path.rstrip("/") == "/stats":
            self._send(200, {"requests": self.server.requests, "articles": sorted(self.server.articles)})
        else:
            self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:  # noqa: N802
        arrived = time.perf_counter()
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        with self.server.lock:
            self.server.requests += 1
            roll = self.server.random.random()
        if roll < self.server.fail_rate:
            time.sleep(self.server.latency)
        if roll < self.server.fail_rate / 2:
            self._send(429, {"error": {"message": "rate limited"}}, {"retry-after": "0"})
            return
        if roll < self.server.fail_rate:
            self._send(500, {"error": {"message": "injected failure"}})
            return
        content = _answer(body.get("messages", []), body.get("response_format"))
        first = _SENTENCE.search("\n".join(str(m.get("content") or "") for m in body.get("messages", [])))
        if first:
            with self.server.lock:
                self.server.articles.add(first.group(2))
        time.sleep(max(0.0, self.server.latency - (time.perf_counter() - arrived)))
        self._send(
            200,
            {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "stub"),
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
                "usage": {
                    "prompt_tokens": len(json.dumps(body)) // 4,
                    "completion_tokens": len(content) // 4,
                    "total_tokens": len(json.dumps(body)) // 4 + len(content) // 4,
                },
            },
        )


def serve_in_thread(port: int = 0, latency: float = 0.0, fail_rate: float = 0.0) -> StubServer:
    """Start a stub in a daemon thread (for tests); call ``shutdown()`` when done."""
    server = StubServer(port, latency, fail_rate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def as_process(latency: float = 0.0) -> Iterator[int]:
    """This stub in a process of its own (so its CPU is not the benchmark's), listening on the
    port yielded; stopped on exit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    stub = subprocess.Popen(
        [sys.executable, str(Path(__file__)), "--port", str(port), "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert stub.stdout is not None
        stub.stdout.readline()  # "stub listening on ..."
        yield port
    finally:
        stub.terminate()
        stub.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--fail-rate", type=float, default=0.0)
    args = parser.parse_args()
    server = StubServer(args.port, args.latency, args.fail_rate)
    print(f"stub listening on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
