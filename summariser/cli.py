"""Command line: a thin skin over the Python API.

    summarise brief ARTICLE [-o FILE] [--format md|json] [--model M] ...
    summarise eval GOLD_DIR [--predictions DIR] [--json OUT] [--compare OLD.json]
    summarise nightly [--source S ...] [--out DIR] [--db FILE] [--dry-run]

Errors print one red line on stderr and exit 1; ``SUMMARISER_DEBUG=1`` shows
the traceback instead.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from summariser.config import Settings
    from summariser.schemas import Meta
from summariser.errors import SummariserError
from summariser.output import write_atomic

__all__ = ["app", "main"]

app = typer.Typer(
    help="Evidence-grounded briefs of negotiation news: parties, positions, proposals, next steps, mediators.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
T = TypeVar("T")


class Format(str, Enum):
    md = "md"
    json = "json"
    html = "html"


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
    # User-supplied text (paths, URLs, article titles) is never markup; nothing shaped like a key is shown.
    from summariser.call import redact

    console.print(f"[red]error:[/red] {escape(redact(str(exc)))}", highlight=False, markup=True, soft_wrap=True)


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
        if _debug():
            raise
        _fail(exc, err)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("[red]interrupted[/red]")
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # The reader went away (``| head``): nothing more to say, and nothing to say it to.
        _silence_stdout()
        raise typer.Exit(1) from None
    except OSError as exc:
        if _debug():
            raise
        _fail(SummariserError(f"cannot write output: {exc.strerror or exc}"), err)
        _silence_stdout()
        raise typer.Exit(1) from None
    except typer.Exit:
        raise
    except Exception as exc:  # the CLI boundary: no tracebacks for users
        if _debug():
            raise
        err.print(
            f"[red]internal error:[/red] {type(exc).__name__}: {escape(str(exc))} "
            "(set SUMMARISER_DEBUG=1 for a traceback)",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )
        raise typer.Exit(2) from None


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; a full device or a closed pipe would fail there too.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _with_spinner(message: str, work: Callable[[], T], *, enabled: bool) -> T:
    err = Console(stderr=True)
    if enabled and err.is_terminal:
        with err.status(message, spinner="dots"):
            return work()
    return work()


def _debug() -> bool:
    from summariser.config import debug_enabled

    return debug_enabled()


def build_settings(config: Path | None, **overrides: Any) -> Settings:
    """Settings from flags over env over TOML over defaults."""
    from summariser.config import load_settings

    return load_settings(config=config, **overrides)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("summariser")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree without install
            number = "unknown"
        sys.stdout.write(f"summarise {number}\n")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option("--version", "-V", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
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
    fmt: Annotated[
        Optional[Format],
        typer.Option(
            "--format",
            "-f",
            help="Output format: md, json or html (the review page). [default: from -o's suffix, else md]",
            show_default=False,
        ),
    ] = None,
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
    # Imported here, not at the top: `--help` and `--version` need none of the model stack.
    from summariser.html import render_html
    from summariser.load import load_article
    from summariser.pipeline import summarise
    from summariser.render import render_json, render_markdown

    _quiet_libraries(verbose)
    with _errors():
        settings = build_settings(
            config, model=model, base_url=base_url, max_attempts=max_attempts, max_tokens=max_tokens
        )
        if fmt is None:
            suffix = output.suffix.lower() if output is not None else ""
            fmt = {".json": Format.json, ".html": Format.html, ".htm": Format.html}.get(suffix, Format.md)
        if output is not None and str(output) == "-":
            output = None  # "-o -": standard output, as for the article
        if output is not None and article != "-" and _same_file(output, article):
            raise SummariserError(f"--output {output} is the article itself: writing it would replace the article")
        loaded = load_article(article)
        result = _with_spinner(
            f"Briefing with {settings.model}…", lambda: summarise(loaded, settings=settings), enabled=True
        )
        if fmt is Format.json:
            text = render_json(result)
        elif fmt is Format.html:
            text = render_html(result, loaded.text)
        else:
            text = render_markdown(result)
        out = Console()
        if output is not None:
            write_atomic(output, text if text.endswith("\n") else text + "\n")
        elif fmt is Format.md and out.is_terminal:
            from rich.markdown import Markdown

            out.print(Markdown(text))
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()  # a full device or a closed pipe fails here, inside the error handling
        if verbose:
            _report_brief(result.meta, output)


def _report_brief(meta: Meta, output: Path | None) -> None:
    """``brief -v`` on stderr: the model, attempts, tokens and time, what was dropped or not asked, where it went."""
    from summariser.schemas import ITEMS_NOT_ASKED

    err = Console(stderr=True)
    err.print(
        f"model {meta.model} ({meta.provider}) · prompt {meta.prompt_version} · attempts {meta.attempts} · "
        f"tokens {meta.usage.prompt_tokens}+{meta.usage.completion_tokens} · {meta.seconds:.1f} s",
        highlight=False,
    )
    for dropped in meta.dropped:
        said = "not asked" if dropped.section == ITEMS_NOT_ASKED else f"dropped {dropped.section}"
        err.print(f"{said}: {dropped.reason}", highlight=False, markup=False)
    if output is not None:
        err.print(f"wrote {output}", highlight=False, markup=False)


def _same_file(output: Path, article: str) -> bool:
    try:
        return output.exists() and Path(article).exists() and os.path.samefile(output, article)
    except OSError:
        return False


def main() -> None:
    """Entry point for ``python -m summariser``."""
    app()


@app.command("eval")
def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of NAME.txt articles beside NAME.gold.json annotations.")],
    predictions: Annotated[
        Optional[Path],
        typer.Option("--predictions", help="Score NAME.json briefs from this folder instead of calling a model."),
    ] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the JSON report here.")] = None,
    compare: Annotated[
        Optional[Path], typer.Option("--compare", help="An earlier JSON report to show the change against.")
    ] = None,
    save_briefs: Annotated[
        Optional[Path], typer.Option("--save-briefs", help="Also write each brief as NAME.json in this folder.")
    ] = None,
    csv_out: Annotated[Optional[Path], typer.Option("--csv", help="Write the per-article rows as CSV here.")] = None,
    html_out: Annotated[
        Optional[Path],
        typer.Option("--html", help="Write an HTML report: figures, a plot, and per article what was missed."),
    ] = None,
    history_dir: Annotated[
        Optional[Path], typer.Option("--history", help="A folder of earlier JSON reports to plot in --html.")
    ] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    max_attempts: Annotated[Optional[int], typer.Option("--max-attempts", min=1)] = None,
    config: ConfigOpt = None,
) -> None:
    """Score briefs against gold annotations (calls the model unless --predictions is given)."""
    import json as _json

    from summariser.eval import evaluate
    from summariser.pipeline import summarise
    from summariser.render import render_json as _render_json

    _quiet_libraries(False)
    with _errors():
        console = Console(stderr=True)
        old_report = None
        if compare is not None:
            # Checked before the (costly) eval, not after it.
            try:
                old_report = _json.loads(compare.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SummariserError(f"cannot read report to compare: {compare} ({type(exc).__name__})") from exc
            if not isinstance(old_report, dict) or not isinstance(old_report.get("overall"), dict):
                raise SummariserError(f"not a summarise eval report: {compare}")
        brief_article = None
        provider = None
        if predictions is None:
            settings = build_settings(config, model=model, base_url=base_url, max_attempts=max_attempts)
            from summariser.call import resolve_provider

            provider = resolve_provider(settings)

            def brief_article(path: Path) -> dict[str, Any]:
                result = summarise(str(path), settings=settings, provider=provider)
                text = _render_json(result)
                if save_briefs is not None:
                    write_atomic(save_briefs / f"{path.stem}.json", text + "\n")
                return dict(_json.loads(text))

        try:
            with _article_progress(console, gold_dir) as on_article:
                report = evaluate(gold_dir, predictions=predictions, brief_article=brief_article, on_article=on_article)
        finally:
            if provider is not None:
                provider.close()
        _print_report(report)
        if json_out is not None:
            write_atomic(json_out, _json.dumps(report, indent=2) + "\n")
        if csv_out is not None:
            write_atomic(csv_out, _report_csv(report))
        if html_out is not None:
            write_atomic(html_out, _report_html(report, gold_dir, history_dir))
        if old_report is not None:
            _print_comparison(old_report, report)
            _print_moved(old_report, report)
        overall = report["overall"]
        if overall["errors"] and overall["errors"] == overall["articles"]:
            raise SummariserError(f"every article failed ({overall['errors']} of {overall['articles']}); see the table")


def _report_html(report: dict[str, Any], gold_dir: Path, history_dir: Path | None) -> str:
    from summariser.eval import find_articles
    from summariser.eval_html import history, render_eval_html
    from summariser.load import load_article

    texts = {name: load_article(str(path)).text for name, path, _ in find_articles(gold_dir)}
    earlier = history(history_dir) if history_dir is not None else []
    return render_eval_html(report, texts, earlier, title=f"Evaluation of {gold_dir}")


@contextmanager
def _article_progress(console: Console, gold_dir: Path) -> Iterator[Callable[[str], None]]:
    """A progress bar with the time left over the articles of an eval (on stderr)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from summariser.eval import find_articles

    total = len(find_articles(gold_dir))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("scoring", total=total)
        started = [False]

        def on_article(name: str) -> None:
            if started[0]:
                progress.advance(task)
            started[0] = True
            progress.update(task, description=f"scoring {escape(name)}")

        yield on_article
        progress.update(task, completed=total)


