"""The pipeline's own cost per brief, outside the model call, and the prompt's make-up.

    python bench/pipeline.py [ARTICLE] [--runs 20]

Briefs ARTICLE (default: the Istanbul example in ../shared/examples) against
bench/stub_server.py running as its own process with no latency, and reports
this process's CPU seconds per brief: loading, cleaning, segmenting, prompting,
instructor, validation and grounding, rendering. With the [local] extra it also
counts the prompt tokens of each step with the embedded model's tokenizer,
split into article and overhead (system prompt, instructions, chat template;
the schema goes to the grammar, not the prompt). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from summariser.call import resolve_provider
from summariser.config import load_settings
from summariser.load import load_article
from summariser.pipeline import summarise
from summariser.prompt import build_messages
from summariser.render import render_json, render_markdown
from summariser.segment import segment_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stub_server import as_process  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "examples" / "000_879d221aa69ff2ba.txt"


def _token_split(article_path: str) -> dict[str, int] | None:
    try:
        import llama_cpp

        from summariser.local import ensure_weights
    except ImportError:
        return None
    model = llama_cpp.Llama(model_path=str(ensure_weights()), vocab_only=True, verbose=False)
    article = load_article(article_path)
    segments = segment_text(article.text)

    def count(text: str) -> int:
        return len(model.tokenize(text.encode(), add_bos=False, special=True))

    split: dict[str, int] = {}
    for step in ("sides", "items"):
        messages = build_messages(article, segments, step=step, parties=["Party A", "Party B"], mediators=["Host"])
        templated = (
            "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
            + "<|im_start|>assistant\n"
        )
        total = count(templated)
        article_tokens = count(messages[1]["content"])
        split[f"{step}_prompt_tokens"] = total
        split[f"{step}_article_tokens"] = article_tokens
        split[f"{step}_overhead_tokens"] = total - article_tokens
    return split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    with as_process() as port:
        settings = load_settings(trust_env=False, model="stub/bench", base_url=f"http://127.0.0.1:{port}/v1")
        summarise(args.article, settings=settings)  # warm imports and caches
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        for _ in range(args.runs):
            brief = summarise(args.article, settings=settings)
            render_markdown(brief)
            render_json(brief)
        cpu = (time.process_time() - cpu_start) / args.runs
        wall = (time.perf_counter() - wall_start) / args.runs
        # The nightly job builds one client per run; a single brief builds its own.
        provider = resolve_provider(settings)
        cpu_start = time.process_time()
        for _ in range(args.runs):
            render_markdown(summarise(args.article, settings=settings, provider=provider))
        cpu_shared = (time.process_time() - cpu_start) / args.runs
    result: dict[str, object] = {
        "article": Path(args.article).name,
        "runs": args.runs,
        "pipeline_cpu_seconds_per_brief": round(cpu, 4),
        "pipeline_wall_seconds_per_brief": round(wall, 4),
        "pipeline_cpu_seconds_per_brief_shared_client": round(cpu_shared, 4),
        "sentences": brief.meta.sentences,
    }
    split = _token_split(args.article)
    if split:
        result.update(split)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
