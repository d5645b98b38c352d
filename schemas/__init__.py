"""The pydantic models of summariser: the contract of the brief.

``Brief`` and its parts are the public JSON contract. ``Extraction`` is the smaller
shape the model fills: it cites sentence numbers, and the code turns it into a
``Brief`` whose evidence text is copied from the article itself.
"""

from summariser.schemas.brief import (
    ITEM_SECTIONS,
    ITEMS_NOT_ASKED,
    Brief,
    DroppedItem,
    Evidence,
    Flag,
    Mediator,
    Meta,
    NextStep,
    Party,
    Position,
    Proposal,
    Status,
    Usage,
    items_not_asked,
)
from summariser.schemas.extraction import (
    ExtractedMediator,
    ExtractedNextStep,
    ExtractedParty,
    ExtractedPosition,
    ExtractedProposal,
    Extraction,
    Items,
    Sides,
    items_model,
)

__all__ = [
    "Brief",
    "ITEMS_NOT_ASKED",
    "ITEM_SECTIONS",
    "items_not_asked",
    "DroppedItem",
    "Flag",
    "Evidence",
    "Mediator",
    "Meta",
    "NextStep",
    "Party",
    "Position",
    "Proposal",
    "Status",
    "Usage",
    "Extraction",
    "ExtractedMediator",
    "ExtractedNextStep",
    "ExtractedParty",
    "ExtractedPosition",
    "ExtractedProposal",
    "Items",
    "Sides",
    "items_model",
]
