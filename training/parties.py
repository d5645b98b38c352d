"""Experiment: a fitted party decider over every name an article uses, not only step 1's list.

    python -m training.parties --realdev-briefs DIR [--C 0.1 1] [--report OUT.json]

Candidates are step 1's parties and mediators in saved briefs (``training.cv --save-briefs``)
and every run of capitalised words the article uses (a proper name, "National Union of
Journalists"), merged when their names match. Each is labelled a party when it matches a gold
party (the scorer's ``names_match``) and described by how the article uses it: whether step 1
listed it and how, how often and how early it is named, whether it is a sentence's speaker,
whether its sentences demand, offer, agree or plan, its possessive before an offer word, "talks
with/between", mediation words, "in"/"at" before it (a venue), its length in words, an acronym.
One logistic regression, fitted on the other folds of realdev and scored on the held-out fold:
party precision, recall and F1 pooled over the held-out briefs against the briefs' own parties.
Not part of the runtime.
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
from summariser.eval import names_match
from summariser.names import mentions, sentence_norm
from training.data import folds
from training.harness import emit, negotiation_briefs

# A run of capitalised words, lower-case joiners allowed inside ("Union of Journalists").
_PROPER = re.compile(r"\b[A-Z][\w.&'’-]*(?:\s+(?:(?:of|for|and|de|du|in|the)\s+)*[A-Z][\w.&'’-]*)*")
_FUNCTION = frozenset(
    "a an the but and or in on at of for to by with from as if it its he she they we i this that these those "
    "there here after before when while since until under over about mr mrs ms dr sir monday tuesday wednesday "
    "thursday friday saturday sunday january february march april may june july august september october "
    "november december".split()
)
_OFFER_WORD = re.compile(r"['’]s\s+(?:\w+\s+)?(?:offer|proposal|bid|plan|demand|terms|deal|draft|position)", re.I)
_TALKS_WITH = re.compile(r"\b(?:talks|negotiations|deal|agreement|dispute)\s+(?:with|between)\b", re.I)
_MEDIATE = re.compile(r"\b(?:mediat\w*|broker\w*|facilitat\w*|host\w*|chair\w*)\b", re.I)
_VENUE = re.compile(r"\b(?:in|at)\s+$")


def _clean(name: str) -> str | None:
    words = name.split()
    while words and words[0].casefold() in _FUNCTION:
        words = words[1:]
    while words and words[-1].casefold() in _FUNCTION:
        words = words[:-1]
    name = " ".join(words).strip(" .,'’-")
    return name if len(name) >= 2 and name.casefold() not in _FUNCTION else None


def _article_names(texts: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for text in texts:
        for match in _PROPER.finditer(text):
            name = _clean(match.group(0).removesuffix("'s").removesuffix("’s"))
            if name:
                found.setdefault(name)
    return list(found)


def _merge(brief: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    """Step 1's sides first (with their aliases), then each other name not matching one before it."""
    merged: list[dict[str, Any]] = []
    for role in ("parties", "mediators"):
        for side in brief.get(role, []):
            merged.append({"names": [side["name"], *(side.get("aliases") or [])], "step1": role})
    for name in names:
        if not any(names_match([name], c["names"]) for c in merged):
            merged.append({"names": [name], "step1": None})
    return merged


def _features(candidate: dict[str, Any], texts: list[str], norms: list[str]) -> dict[str, float]:
    names = [n for n in candidate["names"] if n]
    hits = [i for i, norm in enumerate(norms) if any(mentions(n, norm) for n in names)]
    said = [texts[i] for i in hits]

    def share(test: Any) -> float:
        return sum(bool(test(t)) for t in said) / max(1, len(said))

    speaker = share(lambda t: (s := cues.speaker_of(t)) is not None and any(n in s[0] for n in names))
    kinds = [cues.statement_kind(t) for t in said]
    venue = share(lambda t: any(_VENUE.search(t[: max(0, t.find(n))]) for n in names if n in t))
    head = candidate["names"][0]
    return {
        "step1_party": float(candidate["step1"] == "parties"),
        "step1_mediator": float(candidate["step1"] == "mediators"),
        "mentions": math.log1p(len(hits)) / 3,
        "first": (hits[0] / max(1, len(texts) - 1)) if hits else 1.0,
        "in_first3": float(bool(hits) and hits[0] < 3),
        "speaker": speaker,
        "stating": sum(k != "none" for k in kinds) / max(1, len(kinds)),
        "owner": share(lambda t: any(re.search(re.escape(n) + _OFFER_WORD.pattern, t, re.I) for n in names)),
        "talks_with": share(lambda t: _TALKS_WITH.search(t) is not None),
        "mediate": share(lambda t: _MEDIATE.search(t) is not None),
        "venue": venue,
        "words": min(len(head.split()), 5) / 5,
        "acronym": float(head.isupper() and len(head) <= 6),
    }


