"""Is the article about a negotiation? A fitted decision over the article's signals (measured, not kept).

Input: the article's sentences and step 1's sides (the model's own answer among them).
Output: a :class:`NegotiationDecision`: the verdict, its probability and its source.

No word list vetoes on its own: how often the words of negotiation occur, how many
sentences the statement cues call an offer, a demand, an agreement or a step, and
what the model answered in step 1 (its verdict and how many sides it named that the
article names) are features of one logistic regression fitted on gold
(``training/negotiation.py``, cross-validated by article). Its threshold is the highest
at which no training negotiation was lost. Cross-validated on realdev it did no better
than the word list the pipeline keeps (docs/eval/15-cv.md), so no weights ship and the
runtime does not read this module; it stays as the harness for better signals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summariser.schemas import Sides

from summariser import cues
from summariser.segment import Segment

__all__ = ["NegotiationDecision", "negotiation_features", "decide_negotiation", "WEIGHTS_VERSION"]

WEIGHTS_VERSION = 1


@dataclass(frozen=True)
class NegotiationDecision:
    is_negotiation: bool
    probability: float | None
    source: str  # "fitted" or "model"


def negotiation_features(segments: Sequence[Segment], sides: Sides | None, *, english: bool = True) -> dict[str, float]:
    """The article's signals, each scaled to about 0..1; in another language only the model's
    (English words and cues say nothing there)."""
    n = max(1, len(segments))
    if not english:
        return {
            "english": 0.0,
            "model_says": float(bool(sides and sides.is_negotiation)),
            "model_parties": min(len(sides.parties), 4) / 4 if sides and sides.is_negotiation else 0.0,
        }
    kinds = [cues.statement_kind(s.text) for s in segments if len(s.text.split()) >= 4]
    words = sum(cues.negotiation_words(s.text) for s in segments)
    values = {
        "english": 1.0,
        "negotiation_words": min(words / n, 2.0),
        "any_negotiation_word": float(words > 0),
        "title_negotiation_word": float(bool(segments) and cues.negotiation_words(segments[0].text) > 0),
        "sentences": min(len(segments), 100) / 100,
    }
    for kind in ("demand", "offer", "agreement", "future", "terms"):
        values[f"share:{kind}"] = kinds.count(kind) / n
    values["model_says"] = float(bool(sides and sides.is_negotiation))
    values["model_parties"] = min(len(sides.parties), 4) / 4 if sides and sides.is_negotiation else 0.0
    values["model_mediators"] = float(bool(sides and sides.is_negotiation and sides.mediators))
    return values


def decide_negotiation(features: dict[str, float], weights: dict[str, Any] | None) -> NegotiationDecision:
    """The verdict: by ``weights``, else (or in another language) the model's own answer."""
    if weights is None or not features.get("english"):
        # Not English: no weights were fitted on its signals, and the model's answer stands.
        return NegotiationDecision(bool(features.get("model_says")), None, "model")
    z = float(weights["intercept"]) + sum(
        float(c) * features.get(name, 0.0) for name, c in zip(weights["features"], weights["coefficients"], strict=True)
    )
    probability = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
    return NegotiationDecision(probability >= float(weights["threshold"]), round(probability, 4), "fitted")
