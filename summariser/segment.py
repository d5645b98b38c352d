"""Segment stage: cleaned article text -> numbered sentences.

Paragraphs are split on blank lines, then each paragraph by pysbd, a
rule-based segmenter that keeps abbreviations and quoted speech together, with
its German rules for a German article ("am 3. März" is one sentence) and its
English ones otherwise. Numbers start at 1 and are what the model cites.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pysbd
from pysbd.utils import TextSpan

from summariser.memo import KeptByLength

__all__ = ["Segment", "segment_text", "number_segments"]

CHUNK_CHARS = 1200
_OPENERS = {"“": "”", "‘": "’", "«": "»"}


@dataclass(frozen=True)
class Segment:
    """One sentence of the article, numbered from 1.

    ``start`` and ``end`` are character offsets into the text it was cut
    from, and ``text`` is always exactly ``source[start:end]``.
    """

    number: int
    text: str
    start: int = 0
    end: int = 0


_local = threading.local()
# Common words of German and of English: an article with far more of the first is segmented as German.
_GERMAN = re.compile(
    r"\b(?:der|die|das|und|nicht|dass|mit|von|den|dem|ist|sich|auf|für|eine?|wird|werden|auch|nach|bei)\b"
)
_ENGLISH = re.compile(r"\b(?:the|and|of|to|in|that|is|for|with|on|was|said)\b")


def language_of(text: str) -> str:
    """The pysbd language an article is segmented in: ``de`` or ``en``.

    >>> language_of("Die Gewerkschaft und der Verband haben sich am 3. März auf einen Tarif geeinigt, der nicht gilt.")
    'de'
    >>> language_of("The union and the board met on Monday.")
    'en'
    """
    sample = text[:20_000].casefold()
    german = len(_GERMAN.findall(sample))
    return "de" if german >= 5 and german > 2 * len(_ENGLISH.findall(sample)) else "en"


class _Segmenter(pysbd.Segmenter):
    """pysbd's segmenter, finding each sentence back in its text with ``str.find``.

    pysbd (non-destructive, ``clean=False``) finds every sentence it cut back in the text through
    a regular expression of that sentence, ``re.escape(sentence) + r"\s*"``: one new pattern a
    sentence, which floods ``re``'s cache of compiled patterns (512), so that pysbd's own
    abbreviation patterns and ours were compiled again and again, about a third of a brief's CPU
    outside the model. This is the same search without a pattern: the first occurrence, scanning
    as ``re.finditer`` does, that ends after the previous sentence, with the white space after it
    (``str.isspace`` is ``\s``). ``tests/test_segment.py`` checks it against pysbd's own.
    """

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        text, spans, prior_end = self.original_text, [], 0
        for sentence in sentences:
            at = 0
            while (start := text.find(sentence, at)) != -1:
                end = start + len(sentence)
                while end < len(text) and text[end].isspace():
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[start:end], start, end))
                    prior_end = end
                    break
                at = end if end > start else start + 1
        return spans


def _segmenter(language: str) -> pysbd.Segmenter:
    # pysbd keeps the text being segmented on the instance: one per thread and language.
    segmenters = getattr(_local, "segmenters", None)
    if segmenters is None:
        segmenters = _local.segmenters = {}
    if language not in segmenters:
        segmenters[language] = _Segmenter(language=language, clean=False)
    return segmenters[language]


def _unbalanced(text: str) -> bool:
    if text.count('"') % 2 == 1:
        return True
    return any(text.count(o) > text.count(c) for o, c in _OPENERS.items() if o != "‘")


def _chunks(paragraph: str) -> list[str]:
    # pysbd's time grows with the square of a paragraph's length: feed it
    # pieces of bounded size, cut after a sentence end when there is one,
    # else at a space, else anywhere.
    if len(paragraph) <= CHUNK_CHARS:
        return [paragraph]
    chunks: list[str] = []
    start = 0
    while len(paragraph) - start > CHUNK_CHARS:
        window = paragraph[start : start + CHUNK_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < CHUNK_CHARS // 4:
            cut = window.rfind(" ")
        if cut < CHUNK_CHARS // 4:
            cut = CHUNK_CHARS - 1
        chunks.append(paragraph[start : start + cut + 1])
        start += cut + 1
    chunks.append(paragraph[start:])
    return [c for c in chunks if c.strip()]


# Chinese and Japanese end sentences with full-width marks, and put no space after them.
_CJK_END = re.compile(r"(?<=[。！？])(?![」』”）])")


def _split_paragraph(paragraph: str, language: str = "en") -> list[str]:
    segmenter = _segmenter(language)
    pieces = [
        part.strip() for chunk in _chunks(paragraph) for p in segmenter.segment(chunk) for part in _CJK_END.split(p)
    ]
    merged: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        # A sentence inside an open quotation belongs with its neighbour
        # (up to a bound: an unclosed quote must not swallow a whole book).
        joinable = merged and len(merged[-1]) < CHUNK_CHARS
        if joinable and (_unbalanced(merged[-1]) or not any(ch.isalnum() for ch in piece)):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def segment_text(text: str) -> list[Segment]:
    """Split cleaned text into numbered sentences.

    >>> [s.text for s in segment_text('He said: "Talks. More talks." Then he left.')]
    ['He said: "Talks. More talks."', 'Then he left.']
    """
    return list(_kept_segments(text))


def _segments(text: str) -> tuple[Segment, ...]:
    sentences: list[str] = []
    language = language_of(text)
    for paragraph in text.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            sentences.extend(_split_paragraph(paragraph, language))
    segments: list[Segment] = []
    cursor = 0
    for number, sentence in enumerate(sentences, start=1):
        start, end = _locate(text, sentence, cursor)
        segments.append(Segment(number=number, text=text[start:end], start=start, end=end))
        cursor = end
    return tuple(s for s in segments if s.text.strip())


# An article is segmented for its brief, its items' texts on every attempt, and its review page.
_kept_segments = KeptByLength(_segments, shorts=512)


def _locate(text: str, sentence: str, cursor: int) -> tuple[int, int]:
    """Where ``sentence`` lies in ``text`` at or after ``cursor``: exactly, across other
    whitespace, or (when the segmenter moved a character) the closest span."""
    found = text.find(sentence, cursor)
    if found >= 0 and not text[cursor:found].strip():
        return found, found + len(sentence)
    words = sentence.split()
    if words:
        pattern = r"\s+".join(re.escape(w) for w in words)
        match = re.compile(pattern).search(text, cursor, cursor + len(sentence) * 2 + 64)
        if match and not text[cursor : match.start()].strip():
            return match.start(), match.end()
    # The segmenter changed a character (a quotation mark carried over a
    # paragraph break): take the span from the next non-space character
    # that covers the sentence's length, trimmed to the article's own text.
    start = cursor
    while start < len(text) and text[start].isspace():
        start += 1
    end = min(len(text), start + len(sentence))
    paragraph_end = text.find("\n\n", start)
    if 0 <= paragraph_end < end:
        end = paragraph_end
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def number_segments(segments: list[Segment]) -> str:
    """The numbered text the model reads: one ``[n] sentence`` per line."""
    return "\n".join(f"[{s.number}] {s.text}" for s in segments)
