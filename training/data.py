"""Labelled sentences from gold folders, read at run time (realdev never enters the repository).

A sentence is labelled with a kind when a gold quote of that section lies in it,
holds it, or starts or ends inside it: positions are ``demand``, agreed proposals
``agreement``, other proposals ``offer``, next steps ``future``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from summariser.kinds import KINDS, sentence_features
from summariser.load import load_article
from summariser.names import flat_text
from summariser.segment import Segment, segment_text

SECTIONS = {"positions": "demand", "proposals": "offer", "next_steps": "future"}
_EDGE = 30  # characters of a quote's start or end that place it in a sentence


@dataclass
class Article:
    name: str
    group: str  # "realdev" or "devset": which set it came from
    path: Path
    gold: dict
    segments: list[Segment]
    features: list[dict[str, float]]
    labels: list[set[str]]


def _in(quote: str, sentence: str) -> bool:
    if not quote or len(sentence.split()) < 3:
        return False
    if quote in sentence or sentence in quote:
        return True
    return len(quote) > 2 * _EDGE and (quote[:_EDGE] in sentence or quote[-_EDGE:] in sentence)


def label_sentences(gold: dict, segments: list[Segment]) -> list[set[str]]:
    flats = [flat_text(s.text).strip(" .\"'") for s in segments]
    labels: list[set[str]] = [set() for _ in segments]
    for section, kind in SECTIONS.items():
        for item in gold.get(section, []):
            quote = flat_text(item.get("quote") or "").strip(" .\"'")
            found = "agreement" if section == "proposals" and item.get("status") == "agreed" else kind
            for i, flat in enumerate(flats):
                if _in(quote, flat):
                    labels[i].add(found)
    return labels


def load_folder(folder: Path, group: str) -> list[Article]:
    articles = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        text_path = gold_path.with_name(f"{name}.txt")
        if not text_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        segments = segment_text(load_article(str(text_path)).text)
        articles.append(
            Article(
                name, group, text_path, gold, segments, sentence_features(segments), label_sentences(gold, segments)
            )
        )
    return articles


def folds(names: list[str], k: int) -> dict[str, int]:
    """Each article's fold: sorted names dealt round-robin, so the split is fixed and reproducible."""
    return {name: i % k for i, name in enumerate(sorted(names))}


__all__ = ["Article", "KINDS", "SECTIONS", "folds", "label_sentences", "load_folder"]
