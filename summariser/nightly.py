"""Nightly job: brief every new article from folders, feeds and URL lists, exactly once.

Input: a :class:`NightlyConfig` and :class:`~summariser.config.Settings`.
Output: per article ``NAME.md`` and ``NAME.json`` under ``out/briefs/``, a
digest ``out/digest-<date>-run<N>.md``, a row per article and a run report in
the SQLite state database, and a :class:`RunReport`.

Guarantees: articles already done cost no model call; every state change is
committed at once and outputs are written atomically at stable paths, so a
killed run loses nothing and duplicates nothing; a file lock keeps two runs
off one database. The embedded model runs one brief at a time in a worker
process, so a crash of llama.cpp fails that article, not the night.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import difflib
import hashlib
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs
from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from summariser.batch import BatchBook
from summariser.call import Provider, redact, replay_provider, resolve_provider
from summariser.config import Settings
from summariser.deliver import Delivery, deliver
from summariser.errors import ConfigError, HostUnreachableError, Pending, SummariserError
from summariser.fleet import Breaker, Endpoint, Fleet, Replica
from summariser.html import render_digest_html, render_html, render_index_html
from summariser.load import Article, strip_controls
from summariser.names import normalise_name
from summariser.output import write_atomic
from summariser.pipeline import estimate_tokens, summarise
from summariser.prompt import prompt_version
from summariser.render import escape_markdown, render_json, render_markdown
from summariser.schemas import Brief
from summariser.sources import Candidate, content_key, discover, fetch_article
from summariser.state import State

__all__ = ["NightlyConfig", "RunReport", "run_nightly", "default_db_path"]

Progress = Callable[[str, str], None]


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("summariser")) / "state.db"


@dataclass(frozen=True)
class SourceSpec:
    """What one configured source changes: its name, its model, and the words an article of it
    must hold (any of ``include``) or must not (any of ``exclude``), case-insensitive."""

    name: str | None = None
    model: str | None = None
    base_url: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def refuses(self, text: str) -> str | None:
        """Why an article of this source is not briefed, or None."""
        folded = text.casefold()
        if self.include and not any(word.casefold() in folded for word in self.include):
            return f"filtered: none of the words {', '.join(self.include)}"
        hit = next((word for word in self.exclude if word.casefold() in folded), None)
        return f"filtered: holds the word {hit!r}" if hit else None


@dataclass(frozen=True)
class NightlyConfig:
    """What the nightly job reads and where it writes. Build from TOML ``[nightly]`` plus flags."""

    sources: tuple[str, ...]
    out: Path = Path("briefs")
    db: Path = field(default_factory=default_db_path)
    concurrency: int = 4
    max_failures: int = 3
    rebrief_on_change: bool = False
    allow_private: bool = False
    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    price_prompt_per_mtok: float | None = None
    price_output_per_mtok: float | None = None
    fetch_timeout: float = 20.0
    # How long a state write waits for another process's lock on the database.
    lock_patience: float = 300.0
    # The whole night's time, and how many timeouts or connection failures one host may cost a night
    # before its other articles wait for the next night.
    run_deadline: float = 6 * 3600.0
    host_failures: int = 3
    # A run with nothing new (no brief, failure or deferral) writes no digest unless this is set.
    empty_digest: bool = False
    # Where the digest is sent besides the out folder (summariser.deliver).
    delivery: Delivery = field(default_factory=Delivery)
    # Briefs and digests older than this many days are deleted (their articles stay done); None keeps all.
    keep_days: float | None = None
    # Settings of single sources, by their location: a source given as a table in ``sources``.
    per_source: dict[str, SourceSpec] = field(default_factory=dict)
    # A fleet of model servers in place of the one base_url (summariser.fleet), and its breakers:
    # a server out after this many failures in a row, tried again after this many seconds.
    endpoints: tuple[Endpoint, ...] = ()
    breaker_failures: int = 3
    breaker_cooldown: float = 30.0
    # Batch mode (summariser.batch): the night in rounds over the Batch API; ``collect`` only
    # collects and finishes briefs (submits nothing); ``batch_wait`` keeps polling this many seconds.
    batch: bool = False
    collect: bool = False
    batch_wait: float = 0.0
    batch_poll: float = 30.0
    # Self-hosted batch rounds: files in this folder for ``vllm run-batch``, not the Batch API.
    batch_dir: Path | None = None

    @classmethod
    def from_table(cls, table: dict[str, Any], **overrides: Any) -> NightlyConfig:
        """From a TOML ``[nightly]`` table, with non-None overrides on top; every value is checked."""
        for key in table:
            if key not in _NightlyTable.model_fields:
                close = difflib.get_close_matches(key, list(_NightlyTable.model_fields), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                raise ConfigError(f"unknown setting {key!r} in the [nightly] table{hint}")
        values: dict[str, Any] = {**table, **{k: v for k, v in overrides.items() if v not in (None, (), [])}}
        try:
            checked = _NightlyTable.model_validate(values)
        except ValidationError as exc:
            # A list of strings or tables fails in each branch: the table's error is the deeper one.
            error = max(exc.errors(), key=lambda e: len(e["loc"]))
            where = ".".join(str(p) for p in error["loc"] if not str(p).startswith("_") and p != "str") or "[nightly]"
            raise ConfigError(f"{where} in [nightly]: {error['msg'].lower()} (got {error.get('input')!r})") from None
        if not checked.sources:
            raise ConfigError("no sources: pass --source or set sources in the [nightly] table of the config")
        fields = checked.model_dump(exclude_none=True)
        fields["sources"] = tuple(s if isinstance(s, str) else s.source for s in checked.sources)
        fields["per_source"] = {
            s.source: SourceSpec(s.name, s.model, s.base_url, tuple(s.include), tuple(s.exclude))
            for s in checked.sources
            if not isinstance(s, str)
        }
        concurrency = checked.concurrency or cls.concurrency
        fields["endpoints"] = tuple(
            Endpoint(e, concurrency)
            if isinstance(e, str)
            else Endpoint(e.base_url, e.concurrency or concurrency, e.api_key_env)
            for e in checked.endpoints
        )
        sending = {k: fields.pop(k) for k in _DELIVERY_KEYS if k in fields}
        sending["mail_to"] = tuple(sending.get("mail_to", ()))
        fields["delivery"] = Delivery(**sending)
        for key in ("out", "db", "batch_dir"):
            if key in fields:
                fields[key] = Path(fields[key]).expanduser()
        return cls(**fields)


class _SourceTable(BaseModel):
    """One source with settings of its own: ``{source = "...", name, model, base_url, include, exclude}``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    source: str
    name: str | None = None
    model: str | None = None
    base_url: str | None = None
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


