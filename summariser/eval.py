"""Evaluation: score briefs against gold annotations.

Input: a folder of ``NAME.txt`` articles beside ``NAME.gold.json`` annotations
(format in docs/gold-format.md), and either a model (each article is briefed
through :func:`summariser.summarise`) or a folder of ``NAME.json`` briefs.
Output: per-article rows and an overall block of the metrics below, as a
dict ready for JSON.

Metrics (micro-averaged over articles in the overall block):

* ``parties_*`` / ``mediators_*``: precision, recall, F1; names match alias-,
  case- and diacritic-insensitively (Türkiye = Turkey = Turkish side). A gold
  mediator predicted as a party is a false party and a missed mediator.
* ``positions_*``, ``proposals_*``, ``next_steps_*``: precision and recall; an
  item matches a gold item when its evidence sentences contain the gold quote
  (or overlap it substantially) and its party or author matches.
* ``actor_accuracy``: over predicted positions and proposals whose evidence
  holds a gold quote, the share whose party or author is the gold one (a
  joint "A and B" matches as a set); ``status_accuracy``: over such
  proposals, the share with the gold status (accepted and agreed count as
  one); ``summary_ok``: share of summaries that do not copy the title, have
  at most three sentences and name no one the article does not.
* ``grounding_verbatim``: share of evidence sentences found verbatim in the
  article (must be 1.0); ``dropped_share``: items dropped by validation over
  items proposed by the model.
* ``false_brief_rate``: share of non-negotiation articles given a brief.
* cost: ``attempts``, ``prompt_tokens``, ``output_tokens``, ``seconds`` per article.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from rapidfuzz import fuzz

from summariser.errors import InputError
from summariser.names import flat_text, normalise_name, split_joint
from summariser.validate import summary_problems

__all__ = [
    "GoldEntity",
    "GoldItem",
    "Gold",
    "load_gold",
    "find_articles",
    "score_article",
    "aggregate",
    "evaluate",
    "compare_reports",
    "names_match",
    "summary_problems",
]

SECTIONS = ("positions", "proposals", "next_steps")


class GoldEntity(BaseModel):
    name: str
    aliases: list[str] = Field(default_factory=list)
    representatives: list[str] = Field(default_factory=list)


class GoldItem(BaseModel):
    party: str | None = None
    by: str | None = None
    summary: str = ""
    status: str | None = None
    when: str | None = None
    quote: str


class Gold(BaseModel):
    is_negotiation: bool
    parties: list[GoldEntity] = Field(default_factory=list)
    mediators: list[GoldEntity] = Field(default_factory=list)
    positions: list[GoldItem] = Field(default_factory=list)
    proposals: list[GoldItem] = Field(default_factory=list)
    next_steps: list[GoldItem] = Field(default_factory=list)
    notes: str | None = None


def load_gold(path: Path) -> Gold:
    """Read one ``NAME.gold.json``; a malformed file is an ``InputError``."""
    try:
        return Gold.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise InputError(f"bad gold file {path}: {str(exc).splitlines()[0]}") from exc


def find_articles(gold_dir: Path) -> list[tuple[str, Path, Path]]:
    """(name, article path, gold path) for every ``NAME.gold.json`` with a ``NAME.txt``."""
    if not gold_dir.is_dir():
        raise InputError(f"not a folder: {gold_dir}")
    found = []
    for gold in sorted(gold_dir.glob("*.gold.json")):
        name = gold.name[: -len(".gold.json")]
        article = gold.with_name(f"{name}.txt")
        if article.exists():
            found.append((name, article, gold))
    if not found:
        raise InputError(f"no NAME.txt + NAME.gold.json pairs in {gold_dir}")
    return found


def _keys(names: Iterable[str]) -> set[str]:
    return {k for k in (normalise_name(n) for n in names if n) if k}


def names_match(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two sets of names (name + aliases) denote the same side."""
    left, right = _keys(a), _keys(b)
    if left & right:
        return True
    for x in left:
        for y in right:
            if fuzz.ratio(x, y) >= 90:
                return True
            # Demonyms and short forms: "turkish" ~ "turkiye", "ukrainian" ~ "ukraine",
            # "omani" ~ "oman".
            if " " not in x and " " not in y and min(len(x), len(y)) >= 5 and x[:5] == y[:5]:
                return True
            short, long = sorted((x, y), key=len)
            if " " not in long and len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 4:
                return True
    return False


