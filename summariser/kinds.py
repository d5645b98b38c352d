"""Sentence kinds, fitted: what each English sentence states, decided by weights fitted on gold.

Input: an article's numbered sentences. Output: for each sentence, the kinds it
states (``demand``, ``offer``, ``agreement``, ``future``; a sentence may state
more than one) as :class:`KindDecision` rows, each with the probability the
fitted weights give it and where the answer came from.

The signals are features, not verdicts: every statement cue of :mod:`summariser.cues`
that hits the sentence (``cue:<NAME>``), the rule cascade's own answer
(``rule:<kind>``), quotation structure, speaker form and position. One logistic
regression per kind weighs them (``training/kinds.py`` fits them on gold, with
cross-validation grouped by article, and writes a weights file read here with no
training dependency; ``data/kinds.json`` in the package when one ships; none does
yet, since cross-validation found no gain over the rules: docs/eval/15-cv.md).
Between a kind's threshold and its abstain margin the rules decide; below it the
kind is not stated.

Raises nothing: a missing or unreadable weights file falls back to the rules
(``source="rule"``), reported in the decisions.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from summariser import cues
from summariser.segment import Segment

__all__ = [
    "KINDS",
    "KindDecision",
    "KindWeights",
    "load_weights",
    "sentence_features",
    "decide_kinds",
    "quoted_speaker_named",
]

KINDS = ("demand", "offer", "agreement", "future")
WEIGHTS_VERSION = 1
# Cues that test whole articles or are pieces of other cues, not what one sentence states.
_NOT_FEATURES = frozenset({"_WORD", "_ENGLISH", "_NEGOTIATION"})
_QUOTE_MARKS = re.compile(r"[\"“”«»„]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class KindDecision:
    """What one sentence states: its kinds, each kind's probability, and the source of the answer."""

    number: int
    kinds: tuple[str, ...]
    probabilities: dict[str, float]
    source: str  # "fitted", "fitted+rule" (a kind in the abstain band the rules settled), "rule"
    rule_kind: str