def collect(briefs: Path, gold_dir: Path) -> list[dict[str, Any]]:
    """Each negotiation with a brief: its candidates, their features and labels, and its gold parties."""
    out = []
    for name, gold, brief, texts in negotiation_briefs(briefs, gold_dir):
        norms = [sentence_norm(t) for t in texts]
        gold_names = [[g.name, *g.aliases] for g in gold.parties]
        rows = []
        for candidate in _merge(brief, _article_names(texts)):
            entry = next((j for j, g in enumerate(gold_names) if names_match(candidate["names"], g)), -1)
            rows.append({"name": candidate["names"][0], "entry": entry, "features": _features(candidate, texts, norms)})
        out.append({"article": name, "gold": len(gold.parties), "rows": rows})
    return out


def _count(article: dict[str, Any], chosen: list[dict[str, Any]]) -> tuple[int, int, int]:
    return len({r["entry"] for r in chosen if r["entry"] >= 0}), len(chosen), article["gold"]


def cross_validate(
    articles: list[dict[str, Any]], k: int, c: float, threshold: float, *, add: bool = False
) -> dict[str, Any]:
    """With ``add``, step 1's parties stay and the decider only adds: it is fitted and applied on
    the candidates step 1 did not list as parties, labelled by the gold parties step 1 missed."""
    names = sorted({f for a in articles for r in a["rows"] for f in r["features"]})
    assignment = folds([a["article"] for a in articles], k)
    totals = {"fitted": [0, 0, 0], "briefs": [0, 0, 0]}

    def rows_of(article: dict[str, Any]) -> list[dict[str, Any]]:
        if not add:
            return article["rows"]
        listed = {r["entry"] for r in article["rows"] if r["features"]["step1_party"]}
        return [
            {**r, "entry": -1 if r["entry"] in listed else r["entry"]}
            for r in article["rows"]
            if not r["features"]["step1_party"]
        ]

    def matrix(group: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
        rows = [r for a in group for r in rows_of(a)]
        return np.array([[r["features"][f] for f in names] for r in rows]), np.array([r["entry"] >= 0 for r in rows])

    for fold in range(k):
        x, y = matrix([a for a in articles if assignment[a["article"]] != fold])
        model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
        for article in (a for a in articles if assignment[a["article"]] == fold):
            rows = rows_of(article)
            own = [r for r in article["rows"] if r["features"]["step1_party"]]
            p = model.predict_proba(matrix([article])[0])[:, 1] if rows else []
            picked = [r for r, q in zip(rows, p, strict=True) if q >= threshold]
            if add:  # the added candidates with their own labels (a gold party step 1 listed counts once)
                added = {r["name"] for r in picked}
                picked = [*own, *(r for r in article["rows"] if r["name"] in added)]
            for key, chosen in (("fitted", picked), ("briefs", own)):
                totals[key] = [a + b for a, b in zip(totals[key], _count(article, chosen), strict=True)]
    result: dict[str, Any] = {"C": c, "threshold": threshold, "add": add}
    for key, (tp, said, gold) in totals.items():
        result[key] = {"found": tp, "said": said, "gold": gold, "f1": round(2 * tp / (said + gold), 3)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.parties", description=__doc__.splitlines()[0])
    parser.add_argument("--realdev", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--realdev-briefs", type=Path, required=True)
    parser.add_argument("--C", type=float, nargs="*", default=[0.1, 1.0])
    parser.add_argument("--thresholds", type=float, nargs="*", default=[0.3, 0.5])
    parser.add_argument("--report", type=Path)
    args = parser.parse_args(argv)
    articles = collect(args.realdev_briefs, args.realdev)
    ceiling = sum(len({r["entry"] for r in a["rows"] if r["entry"] >= 0}) for a in articles)
    print(json.dumps({"candidates": sum(len(a["rows"]) for a in articles), "gold_reachable": ceiling}))
    results = [cross_validate(articles, 5, c, t, add=a) for a in (False, True) for c in args.C for t in args.thresholds]
    emit(results, args.report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
