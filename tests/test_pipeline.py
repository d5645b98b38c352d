"""summarise() as a library: text in, every failure a SummariserError."""

from __future__ import annotations

from typing import Any

import pytest

from summariser import InputError, __version__, render_html, summarise
from summariser.config import load_settings

from .conftest import DEVSET
from .test_cli import serve_good


def test_article_text_is_briefed_as_text_never_as_a_path(model_server: Any) -> None:
    serve_good(model_server)
    settings = load_settings(trust_env=False, model="llamacpp/test", base_url=model_server.base_url)
    text = (DEVSET / "ceasefire_marenia.txt").read_text(encoding="utf-8")
    brief = summarise(text=text, settings=settings)
    assert brief.is_negotiation and brief.source is None
    assert "<html" in render_html(brief, text).lower() and __version__


def test_a_whole_article_given_as_a_path_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="pass it as text="):
        summarise("Talks resumed on Monday between the union and the board. " * 30)
    with pytest.raises(InputError, match="one of a source"):
        summarise()
