"""A night in rounds over the OpenAI Batch API (or ``vllm run-batch``, which reads the same file).

A brief is made by replaying the ordinary pipeline over the answers collected so far. Every
request the replay needs and has no answer for is written as one JSONL line; a request the
pipeline cannot go on without (step 1, the sides) stops the replay, a question does not (it
reads as "no answer" this round), so one round asks for the sides and the next for every question
of the article at once. A brief is finished when a replay needs no new request. A re-ask after a
failed validation is a new request like any other, in instructor's own re-ask shape.

Exactly once: a round's lines are stored (``queued``) under a round token before the file is
uploaded; the batch is created with the token in its metadata, and its id stored after. A run
killed in between finds the batch again through ``batches.list``; a round with no batch is
submitted again (nothing was billed). A line is never queued while an earlier copy of it is
queued or submitted: only once collected, and failed, is it asked again (``settings.attempts`` in all).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openai

from summariser.config import Settings
from summariser.errors import ConfigError, ModelCallError, Pending
from summariser.load import Article
from summariser.output import write_atomic

__all__ = ["BatchBook", "FolderBatches", "Pending", "ReplayProvider", "request_key"]

ENDPOINT = "/v1/chat/completions"
ROUND_KEY = "summariser_round"
_OPEN = ("validating", "in_progress", "finalizing", "cancelling")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batch_lines (
    custom_id TEXT PRIMARY KEY,
    article TEXT NOT NULL,
    request TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    body TEXT NOT NULL,
    round TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'submitted', 'answered', 'failed')),
    retryable INTEGER NOT NULL DEFAULT 1,
    response TEXT
);
CREATE INDEX IF NOT EXISTS batch_lines_article ON batch_lines (article);
CREATE INDEX IF NOT EXISTS batch_lines_round ON batch_lines (round);
CREATE TABLE IF NOT EXISTS batch_rounds (
    round TEXT PRIMARY KEY,
    batch_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'submitted', 'collected')),
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS batch_articles (key TEXT PRIMARY KEY, article TEXT NOT NULL);
"""


def request_key(body: dict[str, Any]) -> str:
    """The request's identity: a hash of its canonical JSON (the same body is the same request)."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:32]


@dataclass
class ReplayProvider:
    """A ``create`` that answers from collected lines and notes every request it has no answer for."""

    answers: dict[str, Any]  # request key -> the response body, or a ModelCallError of a failed line
    needed: dict[str, dict[str, Any]] = field(default_factory=dict)

    def create(self, **body: Any) -> Any:
        from openai.types.chat import ChatCompletion

        key = request_key(body)
        answer = self.answers.get(key)
        if isinstance(answer, ModelCallError):
            raise answer
        if answer is not None:
            return ChatCompletion.model_validate(answer)
        self.needed[key] = body
        raise Pending("waiting for a batch answer")


def _line_error(line: dict[str, Any]) -> tuple[str, bool]:
    """A failed line's error and whether asking again may help (5xx, 429, expired; not a 400)."""
    response = line.get("response") or {}
    status = response.get("status_code")
    error = line.get("error") or (response.get("body") or {}).get("error") or {}
    message = error.get("message") if isinstance(error, dict) else str(error)
    code = error.get("code") if isinstance(error, dict) else None
    retryable = status is None or status >= 500 or status == 429 or code in ("batch_expired", "batch_cancelled")
    return f"HTTP {status}: {message}" if status else str(message or code or "failed"), retryable