def _http_url(value: str) -> str:
    if urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        raise ValueError(f"must be an http(s) URL such as http://gpu1:8000/v1, not {value!r}")
    return value


class _EndpointTable(BaseModel):
    """One model server of a fleet: ``{base_url = "...", concurrency, api_key_env}``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    base_url: str
    concurrency: int | None = Field(default=None, ge=1, le=256)
    api_key_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _http_url(value)


class _NightlyTable(BaseModel):
    """The ``[nightly]`` table's types: strict, so "false" is not false and "3" is not 3."""

    model_config = ConfigDict(extra="forbid", strict=True)

    sources: list[str | _SourceTable] = Field(default_factory=list)
    out: str | Path | None = None
    db: str | Path | None = None
    concurrency: int | None = Field(default=None, ge=1, le=256)
    max_failures: int | None = Field(default=None, ge=1, le=100)
    rebrief_on_change: bool | None = None
    allow_private: bool | None = None
    requests_per_minute: float | None = Field(default=None, gt=0)
    tokens_per_minute: float | None = Field(default=None, gt=0)
    price_prompt_per_mtok: float | None = Field(default=None, ge=0)
    price_output_per_mtok: float | None = Field(default=None, ge=0)
    fetch_timeout: float | None = Field(default=None, gt=0, le=600)
    lock_patience: float | None = Field(default=None, ge=0)
    run_deadline: float | None = Field(default=None, gt=0)
    host_failures: int | None = Field(default=None, ge=1)
    empty_digest: bool | None = None
    keep_days: float | None = Field(default=None, gt=0)
    webhook: str | None = None
    mail_to: list[str] = Field(default_factory=list)
    mail_from: str | None = None
    smtp_host: str | None = None
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_starttls: bool | None = None
    endpoints: list[str | _EndpointTable] = Field(default_factory=list)
    breaker_failures: int | None = Field(default=None, ge=1, le=1000)
    breaker_cooldown: float | None = Field(default=None, gt=0)
    batch: bool | None = None
    collect: bool | None = None
    batch_wait: float | None = Field(default=None, ge=0)
    batch_poll: float | None = Field(default=None, gt=0)
    batch_dir: str | Path | None = None

    @field_validator("endpoints")
    @classmethod
    def _urls(cls, value: list[Any]) -> list[Any]:
        for item in value:
            if isinstance(item, str):
                _http_url(item)
        return value

    @field_validator("sources", "endpoints", mode="before")
    @classmethod
    def _a_list(cls, value: Any) -> Any:
        if isinstance(value, (str, bytes)):
            raise ValueError('must be a list, such as ["feeds.txt"] or ["http://gpu1:8000/v1"], not one string')
        return list(value) if isinstance(value, tuple) else value


