"""Retry, timeout, truncation, refusal and re-ask paths against a real HTTP server on localhost.

The openai -> instructor -> tenacity stack runs for real; only the server's
answers are scripted.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from summariser import summarise
from summariser.config import load_settings
from summariser.errors import ConfigError, ModelCallError, ModelRefusalError

from .conftest import completion, devset_path
from .payloads import ITEMS, ITEMS_JSON, SIDES_JSON

ARTICLE = devset_path("ceasefire_marenia")


def settings_for(server: Any, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "model": "llamacpp/test",
        "base_url": server.base_url,
        "max_attempts": 2,
        "transport_retries": 3,
        # These tests script the structured step 2; tests/test_statements.py covers the questions.
        "items": "extract",
    }
    values.update(overrides)
    return load_settings(trust_env=False, **values)


def is_step2(body: dict[str, Any]) -> bool:
    return "Step 2" in body["messages"][-1]["content"] or any(
        "Step 2" in str(m.get("content")) for m in body["messages"]
    )


def good(body: dict[str, Any]) -> dict[str, Any]:
    return completion(ITEMS_JSON if is_step2(body) else SIDES_JSON)


def test_happy_path_two_steps_and_schema_in_json_object(model_server: Any) -> None:
    model_server.respond = lambda body, n: (200, {}, good(body), 0.0)
    brief = summarise(ARTICLE, settings=settings_for(model_server))
    assert [p.name for p in brief.parties] == ["Marenia", "Dostrak Liberation Front"]
    assert brief.meta.attempts == 2
    assert brief.meta.usage.prompt_tokens == 200 and brief.meta.usage.completion_tokens == 100
    first = model_server.requests[0]
    # llama.cpp servers get the schema inside json_object, which they enforce with a grammar.
    assert first["response_format"]["type"] == "json_object"
    assert "parties" in first["response_format"]["schema"]["properties"]
    assert first["temperature"] == 0.0
    step2_schema = json.dumps(model_server.requests[1]["response_format"]["schema"])
    assert '"enum": ["Marenia", "Dostrak Liberation Front"]' in step2_schema


def test_429_with_retry_after_is_honoured(model_server: Any) -> None:
    def respond(body: dict[str, Any], n: int) -> Any:
        if n == 1:
            return 429, {"retry-after": "1"}, {"error": {"message": "slow down"}}, 0.0
        return 200, {}, good(body), 0.0

    model_server.respond = respond
    started = time.monotonic()
    brief = summarise(ARTICLE, settings=settings_for(model_server))
    assert time.monotonic() - started >= 1.0
    assert len(model_server.requests) == 3 and brief.parties


def test_500_is_retried_then_succeeds(model_server: Any) -> None:
    model_server.respond = lambda body, n: (
        (500, {}, {"error": {"message": "boom"}}, 0.0) if n <= 2 else (200, {}, good(body), 0.0)
    )
    brief = summarise(ARTICLE, settings=settings_for(model_server))
    assert brief.meta.attempts == 2 and len(model_server.requests) == 4


def test_500_forever_gives_one_clear_error(model_server: Any) -> None:
    model_server.respond = lambda body, n: (503, {"retry-after": "0"}, {"error": {"message": "down"}}, 0.0)
    with pytest.raises(ModelCallError, match=r"model server failed after 3 requests: HTTP 503"):
        summarise(ARTICLE, settings=settings_for(model_server, transport_retries=2))
    assert len(model_server.requests) == 3


def test_timeout_is_retried_then_reported(model_server: Any) -> None:
    model_server.respond = lambda body, n: (200, {}, good(body), 1.5)
    with pytest.raises(ModelCallError, match="request timed out"):
        summarise(ARTICLE, settings=settings_for(model_server, timeout=0.3, transport_retries=1, retry_deadline=5))
    assert len(model_server.requests) == 2


def test_truncated_output_is_a_specific_error(model_server: Any) -> None:
    model_server.respond = lambda body, n: (200, {}, completion(SIDES_JSON[:80], finish_reason="length"), 0.0)
    with pytest.raises(ModelCallError, match="cut off at max_tokens=1536; raise --max-tokens"):
        summarise(ARTICLE, settings=settings_for(model_server))


def test_refusal_is_a_specific_error(model_server: Any) -> None:
    model_server.respond = lambda body, n: (200, {}, completion("", refusal="I can't help with that."), 0.0)
    with pytest.raises(ModelRefusalError, match="the model refused: I can't help with that."):
        summarise(ARTICLE, settings=settings_for(model_server))


def test_bad_key_is_a_config_error(model_server: Any) -> None:
    model_server.respond = lambda body, n: (401, {}, {"error": {"message": "bad key"}}, 0.0)
    with pytest.raises(ConfigError, match="rejected the API key"):
        summarise(ARTICLE, settings=settings_for(model_server))


def test_schema_invalid_output_is_reasked_and_usage_summed(model_server: Any) -> None:
    def respond(body: dict[str, Any], n: int) -> Any:
        if n == 1:
            return 200, {}, completion('{"is_negotiation": true, "parties": "Marenia"}', prompt_tokens=70), 0.0
        return 200, {}, good(body), 0.0

    model_server.respond = respond
    brief = summarise(ARTICLE, settings=settings_for(model_server))
    assert brief.meta.attempts == 3
    assert brief.meta.usage.prompt_tokens == 70 + 100 + 100
    reask = model_server.requests[1]["messages"]
    assert len(reask) > len(model_server.requests[0]["messages"])
    assert "parties" in json.dumps(reask[-1])


def test_grounding_failure_is_reasked_then_dropped(model_server: Any) -> None:
    bad_items = json.loads(ITEMS_JSON)
    bad_items["positions"].append({"party": "Marenia", "stance": "Lower taxes on imported cheese.", "sentence": 99})
    model_server.respond = lambda body, n: (
        200,
        {},
        completion(json.dumps(bad_items) if is_step2(body) else SIDES_JSON),
        0.0,
    )
    brief = summarise(ARTICLE, settings=settings_for(model_server, max_attempts=2))
    assert brief.meta.attempts == 3  # one for step 1, two for step 2
    assert len(brief.positions) == len(ITEMS["positions"])
    assert any("outside" in d.reason for d in brief.meta.dropped)


def test_unusable_output_after_all_attempts(model_server: Any) -> None:
    model_server.respond = lambda body, n: (200, {}, completion("I think the parties are Marenia and the Front."), 0.0)
    from summariser.errors import BriefValidationError

    with pytest.raises(BriefValidationError, match="not a valid brief after 2 attempts"):
        summarise(ARTICLE, settings=settings_for(model_server))


def test_non_negotiation_skips_step_two(model_server: Any) -> None:
    answer = json.dumps(
        {"is_negotiation": False, "summary": "The union held a picnic.", "parties": [], "mediators": []}
    )
    model_server.respond = lambda body, n: (200, {}, completion(answer), 0.0)
    from summariser.load import Article

    article = Article(text="The dockworkers' union held its annual picnic on Sunday. Talks were about barbecue.")
    brief = summarise(article, settings=settings_for(model_server))
    assert brief.is_negotiation is False and brief.parties == [] and len(model_server.requests) == 1
    assert brief.summary == "The union held a picnic."


GERMAN_SIDES = json.dumps(
    {
        "is_negotiation": True,
        "summary": "Die Gewerkschaft Hafen und Logistik und der Arbeitgeberverband Nordhafen verhandeln.",
        "parties": [
            {"name": "Gewerkschaft Hafen und Logistik", "aliases": [], "representatives": []},
            {"name": "Arbeitgeberverband Nordhafen", "aliases": [], "representatives": []},
        ],
        "mediators": [],
    }
)


@pytest.mark.parametrize("other_languages", ["sides", "ask"])
def test_an_article_not_in_english_is_briefed_without_items_when_so_configured(
    model_server: Any, other_languages: str
) -> None:
    """With "sides", step 1 only, and the brief and its Markdown and review page say the items were not
    asked for (not "None found"); with "ask", the questions of step 2 go out as before."""
    from summariser.schemas import items_not_asked

    from summariser.html import render_html
    from summariser.load import load_article
    from summariser.render import render_markdown

    def answer(body: dict[str, Any], n: int) -> tuple[int, dict[str, str], dict[str, Any], float]:
        step1 = "mediators" in json.dumps(body.get("response_format", {}))
        return 200, {}, completion(GERMAN_SIDES if step1 else '"none"'), 0.0

    model_server.respond = answer
    settings = settings_for(model_server, items="questions", other_languages=other_languages, max_attempts=1)
    brief = summarise(devset_path("wire_de_tarif"), settings=settings)
    assert [p.name for p in brief.parties][:2] == ["Gewerkschaft Hafen und Logistik", "Arbeitgeberverband Nordhafen"]
    if other_languages == "ask":
        assert len(model_server.requests) > 1 and items_not_asked(brief) is None
        return
    assert len(model_server.requests) == 1
    assert brief.positions == brief.proposals == brief.next_steps == []
    assert "not in English" in (items_not_asked(brief) or "")
    markdown = render_markdown(brief)
    assert markdown.count("_Positions, proposals and next steps were not asked for: the article is not in English") == 3
    assert "dropped by validation" not in markdown
    assert "None found" not in markdown.split("## Positions")[1]
    page = render_html(brief, load_article(devset_path("wire_de_tarif")).text)
    # In each of the three empty sections, not again among the items the checks dropped.
    assert page.count("Positions, proposals and next steps were not asked for") == 3


def test_the_cli_says_the_items_of_an_article_not_in_english_were_not_asked(
    model_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`summarise brief -v` lists the note as not asked, not as an item the checks dropped."""
    from typer.testing import CliRunner

    from summariser.cli import app

    model_server.respond = lambda body, n: (200, {}, completion(GERMAN_SIDES), 0.0)
    for key, value in {"MODEL": "llamacpp/test", "BASE_URL": model_server.base_url, "OTHER_LANGUAGES": "sides"}.items():
        monkeypatch.setenv(f"SUMMARISER_{key}", value)
    result = CliRunner().invoke(app, ["brief", devset_path("wire_de_tarif"), "-v"])
    assert result.exit_code == 0, result.output
    assert "not asked: Positions, proposals and next steps were not asked for" in result.stderr
    assert "dropped items" not in result.stderr and len(model_server.requests) == 1


