"""The review page: a brief beside its article, every cited span lit up.

:func:`render_html` writes one self-contained HTML file: inline CSS and JS, a
Content-Security-Policy that forbids every remote load (the one script is
allowed by its hash), so it reads offline and as an e-mail attachment. The
brief comes first in the fixed order of the Markdown; the article follows,
whole, and every cited sentence is a ``<mark>`` carrying ``data-start`` and
``data-end`` (its character offsets in the article text), coloured by section.
Clicking an item scrolls to its span and marks it; hovering or focusing a span
shows which items cite it. Items the checks dropped are listed apart, not as
fact. All article and model text is escaped: it is data, never markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summariser.load import strip_controls
from summariser.schemas import Brief, Evidence

__all__ = ["render_html", "render_digest_html", "SECTIONS"]

SECTIONS = ("parties", "mediators", "positions", "proposals", "next_steps")
_TITLES = {
    "parties": "Parties",
    "mediators": "Mediators",
    "positions": "Positions",
    "proposals": "Proposals",
    "next_steps": "Next steps",
}

_CSS = """
:root { --ink:#1d1d1f; --muted:#5c5c66; --line:#d8d8de; --bg:#fff;
  --parties:#dbeafe; --mediators:#ede9fe; --positions:#fef3c7; --proposals:#dcfce7; --next_steps:#fce7f3;
  --parties-b:#1d4ed8; --mediators-b:#6d28d9; --positions-b:#b45309; --proposals-b:#15803d; --next_steps-b:#be185d; }
* { box-sizing: border-box; }
body { margin:0; font:1rem/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header, footer, .dropped { padding: 1rem 1.5rem; }
header h1 { margin:0 0 .25rem; font-size:1.5rem; line-height:1.25; }
.facts, footer { color:var(--muted); font-size:.9rem; }
main { display:grid; grid-template-columns:minmax(18rem, 1fr) minmax(18rem, 1.2fr); gap:1.5rem; padding:0 1.5rem; }
.brief, .article { min-width:0; }
.article { border-left:1px solid var(--line); padding-left:1.5rem; }
.article .text { max-width:42rem; }
h2 { font-size:1.15rem; margin:1.25rem 0 .5rem; }
ul { padding-left:1.1rem; margin:.25rem 0; }
li { margin:.35rem 0; }
button.cite { font:inherit; text-align:left; background:none; border:0; border-left:4px solid var(--b); padding:.15rem .5rem;
  color:inherit; cursor:pointer; width:100%; border-radius:2px; }
button.cite:hover, button.cite:focus-visible, button.cite.citing { background:var(--c); outline:2px solid var(--b); }
.who { font-weight:600; }
.status { font-size:.85em; color:var(--muted); }
mark { background:var(--c); border-bottom:2px solid var(--b); color:inherit; padding:0 .1em; scroll-margin:30vh; }
mark:focus-visible, mark.active { outline:3px solid var(--b); outline-offset:1px; }
.s-parties { --c:var(--parties); --b:var(--parties-b); } .s-mediators { --c:var(--mediators); --b:var(--mediators-b); }
.s-positions { --c:var(--positions); --b:var(--positions-b); } .s-proposals { --c:var(--proposals); --b:var(--proposals-b); }
.s-next_steps { --c:var(--next_steps); --b:var(--next_steps-b); }
.dropped { border-top:1px solid var(--line); }
.dropped li { color:var(--muted); }
.tip { position:absolute; background:#111; color:#fff; font-size:.85rem; padding:.3rem .5rem; border-radius:4px;
  max-width:22rem; pointer-events:none; z-index:2; }
@media (max-width: 760px) { main { grid-template-columns:1fr; } .article { border-left:0; padding-left:0; } }
@media print { main { display:block; } .article { border:0; padding:0; } button.cite { border-left-width:2px; }
  .tip { display:none; } mark { background:none; text-decoration:underline; } }
"""

_JS = """
(function () {
  var tip = null;
  function clear() { document.querySelectorAll('.citing').forEach(function (b) { b.classList.remove('citing'); });
    if (tip) { tip.remove(); tip = null; } }
  document.querySelectorAll('button.cite').forEach(function (button) {
    button.addEventListener('click', function () {
      var mark = document.getElementById(button.dataset.target);
      if (!mark) { return; }
      document.querySelectorAll('mark.active').forEach(function (m) { m.classList.remove('active'); });
      mark.classList.add('active');
      mark.scrollIntoView({ block: 'center' });
      mark.focus({ preventScroll: true });
    });
  });
  function show(mark) {
    clear();
    var ids = (mark.dataset.items || '').split(' ').filter(Boolean);
    var names = [];
    ids.forEach(function (id) { var b = document.getElementById(id); if (b) { b.classList.add('citing'); names.push(b.dataset.label); } });
    tip = document.createElement('div');
    tip.className = 'tip';
    tip.setAttribute('role', 'status');
    tip.textContent = 'Cited by: ' + names.join('; ');
    document.body.appendChild(tip);
    var r = mark.getBoundingClientRect();
    tip.style.left = (window.scrollX + r.left) + 'px';
    tip.style.top = (window.scrollY + r.bottom + 4) + 'px';
  }
  document.querySelectorAll('mark').forEach(function (mark) {
    mark.addEventListener('mouseenter', function () { show(mark); });
    mark.addEventListener('focus', function () { show(mark); });
    mark.addEventListener('mouseleave', clear);
    mark.addEventListener('blur', clear);
  });
})();
"""


def _e(text: str | None) -> str:
    return html.escape(strip_controls(text or ""), quote=True)


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


def _article_html(text: str, spans: dict[int, _Span]) -> str:
    ordered = sorted(spans.values(), key=lambda s: s.start)
    parts: list[str] = []
    position = 0
    for span in ordered:
        if span.start < position or span.end > len(text) or span.start >= span.end:
            continue  # offsets that do not fit this text are not drawn
        parts.append(_e(text[position : span.start]))
        label = "; ".join(span.items)
        parts.append(
            f'<mark id="{span.anchor}" class="s-{span.sections[0]}" data-start="{span.start}" '
            f'data-end="{span.end}" data-sentence="{span.sentence}" data-sections="{" ".join(span.sections)}" '
            f'data-items="{_e(" ".join(span.items))}" tabindex="0" aria-label="{_e(label)}">'
            f"{_e(text[span.start : span.end])}</mark>"
        )
        position = span.end
    parts.append(_e(text[position:]))
    body = "".join(parts)
    return "".join(f"<p>{p}</p>\n" for p in body.split("\n\n") if p.strip())


def render_html(brief: Brief, article_text: str) -> str:
    """The review page of ``brief`` over ``article_text`` (the text the brief was made from)."""
    brief_html, spans = _brief_html(brief)
    dropped = "".join(
        f"<li><strong>{_e(d.section)}</strong>: {_e(_dropped_label(d.item))} — {_e(d.reason)}</li>"
        for d in brief.meta.dropped
    )
    meta = brief.meta
    usage = meta.usage
    facts = " · ".join(_e(f) for f in (f"Source: {brief.source}" if brief.source else "", brief.published or "") if f)
    summary = _e(brief.summary) if brief.summary else "<em>No summary.</em>"
    not_negotiation = (
        "<p><em>This article is not about a negotiation; no brief was extracted.</em></p>"
        if not brief.is_negotiation
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_csp()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{_e(brief.title or "Negotiation brief")}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(brief.title or "Negotiation brief")}</h1>
<p class="facts">{facts}</p>
</header>
<main>
<section class="brief" aria-labelledby="h-brief">
<h2 id="h-brief">Summary</h2>
<p>{summary}</p>
{not_negotiation}
{brief_html}
</section>
<section class="article" aria-labelledby="h-article">
<h2 id="h-article">Article</h2>
<div class="text">
{_article_html(article_text, spans)}</div>
</section>
</main>
<section class="dropped" aria-labelledby="h-dropped">
<h2 id="h-dropped">Not shown as fact: dropped by the checks</h2>
{f"<ul>{dropped}</ul>" if dropped else "<p><em>Nothing was dropped.</em></p>"}
</section>
<footer>
Model {_e(meta.model)} ({_e(meta.provider)}) · prompt {_e(meta.prompt_version)} · {meta.attempts} attempts ·
{meta.questions} questions · {usage.prompt_tokens} prompt + {usage.completion_tokens} output tokens · {meta.seconds:.1f} s
</footer>
<script>{_JS}</script>
</body>
</html>
"""


def _brief_html(brief: Brief) -> tuple[str, dict[int, _Span]]:
    """The brief's sections as HTML, and the article's cited sentences as spans (by number),
    each knowing the sections and items that cite it."""
    spans: dict[int, _Span] = {}
    sections: dict[str, list[str]] = {s: [] for s in SECTIONS}
    for section, index, who, detail, evidence in _items(brief):
        item_id = f"{section}-{index}"
        label = f"{_TITLES[section]}: {who or detail[:60]}"
        first = None
        for ev in evidence:
            span = spans.setdefault(ev.sentence, _Span(ev.start, ev.end, ev.sentence))
            if section not in span.sections:
                span.sections.append(section)
            span.items.append(item_id)
            first = first or span.anchor
        cited = " ".join(f"[{ev.sentence}]" for ev in evidence)
        sections[section].append(
            f'<li><button type="button" class="cite s-{section}" id="{item_id}" data-target="{first or ""}" '
            f'data-label="{_e(label)}"><span class="who">{_e(who)}</span>{"" if detail.startswith((",", " —")) else " "}{_e(detail)} '
            f'<span class="status">{_e(cited)}</span></button></li>'
        )
    for span in spans.values():
        span.sections.sort(key=SECTIONS.index)
    parts = []
    for section in SECTIONS:
        items = sections[section]
        body = f"<ul>{''.join(items)}</ul>" if items else "<p><em>None found.</em></p>"
        parts.append(f'<h2 id="h-{section}">{_TITLES[section]}</h2>{body}')
    return "".join(parts), spans


def _csp() -> str:
    """The page's content security policy: its own inline style and its one script, by hash."""
    script_hash = base64.b64encode(hashlib.sha256(_JS.encode()).digest()).decode()
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


def render_digest_html(title: str, briefs: list[dict[str, Any]], root: Path) -> str:
    """An HTML index linking every brief's review page, grouped by parties."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in briefs:
        parties = [str(p) for p in item.get("parties") or []]
        groups.setdefault(" – ".join(parties) or "Unknown parties", []).append(item)
    sections = []
    for heading, items in sorted(groups.items()):
        links = []
        for item in items:
            page = Path(str(item["md"])).with_suffix(".html")
            href = page.relative_to(root) if page.is_relative_to(root) else page
            links.append(
                f'<li><a href="{_e(str(href))}">{_e(str(item.get("title") or page.stem))}</a>'
                f" — {_e(str(item.get('summary') or ''))}</li>"
            )
        sections.append(f"<h2>{_e(heading)}</h2><ul>{''.join(links)}</ul>")
    csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    body = "".join(sections) or "<p><em>No briefs in this run.</em></p>"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
        f"<style>body{{font:1rem/1.5 system-ui,sans-serif;margin:1.5rem;max-width:50rem}}</style></head>"
        f"<body><h1>{_e(title)}</h1>{body}</body></html>\n"
    )