@dataclass
class RunReport:
    """What one night did."""

    run_id: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    parked: int = 0
    unchanged: int = 0
    deferred: int = 0  # left pending for the next night: the run deadline passed, or the host failed too often
    planned: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    briefs: list[dict[str, Any]] = field(default_factory=list)
    digest: str | None = None
    undelivered: list[str] = field(default_factory=list)  # a webhook or mail that failed, one line each
    removed: int = 0  # briefs and digests older than keep_days, deleted
    filtered: int = 0  # articles a source's include / exclude words kept out
    endpoints: list[dict[str, Any]] = field(default_factory=list)  # a fleet's servers: briefs, failures, breaker
    waiting: int = 0  # batch mode: articles waiting for a round's answers
    batch: dict[str, int] = field(default_factory=dict)  # batch mode: lines by state, rounds open

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "done": self.done,
            "skipped": self.skipped,
            "failed": self.failed,
            "parked": self.parked,
            "unchanged": self.unchanged,
            "deferred": self.deferred,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost": self.cost,
            "seconds": round(self.seconds, 3),
            "failures": [{"article": a, "error": e} for a, e in self.failures],
            "digest": self.digest,
            "undelivered": self.undelivered,
            "removed": self.removed,
            "filtered": self.filtered,
            "endpoints": self.endpoints,
            "waiting": self.waiting,
            "batch": self.batch,
        }


class _Limiter:
    """A per-minute budget (requests or tokens), refilled continuously."""

    def __init__(self, per_minute: float | None) -> None:
        self.rate = per_minute / 60.0 if per_minute else None
        self.capacity = per_minute or 0.0
        self.level = self.capacity
        self.stamp = time.monotonic()
        self.lock = asyncio.Lock()

    async def acquire(self, amount: float) -> None:
        if self.rate is None:
            return
        amount = min(amount, self.capacity)
        async with self.lock:
            while True:
                now = time.monotonic()
                self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.level >= amount:
                    self.level -= amount
                    return
                await asyncio.sleep((amount - self.level) / self.rate)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_name(text))[:60].strip("-")
    return slug or "article"


def _output_stem(key: str, article: Article) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{_slug(article.title or Path(article.source or 'article').stem)}-{digest}"


def _brief_in_worker(article: Article, settings: Settings) -> str:
    # Runs in the model worker process; returns JSON so results cross processes cheaply.
    return render_json(summarise(article, settings=settings))


def _brief_in_thread(article: Article, settings: Settings, provider: Provider) -> Brief:
    # In this process: the brief itself, with no JSON round trip (~0.3 ms a brief on the event loop).
    return summarise(article, settings=settings, provider=provider)


def _started_pool(workers: int) -> concurrent.futures.ThreadPoolExecutor:
    """A thread pool whose threads are all running before the night's first brief. Started
    lazily, each new thread waits for the GIL held by the briefs already in flight (~3 ms each,
    on the event loop), which spreads the first wave of model calls over 100 ms and more."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    ready = threading.Barrier(workers)
    for done in [pool.submit(ready.wait) for _ in range(workers)]:
        done.result()
    return pool


class _Runner:
    def __init__(self, config: NightlyConfig, settings: Settings, workers: int | None = None) -> None:
        self.config = config
        self.settings = settings
        self.local = settings.provider == "local"
        self.workers = workers or config.concurrency
        self.pool: concurrent.futures.Executor = self._new_pool()
        # One client for the whole night: building one costs ~40 ms of CPU
        # (TLS certificates), more than the rest of the pipeline per brief.
        self.provider = None if self.local else resolve_provider(settings)
        self.requests = _Limiter(config.requests_per_minute)
        self.tokens = _Limiter(config.tokens_per_minute)

    def _new_pool(self) -> concurrent.futures.Executor:
        if self.local:
            import multiprocessing

            return concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return _started_pool(self.workers)

    @property
    def slots(self) -> int:
        return 1 if self.local else self.workers

    def all_out(self) -> bool:
        return False

    def stored_article(self, key: str) -> Article | None:
        return None

    async def brief(self, article: Article, key: str = "") -> Brief:
        await self.requests.acquire(2)
        await self.tokens.acquire(2 * estimate_tokens(article.text) + self.settings.max_tokens)
        loop = asyncio.get_running_loop()
        try:
            if self.provider is None:
                text = await loop.run_in_executor(self.pool, _brief_in_worker, article, self.settings)
            else:
                return await loop.run_in_executor(self.pool, _brief_in_thread, article, self.settings, self.provider)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()
            raise SummariserError("the model worker died (crashed or was killed) while briefing this article") from None
        return Brief.model_validate_json(text)

    def close(self, *, wait: bool = True) -> None:
        # Interrupted, the night does not wait for requests in flight: their articles stay pending.
        self.pool.shutdown(wait=wait, cancel_futures=True)
        if self.provider is not None:
            self.provider.close()


class _BatchRunner(_Runner):
    """Briefs by replaying the pipeline over a batch round's answers (summariser.batch)."""

    def __init__(self, config: NightlyConfig, settings: Settings, book: BatchBook) -> None:
        # No model client: the requests go out as batch lines (book.submit), answers come from the book.
        self.config, self.settings, self.book = config, settings, book
        self.local, self.provider, self.workers = False, None, config.concurrency
        self.pool = self._new_pool()
        self.requests, self.tokens = _Limiter(None), _Limiter(None)

    def stored_article(self, key: str) -> Article | None:
        return self.book.article(key)

    async def brief(self, article: Article, key: str = "") -> Brief:
        replay = self.book.replay_for(key)
        if replay is None:
            raise Pending("waiting for a batch round")
        provider = replay_provider(self.settings, replay.create)
        loop = asyncio.get_running_loop()
        brief: Brief | None
        try:
            brief = await loop.run_in_executor(self.pool, _brief_in_thread, article, self.settings, provider)
        except Pending:
            brief = None
        if replay.needed or brief is None:
            self.book.keep_article(key, article)
            self.book.queue(key, replay.needed)
            raise Pending(f"{len(replay.needed)} requests for the next batch round")
        return brief


