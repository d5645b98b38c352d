"""Render stage: ``Brief`` -> Markdown (or JSON).

Sections come in a fixed order: title and source, Summary, Parties, Mediators,
Positions, Proposals, Next steps; each item is followed by its supporting
sentences as numbered citations, and a footer reports model, prompt version,
attempts and tokens. Text that comes from the article or the model is escaped
so it cannot inject Markdown or HTML.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pydantic_core import to_json

from summariser.errors import RenderError
from summariser.load import strip_controls
from summariser.schemas import ITEMS_NOT_ASKED, Brief, Evidence, items_not_asked

__all__ = ["render_markdown", "render_json", "escape_markdown"]

# Characters that can start Markdown syntax anywhere in a line. Brackets are
# escaped, so parentheses can never form a link; block markers (#, -, +, >,
# "1.") only matter at the start of a line and are handled there.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(#|>|[-+](?=\s))")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s)")


def escape_markdown(text: str) -> str:
    """Escape text so Markdown renders it literally and HTML tags stay text."""
    flat = " ".join(strip_controls(text).split())
    escaped = _SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", escaped))


def _citations(evidence: list[Evidence]) -> list[str]:
    return [f"    - [{e.sentence}] “{escape_markdown(e.text)}”" for e in evidence]


def _quoted(text: str, evidence: list[Evidence]) -> bool:
    """Whether an item's text is its one sentence's own words (the questions step writes them so):
    then the sentence is shown once, as the item."""
    words = " ".join(text.split()).casefold().rstrip(" .")
    return len(evidence) == 1 and bool(words) and words in " ".join(evidence[0].text.split()).casefold()


def _item(label: str, text: str, evidence: list[Evidence], tail: str = "") -> tuple[str, list[Evidence]]:
    """A section line: the label, then the item's text and its citations, or, when the text is the
    cited sentence's own words, that sentence once."""
    if _quoted(text, evidence):
        cited = evidence[0]
        return f"{label}[{cited.sentence}] “{escape_markdown(cited.text)}”{tail}", []
    return f"{label}{escape_markdown(text)}{tail}", evidence


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown.

    >>> print(render_markdown(brief))
    # Unions and port operator agree to resume talks
    ...
    """
    lines = _heading(brief)
    for key, title, items in _sections(brief):
        not_asked = items_not_asked(brief, key)
        lines += _section(title, items, "_None found._" if not_asked is None else f"_{escape_markdown(not_asked)}._")
    return "\n".join(lines + _footer(brief))


def _heading(brief: Brief) -> list[str]:
    """The title, source and date, and the summary (or why there is no brief)."""
    e = escape_markdown
    lines: list[str] = [f"# {e(brief.title or 'Negotiation brief')}", ""]
    facts = []
    if brief.source:
        facts.append(f"Source: {e(brief.source)}")
    if brief.published:
        facts.append(f"Published: {e(brief.published)}")
    if facts:
        lines += [" · ".join(facts), ""]
    lines += ["## Summary", "", e(brief.summary) if brief.summary else "_No summary._", ""]
    if not brief.is_negotiation:
        lines += ["_This article is not about a negotiation; no brief was extracted._", ""]
    return lines


def _section(title: str, items: list[tuple[str, list[Evidence]]], empty: str) -> list[str]:
    lines = [f"## {title}", ""]
    if not items:
        return [*lines, empty, ""]
    for head, evidence in items:
        lines.append(f"- {head}")
        lines.extend(_citations(evidence))
    return [*lines, ""]


def _people(names: list[str]) -> str:
    return f" — {', '.join(escape_markdown(n) for n in names)}" if names else ""


def _sections(brief: Brief) -> list[tuple[str, str, list[tuple[str, list[Evidence]]]]]:
    """Each section's key, its title and its items' lines, with the evidence each cites."""
    e = escape_markdown
    parties = [
        (
            f"**{e(p.name)}**"
            + (f" (also: {', '.join(e(a) for a in p.aliases)})" if p.aliases else "")
            + _people(p.representatives),
            p.evidence,
        )
        for p in brief.parties
    ]
    mediators = [
        (f"**{e(m.name)}**" + (f", {e(m.role)}" if m.role else "") + _people(m.representatives), m.evidence)
        for m in brief.mediators
    ]
    steps = [
        _item("", s.action, s.evidence, _people(s.who) + (f" (when: {e(s.when)})" if s.when else ""))
        for s in brief.next_steps
    ]
    return [
        ("parties", "Parties", parties),
        ("mediators", "Mediators", mediators),
        ("positions", "Positions", [_item(f"**{e(p.party)}**: ", p.stance, p.evidence) for p in brief.positions]),
        (
            "proposals",
            "Proposals",
            [_item(f"**{e(p.by)}** ({p.status}): ", p.proposal, p.evidence) for p in brief.proposals],
        ),
        ("next_steps", "Next steps", steps),
    ]


def _footer(brief: Brief) -> list[str]:
    """The model, prompt, attempts, tokens and time, and how many items validation dropped."""
    e, meta = escape_markdown, brief.meta
    usage, dropped = meta.usage, sum(d.section != ITEMS_NOT_ASKED for d in meta.dropped)
    line = (
        f"_Model {e(meta.model)} ({e(meta.provider)}) · prompt {meta.prompt_version} · "
        f"{meta.attempts} attempt{'s' if meta.attempts != 1 else ''} · "
        f"{usage.prompt_tokens} prompt + {usage.completion_tokens} output tokens · {meta.seconds:.1f} s"
    )
    if dropped:
        line += f" · {dropped} item{'s' if dropped != 1 else ''} dropped by validation"
    return ["---", "", line + "_", ""]


def _clean_strings(value: Any) -> Any:
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_clean_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_strings(v) for k, v in value.items()}
    return value


def render_json(brief: Brief) -> str:
    """The brief as indented JSON (the public contract); no string carries a control, bidi or
    zero-width character (the article's were removed when it was read, so evidence still matches)."""
    try:
        # pydantic-core's encoder: the same text as json.dumps(indent=2, ensure_ascii=False) for every
        # brief tried (147), ~5x faster (json's indented encoding is pure Python).
        return to_json(_clean_strings(brief.model_dump(mode="json")), indent=2).decode("utf-8")
    except ValueError as exc:  # pragma: no cover - serialisation failure
        raise RenderError(f"cannot serialise brief: {exc}") from exc
