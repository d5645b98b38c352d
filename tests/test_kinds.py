"""The fitted sentence-kind decider: its features, its weights file and how it combines them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from summariser.schemas import Sides

from summariser.ask import Questions
from summariser.call import CallRecord
from summariser.config import load_settings
from summariser.errors import ConfigError
from summariser.kinds import KINDS, WEIGHTS_VERSION, KindWeights, decide_kinds, sentence_features
from summariser.segment import segment_text
from summariser.statements import find_statements

ARTICLE = (
    "Dock workers and the Harbour Board met again on Monday. "
    "The Harbour Board offered a 4 percent rise over two years. "
    "The union rejected the offer and will hold a strike ballot on March 3. "
    "The weather in the port was mild."
)


def _weights(coefficients: dict[str, dict[str, float]], thresholds: float = 0.5, abstain: float = 0.0) -> KindWeights:
    features = sorted({f for per_kind in coefficients.values() for f in per_kind})
    return KindWeights.from_dict(
        {
            "version": WEIGHTS_VERSION,
            "features": features,
            "coefficients": {k: [coefficients.get(k, {}).get(f, 0.0) for f in features] for k in KINDS},
            "intercepts": {k: -3.0 for k in KINDS},
            "thresholds": {k: thresholds for k in KINDS},
            "abstain": {k: abstain for k in KINDS},
        }
    )


def test_features_name_the_cues_that_hit_and_the_rules_answer() -> None:
    values = sentence_features(segment_text(ARTICLE))
    assert values[1]["rule:offer"] == 1.0
    assert any(name.startswith("cue:") for name in values[1])
    assert values[3]["rule:none"] == 1.0 and values[3]["after_offer"] == 1.0
    assert "cue:_REFUSES" not in values[3]


def test_a_sentence_may_state_two_kinds() -> None:
    weights = _weights({"demand": {"cue:_REFUSES": 6.0, "rule:future": 6.0}, "future": {"rule:future": 6.0}})
    decisions = decide_kinds(segment_text(ARTICLE), weights)
    ballot = decisions[2]
    assert ballot.rule_kind == "future"
    assert set(ballot.kinds) == {"demand", "future"}
    assert ballot.source == "fitted"
    assert decisions[3].kinds == ()


def test_the_abstain_band_is_settled_by_the_rules() -> None:
    # Every probability sits just under the threshold: inside the band only the rules' kind is said.
    weights = _weights({k: {"rule:offer": 2.9, "rule:none": 2.9, "rule:future": 2.9} for k in KINDS}, abstain=0.1)
    decisions = decide_kinds(segment_text(ARTICLE), weights)
    assert decisions[1].kinds == ("offer",) and decisions[1].source == "fitted+rule"
    assert decisions[3].kinds == ()


def test_rules_only_gives_the_cascade() -> None:
    decisions = decide_kinds(segment_text(ARTICLE), rules_only=True)
    assert [d.kinds for d in decisions] == [(), ("offer",), ("future",), ()]
    assert {d.source for d in decisions} == {"rule"}


def test_both_kinds_of_one_sentence_become_items() -> None:
    sides = Sides.model_validate(
        {
            "is_negotiation": True,
            "summary": "",
            "parties": [
                {"name": "Dock Workers Union", "aliases": ["the union"], "representatives": []},
                {"name": "Harbour Board", "aliases": [], "representatives": []},
            ],
            "mediators": [],
        }
    )
    weights = _weights({"demand": {"cue:_REFUSES": 6.0, "rule:future": 6.0}, "future": {"rule:future": 6.0}})
    questions = Questions([], None, None, CallRecord(), budget=0)  # type: ignore[arg-type]
    found = find_statements(questions, segment_text(ARTICLE), sides, weights=weights)
    assert [p.sentence for p in found.items.positions] == [3]
    assert [s.sentence for s in found.items.next_steps] == [3]
    assert found.kinds_of(3) == ("demand", "future") or found.kinds_of(3) == ("future", "demand")


def test_an_unreadable_weights_file_is_a_config_error(tmp_path: Path) -> None:
    from summariser.pipeline import _kind_weights

    bad = tmp_path / "kinds.json"
    bad.write_text(json.dumps({"version": 99}), encoding="utf-8")
    with pytest.raises(ConfigError, match="kind_weights"):
        _kind_weights(load_settings(trust_env=False, kind_weights=str(bad)))
    assert _kind_weights(load_settings(trust_env=False)) == "rules"  # the default: the cascade
