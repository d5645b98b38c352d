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


def test_a_service_can_refuse_files_and_private_addresses(model_server: Any, httpserver: Any) -> None:
    serve_good(model_server)
    text = (DEVSET / "ceasefire_marenia.txt").read_text(encoding="utf-8")
    httpserver.expect_request("/story").respond_with_data(text, content_type="text/plain")
    settings = load_settings(trust_env=False, model="llamacpp/test", base_url=model_server.base_url)
    # From code a URL may not reach a private or loopback address unless allowed.
    with pytest.raises(InputError, match="private or loopback"):
        summarise(httpserver.url_for("/story"), settings=settings)
    assert summarise(httpserver.url_for("/story"), settings=settings.model_copy(update={"allow_private": True}))
    # With files off, a path is never read, whatever it names.
    no_files = settings.model_copy(update={"allow_files": False})
    with pytest.raises(InputError, match="reading local files is off"):
        summarise(str(DEVSET / "ceasefire_marenia.txt"), settings=no_files)
    with pytest.raises(InputError, match="reading local files is off"):
        summarise("/etc/passwd", settings=no_files)
    assert summarise(text=text, settings=no_files).is_negotiation
    assert load_settings(environ={"SUMMARISER_ALLOW_FILES": "false"}).allow_files is False


def test_asummarise_runs_an_async_clients_requests_on_the_callers_loop(model_server: Any) -> None:
    import asyncio

    import openai

    from summariser import asummarise
    from summariser.errors import ConfigError

    serve_good(model_server)
    text = (DEVSET / "ceasefire_marenia.txt").read_text(encoding="utf-8")
    settings = load_settings(trust_env=False, model="llamacpp/test", base_url=model_server.base_url)

    async def night() -> list[Any]:
        async with openai.AsyncOpenAI(base_url=model_server.base_url, api_key="x", max_retries=0) as client:
            return await asyncio.gather(*(asummarise(text=text, settings=settings, client=client) for _ in range(3)))

    briefs = asyncio.run(night())
    assert len(briefs) == 3 and all(b.is_negotiation and b.parties for b in briefs)
    assert briefs[0].model_dump(exclude={"meta"}) == briefs[2].model_dump(exclude={"meta"})
    with pytest.raises(ConfigError, match="needs asummarise"):
        summarise(text=text, settings=settings, client=openai.AsyncOpenAI(base_url=model_server.base_url, api_key="x"))


def test_article_text_that_looks_like_a_template_reaches_the_model_unchanged(model_server: Any) -> None:
    # instructor renders messages as Jinja templates when given a context: the grounding check
    # must not travel that way, or "{{ 7*7 }}" would reach the model as "49".
    serve_good(model_server)
    text = (
        (DEVSET / "ceasefire_marenia.txt")
        .read_text(encoding="utf-8")
        .replace("\n\n", "\n\nThe envoy wrote {{ 7*7 }} and {% if x %}left{% endif %} on the board.\n\n", 1)
    )
    settings = load_settings(trust_env=False, model="llamacpp/test", base_url=model_server.base_url)
    brief = summarise(text=text, settings=settings)
    sent = [m["content"] for body in model_server.requests for m in body["messages"] if isinstance(m["content"], str)]
    assert any("{{ 7*7 }} and {% if x %}left{% endif %}" in content for content in sent)
    assert not any("wrote 49 and" in content for content in sent)
    assert brief.parties  # the grounding check still ran: every party is named in the article
