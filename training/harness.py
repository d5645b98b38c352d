"""What the experiment harnesses share: each gold negotiation with its saved brief, the embedded
model in-process, and their results printed one JSON line each and written as one report."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from summariser.config import load_settings
from summariser.eval import Gold, find_articles, load_gold
from summariser.load import load_article
from summariser.local import get_llama, resolve_model_path
from summariser.segment import segment_text


def negotiation_briefs(briefs: Path, gold_dir: Path) -> Iterator[tuple[str, Gold, dict[str, Any], list[str]]]:
    """Each gold negotiation with a brief ``NAME.json`` in ``briefs``: its name, gold, brief and sentences."""
    for name, text_path, gold_path in find_articles(gold_dir):
        brief_path = briefs / f"{name}.json"
        gold = load_gold(gold_path)
        if gold.is_negotiation and brief_path.exists():
            brief = json.loads(brief_path.read_text(encoding="utf-8"))
            yield name, gold, brief, [s.text for s in segment_text(load_article(str(text_path)).text)]


def embedded_llama() -> Any:
    """The shipped GGUF loaded by llama.cpp, with the pipeline's own context size."""
    settings = load_settings(model="local")
    return get_llama(resolve_model_path(settings.model_name, settings.cache_dir), n_ctx=settings.n_ctx, n_threads=None)


def emit(results: Sequence[dict[str, Any]], report: Path | None) -> None:
    """Print each result as one JSON line, and write them all to ``report`` when given."""
    for result in results:
        print(json.dumps(result))
    if report:
        report.write_text(json.dumps(list(results), indent=1) + "\n", encoding="utf-8")
