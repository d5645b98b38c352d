"""Segment stage: cleaned article text -> numbered sentences.

Paragraphs are split on blank lines, then each paragraph by pysbd, a
rule-based segmenter that keeps abbreviations and quoted speech together.
Numbers start at 1 and are what the model cites.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pysbd

__all__ = ["Segment", "segment_text", "number_segments"]

_OPENERS = {"“": "”", "‘": "’", "«": "»"}


@dataclass(frozen=True)
class Segment:
    """One sentence of the article, numbered from 1."""

    number: int
    text: str


_local = threading.local()


def _segmenter() -> pysbd.Segmenter:
    # pysbd keeps the text being segmented on the instance: one per thread.
    segmenter = getattr(_local, "segmenter", None)
    if segmenter is None:
        segmenter = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


def _unbalanced(text: str) -> bool:
    if text.count('"') % 2 == 1:
        return True
    return any(text.count(o) > text.count(c) for o, c in _OPENERS.items() if o != "‘")


def _split_paragraph(paragraph: str) -> list[str]:
    pieces = [p.strip() for p in _segmenter().segment(paragraph)]
    merged: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        # A sentence inside an open quotation belongs with its neighbour.
        if merged and (_unbalanced(merged[-1]) or not any(ch.isalnum() for ch in piece)):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def segment_text(text: str) -> list[Segment]:
    """Split cleaned text into numbered sentences.

    >>> [s.text for s in segment_text('He said: "Talks. More talks." Then he left.')]
    ['He said: "Talks. More talks."', 'Then he left.']
    """
    sentences: list[str] = []
    for paragraph in text.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            sentences.extend(_split_paragraph(paragraph))
    return [Segment(number=i, text=s) for i, s in enumerate(sentences, start=1)]


def number_segments(segments: list[Segment]) -> str:
    """The numbered text the model reads: one ``[n] sentence`` per line."""
    return "\n".join(f"[{s.number}] {s.text}" for s in segments)
