from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summariser.config import DEFAULT_OPENAI_MODEL, load_settings
from summariser.errors import ConfigError


def test_defaults_without_key_are_local() -> None:
    settings = load_settings()
    assert settings.model == "local" and settings.provider == "local"


def test_key_without_model_picks_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = load_settings()
    assert settings.model == DEFAULT_OPENAI_MODEL and settings.api_key == "sk-test"
    assert "sk-test" not in repr(settings)


def test_precedence_flag_over_env_over_toml_over_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('model = "ollama/from-toml"\nmax_attempts = 4\nmax_tokens = 900\n')
    monkeypatch.setenv("SUMMARISER_CONFIG", str(config))
    settings = load_settings()
    assert (settings.model, settings.max_attempts, settings.max_tokens) == ("ollama/from-toml", 4, 900)
    monkeypatch.setenv("SUMMARISER_MODEL", "vllm/from-env")
    monkeypatch.setenv("SUMMARISER_MAX_ATTEMPTS", "3")
    settings = load_settings()
    assert (settings.model, settings.max_attempts, settings.max_tokens) == ("vllm/from-env", 3, 900)
    settings = load_settings(model="openai/from-flag", max_attempts=None)
    assert (settings.model, settings.max_attempts) == ("openai/from-flag", 3)


def test_default_config_file_in_user_config_dir(tmp_path: Path) -> None:
    path = tmp_path / "config" / "summariser" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[summariser]\nmodel = "ollama/qwen2.5:7b"\n')
    assert load_settings().model == "ollama/qwen2.5:7b"
    assert load_settings(trust_env=False).model == "local"


def test_summariser_base_url_beats_openai_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://a/v1")
    assert load_settings().base_url == "http://a/v1"
    monkeypatch.setenv("SUMMARISER_BASE_URL", "http://b/v1")
    assert load_settings().base_url == "http://b/v1"


def test_bad_values_are_one_line_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARISER_MAX_ATTEMPTS", "many")
    with pytest.raises(ConfigError, match="max_attempts .*must be a number"):
        load_settings()
    monkeypatch.delenv("SUMMARISER_MAX_ATTEMPTS")
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(config=tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("model = ")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(config=bad)
    with pytest.raises(ConfigError, match="max_attempts: Input should be greater than or equal to 1"):
        load_settings(max_attempts=0)


def test_provider_and_model_name() -> None:
    assert load_settings(model="ollama/qwen2.5:7b").model_name == "qwen2.5:7b"
    assert load_settings(model="local:/m/x.gguf").model_name == "/m/x.gguf"
    assert load_settings(model="gpt-4.1-mini").provider == "openai"


@pytest.mark.parametrize(
    ("values", "decides", "items", "negotiation", "limits"),
    [
        ({"model": "local"}, "rules", "questions", "fitted", (8, 6, 4)),
        ({"model": "ollama/qwen2.5:7b"}, "rules", "questions", "words", (8, 6, 4)),
        ({"model": "llamacpp/qwen"}, "rules", "questions", "words", (8, 6, 4)),
        ({"model": "openai/gpt-4.1-mini"}, "model", "extract", "model", (40, 40, 40)),
        ({"model": "vllm/Qwen2.5-72B"}, "model", "extract", "model", (40, 40, 40)),
        ({"model": "local", "trust": "model"}, "model", "extract", "model", (40, 40, 40)),
        ({"model": "openai/gpt-4.1", "trust": "rules"}, "rules", "questions", "words", (8, 6, 4)),
        (
            {"model": "openai/gpt-4.1", "items": "questions", "negotiation": "words"},
            "model",
            "questions",
            "words",
            (40,) * 3,
        ),
        ({"model": "local", "max_items": 12}, "rules", "questions", "fitted", (12, 12, 12)),
        ({"model": "local", "negotiation": "words"}, "rules", "questions", "words", (8, 6, 4)),
        ({"model": "local:/models/other.gguf"}, "rules", "questions", "words", (8, 6, 4)),
    ],
    ids=[
        "local",
        "ollama",
        "llamacpp",
        "openai",
        "vllm",
        "local-model",
        "openai-rules",
        "explicit",
        "max-items",
        "local-words",
        "own-gguf",
    ],
)
def test_who_decides_by_provider_and_what_follows(
    values: dict[str, Any], decides: str, items: str, negotiation: str, limits: tuple[int, int, int]
) -> None:
    settings = load_settings(trust_env=False, **values)
    assert (settings.decides, settings.item_mode, settings.negotiation_mode, settings.item_limits) == (
        decides,
        items,
        negotiation,
        limits,
    )
    assert settings.word_gate == (negotiation == "words")


def test_a_misspelt_trust_is_named() -> None:
    with pytest.raises(ConfigError, match="trust"):
        load_settings(trust_env=False, trust="modle")


@pytest.mark.parametrize(
    ("values", "attempts"),
    [
        ({"model": "local"}, 1),  # the embedded model's step-1 re-asks never passed (report 23)
        ({"model": "local", "trust": "model"}, 2),
        ({"model": "llamacpp/qwen"}, 2),
        ({"model": "openai/gpt-4.1-mini"}, 2),
        ({"model": "local", "max_attempts": 3}, 3),
        ({"model": "local:/models/other.gguf"}, 2),  # another GGUF: the measurement says nothing of it
    ],
)
def test_completions_a_call_may_take_by_model(values: dict[str, Any], attempts: int) -> None:
    assert load_settings(trust_env=False, **values).attempts == attempts


@pytest.mark.parametrize(
    ("values", "asked"),
    [
        ({"model": "local"}, False),  # the embedded model's items in German were 4 of 48 right (report 24)
        ({"model": "local", "trust": "model"}, True),
        ({"model": "local:/models/other.gguf"}, True),
        ({"model": "llamacpp/qwen"}, True),
        ({"model": "openai/gpt-4.1-mini"}, True),
        ({"model": "local", "other_languages": "ask"}, True),
        ({"model": "openai/gpt-4.1-mini", "other_languages": "sides"}, False),
    ],
)
def test_items_of_other_languages_by_model(values: dict[str, Any], asked: bool) -> None:
    assert load_settings(trust_env=False, **values).other_language_items is asked


def test_other_languages_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARISER_OTHER_LANGUAGES", "sides")
    assert load_settings(model="openai/gpt-4.1-mini").other_language_items is False
    monkeypatch.setenv("SUMMARISER_OTHER_LANGUAGES", "some")
    with pytest.raises(ConfigError, match="other_languages"):
        load_settings(model="openai/gpt-4.1-mini")
