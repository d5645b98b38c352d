"""A disk cache of model answers for the training harness (SQLite), keyed by the whole request.

Greedy decoding gives the same answer to the same request, so a second cross-validation
run pays only for the questions it asks that the first did not. Seconds measured on a run
that read the cache are not the model's: time only a run with an empty cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion

from summariser.call import Provider


def cached_provider(provider: Provider, path: Path) -> tuple[Provider, dict[str, int]]:
    """``provider`` with its ``create`` answered from ``path`` when the same request was made before."""
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, response TEXT NOT NULL)")
    lock = threading.Lock()
    counts = {"hits": 0, "misses": 0}

    def create(**kwargs: Any) -> Any:
        request = {k: v for k, v in kwargs.items() if k != "timeout"}
        key = hashlib.sha256(json.dumps([provider.model, request], sort_keys=True, default=str).encode()).hexdigest()
        with lock:
            row = db.execute("SELECT response FROM answers WHERE key = ?", (key,)).fetchone()
        if row is not None:
            counts["hits"] += 1
            return ChatCompletion.model_validate_json(row[0])
        counts["misses"] += 1
        response = provider.create(**kwargs)
        with lock:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, response.model_dump_json()))
            db.commit()
        return response

    def close() -> None:
        db.close()
        provider.close()

    return dataclasses.replace(provider, create=create, close=close), counts
