"""Whether a filter learned over a brief's items lifts held-out F1 (measured: it does not).

    python -m training.item_filter --predictions BRIEFS --json docs/eval/21-item-filter-cv.json

Each item of the saved briefs is labelled right or wrong by the eval's own matching (its
evidence holds a gold quote of its section and its actor matches). One logistic regression
per section weighs the item's source, where its sentence lies, quotation, figures, a
reporting verb, a joint actor, its evidence's length and the brief's size. By folds grouped
by article, the regression and the probability bar with the best F1 are fitted on the other
folds, and the held-out items under the bar are removed; the pooled precision, recall and F1
are reported with and without the filter.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

from summariser.confidence import SECTIONS
from summariser.eval import _gold_actor, actors_match, find_articles, load_gold, quote_supported
from training.data import folds

_QUOTE = re.compile(r"[\"“”]")
_SAID = re.compile(r"\b(said|says|told|added)\b")


def labelled(brief: dict[str, Any], gold: Any, section: str) -> list[tuple[dict[str, Any], int]]:
    """Each item of ``section`` with 1 when the eval counts it right (each gold item once)."""
    golds, entities, used, out = getattr(gold, section), [*gold.parties, *gold.mediators], set(), []
    for item in brief.get(section, []):
        texts = [e.get("text", "") for e in item.get("evidence", [])]
        actor = item.get("party") if section == "positions" else item.get("by")
        right = [
            j
            for j, g in enumerate(golds)
            if quote_supported(g.quote, texts) and actors_match(actor, _gold_actor(section, g), entities)
        ]
        hit = next((j for j in right if j not in used), None)
        if hit is not None:
            used.add(hit)
        out.append((item, int(hit is not None)))
    return out


def features(item: dict[str, Any], brief: dict[str, Any], section: str, sources: list[str]) -> list[float]:
    evidence = item.get("evidence") or [{}]
    text, number = evidence[0].get("text", ""), evidence[0].get("sentence", 1)
    actor = item.get("party") or item.get("by") or ""
    count = max(1, brief.get("meta", {}).get("sentences") or number)
    return [
        number / count,
        float(number <= 2),
        float(bool(_QUOTE.search(text))),
        float(bool(re.search(r"\d", text))),
        math.log1p(len(text.split())),
        float(" and " in actor),
        float(len(evidence)),
        float(bool(_SAID.search(text))),
        math.log1p(len(brief.get(section, []))),
        float(len(brief.get("parties", []))),
        *(float((item.get("source") or "model") == s) for s in sources),
    ]


def _best_bar(probabilities: list[float], labels: list[int], gold: int) -> float:
    best, best_f1 = 0.0, -1.0
    for bar in sorted({0.0, *probabilities}):
        kept = [y for p, y in zip(probabilities, labels, strict=True) if p >= bar]
        f1 = 2 * sum(kept) / (len(kept) + gold) if kept or gold else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = bar, f1
    return best


def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    return {
        "precision": round(tp / pred, 3) if pred else 0.0,
        "recall": round(tp / gold, 3) if gold else 0.0,
        "f1": round(2 * tp / (pred + gold), 3) if pred + gold else 0.0,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    articles = find_articles(args.realdev)
    assignment = folds([name for name, _, _ in articles], args.folds)
    loaded = []
    for name, _, gold_path in articles:
        path = args.predictions / f"{name}.json"
        loaded.append(
            (name, json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}, load_gold(gold_path))
        )
    report: dict[str, Any] = {}
    for section in SECTIONS:
        rows = [(n, b, item, y) for n, b, g in loaded for item, y in labelled(b, g, section)]
        gold_of = {n: len(getattr(g, section)) for n, _, g in loaded}
        sources = sorted({item.get("source") or "model" for _, _, item, _ in rows})
        tp = pred = 0
        for fold in range(args.folds):
            train = [r for r in rows if assignment[r[0]] != fold]
            test = [r for r in rows if assignment[r[0]] == fold]
            X = [features(item, b, section, sources) for _, b, item, _ in train]
            y = [label for *_, label in train]
            model = LogisticRegression(C=args.c, max_iter=2000).fit(X, y)
            gold = sum(v for n, v in gold_of.items() if assignment[n] != fold)
            bar = _best_bar(list(model.predict_proba(X)[:, 1]), y, gold)
            if test:
                probabilities = model.predict_proba([features(item, b, section, sources) for _, b, item, _ in test])[
                    :, 1
                ]
                kept = [label for (*_, label), p in zip(test, probabilities, strict=True) if p >= bar]
                tp, pred = tp + sum(kept), pred + len(kept)
        gold_all, right_all = sum(gold_of.values()), sum(label for *_, label in rows)
        report[section] = {"without": _prf(right_all, len(rows), gold_all), "filtered": _prf(tp, pred, gold_all)}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.item_filter", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--predictions", type=Path, required=True, help="NAME.json briefs from training.cv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=0.5, help="the regression's inverse regularisation")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    report = run(args)
    for section, figures in report.items():
        before, after = figures["without"], figures["filtered"]
        print(
            f"{section:11s} without P {before['precision']:.3f} R {before['recall']:.3f} F1 {before['f1']:.3f}"
            f"   filtered P {after['precision']:.3f} R {after['recall']:.3f} F1 {after['f1']:.3f}"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
