"""Failure shapes replayed from hand-written cassettes (cassettes/failures/, named failure_*).

These are not recordings: each was written by hand to prove one retry or error
path through the real openai -> instructor -> tenacity stack.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import vcr

from summariser import summarise
from summariser.config import Settings, load_settings
from summariser.errors import ModelCallError, ModelRefusalError

from .conftest import CASSETTES, devset_path

ARTICLE = devset_path("ceasefire_marenia")
replay = vcr.VCR(
    cassette_library_dir=str(Path(CASSETTES) / "failures"),
    record_mode="none",
    match_on=["method", "path"],
)


def settings(**extra: object) -> Settings:
    values: dict[str, object] = {
        "model": "llamacpp/handwritten",
        "base_url": "http://failure.test/v1",
        "max_attempts": 2,
        "items": "extract",
    }
    values.update(extra)
    return load_settings(trust_env=False, **values)


def test_429_with_retry_after() -> None:
    with replay.use_cassette("failure_429_retry_after.yaml") as cassette:
        started = time.monotonic()
        brief = summarise(ARTICLE, settings=settings())
        assert time.monotonic() - started >= 1.0
    assert cassette.play_count == 3 and brief.parties


def test_500_then_ok() -> None:
    with replay.use_cassette("failure_500_then_ok.yaml") as cassette:
        brief = summarise(ARTICLE, settings=settings())
    assert cassette.play_count == 4 and brief.meta.attempts == 2


def test_500_forever() -> None:
    with replay.use_cassette("failure_500_forever.yaml"):
        with pytest.raises(ModelCallError, match="failed after 3 requests: HTTP 500"):
            summarise(ARTICLE, settings=settings(transport_retries=2))


def test_truncated_json() -> None:
    with replay.use_cassette("failure_truncated_json.yaml"):
        with pytest.raises(ModelCallError, match="cut off at max_tokens"):
            summarise(ARTICLE, settings=settings())


def test_schema_invalid_then_reask() -> None:
    with replay.use_cassette("failure_schema_invalid.yaml") as cassette:
        brief = summarise(ARTICLE, settings=settings())
    assert cassette.play_count == 3
    assert brief.meta.attempts == 3 and brief.meta.usage.prompt_tokens == 300


def test_refusal() -> None:
    with replay.use_cassette("failure_refusal.yaml"):
        with pytest.raises(ModelRefusalError, match="the model refused"):
            summarise(ARTICLE, settings=settings())
