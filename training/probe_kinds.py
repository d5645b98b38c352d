"""Experiment: the embedded model's calibrated option probabilities for "what does this sentence report?".

    python -m training.probe_kinds --out kinds-signals.json [--articles NAME ...]   # reads ../shared/realdev

For each sentence of four words or more, the in-process model reads the pipeline's own
system and article messages and the pipeline's own kind question (``prompts/ask_kind.j2``),
then the opening quote of its answer (the local model answers a bare JSON string). Nothing is
sampled: the logits of each option's first token give its log-probability. Contextual
calibration (Zhao et al. 2021): the same question about a content-free sentence ("N/A") in the
same article gives the model's prior over the options, subtracted out. Scored against the
sentence labels of the gold quotes (``training.data``): the raw argmax (what greedy sampling
answers) and the calibrated argmax. Not part of the runtime: a measurement for the next decision.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from summariser.load import load_article
from summariser.prompt import article_messages, build_question
from summariser.segment import Segment
from training.data import load_folder
from training.harness import embedded_llama
from training.probe_negotiation import _chatml

OPTIONS = ("demand", "offer", "agreement", "future", "none")


def _option_tokens(llama: Any) -> list[int]:
    firsts = [llama.tokenize(option.encode(), add_bos=False, special=False)[0] for option in OPTIONS]
    if len(set(firsts)) != len(firsts):
        raise SystemExit(f"two options share a first token: {firsts}")
    return firsts


def _logprobs(llama: Any, state: Any, prefix: int, tokens: list[int], options: list[int]) -> np.ndarray:
    llama.load_state(state)
    llama.eval(tokens[prefix:])
    logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).astype(np.float64)
    chosen = logits[options]
    return chosen - (chosen.max() + np.log(np.exp(chosen - chosen.max()).sum()))


def probe_article(llama: Any, path: Path, segments: list[Segment], options: list[int]) -> list[dict[str, Any]]:
    """Each sentence's log-probabilities over OPTIONS, raw and calibrated by the "N/A" sentence."""
    base = article_messages(load_article(str(path)), segments)
    prefix_tokens = llama.tokenize(
        _chatml(base).removesuffix("<|im_start|>assistant\n").encode(), add_bos=False, special=True
    )
    llama.reset()
    llama.eval(prefix_tokens)
    # Every question shares its guide: the state after it is kept, and each sentence reads on from there.
    marker = "\x00"
    guide = _chatml([*base, {"role": "user", "content": build_question("ask_kind", number=0, sentence=marker)}])
    guide_tokens = llama.tokenize(guide[: guide.index("Sentence [")].encode(), add_bos=False, special=True)
    if guide_tokens[: len(prefix_tokens)] != prefix_tokens:
        raise SystemExit("the article's messages do not tokenize alike before the question")
    llama.eval(guide_tokens[len(prefix_tokens) :])
    state = llama.save_state()

    def ask(number: int, sentence: str) -> np.ndarray:
        question = build_question("ask_kind", number=number, sentence=sentence)
        tokens = llama.tokenize(
            (_chatml([*base, {"role": "user", "content": question}]) + '"').encode(), add_bos=False, special=True
        )
        if tokens[: len(guide_tokens)] != guide_tokens:
            raise SystemExit("the kind question's guide does not tokenize alike before every sentence")
        return _logprobs(llama, state, len(guide_tokens), tokens, options)

    prior = ask(len(segments) + 1, "N/A")
    rows = []
    for segment in segments:
        if len(segment.text.split()) < 4:
            continue
        raw = ask(segment.number, segment.text)
        rows.append(
            {"sentence": segment.number, "raw": raw.round(4).tolist(), "calibrated": (raw - prior).round(4).tolist()}
        )
    return rows