class _Runners:
    """The night's runner of the configured model, and one per model a source names, made when first needed."""

    def __init__(self, config: NightlyConfig, settings: Settings, book: BatchBook | None = None) -> None:
        self.config, self.settings = config, settings
        self.default: _Runner | Fleet
        if book is not None:
            self.default = _BatchRunner(config, settings, book)
        elif config.endpoints:
            self.default = _fleet(config, settings)
        else:
            self.default = _Runner(config, settings)
        self.by_model: dict[tuple[str, str | None], _Runner] = {}

    def of(self, spec: SourceSpec | None) -> _Runner | Fleet:
        if spec is None or spec.model is None:
            return self.default
        key = (spec.model, spec.base_url)
        if key not in self.by_model:
            settings = self.settings.model_copy(update={"model": spec.model, "base_url": spec.base_url})
            self.by_model[key] = _Runner(self.config, settings)
        return self.by_model[key]

    def close(self, *, wait: bool = True) -> None:
        for runner in [self.default, *self.by_model.values()]:
            runner.close(wait=wait)


def _fleet(config: NightlyConfig, settings: Settings) -> Fleet:
    """The night's fleet: one runner per endpoint, each with its own key, pool and breaker."""
    if settings.provider == "local":
        raise ConfigError(
            "a fleet of endpoints needs a served model: set --model, such as llamacpp/NAME or openai/NAME"
        )
    replicas = []
    for endpoint in config.endpoints:
        key = settings.api_key
        if endpoint.api_key_env is not None:
            key = os.environ.get(endpoint.api_key_env)
            if not key:
                raise ConfigError(
                    f"endpoint {endpoint.base_url}: environment variable {endpoint.api_key_env} is not set"
                )
        replica_settings = settings.model_copy(update={"base_url": endpoint.base_url, "api_key": key})
        breaker = Breaker(config.breaker_failures, config.breaker_cooldown)
        replicas.append(Replica(endpoint, _Runner(config, replica_settings, endpoint.concurrency), breaker))
    return Fleet(replicas, settings)


def _needs_work(row: Any, candidate: Candidate, config: NightlyConfig, settings: Settings) -> str | None:
    """Why a candidate must be briefed now, or None to leave it."""
    if row is None:
        return "new"
    if row.status == "pending":
        return "resume"
    if row.status == "failed":
        return "retry" if row.attempts < config.max_failures else None
    if row.status == "skipped" and (row.last_error or "").startswith("filtered:"):
        return "filter again"  # a source's words may have changed since: checked each night
    if candidate.key.startswith("file:") and candidate.content_hash and row.content_hash != candidate.content_hash:
        return "new version"  # an edited file: briefed again in place of its old brief
    if config.rebrief_on_change:
        if candidate.content_hash and row.content_hash and candidate.content_hash != row.content_hash:
            return "content changed"
        if row.prompt_version != prompt_version():
            return "prompt changed"
        if row.model != settings.model:
            return "model changed"
    return None


def _finalise(report: RunReport, config: NightlyConfig, started: float) -> None:
    report.seconds = time.perf_counter() - started
    if config.price_prompt_per_mtok is not None or config.price_output_per_mtok is not None:
        report.cost = (
            report.prompt_tokens * (config.price_prompt_per_mtok or 0.0)
            + report.completion_tokens * (config.price_output_per_mtok or 0.0)
        ) / 1e6


