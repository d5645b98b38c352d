"""What the experiment harnesses share: the embedded model in-process, and their results
printed one JSON line each and written as one report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summariser.config import load_settings
from summariser.local import get_llama, resolve_model_path


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
