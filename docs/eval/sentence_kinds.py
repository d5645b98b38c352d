"""Sentence-kind harness: how well the words alone tell what a sentence states (no model).

Every sentence of each gold directory gets ``cues.statement_kind`` (sentences that
are not candidates count as "none"; "terms" of a deal count as an offer). A
sentence is a gold demand / offer / agreement / future step when a gold quote of
that section lies in it (an agreed proposal counts as an agreement). Prints
sentence-level precision and recall per kind:

    python docs/eval/sentence_kinds.py devset ../shared/realdev
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from summariser.cues import candidate_sentences, statement_kind
from summariser.load import load_article
from summariser.names import flat_text
from summariser.segment import segment_text

SECTIONS = {"positions": "demand", "proposals": "offer", "next_steps": "future"}
KINDS = ("demand", "offer", "agreement", "future")


def gold_kinds(gold: dict, sentence: str) -> set[str]:
    flat = flat_text(sentence)
    found = set()
    for section, kind in SECTIONS.items():
        for item in gold.get(section, []):
            quote = item.get("quote") or ""
            if quote and flat_text(quote) in flat:
                found.add("agreement" if kind == "offer" and item.get("status") == "agreed" else kind)
    return found


def score(directory: Path) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for path in sorted(directory.glob("*.txt")):
        gold = json.loads(path.with_suffix(".gold.json").read_text())
        if not gold.get("parties"):
            continue
        segments = segment_text(load_article(str(path)).text)
        candidates = set(candidate_sentences(segments))
        for segment in segments:
            predicted = statement_kind(segment.text) if segment.number in candidates else "none"
            predicted = "offer" if predicted == "terms" else predicted
            wanted = gold_kinds(gold, segment.text)
            for kind in KINDS:
                counts[kind, "tp"] += predicted == kind and kind in wanted
                counts[kind, "pred"] += predicted == kind
                counts[kind, "gold"] += kind in wanted
    return counts


def main(directories: list[str]) -> None:
    for directory in directories:
        counts = score(Path(directory))
        print(directory)
        for kind in KINDS:
            tp, pred, gold = counts[kind, "tp"], counts[kind, "pred"], counts[kind, "gold"]
            print(f"  {kind:10s} P {tp / max(pred, 1):.2f}  R {tp / max(gold, 1):.2f}  ({tp} of {pred} / {gold})")


if __name__ == "__main__":
    main(sys.argv[1:] or ["devset"])
