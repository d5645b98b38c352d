"""Prompt stage: article + numbered sentences -> chat messages for each step.

Templates live in ``prompts/`` (shipped as ``summariser.prompts``) and are read
only here. Both steps share the same system message and article message, so a
local model reuses its cache of the article for step 2 and only reads the new
instruction. ``prompt_version()`` hashes the templates and the model-facing
schemas, so any change to either shows in every brief's ``meta``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources

import jinja2

from summariser.load import Article
from summariser.schemas import Items, Sides
from summariser.segment import Segment, number_segments

__all__ = [
    "TEMPLATES",
    "QUESTIONS",
    "article_messages",
    "build_messages",
    "build_question",
    "prompt_version",
    "read_template",
]

QUESTIONS = ("ask_kind", "ask_author", "ask_status", "ask_speaker")
TEMPLATES = ("system.j2", "user.j2", "sides.j2", "items.j2", *(f"{q}.j2" for q in QUESTIONS))


@cache
def read_template(name: str) -> str:
    """The text of one template in ``summariser.prompts``."""
    return resources.files("summariser.prompts").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Article text is data for a model, not HTML: no autoescaping, but strict
    # undefined variables so a template typo fails loudly.
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(read_template),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


@lru_cache(maxsize=1)
def prompt_version() -> str:
    """A short hash of the templates and the extraction schemas."""
    digest = hashlib.sha256()
    for name in TEMPLATES:
        digest.update(read_template(name).encode())
    for model in (Sides, Items):
        digest.update(json.dumps(model.model_json_schema(), sort_keys=True).encode())
    return digest.hexdigest()[:12]


def _fence(segments: Sequence[Segment]) -> str:
    # The article must not be able to close its own <article> fence.
    return number_segments(list(segments)).replace("<article", "‹article").replace("</article", "‹/article")


def article_messages(article: Article, segments: Sequence[Segment]) -> list[dict[str, str]]:
    """The system and article messages every step and question starts with (the cached prefix)."""
    env = _environment()
    system = env.get_template("system.j2").render().strip()
    user = env.get_template("user.j2").render(title=article.title, numbered=_fence(segments)).strip()
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def build_question(name: str, *, number: int, sentence: str, **values: object) -> str:
    """The text of one multiple-choice question (``name`` in :data:`QUESTIONS`) about sentence ``number``."""
    if name not in QUESTIONS:
        raise ValueError(f"unknown question: {name}")
    quoted = sentence.replace("<article", "‹article").replace("</article", "‹/article")
    return _environment().get_template(f"{name}.j2").render(number=number, sentence=quoted, **values).strip()


def build_messages(
    article: Article,
    segments: Sequence[Segment],
    *,
    step: str = "sides",
    parties: Sequence[str] = (),
    mediators: Sequence[str] = (),
    joint: str = "",
    offer_sentences: Sequence[int] | None = (),
    future_sentences: Sequence[int] | None = (),
) -> list[dict[str, str]]:
    """The messages for one step (``sides`` or ``items``) of one article.

    ``offer_sentences`` and ``future_sentences`` point step 2 at the sentences the rules call
    offers and future steps; ``None`` (when the model decides) points it nowhere.

    >>> messages = build_messages(article, segment_text(article.text), step="sides")
    >>> [m["role"] for m in messages]
    ['system', 'user', 'user']
    """
    env = _environment()
    base = article_messages(article, segments)
    if step == "sides":
        instruction = env.get_template("sides.j2").render().strip()
    elif step == "items":
        instruction = (
            env.get_template("items.j2")
            .render(
                parties=list(parties),
                mediators=list(mediators),
                joint=joint or " and ".join(parties),
                hints=offer_sentences is not None and future_sentences is not None,
                offer_sentences=", ".join(map(str, offer_sentences or ())),
                future_sentences=", ".join(map(str, future_sentences or ())),
            )
            .strip()
        )
    else:
        raise ValueError(f"unknown prompt step: {step}")
    return [*base, {"role": "user", "content": instruction}]