def _printable(progress: Progress) -> Progress:
    """``progress`` with no escape sequence of a link or file name reaching the terminal: they are data."""

    def shown(kind: str, detail: str) -> None:
        progress(kind, strip_controls(detail))

    return shown


async def _discover_all(config: NightlyConfig, report: RunReport, progress: Progress) -> list[Candidate]:
    """Every source's candidates, once each; a source that fails is a failure of its own."""
    candidates: list[Candidate] = []
    for source in config.sources:
        try:
            found = await asyncio.to_thread(
                discover, source, allow_private=config.allow_private, timeout=config.fetch_timeout, exclude=config.out
            )
        except SummariserError as exc:
            report.failed += 1
            report.failures.append((source, str(exc)))
            progress("error", f"{source}: {exc}")
            continue
        candidates.extend(replace(c, via=source) for c in found)
    # One article reached twice (a link in two feeds, a file copied to two folders) is briefed once.
    by_key = {c.key: c for c in candidates}
    by_content = {c.content_hash or c.key: c for c in reversed(by_key.values())}
    return [c for c in by_key.values() if by_content.get(c.content_hash or c.key) is c]


async def _run(
    config: NightlyConfig, settings: Settings, report: RunReport, *, dry_run: bool, progress: Progress
) -> None:
    started = time.perf_counter()
    progress = _printable(progress)
    unique = await _discover_all(config, report, progress)

    state = State(config.db, lock_patience=config.lock_patience)
    try:
        if not dry_run:
            _check_writable(config.out)
        todo = _plan(state, unique, config, settings, report, dry_run=dry_run)
        if dry_run:
            report.planned = [f"{c.origin} ({reason})" for c, reason in todo]
            return
        report.run_id = state.start_run()
        _remove_stale_temps(config.out / "briefs")
        progress("total", str(len(todo)))
        state.mark_pending([(candidate.key, candidate.origin) for candidate, _ in todo], report.run_id)
        await _brief_all([c for c, _ in todo], state, config, settings, report, progress, started)
        _finalise(report, config, started)
        await _close_run(state, config, report, progress)
    finally:
        state.close()


def _plan(
    state: State,
    unique: list[Candidate],
    config: NightlyConfig,
    settings: Settings,
    report: RunReport,
    *,
    dry_run: bool,
) -> list[tuple[Candidate, str]]:
    """The candidates to brief this run, each with why; the others are counted as done or parked."""
    todo: list[tuple[Candidate, str]] = []
    for candidate in unique:
        row = state.get(candidate.key) or state.adopt(candidate.content_hash, candidate.key, write=not dry_run)
        reason = _needs_work(row, candidate, config, settings)
        if reason is None:
            if row is not None and row.status == "failed":
                report.parked += 1
            else:
                report.unchanged += 1
            continue
        todo.append((candidate, reason))
    return todo


async def _brief_all(
    candidates: list[Candidate],
    state: State,
    config: NightlyConfig,
    settings: Settings,
    report: RunReport,
    progress: Progress,
    started: float,
) -> None:
    """Brief the candidates; in batch mode, round after round while ``batch_wait`` lasts."""
    book = _open_book(config, settings, progress)
    runners = _Runners(config, settings, book)
    until = time.perf_counter() + config.batch_wait
    interrupted = False
    try:
        while True:
            report.waiting = 0
            await _brief_each(candidates, state, runners, config, report, progress, started)
            if book is None:
                break
            _submit(book, config, progress)
            candidates = [c for c in candidates if (row := state.get(c.key)) is not None and row.status == "pending"]
            if not candidates or time.perf_counter() + config.batch_poll > until:
                break
            await asyncio.sleep(config.batch_poll)
            _collect(book, progress)
    except (asyncio.CancelledError, KeyboardInterrupt):
        interrupted = True
        raise
    finally:
        runners.close(wait=not interrupted)
        if book is not None:
            report.batch = book.counts()
            book.close()
    if isinstance(runners.default, Fleet):
        report.endpoints = runners.default.report()


async def _brief_each(
    candidates: list[Candidate],
    state: State,
    runners: _Runners,
    config: NightlyConfig,
    report: RunReport,
    progress: Progress,
    started: float,
) -> None:
    limit = asyncio.Semaphore(runners.default.slots)
    host_failures: dict[str, int] = {}
    deadline = started + config.run_deadline

    async def one(candidate: Candidate) -> None:
        async with limit:
            host = _host(candidate)
            if time.perf_counter() > deadline or host_failures.get(host, 0) >= config.host_failures:
                # Left pending, not failed: the next night takes it up again.
                report.deferred += 1
                progress("deferred", candidate.origin)
                return
            runner = runners.of(config.per_source.get(candidate.via))
            if runner.all_out():
                # Every model server of the fleet is out: the next night takes the article up.
                report.deferred += 1
                progress("deferred", f"{candidate.origin}: every model server is out")
                return
            briefed = await _brief_one(candidate, state, runner, config, report, progress)
        # Out of the slot: writing the files and the state does not hold up the next article's model calls.
        if briefed is None:
            host_failures[host] = host_failures.get(host, 0) + 1
        elif isinstance(briefed, tuple):
            await _store(candidate, *briefed, state, runner, config, report, progress)

    await asyncio.gather(*(one(c) for c in candidates))