def _report_csv(report: dict[str, Any]) -> str:
    import csv
    import io

    from summariser.eval import COST_METRICS, QUALITY_METRICS

    columns = (*QUALITY_METRICS, *COST_METRICS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["article", *columns, "error"])
    for row in [*report["articles"], {"name": "overall", **report["overall"]}]:
        writer.writerow(
            [
                row["name"],
                *(row.get(k, "") if row.get(k) is not None else "" for k in columns),
                row.get("error") or "",
            ]
        )
    return buffer.getvalue()


def _wide_console() -> Console:
    # Tables piped to a file or CI log are not squeezed into 80 columns.
    console = Console()
    return console if console.is_terminal else Console(width=200)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _print_report(report: dict[str, Any]) -> None:
    from rich.table import Table

    columns = [
        ("parties_f1", "party F1"),
        ("mediators_f1", "med F1"),
        ("positions_recall", "pos R"),
        ("positions_precision", "pos P"),
        ("proposals_recall", "prop R"),
        ("proposals_precision", "prop P"),
        ("next_steps_recall", "next R"),
        ("next_steps_precision", "next P"),
        ("actor_accuracy", "actor"),
        ("status_accuracy", "status"),
        ("summary_ok", "summ ok"),
        ("grounding_verbatim", "verbatim"),
        ("dropped_share", "dropped"),
        ("attempts", "att"),
        ("output_tokens", "out tok"),
        ("seconds", "s"),
    ]
    table = Table(title="summariser eval")
    table.add_column("article")
    for _, label in columns:
        table.add_column(label, justify="right")
    for row in report["articles"]:
        table.add_row(
            escape(row["name"]) + (" [red](error)[/red]" if row.get("error") else ""),
            *(_fmt(row.get(k)) for k, _ in columns),
        )
    overall = report["overall"]
    table.add_row("[bold]overall[/bold]", *(_fmt(overall.get(k)) for k, _ in columns))
    console = _wide_console()
    console.print(table)
    console.print(
        f"false_brief_rate {_fmt(overall.get('false_brief_rate'))} · articles {overall['articles']} · "
        f"errors {overall['errors']}",
        highlight=False,
    )


