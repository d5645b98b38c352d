"""Each item source's record on realdev, and the confidence bar an item must clear, by cross-validation.

    python -m training.cv --kinds rules --save-briefs BRIEFS          # the briefs, once
    python -m training.confidence --predictions BRIEFS --json docs/eval/21-confidence-cv.json \\
        --write summariser/data/confidence.json

The realdev articles are dealt into the folds ``training.cv`` uses. For each fold, the
records of every (section, source) and each section's bar are fitted on the other folds'
briefs (the bar that gives the best F1 there), the fold's briefs lose the items under the
bar, and the fold is scored. The report pools the held-out folds, with and without the bar.
``--write`` then fits the table on every article and writes it for the package.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summariser.confidence import SECTIONS, ConfidenceTable, Record
from summariser.eval import QUALITY_METRICS, ArticleScore, aggregate, find_articles, load_gold, score_article
from summariser.load import load_article
from training.data import folds

# What each count prefix of summarise eval measures: an item's kind, its actor, a proposal's status.
_PREFIXES = {"src": "", "act": "actor:", "sts": "status:"}


def records(scores: Sequence[ArticleScore]) -> dict[str, dict[str, Record]]:
    """Each section's sources: items given, right, and the articles they came from; the actors'
    and statuses' deciders as sections of their own ("actor:positions", "status:proposals")."""
    tally: dict[tuple[str, str], list[int]] = {}
    for score in scores:
        for key, value in score.counts.items():
            prefix = key.split("|", 1)[0]
            if prefix not in _PREFIXES or key.count("|") != 3 or not value:
                continue
            _, section, source, what = key.split("|")
            section = _PREFIXES[prefix] + section
            row = tally.setdefault((section, source), [0, 0, 0])
            if what == "items":
                row[0] += value
                row[2] += 1
            else:
                row[1] += value
    out: dict[str, dict[str, Record]] = {}
    for (section, source), (items, right, articles) in tally.items():
        out.setdefault(section, {})[source] = Record(items, right, articles)
    return out


def _f1(tp: int, pred: int, gold: int) -> float:
    return 2 * tp / (pred + gold) if pred + gold else 0.0


def fit(scores: Sequence[ArticleScore], *, strength: float = 4.0, min_articles: int = 3) -> ConfidenceTable:
    """Records from ``scores``, and per section the bar with the best F1 on them (the lowest on a tie)."""
    table = ConfidenceTable(records(scores), strength=strength, min_articles=min_articles)
    bars = {}
    for section in SECTIONS:
        gold = sum(s.counts.get(f"{section}_gold", 0) for s in scores)
        rows = table.records.get(section, {})
        candidates = sorted({table.confidence(section, src) or 0.0 for src in rows} | {0.0})
        best, best_f1 = 0.0, -1.0
        for bar in candidates:
            kept = [
                r
                for src, r in rows.items()
                if r.articles < min_articles or (table.confidence(section, src) or 0) >= bar
            ]
            f1 = _f1(sum(r.right for r in kept), sum(r.items for r in kept), gold)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = bar, f1
        bars[section] = best
    return ConfidenceTable(table.records, bars, strength, min_articles)


def gated(brief: dict[str, Any] | None, table: ConfidenceTable) -> dict[str, Any] | None:
    """``brief`` without the items under their section's bar."""
    if brief is None:
        return None
    out = copy.deepcopy(brief)
    for section in SECTIONS:
        out[section] = [i for i in out.get(section, []) if table.below_bar(section, i.get("source")) is None]
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    articles = find_articles(args.realdev)
    assignment = folds([name for name, _, _ in articles], args.folds)
    rows = []
    for name, article_path, gold_path in articles:
        path = args.predictions / f"{name}.json"
        brief = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        rows.append((name, brief, load_gold(gold_path), load_article(str(article_path)).text))
    plain = {name: score_article(name, b, g, t, error=None if b else "no brief") for name, b, g, t in rows}
    held_out, fold_tables = [], []
    for fold in range(args.folds):
        table = fit([plain[n] for n, *_ in rows if assignment[n] != fold], strength=args.strength)
        fold_tables.append({"fold": fold, "bars": table.bars})
        for name, brief, gold, text in rows:
            if assignment[name] == fold:
                held_out.append(score_article(name, gated(brief, table), gold, text))
    final = fit(list(plain.values()), strength=args.strength)
    return {
        "folds": fold_tables,
        "without_bar": _headline(aggregate(list(plain.values()))),
        "with_bar": _headline(aggregate(held_out)),
        "table": final.to_json(),
    }


def _headline(overall: dict[str, Any]) -> dict[str, Any]:
    return {k: overall[k] for k in (*QUALITY_METRICS, "false_brief_rate") if k in overall}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.confidence", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--predictions", type=Path, required=True, help="NAME.json briefs from training.cv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--strength", type=float, default=4.0, help="how many items the pooled rate counts as")
    parser.add_argument("--json", type=Path, help="write the report here")
    parser.add_argument("--write", type=Path, help="write the table fitted on every article here")
    args = parser.parse_args(argv)
    report = run(args)
    print(f"{'metric':22s} {'no bar':>7s} {'bar (cv)':>9s}")
    for key, before in report["without_bar"].items():
        after = report["with_bar"].get(key)
        if isinstance(before, (int, float)) and isinstance(after, (int, float)):
            print(f"{key:22s} {before:7.3f} {after:9.3f}")
    for fold in report["folds"]:
        print(f"fold {fold['fold']} bars: {fold['bars']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.write:
        table = report["table"] | {"measured": "realdev, embedded model, trust = rules (python -m training.confidence)"}
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
