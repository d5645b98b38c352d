"""How another side answered an offer: told in the next sentences, later naming the offer by its figure
or its author, or first, as news leads do (:func:`answer`); and whether the article speaks of an
answer at all (:func:`says_answered`)."""

from __future__ import annotations

import re

from summariser.attribution import ArticleSides, offer_owner, owner_in
from summariser.cues import figures, offer_clause, response_cue, together
from summariser.names import sentence_norm
from summariser.rulebook import rulebook

_RULES = rulebook("en")  # summariser/rules/en/statements.toml

__all__ = ["ANSWER_REACH", "ANSWER_WINDOW", "answer", "says_answered"]

# How many sentences after an offer may tell how the other side answered it.
ANSWER_WINDOW = 2
# How far from an offer an answer naming it may be told (a long article's other end is another story,
# and a hostile one of thousands of offers must not cost time squared).
ANSWER_REACH = 40
_ANSWER_WORDS = _RULES["answer_words"]
_NEW_OFFER = _RULES["new_offer"]
_CLAUSES = re.compile(r"\band\b|[;,]")


def answer(known: ArticleSides, number: int, by: str, kinds: dict[int, str]) -> str | None:
    """How another side answered ``by``'s offer of sentence ``number`` ("accepted", "rejected"), or None.

    "Kestria offered 850 cubic metres. Dolmar rejected the offer the next
    morning." A later offer ends the search: an answer after it answers that one.
    """
    return _answer_after(known, number, by, kinds) or _answer_before(known, number, by)


def says_answered(known: ArticleSides, number: int, by: str) -> bool:
    """Whether the article speaks of an answer to the offer of sentence ``number`` at all: in the
    sentences around it, or anywhere in one that names its author or its figure."""
    first = max(0, number - 1 - ANSWER_WINDOW)
    amounts = figures(known.texts[number - 1])
    for index, text in enumerate(known.texts):
        if index == number - 1:
            text = offer_clause(text)  # "had rejected a ceasefire but offered a truce": no answer to the truce
        if first <= index < number + ANSWER_WINDOW and response_cue(text):
            return True  # "Dolmar turned the offer down", not "he had accepted the invitation"
        if not _ANSWER_WORDS.search(text):
            continue
        if amounts & figures(text) or (by in known.names and known.named_in(known.norms[index], [by])):
            return True
    return False


def _answer_before(known: ArticleSides, number: int, by: str) -> str | None:
    """An answer told before the offer, naming whose it is: "The board recommended a takeover offer
    from Aerovia. [...] Aerovia offered 14.50 euros a share." Not for a new offer, which no earlier
    answer can have answered."""
    if by not in known.names or _NEW_OFFER.search(known.texts[number - 1]):
        return None
    for index in range(max(0, number - 1 - ANSWER_REACH), number - 1):
        if not _answered_by_other(known, index, by):
            continue
        # "recommended a takeover offer from Aerovia and rejected a bid from Boreal": the answer to this side's.
        for clause in _CLAUSES.split(known.texts[index]):
            found = response_cue(clause)
            if found and owner_in(known, sentence_norm(clause), [by]) == by:
                return found
    return None


def _answer_after(known: ArticleSides, number: int, by: str, kinds: dict[int, str]) -> str | None:
    for index in range(number, min(number + ANSWER_WINDOW, len(known.texts))):
        if kinds.get(index + 1) == "agreement":
            return None  # "Both sides agreed to a news blackout": a deal of its own
        found = response_cue(known.texts[index])
        if found is None:
            if kinds.get(index + 1) == "offer":
                return None
            continue
        if _answered_by_other(known, index, by):
            return found
    return _answer_naming(known, number, by, kinds)


def _answer_naming(known: ArticleSides, number: int, by: str, kinds: dict[int, str]) -> str | None:
    """Later on, an answer that names the offer by its figure ("rejected the 4.5 percent offer on
    Monday") or by whose it is ("the board accepted Aerovia's offer"), while that side has made no other."""
    amounts = figures(known.texts[number - 1])
    if not amounts and by not in known.names:
        return None  # "Qatar and Egypt": a joint offer is named by neither alone
    for index in range(number + ANSWER_WINDOW, min(number + ANSWER_REACH, len(known.texts))):
        text = known.texts[index]
        if kinds.get(index + 1) == "offer" and offer_owner(known, index + 1, [by]) == by and not amounts:
            return None  # a new offer of the same side: later answers are to that one
        found = response_cue(text)
        if found is None or not _answered_by_other(known, index, by):
            continue
        if amounts & figures(text) if amounts else offer_owner(known, index + 1, [by]) == by:
            return found
    return None


def _answered_by_other(known: ArticleSides, index: int, by: str) -> bool:
    others = [side for side in known.named_in(known.norms[index], known.everyone) if side != by]
    return bool(others) or together(known.texts[index])
