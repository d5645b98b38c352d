"""Tokens per brief, and what 1,000 briefs cost synchronously and through the Batch API.

    python bench/cost.py [--gold ../shared/realdev] [--articles 10] [--modes questions extract]

Briefs the first N articles of a gold folder (read at run time, never copied) with the embedded
model in each way step 2 can be asked: ``questions`` (one question a sentence; what the rules
decide with, for the embedded model, llama.cpp and Ollama) and ``extract`` (one structured
answer; what a capable hosted model gets with ``trust = auto``). The embedded model's token
counts stand in for a hosted model's (another tokenizer counts English within some 10-20%, and a
stronger model may write more items). Costs use the list prices given (USD per million tokens;
the Batch API's are half). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from summariser import summarise
from summariser.config import load_settings

PRICES = {"gpt-4.1-mini": (0.40, 1.60), "gpt-4.1": (2.00, 8.00)}  # sync list prices, USD / Mtok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--modes", nargs="*", default=["questions", "extract"])
    args = parser.parse_args()
    paths = sorted(p for p in args.gold.glob("*.txt") if p.with_suffix(".gold.json").exists())[: args.articles]
    if not paths:
        sys.exit(f"no gold articles in {args.gold}")
    result: dict[str, object] = {"articles": len(paths), "prices_per_mtok": PRICES}
    for mode in args.modes:
        settings = load_settings(trust_env=False, model="local", items=mode)
        prompt, output = [], []
        for path in paths:
            brief = summarise(str(path), settings=settings)
            prompt.append(brief.meta.usage.prompt_tokens)
            output.append(brief.meta.usage.completion_tokens)
            print(f"{mode} {path.stem}: {prompt[-1]} prompt + {output[-1]} output tokens", flush=True)
        row: dict[str, object] = {
            "prompt_tokens": round(statistics.mean(prompt)),
            "output_tokens": round(statistics.mean(output)),
            "median_prompt_tokens": round(statistics.median(prompt)),
            "max_prompt_tokens": max(prompt),
        }
        for model, (p_in, p_out) in PRICES.items():
            sync = (statistics.mean(prompt) * p_in + statistics.mean(output) * p_out) / 1000  # per 1,000 briefs
            row[f"{model}_sync_usd"] = round(sync, 2)
            row[f"{model}_batch_usd"] = round(sync / 2, 2)
        result[mode] = row
        print(mode, json.dumps(row))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
