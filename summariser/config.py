"""Settings: the only place that reads the environment or a TOML file.

Precedence, highest first: explicit values (CLI flags, API keywords) >
``SUMMARISER_*`` environment variables > the TOML file (``--config``, else
``SUMMARISER_CONFIG``, else ``<user config dir>/summariser/config.toml``) >
defaults in code. Secrets come only from the environment.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from summariser.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_OPENAI_MODEL",
    "Settings",
    "load_settings",
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
}


@dataclass(frozen=True)
class Settings:
    """Everything a brief depends on. Build it with :func:`load_settings`.

    ``model`` is ``local``, ``local:/path/to/model.gguf`` or ``provider/model``
    (``openai/gpt-4.1-mini``, ``ollama/qwen2.5:7b``, ``llamacpp/qwen``, ...).
    """

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str | None = None
    max_attempts: int = 2
    max_tokens: int = 1536
    temperature: float = 0.0
    timeout: float = 180.0
    transport_retries: int = 4
    retry_deadline: float = 300.0
    n_ctx: int = 8192
    n_threads: int | None = None
    cache_dir: str | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError("max_attempts must be at least 1")
        if self.max_tokens < 64:
            raise ConfigError("max_tokens must be at least 64")
        if self.n_ctx < 512:
            raise ConfigError("n_ctx must be at least 512")
        if not self.model.strip():
            raise ConfigError("model must not be empty")

    @property
    def provider(self) -> str:
        """``local`` or the part of ``model`` before the first slash."""
        if self.model == "local" or self.model.startswith("local:"):
            return "local"
        if "/" in self.model:
            return self.model.split("/", 1)[0]
        return "openai"

    @property
    def model_name(self) -> str:
        """The model's name as the provider knows it."""
        if self.provider == "local":
            return self.model.partition(":")[2] or "qwen2.5-coder-1.5b-instruct-q4_k_m"
        return self.model.split("/", 1)[1] if "/" in self.model else self.model


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


def _coerce(name: str, value: Any) -> Any:
    kinds = {f.name: f.type for f in fields(Settings)}
    kind = str(kinds[name])
    try:
        if "int" in kind and not isinstance(value, int):
            return int(value)
        if "float" in kind and not isinstance(value, float):
            return float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a number, got {value!r}") from exc
    return value


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
    env: Mapping[str, str] = (os.environ if environ is None else environ) if trust_env else {}
    known = {f.name for f in fields(Settings)} - {"api_key"}
    values: dict[str, Any] = {}

    if trust_env or config is not None:
        table = load_toml(config, env)
        section = table.get("summariser", table)
        for key, value in section.items():
            if key in known:
                values[key] = _coerce(key, value)

    # OPENAI_BASE_URL first so that SUMMARISER_BASE_URL wins over it.
    for var in sorted(_ENV, key=lambda v: v.startswith("SUMMARISER_")):
        if env.get(var):
            values[_ENV[var]] = _coerce(_ENV[var], env[var])

    for key, value in overrides.items():
        if key not in known and key != "api_key":
            raise ConfigError(f"unknown setting: {key}")
        if value is not None:
            values[key] = _coerce(key, value) if key != "api_key" else value

    if "api_key" not in values and env.get("OPENAI_API_KEY"):
        values["api_key"] = env["OPENAI_API_KEY"]
    if "model" not in values:
        values["model"] = DEFAULT_OPENAI_MODEL if values.get("api_key") else DEFAULT_MODEL
    return Settings(**values)


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
