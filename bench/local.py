"""Benchmark the embedded model on one article (default: the Istanbul example).

    python bench/local.py [ARTICLE] [--threads N]

Prints per-call figures, then, as its last line, one JSON object: seconds per
brief, prompt and output tokens, output tokens per second, peak memory (RSS).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from summariser.call import resolve_provider
from summariser.config import load_settings
from summariser.pipeline import summarise

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "examples" / "000_879d221aa69ff2ba.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(DEFAULT))
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--max-attempts", type=int, default=None)
    args = parser.parse_args()

    settings = load_settings(model="local", n_threads=args.threads, max_attempts=args.max_attempts)
    started = time.perf_counter()
    provider = resolve_provider(settings)
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    brief = summarise(args.article, settings=settings, provider=provider)
    seconds = time.perf_counter() - started
    usage = brief.meta.usage
    model_seconds = brief.meta.model_seconds
    result = {
        "article": Path(args.article).name,
        "seconds_per_brief": round(seconds, 2),
        "model_load_seconds": round(load_seconds, 2),
        "model_seconds": round(model_seconds, 2),
        "attempts": brief.meta.attempts,
        "questions": brief.meta.questions,
        "prompt_tokens": usage.prompt_tokens,
        "output_tokens": usage.completion_tokens,
        "output_tokens_per_second": round(usage.completion_tokens / model_seconds, 2) if model_seconds else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "parties": [p.name for p in brief.parties],
        "mediators": [m.name for m in brief.mediators],
        "proposals": len(brief.proposals),
        "dropped": len(brief.meta.dropped),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
