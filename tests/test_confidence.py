"""An item's confidence is its source's measured record; a bar drops only what several articles measured."""

from __future__ import annotations

import json
from importlib import resources

from schemas.brief import Evidence, Position, Proposal
from summariser.confidence import ConfidenceTable, Record, load_table, weigh
from summariser.eval import ArticleScore
from summariser.validate import Grounded
from training.confidence import fit, gated


def _table(bar: float = 0.2, articles: int = 5) -> ConfidenceTable:
    records = {"positions": {"rule:demand": Record(60, 30, 20), "model": Record(20, 0, articles)}}
    return ConfidenceTable(records, bars={"positions": bar})


def test_confidence_is_the_record_shrunk_toward_the_section() -> None:
    table = _table()
    pooled = 30 / 80
    assert table.confidence("positions", "rule:demand") == round((30 + 4 * pooled) / 64, 3)
    assert table.confidence("positions", None) == table.confidence("positions", "model")  # no source: the model
    assert table.confidence("positions", "rule:never_seen") is None
    assert table.confidence("proposals", "rule:demand") is None


def test_an_item_under_its_bar_is_dropped_with_its_record_as_the_reason() -> None:
    assert _table().below_bar("positions", "rule:demand") is None
    reason = _table().below_bar("positions", "model")
    assert reason is not None and "right 0 of 20 times on 5 real articles" in reason
    # Two articles are not enough evidence to veto a source, and no bar vetoes nothing.
    assert _table(articles=2).below_bar("positions", "model") is None
    assert _table(bar=0.0).below_bar("positions", "model") is None


def test_weigh_sets_confidences_and_moves_what_is_under_the_bar_to_dropped() -> None:
    evidence = [Evidence(sentence=3, text="The union wants more.", start=0, end=21)]
    grounded = Grounded(
        is_negotiation=True,
        summary="",
        positions=[
            Position(party="Union", stance="wants more", evidence=evidence, source="rule:demand"),
            Position(party="Union", stance="wants more pay", evidence=evidence),
        ],
        proposals=[Proposal(by="Union", proposal="a raise", evidence=evidence, source="rule:offer_words")],
    )
    weigh(grounded, _table())
    assert [p.source for p in grounded.positions] == ["rule:demand"]
    assert grounded.positions[0].confidence == _table().confidence("positions", "rule:demand")
    assert grounded.proposals[0].confidence is None  # never measured: no figure is made up
    assert grounded.positions[0].actor_confidence is None and grounded.proposals[0].status_confidence is None
    [dropped] = grounded.dropped
    assert dropped.section == "positions" and dropped.item["sentence"] == 3 and "confidence" in dropped.reason


def _score(name: str, good: int, bad: int) -> ArticleScore:
    counts = {
        "positions_gold": good + 1,
        "src|positions|rule:demand|items": good,
        "src|positions|rule:demand|right": good,
        "src|positions|model|items": bad,
        "src|positions|model|right": 0,
    }
    return ArticleScore(name=name, counts=counts, metrics={}, cost={})


def test_the_bar_is_the_one_with_the_best_f1_on_the_training_articles() -> None:
    table = fit([_score(f"a{i}", good=3, bad=4) for i in range(4)])
    assert table.records["positions"]["model"] == Record(16, 0, 4)
    assert table.below_bar("positions", "model") is not None  # always wrong, on four articles: dropped
    assert table.below_bar("positions", "rule:demand") is None
    # A source always wrong but seen in two articles keeps its items: the bar is not drawn from them.
    few = fit([_score("a0", good=3, bad=4), _score("a1", good=3, bad=4), _score("a2", good=3, bad=0)])
    assert few.below_bar("positions", "model") is None
    brief = {"positions": [{"source": "model"}, {"source": "rule:demand"}], "proposals": []}
    assert gated(brief, table)["positions"] == [{"source": "rule:demand"}]  # type: ignore[index]


def test_the_shipped_table_loads_and_round_trips() -> None:
    table = load_table()
    assert table is not None and table.records["positions"]
    text = resources.files("summariser").joinpath("data/confidence.json").read_text(encoding="utf-8")
    assert ConfidenceTable.from_json(json.loads(text)) == table
    assert ConfidenceTable.from_json(table.to_json()) == table


def test_actors_and_statuses_have_records_of_their_own() -> None:
    score = ArticleScore(
        name="a",
        counts={
            "act|proposals|rule:offerer|items": 4,
            "act|proposals|rule:offerer|right": 3,
            "sts|proposals|model|items": 2,
            "sts|proposals|model|right": 2,
        },
        metrics={},
        cost={},
    )
    table = fit([score])
    assert table.records["actor:proposals"]["rule:offerer"] == Record(4, 3, 1)
    assert table.confidence("status:proposals", "model") == 1.0
    evidence = [Evidence(sentence=1, text="Harbourline offered 6 percent.", start=0, end=30)]
    proposal = Proposal(
        by="Harbourline",
        proposal="6 percent",
        evidence=evidence,
        source="rule:offer_words",
        actor_source="rule:offerer",
        status_source="model",
    )
    grounded = Grounded(is_negotiation=True, summary="", proposals=[proposal])
    weigh(grounded, table)
    assert grounded.proposals[0].actor_confidence == 0.75 and grounded.proposals[0].status_confidence == 1.0
