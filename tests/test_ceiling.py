"""The ceiling: a perfect model behind a real localhost server, over the dev set.

Whatever the pipeline discards or bends from right answers shows as a score below 1.0.
When the model decides (``trust = "model"``), every metric must stay at 0.95 or more; the
same server answering wrongly must score low, or the test could not fail. When the rules
decide, their ceiling is pinned so that a change which throws away more of a right answer
shows (measured figures: docs/eval/18-ceiling.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summariser.eval import QUALITY_METRICS
from training.ceiling import ceiling

DEVSET = Path(__file__).resolve().parents[1] / "devset"
METRICS = QUALITY_METRICS  # each higher-is-better, each a metric of `summarise eval`
ITEMS = [m for m in METRICS if m.startswith(("positions", "proposals", "next_steps"))]


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    return {
        "model": ceiling(DEVSET, trust="model")["overall"],
        "model-wrong": ceiling(DEVSET, trust="model", wrong=True)["overall"],
        "rules": ceiling(DEVSET, trust="rules")["overall"],
        "model-questions": ceiling(DEVSET, trust="model", items="questions")["overall"],
    }


@pytest.mark.parametrize("metric", METRICS)
def test_ceiling_when_the_model_decides_keeps_a_right_answer(reports: dict[str, Any], metric: str) -> None:
    assert reports["model"][metric] >= 0.95
    assert reports["model"]["false_brief_rate"] == 0
    assert reports["model"]["errors"] == 0


@pytest.mark.parametrize("metric", [*ITEMS, "actor_accuracy", "status_accuracy", "mediators_f1"])
def test_ceiling_control_a_wrong_model_scores_low(reports: dict[str, Any], metric: str) -> None:
    assert reports["model-wrong"][metric] < 0.5


@pytest.mark.parametrize("metric", ITEMS)
@pytest.mark.parametrize("way", ["rules", "model-questions"])
def test_ceiling_of_the_questions_step_is_pinned(reports: dict[str, Any], way: str, metric: str) -> None:
    # Measured 0.77-0.99: one kind per sentence, and the rules' kinds of English sentences when they decide.
    assert reports[way][metric] >= 0.75