def _entity_names(entity: dict[str, Any] | GoldEntity) -> list[str]:
    if isinstance(entity, GoldEntity):
        return [entity.name, *entity.aliases]
    return [entity.get("name", ""), *entity.get("aliases", [])]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | None]:
    precision = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    recall = tp / n_gold if n_gold else None
    f1 = None
    if recall is not None:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}


def _match_entities(pred: Sequence[dict[str, Any]], gold: Sequence[GoldEntity]) -> tuple[int, list[int]]:
    used: set[int] = set()
    unmatched_pred: list[int] = []
    for i, p in enumerate(pred):
        hit = next(
            (j for j, g in enumerate(gold) if j not in used and names_match(_entity_names(p), _entity_names(g))), None
        )
        if hit is None:
            unmatched_pred.append(i)
        else:
            used.add(hit)
    return len(used), unmatched_pred


def quote_supported(quote: str, evidence_texts: Sequence[str]) -> bool:
    """The gold quote is inside the evidence, or overlaps it substantially."""
    q = flat_text(quote).strip(" .\"'")
    joined = " ".join(flat_text(t) for t in evidence_texts)
    if not q:
        return False
    if q in joined:
        return True
    return fuzz.partial_ratio(q, joined) >= 85


def _actor_names(value: str | None, entities: Sequence[GoldEntity]) -> list[set[str]]:
    """An actor string as a list of sides ("A and B" -> two), each as a set of names."""
    if not value:
        return []
    pieces = split_joint(value, [n for entity in entities for n in _entity_names(entity)])
    sides = []
    for piece in pieces:
        names = {piece}
        for entity in entities:
            if names_match([piece], _entity_names(entity)):
                names |= set(_entity_names(entity))
        sides.append(names)
    return sides


def actors_match(pred: str | None, gold: str | None, entities: Sequence[GoldEntity]) -> bool:
    """Whether a predicted actor is the gold one: a side by any of its names, "A and B" as a set."""
    if gold is None:
        return True
    p, g = _actor_names(pred, entities), _actor_names(gold, entities)
    if len(p) != len(g):
        return False
    return all(any(names_match(a, b) for b in g) for a in p)


def _same_status(pred: str | None, gold: str | None) -> bool:
    agreed = {"accepted", "agreed"}
    return pred == gold or (pred in agreed and gold in agreed)


def _gold_actor(section: str, item: GoldItem) -> str | None:
    return item.party if section == "positions" else (item.by if section == "proposals" else None)


# The figures a report leads with, each higher-is-better; then what a brief cost (lower is better).
QUALITY_METRICS = (
    "parties_f1",
    "mediators_f1",
    "positions_recall",
    "positions_precision",
    "proposals_recall",
    "proposals_precision",
    "next_steps_recall",
    "next_steps_precision",
    "actor_accuracy",
    "status_accuracy",
    "summary_ok",
    "grounding_verbatim",
)
COST_METRICS = ("dropped_share", "attempts", "prompt_tokens", "output_tokens", "seconds")
LOWER_IS_BETTER = frozenset({*COST_METRICS, "false_brief_rate", "mediator_as_party", "errors"})

# Count keys of items by what decided them: "src|positions|rule:demand|items", and of the actors
# of items whose evidence holds a gold quote by what decided the actor: "act|proposals|rule:offerer|items".
_SOURCE = "src|"
_ACTOR_SOURCE = "act|"
_STATUS_SOURCE = "sts|"  # and of proposals' statuses by what decided them: "sts|proposals|rule:answer_near|items"


def _tally(counts: dict[str, int], key: str, right: bool) -> None:
    counts[f"{key}|items"] = counts.get(f"{key}|items", 0) + 1
    counts[f"{key}|right"] = counts.get(f"{key}|right", 0) + int(right)


def _item_text(section: str, item: dict[str, Any]) -> str:
    return str(item.get({"positions": "stance", "proposals": "proposal"}.get(section, "action")) or "")


