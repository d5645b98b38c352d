"""Command line: a thin skin over the Python API.

    summarise brief ARTICLE [-o FILE] [--format md|json] [--model M] ...
    summarise eval GOLD_DIR [--predictions DIR] [--json OUT] [--compare OLD.json]
    summarise nightly [--source S ...] [--out DIR] [--db FILE] [--dry-run]

Errors print one red line on stderr and exit 1; ``SUMMARISER_DEBUG=1`` shows
the traceback instead.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.markdown import Markdown

from summariser.config import Settings, debug_enabled, load_settings
from summariser.errors import SummariserError
from summariser.output import write_atomic
from summariser.pipeline import summarise
from summariser.render import render_json, render_markdown

__all__ = ["app", "main"]

app = typer.Typer(
    help="Evidence-grounded briefs of negotiation news: parties, positions, proposals, next steps, mediators.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
T = TypeVar("T")


class Format(str, Enum):
    md = "md"
    json = "json"


ModelOpt = Annotated[
    Optional[str],
    typer.Option(
        "--model",
        "-m",
        help="Model: 'local' (embedded GGUF), 'local:/path/model.gguf', or provider/model such as "
        "openai/gpt-4.1-mini, ollama/qwen2.5:7b, llamacpp/qwen. Env: SUMMARISER_MODEL.",
        show_default=False,
    ),
]
BaseUrlOpt = Annotated[
    Optional[str],
    typer.Option(
        "--base-url",
        help="Base URL of an OpenAI-compatible server. Env: SUMMARISER_BASE_URL or OPENAI_BASE_URL.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Optional[Path],
    typer.Option("--config", help="TOML config file. Env: SUMMARISER_CONFIG.", show_default=False),
]


def _fail(exc: BaseException, console: Console) -> None:
    console.print(f"[red]error:[/red] {exc}", highlight=False, markup=True, soft_wrap=True)


def _quiet_libraries(verbose: bool) -> None:
    # instructor logs every failed attempt at ERROR level; re-asks are normal
    # operation here and are reported in meta, so they stay out of the terminal.
    logger = logging.getLogger("instructor")
    logger.handlers[:] = [logging.NullHandler()]
    logger.propagate = verbose


@contextmanager
def _errors() -> Iterator[None]:
    err = Console(stderr=True)
    try:
        yield
    except SummariserError as exc:
        if debug_enabled():
            raise
        _fail(exc, err)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("[red]interrupted[/red]")
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as exc:  # the CLI boundary: no tracebacks for users
        if debug_enabled():
            raise
        err.print(
            f"[red]internal error:[/red] {type(exc).__name__}: {exc} (set SUMMARISER_DEBUG=1 for a traceback)",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )
        raise typer.Exit(2) from None


def _with_spinner(message: str, work: Callable[[], T], *, enabled: bool) -> T:
    err = Console(stderr=True)
    if enabled and err.is_terminal:
        with err.status(message, spinner="dots"):
            return work()
    return work()


def build_settings(config: Path | None, **overrides: Any) -> Settings:
    """Settings from flags over env over TOML over defaults."""
    return load_settings(config=config, **overrides)


@app.callback()
def _root() -> None:
    """summariser: evidence-grounded briefs of negotiation news.

    Configuration: flags > SUMMARISER_* env vars > TOML (--config, SUMMARISER_CONFIG,
    or the user config dir) > defaults. With no model and no OPENAI_API_KEY the
    embedded local model is used.
    """


@app.command()
def brief(
    article: Annotated[str, typer.Argument(help="Article: a file path, an http(s) URL, or - for stdin.")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write the brief to FILE instead of stdout.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format: md or json.")] = Format.md,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    max_attempts: Annotated[
        Optional[int],
        typer.Option("--max-attempts", min=1, help="Model completions allowed, re-asks included. [default: 2]"),
    ] = None,
    max_tokens: Annotated[
        Optional[int], typer.Option("--max-tokens", min=64, help="Output token limit per completion. [default: 1536]")
    ] = None,
    config: ConfigOpt = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print model, attempts, tokens and dropped items on stderr.")
    ] = False,
) -> None:
    """Write the brief of one negotiation article (Markdown by default)."""
    _quiet_libraries(verbose)
    with _errors():
        settings = build_settings(
            config, model=model, base_url=base_url, max_attempts=max_attempts, max_tokens=max_tokens
        )
        result = _with_spinner(
            f"Briefing with {settings.model}…", lambda: summarise(article, settings=settings), enabled=True
        )
        text = render_json(result) if fmt is Format.json else render_markdown(result)
        out = Console()
        if output is not None:
            write_atomic(output, text if text.endswith("\n") else text + "\n")
        elif fmt is Format.md and out.is_terminal:
            out.print(Markdown(text))
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        if verbose:
            err = Console(stderr=True)
            meta = result.meta
            err.print(
                f"model {meta.model} ({meta.provider}) · prompt {meta.prompt_version} · attempts {meta.attempts} · "
                f"tokens {meta.usage.prompt_tokens}+{meta.usage.completion_tokens} · {meta.seconds:.1f} s",
                highlight=False,
            )
            for dropped in meta.dropped:
                err.print(f"dropped {dropped.section}: {dropped.reason}", highlight=False, markup=False)
            if output is not None:
                err.print(f"wrote {output}", highlight=False)


def main() -> None:
    """Entry point for ``python -m summariser``."""
    app()