_NEUTRAL = frozenset({"articles"})


def change_colour(metric: str, delta: float | None) -> str:
    """Green for a change for the better (a fall, for seconds, tokens, dropped or false briefs), red for
    one for the worse, none for no change or a count that is neither."""
    from summariser.eval import LOWER_IS_BETTER

    if delta is None or delta == 0 or metric in _NEUTRAL:
        return ""
    return "green" if (delta < 0) == (metric in LOWER_IS_BETTER) else "red"


def _print_moved(old: dict[str, Any], new: dict[str, Any]) -> None:
    """The articles whose figures moved between two reports (sides and items), and by how much."""
    from rich.table import Table

    from summariser.eval import QUALITY_METRICS

    moved_keys = [k for k in QUALITY_METRICS if k.endswith(("_recall", "_precision", "_f1"))]

    before = {row["name"]: row for row in old.get("articles", []) if isinstance(row, dict) and "name" in row}
    table = Table(title="articles that moved")
    table.add_column("article")
    for key in moved_keys:
        table.add_column(key.replace("_precision", " P").replace("_recall", " R").replace("_", " "), justify="right")
    moved = 0
    for row in new.get("articles", []):
        earlier = before.get(row["name"])
        if earlier is None:
            continue
        deltas = [
            row.get(k) - earlier.get(k)
            if isinstance(row.get(k), (int, float)) and isinstance(earlier.get(k), (int, float))
            else None
            for k in moved_keys
        ]
        if any(d for d in deltas):
            moved += 1
            table.add_row(escape(row["name"]), *(_coloured(d) for d in deltas))
    if moved:
        _wide_console().print(table)


