"""The is-it-a-negotiation decider: its shipped weights and how it reads an article's signals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from summariser.schemas import ExtractedParty, Sides

from summariser import summarise
from summariser.config import load_settings
from summariser.errors import ConfigError
from summariser.local import MODEL_SHA256
from summariser.negotiation import embedding_score, judge_negotiation, load_weights
from summariser.segment import segment_text

ARTICLE = (
    "Dockworkers and port operators resumed talks on Monday. "
    "The union is demanding a 6 percent raise and an end to split shifts. "
    "The operators offered 3 percent. Both sides will meet again on Friday."
)


def _sides(is_negotiation: bool = True) -> Sides:
    parties = [ExtractedParty(name=n, aliases=[], representatives=[]) for n in ("union", "operators")]
    return Sides(is_negotiation=is_negotiation, summary="Talks.", parties=parties, mediators=[])


def test_the_shipped_weights_are_of_the_embedded_model_and_never_lose_a_training_negotiation() -> None:
    weights = load_weights()
    assert weights is not None
    assert "embedding" in weights["features"]
    assert len(weights["embedding"]["direction"]) == 1536
    assert weights["embedding"]["model_sha256"] == MODEL_SHA256
    assert 0.0 < weights["threshold"] <= 0.5
    assert weights["meta"]["negatives"] >= 5


def test_the_embedding_is_read_along_the_fitted_direction() -> None:
    embedding = {"direction": [1.0, -1.0, 0.0], "offset": 0.5}
    assert embedding_score([[2.0, 0.0, 9.0], [0.0, 0.0, -9.0]], embedding) == pytest.approx(0.5)
    assert embedding_score([[0.0, 1.0, 0.0]], embedding) == pytest.approx(-1.5)


def test_an_opening_like_negotiations_weighs_for_one_and_unlike_them_against() -> None:
    weights = load_weights()
    assert weights is not None
    direction = weights["embedding"]["direction"]
    segments = segment_text(ARTICLE)
    seen: list[list[str]] = []

    def along(sign: float):
        def embed(texts: list[str]) -> list[list[float]]:
            seen.append(texts)
            return [[sign * 50 * d for d in direction] for _ in texts]

        return embed

    toward = judge_negotiation(segments, _sides(), english=True, weights=weights, embed=along(1.0))
    away = judge_negotiation(segments, _sides(), english=True, weights=weights, embed=along(-1.0))
    assert toward.source == away.source == "fitted"
    assert toward.probability is not None and away.probability is not None
    assert toward.probability > away.probability
    assert toward.is_negotiation and not away.is_negotiation
    assert "judged not a negotiation (fitted: probability" in away.reason
    assert seen[0] == [s.text for s in segments[: weights["embedding"]["sentences"]]]
    plain = {k: v for k, v in weights.items() if k != "embedding"}  # fitted without --embeddings
    assert judge_negotiation(segments, _sides(), english=True, weights=plain, embed=along(1.0)).source == "fitted"
    assert len(seen) == 2


def test_another_language_keeps_the_models_answer_and_embeds_nothing() -> None:
    weights = load_weights()
    assert weights is not None

    def never(texts: list[str]) -> list[list[float]]:
        raise AssertionError("nothing is embedded for an article that is not English")

    segments = segment_text("Die Gewerkschaft fordert mehr Lohn. Die Arbeitgeber bieten drei Prozent an.")
    for said in (True, False):
        decision = judge_negotiation(segments, _sides(said), english=False, weights=weights, embed=never)
        assert (decision.is_negotiation, decision.source) == (said, "model")


def test_a_weights_file_of_ones_own_is_read_and_a_bad_one_is_one_clear_error(tmp_path: Path) -> None:
    shipped = load_weights()
    assert shipped is not None
    own = tmp_path / "negotiation.json"
    own.write_text(json.dumps({**shipped, "threshold": 0.42}), encoding="utf-8")
    assert load_weights(str(own))["threshold"] == 0.42  # type: ignore[index]
    (tmp_path / "old.json").write_text(json.dumps({**shipped, "version": 1}), encoding="utf-8")
    assert load_weights(str(tmp_path / "old.json")) is None
    settings = load_settings(trust_env=False, model="local", negotiation_weights=str(tmp_path / "missing.json"))
    with pytest.raises(ConfigError, match="negotiation_weights: cannot read negotiation weights"):
        summarise(text=ARTICLE, settings=settings)