def _open_book(config: NightlyConfig, settings: Settings, progress: Progress) -> BatchBook | None:
    """Batch mode: the state's batch rounds, with every finished batch collected."""
    if not config.batch:
        return None
    book = BatchBook(config.db, settings, config.batch_dir)
    try:
        _collect(book, progress)
    except BaseException:
        book.close()
        raise
    return book


def _collect(book: BatchBook, progress: Progress) -> None:
    collected, still_open = book.collect()
    progress("collected", f"{collected} batches collected, {still_open} still running at the provider")


def _submit(book: BatchBook, config: NightlyConfig, progress: Progress) -> None:
    """Batch mode: submit the round the briefs asked for (unless only collecting)."""
    if not config.collect:
        batch_id = book.submit()
        if batch_id is not None:
            progress("submitted", f"batch {batch_id}")


async def _close_run(state: State, config: NightlyConfig, report: RunReport, progress: Progress) -> None:
    """After the briefs: the digest (and its delivery), retention, the index, the run's report."""
    # Every brief is in exactly one digest: this run's, plus any that a killed run finished but never listed.
    pending = state.undigested()
    if pending or report.failures or report.deferred or report.skipped or report.filtered or config.empty_digest:
        report.digest = str(_write_digest(config, report, pending))
        page = render_digest_html(
            f"Nightly digest (run {report.run_id})",
            pending,
            config.out,
            counts=_counts(report),
            failures=report.failures,
        )
        write_atomic(Path(report.digest).with_suffix(".html"), page, follow_links=False)
        subject = f"Nightly digest, run {report.run_id}: {_counts(report)}"
        texts = (Path(report.digest).read_text(encoding="utf-8"), page)
        report.undelivered = await asyncio.to_thread(
            deliver, config.delivery, subject, report.as_dict(), _sendable(pending), texts
        )
        for problem in report.undelivered:
            progress("undelivered", problem)
    else:
        progress("empty", "nothing new: no digest written (empty_digest = true writes one)")
    state.mark_digested([item["key"] for item in pending], report.run_id)
    if config.keep_days is not None:
        report.removed = _remove_old(state, config.out, config.keep_days)
    write_atomic(config.out / "index.html", _index(state, config.out), follow_links=False)
    state.end_run(report.run_id, report.as_dict())


async def _brief_one(
    candidate: Candidate,
    state: State,
    runner: _Runner | Fleet,
    config: NightlyConfig,
    report: RunReport,
    progress: Progress,
) -> tuple[Article, Brief] | Literal[True] | None:
    """Fetch and brief one candidate: its article and brief to store; True when its outcome is
    recorded already (failed, filtered, waiting for a batch round); None when fetching it failed
    as a slow or unreachable host does."""
    key, origin = candidate.key, candidate.origin
    try:
        article = candidate.article or runner.stored_article(key)
        if candidate.error is not None:
            raise SummariserError(candidate.error)
        if article is None:
            try:
                article = await asyncio.to_thread(
                    fetch_article, origin, allow_private=config.allow_private, timeout=config.fetch_timeout
                )
            except HostUnreachableError as exc:
                _record_failure(key, origin, exc, state, config, runner.settings, report, progress)
                return None
        spec = config.per_source.get(candidate.via)
        refused = spec.refuses(article.text) if spec is not None else None
        if refused is not None:
            state.finish(key, "skipped", title=article.title, last_error=refused, source_name=spec.name)
            report.filtered += 1
            progress("filtered", f"{origin}: {refused}")
            return True
        brief = await runner.brief(article, key)
    except Pending:
        report.waiting += 1  # batch mode: its answers come in a later round; it stays pending
        return True
    except SummariserError as exc:
        _record_failure(key, origin, exc, state, config, runner.settings, report, progress)
        return True
    except Exception as exc:  # noqa: BLE001 - the night's boundary: one article fails, the night goes on
        error = SummariserError(f"internal error on this article: {type(exc).__name__}: {exc}")
        _record_failure(key, origin, error, state, config, runner.settings, report, progress)
        return True
    return article, brief


