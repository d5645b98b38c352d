"""The review page: a brief beside its article, every cited span lit up.

:func:`render_html` writes one self-contained HTML file: inline CSS and JS, a
Content-Security-Policy that forbids every remote load (the one script is
allowed by its hash), so it reads offline and as an e-mail attachment. The
brief comes first in the fixed order of the Markdown; the article follows,
whole, and every cited sentence is a ``<mark>`` carrying ``data-start`` and
``data-end`` (its character offsets in the article text), coloured by section.
Every sentence of the article shows its number, with a dot for each section that
cites it, and a legend names the colours. Clicking an item (or ``j`` / ``k``, or the
bar's Prev and Next, which count "3 / 12") scrolls to its span and lights it in the
item's colour; clicking or pressing Enter on a span goes back to the item. Which items
cite a span is shown in the bar at the foot of the page, over no text. Items the
checks dropped are listed apart, not as fact. The page is Jinja2 templates
(``summariser/templates``) with autoescape: article and model text is data, never
markup, and control characters are stripped from every value.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from summariser.load import strip_controls
from summariser.schemas import ITEM_SECTIONS, ITEMS_NOT_ASKED, Brief, Evidence, items_not_asked
from summariser.segment import Segment, segment_text

__all__ = ["render_html", "render_digest_html", "render_index_html", "SECTIONS"]

SECTIONS = ("parties", "mediators", "positions", "proposals", "next_steps")
_TITLES = {
    "parties": "Parties",
    "mediators": "Mediators",
    "positions": "Positions",
    "proposals": "Proposals",
    "next_steps": "Next steps",
}


def _read(name: str) -> str:
    return resources.files("summariser").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def _clean(value: Any) -> Any:
    """Every value a template prints, without control, bidi or zero-width characters (markup kept)."""
    return strip_controls(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_read),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_clean,
        keep_trailing_newline=True,
    )


def template(name: str) -> jinja2.Template:
    """One of the package's HTML templates, autoescaped, control characters stripped from every value."""
    return _environment().get_template(name)


@cache
def _assets() -> tuple[str, str]:
    """The page's stylesheet and script, read once."""
    return _read("review.css"), _read("review.js")


@dataclass
class _Span:
    start: int
    end: int
    sentence: int
    sections: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"s{self.sentence}"


def _items(brief: Brief) -> Iterable[tuple[str, int, str, str, list[Evidence]]]:
    """(section, index, label, detail, evidence) for every item, in the Markdown's order."""
    for i, party in enumerate(brief.parties):
        reps = f" — {', '.join(party.representatives)}" if party.representatives else ""
        yield "parties", i, party.name, reps, party.evidence
    for i, mediator in enumerate(brief.mediators):
        role = f", {mediator.role}" if mediator.role else ""
        yield "mediators", i, mediator.name, role, mediator.evidence
    for i, position in enumerate(brief.positions):
        yield "positions", i, position.party, position.stance, position.evidence
    for i, proposal in enumerate(brief.proposals):
        yield "proposals", i, proposal.by, f"({proposal.status}) {proposal.proposal}", proposal.evidence
    for i, step in enumerate(brief.next_steps):
        who = ", ".join(step.who)
        when = f" — {step.when}" if step.when else ""
        yield "next_steps", i, who, f"{step.action}{when}", step.evidence


def _pieces(text: str, spans: dict[int, _Span], segments: Sequence[Segment]) -> list[list[dict[str, Any]]]:
    """The article as paragraphs of pieces: plain text or a cited span, each sentence's first
    piece carrying its number and the sections that cite it."""
    marks, position = [], 0
    for span in sorted(spans.values(), key=lambda s: s.start):
        if span.start < position or span.end > len(text) or span.start >= span.end:
            continue  # offsets that do not fit this text are not drawn
        marks.append(span)
        position = span.end
    numbers = {seg.start: seg.number for seg in segments}
    cited = {span.start: span for span in marks}
    cuts = sorted({0, len(text), *numbers, *(m.start for m in marks), *(m.end for m in marks)})
    paragraphs: list[list[dict[str, Any]]] = [[]]
    inside_until = -1
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start < inside_until:
            continue
        mark = cited.get(start)
        end = mark.end if mark else end
        inside_until = end
        number = numbers.get(start)
        sections = mark.sections if mark else []
        chunks = [text[start:end]] if mark else text[start:end].split("\n\n")
        for i, chunk in enumerate(chunks):
            if i:
                paragraphs.append([])
            first = i == 0
            paragraphs[-1].append(
                {"text": chunk, "span": mark, "number": number if first else None, "sections": sections}
            )
    return [p for p in paragraphs if any(piece["text"].strip() for piece in p)]


