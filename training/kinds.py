"""Fit the sentence-kind weights, and measure them by cross-validation grouped by article.

    python -m training.kinds --cv                 # sentence-level CV on ../shared/realdev (devset always trains)
    python -m training.kinds --out summariser/data/kinds.json   # fit on everything, write the shipped weights

One logistic regression per kind (scikit-learn) over the features of
:func:`summariser.kinds.sentence_features`. A feature enters a fit only when it is
non-zero in at least ``MIN_ARTICLES`` training articles (no weight whose only
evidence is one article). Each kind's threshold maximises F1 on predictions made
out of fold inside the training articles (grouped by article), so the held-out
fold never chooses it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from summariser.kinds import KINDS, WEIGHTS_VERSION, KindWeights, decide_kinds
from training.data import Article, folds, load_folder

MIN_ARTICLES = 3
C = 0.5
INNER_FOLDS = 4
ABSTAIN = 0.1
THRESHOLDS = np.round(np.arange(0.15, 0.8, 0.025), 3)


def _matrix(articles: Sequence[Article], features: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    index = {f: i for i, f in enumerate(features)}
    rows, labels, groups = [], [], []
    for article in articles:
        for values, label in zip(article.features, article.labels, strict=True):
            row = np.zeros(len(features))
            for name, value in values.items():
                if name in index:
                    row[index[name]] = value
            rows.append(row)
            labels.append([kind in label for kind in KINDS])
            groups.append(article.name)
    return np.array(rows), np.array(labels, dtype=bool), groups


def _supported(articles: Sequence[Article]) -> list[str]:
    seen: dict[str, set[str]] = {}
    for article in articles:
        for values in article.features:
            for name in values:
                seen.setdefault(name, set()).add(article.name)
    return sorted(f for f, names in seen.items() if len(names) >= MIN_ARTICLES)


def _fit_raw(articles: Sequence[Article]) -> tuple[list[str], dict[str, LogisticRegression | None]]:
    features = _supported(articles)
    x, y, _ = _matrix(articles, features)
    models: dict[str, LogisticRegression | None] = {}
    for k, kind in enumerate(KINDS):
        models[kind] = LogisticRegression(C=C, max_iter=2000).fit(x, y[:, k]) if y[:, k].any() else None
    return features, models


def _proba(models: dict[str, LogisticRegression | None], x: np.ndarray) -> np.ndarray:
    return np.column_stack(
        [m.predict_proba(x)[:, 1] if m is not None else np.zeros(len(x)) for m in (models[k] for k in KINDS)]
    )


def _best_thresholds(articles: Sequence[Article]) -> dict[str, float]:
    """Per kind, the threshold with the best F1 over out-of-fold predictions inside ``articles``."""
    inner = folds([a.name for a in articles], INNER_FOLDS)
    probs, truth = [], []
    for f in range(INNER_FOLDS):
        train = [a for a in articles if inner[a.name] != f]
        test = [a for a in articles if inner[a.name] == f]
        features, models = _fit_raw(train)
        x, y, _ = _matrix(test, features)
        probs.append(_proba(models, x))
        truth.append(y)
    p, t = np.vstack(probs), np.vstack(truth)
    best = {}
    for k, kind in enumerate(KINDS):
        scores = []
        for threshold in THRESHOLDS:
            pred = p[:, k] >= threshold
            tp = float((pred & t[:, k]).sum())
            f1 = 2 * tp / (pred.sum() + t[:, k].sum()) if pred.sum() + t[:, k].sum() else 0.0
            scores.append(f1)
        best[kind] = float(THRESHOLDS[int(np.argmax(scores))])
    return best


def fit(articles: Sequence[Article], *, thresholds: dict[str, float] | None = None) -> KindWeights:
    """Weights fitted on ``articles``, thresholds chosen inside them (grouped by article)."""
    features, models = _fit_raw(articles)
    chosen = thresholds or _best_thresholds(articles)
    data = {
        "version": WEIGHTS_VERSION,
        "features": features,
        "coefficients": {
            k: [round(float(c), 5) for c in (models[k].coef_[0] if models[k] is not None else np.zeros(len(features)))]
            for k in KINDS
        },
        "intercepts": {k: round(float(models[k].intercept_[0]), 5) if models[k] is not None else -10.0 for k in KINDS},
        "thresholds": chosen,
        "abstain": {k: ABSTAIN for k in KINDS},
        "meta": {
            "articles": len(articles),
            "sentences": sum(len(a.segments) for a in articles),
            "C": C,
            "min_articles": MIN_ARTICLES,
        },
    }
    return KindWeights.from_dict(data)


def to_json(weights: KindWeights) -> dict:
    return {
        "version": WEIGHTS_VERSION,
        "features": list(weights.features),
        "coefficients": {k: list(v) for k, v in weights.coefficients.items()},
        "intercepts": weights.intercepts,
        "thresholds": weights.thresholds,
        "abstain": weights.abstain,
        "meta": weights.meta,
    }


def score(articles: Sequence[Article], weights: KindWeights | None) -> dict[str, dict[str, float]]:
    """Sentence-level precision and recall per kind (``weights=None``: the rules alone)."""
    counts = {k: {"tp": 0, "pred": 0, "gold": 0} for k in KINDS}
    for article in articles:
        for decision, label in zip(
            decide_kinds(article.segments, weights, rules_only=weights is None), article.labels, strict=True
        ):
            for kind in KINDS:
                said = kind in decision.kinds
                counts[kind]["tp"] += said and kind in label
                counts[kind]["pred"] += said
                counts[kind]["gold"] += kind in label
    return {
        k: {
            "precision": round(c["tp"] / c["pred"], 3) if c["pred"] else 0.0,
            "recall": round(c["tp"] / c["gold"], 3) if c["gold"] else 0.0,
            **c,
        }
        for k, c in counts.items()
    }


def cross_validate(real: Sequence[Article], extra: Sequence[Article], k: int) -> dict:
    assignment = folds([a.name for a in real], k)
    per_fold, held = [], []
    for f in range(k):
        test = [a for a in real if assignment[a.name] == f]
        weights = fit([*extra, *(a for a in real if assignment[a.name] != f)])
        per_fold.append({"fold": f, "articles": [a.name for a in test], "fitted": score(test, weights)})
        held.append((test, weights))
    pooled = {k_: {"tp": 0, "pred": 0, "gold": 0} for k_ in KINDS}
    for test, weights in held:
        for kind, c in score(test, weights).items():
            for key in pooled[kind]:
                pooled[kind][key] += c[key]
    cv = {
        kind: {
            "precision": round(c["tp"] / c["pred"], 3) if c["pred"] else 0.0,
            "recall": round(c["tp"] / c["gold"], 3) if c["gold"] else 0.0,
        }
        for kind, c in pooled.items()
    }
    train = score(real, fit([*extra, *real]))
    return {"folds": per_fold, "cv": cv, "rules": score(real, None), "training": train}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.kinds", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--devset", type=Path, default=Path("devset"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cv", action="store_true", help="cross-validate and print the figures")
    parser.add_argument("--report", type=Path, help="write the CV figures as JSON here")
    parser.add_argument("--out", type=Path, help="fit on every article and write the weights here")
    args = parser.parse_args(argv)
    real = [a for a in load_folder(args.realdev, "realdev") if a.gold.get("is_negotiation") is not None]
    extra = load_folder(args.devset, "devset")
    if args.cv or args.report:
        report = cross_validate(real, extra, args.folds)
        for name in ("rules", "cv", "training"):
            row = "  ".join(f"{k} {v['precision']:.2f}/{v['recall']:.2f}" for k, v in report[name].items())
            print(f"{name:9s} P/R  {row}")
        if args.report:
            args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.out:
        weights = fit([*extra, *real])
        args.out.write_text(json.dumps(to_json(weights), indent=0) + "\n", encoding="utf-8")
        print(f"wrote {args.out}: {len(weights.features)} features, thresholds {weights.thresholds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