async def _store(
    candidate: Candidate,
    article: Article,
    brief: Brief,
    state: State,
    runner: _Runner | Fleet,
    config: NightlyConfig,
    report: RunReport,
    progress: Progress,
) -> None:
    """Write a brief's files and record it done (or skipped: no negotiation)."""
    key, origin = candidate.key, candidate.origin
    usage = brief.meta.usage
    report.prompt_tokens += usage.prompt_tokens
    report.completion_tokens += usage.completion_tokens
    common = {
        "title": brief.title,
        "model": runner.settings.model,
        "source_name": (config.per_source.get(candidate.via) or SourceSpec()).name,
        "prompt_version": brief.meta.prompt_version,
        "content_hash": candidate.content_hash or content_key(article.text),
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "last_error": None,
    }
    if not brief.is_negotiation:
        state.finish(key, "skipped", **common)
        report.skipped += 1
        progress("skipped", origin)
        return
    stem = _output_stem(key, article)
    # File writes (each fsynced) go to a thread: on the event loop they would
    # serialise every brief in flight behind the disk.
    try:
        md_path, json_path = await asyncio.to_thread(_write_outputs, config.out / "briefs", stem, brief, article.text)
    except SummariserError as exc:
        # Counted as a failed attempt, so an unwritable folder is not paid for every night.
        _record_failure(key, origin, exc, state, config, runner.settings, report, progress)
        return
    _remove_old_version(state.get(key), md_path, config.out / "briefs")
    parties = sorted(p.name for p in brief.parties)
    state.finish(
        key,
        "done",
        md_path=str(md_path),
        json_path=str(json_path),
        parties=", ".join(parties),
        summary=brief.summary,
        **common,
    )
    report.done += 1
    report.briefs.append({"title": brief.title or stem, "parties": parties, "md": md_path, "summary": brief.summary})
    progress("done", origin)


