from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.eval import Gold, change_intervals, evaluate, load_gold, names_match, score_article
from summariser.load import load_article
from summariser.segment import segment_text

from .conftest import DEVSET

ISTANBUL_LIKE = "ceasefire_marenia"


def perfect_brief(name: str) -> dict[str, Any]:
    """A brief built from the gold annotation itself, citing the sentences that hold each quote."""
    gold = load_gold(DEVSET / f"{name}.gold.json")
    sentences = segment_text(load_article(str(DEVSET / f"{name}.txt")).text)

    def cite(quote: str) -> list[dict[str, Any]]:
        flat = quote.replace("“", '"').replace("”", '"')
        hit = next(
            s for s in sentences if flat.strip('"') in s.text.replace("“", '"').replace("”", '"') or flat[:40] in s.text
        )
        return [{"sentence": hit.number, "text": hit.text}]

    return {
        "is_negotiation": gold.is_negotiation,
        "parties": [{"name": p.name, "aliases": p.aliases, "evidence": []} for p in gold.parties],
        "mediators": [{"name": m.name, "aliases": m.aliases, "evidence": []} for m in gold.mediators],
        "positions": [{"party": i.party, "stance": i.summary, "evidence": cite(i.quote)} for i in gold.positions],
        "proposals": [{"by": i.by, "proposal": i.summary, "evidence": cite(i.quote)} for i in gold.proposals],
        "next_steps": [{"action": i.summary, "evidence": cite(i.quote)} for i in gold.next_steps],
        "meta": {"attempts": 2, "usage": {"prompt_tokens": 10, "completion_tokens": 5}, "seconds": 1.0, "dropped": []},
    }


def score(name: str, brief: dict[str, Any] | None) -> dict[str, Any]:
    gold = load_gold(DEVSET / f"{name}.gold.json")
    text = load_article(str(DEVSET / f"{name}.txt")).text
    return score_article(name, brief, gold, text).metrics


@pytest.mark.parametrize(
    "name", ["ceasefire_marenia", "labour_portside", "trade_velland", "scraped_airline", "hostage_kaldor"]
)
def test_perfect_prediction_scores_one(name: str) -> None:
    metrics = score(name, perfect_brief(name))
    for key, value in metrics.items():
        if key.endswith(("precision", "recall", "f1")) and value is not None:
            assert value == 1.0, key
    assert metrics["grounding_verbatim"] == 1.0 and metrics["dropped_share"] == 0.0


def test_empty_prediction_has_zero_recall() -> None:
    metrics = score(ISTANBUL_LIKE, {"is_negotiation": True})
    for key in ("parties_recall", "mediators_recall", "positions_recall", "proposals_recall", "next_steps_recall"):
        assert metrics[key] == 0.0


def test_mediator_listed_as_party_is_penalised_twice() -> None:
    brief = perfect_brief(ISTANBUL_LIKE)
    un = brief["mediators"].pop(0)
    brief["parties"].append(un)
    metrics = score(ISTANBUL_LIKE, brief)
    assert metrics["parties_precision"] == pytest.approx(2 / 3)
    assert metrics["mediators_recall"] == pytest.approx(1 / 2)
    assert metrics["mediator_as_party"] == 1.0


def test_aliases_and_diacritics_match() -> None:
    assert names_match(["Türkiye"], ["Turkey", "Turkish"])
    assert names_match(["Turkish side"], ["Türkiye"])
    assert names_match(["the Russian delegation"], ["Russia"])
    assert names_match(["UN"], ["United Nations", "UN"])
    assert not names_match(["Russia"], ["Ukraine"])


def test_wrong_author_does_not_match() -> None:
    brief = perfect_brief(ISTANBUL_LIKE)
    brief["proposals"][1]["by"] = "Marenia"  # the UN's plan credited to a party
    metrics = score(ISTANBUL_LIKE, brief)
    assert metrics["proposals_recall"] == pytest.approx(3 / 4)


