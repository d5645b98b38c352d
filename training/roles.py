"""Experiment: a fitted role decider over the sides a brief lists (mediator, party or neither).

    python -m training.roles --briefs realdev=DIR devset=DIR --report OUT.json

Candidates are the parties and mediators of saved briefs (``training.cv --save-briefs`` for
realdev; any full run for the dev set). Each is labelled from the gold sides (a mediator, a
party, or neither, by normalised name or alias) and described by what the sentences naming it
say: mediation words, hosting or chairing words, "helped to secure", statement cues of a side
(demands, offers), whether it is named in "talks between X and Y", how often and how early it
is named, and the role the brief gave it. One logistic regression for "is a mediator", fitted
on the dev set and the other realdev folds, scored on the held-out fold; mediator F1 pooled
over realdev's held-out briefs against the briefs' own mediators. Not part of the runtime.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from summariser import cues
from summariser.load import load_article
from summariser.names import mentions, normalise_name, sentence_norm
from summariser.segment import segment_text
from training.data import folds
from training.harness import emit

_MEDIATE = re.compile(
    r"\b(mediat\w*|broker\w*|facilitat\w*|interven\w*|good offices|peacemak\w*|guarantor\w*|shuttl\w*|"
    r"go-between|intermediar\w*)\b",
    re.IGNORECASE,
)
_HOST = re.compile(r"\b(host\w*|chair\w*|presidency|convened?|invited)\b", re.IGNORECASE)
_HELPED = re.compile(
    r"\b(help\w*|succeeded|work\w*) (?:to |in )?(secur|reach|broker|resolv|seal|end)\w*", re.IGNORECASE
)
_BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)


def _gold_roles(gold: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Each gold side's normalised names and aliases: its role and which mediator entry it is."""
    roles: dict[str, tuple[str, int]] = {}
    for section, role in (("parties", "party"), ("mediators", "mediator")):
        for index, side in enumerate(gold.get(section, [])):
            for name in [side.get("name", ""), *(side.get("aliases") or [])]:
                if name:
                    roles.setdefault(normalise_name(name), (role, index))
    return roles


def candidates(brief: dict[str, Any], gold: dict[str, Any], text: str) -> list[dict[str, Any]]:
    segments = segment_text(text)
    norms = [sentence_norm(s.text) for s in segments]
    roles = _gold_roles(gold)
    rows = []
    for role in ("parties", "mediators"):
        for side in brief.get(role, []):
            names = [side["name"], *(side.get("aliases") or [])]
            hits = [i for i, norm in enumerate(norms) if any(mentions(n, norm) for n in names if n)]
            said = [segments[i].text for i in hits]

            def share(pattern: re.Pattern[str], said: list[str] = said) -> float:
                return sum(bool(pattern.search(t)) for t in said) / max(1, len(said))

            kinds = [cues.statement_kind(t) for t in said]
            role_of = next((roles[k] for k in (normalise_name(n) for n in names) if k in roles), ("neither", -1))
            rows.append(
                {
                    "name": side["name"],
                    "label": role_of[0],
                    "entry": role_of[1] if role_of[0] == "mediator" else -1,
                    "features": {
                        "brief_mediator": float(role == "mediators"),
                        "mediate": share(_MEDIATE),
                        "any_mediate": float(any(_MEDIATE.search(t) for t in said)),
                        "host": share(_HOST),
                        "helped": float(any(_HELPED.search(t) for t in said)),
                        "between": share(_BETWEEN),
                        "demands": kinds.count("demand") / max(1, len(kinds)),
                        "offers": (kinds.count("offer") + kinds.count("terms")) / max(1, len(kinds)),
                        "mentions": math.log1p(len(hits)) / 3,
                        "first": (hits[0] / max(1, len(segments) - 1)) if hits else 1.0,
                    },
                }
            )
    return rows


def _collect(group: str, briefs: Path, gold_dir: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted(briefs.glob("*.json")):
        gold_path = gold_dir / f"{path.stem}.gold.json"
        if not gold_path.exists():
            continue
        brief, gold = json.loads(path.read_text(encoding="utf-8")), json.loads(gold_path.read_text(encoding="utf-8"))
        if not brief.get("is_negotiation") or not gold.get("is_negotiation"):
            continue
        text = load_article(str(gold_dir / f"{path.stem}.txt")).text
        out.append({"article": path.stem, "group": group, "gold": gold, "rows": candidates(brief, gold, text)})
    return out


def _f1(tp: int, said: int, gold: int) -> float:
    return round(2 * tp / (said + gold), 3) if said + gold else 0.0


def _mediator_counts(article: dict[str, Any], chosen: set[str]) -> tuple[int, int, int]:
    """Gold mediators found, mediators said, gold mediators."""
    found = {r["entry"] for r in article["rows"] if r["name"] in chosen and r["entry"] >= 0}
    return len(found), len(chosen), len(article["gold"].get("mediators", []))


def cross_validate(
    real: list[dict[str, Any]], extra: list[dict[str, Any]], k: int, c: float, without: tuple[str, ...] = ()
) -> dict[str, Any]:
    names = sorted({f for a in [*real, *extra] for r in a["rows"] for f in r["features"]} - set(without))
    assignment = folds([a["article"] for a in real], k)

    def matrix(articles: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
        rows = [r for a in articles for r in a["rows"]]
        return (
            np.array([[r["features"][f] for f in names] for r in rows]),
            np.array([r["label"] == "mediator" for r in rows]),
        )

    fitted = {"tp": 0, "said": 0, "gold": 0}
    brief = {"tp": 0, "said": 0, "gold": 0}
    for f in range(k):
        train = [*extra, *(a for a in real if assignment[a["article"]] != f)]
        x, y = matrix(train)
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
        for article in (a for a in real if assignment[a["article"]] == f):
            if not article["rows"]:
                continue
            xa, _ = matrix([article])
            p = model.predict_proba(xa)[:, 1]
            chosen = {r["name"] for r, q in zip(article["rows"], p, strict=True) if q >= 0.5}
            own = {r["name"] for r in article["rows"] if r["features"]["brief_mediator"]}
            for counts, picked in ((fitted, chosen), (brief, own)):
                tp, said, gold = _mediator_counts(article, picked)
                counts["tp"] += tp
                counts["said"] += said
                counts["gold"] += gold
    return {
        "C": c,
        "without": list(without),
        "fitted": {**fitted, "f1": _f1(fitted["tp"], fitted["said"], fitted["gold"])},
        "briefs": {**brief, "f1": _f1(brief["tp"], brief["said"], brief["gold"])},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.roles", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--realdev-briefs", type=Path, required=True)
    parser.add_argument("--devset", type=Path, default=Path("devset"))
    parser.add_argument("--devset-briefs", type=Path, required=True)
    parser.add_argument("--C", type=float, nargs="*", default=[0.1, 1.0])
    parser.add_argument("--report", type=Path)
    args = parser.parse_args(argv)
    real = _collect("realdev", args.realdev_briefs, args.realdev)
    extra = _collect("devset", args.devset_briefs, args.devset)
    results = [cross_validate(real, extra, 5, c) for c in args.C]
    results += [cross_validate(real, extra, 5, c, ("brief_mediator",)) for c in args.C]
    emit(results, args.report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