def _index(state: State, out: Path) -> str:
    """The running index page of every article judged so far."""
    entries = []
    for row in state.judged():
        when = dt.datetime.fromtimestamp(row["updated_at"], dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        entries.append({**row, "when": when})
    return render_index_html(entries, out, dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def _remove_old(state: State, out: Path, days: float) -> int:
    """Delete the briefs and digests older than ``days`` (regular files in ``out`` only); their
    articles stay done, so nothing is briefed again. How many were deleted."""
    cutoff = time.time() - days * 86400
    removed = 0
    for key, md_path in state.older_briefs(cutoff):
        for suffix in (".md", ".json", ".html"):
            path = Path(md_path).with_suffix(suffix)
            if path.parent == out / "briefs" and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
        state.forget_outputs(key)
        removed += 1
    for digest in [*out.glob("digest-*.md"), *out.glob("digest-*.html")]:
        if digest.is_file() and not digest.is_symlink() and digest.stat().st_mtime < cutoff:
            digest.unlink(missing_ok=True)
            removed += digest.suffix == ".md"
    return removed


def _remove_old_version(row: Any, md_path: Path, folder: Path) -> None:
    """The files of an article's earlier brief, when its new version was written under another name
    (its title changed): one brief per article, the latest."""
    old = Path(row.md_path) if row is not None and row.md_path else None
    if old is None or old == md_path or old.parent != folder:
        return
    for suffix in (".md", ".json", ".html"):
        path = old.with_suffix(suffix)
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


def _host(candidate: Candidate) -> str:
    try:
        return urlsplit(candidate.origin).hostname or ""
    except ValueError:
        return ""


def _record_failure(
    key: str,
    origin: str,
    exc: SummariserError,
    state: State,
    config: NightlyConfig,
    settings: Settings,
    report: RunReport,
    progress: Progress,
) -> None:
    error = strip_controls(redact(str(exc), (settings.api_key,)))  # a server may have echoed the key
    origin = strip_controls(origin)
    attempts = state.fail(key, error)
    report.failed += 1
    report.failures.append((origin, error))
    progress("failed", f"{origin}: {error} (attempt {attempts} of {config.max_failures})")


# A temp file older than this is a killed run's litter; a younger one may be another job's write,
# unless the process that wrote it (its pid is in its name) is gone.
_STALE_TEMP_SECONDS = 3600.0
_TEMP_PID = re.compile(r"\.(\d+)-[^.]+\.tmp$")


def _remove_stale_temps(folder: Path) -> None:
    if folder.is_dir():
        now = time.time()
        for temp in folder.glob(".*.tmp"):
            try:
                if now - temp.lstat().st_mtime > _STALE_TEMP_SECONDS or _writer_gone(temp.name):
                    temp.unlink(missing_ok=True)
            except OSError:
                continue


def _writer_gone(name: str) -> bool:
    """Whether the process whose pid a temp file's name holds no longer runs (on this machine)."""
    match = _TEMP_PID.search(name)
    if match is None or int(match.group(1)) == os.getpid():
        return False
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False  # alive under another user, or not a pid: left to the hour
    return False


def _write_outputs(folder: Path, stem: str, brief: Brief, article_text: str) -> tuple[Path, Path]:
    md_path = write_atomic(folder / f"{stem}.md", render_markdown(brief), follow_links=False)
    json_path = write_atomic(folder / f"{stem}.json", render_json(brief) + "\n", follow_links=False)
    write_atomic(folder / f"{stem}.html", render_html(brief, article_text), follow_links=False)
    return md_path, json_path


def _check_writable(out: Path) -> None:
    """Fail before any model call when the output folder cannot be written."""
    briefs = out / "briefs"
    if briefs.is_symlink():
        # A link planted in a shared output folder would carry every brief elsewhere.
        raise ConfigError(f"cannot write to output folder {out}: {briefs} is a symlink (the nightly follows none)")
    try:
        briefs.mkdir(parents=True, exist_ok=True)
        # mkstemp creates a new file (O_EXCL): it never opens what a planted link points at.
        fd, probe = tempfile.mkstemp(prefix=".write-check.", dir=briefs)
        os.close(fd)
        os.unlink(probe)
    except (OSError, SummariserError) as exc:
        raise ConfigError(f"cannot write to output folder {out}: {getattr(exc, 'strerror', None) or exc}") from exc


def _write_digest(config: NightlyConfig, report: RunReport, briefs: list[dict[str, Any]]) -> Path:
    today = dt.date.today().isoformat()
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for item in briefs:
        groups.setdefault(frozenset(normalise_name(p) for p in item["parties"]), []).append(item)
    lines = [f"# Nightly digest, {today} (run {report.run_id})", "", _counts(report), ""]
    for items in sorted(groups.values(), key=lambda g: " ".join(g[0]["parties"])):
        lines += [f"## {escape_markdown(' – '.join(items[0]['parties']) or 'Unknown parties')}", ""]
        for item in items:
            rel = (
                Path(item["md"]).relative_to(config.out) if Path(item["md"]).is_relative_to(config.out) else item["md"]
            )
            lines.append(
                f"- [{escape_markdown(item['title'] or Path(item['md']).stem)}]({rel}): {escape_markdown(item['summary'])}"
            )
        lines.append("")
    if report.failures:
        lines += ["## Failures", ""]
        lines += [f"- {escape_markdown(origin)}: {escape_markdown(error)}" for origin, error in report.failures]
        lines.append("")
    return write_atomic(config.out / digest_name(config, report.run_id, today), "\n".join(lines), follow_links=False)


_DELIVERY_KEYS = ("webhook", "mail_to", "mail_from", "smtp_host", "smtp_port", "smtp_user", "smtp_starttls")


def _sendable(briefs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The digest's briefs as a webhook receives them: title, parties, summary and file paths."""
    return [{"title": b["title"], "parties": b["parties"], "summary": b["summary"], "md": str(b["md"])} for b in briefs]


def _counts(report: RunReport) -> str:
    """The run in one line, as both digests give it."""
    return (
        f"{report.done} briefed · {report.skipped} not negotiations · {report.failed} failed · "
        f"{report.unchanged} already done · {report.parked} parked"
        + (f" · {report.filtered} filtered out" if report.filtered else "")
        + (f" · {report.deferred} left for the next night" if report.deferred else "")
    )


def digest_name(config: NightlyConfig, run_id: int, today: str) -> str:
    """The digest's file name: the date, the run, and (when the database is not the default one)
    a tag of the database, so two jobs with two databases never write one name."""
    tag = (
        ""
        if config.db == default_db_path()
        else "-" + hashlib.sha256(str(config.db.resolve()).encode()).hexdigest()[:6]
    )
    return f"digest-{today}-run{run_id}{tag}.md"


def run_nightly(
    config: NightlyConfig,
    settings: Settings,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RunReport:
    """Brief everything new since the last run; returns the run's report.

    >>> report = run_nightly(NightlyConfig(sources=("feeds.txt",)), load_settings())
    >>> report.failed
    0

    Raises ``ConfigError`` when another run holds the lock or the database
    cannot be opened; per-article failures are recorded, not raised.
    """
    report = RunReport()
    started = time.perf_counter()
    try:
        config.db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the folder of state database {config.db}: {exc.strerror or exc}") from exc
    # Keyed on the resolved path: through a symlink the same database is still one lock.
    lock = FileLock(str(config.db.resolve()) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise ConfigError(f"another nightly run is using {config.db} (lock held)") from exc
    except OSError as exc:
        raise ConfigError(f"cannot lock state database {config.db}: {exc.strerror or exc}") from exc
    try:
        asyncio.run(_run(config, settings, report, dry_run=dry_run, progress=progress or (lambda kind, detail: None)))
    finally:
        lock.release()
    _finalise(report, config, started)
    return report