def _sections(brief: Brief) -> tuple[list[dict[str, Any]], dict[int, _Span]]:
    """The brief's sections with their items, and the article's cited sentences as spans (by
    number), each knowing the sections and items that cite it."""
    spans: dict[int, _Span] = {}
    sections: dict[str, dict[str, Any]] = {
        key: {
            "key": key,
            "title": _TITLES[key],
            "entries": [],
            "empty": f"{not_asked}." if (not_asked := items_not_asked(brief, key)) else "None found.",
        }
        for key in SECTIONS
    }
    confidences = {
        (key, i): getattr(item, "confidence", None)
        for key in ITEM_SECTIONS
        for i, item in enumerate(getattr(brief, key))
    }
    for section, index, who, detail, evidence in _items(brief):
        item_id = f"{section}-{index}"
        first = None
        for ev in evidence:
            span = spans.setdefault(ev.sentence, _Span(ev.start, ev.end, ev.sentence))
            if section not in span.sections:
                span.sections.append(section)
            span.items.append(item_id)
            first = first or span.anchor
        sections[section]["entries"].append(
            {
                "id": item_id,
                "target": first or "",
                "label": f"{_TITLES[section]}: {who or detail[:60]}",
                "who": who,
                "gap": "" if detail.startswith((",", " —")) else " ",
                "detail": detail,
                "cited": " ".join(f"[{ev.sentence}]" for ev in evidence),
                "confidence": confidences.get((section, index)),
            }
        )
    for span in spans.values():
        span.sections.sort(key=SECTIONS.index)
    return list(sections.values()), spans


def render_html(brief: Brief, article_text: str) -> str:
    """The review page of ``brief`` over ``article_text`` (the text the brief was made from)."""
    sections, spans = _sections(brief)
    css, js = _assets()
    source = brief.source or ""
    return (
        _environment()
        .get_template("review.html.j2")
        .render(
            csp=Markup(_csp(js)),  # ours, not data: quotes stay quotes
            css=Markup(css),
            js=Markup(js),
            title=brief.title or "Negotiation brief",
            source=source,
            source_url=source if source.startswith(("https://", "http://")) else None,
            published=brief.published or "",
            titles=list(_TITLES.items()),
            summary=brief.summary,
            is_negotiation=brief.is_negotiation,
            sections=sections,
            item_count=sum(len(s["entries"]) for s in sections),
            paragraphs=_pieces(article_text, spans, segment_text(article_text)),
            dropped=[
                {"section": d.section, "label": _dropped_label(d.item), "reason": d.reason}
                for d in brief.meta.dropped
                if d.section != ITEMS_NOT_ASKED  # printed in each empty section instead
            ],
            meta=brief.meta,
        )
    )


def _csp(js: str) -> str:
    """The page's content security policy: its own inline style and its one script, by hash."""
    script_hash = base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'; connect-src 'none'"
    )


def _dropped_label(item: dict[str, object]) -> str:
    for key in ("name", "stance", "proposal", "action", "summary", "when"):
        if item.get(key):
            return str(item[key])[:160]
    if "sentence" in item:
        return f"sentence {item['sentence']}"
    return ""


def render_digest_html(
    title: str,
    briefs: list[dict[str, Any]],
    root: Path,
    *,
    counts: str = "",
    failures: Sequence[tuple[str, str]] = (),
) -> str:
    """An HTML index linking every brief's review page, grouped by parties, with the run's
    counts and its failures."""
    groups: dict[str, list[dict[str, str]]] = {}
    for item in briefs:
        parties = [str(p) for p in item.get("parties") or []]
        page = Path(str(item["md"])).with_suffix(".html")
        href = page.relative_to(root) if page.is_relative_to(root) else page
        link = {
            "href": str(href),
            "title": str(item.get("title") or page.stem),
            "summary": str(item.get("summary") or ""),
        }
        groups.setdefault(" – ".join(parties) or "Unknown parties", []).append(link)
    return (
        _environment()
        .get_template("digest.html.j2")
        .render(title=title, groups=sorted(groups.items()), counts=counts, failures=list(failures))
    )


def render_index_html(entries: list[dict[str, Any]], root: Path, updated: str) -> str:
    """The running index of every article a night has judged, newest first, filterable by
    source, by negotiation or not, and by words (``entries``: title, origin, parties, summary,
    md path or None, status, when)."""
    js = _read("index.js")
    rows = []
    for e in entries:
        page = Path(str(e["md"])).with_suffix(".html") if e.get("md") else None
        href = (page.relative_to(root) if page.is_relative_to(root) else page) if page else None
        rows.append(
            {
                "title": e.get("title") or Path(str(e["origin"])).name,
                "href": str(href) if href else None,
                "kind": "negotiation" if e["status"] == "done" else "other",
                "source": e.get("source_name") or _source_of(str(e["origin"])),
                "parties": " – ".join(e.get("parties") or []),
                "summary": e.get("summary") or "",
                "when": e["when"],
                "note": e.get("note") or "not a negotiation",
            }
        )
    csp = _csp(js).replace("img-src data:; ", "")
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            csp=Markup(csp), js=Markup(js), entries=rows, sources=sorted({r["source"] for r in rows}), updated=updated
        )
    )


def _source_of(origin: str) -> str:
    """Where an article came from, as the index groups it: a site's host, or a file's folder."""
    if origin.startswith(("http://", "https://")):
        return urlsplit(origin).hostname or origin
    return str(Path(origin).parent)
