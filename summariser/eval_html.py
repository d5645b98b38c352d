"""The eval report as one HTML page: overall figures, a plot of them across earlier reports,
a row per article, and per article what was missed and what matched nothing, beside its
text with the missed gold quotes and the unmatched items' sentences marked.

Self-contained (inline CSS, an inline SVG, no script, nothing fetched); every value escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from summariser.eval import QUALITY_METRICS
from summariser.html import template
from summariser.segment import segment_text

__all__ = ["render_eval_html", "history"]

# The per-article columns: the quality metrics but the two that are 1.0 by construction.
COLUMNS = tuple(m for m in QUALITY_METRICS if m not in ("summary_ok", "grounding_verbatim"))
PLOTTED = tuple(m for m in COLUMNS if m not in ("actor_accuracy", "status_accuracy"))
_COLOURS = ("#b45309", "#f59e0b", "#15803d", "#4ade80", "#be185d", "#f472b6", "#1d4ed8", "#6d28d9")


def history(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    """(name, overall) of every ``summarise eval`` JSON report in ``folder``, by name."""
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("overall"), dict):
            out.append((path.stem, data["overall"]))
    return out


def _fmt(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) and not isinstance(value, bool) else "–"


def _plot(reports: Sequence[tuple[str, dict[str, Any]]]) -> str:
    """An inline SVG line chart of the main metrics, one point per report."""
    if len(reports) < 2:
        return ""
    width, height, left, top, bottom = 720, 260, 40, 10, 60
    step = (width - left - 150) / (len(reports) - 1)

    def y(value: float) -> float:
        return top + (1 - value) * (height - top - bottom)

    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" role="img" aria-label="metrics across reports">']
    for tick in (0, 0.5, 1):
        parts.append(f'<line x1="{left}" x2="{width - 150}" y1="{y(tick)}" y2="{y(tick)}" stroke="#8884"/>')
        parts.append(f'<text x="4" y="{y(tick) + 4}">{tick:.1f}</text>')
    every = max(1, len(reports) // 12)  # at most about a dozen labels
    for i, (name, _) in enumerate(reports):
        if i % every and i != len(reports) - 1:
            continue
        x = left + i * step
        label = Markup.escape(name[:18])
        parts.append(f'<text transform="translate({x},{height - bottom + 12}) rotate(40)">{label}</text>')
    for n, metric in enumerate(PLOTTED):
        points = [
            f"{left + i * step:.1f},{y(float(o[metric])):.1f}"
            for i, (_, o) in enumerate(reports)
            if isinstance(o.get(metric), (int, float))
        ]
        colour = _COLOURS[n % len(_COLOURS)]
        if len(points) >= 2:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}"/>')
        parts.append(
            f'<text x="{width - 140}" y="{top + 14 * n + 10}" fill="{colour}" style="fill:{colour}">{metric}</text>'
        )
    return "".join(parts) + "</svg>"


def _marked(text: str, missed: list[str], unmatched_sentences: set[int]) -> list[list[dict[str, Any]]]:
    """The article as paragraphs of pieces, the unmatched items' sentences and the missed quotes marked."""
    marks: list[tuple[int, int, str]] = []
    for segment in segment_text(text):
        if segment.number in unmatched_sentences:
            marks.append((segment.start, segment.end, "unmatched"))
    for quote in missed:
        found = re.search(re.escape(quote.strip(' ."')), text, re.IGNORECASE) if quote.strip() else None
        if found:
            marks = [m for m in marks if m[1] <= found.start() or m[0] >= found.end()]
            marks.append((found.start(), found.end(), "missed"))
    paragraphs: list[list[dict[str, Any]]] = [[]]
    position = 0
    for start, end, kind in sorted(marks):
        if start < position:
            continue
        for i, chunk in enumerate(text[position:start].split("\n\n")):
            if i:
                paragraphs.append([])
            paragraphs[-1].append({"text": chunk, "kind": None})
        paragraphs[-1].append({"text": text[start:end], "kind": kind})
        position = end
    for i, chunk in enumerate(text[position:].split("\n\n")):
        if i:
            paragraphs.append([])
        paragraphs[-1].append({"text": chunk, "kind": None})
    return paragraphs


def render_eval_html(
    report: dict[str, Any], texts: dict[str, str], reports: Sequence[tuple[str, dict[str, Any]]] = (), title: str = ""
) -> str:
    """The page of ``report`` (``summarise eval``'s JSON), with each article's ``texts`` and the
    earlier ``reports`` to plot (this one is added last)."""
    articles = []
    for i, row in enumerate(report["articles"]):
        missed, unmatched = row.get("missed") or {}, row.get("unmatched") or {}
        quotes = [m["quote"] for items in missed.values() for m in items]
        sentences = {n for items in unmatched.values() for u in items for n in u.get("sentences", []) if n}
        articles.append(
            {
                "name": row["name"],
                "anchor": f"a{i}",
                "row": row,
                "missed": missed,
                "unmatched": unmatched,
                "missed_count": len(quotes),
                "unmatched_count": sum(len(v) for v in unmatched.values()),
                "paragraphs": _marked(texts.get(row["name"], ""), quotes, sentences),
            }
        )
    plot = _plot([*reports, ("this report", report["overall"])])
    return template("eval.html.j2").render(
        title=title or "Evaluation report",
        overall=report["overall"],
        metrics=[k for k in (*QUALITY_METRICS, "dropped_share") if k in report["overall"]],
        columns=COLUMNS,
        articles=articles,
        plot=Markup(plot),
        fmt=_fmt,
    )