def score(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Sentence-level accuracy of the raw and the calibrated argmax against the gold labels
    (a sentence with several labels counts as right when the choice is one of them)."""
    out: dict[str, Any] = {}
    for signal in ("raw", "calibrated"):
        right = total = 0
        said: Counter[str] = Counter()
        per_kind = {k: {"tp": 0, "pred": 0, "gold": 0} for k in OPTIONS[:-1]}
        for article in articles:
            for row in article["rows"]:
                choice = OPTIONS[int(np.argmax(row[signal]))]
                labels = set(row["labels"]) or {"none"}
                said[choice] += 1
                right += choice in labels
                total += 1
                for kind, c in per_kind.items():
                    c["tp"] += choice == kind and kind in labels
                    c["pred"] += choice == kind
                    c["gold"] += kind in labels
        f1 = {
            k: round(2 * c["tp"] / (c["pred"] + c["gold"]), 3) if c["pred"] + c["gold"] else 0.0
            for k, c in per_kind.items()
        }
        out[signal] = {
            "accuracy": round(right / total, 3) if total else 0.0,
            "sentences": total,
            "chosen": dict(said),
            "f1": f1,
        }
    return out


def logit_vectors(signals: dict[str, Any], articles: list[Any]) -> dict[str, np.ndarray]:
    """Each sentence's raw and calibrated option log-probabilities (10 numbers; zeros where not probed),
    keyed as :mod:`training.embeddings` keys its vectors."""
    from training.embeddings import _key

    rows = {a["name"]: {r["sentence"]: r for r in a["rows"]} for a in signals["articles"]}
    vectors = {}
    for article in articles:
        for segment in article.segments:
            row = rows.get(article.name, {}).get(segment.number)
            vectors[_key(segment.text)] = (
                np.array([*row["raw"], *row["calibrated"]]) if row else np.zeros(2 * len(OPTIONS))
            )
    return vectors


def cross_validated(signals: dict[str, Any], real: list[Any], c_values: list[float]) -> list[dict[str, Any]]:
    """Sentence-kind CV (realdev folds by article, no dev set: it has no probe) on the rule
    features alone, the option log-probabilities alone, and both."""
    from training.embeddings import cross_validate

    probed = {a["name"] for a in signals["articles"]}
    real = [a for a in real if a.name in probed]
    vectors = logit_vectors(signals, real)
    results = [cross_validate(real, [], vectors, "rules", 0.5)]
    results += [cross_validate(real, [], vectors, inputs, c) for inputs in ("embedding", "both") for c in c_values]
    for r in results:
        r["inputs"] = {"embedding": "logprobs"}.get(r["inputs"], r["inputs"])
        r["articles"] = len(real)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.probe_kinds", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--articles", nargs="*", help="only these articles (names without .txt)")
    parser.add_argument("--out", type=Path, required=True, help="the signals (articles already in it are kept)")
    parser.add_argument("--cv", type=Path, help="write the cross-validated kind F1 with these signals to this file")
    parser.add_argument("--C", type=float, nargs="*", default=[0.01, 0.1, 1.0])
    args = parser.parse_args(argv)
    done = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {"articles": []}
    have = {a["name"] for a in done["articles"]}
    wanted = [a for a in load_folder(args.realdev, "realdev") if not args.articles or a.name in args.articles]
    todo = [a for a in wanted if a.name not in have]
    if todo:
        llama = embedded_llama()
        options = _option_tokens(llama)
        for article in todo:
            rows = probe_article(llama, article.path, article.segments, options)
            labels = {s.number: sorted(found) for s, found in zip(article.segments, article.labels, strict=True)}
            for row in rows:
                row["labels"] = labels[row["sentence"]]
            done["articles"].append({"name": article.name, "rows": rows})
            args.out.write_text(json.dumps(done) + "\n", encoding="utf-8")
            print(f"{article.name}: {len(rows)} sentences", file=sys.stderr, flush=True)
    chosen = [a for a in done["articles"] if a["name"] in {w.name for w in wanted}]
    print(json.dumps(score(chosen)))
    if args.cv:
        results = cross_validated(done, wanted, args.C)
        for r in results:
            row = "  ".join(f"{k} {v['precision']:.2f}/{v['recall']:.2f}/{v['f1']:.2f}" for k, v in r["cv"].items())
            print(f"{r['inputs']:9s} C={r['C']:<6g} P/R/F1  {row}")
        args.cv.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
