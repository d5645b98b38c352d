"""The training harness: labels from gold quotes, grouped folds, and weights the runtime reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("sklearn")

from summariser.kinds import decide_kinds, load_weights  # noqa: E402
from summariser.segment import segment_text  # noqa: E402
from training.data import folds, label_sentences, load_folder  # noqa: E402
from training.kinds import fit, score, to_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def test_a_quote_labels_the_sentences_it_lies_in_or_runs_over() -> None:
    segments = segment_text(
        "The guild wants a shorter week. The studios offered a bonus. "
        "Both sides agreed to extend the contract. They will meet again on Friday."
    )
    gold = {
        "positions": [{"party": "Guild", "quote": "wants a shorter week"}],
        "proposals": [
            {"by": "Studios", "status": "proposed", "quote": "The studios offered a bonus."},
            {"by": "Guild and Studios", "status": "agreed", "quote": "Both sides agreed to extend the contract"},
        ],
        "next_steps": [{"quote": "They will meet again on Friday."}],
    }
    assert label_sentences(gold, segments) == [{"demand"}, {"offer"}, {"agreement"}, {"future"}]


def test_folds_are_grouped_by_article_and_fixed() -> None:
    names = [f"a{i}" for i in range(11)]
    assignment = folds(list(reversed(names)), 5)
    assert assignment == folds(names, 5)
    assert sorted({f for f in assignment.values()}) == [0, 1, 2, 3, 4]


def test_fitted_weights_round_trip_and_decide(tmp_path: Path) -> None:
    articles = load_folder(ROOT / "devset", "devset")[:12]
    weights = fit(articles)
    assert all(0.0 < t < 1.0 for t in weights.thresholds.values())
    path = tmp_path / "kinds.json"
    path.write_text(json.dumps(to_json(weights)), encoding="utf-8")
    again = load_weights(path)
    assert again is not None and again.features == weights.features
    from summariser.kinds import _cue_patterns

    cues = {f"cue:{name}" for name, _ in _cue_patterns()}
    assert all(not name.startswith("cue:") or name in cues for name in weights.features)
    decisions = decide_kinds(articles[0].segments, again)
    assert len(decisions) == len(articles[0].segments)
    assert {d.source for d in decisions} <= {"fitted", "fitted+rule"}
    # On the articles it was fitted to, the fit finds most gold sentences of some kind.
    figures = score(articles, again)
    assert max(f["recall"] for f in figures.values()) > 0.5


def test_the_embedding_probe_learns_what_its_vectors_carry() -> None:
    """training.embeddings on the dev set with stand-in vectors: ones that carry each sentence's
    label are learnt from on held-out articles, noise is not (the real vectors need the model)."""
    import numpy as np

    from summariser.kinds import KINDS
    from training.embeddings import _key, cross_validate

    articles = load_folder(ROOT / "devset", "devset")[:40]
    rng = np.random.default_rng(0)
    telling, noise = {}, {}
    for article in articles:
        for segment, label in zip(article.segments, article.labels, strict=True):
            signal = np.array([2.0 * (kind in label) for kind in KINDS])
            telling[_key(segment.text)] = np.concatenate([signal, rng.normal(size=4)]) + rng.normal(0, 0.3, 8)
            noise[_key(segment.text)] = rng.normal(size=8)
    learnt = cross_validate(articles, [], telling, "embedding", 1.0)["cv"]
    blind = cross_validate(articles, [], noise, "embedding", 1.0)["cv"]
    assert all(learnt[kind]["f1"] > 0.8 for kind in KINDS), learnt
    assert all(blind[kind]["f1"] < 0.6 for kind in KINDS), blind


def test_the_role_harness_labels_candidates_from_gold_and_reads_what_their_sentences_say() -> None:
    from training.roles import candidates

    text = (
        "Talks between the Harbour Union and Portline resumed in Velm on Monday. "
        "The talks were mediated by the Velm Conciliation Board, which helped to secure a truce. "
        "The union is demanding a 6 percent raise."
    )
    brief = {
        "parties": [{"name": "Harbour Union", "aliases": ["the union"]}, {"name": "Portline"}],
        "mediators": [{"name": "Velm Conciliation Board"}],
    }
    gold = {
        "parties": [{"name": "Harbour Union"}, {"name": "Portline"}],
        "mediators": [{"name": "Conciliation Board", "aliases": ["Velm Conciliation Board"]}],
    }
    rows = {r["name"]: r for r in candidates(brief, gold, text)}
    assert [rows[n]["label"] for n in ("Harbour Union", "Portline", "Velm Conciliation Board")] == [
        "party",
        "party",
        "mediator",
    ]
    board, union = rows["Velm Conciliation Board"]["features"], rows["Harbour Union"]["features"]
    assert board["mediate"] == 1.0 and board["helped"] == 1.0 and board["brief_mediator"] == 1.0
    assert union["mediate"] == 0.0 and union["between"] > 0 and union["demands"] > 0


def test_the_misses_harness_says_where_each_gold_item_went(tmp_path: Path) -> None:
    """A brief citing one gold position for its side, and another for the wrong side, counts one
    matched and one wrong actor; every other gold item is absent or elsewhere."""
    import shutil

    from summariser.eval import load_gold
    from training.misses import tally

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for suffix in (".txt", ".gold.json"):
        shutil.copy(Path("devset") / f"ceasefire_marenia{suffix}", gold_dir)
    gold = load_gold(gold_dir / "ceasefire_marenia.gold.json")
    first, second = gold.positions[0], gold.positions[1]
    other_side = next(p.name for p in gold.parties if p.name != second.party)
    brief = {
        "positions": [
            {"party": first.party, "stance": "", "evidence": [{"text": first.quote}]},
            {"party": other_side, "stance": "", "evidence": [{"text": second.quote}]},
        ],
        "proposals": [],
        "next_steps": [],
    }
    (tmp_path / "briefs").mkdir()
    (tmp_path / "briefs" / "ceasefire_marenia.json").write_text(json.dumps(brief))
    counts = tally(tmp_path / "briefs", gold_dir)
    assert counts["positions"]["matched"] == 1 and counts["positions"]["wrong actor"] == 1
    assert sum(counts["positions"].values()) == len(gold.positions)
    assert sum(counts["proposals"].values()) == len(gold.proposals)
    assert not any(k == "matched" for k in counts["proposals"])


def test_the_misses_harness_tallies_what_each_check_set_aside_against_gold(tmp_path: Path) -> None:
    """Two sentences set aside for one reason (names and numbers in it do not split it), one holding
    a gold position: 2 set aside, 1 of them gold's; a reason with no gold sentence says so."""
    import shutil

    from summariser.eval import load_gold, quote_supported
    from summariser.load import load_article
    from summariser.segment import segment_text
    from training.misses import tally_dropped

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for suffix in (".txt", ".gold.json"):
        shutil.copy(Path("devset") / f"ceasefire_marenia{suffix}", gold_dir)
    gold = load_gold(gold_dir / "ceasefire_marenia.gold.json")
    sentences = segment_text(load_article(str(gold_dir / "ceasefire_marenia.txt")).text)
    cited = {
        s.number
        for s in sentences
        for i in [*gold.positions, *gold.proposals, *gold.next_steps]
        if quote_supported(i.quote, [s.text])
    }
    held = next(s.number for s in sentences if quote_supported(gold.positions[0].quote, [s.text]))
    free = next(s.number for s in sentences if s.number not in cited)
    dropped = [
        {"section": "positions", "item": {"sentence": held}, "reason": "'Marenia' is not named in sentence 4"},
        {"section": "positions", "item": {"sentence": free}, "reason": "'Osrin' is not named in sentence 9"},
        {"section": "next_steps", "item": {"sentence": free}, "reason": "a future event outside the talks"},
    ]
    brief = {"positions": [], "proposals": [], "next_steps": [], "meta": {"dropped": dropped}}
    (tmp_path / "briefs").mkdir()
    (tmp_path / "briefs" / "ceasefire_marenia.json").write_text(json.dumps(brief))
    counts = tally_dropped(tmp_path / "briefs", gold_dir)
    named = counts[("positions", "'X' is not named in sentence N")]
    assert named["set aside"] == 2 and named["gold positions"] == 1
    assert counts[("next_steps", "a future event outside the talks")] == {"set aside": 1}