@dataclass(frozen=True)
class KindWeights:
    """One fitted linear model per kind over named features, and each kind's thresholds."""

    features: tuple[str, ...]
    coefficients: dict[str, tuple[float, ...]]
    intercepts: dict[str, float]
    thresholds: dict[str, float]
    abstain: dict[str, float]
    meta: dict[str, Any]

    def probability(self, kind: str, values: dict[str, float]) -> float:
        coef = self.coefficients[kind]
        z = self.intercepts[kind] + sum(c * values.get(f, 0.0) for f, c in zip(self.features, coef, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KindWeights:
        if data.get("version") != WEIGHTS_VERSION:
            raise ValueError(f"kinds weights version {data.get('version')!r}, expected {WEIGHTS_VERSION}")
        return cls(
            features=tuple(data["features"]),
            coefficients={k: tuple(float(c) for c in data["coefficients"][k]) for k in KINDS},
            intercepts={k: float(data["intercepts"][k]) for k in KINDS},
            thresholds={k: float(data["thresholds"][k]) for k in KINDS},
            abstain={k: float(data.get("abstain", {}).get(k, 0.0)) for k in KINDS},
            meta=dict(data.get("meta", {})),
        )


@cache
def _shipped() -> KindWeights | None:
    try:
        text = resources.files("summariser").joinpath("data/kinds.json").read_text(encoding="utf-8")
        return KindWeights.from_dict(json.loads(text))
    except (OSError, ValueError, KeyError):
        return None


def load_weights(path: str | Path | None = None) -> KindWeights | None:
    """The weights at ``path``, else the shipped ones; None when there are none to read."""
    if path is None:
        return _shipped()
    try:
        return KindWeights.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


@cache
def _cue_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (name, value)
        for name, value in sorted(vars(cues).items())
        if isinstance(value, re.Pattern) and name not in _NOT_FEATURES
    )


def _one(segment: Segment, index: int, segments: Sequence[Segment], rule_kinds: Sequence[str]) -> dict[str, float]:
    text = segment.text
    values: dict[str, float] = {f"cue:{name}": 1.0 for name, pattern in _cue_patterns() if pattern.search(text)}
    values[f"rule:{rule_kinds[index]}"] = 1.0
    words = len(text.split())
    values["words"] = min(words, 60) / 60
    values["short"] = float(words < 6)
    values["first3"] = float(index < 3)
    values["position"] = index / max(1, len(segments) - 1)
    values["quote"] = float(bool(_QUOTE_MARKS.search(text)))
    values["opens_quote"] = float(cues.opens_with_quote(text))
    values["continues_speech"] = float(cues.continues_speech(text))
    values["digits"] = float(bool(_DIGIT.search(text)))
    values["when"] = float(cues.when_phrase(text) is not None)
    values["commentator"] = float(cues.commentator(text))
    values["crowd"] = float(cues.crowd_opens(text))
    values["talks_event"] = float(cues.talks_event(text))
    values["together"] = float(cues.together(text))
    values["first_person_side"] = float(cues.speaks_as_a_side(text))
    values["first_person_named"] = values["first_person_side"] * float(quoted_speaker_named(segments, index + 1))
    speaker = cues.speaker_of(text)
    values[f"speaker:{speaker[1] if speaker else 'none'}"] = 1.0
    recent = [rule_kinds[j] for j in range(max(0, index - cues.TERMS_GAP), index)]
    values["after_offer"] = float(any(k in ("offer", "agreement", "terms") for k in recent))
    values["after_offer_terms"] = values["after_offer"] * float(
        cues.more_terms(text, future=rule_kinds[index] == "future") or cues.opens_as_terms(text)
    )
    values["prev_demand"] = float(bool(recent) and recent[-1] == "demand")
    return values


def quoted_speaker_named(segments: Sequence[Segment], number: int) -> bool:
    """Whether the quotation in sentence ``number`` has a speaker named by title or name: in the
    sentence, or before it across a quotation that goes on ("He said", a bare quotation)."""
    for index in range(number - 1, max(-1, number - 4), -1):
        speaker = cues.speaker_of(segments[index].text)
        if speaker is not None:
            if speaker[1] != "pronoun":
                return True
        elif not cues.opens_with_quote(segments[index].text):
            return False
    return False


def sentence_features(segments: Sequence[Segment]) -> list[dict[str, float]]:
    """Every sentence's named feature values (absent features are 0)."""
    candidates = set(cues.candidate_sentences(segments))
    rule_kinds = [cues.statement_kind(s.text) if s.number in candidates else "none" for s in segments]
    return [_one(s, i, segments, rule_kinds) for i, s in enumerate(segments)]


def _kinds_of_rule(rule_kind: str) -> set[str]:
    return {"offer"} if rule_kind == "terms" else ({rule_kind} - {"none"})


def decide_kinds(
    segments: Sequence[Segment], weights: KindWeights | None = None, *, rules_only: bool = False
) -> list[KindDecision]:
    """What each sentence states, one decision per sentence: by ``weights`` (default the shipped
    ones), or by the rule cascade alone with ``rules_only`` or when no weights can be read.

    >>> from summariser.segment import segment_text
    >>> [d.rule_kind for d in decide_kinds(segment_text("Union members will vote on the offer on Friday."))]
    ['future']
    """
    weights = None if rules_only else (weights if weights is not None else _shipped())
    features = sentence_features(segments)
    decisions = []
    for segment, values in zip(segments, features, strict=True):
        rule_kind = next((k[5:] for k in values if k.startswith("rule:")), "none")
        if weights is None:
            kinds = _kinds_of_rule(rule_kind)
            decisions.append(KindDecision(segment.number, tuple(sorted(kinds)), {}, "rule", rule_kind))
            continue
        probs = {k: round(weights.probability(k, values), 4) for k in KINDS}
        chosen, source = [], "fitted"
        for kind in KINDS:
            if probs[kind] >= weights.thresholds[kind]:
                chosen.append(kind)
            elif probs[kind] >= weights.thresholds[kind] - weights.abstain[kind] and kind in _kinds_of_rule(rule_kind):
                chosen.append(kind)
                source = "fitted+rule"
        chosen.sort(key=lambda k: -probs[k])
        decisions.append(KindDecision(segment.number, tuple(chosen), probs, source, rule_kind))
    return decisions
