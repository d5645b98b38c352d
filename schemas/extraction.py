"""What the model fills, in two steps, citing sentence numbers.

Step 1 (``Sides``): is it a negotiation, a summary, the parties and the
mediators. Step 2 (``Items``): positions, proposals and next steps, written
against the sides found in step 1; :func:`items_model` narrows party names and
sentence numbers to enums, so a grammar-constrained model cannot cite a party
or a sentence that does not exist. ``Extraction`` is the two merged.

Grammars built from these schemas never show the model the descriptions
(llama.cpp drops them), so the prompt in ``prompts/`` describes the fields too.
Citation fields come last in each item and hold one integer: asking for lists
of numbers, or citing before summarising, made small models count upwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model, model_validator
from summariser.schemas.brief import Status

__all__ = [
    "ExtractedParty",
    "ExtractedMediator",
    "ExtractedPosition",
    "ExtractedProposal",
    "ExtractedNextStep",
    "Sides",
    "Items",
    "Extraction",
    "items_model",
    "GROUNDING_CHECK",
]

# The grounding check of the call being validated (it needs the article). Not instructor's
# ``context=``: instructor renders every message as a Jinja template with that context, so an
# article holding "{{ 7*7 }}" or "{% if %}" would reach the model changed.
GROUNDING_CHECK: ContextVar[Callable[[Any], list[str]] | None] = ContextVar("grounding_check", default=None)


class _Checked(BaseModel):
    @model_validator(mode="after")
    def _check_grounding(self) -> Any:
        # The grounding check needs the article: call_model sets it for its call; without one
        # the schema is checked alone.
        check = GROUNDING_CHECK.get()
        if check is not None:
            problems = check(self)
            if problems:
                raise ValueError("; ".join(problems))
        return self


class ExtractedParty(BaseModel):
    name: str = Field(description="Short name of a side in the talks: a country, group, union or company.")
    aliases: list[str] = Field(max_length=4, description="Other names the article uses for it.")
    representatives: list[str] = Field(max_length=4, description="People who speak or negotiate for it.")


class ExtractedMediator(BaseModel):
    name: str = Field(description="A host, chair, broker or facilitator that is not a side.")
    role: str = Field(description="What it does in the talks, in a few words.")
    representatives: list[str] = Field(max_length=4)


class ExtractedPosition(BaseModel):
    party: str = Field(description="Name of one of the parties.")
    stance: str = Field(description="One demand, red line or stated aim, in one short sentence.")
    sentence: int = Field(description="Number of the article sentence that states it.")
    # What decided it (set by the pipeline, never asked of the model: step 2's grammar is items_model's).
    source: str | None = None
    actor_source: str | None = None


class ExtractedProposal(BaseModel):
    by: str = Field(description="Who proposed it: a party, a mediator, or 'A and B' when agreed jointly.")
    proposal: str = Field(description="The concrete offer, plan or deal, in one short sentence.")
    status: Status
    sentence: int = Field(description="Number of the article sentence that states it.")
    source: str | None = None
    status_source: str | None = None
    actor_source: str | None = None


class ExtractedNextStep(BaseModel):
    action: str = Field(description="A future step: a meeting, deadline, vote or exchange still to happen.")
    who: list[str] = Field(max_length=4)
    when: str | None = Field(description="The article's own words for the time, or null.")
    sentence: int = Field(description="Number of the article sentence that states it.")
    source: str | None = None


class Sides(_Checked):
    """Step 1: what kind of article, and who is at the table."""

    is_negotiation: bool = Field(description="True only if the article reports on negotiations or talks.")
    summary: str = Field(description="At most three sentences.")
    parties: list[ExtractedParty] = Field(max_length=6)
    mediators: list[ExtractedMediator] = Field(max_length=4)


class Items(_Checked):
    """Step 2: what each side wants, what is on the table, what comes next."""

    # No length limits here: ``items_model`` sets them for the model's grammar,
    # and items found by question (one per sentence) may be more.
    positions: list[ExtractedPosition]
    proposals: list[ExtractedProposal]
    next_steps: list[ExtractedNextStep]


class Extraction(Sides, Items):
    """Both steps merged: the brief as the model wrote it, before grounding."""


def items_model(
    parties: Sequence[str],
    actors: Sequence[str],
    sentences: int,
    *,
    offer_sentences: Sequence[int] | None = None,
    future_sentences: Sequence[int] | None = None,
    limits: tuple[int, int, int] = (8, 6, 4),
    narrow_names: bool = True,
    base: type[Items] = Items,
) -> type[Items]:
    """``Items`` narrowed to these party names, actor names and sentence numbers.

    ``actors`` are the names allowed as a proposal's author or a next step's
    actor: parties, mediators and joint forms such as "Russia and Ukraine".
    ``offer_sentences`` and ``future_sentences``, when given, are the only
    sentences proposals and next steps may cite; an empty sequence means the
    list must stay empty. ``limits`` are the most positions, proposals and next steps.
    With ``narrow_names=False`` party and actor are free text (a joint "A and B" of any
    sides, in any order), which grounding resolves to the listed sides or re-asks.
    ``base`` is ``Items`` or a subclass of it (the model client's own wrapper of it).
    """
    if not parties or not actors or sentences < 1:
        raise ValueError("items_model needs at least one party, one actor and one sentence")
    names = (tuple(dict.fromkeys(parties)), tuple(dict.fromkeys(actors))) if narrow_names else None
    return _narrowed(
        names,
        sentences,
        None if offer_sentences is None else tuple(sorted(set(offer_sentences))),
        None if future_sentences is None else tuple(sorted(set(future_sentences))),
        tuple(limits),
        base,
    )


@lru_cache(maxsize=256)
def _narrowed(
    names: tuple[tuple[str, ...], tuple[str, ...]] | None,
    sentences: int,
    offer_sentences: tuple[int, ...] | None,
    future_sentences: tuple[int, ...] | None,
    limits: tuple[int, int, int],
    base: type[Items],
) -> type[Items]:
    """The narrowed ``Items`` class, made once for each shape: building four pydantic classes and
    their JSON schema cost ~6 ms of CPU a brief, and free-text names (``names=None``) make the
    shape depend on the article's length and the sentences its cues pick alone."""
    Party: Any = Literal[names[0]] if names else str  # type: ignore[valid-type]
    Actor: Any = Literal[names[1]] if names else str  # type: ignore[valid-type]

    def numbers(allowed: tuple[int, ...] | None) -> Any:
        chosen = tuple(range(1, sentences + 1)) if allowed is None else allowed
        return Literal[chosen] if chosen else int  # type: ignore[valid-type]

    position = create_model("Position", party=(Party, ...), stance=(str, ...), sentence=(numbers(None), ...))
    proposal = create_model(
        "Proposal",
        by=(Actor, ...),
        proposal=(str, ...),
        status=(Status, ...),
        sentence=(numbers(offer_sentences), ...),
    )
    next_step = create_model(
        "NextStep",
        action=(str, ...),
        who=(list[Actor], Field(max_length=3)),  # type: ignore[valid-type]
        when=(str | None, ...),
        sentence=(numbers(future_sentences), ...),
    )
    most_positions, most_proposals, most_steps = limits
    no_offers = offer_sentences is not None and not offer_sentences
    no_future = future_sentences is not None and not future_sentences
    model: type[Items] = create_model(
        "Items",
        __base__=base,
        positions=(list[position], Field(max_length=most_positions)),  # type: ignore[valid-type]
        proposals=(list[proposal], Field(max_length=0 if no_offers else most_proposals)),  # type: ignore[valid-type]
        next_steps=(list[next_step], Field(max_length=0 if no_future else most_steps)),  # type: ignore[valid-type]
    )
    return model