def _coloured(delta: float | None) -> str:
    if not delta:
        return "" if delta is None else "0"
    return f"[{'green' if delta > 0 else 'red'}]{delta:+.2f}[/]"


def _print_comparison(old_report: dict[str, Any], report: dict[str, Any]) -> None:
    """The overall figures of both reports and their change, with the change's 95% interval over the
    articles both scored (a paired bootstrap: ``eval.change_intervals``)."""
    from rich.table import Table

    from summariser.eval import change_intervals, compare_reports

    intervals = change_intervals(old_report, report)
    table = Table(title="change against the earlier report")
    if intervals:
        table.caption = (
            "95% interval: the change over articles drawn again from those both reports scored; "
            "one holding 0 may be chance"
        )
    for name in ("metric", "old", "new", "change", *(["95% interval"] if intervals else [])):
        table.add_column(name, justify="right" if name != "metric" else "left")
    for key, old, new, delta in compare_reports(old_report, report):
        colour = change_colour(key, delta)
        change = _fmt(delta) if delta is None else f"[{colour}]{delta:+.2f}[/{colour}]" if colour else "0.00"
        low, high = intervals.get(key, (None, None))
        table.add_row(
            key,
            _fmt(old),
            _fmt(new),
            change,
            *([f"{low:+.2f} to {high:+.2f}" if low is not None else ""] if intervals else []),
        )
    _wide_console().print(table)


