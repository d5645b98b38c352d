"""Nightly state in SQLite: one row per article, one row per run.

Article rows are keyed by canonical URL or content hash and move through
pending -> done | failed | skipped. Every change is committed at once, so a
killed run loses at most the article in flight, which the next run resumes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summariser.errors import ConfigError

__all__ = ["ArticleRow", "State"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    title TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    model TEXT,
    prompt_version TEXT,
    content_hash TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    md_path TEXT,
    json_path TEXT,
    parties TEXT,
    summary TEXT,
    digest_run INTEGER,
    run_id INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    finished_at REAL,
    report TEXT
);
"""


@dataclass
class ArticleRow:
    key: str
    origin: str
    status: str
    attempts: int
    last_error: str | None
    model: str | None
    prompt_version: str | None
    content_hash: str | None
    md_path: str | None
    json_path: str | None


def _parties(stored: str | None) -> list[str]:
    """The parties of a brief, as the state stores them (", "-joined)."""
    return [p for p in (stored or "").split(", ") if p]


# Marks a database as ours ("SUMM"); one we did not create is never written to.
APPLICATION_ID = 0x53554D4D
_COLUMNS = {"summary": "TEXT", "digest_run": "INTEGER", "source_name": "TEXT"}


def _check_existing(path: Path) -> None:
    """Refuse, without writing, a file that is not a summariser state database."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise ConfigError(f"cannot read state database {path}: {exc.strerror or exc}") from exc
    if not header:
        return  # an empty file: SQLite makes it a new database
    if header != b"SQLite format 3\x00":
        raise ConfigError(f"{path} is not an SQLite database (damaged, or another file): use another --db")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ConfigError(f"state database {path} is damaged ({exc}): move it away or use another --db") from exc
    ours = app_id == APPLICATION_ID or (app_id == 0 and {"articles", "runs"} <= tables)
    if tables and not ours:
        raise ConfigError(f"{path} is a database of another program, not a summariser state: use another --db")


# How long a state write waits for another process's lock (a VACUUM, an open sqlite3 shell) in all.
LOCK_PATIENCE = 300.0


class State:
    """The SQLite database of a nightly job. One connection, used from one thread.

    A write that finds the database locked is retried with backoff for ``LOCK_PATIENCE``
    seconds; after that, or on a full disk, it raises one ``ConfigError`` line and the
    run stops where the next one resumes.
    """

    def __init__(self, path: Path, *, lock_patience: float = LOCK_PATIENCE) -> None:
        self.lock_patience = lock_patience
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create the folder of state database {path}: {exc.strerror or exc}") from exc
        if path.exists():
            _check_existing(path)
        try:
            self.path = path
            self.db = sqlite3.connect(str(path), isolation_level=None, timeout=min(5.0, lock_patience))
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            present = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
            for column, kind in _COLUMNS.items():
                if column not in present:
                    self.db.execute(f"ALTER TABLE articles ADD COLUMN {column} {kind}")
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open state database {path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def _write(self, sql: str, params: Any = (), *, many: bool = False) -> sqlite3.Cursor:
        give_up, pause = time.monotonic() + self.lock_patience, 0.2
        while True:
            try:
                return self.db.executemany(sql, params) if many else self.db.execute(sql, params)
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" in text or "busy" in text) and time.monotonic() < give_up:
                    time.sleep(pause)
                    pause = min(pause * 2, 10.0)
                    continue
                raise ConfigError(f"cannot write state database {self.path}: {exc}; the next run resumes") from exc
            except sqlite3.Error as exc:
                raise ConfigError(f"cannot write state database {self.path}: {exc}; the next run resumes") from exc

    def get(self, key: str) -> ArticleRow | None:
        row = self.db.execute(
            "SELECT key, origin, status, attempts, last_error, model, prompt_version, content_hash, md_path, json_path "
            "FROM articles WHERE key = ?",
            (key,),
        ).fetchone()
        return ArticleRow(*row) if row else None

    def adopt(self, old_key: str | None, key: str, *, write: bool = True) -> ArticleRow | None:
        """The row an article had under ``old_key``, moved to ``key`` (only read when not ``write``):
        a database written when folder files were keyed by their content keeps their state, so
        nothing is briefed twice on upgrade."""
        old = self.get(old_key) if old_key and old_key != key else None
        if old is None or not write:
            return old
        self._write("UPDATE articles SET key = ? WHERE key = ?", (key, old_key))
        return self.get(key)

    def mark_pending(self, articles: list[tuple[str, str]], run_id: int) -> None:
        """The run's articles, each (key, origin), pending: one statement for them all."""
        now = time.time()
        self._write(
            "INSERT INTO articles (key, origin, status, created_at, updated_at, run_id) VALUES (?, ?, 'pending', ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET status = 'pending', origin = excluded.origin, updated_at = excluded.updated_at, "
            "run_id = excluded.run_id, digest_run = NULL",  # a new version of a brief is in the next digest
            [(key, origin, now, now, run_id) for key, origin in articles],
            many=True,
        )

    def finish(self, key: str, status: str, **fields: Any) -> None:
        fields = {**fields, "status": status, "updated_at": time.time()}
        columns = ", ".join(f"{name} = ?" for name in fields)
        self._write(f"UPDATE articles SET {columns} WHERE key = ?", (*fields.values(), key))

    def fail(self, key: str, error: str) -> int:
        self._write(
            "UPDATE articles SET status = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE key = ?",
            (error, time.time(), key),
        )
        row = self.db.execute("SELECT attempts FROM articles WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def undigested(self) -> list[dict[str, Any]]:
        """Briefs done but in no digest yet, this run's and those of runs that were killed."""
        cursor = self.db.execute(
            "SELECT key, title, parties, md_path, summary FROM articles "
            "WHERE status = 'done' AND digest_run IS NULL ORDER BY updated_at"
        )
        return [
            {
                "key": k,
                "title": t or "",
                "parties": _parties(ps),
                "md": md,
                "summary": s or "",
            }
            for k, t, ps, md, s in cursor.fetchall()
        ]

    def mark_digested(self, keys: list[str], run_id: int) -> None:
        self._write("UPDATE articles SET digest_run = ? WHERE key = ?", [(run_id, k) for k in keys], many=True)

    def counts(self) -> dict[str, int]:
        """How many articles are in each status."""
        return dict(self.db.execute("SELECT status, COUNT(*) FROM articles GROUP BY status").fetchall())

    def failures(self) -> list[tuple[str, int, str]]:
        """Each failed article: its origin, attempts and last error, the latest first."""
        cursor = self.db.execute(
            "SELECT origin, attempts, COALESCE(last_error, '') FROM articles WHERE status = 'failed' "
            "ORDER BY updated_at DESC"
        )
        return [(origin, int(attempts), error) for origin, attempts, error in cursor.fetchall()]

    def runs(self, last: int = 5) -> list[tuple[int, float, float | None, dict[str, Any]]]:
        """The latest runs: id, start, end (None: killed or running) and report."""
        cursor = self.db.execute(
            "SELECT id, started_at, finished_at, report FROM runs ORDER BY id DESC LIMIT ?", (last,)
        )
        return [(int(i), start, end, json.loads(report) if report else {}) for i, start, end, report in cursor]

    def retry(self, origins: list[str] | None = None) -> int:
        """Give failed (and parked) articles their attempts back, all or those of ``origins``, so the
        next run briefs them again; how many."""
        if origins is None:
            cursor = self._write("UPDATE articles SET attempts = 0 WHERE status = 'failed'")
        else:
            cursor = self._write(
                "UPDATE articles SET attempts = 0 WHERE status = 'failed' AND origin = ?",
                [(o,) for o in origins],
                many=True,
            )
        return int(cursor.rowcount)

    def judged(self) -> list[dict[str, Any]]:
        """Every article briefed or judged not a negotiation, the latest first."""
        cursor = self.db.execute(
            "SELECT origin, title, parties, summary, md_path, status, updated_at, source_name, last_error FROM articles "
            "WHERE status IN ('done', 'skipped') ORDER BY updated_at DESC"
        )
        return [
            {
                "origin": o,
                "title": t or "",
                "parties": _parties(ps),
                "summary": s or "",
                "md": md,
                "status": st,
                "updated_at": at,
                "source_name": name,
                "note": error if st == "skipped" and (error or "").startswith("filtered:") else "not a negotiation",
            }
            for o, t, ps, s, md, st, at, name, error in cursor.fetchall()
        ]

    def older_briefs(self, cutoff: float) -> list[tuple[str, str]]:
        """(key, brief path) of the briefs written before ``cutoff`` (a timestamp) that still have files."""
        cursor = self.db.execute(
            "SELECT key, md_path FROM articles WHERE status = 'done' AND md_path IS NOT NULL AND updated_at < ?",
            (cutoff,),
        )
        return [(k, p) for k, p in cursor.fetchall()]

    def forget_outputs(self, key: str) -> None:
        """An article whose brief files were deleted: still done, with no files."""
        self._write("UPDATE articles SET md_path = NULL, json_path = NULL WHERE key = ?", (key,))

    def start_run(self) -> int:
        cursor = self._write("INSERT INTO runs (started_at) VALUES (?)", (time.time(),))
        return int(cursor.lastrowid or 0)

    def end_run(self, run_id: int, report: dict[str, Any]) -> None:
        self._write(
            "UPDATE runs SET finished_at = ?, report = ? WHERE id = ?", (time.time(), json.dumps(report), run_id)
        )
