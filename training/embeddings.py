"""Do the embedded model's own sentence embeddings tell what a sentence states? A linear probe.

    python -m training.embeddings --cache /tmp/runs/embeddings.npz --report OUT.json

Each sentence of realdev (read at run time) and of the dev set is embedded by the shipped GGUF
(llama.cpp, mean pooling over its tokens; cached in ``--cache`` by the sentence's hash). Then,
with the folds of ``training.kinds`` (grouped by article, the dev set always training), one
logistic regression per kind is fitted on the training folds and scored on the held-out one,
over three inputs: the rule features alone, the embedding alone, and both. Each kind's
threshold is chosen out of fold inside the training articles, as for the shipped weights.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from summariser.kinds import KINDS
from training.data import Article, folds, load_folder
from training.kinds import INNER_FOLDS, THRESHOLDS, _matrix, _supported

INPUTS = ("rules", "embedding", "both")


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def embed_all(articles: Sequence[Article], cache: Path) -> dict[str, np.ndarray]:
    """Every sentence's embedding, computed once by the shipped GGUF and kept in ``cache``."""
    return vectors_of([s.text for a in articles for s in a.segments], cache)


def vectors_of(texts: Sequence[str], cache: Path) -> dict[str, np.ndarray]:
    """Each text's embedding (keyed by :func:`_key`), computed once and kept in ``cache``."""
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as stored:
            known = {k: stored[k] for k in stored.files}
    wanted = {_key(t): t for t in texts}
    missing = [(k, t) for k, t in wanted.items() if k not in known]
    if missing:
        from summariser.local import embed_texts

        for start in range(0, len(missing), 200):
            chunk = missing[start : start + 200]
            for (key, _), vector in zip(chunk, embed_texts([t for _, t in chunk]), strict=True):
                known[key] = np.asarray(vector, dtype=np.float32)
            print(f"embedded {start + len(chunk)}/{len(missing)}", file=sys.stderr, flush=True)
            np.savez(cache, **known)
    return {k: known[k] for k in wanted}


def _inputs(articles: Sequence[Article], features: list[str], vectors: dict[str, np.ndarray], kind: str) -> np.ndarray:
    x, _, _ = _matrix(articles, features)
    if kind == "rules":
        return x
    e = np.array([vectors[_key(s.text)] for a in articles for s in a.segments])
    return e if kind == "embedding" else np.hstack([x, e])


def _model(kind: str, c: float) -> object:
    if kind == "rules":
        return LogisticRegression(C=0.5, max_iter=2000)
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=3000))


def _fit(train: Sequence[Article], vectors: dict[str, np.ndarray], inputs: str, c: float) -> tuple:
    features = _supported(train)
    x = _inputs(train, features, vectors, inputs)
    _, y, _ = _matrix(train, features)
    models = [_model(inputs, c).fit(x, y[:, k]) if y[:, k].any() else None for k in range(len(KINDS))]
    return features, models


def _proba(fitted: tuple, test: Sequence[Article], vectors: dict[str, np.ndarray], inputs: str) -> np.ndarray:
    features, models = fitted
    x = _inputs(test, features, vectors, inputs)
    return np.column_stack([m.predict_proba(x)[:, 1] if m is not None else np.zeros(len(x)) for m in models])


def _thresholds(train: Sequence[Article], vectors: dict[str, np.ndarray], inputs: str, c: float) -> np.ndarray:
    inner = folds([a.name for a in train], INNER_FOLDS)
    probs, truth = [], []
    for f in range(INNER_FOLDS):
        fit_on = [a for a in train if inner[a.name] != f]
        held = [a for a in train if inner[a.name] == f]
        probs.append(_proba(_fit(fit_on, vectors, inputs, c), held, vectors, inputs))
        truth.append(_labels(held))
    p, t = np.vstack(probs), np.vstack(truth)
    best = []
    for k in range(len(KINDS)):
        f1 = [_f1(p[:, k] >= th, t[:, k]) for th in THRESHOLDS]
        best.append(float(THRESHOLDS[int(np.argmax(f1))]))
    return np.array(best)


def _labels(articles: Sequence[Article]) -> np.ndarray:
    """Each sentence's gold kinds, one column per kind."""
    return _matrix(articles, [])[1]


def _f1(pred: np.ndarray, truth: np.ndarray) -> float:
    total = pred.sum() + truth.sum()
    return float(2 * (pred & truth).sum() / total) if total else 0.0


def cross_validate(real: Sequence[Article], extra: Sequence[Article], vectors: dict[str, np.ndarray],
                   inputs: str, c: float, k: int = 5) -> dict:  # fmt: skip
    assignment = folds([a.name for a in real], k)
    counts = {kind: {"tp": 0, "pred": 0, "gold": 0} for kind in KINDS}
    per_fold = []
    for f in range(k):
        test = [a for a in real if assignment[a.name] == f]
        train = [*extra, *(a for a in real if assignment[a.name] != f)]
        pred = _proba(_fit(train, vectors, inputs, c), test, vectors, inputs) >= _thresholds(train, vectors, inputs, c)
        truth = _labels(test)
        fold = {}
        for i, kind in enumerate(KINDS):
            tp, said, gold = int((pred[:, i] & truth[:, i]).sum()), int(pred[:, i].sum()), int(truth[:, i].sum())
            for name, value in (("tp", tp), ("pred", said), ("gold", gold)):
                counts[kind][name] += value
            fold[kind] = round(_f1(pred[:, i], truth[:, i]), 3)
        per_fold.append(fold)
    pooled = {
        kind: {
            "precision": round(c_["tp"] / c_["pred"], 3) if c_["pred"] else 0.0,
            "recall": round(c_["tp"] / c_["gold"], 3) if c_["gold"] else 0.0,
            "f1": round(2 * c_["tp"] / (c_["pred"] + c_["gold"]), 3) if c_["pred"] + c_["gold"] else 0.0,
        }
        for kind, c_ in counts.items()
    }
    return {"inputs": inputs, "C": c, "cv": pooled, "folds_f1": per_fold}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.embeddings", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--devset", type=Path, default=Path("devset"))
    parser.add_argument("--cache", type=Path, required=True, help="an .npz file keeping the sentence embeddings")
    parser.add_argument("--C", type=float, nargs="*", default=[0.001, 0.01])
    parser.add_argument("--report", type=Path)
    parser.add_argument("--embed-only", action="store_true", help="compute the embeddings and stop")
    args = parser.parse_args(argv)
    real = [a for a in load_folder(args.realdev, "realdev") if a.gold.get("is_negotiation") is not None]
    extra = load_folder(args.devset, "devset")
    vectors = embed_all([*real, *extra], args.cache)
    if args.embed_only:
        return 0
    results = [cross_validate(real, extra, vectors, "rules", 0.5)]
    results += [cross_validate(real, extra, vectors, inputs, c) for inputs in ("embedding", "both") for c in args.C]
    for r in results:
        row = "  ".join(f"{k} {v['precision']:.2f}/{v['recall']:.2f}" for k, v in r["cv"].items())
        print(f"{r['inputs']:9s} C={r['C']:<6g} P/R  {row}")
    if args.report:
        args.report.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
