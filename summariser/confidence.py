"""How far to trust an item, measured: each source's record on gold, and the bar an item must clear.

An item's ``source`` says what decided it (``rule:<row id>``, ``model``, ``fitted``). Its
confidence is how often items of that section and source were right on real articles with
gold, shrunk toward the section's pooled rate so that a source seen a few times says little
(``(right + k * pooled) / (items + k)``). ``training/confidence.py`` measures the records,
chooses each section's bar by cross-validation grouped by article, and writes the table this
module reads (``data/confidence.json`` in the package), so the pipeline needs no training code.

The records are of the embedded model with the rules deciding; the pipeline gives items a
confidence only then. An item below its section's bar is dropped only when its source was
measured on at least ``min_articles`` articles: one article is no evidence for a veto.

Raises nothing: a missing or unreadable table gives no confidences and drops nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from summariser.schemas import DroppedItem

if TYPE_CHECKING:
    from summariser.validate import Grounded

__all__ = ["Record", "ConfidenceTable", "load_table", "weigh", "SECTIONS"]

SECTIONS = ("positions", "proposals", "next_steps")
TABLE_VERSION = 1


@dataclass(frozen=True)
class Record:
    """One source's record in one section: items it gave, how many were right, over how many articles."""

    items: int
    right: int
    articles: int


@dataclass(frozen=True)
class ConfidenceTable:
    """Each section's sources' records and the confidence an item must reach to be kept."""

    records: dict[str, dict[str, Record]]
    bars: dict[str, float] = field(default_factory=dict)
    strength: float = 4.0
    min_articles: int = 3
    measured: str = ""

    def pooled(self, section: str) -> float:
        rows = self.records.get(section, {}).values()
        items = sum(r.items for r in rows)
        return sum(r.right for r in rows) / items if items else 0.5

    def confidence(self, section: str, source: str | None) -> float | None:
        """How often an item of ``section`` from ``source`` was right (shrunk), or None if never measured.

        >>> t = ConfidenceTable({"positions": {"rule:demand": Record(90, 30, 20), "model": Record(10, 0, 3)}})
        >>> t.confidence("positions", "model"), t.confidence("positions", "rule:refusal")
        (0.086, None)
        """
        record = self.records.get(section, {}).get(source or "model")
        if record is None:
            return None
        k = self.strength
        return round((record.right + k * self.pooled(section)) / (record.items + k), 3)

    def below_bar(self, section: str, source: str | None) -> str | None:
        """Why an item of ``section`` from ``source`` is not kept, or None when it is."""
        record = self.records.get(section, {}).get(source or "model")
        value = self.confidence(section, source)
        bar = self.bars.get(section)
        if record is None or value is None or bar is None or record.articles < self.min_articles or value >= bar:
            return None
        return (
            f"decided by {source or 'model'}, right {record.right} of {record.items} times on "
            f"{record.articles} real articles (confidence {value:.2f}, below {bar:.2f})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "version": TABLE_VERSION,
            "measured": self.measured,
            "strength": self.strength,
            "min_articles": self.min_articles,
            "bars": self.bars,
            "records": {
                section: {src: vars(r) for src, r in sorted(rows.items())} for section, rows in self.records.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConfidenceTable:
        if data.get("version") != TABLE_VERSION:
            raise ValueError(f"confidence table version {data.get('version')!r}, expected {TABLE_VERSION}")
        records = {
            section: {src: Record(int(r["items"]), int(r["right"]), int(r["articles"])) for src, r in rows.items()}
            for section, rows in data["records"].items()
        }
        return cls(
            records=records,
            bars={s: float(b) for s, b in data.get("bars", {}).items()},
            strength=float(data.get("strength", 4.0)),
            min_articles=int(data.get("min_articles", 3)),
            measured=str(data.get("measured", "")),
        )


@cache
def load_table() -> ConfidenceTable | None:
    """The shipped table, or None when none ships or it cannot be read."""
    try:
        text = resources.files("summariser").joinpath("data/confidence.json").read_text(encoding="utf-8")
        return ConfidenceTable.from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def weigh(grounded: Grounded, table: ConfidenceTable | None) -> None:
    """Give each item of ``grounded`` its confidences (its kind's, its actor's, a proposal's status's),
    and drop (into ``grounded.dropped``) those under their bar."""
    if table is None:
        return
    for section in SECTIONS:
        kept = []
        for item in getattr(grounded, section):
            item.confidence = table.confidence(section, item.source)
            if section != "next_steps":
                item.actor_confidence = table.confidence(f"actor:{section}", item.actor_source)
            if section == "proposals":
                item.status_confidence = table.confidence("status:proposals", item.status_source)
            reason = table.below_bar(section, item.source)
            if reason is None:
                kept.append(item)
                continue
            data = item.model_dump(exclude={"evidence"}, exclude_none=True)
            data["sentence"] = item.evidence[0].sentence if item.evidence else None
            grounded.dropped.append(DroppedItem(section=section, item=data, reason=reason))
        setattr(grounded, section, kept)
