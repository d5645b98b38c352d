"""Fit the is-it-a-negotiation decision, and measure it by cross-validation grouped by article.

    python -m training.negotiation --cache answers.sqlite --signals signals.json \
        --embeddings embeddings.npz --report cv.json --out summariser/data/negotiation.json

Step 1 is run (through the cache) on every article of the fictional dev set, the fictional
held-out set and ``../shared/realdev``; each article's signals
(:func:`summariser.negotiation.negotiation_features`) and its gold verdict are the data.
The realdev folds are scored out of fold (dev and held-out always train). The threshold
is the highest at which no training negotiation is lost, so a negotiation is lost only
when it looks less like one than every negotiation seen. With ``--embeddings`` (a cache of
:mod:`training.embeddings`), the mean embedding of each article's first ``SENTENCES``
sentences is one more signal: its place along the difference of the training negotiations'
and non-negotiations' standardised means, fitted inside each fold like the weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from summariser.call import CallRecord, resolve_provider
from summariser.config import load_settings
from summariser.cues import looks_english
from summariser.errors import SummariserError
from summariser.eval import find_articles, load_gold
from summariser.load import load_article
from summariser.local import MODEL_SHA256
from summariser.negotiation import WEIGHTS_VERSION, decide_negotiation, embedding_score, negotiation_features
from summariser.pipeline import find_sides
from summariser.segment import segment_text
from training.cache import cached_provider
from training.data import folds

C = 1.0
SENTENCES = 10  # the opening sentences whose mean embedding is a signal
MARGIN = 0.02  # below the least negotiation-like training negotiation


def collect(folder: Path, group: str, settings: Any, provider: Any) -> list[dict[str, Any]]:
    rows = []
    for name, article_path, gold_path in find_articles(folder):
        article = load_article(str(article_path))
        segments = segment_text(article.text)
        try:
            sides, _, _ = find_sides(article, segments, settings, provider, CallRecord())
        except SummariserError as exc:
            print(f"{name}: step 1 failed ({exc}); scored as the model saying no", file=sys.stderr)
            sides = None
        gold = load_gold(gold_path)
        rows.append(
            {
                "name": name,
                "group": group,
                "label": gold.is_negotiation,
                "features": negotiation_features(segments, sides, english=looks_english(article.text)),
            }
        )
        print(f"{group}: {name}", file=sys.stderr, flush=True)
    return rows


def opening_vectors(folders: Sequence[Path], cache: Path) -> dict[str, np.ndarray]:
    """Each article's mean embedding over its first ``SENTENCES`` sentences, by name."""
    from training.embeddings import _key, vectors_of

    openings = {
        name: [s.text for s in segment_text(load_article(str(path)).text)[:SENTENCES]]
        for folder in folders
        for name, path, _ in find_articles(folder)
    }
    vectors = vectors_of([t for texts in openings.values() for t in texts], cache)
    return {name: np.mean([vectors[_key(t)] for t in texts], axis=0) for name, texts in openings.items() if texts}


def _direction(rows: Sequence[dict[str, Any]], vectors: dict[str, np.ndarray]) -> dict[str, Any]:
    """The difference of the negotiations' and the others' standardised mean embeddings, folded into
    one vector and offset over the raw embedding, scaled so the training articles spread by 1."""
    x = np.array([vectors[r["name"]] for r in rows], dtype=np.float64)
    y = np.array([bool(r["label"]) for r in rows])
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
    w = ((x - mu) / sd)[y].mean(axis=0) - ((x - mu) / sd)[~y].mean(axis=0)
    scores = ((x - mu) / sd) @ w
    centre, spread = float(scores.mean()), float(scores.std()) or 1.0
    return {
        "sentences": SENTENCES,
        "direction": [float(f"{v:.6g}") for v in w / sd / spread],
        "offset": round((float(mu @ (w / sd)) + centre) / spread, 6),
        "model_sha256": MODEL_SHA256,
    }


def _with_embedding(rows: Sequence[dict[str, Any]], vectors: dict[str, np.ndarray], embedding: dict[str, Any]) -> list:
    return [
        {**r, "features": {**r["features"], "embedding": embedding_score([vectors[r["name"]]], embedding)}}
        for r in rows
    ]