def test_article_without_negotiation_words_is_not_sent(model_server: Any) -> None:
    brief = summarise(devset_path("nonneg_floods"), settings=settings_for(model_server))
    assert brief.is_negotiation is False and brief.meta.attempts == 0 and model_server.requests == []


def test_a_response_model_is_wrapped_once_with_instructors_own_schema() -> None:
    """schema_class gives what instructor would send (name, docstring, JSON schema), made once;
    the kept schema is a copy each time, so a caller editing it changes nothing."""
    from instructor.v2.core.function_calls import response_schema
    from summariser.schemas import Items, Sides, items_model

    from summariser.call import schema_class

    wrapped = schema_class(Sides)
    assert schema_class(Sides) is wrapped and issubclass(wrapped, Sides)
    assert wrapped.model_json_schema() == response_schema(Sides).model_json_schema()
    wrapped.model_json_schema()["title"] = "changed"
    assert wrapped.model_json_schema()["title"] == "Sides"
    narrowed = items_model(["Union", "Company"], ["Union", "Company"], 5, base=schema_class(Items))
    assert schema_class(narrowed) is narrowed
    plain = items_model(["Union", "Company"], ["Union", "Company"], 5)
    assert narrowed.model_json_schema() == response_schema(plain).model_json_schema()


def test_a_narrowed_items_class_is_made_once_for_each_shape() -> None:
    """The same names, length and cited sentences give the same class; any difference, another."""
    from summariser.schemas import items_model

    one = items_model(["Union", "Company"], ["Union", "Company"], 5, offer_sentences=[3, 2])
    assert items_model(["Union", "Company"], ["Union", "Company"], 5, offer_sentences=(2, 3)) is one
    assert items_model(["Union", "Company"], ["Union", "Company"], 6, offer_sentences=[2, 3]) is not one
    assert items_model(["Union", "Board"], ["Union", "Board"], 5, offer_sentences=[2, 3]) is not one
    free = items_model(["Union", "Company"], ["Union"], 5, narrow_names=False)
    assert items_model(["Port", "City"], ["Port"], 5, narrow_names=False) is free
    assert (
        free.model_validate_json(
            '{"positions": [{"party": "Anyone", "stance": "s", "sentence": 5}], "proposals": [], "next_steps": []}'
        )
        .positions[0]
        .party
        == "Anyone"
    )
    with pytest.raises(ValueError):
        one.model_validate_json(
            '{"positions": [{"party": "Board", "stance": "s", "sentence": 1}], "proposals": [], "next_steps": []}'
        )


