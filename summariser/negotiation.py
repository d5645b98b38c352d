"""Is the article about a negotiation? One fitted decision over the article's signals.

Input: the article's sentences and step 1's sides (the model's own answer among them).
Output: a :class:`NegotiationDecision`: the verdict, its probability and its source.

No word list vetoes on its own: how often the words of negotiation occur, how many
sentences the statement cues call an offer, a demand, an agreement or a step, and
what the model answered in step 1 (its verdict and how many sides it named that the
article names) are features of one logistic regression fitted on gold
(``training/negotiation.py``, cross-validated by article; weights in
``data/negotiation.json``). Its threshold is the highest at which no training
negotiation was lost. Without weights the model's verdict stands (``source="model"``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from summariser import cues
from summariser.schemas import Sides
from summariser.segment import Segment

__all__ = ["NegotiationDecision", "negotiation_features", "decide_negotiation", "WEIGHTS_VERSION"]

WEIGHTS_VERSION = 1


@dataclass(frozen=True)
class NegotiationDecision:
    is_negotiation: bool
    probability: float | None
    source: str  # "fitted" or "model"


def negotiation_features(segments: Sequence[Segment], sides: Sides | None) -> dict[str, float]:
    """The article's signals, each scaled to about 0..1."""
    n = max(1, len(segments))
    kinds = [cues.statement_kind(s.text) for s in segments if len(s.text.split()) >= 4]
    words = sum(cues.negotiation_words(s.text) for s in segments)
    values = {
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


@cache
def _weights() -> dict[str, Any] | None:
    try:
        text = resources.files("summariser").joinpath("data/negotiation.json").read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == WEIGHTS_VERSION else None


def decide_negotiation(
    features: dict[str, float], weights: dict[str, Any] | None = None, *, use_shipped: bool = True
) -> NegotiationDecision:
    """The verdict: by ``weights`` (default the shipped ones), else the model's own answer."""
    weights = weights if weights is not None else (_weights() if use_shipped else None)
    if weights is None:
        return NegotiationDecision(bool(features.get("model_says")), None, "model")
    z = float(weights["intercept"]) + sum(
        float(c) * features.get(name, 0.0) for name, c in zip(weights["features"], weights["coefficients"])
    )
    probability = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
    return NegotiationDecision(probability >= float(weights["threshold"]), round(probability, 4), "fitted")