class BatchBook:
    """The batch rounds of one state database: lines, rounds, and the articles they are about."""

    def __init__(self, path: Path, settings: Settings, folder: Path | None = None) -> None:
        self.settings = settings
        self.client = FolderBatches(folder) if folder is not None else _client(settings)
        self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30.0)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)
        self.round = uuid.uuid4().hex  # this run's round token

    def close(self) -> None:
        self.db.close()

    # What one article has: its stored text, its answers, its lines in flight.

    def article(self, key: str) -> Article | None:
        row = self.db.execute("SELECT article FROM batch_articles WHERE key = ?", (key,)).fetchone()
        return Article(**json.loads(row[0])) if row else None

    def keep_article(self, key: str, article: Article) -> None:
        fields = dataclasses.asdict(article)
        self.db.execute("INSERT OR IGNORE INTO batch_articles VALUES (?, ?)", (key, json.dumps(fields)))

    def replay_for(self, key: str) -> ReplayProvider | None:
        """The answers of article ``key`` for a replay; None while any of its lines is in flight."""
        answers: dict[str, Any] = {}
        for request, state, attempt, retryable, response in self.db.execute(
            "SELECT request, state, attempt, retryable, response FROM batch_lines WHERE article = ? ORDER BY attempt",
            (key,),
        ):
            if state in ("queued", "submitted"):
                return None
            if state == "answered":
                answers[request] = json.loads(response)
            elif not retryable or attempt >= self.settings.attempts:
                answers[request] = ModelCallError(f"batch line failed {attempt} times: {response}")
            else:
                answers.pop(request, None)  # failed, may be asked again
        return ReplayProvider(answers)

    def queue(self, key: str, needed: dict[str, dict[str, Any]]) -> int:
        """Store the requests article ``key`` needs as lines of this run's round; returns how many."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for request, body in needed.items():
                row = self.db.execute(
                    "SELECT MAX(attempt), SUM(state IN ('queued', 'submitted')) FROM batch_lines WHERE request = ?",
                    (request,),
                ).fetchone()
                if row[1]:
                    continue  # already in flight: never two copies of one line
                attempt = (row[0] or 0) + 1
                custom_id = f"{hashlib.sha256(key.encode()).hexdigest()[:12]}-{request[:16]}-{attempt}"
                self.db.execute(
                    "INSERT INTO batch_lines (custom_id, article, request, attempt, body, round, state)"
                    " VALUES (?, ?, ?, ?, ?, ?, 'queued')",
                    (custom_id, key, request, attempt, json.dumps(body), self.round),
                )
            self.db.execute(
                "INSERT OR IGNORE INTO batch_rounds (round, state, created_at) VALUES (?, 'queued', ?)",
                (self.round, time.time()),
            )
        return len(needed)

    # Rounds: submit, find again after a crash, collect.

    def submit(self) -> str | None:
        """Upload every queued round (this run's, and any a killed run left) and create its batch."""
        created = None
        for (token,) in self.db.execute("SELECT round FROM batch_rounds WHERE state = 'queued'").fetchall():
            created = self._submit_round(token) or created
        return created

    def _submit_round(self, token: str) -> str | None:
        lines = self.db.execute(
            "SELECT custom_id, body FROM batch_lines WHERE round = ? AND state = 'queued'", (token,)
        ).fetchall()
        if not lines:
            self.db.execute("DELETE FROM batch_rounds WHERE round = ?", (token,))
            return None
        found = self._find(token)
        if found is None:
            payload = "".join(
                json.dumps({"custom_id": cid, "method": "POST", "url": ENDPOINT, "body": json.loads(body)}) + "\n"
                for cid, body in lines
            ).encode()
            uploaded = _call(
                self.client.files.create, file=(f"round-{token}.jsonl", io.BytesIO(payload)), purpose="batch"
            )
            batch = _call(
                self.client.batches.create,
                input_file_id=uploaded.id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata={ROUND_KEY: token},
            )
            found = batch.id
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("UPDATE batch_rounds SET batch_id = ?, state = 'submitted' WHERE round = ?", (found, token))
            self.db.execute("UPDATE batch_lines SET state = 'submitted' WHERE round = ? AND state = 'queued'", (token,))
        return found

    def _find(self, token: str) -> str | None:
        """The batch a killed run created for round ``token`` and never stored, or None."""
        for batch in _pages(_call(self.client.batches.list, limit=100)):
            if (batch.metadata or {}).get(ROUND_KEY) == token:
                return str(batch.id)
        return None

    def collect(self) -> tuple[int, int]:
        """Read every finished batch's output and error files into the lines; (collected, still open)."""
        collected = still_open = 0
        for token, batch_id in self.db.execute(
            "SELECT round, batch_id FROM batch_rounds WHERE state = 'submitted'"
        ).fetchall():
            batch = _call(self.client.batches.retrieve, batch_id)
            if batch.status in _OPEN:
                still_open += 1
                continue
            results = {}
            for file_id in (batch.output_file_id, batch.error_file_id):
                if file_id:
                    text = _call(self.client.files.content, file_id).text
                    results.update({line["custom_id"]: line for line in _jsonl(text)})
            self._store(token, batch.status, results)
            collected += 1
        return collected, still_open

    def _store(self, token: str, status: str, results: dict[str, dict[str, Any]]) -> None:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for (custom_id,) in self.db.execute(
                "SELECT custom_id FROM batch_lines WHERE round = ? AND state = 'submitted'", (token,)
            ).fetchall():
                line = results.get(custom_id)
                response = (line or {}).get("response") or {}
                if line is not None and response.get("status_code") == 200 and not line.get("error"):
                    self.db.execute(
                        "UPDATE batch_lines SET state = 'answered', response = ? WHERE custom_id = ?",
                        (json.dumps(response.get("body")), custom_id),
                    )
                    continue
                error, retryable = _line_error(line) if line else (f"no result (batch {status})", True)
                self.db.execute(
                    "UPDATE batch_lines SET state = 'failed', retryable = ?, response = ? WHERE custom_id = ?",
                    (int(retryable), error, custom_id),
                )
            self.db.execute("UPDATE batch_rounds SET state = 'collected' WHERE round = ?", (token,))

    def counts(self) -> dict[str, int]:
        """Lines by state, and rounds still open at the provider."""
        lines = dict(self.db.execute("SELECT state, COUNT(*) FROM batch_lines GROUP BY state").fetchall())
        (rounds,) = self.db.execute("SELECT COUNT(*) FROM batch_rounds WHERE state = 'submitted'").fetchone()
        return {**lines, "open_rounds": rounds}

    def open_rounds(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM batch_rounds WHERE state != 'collected'").fetchone()[0])


class FolderBatches:
    """The Files and Batches calls of :class:`BatchBook` over a folder, for a self-hosted night:
    a round is written as ``DIR/round-TOKEN.jsonl``; run
    ``vllm run-batch -i DIR/round-TOKEN.jsonl -o DIR/round-TOKEN.output.jsonl --model M`` and the
    next run collects it once the output holds a line for every request."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.expanduser()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files = SimpleNamespace(create=self._write, content=self._read)
        self.batches = SimpleNamespace(create=self._create, retrieve=self._retrieve, list=self._list)

    def _write(self, *, file: tuple[str, io.BytesIO], purpose: str) -> Any:
        name, data = file
        write_atomic(self.folder / name, data.getvalue().decode(), follow_links=False)
        return SimpleNamespace(id=name)

    def _create(self, *, input_file_id: str, metadata: dict[str, str], **_: Any) -> Any:
        return SimpleNamespace(id=input_file_id.removesuffix(".jsonl"), metadata=metadata)

    def _retrieve(self, batch_id: str) -> Any:
        asked = self.folder / f"{batch_id}.jsonl"
        answered = self.folder / f"{batch_id}.output.jsonl"
        done = answered.exists() and len(list(_jsonl(answered.read_text("utf-8")))) >= len(
            list(_jsonl(asked.read_text("utf-8")))
        )
        return SimpleNamespace(
            status="completed" if done else "in_progress",
            output_file_id=answered.name if done else None,
            error_file_id=None,
        )

    def _read(self, file_id: str) -> Any:
        return SimpleNamespace(text=(self.folder / file_id).read_text("utf-8"))

    def _list(self, **_: Any) -> list[Any]:
        rounds = (p.name.removesuffix(".jsonl") for p in self.folder.glob("round-*.jsonl"))
        return [
            SimpleNamespace(id=name, metadata={ROUND_KEY: name.removeprefix("round-")})
            for name in rounds
            if not name.endswith(".output")
        ]


def _client(settings: Settings) -> Any:
    if settings.provider == "local":
        raise ConfigError("batch mode needs a provider with a Batch API (OpenAI) or vllm run-batch: set --model")
    return openai.OpenAI(
        api_key=settings.api_key or "not-needed",
        base_url=settings.base_url,
        max_retries=3,
        timeout=settings.timeout,
    )


def _call(method: Any, *args: Any, **kwargs: Any) -> Any:
    """One Files or Batches call; an API error is one ``ModelCallError`` line (the key never in it)."""
    try:
        return method(*args, **kwargs)
    except openai.AuthenticationError as exc:
        raise ConfigError(f"the provider rejected the API key (HTTP {exc.status_code})") from None
    except openai.APIError as exc:
        raise ModelCallError(
            f"batch API call failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        ) from None


def _pages(page: Any) -> Iterator[Any]:
    try:
        yield from page
    except openai.APIError as exc:
        raise ModelCallError(f"batch API call failed: {type(exc).__name__}") from None


def _jsonl(text: str) -> Iterator[dict[str, Any]]:
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            value = json.loads(line)
        except ValueError:
            continue  # a torn line: its request reads as "no result" and is asked again
        if isinstance(value, dict) and isinstance(value.get("custom_id"), str):
            yield value