def test_the_party_harness_offers_every_name_the_article_uses_once() -> None:
    """Step 1's sides come first with their aliases; a capitalised name matching one of them is not a
    second candidate, a name step 1 left out is, and sentence-initial function words are no name."""
    from training.parties import _article_names, _merge

    texts = [
        "The Dock Workers Union rejected the offer from Harbourline on Monday.",
        "Harbourline said the union's demands were too high.",
        "But the City of Portside offered to host talks.",
    ]
    names = _article_names(texts)
    assert "Dock Workers Union" in names and "City of Portside" in names
    assert not {"The", "But", "Monday"} & set(names)
    brief = {"parties": [{"name": "Harbourline", "aliases": []}, {"name": "Dock Workers Union", "aliases": []}]}
    merged = _merge(brief, names)
    assert [c["names"][0] for c in merged if c["step1"]] == ["Harbourline", "Dock Workers Union"]
    assert [c["names"][0] for c in merged if not c["step1"]] == ["City of Portside"]


def test_a_harness_prints_one_line_a_result_and_writes_them_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from training.harness import emit

    results = [{"C": 0.1, "f1": 0.5}, {"C": 1.0, "f1": 0.6}]
    emit(results, tmp_path / "report.json")
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == results
    assert json.loads((tmp_path / "report.json").read_text()) == results
    emit(results, None)  # printed only
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_the_misses_harness_groups_the_sentences_of_no_kind_by_who_speaks(tmp_path: Path) -> None:
    """Sentences the rules give no kind and no item cites, grouped by speaker: a listed party by
    name (one of them gold's position), a pronoun, and none found; a cited sentence is left out."""
    from summariser import cues
    from training.misses import tally_unkinded

    sentences = [
        "Velland said the quota question was the heart of the matter.",
        "She said the talks had been long.",
        "The harbour was quiet on Sunday.",
        "Ostrava said the river was high.",
    ]
    assert all(cues.kind_by_rule(s)[0] == "none" for s in sentences)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "quota.txt").write_text(" ".join(sentences) + "\n")
    gold = {
        "is_negotiation": True,
        "parties": [{"name": "Velland", "aliases": [], "representatives": []}],
        "mediators": [],
        "positions": [{"party": "Velland", "summary": "Quotas first.", "quote": "the quota question was the heart"}],
        "proposals": [],
        "next_steps": [],
    }
    (gold_dir / "quota.gold.json").write_text(json.dumps(gold))
    brief = {
        "parties": [{"name": "Velland", "aliases": [], "representatives": []}, {"name": "Ostrava"}],
        "positions": [{"party": "Ostrava", "stance": "", "evidence": [{"text": sentences[3]}]}],
        "proposals": [],
        "next_steps": [],
    }
    (tmp_path / "briefs").mkdir()
    (tmp_path / "briefs" / "quota.json").write_text(json.dumps(brief))
    counts = tally_unkinded(tmp_path / "briefs", gold_dir)
    assert counts["a listed party, by name"] == {"sentences": 1, "gold position": 1, "any gold item": 1}
    assert counts["a pronoun"]["sentences"] == 1 and counts["no speaker found"]["sentences"] == 1
    assert sum(c["sentences"] for c in counts.values()) == 3