def test_false_brief_rate_and_evaluate_from_predictions(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for name in ("ceasefire_marenia", "nonneg_floods"):
        for suffix in (".txt", ".gold.json"):
            (gold_dir / f"{name}{suffix}").write_text((DEVSET / f"{name}{suffix}").read_text())
    preds = tmp_path / "preds"
    preds.mkdir()
    (preds / "ceasefire_marenia.json").write_text(json.dumps(perfect_brief("ceasefire_marenia")))
    (preds / "nonneg_floods.json").write_text(json.dumps({"is_negotiation": True, "parties": [{"name": "Northlink"}]}))
    report = evaluate(gold_dir, predictions=preds)
    assert report["overall"]["false_brief_rate"] == 1.0
    assert report["overall"]["proposals_recall"] == 1.0
    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["eval", str(gold_dir), "--predictions", str(preds), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "actor" in result.output and "status" in result.output
    result = CliRunner().invoke(
        app, ["eval", str(gold_dir), "--predictions", str(preds), "--json", str(out), "--compare", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "parties_f1" in result.output and json.loads(out.read_text())["overall"]["articles"] == 2


def test_bad_gold_dir_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--predictions", str(tmp_path)])
    assert result.exit_code == 1 and "no NAME.txt + NAME.gold.json pairs" in result.stderr


def test_short_forms_match() -> None:
    assert names_match(["Omani"], ["Oman", "Omani mediators"])
    assert not names_match(["Oman"], ["Romania"])


def test_unreadable_compare_report_fails_before_any_brief(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for suffix in (".txt", ".gold.json"):
        (gold_dir / f"ceasefire_marenia{suffix}").write_text((DEVSET / f"ceasefire_marenia{suffix}").read_text())
    bad = tmp_path / "old.json"
    bad.write_text("not json")
    # No model is reachable: the run must stop on the report before trying one.
    result = CliRunner().invoke(
        app,
        ["eval", str(gold_dir), "--compare", str(bad), "--model", "llamacpp/x", "--base-url", "http://127.0.0.1:9/v1"],
    )
    assert result.exit_code == 1 and "cannot read report to compare" in result.stderr
    assert "scoring" not in result.stderr


def test_eval_fails_when_every_article_fails(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for suffix in (".txt", ".gold.json"):
        (gold_dir / f"ceasefire_marenia{suffix}").write_text((DEVSET / f"ceasefire_marenia{suffix}").read_text())
    result = CliRunner().invoke(app, ["eval", str(gold_dir), "--predictions", str(tmp_path / "none")])
    assert result.exit_code == 1 and "every article failed" in result.stderr


def test_actor_and_status_accuracy_count_matched_items_only() -> None:
    gold = Gold.model_validate(
        {
            "is_negotiation": True,
            "parties": [{"name": "Union"}, {"name": "Company"}],
            "proposals": [{"by": "Company", "status": "rejected", "quote": "The company offered 4 percent."}],
            "positions": [{"party": "Union", "quote": "The union wants 9 percent."}],
        }
    )
    text = "The union wants 9 percent. The company offered 4 percent. It rained."

    def item(kind: str, actor: str, sentence: str, **extra: str) -> dict[str, object]:
        key = "party" if kind == "positions" else "by"
        return {key: actor, "evidence": [{"sentence": 1, "text": sentence}], **extra}

    brief = {
        "is_negotiation": True,
        "parties": [{"name": "Union"}, {"name": "Company"}],
        "positions": [
            item("positions", "Company", "The union wants 9 percent."),
            item("positions", "Union", "It rained."),
        ],
        "proposals": [item("proposals", "Company", "The company offered 4 percent.", status="agreed")],
        "summary": "The union wants 9 percent.",
        "title": "Talks",
    }
    metrics = score_article("x", brief, gold, text).metrics
    assert metrics["actor_accuracy"] == 0.5  # the position credits the wrong side; "It rained." matches nothing
    assert metrics["status_accuracy"] == 0.0
    assert metrics["positions_recall"] == 0.0 and metrics["proposals_recall"] == 1.0
    assert metrics["summary_ok"] == 1.0


def test_a_joint_actor_splits_on_whole_side_names() -> None:
    from summariser.names import split_joint

    guild, studios = "Screen Performers Guild", "Alliance of Film and Television Producers"
    assert split_joint(f"{guild} and {studios}", [guild, studios]) == [guild, studios]
    assert split_joint("Warner Bros. Discovery and Netflix", ["Warner Bros", "Netflix"]) == [
        "Warner Bros. Discovery",
        "Netflix",
    ]
    assert split_joint("Qatar, US and Egypt", []) == ["Qatar", "US", "Egypt"]


@pytest.mark.parametrize(
    "gold_path",
    sorted([*DEVSET.glob("*.gold.json"), *(DEVSET.parent / "holdout").glob("*.gold.json")]),
    ids=lambda path: path.name.removesuffix(".gold.json"),
)
def test_every_gold_quote_is_in_its_article(gold_path: Path) -> None:
    """The scorer matches items by their gold quote; a quote the article does not hold could never match."""
    from summariser.names import flat_text

    gold = load_gold(gold_path)
    article = flat_text(load_article(str(gold_path).removesuffix(".gold.json") + ".txt").text)
    quotes = [i.quote for section in (gold.positions, gold.proposals, gold.next_steps) for i in section]
    assert [q for q in quotes if q and flat_text(q) not in article] == []


def test_items_are_scored_by_what_decided_them() -> None:
    from summariser.eval import Gold, aggregate, score_article

    text = "Marenia wants a truce. Dostrak offered a swap. The weather was mild."
    gold = Gold.model_validate(
        {
            "is_negotiation": True,
            "parties": [{"name": "Marenia"}, {"name": "Dostrak"}],
            "positions": [{"party": "Marenia", "quote": "Marenia wants a truce."}],
        }
    )

    def item(party: str, sentence: str, source: str | None) -> dict[str, Any]:
        return {"party": party, "stance": sentence, "source": source, "evidence": [{"text": sentence}]}

    brief = {
        "is_negotiation": True,
        "parties": [{"name": "Marenia"}, {"name": "Dostrak"}],
        "positions": [
            item("Marenia", "Marenia wants a truce.", "rule:demand"),
            item("Dostrak", "The weather was mild.", "rule:demand"),
            item("Dostrak", "Dostrak offered a swap.", "model"),
        ],
    }
    overall = aggregate([score_article("a", brief, gold, text)])
    assert overall["by_source"]["positions"] == {
        "rule:demand": {"items": 2, "right": 1, "precision": 0.5},
        "model": {"items": 1, "right": 0, "precision": 0.0},
    }
    # Actors, by what decided them, over the items whose evidence holds a gold quote.
    brief["positions"][0]["actor_source"] = "rule:speaker"
    brief["positions"].append({**item("Dostrak", "Marenia wants a truce.", "rule:demand"), "actor_source": "model"})
    overall = aggregate([score_article("a", brief, gold, text)])
    assert overall["actor_by_source"]["positions"] == {
        "rule:speaker": {"items": 1, "right": 1, "precision": 1.0},
        "model": {"items": 1, "right": 0, "precision": 0.0},
    }


def test_eval_writes_csv_and_names_the_articles_that_moved(tmp_path: Path) -> None:
    import csv

    gold_dir, preds = tmp_path / "gold", tmp_path / "preds"
    gold_dir.mkdir()
    preds.mkdir()
    for name in ("ceasefire_marenia", "hostage_kaldor"):
        for suffix in (".txt", ".gold.json"):
            (gold_dir / f"{name}{suffix}").write_text((DEVSET / f"{name}{suffix}").read_text())
        (preds / f"{name}.json").write_text(json.dumps(perfect_brief(name)))
    old, table = tmp_path / "old.json", tmp_path / "rows.csv"
    result = CliRunner().invoke(app, ["eval", str(gold_dir), "--predictions", str(preds), "--json", str(old)])
    assert result.exit_code == 0, result.output
    worse = perfect_brief("hostage_kaldor")
    worse["positions"] = []
    (preds / "hostage_kaldor.json").write_text(json.dumps(worse))
    result = CliRunner().invoke(
        app, ["eval", str(gold_dir), "--predictions", str(preds), "--compare", str(old), "--csv", str(table)]
    )
    assert result.exit_code == 0, result.output
    moved = result.output.split("articles that moved", 1)[1]
    assert "hostage_kaldor" in moved and "ceasefire_marenia" not in moved and "-1.00" in moved
    with table.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["article"] for r in rows] == ["ceasefire_marenia", "hostage_kaldor", "overall"]
    assert rows[1]["positions_recall"] == "0.0" and rows[0]["positions_recall"] == "1.0"


@pytest.mark.parametrize(
    ("metric", "delta", "colour"),
    [
        ("positions_recall", 0.1, "green"),
        ("positions_recall", -0.1, "red"),
        ("seconds", -3.0, "green"),
        ("output_tokens", 50.0, "red"),
        ("false_brief_rate", 0.2, "red"),
        ("dropped_share", -0.1, "green"),
        ("articles", 5.0, ""),
        ("parties_f1", 0.0, ""),
        ("parties_f1", None, ""),
    ],
)
def test_a_comparison_colours_each_metric_by_its_good_direction(metric: str, delta: float | None, colour: str) -> None:
    from summariser.cli import change_colour

    assert change_colour(metric, delta) == colour


def test_each_article_lists_what_was_missed_and_what_matched_nothing() -> None:
    brief = perfect_brief(ISTANBUL_LIKE)
    gold = load_gold(DEVSET / f"{ISTANBUL_LIKE}.gold.json")
    text = load_article(str(DEVSET / f"{ISTANBUL_LIKE}.txt")).text
    assert score_article("x", brief, gold, text).missed == {"positions": [], "proposals": [], "next_steps": []}
    lost, wrong = brief["positions"].pop(0), brief["positions"][0]
    wrong["party"] = "Nobody Named"
    first = segment_text(text)[0].text  # a sentence no gold quote is in
    assert not any(g.quote in first for g in gold.positions)
    brief["positions"].append(
        {"party": gold.positions[0].party, "stance": "x", "evidence": [{"sentence": 1, "text": first}]}
    )
    score = score_article("x", brief, gold, text)
    missed = [m["quote"] for m in score.missed["positions"]]
    assert gold.positions[0].quote in missed and gold.positions[1].quote in missed
    whys = {u["why"] for u in score.unmatched["positions"]}
    assert whys == {"another actor", "no gold quote in its evidence"}
    assert lost["stance"] not in [u["text"] for u in score.unmatched["positions"]]


def test_the_html_report_marks_what_was_missed_beside_the_article(tmp_path: Path) -> None:
    import shutil

    gold, predictions, history = tmp_path / "gold", tmp_path / "pred", tmp_path / "history"
    for folder in (gold, predictions, history):
        folder.mkdir()
    for name in (ISTANBUL_LIKE, "labour_portside"):
        shutil.copy(DEVSET / f"{name}.txt", gold)
        shutil.copy(DEVSET / f"{name}.gold.json", gold)
        brief = perfect_brief(name)
        if name == ISTANBUL_LIKE:
            brief["positions"].pop(0)
        (predictions / f"{name}.json").write_text(json.dumps(brief))
    for i, recall in enumerate((0.4, 0.6)):
        (history / f"0{i}-run.json").write_text(json.dumps({"overall": {"positions_recall": recall}}))
    out = tmp_path / "report.html"
    args = ["eval", str(gold), "--predictions", str(predictions), "--html", str(out), "--history", str(history)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    page = out.read_text()
    lost = load_gold(DEVSET / f"{ISTANBUL_LIKE}.gold.json").positions[0].quote
    assert page.count(f'<mark class="missed">{lost}') == 2  # listed, and marked in the article text
    assert "1 missed, 0 matched nothing" in page and "0 missed, 0 matched nothing" in page
    assert "<svg" in page and page.count("<polyline") >= 1 and "<script" not in page


def _counted(name: str, positions_tp: int) -> dict[str, Any]:
    """A report row of one article with 4 gold and 4 predicted positions, ``positions_tp`` of them right."""
    counts = {
        f"{s}_{k}": 0 for s in ("parties", "mediators", "proposals", "next_steps") for k in ("tp", "pred", "gold")
    }
    counts.update(
        positions_tp=positions_tp, positions_pred=4, positions_gold=4, actor_ok=0, actor_quoted=0, status_ok=0,
        status_quoted=0, summaries=1, summaries_ok=1, evidence=4, evidence_verbatim=4, items_kept=4, items_dropped=0,
        mediator_as_party=0,
    )  # fmt: skip
    return {"name": name, "counts": counts}


def test_a_change_in_every_article_has_an_interval_clear_of_zero_and_one_article_s_does_not() -> None:
    old = {"articles": [_counted(f"a{i}", 1) for i in range(20)]}
    everywhere = {"articles": [_counted(f"a{i}", 3) for i in range(20)]}
    one = {"articles": [_counted("a0", 4), *(_counted(f"a{i}", 1) for i in range(1, 20))]}
    low, high = change_intervals(old, everywhere)["positions_recall"]
    assert low == high == pytest.approx(0.5)
    low, high = change_intervals(old, one)["positions_recall"]
    assert low == 0.0 < high  # drawn without article a0, nothing changed: within chance
    assert change_intervals(old, old)["positions_precision"] == (0.0, 0.0)
    assert change_intervals(old, one) == change_intervals(old, one)  # seeded
    assert change_intervals({"articles": old["articles"][:4]}, one) == {}  # too few articles in common


def test_compare_gives_each_change_its_interval_over_the_articles(tmp_path: Path) -> None:
    gold_dir, preds = tmp_path / "gold", tmp_path / "preds"
    gold_dir.mkdir()
    preds.mkdir()
    names = ("ceasefire_marenia", "hostage_kaldor", "labour_portside", "long_river_treaty", "multiparty_climate")
    for name in names:
        for suffix in (".txt", ".gold.json"):
            (gold_dir / f"{name}{suffix}").write_text((DEVSET / f"{name}{suffix}").read_text())
        (preds / f"{name}.json").write_text(json.dumps(perfect_brief(name)))
    old = tmp_path / "old.json"
    result = CliRunner().invoke(app, ["eval", str(gold_dir), "--predictions", str(preds), "--json", str(old)])
    assert result.exit_code == 0, result.output
    for name in names:  # every article loses its positions
        (preds / f"{name}.json").write_text(json.dumps({**perfect_brief(name), "positions": []}))
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["eval", str(gold_dir), "--predictions", str(preds), "--compare", str(old)]
    )
    assert result.exit_code == 0, result.output
    change = next(line for line in result.output.splitlines() if "positions_recall" in line and "-1.00" in line)
    assert "-1.00 to -1.00" in change and "95% interval" in result.output