def test_instructors_async_validator_scan_runs_once_for_our_classes_and_still_refuses() -> None:
    """The scan passes each of our schema classes once; one with an async validator is refused
    every time, and a model of anyone else's is scanned on every call as before."""
    from instructor.v2.core import patch
    from instructor.v2.validation import async_validators
    from instructor.v2.validation.async_validators import async_field_validator
    from pydantic import BaseModel

    from summariser.call import _SCANNED, schema_class

    class Fine(BaseModel):
        text: str

    class Awaits(BaseModel):
        text: str

        @async_field_validator("text")
        async def check(self, value: str) -> str:  # pragma: no cover - never run
            return value

    scan = async_validators.reject_async_validators
    assert patch.reject_async_validators.__wrapped__ is scan.__wrapped__  # both names replaced
    ours = schema_class(Fine)
    scan(ours)
    assert ours in _SCANNED
    for _ in range(2):
        with pytest.raises(ValueError, match="async validators"):
            scan(schema_class(Awaits))
        with pytest.raises(ValueError, match="async validators"):
            scan(Awaits)
    assert schema_class(Awaits) not in _SCANNED and Fine not in _SCANNED
    scan(Fine)
    assert Fine not in _SCANNED


@pytest.mark.parametrize("model", ["llamacpp/test", "openai/test"])
def test_schemas_passed_as_sent_give_the_sdks_own_request_body(model_server: Any, model: str) -> None:
    """The provider hands the schemas to the SDK untransformed (extra_body): the server gets the
    body a bare ``openai.OpenAI`` client sends for the same call, key for key."""
    import openai

    from summariser.call import resolve_provider

    model_server.respond = lambda body, n: (200, {}, good(body), 0.0)
    settings = settings_for(model_server, model=model, mode="tools" if model.startswith("openai") else None)
    summarise(ARTICLE, settings=settings)
    sent = model_server.requests[:2]
    if model.startswith("openai"):
        assert "parties" in sent[0]["tools"][0]["function"]["parameters"]["properties"]
    else:
        assert "parties" in sent[0]["response_format"]["schema"]["properties"]
    bare = openai.OpenAI(api_key="not-needed", base_url=model_server.base_url, max_retries=0)
    for body in sent:
        model_server.requests.clear()
        bare.chat.completions.create(**body)
        assert model_server.requests[0] == body
    provider = resolve_provider(settings)
    model_server.requests.clear()
    provider.create(**sent[1], extra_body={"cache_prompt": True})
    assert model_server.requests[0] == {**sent[1], "cache_prompt": True}
    provider.close()