def _match_items(
    section: str, pred: Sequence[dict[str, Any]], gold: Sequence[GoldItem], entities: Sequence[GoldEntity]
) -> tuple[dict[str, int], list[dict[str, Any]], list[dict[str, Any]]]:
    """Counts for one section: ``tp`` (quote and actor match, each gold item once), and,
    over predicted items whose evidence holds a gold quote whatever they say,
    ``quoted``, ``actor_ok`` and ``status_ok``; then the gold items nothing matched, and the
    predicted items that matched none, each with why."""
    used: set[int] = set()
    counts = {"tp": 0, "quoted": 0, "actor_ok": 0, "status_ok": 0}
    unmatched = []
    for item in pred:
        source = f"{_SOURCE}{section}|{item.get('source') or 'unknown'}"
        texts = [e.get("text", "") for e in item.get("evidence", [])]
        actor = item.get("party") if section == "positions" else item.get("by")
        quoted = [j for j, g in enumerate(gold) if quote_supported(g.quote, texts)]
        right = [j for j in quoted if actors_match(actor, _gold_actor(section, gold[j]), entities)]
        if quoted:
            counts["quoted"] += 1
            counts["actor_ok"] += bool(right)
            status_ok = any(_same_status(item.get("status"), gold[j].status) for j in right or quoted)
            counts["status_ok"] += status_ok
            if section != "next_steps":  # a step's "who" is not scored as an actor
                _tally(counts, f"{_ACTOR_SOURCE}{section}|{item.get('actor_source') or 'unknown'}", bool(right))
            if section == "proposals":
                _tally(counts, f"{_STATUS_SOURCE}{section}|{item.get('status_source') or 'unknown'}", status_ok)
        hit = next((j for j in right if j not in used), None)
        if hit is not None:
            used.add(hit)
        else:
            why = (
                "a gold item already matched"
                if right
                else "another actor"
                if quoted
                else "no gold quote in its evidence"
            )
            sentences = [e.get("sentence") for e in item.get("evidence", [])]
            unmatched.append({"actor": actor, "text": _item_text(section, item), "sentences": sentences, "why": why})
        counts[f"{source}|items"] = counts.get(f"{source}|items", 0) + 1
        counts[f"{source}|right"] = counts.get(f"{source}|right", 0) + int(hit is not None)
    counts["tp"] = len(used)
    missed = [
        {"actor": _gold_actor(section, g), "quote": g.quote, "status": g.status}
        for j, g in enumerate(gold)
        if j not in used
    ]
    return counts, missed, unmatched


@dataclass
class ArticleScore:
    name: str
    counts: dict[str, int]
    metrics: dict[str, float | None]
    cost: dict[str, float]
    error: str | None = None
    # Per section, the gold items no predicted item matched and the predicted items that matched none.
    missed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unmatched: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def score_article(
    name: str, brief: dict[str, Any] | None, gold: Gold, article_text: str, *, error: str | None = None
) -> ArticleScore:
    """Score one predicted brief (its JSON form) against its gold annotation."""
    counts: dict[str, int] = {}
    missed: dict[str, list[dict[str, Any]]] = {}
    unmatched: dict[str, list[dict[str, Any]]] = {}
    brief = brief or {"is_negotiation": False}
    meta = brief.get("meta", {})
    entities = [*gold.parties, *gold.mediators]
    parties, mediators = brief.get("parties", []), brief.get("mediators", [])

    tp, _ = _match_entities(parties, gold.parties)
    false_mediators = sum(
        1 for p in parties if any(names_match(_entity_names(p), _entity_names(m)) for m in gold.mediators)
    )
    counts.update(
        parties_tp=tp, parties_pred=len(parties), parties_gold=len(gold.parties), mediator_as_party=false_mediators
    )
    mtp, _ = _match_entities(mediators, gold.mediators)
    # A gold mediator listed as a party is also a missed mediator.
    mtp = max(
        0,
        mtp
        - sum(
            1
            for m in gold.mediators
            if any(names_match(_entity_names(p), _entity_names(m)) for p in parties)
            and any(names_match(_entity_names(x), _entity_names(m)) for x in mediators)
        ),
    )
    counts.update(mediators_tp=mtp, mediators_pred=len(mediators), mediators_gold=len(gold.mediators))
    for key in ("actor_quoted", "actor_ok", "status_quoted", "status_ok"):
        counts[key] = 0
    for section in SECTIONS:
        pred = brief.get(section, [])
        golds = getattr(gold, section)
        matched, missed[section], unmatched[section] = _match_items(section, pred, golds, entities)
        counts.update({k: v for k, v in matched.items() if k.startswith((_SOURCE, _ACTOR_SOURCE, _STATUS_SOURCE))})
        counts[f"{section}_tp"] = matched["tp"]
        counts[f"{section}_pred"] = len(pred)
        counts[f"{section}_gold"] = len(golds)
        if section in ("positions", "proposals"):
            counts["actor_quoted"] += matched["quoted"]
            counts["actor_ok"] += matched["actor_ok"]
        if section == "proposals":
            counts["status_quoted"] += matched["quoted"]
            counts["status_ok"] += matched["status_ok"]
    summary = brief.get("summary") or ""
    counts["summaries"] = int(bool(summary.strip()))
    counts["summaries_ok"] = int(
        bool(summary.strip()) and not summary_problems(summary, brief.get("title"), article_text)
    )

    flat_article = flat_text(article_text)
    evidence = [
        e for s in ("parties", "mediators", *SECTIONS) for item in brief.get(s, []) for e in item.get("evidence", [])
    ]
    counts["evidence"] = len(evidence)
    counts["evidence_verbatim"] = sum(1 for e in evidence if e.get("text") and flat_text(e["text"]) in flat_article)
    kept = sum(len(brief.get(s, [])) for s in ("parties", "mediators", *SECTIONS))
    counts["items_kept"] = kept
    counts["items_dropped"] = len(meta.get("dropped", []))
    counts["gold_negotiation"] = int(gold.is_negotiation)
    counts["false_brief"] = int(not gold.is_negotiation and (bool(brief.get("is_negotiation")) or kept > 0))

    usage = meta.get("usage", {})
    cost = {
        "attempts": float(meta.get("attempts", 0)),
        "prompt_tokens": float(usage.get("prompt_tokens", 0)),
        "output_tokens": float(usage.get("completion_tokens", 0)),
        "seconds": float(meta.get("seconds", 0.0)),
    }
    return ArticleScore(name, counts, _metrics(counts), cost, error, missed, unmatched)