@app.command("config")
def config_command(
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Show the effective settings, where each came from, and the paths the tool uses."""
    import os as _os

    from rich.table import Table

    from summariser.config import default_config_path, explain_settings
    from summariser.nightly import default_db_path

    with _errors():
        settings, where = explain_settings(config=config, model=model, base_url=base_url)
        table = Table(title="summariser settings")
        for name in ("setting", "value", "from"):
            table.add_column(name)
        for name, value in settings.model_dump().items():
            shown = ("set" if value else "not set") if name == "api_key" else _fmt(value)
            table.add_row(name, escape(shown), where.get(name, "default"))
        derived = {
            "who decides (trust)": settings.decides,
            "step 2 (items)": settings.item_mode,
            "sentence kinds (kinds)": settings.kind_mode,
            "is it a negotiation (negotiation)": settings.negotiation_mode,
            "list limits (max_items)": " / ".join(map(str, settings.item_limits)),
            "completions a call may take (max_attempts)": str(settings.attempts),
            "items of other languages (other_languages)": "ask" if settings.other_language_items else "sides",
        }
        for name, value in derived.items():
            table.add_row(name, escape(value), "follows from the above")
        console = _wide_console()
        console.print(table)
        chosen = config or _os.environ.get("SUMMARISER_CONFIG") or default_config_path()
        cache = Path(settings.cache_dir) if settings.cache_dir else Path(_cache_dir())
        console.print(
            f"config file   {escape(str(chosen))}{'' if Path(chosen).exists() else ' (none)'}", highlight=False
        )
        console.print(f"model cache   {escape(str(cache / 'models'))}", highlight=False)
        console.print(f"nightly state {escape(str(default_db_path()))} (--db)", highlight=False)


def _cache_dir() -> str:
    import platformdirs

    return platformdirs.user_cache_dir("summariser")


nightly_app = typer.Typer(
    help="Brief every new article from the configured sources, once, and write a digest.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(nightly_app, name="nightly")


# The nightly's options of a night past one machine (a fleet, batch rounds) and of retention.
KeepDaysOpt = Annotated[
    Optional[float],
    typer.Option("--keep-days", help="Delete briefs and digests older than this many days (articles stay done)."),
]
EndpointOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--endpoint",
        help="A model server of a fleet (base URL); repeatable, in place of --base-url. "
        "Env: SUMMARISER_ENDPOINTS (space-separated).",
    ),
]
BatchOpt = Annotated[
    Optional[bool],
    typer.Option("--batch", help="Run the night in rounds over the provider's Batch API (half the price)."),
]
CollectOpt = Annotated[
    Optional[bool], typer.Option("--collect", help="Batch mode: only collect finished batches; submit nothing.")
]
WaitOpt = Annotated[
    Optional[float],
    typer.Option("--wait", min=0, help="Batch mode: keep polling and submitting rounds this many seconds."),
]
BatchDirOpt = Annotated[
    Optional[Path],
    typer.Option("--batch-dir", help="Batch mode without a Batch API: round files here for vllm run-batch."),
]


@nightly_app.callback(invoke_without_command=True)
def nightly(
    ctx: typer.Context,
    source: Annotated[
        Optional[list[str]],
        typer.Option("--source", "-s", help="A folder, an RSS/Atom feed URL, or a file of URLs. Repeatable."),
    ] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Output folder for briefs and digests.")] = None,
    db: Annotated[Optional[Path], typer.Option("--db", help="SQLite state database.")] = None,
    concurrency: Annotated[
        Optional[int], typer.Option("--concurrency", min=1, help="Briefs in flight (remote providers).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be briefed; change nothing.")] = False,
    empty_digest: Annotated[
        Optional[bool], typer.Option("--empty-digest", help="Write a digest even when nothing is new.")
    ] = None,
    keep_days: KeepDaysOpt = None,
    endpoint: EndpointOpt = None,
    batch: BatchOpt = None,
    collect: CollectOpt = None,
    wait: WaitOpt = None,
    batch_dir: BatchDirOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Brief every new article from the configured sources, once, and write a digest.

    `summarise nightly status` shows the state; `summarise nightly retry` briefs failed articles again."""
    if ctx.invoked_subcommand is not None:
        return
    from summariser.config import load_nightly_table
    from summariser.nightly import NightlyConfig, run_nightly

    _quiet_libraries(False)
    with _errors():
        settings = build_settings(config, model=model, base_url=base_url)
        nightly_config = NightlyConfig.from_table(
            load_nightly_table(config),
            sources=source,
            out=out,
            db=db,
            concurrency=concurrency,
            empty_digest=empty_digest,
            keep_days=keep_days,
            endpoints=endpoint or os.environ.get("SUMMARISER_ENDPOINTS", "").split(),
            batch=batch or collect or (True if batch_dir else None),
            batch_dir=batch_dir,
            collect=collect,
            batch_wait=wait,
        )
        console = Console()
        err = Console(stderr=True)
        if dry_run:
            _print_plan(run_nightly(nightly_config, settings, dry_run=True), console)
            return
        try:
            report = _run_with_progress(nightly_config, settings, err)
        except KeyboardInterrupt:
            # Every state change is already committed; requests still in flight are not waited for
            # (their articles stay pending and the next run takes them up).
            err.print("[red]interrupted[/red]: articles in flight stay pending and resume on the next run")
            sys.stderr.flush()
            os._exit(130)
        _print_run_report(report, console)
        if report.failed or report.undelivered:
            raise typer.Exit(1)


def _print_plan(report: Any, console: Console) -> None:
    """A dry run's plan: each article it would brief, then the counts."""
    for line in report.planned:
        console.print(f"would brief {line}", highlight=False, markup=False)
    console.print(
        f"{len(report.planned)} to brief · {report.unchanged} already done · {report.parked} parked",
        highlight=False,
    )


def _run_with_progress(config: Any, settings: Settings, err: Console) -> Any:
    from datetime import datetime, timezone

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from summariser.nightly import run_nightly

    if not err.is_terminal:

        def log(kind: str, detail: str) -> None:
            if kind != "total":
                # A log line of a night run under cron or systemd: when it happened, in UTC.
                stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                err.print(f"{stamp} {kind}: {detail}", highlight=False, markup=False, soft_wrap=True)

        return run_nightly(config, settings, progress=log)
    with Progress(
        TextColumn("[bold]briefing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    ) as bar:
        task = bar.add_task("briefing", total=None)

        def advance(kind: str, detail: str) -> None:
            if kind == "total":
                bar.update(task, total=int(detail))
            elif kind in ("done", "skipped", "failed"):
                bar.advance(task)
                if kind == "failed":
                    bar.console.print(f"[red]failed[/red] {escape(detail)}", highlight=False, soft_wrap=True)

        return run_nightly(config, settings, progress=advance)


DbOpt = Annotated[Optional[Path], typer.Option("--db", help="SQLite state database (default: [nightly] db).")]


def _state(db: Path | None, config: Path | None) -> Any:
    """The nightly's state database, which must exist: --db, else the config's, else the default."""
    from summariser.config import load_nightly_table
    from summariser.nightly import default_db_path
    from summariser.state import State

    configured = load_nightly_table(config).get("db")
    path = db or (Path(str(configured)).expanduser() if configured else default_db_path())
    if not path.is_file():
        raise SummariserError(f"no state database at {path}: no night has run with it (pass --db)")
    return State(path)


@nightly_app.command("status")
def nightly_status(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Show how many articles are done, skipped, failed or pending, the last runs, and each failure."""
    import datetime as dt

    with _errors():
        state = _state(db, config)
        try:
            counts, runs, failures = state.counts(), state.runs(), state.failures()
        finally:
            state.close()
        console = Console()
        console.print(
            " · ".join(f"{counts.get(s, 0)} {s}" for s in ("done", "skipped", "failed", "pending")), highlight=False
        )
        for run_id, started, finished, report in runs:
            when = dt.datetime.fromtimestamp(started, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            if finished is None:
                console.print(f"run {run_id} {when}: not finished (killed, or running now)", highlight=False)
                continue
            console.print(
                f"run {run_id} {when}: {report.get('done', 0)} briefed, {report.get('failed', 0)} failed, "
                f"{report.get('seconds', 0):.0f} s",
                highlight=False,
            )
        for origin, attempts, error in failures:
            console.print(f"failed ({attempts}×) {origin}: {error}", highlight=False, markup=False, soft_wrap=True)


@nightly_app.command("retry")
def nightly_retry(
    origins: Annotated[
        Optional[list[str]], typer.Argument(help="Articles to retry, as `status` names them (default: all failed).")
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Give failed and parked articles their attempts back: the next run briefs them again."""
    with _errors():
        state = _state(db, config)
        try:
            count = state.retry(origins or None)
        finally:
            state.close()
        if origins and count < len(origins):
            raise SummariserError(
                f"{len(origins) - count} of the articles named are not failed ones: see nightly status"
            )
        Console().print(f"{count} failed article{'s' if count != 1 else ''} will be briefed on the next run")


def _print_run_report(report: Any, console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"nightly run {report.run_id}")
    table.add_column("briefed", justify="right")
    table.add_column("not negotiations", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("already done", justify="right")
    table.add_column("parked", justify="right")
    table.add_column("tokens", justify="right")
    table.add_column("cost", justify="right")
    table.add_column("seconds", justify="right")
    table.add_row(
        str(report.done),
        str(report.skipped),
        str(report.failed),
        str(report.unchanged),
        str(report.parked),
        f"{report.prompt_tokens}+{report.completion_tokens}",
        "–" if report.cost is None else f"${report.cost:.4f}",
        f"{report.seconds:.1f}",
    )
    console.print(table)
    for origin, error in report.failures:
        console.print(f"[red]failed[/red] {escape(f'{origin}: {error}')}", highlight=False, soft_wrap=True)
    if report.batch:
        lines = ", ".join(f"{count} {state}" for state, count in report.batch.items() if state != "open_rounds")
        console.print(
            f"batch: {report.waiting} articles waiting for answers; lines {lines or 'none'}; "
            f"{report.batch.get('open_rounds', 0)} batches running at the provider",
            highlight=False,
            markup=False,
        )
    for server in report.endpoints:
        state = "out" if server["out"] else "up"
        console.print(
            f"endpoint {server['base_url']}: {server['briefs']} briefs, {server['failures']} failures, "
            f"taken out {server['opened']} times, {state} at the end",
            highlight=False,
            markup=False,
        )
    for problem in report.undelivered:
        console.print(f"[red]not delivered[/red] {escape(problem)}", highlight=False, soft_wrap=True)
    if report.digest:
        console.print(f"digest: {report.digest}", highlight=False, markup=False)
    else:
        console.print("no digest: nothing new (--empty-digest writes one)", highlight=False)
