"""Every rule row matches its example and not its counter-example; the engine refuses bad rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summariser import rulebook as engine
from summariser.rulebook import RuleError, markdown, rulebook

RULES = list(rulebook("en"))
DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
PACKAGE = Path(engine.__file__).parent


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_a_row_matches_its_example(rule: engine.Rule) -> None:
    assert rule.example and rule.hit(rule.example), f"{rule.id} does not match {rule.example!r}"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_a_row_does_not_match_its_counter_example(rule: engine.Rule) -> None:
    assert rule.counter and not rule.hit(rule.counter), f"{rule.id} matches {rule.counter!r}"


def test_every_word_class_is_used() -> None:
    book = rulebook("en")
    sources = " ".join([r.source for r in book] + list(book.lexicon.values()))
    code = " ".join(path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py"))
    read = set(re.findall(r"""(?:word_class\(|lexicon\[)"(\w+)"\]?""", code))
    unused = [name for name in book.lexicon if f"{{{name}}}" not in sources and name not in read]
    assert unused == []


def test_hits_name_the_rows_and_their_signals() -> None:
    hits = rulebook("en").hits("The union turned the offer down on Monday.", signals="status")
    assert {(h.rule, h.signals) for h in hits} == {("rejected", "status:rejected"), ("answer", "status:answer")}


def test_docs_rules_is_generated_from_the_rows() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown("en"), "run: python docs/rules.py > docs/rules.md"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"id": "x", "pattern": r"\b{no_such_class}\b"}, "unknown word class {no_such_class}"),
        ({"id": "x", "pattern": r"(unclosed"}, "rules/en/bad.toml x:"),
        ({"id": "x", "pattern": "a", "use": "findall"}, "use must be one of"),
        ({"pattern": "a"}, "a row without id"),
    ],
    ids=["unknown-class", "bad-regex", "bad-use", "no-id"],
)
def test_a_bad_row_is_a_rule_error(row: dict[str, str], message: str) -> None:
    with pytest.raises(RuleError, match=message.replace("{", r"\{").replace("}", r"\}")):
        engine._rule(row, {"known": "a|b"}, "rules/en/bad.toml")


def test_a_word_class_expands_as_one_group_and_quantifiers_stay() -> None:
    rule = engine._rule({"id": "x", "pattern": r"\b{known}s?\b\w{0,3}"}, {"known": "a|b"}, "f")
    assert rule.pattern.pattern == r"\b(?:a|b)s?\b\w{0,3}"