def fit(rows: Sequence[dict[str, Any]], vectors: dict[str, np.ndarray] | None = None) -> dict[str, Any]:
    """Weights over English articles' signals (another language keeps the model's answer)."""
    rows = [r for r in rows if r["features"].get("english")]
    embedding = None
    if vectors is not None:
        embedding = _direction(rows, vectors)
        rows = _with_embedding(rows, vectors, embedding)
    names = sorted({k for r in rows for k in r["features"]})
    x = np.array([[r["features"].get(k, 0.0) for k in names] for r in rows])
    y = np.array([r["label"] for r in rows])
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, y)
    weights: dict[str, Any] = {
        "version": WEIGHTS_VERSION,
        "features": names,
        "coefficients": [round(float(c), 5) for c in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 5),
        "threshold": 0.5,
        "meta": {"articles": len(rows), "negatives": int((~y).sum()), "C": C},
    }
    lowest = min(decide_negotiation(r["features"], weights).probability or 0.0 for r in rows if r["label"])
    weights["threshold"] = round(max(0.0, min(0.5, lowest - MARGIN)), 4)
    if embedding is not None:
        weights["embedding"] = embedding
    return weights


def _verdicts(rows: Sequence[dict[str, Any]], weights: dict[str, Any], vectors: dict[str, np.ndarray] | None) -> list:
    if vectors is not None and "embedding" in weights:
        english = [r for r in rows if r["features"].get("english")]
        scored = {r["name"]: r for r in _with_embedding(english, vectors, weights["embedding"])}
        rows = [scored.get(r["name"], r) for r in rows]
    return [decide_negotiation(r["features"], weights).is_negotiation for r in rows]


def _counts(rows: Sequence[dict[str, Any]], verdicts: Sequence[bool]) -> dict[str, int]:
    return {
        "negotiations": sum(r["label"] for r in rows),
        "lost": sum(r["label"] and not v for r, v in zip(rows, verdicts, strict=True)),
        "non_negotiations": sum(not r["label"] for r in rows),
        "false_briefs": sum(not r["label"] and v for r, v in zip(rows, verdicts, strict=True)),
    }


def cross_validate(
    real: Sequence[dict[str, Any]],
    extra: Sequence[dict[str, Any]],
    k: int,
    vectors: dict[str, np.ndarray] | None = None,
) -> dict[str, Any]:
    assignment = folds([r["name"] for r in real], k)
    held, per_fold = [], []
    for f in range(k):
        weights = fit([*extra, *(r for r in real if assignment[r["name"]] != f)], vectors)
        test = [r for r in real if assignment[r["name"]] == f]
        verdicts = _verdicts(test, weights, vectors)
        held.extend(zip(test, verdicts, strict=True))
        per_fold.append({"fold": f, "threshold": weights["threshold"], **_counts(test, verdicts)})
    model_only = [bool(r["features"]["model_says"]) for r in real]
    return {
        "folds": per_fold,
        "cv": _counts([r for r, _ in held], [v for _, v in held]),
        "model_alone": _counts(real, model_only),
        "articles": [
            {"name": r["name"], "gold": r["label"], "fitted": v, "model": bool(r["features"]["model_says"])}
            for r, v in held
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.negotiation", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--extra", type=Path, nargs="*", default=[Path("devset"), Path("holdout")])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--model", default="local")
    parser.add_argument("--cache", type=Path, help="SQLite cache of model answers")
    parser.add_argument("--signals", type=Path, help="read (or write, when absent) the collected signals here")
    parser.add_argument("--report", type=Path, help="write the CV figures as JSON here")
    parser.add_argument("--out", type=Path, help="fit on every article and write the weights here")
    parser.add_argument("--embeddings", type=Path, help="an .npz cache of sentence embeddings: adds the opening's")
    args = parser.parse_args(argv)
    if args.signals is not None and args.signals.exists():
        data = json.loads(args.signals.read_text(encoding="utf-8"))
    else:
        settings = load_settings(model=args.model)
        provider = resolve_provider(settings)
        if args.cache is not None:
            provider, _ = cached_provider(provider, args.cache)
        try:
            data = {
                "real": collect(args.realdev, "realdev", settings, provider),
                "extra": [row for folder in args.extra for row in collect(folder, folder.name, settings, provider)],
            }
        finally:
            provider.close()
        if args.signals is not None:
            args.signals.write_text(json.dumps(data), encoding="utf-8")
    vectors = None
    if args.embeddings is not None:
        vectors = opening_vectors([args.realdev, *args.extra], args.embeddings)
    report = cross_validate(data["real"], data["extra"], args.folds, vectors)
    print("cross-validated:", report["cv"], " model alone:", report["model_alone"])
    if args.report:
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.out:
        weights = fit([*data["extra"], *data["real"]], vectors)
        args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}: threshold {weights['threshold']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
