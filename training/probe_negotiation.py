"""Experiment: does the embedded model's probability of "yes" tell a negotiation from other news?

    python -m training.probe_negotiation --out signals.json    # reads ../shared/realdev, devset, holdout

For every article the in-process model reads the pipeline's own system and article
messages, then one question ("Is this article about a negotiation ...? Answer yes or
no."). Nothing is sampled: after the prompt is evaluated, the logits of the first token
of " yes"/" no" (and "Yes"/"No") are read (llama.cpp keeps the last position's logits),
and their log-odds are the signal. Contextual calibration (Zhao et al. 2021): the same
question over a content-free article ("N/A") gives the model's prior, subtracted out.
The signals are then cross-validated by article like ``training.negotiation``'s.
Not part of the runtime: a measurement for the next decision.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from summariser.eval import find_articles, load_gold
from summariser.load import Article, load_article
from summariser.prompt import article_messages
from summariser.segment import segment_text
from training.data import folds
from training.harness import embedded_llama

MARGIN = 0.1  # log-odds below the least negotiation-like training negotiation

QUESTION = (
    "Question about the whole article: is it about a negotiation, that is, sides bargaining with each "
    "other (talks, offers, demands, a deal being made, mediation)? News that only uses such words in "
    "another sense (shopping deals, military strikes, a product launch) is not. Answer yes or no."
)


def _chatml(messages: list[dict[str, str]]) -> str:
    parts = [f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages]
    return "".join(parts) + "<|im_start|>assistant\n"


def _first_tokens(llama: Any, words: list[str]) -> list[int]:
    return sorted({llama.tokenize(w.encode(), add_bos=False, special=False)[0] for w in words})


def log_odds(llama: Any, messages: list[dict[str, str]], yes: list[int], no: list[int]) -> float:
    tokens = llama.tokenize(
        _chatml([*messages, {"role": "user", "content": QUESTION}]).encode(), add_bos=False, special=True
    )
    llama.reset()
    llama.eval(tokens)
    logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).astype(np.float64)
    top = logits.max()
    p = np.exp(logits - top)
    return float(math.log(p[yes].sum()) - math.log(p[no].sum()))


def cross_validate(rows: list[dict[str, Any]], k: int = 5) -> dict[str, Any]:
    """Realdev folds scored with a threshold on the calibrated log-odds chosen on the other rows:
    the highest at which no training negotiation is lost (as ``training.negotiation`` does)."""
    real = [r for r in rows if r["group"] == "realdev"]
    extra = [r for r in rows if r["group"] != "realdev"]
    assignment = folds([r["name"] for r in real], k)
    lost = briefed = 0
    thresholds = []
    for f in range(k):
        train = [*extra, *(r for r in real if assignment[r["name"]] != f)]
        threshold = min(r["calibrated"] for r in train if r["label"]) - MARGIN
        thresholds.append(round(threshold, 3))
        for r in (r for r in real if assignment[r["name"]] == f):
            said = r["calibrated"] >= threshold
            lost += r["label"] and not said
            briefed += (not r["label"]) and said
    positives = [r["calibrated"] for r in real if r["label"]]
    negatives = [r["calibrated"] for r in real if not r["label"]]
    auc = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives) / (len(positives) * len(negatives))
    return {
        "lost": lost,
        "negotiations": len(positives),
        "false_briefs": briefed,
        "non_negotiations": len(negatives),
        "auc": round(auc, 3),
        "thresholds": thresholds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.probe_negotiation", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--folders", type=Path, nargs="*", default=[Path("../shared/realdev"), Path("devset"), Path("holdout")]
    )
    parser.add_argument("--out", type=Path, required=True, help="the signals (read when it exists)")
    args = parser.parse_args(argv)
    if args.out.exists():
        print(json.dumps(cross_validate(json.loads(args.out.read_text(encoding="utf-8"))["rows"])))
        return 0
    llama = embedded_llama()
    yes = _first_tokens(llama, ["yes", "Yes", " yes", " Yes"])
    no = _first_tokens(llama, ["no", "No", " no", " No"])
    empty = Article(text="N/A")
    prior = log_odds(llama, article_messages(empty, segment_text("N/A")), yes, no)
    rows = []
    for folder in args.folders:
        for name, path, gold_path in find_articles(folder):
            article = load_article(str(path))
            segments = segment_text(article.text)
            raw = log_odds(llama, article_messages(article, segments), yes, no)
            rows.append(
                {
                    "name": name,
                    "group": folder.name,
                    "label": load_gold(gold_path).is_negotiation,
                    "raw": raw,
                    "calibrated": raw - prior,
                }
            )
            print(f"{folder.name}: {name} {raw:+.2f}", file=sys.stderr, flush=True)
    args.out.write_text(json.dumps({"prior": prior, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
