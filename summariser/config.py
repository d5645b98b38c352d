"""Settings: the only place that reads the environment or a TOML file.

Precedence, highest first: explicit values (CLI flags, API keywords) >
``SUMMARISER_*`` environment variables > the TOML file (``--config``, else
``SUMMARISER_CONFIG``, else ``<user config dir>/summariser/config.toml``) >
defaults in code. Secrets come only from the environment.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from summariser.errors import ConfigError
from summariser.local import names_a_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_OPENAI_MODEL",
    "Settings",
    "load_settings",
    "explain_settings",
    "load_toml",
    "default_config_path",
    "debug_enabled",
    "load_nightly_table",
]

DEFAULT_MODEL = "local"
DEFAULT_OPENAI_MODEL = "openai/gpt-4.1-mini"

# Environment variable -> settings field. OPENAI_BASE_URL is honoured as the
# OpenAI SDK itself honours it.
_ENV: dict[str, str] = {
    "SUMMARISER_MODEL": "model",
    "SUMMARISER_BASE_URL": "base_url",
    "OPENAI_BASE_URL": "base_url",
    "SUMMARISER_MAX_ATTEMPTS": "max_attempts",
    "SUMMARISER_MAX_TOKENS": "max_tokens",
    "SUMMARISER_TIMEOUT": "timeout",
    "SUMMARISER_TRANSPORT_RETRIES": "transport_retries",
    "SUMMARISER_N_CTX": "n_ctx",
    "SUMMARISER_THREADS": "n_threads",
    "SUMMARISER_CACHE_DIR": "cache_dir",
    "SUMMARISER_MODE": "mode",
    "SUMMARISER_ITEMS": "items",
    "SUMMARISER_MAX_QUESTIONS": "max_questions",
    "SUMMARISER_ARTICLE_TIMEOUT": "article_timeout",
    "SUMMARISER_TOKEN_BUDGET": "token_budget",
    "SUMMARISER_MAX_INPUT_TOKENS": "max_input_tokens",
    "SUMMARISER_KINDS": "kinds",
    "SUMMARISER_KIND_WEIGHTS": "kind_weights",
    "SUMMARISER_NEGOTIATION_WEIGHTS": "negotiation_weights",
    "SUMMARISER_NEGOTIATION": "negotiation",
    "SUMMARISER_OTHER_LANGUAGES": "other_languages",
    "SUMMARISER_TRUST": "trust",
    "SUMMARISER_MAX_ITEMS": "max_items",
    "SUMMARISER_ALLOW_PRIVATE": "allow_private",
    "SUMMARISER_ALLOW_FILES": "allow_files",
}

# Who decides when the rules and the model disagree, by provider, for ``trust = "auto"``. The
# embedded 1.5B model and the small models people run on Ollama or llama.cpp servers are held
# to the rules where they are sure; any other provider's model decides, and the rules only flag.
RULES_DECIDE_FOR = frozenset({"local", "llamacpp", "ollama"})
# The grammar's limits on step 2's lists (positions, proposals, next steps) when the rules decide:
# more made the embedded model repeat itself. A model that decides lists up to ``max_items`` each.
RULES_ITEM_LIMITS = (8, 6, 4)
MODEL_ITEM_LIMIT = 40


class Settings(BaseModel):
    """Everything a brief depends on, validated. Build it with :func:`load_settings`.

    ``model`` is ``local``, ``local:/path/to/model.gguf`` or ``provider/model``
    (``openai/gpt-4.1-mini``, ``ollama/qwen2.5:7b``, ``llamacpp/qwen``, ...).
    Values from TOML, environment and flags are checked alike: a wrong type, a
    value out of range or a misspelt key is a ``ConfigError`` naming it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    mode: Literal["tools", "json", "json_schema"] | None = None
    # Completions a structured call may take (re-asks after a failed check): 2, or 1 for the
    # embedded model when the rules decide (its re-asks of step 1 passed 0 of 9 times over 109
    # gold articles and changed no score: docs/eval/23-session-15.md). See ``attempts``.
    max_attempts: int | None = Field(default=None, ge=1, le=10)
    max_tokens: int = Field(default=1536, ge=64, le=32768)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout: float = Field(default=180.0, gt=0, le=3600)
    transport_retries: int = Field(default=4, ge=0, le=20)
    retry_deadline: float = Field(default=300.0, gt=0)
    n_ctx: int = Field(default=8192, ge=512, le=131072)
    n_threads: int | None = Field(default=None, ge=1)
    cache_dir: str | None = None
    seed: int = 0
    # Who decides a claim when rules and model disagree (see RULES_DECIDE_FOR): "rules" (they veto
    # what they are sure of) or "model" (its answers stand; the rules flag them in meta.flags).
    trust: Literal["auto", "rules", "model"] = "auto"
    # Step 2: a question per sentence ("questions", the default when the rules decide) or the
    # model writes the items ("extract", the default when the model decides).
    items: Literal["questions", "extract"] | None = None
    max_items: int | None = Field(default=None, ge=1, le=200)
    max_questions: int = Field(default=200, ge=0, le=2000)
    article_timeout: float = Field(default=900.0, gt=0)
    # Tokens one article may cost in all (prompts and answers, every provider), and the longest
    # article sent to a provider whose context is not known.
    token_budget: int = Field(default=1_000_000, ge=1000)
    max_input_tokens: int = Field(default=100_000, ge=512)
    # What an English sentence states: weights fitted on gold (rule hits among their features),
    # the rule cascade alone ("rules", the default when the rules decide), or the model's answer
    # to a question per sentence ("model", the default when the model decides; always so for other
    # languages); ``kind_weights`` is a weights file other than the shipped one.
    kinds: Literal["fitted", "rules", "model"] | None = None
    # Whether the article is a negotiation: weights fitted on gold over the article's signals, the
    # embedding of its opening among them ("fitted", the default for the embedded model), an English
    # article must use a word of negotiation before step 1 is asked ("words", the default for the
    # other models the rules decide for), or step 1's answer alone ("model", when the model decides).
    negotiation: Literal["fitted", "words", "model"] | None = None
    # An article not in English: its positions, proposals and next steps asked of the model
    # ("ask") or left out with a note ("sides": parties, mediators and summary only; the default
    # for the embedded model when the rules decide, whose answers there were 4 of 48 right).
    other_languages: Literal["ask", "sides"] | None = None
    kind_weights: str | None = None
    negotiation_weights: str | None = None  # a weights file other than the shipped one
    # Input a program passes on: a URL source may not reach a private or loopback address unless
    # allow_private (the CLI allows it: its user types the URL); a path is read only with allow_files.
    allow_private: bool = False
    allow_files: bool = True

    @field_validator("model")
    @classmethod
    def _model_named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8080/v1")
        return value.strip()

    @property
    def provider(self) -> str:
        """``local`` or the part of ``model`` before the first slash."""
        if self.model == "local" or self.model.startswith("local:"):
            return "local"
        if "/" in self.model:
            return self.model.split("/", 1)[0]
        return "openai"

    @property
    def decides(self) -> Literal["rules", "model"]:
        """Who decides when rules and model disagree: ``trust``, or by provider when it is ``auto``."""
        if self.trust != "auto":
            return self.trust
        return "rules" if self.provider in RULES_DECIDE_FOR else "model"

    @property
    def item_mode(self) -> Literal["questions", "extract"]:
        """How step 2 is asked: ``items``, else by who decides."""
        return self.items or ("questions" if self.decides == "rules" else "extract")

    @property
    def embedded(self) -> bool:
        """Whether the model is the shipped GGUF run in-process (what the fitted defaults were measured on)."""
        return self.provider == "local" and not names_a_file(self.model_name)

    @property
    def attempts(self) -> int:
        """The completions a structured call may take: ``max_attempts``, else by model."""
        if self.max_attempts is not None:
            return self.max_attempts
        return 1 if self.embedded and self.decides == "rules" else 2

    @property
    def negotiation_mode(self) -> Literal["fitted", "words", "model"]:
        """Who says whether the article is a negotiation: ``negotiation``, else by model and who decides."""
        if self.negotiation is not None:
            return self.negotiation
        if self.decides == "model":
            return "model"
        return "fitted" if self.embedded else "words"

    @property
    def other_language_items(self) -> bool:
        """Whether an article not in English is asked for its items: ``other_languages``, else by model.

        On realdev's German articles the embedded model's items were 4 of 48 right, and asking
        for them took ~130 s a brief (docs/eval/24-session-16.md)."""
        if self.other_languages is not None:
            return self.other_languages == "ask"
        return not (self.embedded and self.decides == "rules")

    @property
    def word_gate(self) -> bool:
        """Whether an English article without a word of negotiation is judged one without asking."""
        return self.negotiation_mode == "words"

    @property
    def kind_mode(self) -> Literal["fitted", "rules", "model"]:
        """Who says what an English sentence states: ``kinds``, else by who decides."""
        return self.kinds or ("rules" if self.decides == "rules" else "model")

    @property
    def item_limits(self) -> tuple[int, int, int]:
        """The most positions, proposals and next steps step 2's grammar lets the model write."""
        if self.max_items is not None:
            return (self.max_items,) * 3
        return RULES_ITEM_LIMITS if self.decides == "rules" else (MODEL_ITEM_LIMIT,) * 3

    @property
    def model_name(self) -> str:
        """The model's name as the provider knows it."""
        if self.provider == "local":
            return self.model.partition(":")[2] or "qwen2.5-coder-1.5b-instruct-q4_k_m"
        return self.model.split("/", 1)[1] if "/" in self.model else self.model


