"""Rules as data: one small engine over the rows in ``summariser/rules/<language>/*.toml``.

A row is a pattern with what a hit signals, an example it must match and a counter-example
it must not (``tests/test_rules.py`` checks every row). Word classes used by several rows
are written once, in the file's ``[lexicon]``, and named in a pattern as ``{name}``. Code
asks for a row's compiled pattern by id (``rulebook("en")["offer"]``), or for every hit in
a text (:meth:`Rulebook.hits`); the deciders weigh those hits. A new cue is a new row.

    python docs/rules.py > docs/rules.md     # the rules, listed from the rows
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Rule", "Hit", "Rulebook", "rulebook", "markdown", "RuleError", "LANGUAGES"]

LANGUAGES = ("en",)
# "{offer_noun}", not a quantifier such as "{0,3}".
_MACRO = re.compile(r"\{([a-z_]+)\}")
_USES = ("search", "match", "fullmatch")


class RuleError(ValueError):
    """A rules file that cannot be read: a bad row, an unknown word class, a pattern that does not compile."""


@dataclass(frozen=True)
class Rule:
    id: str
    signals: str
    pattern: re.Pattern[str]
    source: str  # the pattern as the row writes it, with its {word classes}
    use: Literal["search", "match", "fullmatch"]
    example: str
    counter: str
    doc: str = ""

    def hit(self, text: str) -> re.Match[str] | None:
        """The pattern applied the way the code applies it (``use``)."""
        method = getattr(self.pattern, self.use)
        found: re.Match[str] | None = method(text)
        return found


@dataclass(frozen=True)
class Hit:
    rule: str
    signals: str
    start: int
    end: int


class Rulebook:
    """The rows of one language, by id, in file order."""

    def __init__(self, language: str, rules: dict[str, Rule], lexicon: dict[str, str]) -> None:
        self.language = language
        self.rules = rules
        self.lexicon = lexicon

    def __getitem__(self, rule_id: str) -> re.Pattern[str]:
        return self.rules[rule_id].pattern

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def word_class(self, name: str) -> str:
        """A ``[lexicon]`` entry as regular-expression source, its own {word classes} expanded,
        for code that builds a pattern around a side's name."""
        return _expand(self.lexicon[name], self.lexicon, f"word class {name}")

    def patterns(self, signals: str) -> list[re.Pattern[str]]:
        """The compiled patterns of every row that signals exactly ``signals``, in file order."""
        return [rule.pattern for rule in self.rules.values() if rule.signals == signals]

    def hits(self, text: str, signals: str | None = None) -> list[Hit]:
        """Every row's hit in ``text`` (those whose signals start with ``signals``, if given)."""
        found = []
        for rule in self.rules.values():
            if signals is None or rule.signals.startswith(signals):
                match = rule.hit(text)
                if match is not None:
                    found.append(Hit(rule.id, rule.signals, match.start(), match.end()))
        return found


def _expand(source: str, lexicon: dict[str, str], where: str, seen: tuple[str, ...] = ()) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in lexicon:
            raise RuleError(f"{where}: unknown word class {{{name}}}")
        if name in seen:
            raise RuleError(f"{where}: word class {{{name}}} names itself")
        return "(?:" + _expand(lexicon[name], lexicon, where, (*seen, name)) + ")"

    return _MACRO.sub(one, source)


def _rule(row: dict[str, object], lexicon: dict[str, str], where: str) -> Rule:
    try:
        rule_id, source = str(row["id"]), str(row["pattern"])
    except KeyError as exc:
        raise RuleError(f"{where}: a row without {exc.args[0]}") from None
    use = str(row.get("use", "search"))
    if use not in _USES:
        raise RuleError(f"{where} {rule_id}: use must be one of {', '.join(_USES)}")
    flags = re.IGNORECASE if "i" in str(row.get("flags", "")) else 0
    try:
        pattern = re.compile(_expand(source, lexicon, f"{where} {rule_id}"), flags)
    except re.error as exc:
        raise RuleError(f"{where} {rule_id}: {exc}") from None
    return Rule(
        id=rule_id,
        signals=str(row.get("signals", "")),
        pattern=pattern,
        source=source,
        use=use,  # type: ignore[arg-type]
        example=str(row.get("example", "")),
        counter=str(row.get("counter", "")),
        doc=str(row.get("doc", "")),
    )


@cache
def rulebook(language: str = "en") -> Rulebook:
    """The rows of ``language`` (every ``*.toml`` in its folder), compiled once."""
    folder = resources.files("summariser").joinpath("rules", language)
    if not folder.is_dir():
        raise RuleError(f"no rules for language {language!r}")
    rules: dict[str, Rule] = {}
    lexicon: dict[str, str] = {}
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    tables = [(f.name, tomllib.loads(f.read_text(encoding="utf-8"))) for f in files]
    for name, table in tables:
        for key, value in table.get("lexicon", {}).items():
            if key in lexicon:
                raise RuleError(f"rules/{language}/{name}: word class {key!r} is defined twice")
            lexicon[str(key)] = str(value)
    for name, table in tables:
        for row in table.get("rule", []):
            rule = _rule(row, lexicon, f"rules/{language}/{name}")
            if rule.id in rules:
                raise RuleError(f"rules/{language}/{name}: two rows are {rule.id!r}")
            rules[rule.id] = rule
    return Rulebook(language, rules, lexicon)


def markdown(language: str = "en") -> str:
    """The rules of ``language`` as a Markdown list, grouped by what they signal."""
    book = rulebook(language)
    lines = [
        f"# Rules ({language})",
        "",
        f"Generated from `summariser/rules/{language}/` by `python docs/rules.py`; do not edit.",
        "Each row's pattern, with its example (must match) and counter-example (must not).",
        "",
    ]
    groups: dict[str, list[Rule]] = {}
    for rule in book:
        groups.setdefault(rule.signals.split(":")[0], []).append(rule)
    for group, rules in groups.items():
        lines += [f"## {group}", ""]
        for rule in rules:
            lines.append(f"- **{rule.id}** ({rule.signals}, {rule.use}){': ' + rule.doc if rule.doc else ''}")
            lines.append(f"  - matches: {rule.example!r}")
            lines.append(f"  - not: {rule.counter!r}")
        lines.append("")
    lines += ["## Word classes", ""]
    lines += [
        f"- `{{{name}}}`: `{value[:120]}{'…' if len(value) > 120 else ''}`" for name, value in book.lexicon.items()
    ]
    return "\n".join(lines) + "\n"
