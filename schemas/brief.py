"""The brief: the public JSON contract. Keep these keys and shapes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Status",
    "Evidence",
    "Party",
    "Mediator",
    "Position",
    "Proposal",
    "NextStep",
    "Usage",
    "DroppedItem",
    "Flag",
    "Meta",
    "Brief",
    "ITEMS_NOT_ASKED",
    "ITEM_SECTIONS",
    "items_not_asked",
]

Status = Literal["proposed", "accepted", "rejected", "agreed", "unclear"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """One article sentence: its number (1-based), its text, verbatim, and where it lies."""

    sentence: int = Field(ge=1, description="Number of the article sentence.")
    text: str = Field(description="The sentence, copied from the article by the code.")
    start: int = Field(default=0, ge=0, description="Character offset of the sentence in the article text.")
    end: int = Field(default=0, ge=0, description="Offset just past its end: text == article[start:end].")


class Party(_Model):
    name: str = Field(description="A side negotiating with the others.")
    aliases: list[str] = Field(default_factory=list)
    representatives: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class Mediator(_Model):
    name: str = Field(description="A third party that hosts, chairs, brokers or facilitates.")
    role: str | None = None
    representatives: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


# What decided an item, and how often that was right: the same fields on several items.
_CONFIDENCE = (
    "How often items of its section and source were right on real articles with gold "
    "(measured with the embedded model, the rules deciding); null when not measured."
)


def _kind_source() -> Any:
    return Field(
        default=None, description="What decided its kind: rule:<row id>, model or fitted (summarise eval scores each)."
    )


def _actor_source() -> Any:
    return Field(
        default=None, description="What decided who states or made it: rule:<id>, model (summarise eval scores each)."
    )


def _measured(description: str) -> Any:
    return Field(default=None, ge=0, le=1, description=description)


class Position(_Model):
    party: str = Field(description="A listed party, or 'A and B' for parties stating it together.")
    stance: str = Field(description="A demand, red line or stated aim.")
    evidence: list[Evidence] = Field(default_factory=list)
    source: str | None = _kind_source()
    actor_source: str | None = _actor_source()
    confidence: float | None = _measured(_CONFIDENCE)
    actor_confidence: float | None = _measured(
        "How often its actor_source chose the right actor, measured as confidence is."
    )


class Proposal(_Model):
    by: str = Field(description="Who put it forward: a listed party, mediator, or 'A and B'.")
    proposal: str
    status: Status = "unclear"
    evidence: list[Evidence] = Field(default_factory=list)
    source: str | None = _kind_source()
    actor_source: str | None = _actor_source()
    confidence: float | None = _measured(_CONFIDENCE)
    actor_confidence: float | None = _measured(
        "How often its actor_source chose the right actor, measured as confidence is."
    )
    status_confidence: float | None = _measured(
        "How often its status_source gave the right status, measured as confidence is."
    )
    status_source: str | None = Field(default=None, description="What decided its status: rule:<id>, model, default.")


class NextStep(_Model):
    action: str
    who: list[str] = Field(default_factory=list)
    when: str | None = Field(default=None, description="The article's own words, or null.")
    evidence: list[Evidence] = Field(default_factory=list)
    source: str | None = _kind_source()
    confidence: float | None = _measured(_CONFIDENCE)


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class DroppedItem(_Model):
    section: str
    item: dict[str, Any]
    reason: str


# meta.dropped's section for items that were not asked for at all (the reason says why).
ITEMS_NOT_ASKED = "items"
# The brief's sections of items, as against its sides (parties, mediators).
ITEM_SECTIONS = ("positions", "proposals", "next_steps")


def items_not_asked(brief: Brief, section: str | None = None) -> str | None:
    """Why the brief's positions, proposals and next steps were not asked for, or None if they
    were (or if ``section`` is given and is not one of them)."""
    if section is not None and section not in ITEM_SECTIONS:
        return None
    return next((d.reason for d in brief.meta.dropped if d.section == ITEMS_NOT_ASKED), None)


class Flag(_Model):
    """An item kept because the model decides, which a rule would have changed or dropped."""

    section: str
    item: dict[str, Any]
    rule: str = Field(description="What the rule says about it.")


class Meta(_Model):
    model: str
    provider: str
    prompt_version: str
    attempts: int = Field(default=0, description="Structured completions (steps and re-asks).")
    questions: int = Field(default=0, description="Multiple-choice questions asked about sentences and sides.")
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0
    model_seconds: float = Field(default=0.0, description="Seconds spent waiting for the model.")
    dropped: list[DroppedItem] = Field(default_factory=list)
    trust: Literal["rules", "model"] = Field(
        default="rules", description="Who decided where rules and model disagreed (the trust setting)."
    )
    flags: list[Flag] = Field(
        default_factory=list, description="Items the model's answer kept where a rule disagreed (trust: model)."
    )
    sentences: int = Field(default=0, description="Number of numbered article sentences.")


class Brief(_Model):
    """A validated, evidence-grounded brief of one negotiation article."""

    title: str | None = None
    source: str | None = None
    published: str | None = None
    is_negotiation: bool
    summary: str = ""
    parties: list[Party] = Field(default_factory=list)
    mediators: list[Mediator] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    meta: Meta
