"""End-to-end cross-validation of briefs over realdev, grouped by article.

    python -m training.cv --json docs/eval/16-cv-fitted-realdev.json     # the shipped pipeline's way
    python -m training.cv --kinds rules --json docs/eval/15-cv-rules-realdev.json   # the rules alone

The realdev articles are dealt into ``--folds`` folds (sorted names, round-robin).
For each fold the sentence-kind weights are fitted on the fictional dev set and the
other folds (:mod:`training.kinds`), and the fold's articles are briefed through
:func:`summariser.summarise` with those weights and scored with ``summarise eval``'s
scorer. The report has each fold's figures, their spread, the pooled (micro-averaged)
figures over every held-out article, and the per-article rows. With ``--kinds rules``
nothing is fitted, and the folds only show the spread.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from summariser import summarise
from summariser.call import resolve_provider
from summariser.config import load_settings
from summariser.errors import SummariserError
from summariser.eval import QUALITY_METRICS, aggregate, find_articles, load_gold, score_article
from summariser.load import load_article
from summariser.render import render_json
from training.cache import cached_provider
from training.data import folds, load_folder
from training.kinds import fit, to_json

HEADLINE = (*QUALITY_METRICS, "false_brief_rate", "seconds")


def _spread(fold_overalls: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out = {}
    for key in HEADLINE:
        values = [o[key] for o in fold_overalls if isinstance(o.get(key), (int, float))]
        if values:
            out[key] = {
                "min": round(min(values), 3),
                "max": round(max(values), 3),
                "sd": round(statistics.pstdev(values), 3),
            }
    return out


def _rescore(args: argparse.Namespace) -> dict[str, Any]:
    """Fold figures of briefs saved by an earlier run (``NAME.json`` in ``args.predictions``)."""
    articles = find_articles(args.realdev)
    assignment = folds([name for name, _, _ in articles], args.folds)
    by_fold: dict[int, list[Any]] = {f: [] for f in range(args.folds)}
    for name, article_path, gold_path in articles:
        path = args.predictions / f"{name}.json"
        brief = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        text = load_article(str(article_path)).text
        score = score_article(name, brief, load_gold(gold_path), text, error=None if brief else "no brief")
        by_fold[assignment[name]].append(score)
    return _report(args.kinds, by_fold, {"hits": 0, "misses": 0})


def _report(kinds: str, by_fold: dict[int, list[Any]], cache_counts: dict[str, int]) -> dict[str, Any]:
    fold_reports = [
        {"fold": f, "articles": sorted(s.name for s in scores), "overall": aggregate(scores)}
        for f, scores in by_fold.items()
    ]
    rows = [(f, s) for f, scores in by_fold.items() for s in scores]
    return {
        "kinds": kinds,
        "folds": fold_reports,
        "spread": _spread([f["overall"] for f in fold_reports]),
        "overall": aggregate([s for _, s in rows]),
        "articles": [
            {"name": s.name, "fold": f, **s.metrics, **s.cost, "counts": s.counts, "error": s.error} for f, s in rows
        ],
        "cache": cache_counts,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.predictions is not None:
        return _rescore(args)
    articles = find_articles(args.realdev)
    assignment = folds([name for name, _, _ in articles], args.folds)
    settings = load_settings(model=args.model, kinds=args.kinds, trust=args.trust, items=args.items)
    provider, cache_counts = resolve_provider(settings), {"hits": 0, "misses": 0}
    if args.cache is not None:
        provider, cache_counts = cached_provider(provider, args.cache)
    negotiation = _negotiation_data(args)
    real = load_folder(args.realdev, "realdev") if args.kinds == "fitted" else []
    extra = load_folder(args.devset, "devset") if args.kinds == "fitted" else []
    by_fold: dict[int, list[Any]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for fold in range(args.folds):
                fold_settings = settings
                if negotiation is not None:
                    fold_settings = _with_negotiation_weights(fold_settings, negotiation, assignment, fold, Path(tmp))
                if args.kinds == "fitted":
                    weights = fit([*extra, *(a for a in real if assignment[a.name] != fold)])
                    path = Path(tmp) / f"kinds-fold{fold}.json"
                    path.write_text(json.dumps(to_json(weights)), encoding="utf-8")
                    fold_settings = load_settings(
                        model=args.model, kinds="fitted", kind_weights=str(path), trust=args.trust, items=args.items
                    )
                by_fold[fold] = []
                for name, article_path, gold_path in articles:
                    if assignment[name] == fold:
                        print(f"fold {fold}: {name}", file=sys.stderr, flush=True)
                        score = _score_one(name, article_path, gold_path, fold_settings, provider, args.save_briefs)
                        by_fold[fold].append(score)
    finally:
        provider.close()
    report = _report(args.kinds, by_fold, cache_counts)
    report["trust"] = settings.decides
    return report


def _negotiation_data(args: argparse.Namespace) -> tuple[dict[str, Any], Any] | None:
    """The negotiation signals (``training.negotiation --signals``) and opening embeddings, when given."""
    if args.negotiation_signals is None:
        return None
    from training.negotiation import opening_vectors

    data = json.loads(args.negotiation_signals.read_text(encoding="utf-8"))
    vectors = (
        opening_vectors([args.realdev, args.devset, Path("holdout")], args.embeddings) if args.embeddings else None
    )
    return data, vectors


def _with_negotiation_weights(
    settings: Any, negotiation: tuple[dict[str, Any], Any], assignment: dict[str, int], fold: int, tmp: Path
) -> Any:
    """``settings`` judging negotiations by weights fitted without this fold's articles."""
    from training.negotiation import fit as fit_negotiation

    data, vectors = negotiation
    rows = [*data["extra"], *(r for r in data["real"] if assignment.get(r["name"]) != fold)]
    path = tmp / f"negotiation-fold{fold}.json"
    path.write_text(json.dumps(fit_negotiation(rows, vectors)), encoding="utf-8")
    return settings.model_copy(update={"negotiation_weights": str(path)})


