"""Is the article about a negotiation? A fitted decision over the article's signals.

Input: the article's sentences, step 1's sides (the model's own answer among them) and, for the
embedded model, the embedding of the article's opening sentences. Output: a
:class:`NegotiationDecision`: the verdict, its probability and its source.

No word list vetoes on its own: how often the words of negotiation occur, how many
sentences the statement cues call an offer, a demand, an agreement or a step, what the
model answered in step 1 (its verdict and how many sides it named), and where the mean
embedding of the first ``sentences`` sentences lies along the direction that separates
negotiations from other news (the difference of the two classes' standardised means,
fitted with the weights) are features of one logistic regression fitted on gold
(``training/negotiation.py``, cross-validated by article; docs/eval/23-session-15.md).
Its threshold is the highest at which no training negotiation was lost. The weights ship
as ``data/negotiation.json`` and are read with no training dependency; they are of the
embedded GGUF's embeddings, so only the embedded model is judged by them
(``Settings.negotiation_mode``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from summariser import cues
from summariser.schemas import Sides
from summariser.segment import Segment

__all__ = [
    "NegotiationDecision",
    "negotiation_features",
    "decide_negotiation",
    "embedding_score",
    "judge_negotiation",
    "load_weights",
    "WEIGHTS_VERSION",
]

WEIGHTS_VERSION = 2  # 2: the embedding of the opening sentences is a feature


@dataclass(frozen=True)
class NegotiationDecision:
    is_negotiation: bool
    probability: float | None
    source: str  # "fitted" or "model"

    @property
    def reason(self) -> str:
        return f"judged not a negotiation ({self.source}: probability {self.probability})"


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


def embedding_score(vectors: Sequence[Sequence[float]], embedding: dict[str, Any]) -> float:
    """Where the mean of ``vectors`` lies along the fitted direction (about -1 for other news, +1
    for negotiations, by the training articles' spread)."""
    direction = embedding["direction"]
    mean = [sum(column) / len(vectors) for column in zip(*vectors, strict=True)]
    return sum(m * d for m, d in zip(mean, direction, strict=True)) - float(embedding["offset"])


def judge_negotiation(
    segments: Sequence[Segment],
    sides: Sides | None,
    *,
    english: bool,
    weights: dict[str, Any],
    embed: Callable[[list[str]], list[list[float]]],
) -> NegotiationDecision:
    """The verdict on one article by ``weights``, embedding its opening sentences with ``embed``
    (English only: in another language the model's own answer stands, and nothing is embedded)."""
    features = negotiation_features(segments, sides, english=english)
    if english and "embedding" in weights:
        opening = [s.text for s in segments[: int(weights["embedding"]["sentences"])]]
        features["embedding"] = embedding_score(embed(opening), weights["embedding"])
    return decide_negotiation(features, weights)


def load_weights(path: str | None = None) -> dict[str, Any] | None:
    """The weights at ``path``, else the shipped ones (``data/negotiation.json``); None when none can be read."""
    return _read(Path(path).read_text) if path else _shipped()


@cache
def _shipped() -> dict[str, Any] | None:
    return _read(resources.files("summariser").joinpath("data/negotiation.json").read_text)


def _read(read: Callable[..., str]) -> dict[str, Any] | None:
    try:
        weights: dict[str, Any] = json.loads(read(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return weights if weights.get("version") == WEIGHTS_VERSION else None
