"""Answers of a text function kept by the text's length: many short texts, a few articles, no book.

A brief segments and normalises the same sentences, names and whole article again and again
(its checks, the validators on every attempt, the review page after the brief). Keeping every
answer would hold every article a night reads; keeping none repeats pysbd and unidecode, both
pure Python. :class:`KeptByLength` keeps ``shorts`` answers for texts up to ``short`` characters
and the last ``articles`` for texts up to ``article`` characters (64 x 20,000: a night with 32
articles in flight still finds each of its own; 2.6 MB of ASCII with an answer as long), and
computes a longer text's answer each time without holding it::

    segments = KeptByLength(_segments, shorts=512)
    segments(text)  # pysbd once per text, while it is kept
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["KeptByLength"]

T = TypeVar("T")


class KeptByLength(Generic[T]):
    """``fn(text)``, its answer kept for short texts and recent articles (see the module)."""

    def __init__(
        self, fn: Callable[[str], T], *, shorts: int, short: int = 2000, articles: int = 64, article: int = 20_000
    ) -> None:
        self.fn, self.short, self.article = fn, short, article
        self.short_cache = functools.lru_cache(maxsize=shorts)(fn)
        self.article_cache = functools.lru_cache(maxsize=articles)(fn)
        functools.update_wrapper(self, fn)

    def __call__(self, text: str) -> T:
        if len(text) <= self.short:
            return self.short_cache(text)
        return self.article_cache(text) if len(text) <= self.article else self.fn(text)