def _score_one(name: str, article_path: Path, gold_path: Path, settings: Any, provider: Any, save: Path | None) -> Any:
    gold = load_gold(gold_path)
    text = load_article(str(article_path)).text
    brief, error = None, None
    started = time.perf_counter()
    try:
        rendered = render_json(summarise(str(article_path), settings=settings, provider=provider))
        brief = json.loads(rendered)
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{name}.json").write_text(rendered + "\n", encoding="utf-8")
    except SummariserError as exc:
        error = str(exc)
    score = score_article(name, brief, gold, text, error=error)
    score.cost["wall_seconds"] = round(time.perf_counter() - started, 2)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.cv", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--devset", type=Path, default=Path("devset"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--model", default="local")
    parser.add_argument("--kinds", choices=("fitted", "rules", "model"), default="fitted")
    parser.add_argument("--trust", choices=("auto", "rules", "model"), default="auto")
    parser.add_argument("--items", choices=("questions", "extract"))
    parser.add_argument("--cache", type=Path, help="SQLite cache of model answers (timings then mean nothing)")
    parser.add_argument("--save-briefs", type=Path, help="write each brief as NAME.json here")
    parser.add_argument("--json", type=Path, help="write the report here")
    parser.add_argument("--predictions", type=Path, help="score NAME.json briefs saved by an earlier run instead")
    parser.add_argument(
        "--negotiation-signals", type=Path, help="fit the negotiation weights per fold from these signals"
    )
    parser.add_argument("--embeddings", type=Path, help="with --negotiation-signals: the sentence embeddings cache")
    args = parser.parse_args(argv)
    report = run(args)
    for key in HEADLINE:
        value, spread = report["overall"].get(key), report["spread"].get(key)
        if isinstance(value, (int, float)):
            extra = f"   folds {spread['min']:.2f}-{spread['max']:.2f} (sd {spread['sd']:.2f})" if spread else ""
            print(f"{key:22s} {value:.3f}{extra}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