_FIELDS = tuple(Settings.model_fields)


def _build(values: dict[str, Any], origins: dict[str, str]) -> Settings:
    try:
        return Settings(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "setting"
        where = origins.get(name, "")
        message = str(error["msg"]).removeprefix("Value error, ")
        got = "" if error["type"] == "extra_forbidden" else f" (got {error.get('input')!r})"
        raise ConfigError(f"{name}{where}: {message}{got}") from None


def _unknown(key: str, where: str) -> ConfigError:
    close = difflib.get_close_matches(key, _FIELDS, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return ConfigError(f"unknown setting {key!r}{where}{hint}")


def default_config_path() -> Path:
    """The TOML file read when neither ``--config`` nor ``SUMMARISER_CONFIG`` is set."""
    return Path(platformdirs.user_config_dir("summariser")) / "config.toml"


def load_toml(path: str | Path | None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read the TOML config file; an explicit path must exist, the default need not."""
    env = os.environ if environ is None else environ
    explicit = path is not None or bool(env.get("SUMMARISER_CONFIG"))
    chosen = Path(path) if path is not None else Path(env.get("SUMMARISER_CONFIG") or default_config_path())
    if not chosen.exists():
        if explicit:
            raise ConfigError(f"config file not found: {chosen}")
        return {}
    try:
        with chosen.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {chosen}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config file {chosen}: not UTF-8 text (a TOML file is)") from exc


def load_settings(
    *,
    config: str | Path | None = None,
    trust_env: bool = True,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build :class:`Settings` from defaults, TOML, environment and overrides.

    >>> settings = load_settings(model="ollama/qwen2.5:7b", max_attempts=3)

    ``trust_env=False`` ignores the environment and the default config file.
    With no model configured anywhere, the model is ``openai/gpt-4.1-mini``
    when ``OPENAI_API_KEY`` is set and ``local`` otherwise.
    """
    return explain_settings(config=config, trust_env=trust_env, environ=environ, **overrides)[0]


def explain_settings(
    *,
    config: str | Path | None = None,
    trust_env: bool = True,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> tuple[Settings, dict[str, str]]:
    """:func:`load_settings`, and where each setting that is not a default came from
    (``config file``, ``from SUMMARISER_…``, ``flag``)."""
    env: Mapping[str, str] = (os.environ if environ is None else environ) if trust_env else {}
    known = set(_FIELDS) - {"api_key"}
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}

    if trust_env or config is not None:
        table = load_toml(config, env)
        section = table.get("summariser", table)
        if not isinstance(section, dict):
            raise ConfigError("[summariser] in the config file must be a table")
        for key, value in section.items():
            if isinstance(value, dict) and section is table:
                continue  # other tables, such as [nightly]
            if key not in known:
                raise _unknown(key, " in the config file")
            values[key], origins[key] = value, " (config file)"

    # OPENAI_BASE_URL first so that SUMMARISER_BASE_URL wins over it.
    for var in sorted(_ENV, key=lambda v: v.startswith("SUMMARISER_")):
        if var in env and (env[var] or var.startswith("SUMMARISER_")):
            values[_ENV[var]], origins[_ENV[var]] = env[var], f" (from {var})"

    for key, value in overrides.items():
        if key not in known and key != "api_key":
            raise _unknown(key, "")
        if value is not None:
            values[key], origins[key] = value, ""

    if "api_key" not in values and env.get("OPENAI_API_KEY"):
        values["api_key"], origins["api_key"] = env["OPENAI_API_KEY"], " (from OPENAI_API_KEY)"
    if "model" not in values:
        values["model"] = DEFAULT_OPENAI_MODEL if values.get("api_key") else DEFAULT_MODEL
        origins["model"] = " (default: OPENAI_API_KEY is set)" if values.get("api_key") else " (default)"
    from_env = {k: v for k, v in values.items() if origins.get(k, "").startswith(" (from")}
    # Environment values are strings to convert; TOML and flags keep their types,
    # so `max_attempts = true` or `2.7` in a TOML file is an error, not 1 or 2.
    settings = _build_mixed(values, from_env, origins)
    where = {k: (v.strip(" ()") or "flag") for k, v in origins.items()}
    return settings, where


def _build_mixed(values: dict[str, Any], from_env: dict[str, Any], origins: dict[str, str]) -> Settings:
    typed = {k: v for k, v in values.items() if k not in from_env}
    for key, value in from_env.items():
        typed[key] = _from_env_string(key, value, origins)
    for key, value in typed.items():
        if isinstance(value, bool) and Settings.model_fields[key].annotation is not bool:
            raise ConfigError(f"{key}{origins.get(key, '')}: must be a number or text, not true/false")
        if isinstance(value, float) and "int" in str(Settings.model_fields[key].annotation) and not value.is_integer():
            raise ConfigError(f"{key}{origins.get(key, '')}: must be a whole number (got {value!r})")
    return _build(typed, origins)


def _from_env_string(key: str, value: str, origins: dict[str, str]) -> Any:
    annotation = str(Settings.model_fields[key].annotation)
    if value.strip() == "" and "None" in annotation:
        return None if key != "base_url" else value
    try:
        if "int" in annotation:
            return int(value)
        if "float" in annotation:
            return float(value)
    except ValueError:
        raise ConfigError(f"{key}{origins.get(key, '')} must be a number, got {value!r}") from None
    return value


def debug_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """``SUMMARISER_DEBUG=1``: show tracebacks instead of one-line errors."""
    env = os.environ if environ is None else environ
    return env.get("SUMMARISER_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def load_nightly_table(config: str | Path | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``[nightly]`` table of the TOML config (empty when there is none)."""
    table = load_toml(config, environ)
    nightly = table.get("nightly", {})
    if not isinstance(nightly, dict):
        raise ConfigError("[nightly] in the config file must be a table")
    return nightly
