"""The pipeline: source -> Article -> sentences -> messages -> Extraction -> Brief.

``summarise`` is the one entry point the CLI, ``nightly`` and ``eval`` call.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from summariser.call import CallRecord, Provider, call_model, resolve_provider
from summariser.config import Settings, load_settings
from summariser.errors import InputError
from summariser.load import Article, load_article
from summariser.prompt import build_messages, prompt_version
from summariser.schemas import Brief, DroppedItem, Items, Meta, Sides, Usage, items_model
from summariser.segment import segment_text
from summariser.validate import (
    Grounded,
    future_sentences,
    ground_extraction,
    ground_sides,
    items_checker,
    joint_name,
    mentions_negotiation,
    merge_steps,
    offer_sentences,
    sides_checker,
)

__all__ = ["summarise", "asummarise", "estimate_tokens", "PROMPT_OVERHEAD_TOKENS"]

# Prompt tokens besides the article (system prompt, step instructions, chat
# template: about 340 measured), with a margin; the answer's max_tokens is added apart.
PROMPT_OVERHEAD_TOKENS = 700


def estimate_tokens(text: str) -> int:
    """A conservative token count for English news text (about 3.5 characters a token)."""
    return int(len(text) / 3.5) + 1


def summarise(
    source: str | Article,
    *,
    settings: Settings | None = None,
    client: Any = None,
    provider: Provider | None = None,
) -> Brief:
    """Brief one article.

    ``source`` is a path, an http(s) URL, ``-`` for stdin, or an ``Article``.
    ``settings`` defaults to :func:`~summariser.config.load_settings`;
    ``client`` is an optional ``openai.OpenAI`` to send requests through.

    >>> from summariser import summarise, render_markdown
    >>> brief = summarise("article.txt", settings=load_settings(model="local"))
    >>> brief.parties[0].name
    'Russia'

    Raises ``InputError``, ``ConfigError``, ``ModelCallError`` or
    ``BriefValidationError`` (all ``SummariserError``).
    """
    settings = settings or load_settings()
    started = time.perf_counter()
    article = source if isinstance(source, Article) else load_article(source)
    # Checked before segmenting: segmenting a book-length input takes long.
    needed = estimate_tokens(article.text) + PROMPT_OVERHEAD_TOKENS + settings.max_tokens
    if needed > settings.n_ctx and settings.provider == "local":
        raise InputError(
            f"article is too long for the model's context: about {needed} tokens needed "
            f"(prompt + {settings.max_tokens} for the answer), n_ctx is {settings.n_ctx}"
        )
    segments = segment_text(article.text)
    if not segments:
        raise InputError(f"no sentences found in {article.source or 'input'}")
    provider = provider or resolve_provider(settings, client=client)
    record = CallRecord()
    if not mentions_negotiation(article.text):
        return _brief(article, Grounded(is_negotiation=False, summary=""), [], record, provider, len(segments), started)
    step1 = call_model(
        build_messages(article, segments, step="sides"),
        settings,
        response_model=Sides,
        check=sides_checker(segments),
        provider=provider,
        record=record,
    )
    sides, dropped = ground_sides(step1.parsed, segments)
    items = None
    if sides.is_negotiation and sides.parties:
        parties = [p.name for p in sides.parties]
        mediators = [m.name for m in sides.mediators]
        joint = joint_name(parties)
        actors = [*parties, *mediators, *([joint] if len(parties) > 1 else [])]
        offers, future = offer_sentences(segments), future_sentences(segments)
        step2 = call_model(
            build_messages(
                article,
                segments,
                step="items",
                parties=parties,
                mediators=mediators,
                joint=joint,
                offer_sentences=offers,
                future_sentences=future,
            ),
            settings,
            response_model=items_model(parties, actors, len(segments), offer_sentences=offers, future_sentences=future),
            check=items_checker(sides, segments),
            provider=provider,
            record=record,
            lenient_model=Items,
        )
        items = step2.parsed
    grounded = ground_extraction(merge_steps(sides, items), segments)
    return _brief(article, grounded, dropped, record, provider, len(segments), started)


def _brief(
    article: Article,
    grounded: Grounded,
    dropped: list[DroppedItem],
    record: CallRecord,
    provider: Provider,
    sentences: int,
    started: float,
) -> Brief:
    meta = Meta(
        model=provider.model,
        provider=provider.name,
        prompt_version=prompt_version(),
        attempts=record.completions,
        usage=Usage(**record.usage()),
        seconds=round(time.perf_counter() - started, 3),
        model_seconds=round(sum(call["seconds"] for call in record.calls), 3),
        dropped=[*dropped, *grounded.dropped],
        sentences=sentences,
    )
    return Brief(
        title=article.title,
        source=article.source,
        published=article.published,
        is_negotiation=grounded.is_negotiation,
        summary=grounded.summary,
        parties=grounded.parties,
        mediators=grounded.mediators,
        positions=grounded.positions,
        proposals=grounded.proposals,
        next_steps=grounded.next_steps,
        meta=meta,
    )


async def asummarise(
    source: str | Article,
    *,
    settings: Settings | None = None,
    client: Any = None,
    provider: Provider | None = None,
) -> Brief:
    """``summarise`` for asyncio code: runs the blocking pipeline in a worker thread."""
    return await asyncio.to_thread(summarise, source, settings=settings, client=client, provider=provider)