def _metrics(c: dict[str, int]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for entity in ("parties", "mediators"):
        prf = _prf(c[f"{entity}_tp"], c[f"{entity}_pred"], c[f"{entity}_gold"])
        out.update({f"{entity}_{k}": v for k, v in prf.items()})
    for section in SECTIONS:
        prf = _prf(c[f"{section}_tp"], c[f"{section}_pred"], c[f"{section}_gold"])
        out[f"{section}_precision"] = prf["precision"]
        out[f"{section}_recall"] = prf["recall"]
    out["actor_accuracy"] = c["actor_ok"] / c["actor_quoted"] if c.get("actor_quoted") else None
    out["status_accuracy"] = c["status_ok"] / c["status_quoted"] if c.get("status_quoted") else None
    out["summary_ok"] = c["summaries_ok"] / c["summaries"] if c.get("summaries") else None
    out["grounding_verbatim"] = c["evidence_verbatim"] / c["evidence"] if c["evidence"] else 1.0
    total = c["items_kept"] + c["items_dropped"]
    out["dropped_share"] = c["items_dropped"] / total if total else 0.0
    out["mediator_as_party"] = float(c["mediator_as_party"])
    return out


def by_source(counts: dict[str, int], prefix: str = _SOURCE) -> dict[str, dict[str, dict[str, float]]]:
    """Per section, per what decided the items (``rule:<id>``, ``model``, ``fitted``): how many were
    predicted, how many matched a gold item, and that precision. The rules and the model scored apart.
    With ``prefix="act|"``, the same for what decided the actors of items that quote gold."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for key, items in counts.items():
        if key.startswith(prefix) and key.endswith("|items") and items:
            section, source, _ = key[len(prefix) :].split("|")
            right = counts.get(key[: -len("items")] + "right", 0)
            out.setdefault(section, {})[source] = {"items": items, "right": right, "precision": round(right / items, 3)}
    return {section: dict(sorted(rows.items(), key=lambda kv: -kv[1]["items"])) for section, rows in out.items()}


def aggregate(scores: Sequence[ArticleScore]) -> dict[str, Any]:
    """The overall block: micro-averaged metrics and mean cost per article."""
    keys = {k for s in scores for k in s.counts}
    totals = {k: sum(s.counts.get(k, 0) for s in scores) for k in keys}
    overall: dict[str, Any] = dict(_metrics(totals))
    overall["by_source"] = by_source(totals)
    overall["actor_by_source"] = by_source(totals, _ACTOR_SOURCE)
    overall["status_by_source"] = by_source(totals, _STATUS_SOURCE)
    non_neg = sum(1 for s in scores if not s.counts["gold_negotiation"])
    overall["false_brief_rate"] = totals["false_brief"] / non_neg if non_neg else None
    overall["articles"] = len(scores)
    overall["errors"] = sum(1 for s in scores if s.error)
    for key in ("attempts", "prompt_tokens", "output_tokens", "seconds"):
        overall[key] = sum(s.cost[key] for s in scores) / len(scores) if scores else 0.0
    return overall


def evaluate(
    gold_dir: Path,
    *,
    predictions: Path | None = None,
    brief_article: Callable[[Path], dict[str, Any]] | None = None,
    on_article: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Score every article of ``gold_dir``; returns ``{"articles": [...], "overall": {...}}``.

    With ``predictions``, ``NAME.json`` briefs are read from that folder; else
    ``brief_article(path)`` produces each brief (a failure is scored as an
    empty brief and reported in the row's ``error``).
    """
    from summariser.errors import SummariserError
    from summariser.load import load_article

    rows: list[ArticleScore] = []
    for name, article_path, gold_path in find_articles(gold_dir):
        if on_article:
            on_article(name)
        gold = load_gold(gold_path)
        text = load_article(str(article_path)).text
        brief: dict[str, Any] | None = None
        error = None
        if predictions is not None:
            pred_path = predictions / f"{name}.json"
            try:
                brief = json.loads(pred_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                error = f"no readable prediction {pred_path.name}: {type(exc).__name__}"
        elif brief_article is not None:
            try:
                brief = brief_article(article_path)
            except SummariserError as exc:
                error = str(exc)
        rows.append(score_article(name, brief, gold, text, error=error))
    return {
        "articles": [
            {
                "name": r.name,
                **r.metrics,
                **r.cost,
                "counts": r.counts,
                "error": r.error,
                "missed": r.missed,
                "unmatched": r.unmatched,
            }
            for r in rows
        ],
        "overall": aggregate(rows),
    }


def _article_counts(report: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Each scored article's counts by name, without the by-source tallies (no metric reads them)."""
    rows = report.get("articles") if isinstance(report, dict) else None
    return {
        row["name"]: {
            k: v for k, v in row["counts"].items() if not k.startswith((_SOURCE, _ACTOR_SOURCE, _STATUS_SOURCE))
        }
        for row in (rows if isinstance(rows, list) else [])
        if isinstance(row, dict) and isinstance(row.get("counts"), dict) and "name" in row
    }


def change_intervals(
    old: dict[str, Any], new: dict[str, Any], *, resamples: int = 1000, level: float = 0.95, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """For each figure made of per-article counts (precision, recall, F1, accuracies), the interval
    of its change from ``old`` to ``new`` that a paired bootstrap over the articles both reports
    scored gives: the articles are drawn with replacement ``resamples`` times, each figure is
    computed again from the drawn articles' summed counts in each report, and the middle ``level``
    of the differences is the interval. A change whose interval holds 0 is one these articles
    cannot tell from chance. No intervals for fewer than 5 shared articles, or for reports whose
    counts lack what a figure needs (an older scorer's). Seeded: the same reports, the same
    intervals."""
    before, after = _article_counts(old), _article_counts(new)
    names = sorted(before.keys() & after.keys())
    if len(names) < 5:
        return {}
    keys = sorted({k for n in names for k in (*before[n], *after[n])})
    rows = [([before[n].get(k, 0) for k in keys], [after[n].get(k, 0) for k in keys]) for n in names]
    draw = random.Random(seed)
    changes: dict[str, list[float]] = {}
    for _ in range(resamples):
        sample = [rows[draw.randrange(len(rows))] for _ in rows]
        columns = [zip(*(row[side] for row in sample), strict=True) for side in (0, 1)]
        totals = [dict(zip(keys, map(sum, side), strict=True)) for side in columns]
        try:
            was, now = _metrics(totals[0]), _metrics(totals[1])
        except KeyError:
            return {}
        for metric, value in now.items():
            if isinstance(value, float) and isinstance(was.get(metric), float):
                changes.setdefault(metric, []).append(value - was[metric])
    cut = (1 - level) / 2
    return {
        metric: (values[int(cut * len(values))], values[min(len(values) - 1, int((1 - cut) * len(values)))])
        for metric, values in ((m, sorted(v)) for m, v in changes.items())
        if len(values) >= resamples // 2
    }


def compare_reports(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any, float | None]]:
    """(metric, old, new, change) for every overall metric both reports have."""
    rows = []
    for key, value in new.get("overall", {}).items():
        if isinstance(value, dict):
            continue  # by_source: a table of its own, in the JSON
        before = old.get("overall", {}).get(key)
        delta = value - before if isinstance(value, (int, float)) and isinstance(before, (int, float)) else None
        rows.append((key, before, value, delta))
    return rows
