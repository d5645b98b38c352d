"""Who a sentence's statement is by: the article's sides by every name it gives them, a sentence's
subject or speaker, and whose offer or demand it names.

:class:`ArticleSides` holds the sides and the article's sentences; each question about a
sentence (:func:`speakers`, :func:`offer_owner`, :func:`offerer`, :func:`demander`,
:func:`contrasted`, :func:`joint_subject`) is a function of it and a sentence number (1-based).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from summariser.cues import (
    CONTRAST,
    continues_speech,
    offering_at,
    opens_with_quote,
    other_speaker,
    someone_else,
    speaker_of,
    wanting_at,
)
from summariser.names import (
    acronym_in,
    capital_of,
    first_body,
    first_mention,
    name_heads,
    normalise_name,
    sentence_norm,
)
from summariser.rulebook import rulebook
from summariser.schemas import Sides
from summariser.segment import Segment

_RULES = rulebook("en")  # summariser/rules/en/statements.toml

__all__ = [
    "SPEAKER_WINDOW",
    "ArticleSides",
    "contrasted",
    "demander",
    "joint_subject",
    "offer_owner",
    "offerer",
    "owner_in",
    "speakers",
]

SPEAKER_WINDOW = 3
# Words before and after a person's full name read for the side they stand beside.
_BEFORE_NAME, _AFTER_NAME = 3, 8
_HONORIFIC = _RULES["honorific"]
# How close before "offered" the side that offers is named: "Northline chief executive Sarah Quayle offered".
OFFERER_WORDS = 5
# How long a clause's subject may be: "Veldria's Prime Minister Anna Kessler-Ruiz and several states including Norland".
SUBJECT_WORDS = 14
_OPENING_WORDS = 4
_ASIDE = _RULES["aside"]
_OFFER_NOUN = _RULES.word_class("offer_noun")
_BOTH_OFFERS = _RULES["both_offers"]
_THE_GROUP = _RULES["the_group"]
# A subject of several parties: "Kestria and the smaller Dolmar want"; not "talks between A and B", "A's
# offer to B", a quotation or a clause before the subject.
_AND = re.compile(r"\band\b")
_NOT_SUBJECT = _RULES["not_subject"]


def _names(name: str, others: Sequence[str], article: str) -> list[str]:
    # A side, its aliases and people, the head of each ("the union", "Okafor"), and the
    # acronym the article gives it ("The UN proposed").
    names = [n for n in (name, *others) if n.strip()]
    acronym = acronym_in(name, article)
    return [*names, *(head for n in names for head in name_heads(n)), *([acronym] if acronym else [])]


def _capitals(names: Sequence[str], article_norm: str) -> list[str]:
    # "Tehran has insisted": a capital the article uses names its country's government.
    return [c for n in names if (c := capital_of(n)) and f" {c} " in article_norm]


@dataclass
class ArticleSides:
    """An article's sides, every name it gives each, and its sentences (as written and normalised)."""

    parties: list[str]
    mediators: list[str]
    names: dict[str, list[str]]
    texts: list[str]
    norms: list[str]

    @classmethod
    def of(cls, sides: Sides, segments: Sequence[Segment]) -> ArticleSides:
        article = "\n".join(s.text for s in segments)
        article_norm = sentence_norm(article)
        names = {}
        for p in sides.parties:
            own = _names(p.name, [*p.aliases, *p.representatives], article)
            names[p.name] = [*own, *_capitals([p.name, *p.aliases, *p.representatives], article_norm)]
        # A mediator's capital is where talks are held, not who speaks: "talks in Doha".
        names.update({m.name: _names(m.name, m.representatives, article) for m in sides.mediators})
        return cls(
            parties=[p.name for p in sides.parties],
            mediators=[m.name for m in sides.mediators],
            names=names,
            texts=[s.text for s in segments],
            norms=[sentence_norm(s.text) for s in segments],
        )

    @property
    def joint(self) -> str:
        return " and ".join(self.parties)

    @property
    def everyone(self) -> list[str]:
        return [*self.parties, *self.mediators]

    def named_in(self, norm: str, among: Sequence[str]) -> list[str]:
        """The sides of ``among`` that ``norm`` names, in the order it first names them."""
        found = []
        for side in among:
            places = [p for n in self.names[side] if (p := first_mention(n, norm)) is not None]
            if places:
                found.append((min(places), side))
        return [side for _, side in sorted(found)]

    def outsider(self, words: str, index: int) -> bool:
        """Whether ``words`` ("Hanna", "Mr Hanna") is the surname of someone named in full up to
        sentence ``index`` (0-based) with no side beside them: "said Michael Hanna, director at
        International Crisis Group". A side's own people are named beside it ("U.S. envoy Steve
        Witkoff") or listed for it."""
        surname = _HONORIFIC.sub("", words)
        if not re.fullmatch(r"[A-Z][\w'’-]+", surname) or self.named_in(sentence_norm(surname), list(self.names)):
            return False
        full = re.compile(rf"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s+{re.escape(surname)}\b")
        for text in self.texts[: index + 1]:
            if match := full.search(text):
                before = text[: match.start()].split()[-_BEFORE_NAME:]
                around = " ".join([*before, *text[match.start() :].split()[: len(match.group().split()) + _AFTER_NAME]])
                return not self.named_in(sentence_norm(around), self.everyone)
        return False

    def all_mediators_among(self, among: Sequence[str]) -> bool:
        return bool(self.mediators) and all(m in among for m in self.mediators)


# Whose offer or demand a sentence names.


def _offer_owner_patterns(key: str) -> tuple[str, ...]:
    """How a normalised sentence names whose offer it is, for a side named ``key`` (escaped)."""
    return (
        # "Paramount's $108bn takeover bid", not "Netflix's rejection of the plan"
        rf"\b{key} s(?: (?!(?:of|to|for|on|with|and)\b)\w+){{0,5}}? {_OFFER_NOUN}",
        # "the US proposal", "the union's new offer", not "Netflix rejected the plan"
        rf"\b{key}(?: (?:new|latest|revised|final|improved|initial|opening|rival|ceasefire|peace|pay))? {_OFFER_NOUN}",
        # "a takeover proposal from U.S. rival Brightwater Brands", "a draft from the summit presidency"
        rf"\b{_OFFER_NOUN} (?:from|by|of) (?:the )?(?:[\w-]+ ){{0,3}}?{key}\b",
        rf"\b{_OFFER_NOUN} (?:\w+ )?(?:presented|put forward|drafted|tabled|submitted|proposed|brokered) "
        rf"by (?:the )?{key}\b",
    )


def _demand_owner_patterns(key: str) -> tuple[str, ...]:
    """How a normalised sentence names whose demand it is: "the group's demand for"."""
    return (rf"\b{key} s (?:\w+ ){{0,2}}?(?:demands?|conditions?|red lines?|insistence|refusal)\b",)


def _named_first(
    norm: str, sides: Sequence[tuple[str, Sequence[str]]], patterns: Callable[[str], Sequence[str]]
) -> str | None:
    """The side of ``sides`` (each with its names) that a normalised sentence first names in one of the
    ``patterns`` built for each name, or None."""
    found = []
    for side, names in sides:
        for name in names:
            key = re.escape(normalise_name(name))
            if not key:
                continue
            for pattern in patterns(key):
                if match := re.search(pattern, norm):
                    found.append((match.start(), side))
    return min(found)[1] if found else None


def offer_owner(known: ArticleSides, number: int, among: Sequence[str]) -> str | None:
    """The side whose offer sentence ``number`` names: "Paramount's $108bn bid", "the offer from Netflix"."""
    return owner_in(known, known.norms[number - 1], among)


def owner_in(known: ArticleSides, norm: str, among: Sequence[str]) -> str | None:
    """The side of ``among`` whose offer the normalised text ``norm`` names, or None."""
    both = _BOTH_OFFERS.search(norm)
    if both and all(known.named_in(f" {group} ", among) for group in both.groups()):
        return None  # "differences between the Netflix and Paramount offers": a comparison, no one's offer
    # "a plan presented by mediators": all the mediators' plan.
    sides = [(side, known.names[side]) for side in among]
    if known.all_mediators_among(among):
        sides.append((" and ".join(known.mediators), ["mediators", "the mediators"]))
    return _named_first(norm, sides, _offer_owner_patterns)


def demander(known: ArticleSides, number: int, among: Sequence[str]) -> str | None:
    """The side whose demand sentence ``number`` names: "talks stalled over the group's demand for...",
    first named first."""
    sides = [(side, known.names[side]) for side in among]
    return _named_first(known.norms[number - 1], sides, _demand_owner_patterns)


def offerer(known: ArticleSides, number: int, among: Sequence[str]) -> str | None:
    """The side named just before sentence ``number``'s verb of offering: "after ministers offered the BMA a
    deal"; "The mediators had proposed": all the mediators'."""
    words = _words_before(known, number, offering_at(known.texts[number - 1]))
    named = known.named_in(" ".join(words), among)
    if named:
        return named[-1]
    if known.all_mediators_among(among) and "mediators" in words:
        return " and ".join(known.mediators)
    return None


def _words_before(known: ArticleSides, number: int, verb: int | None) -> list[str]:
    """The few normalised words before sentence ``number``'s verb at ``verb`` (none without a verb);
    "Qatar, which has funded the talks, offered": the subject is before the aside."""
    if verb is None:
        return []
    return sentence_norm(_ASIDE.sub("", known.texts[number - 1][:verb])).split()[-OFFERER_WORDS:]


# Whose stance a sentence states: its subject, or its speaker.


def _clause_subject(known: ArticleSides, number: int, verb: int | None, among: Sequence[str]) -> str | None:
    """The side named first in the clause that leads to sentence ``number``'s verb at ``verb``:
    "..., with the U.S. pressuring Tehran", "Brazil's president and some countries including the UK want"."""
    if verb is None:
        return None
    clause = re.split(r"[,;:]", known.texts[number - 1][:verb])[-1].split()
    if len(clause) > SUBJECT_WORDS:
        return None
    named = known.named_in(sentence_norm(" ".join(clause)), among)
    return named[0] if named else None


def contrasted(known: ArticleSides, number: int) -> list[tuple[str, str]]:
    """The two parties' stances a sentence sets against each other, with each clause, or [].

    "Ukraine wants to reclaim territories, while Russia does not want to withdraw": each
    clause names its own party before its own verb of wanting or refusing.
    """
    clauses = CONTRAST.split(known.texts[number - 1])
    if len(clauses) != 2:
        return []
    found = [(_subject_of(known, clause), clause) for clause in clauses]
    parties = [party for party, _ in found]
    if None in parties or len(set(parties)) < 2:
        return []
    return [(party, clause) for party, clause in found if party is not None]


def joint_subject(known: ArticleSides, number: int) -> list[str]:
    """The parties that together make sentence ``number``'s demand, named as one subject before its
    verb ("The National Union of Teachers and the smaller Schoolmasters' Association are demanding"),
    or []."""
    text = known.texts[number - 1]
    verb = wanting_at(text)
    if verb is None:
        return []
    before = text[:verb]
    if len(before.split()) > SUBJECT_WORDS or not _AND.search(before) or _NOT_SUBJECT.search(before):
        return []
    named = known.named_in(sentence_norm(before), known.parties)
    return named if len(named) >= 2 else []


def _subject_of(known: ArticleSides, clause: str) -> str | None:
    """The party named in the words before a clause's first verb of wanting or refusing, or None."""
    verb = wanting_at(clause)
    if verb is None:
        return None
    before = clause[:verb].split()
    if len(before) > SUBJECT_WORDS:
        return None
    named = known.named_in(sentence_norm(" ".join(before)), known.parties)
    # Its subject opens the clause: not "but not at the level Dolmar demands".
    opening = known.named_in(sentence_norm(" ".join(before[:_OPENING_WORDS])), known.parties)
    return named[0] if len(named) == 1 and opening == named else None


def _group_meant(known: ArticleSides, number: int) -> str | None:
    """The party "the group" means when an unnamed source reports what it did ("an official said the
    group had sought amendments"): the one party named in the nearest sentence before that names one."""
    everyone = known.everyone
    if not _THE_GROUP.search(known.texts[number - 1]) or known.named_in(known.norms[number - 1], everyone):
        return None
    for norm in reversed(known.norms[max(0, number - 1 - SPEAKER_WINDOW) : number - 1]):
        if named := known.named_in(norm, everyone):
            return named[0] if len(named) == 1 and named[0] in known.parties else None
    return None


class _Look(Enum):
    """What one sentence looking back leaves open: nobody named yet (look on, the window shrinking), or
    the same speaker still quoting ("He added: ...", a bare quotation: look on, the window kept)."""

    ON = "on"
    QUOTING = "quoting"


_Heard = list[str] | None | _Look  # a side (or sides), someone else (None), the writer ([]), or look on


def _heard(known: ArticleSides, index: int, number: int, among: Sequence[str]) -> _Heard:
    """Who sentence ``index`` (0-based) says speaks, by its subject or speaker: "Netflix reiterated",
    '"...," said Ana Ruiz of Harbourline'; "He said" looks further back."""
    text = known.texts[index]
    everyone = known.everyone
    speaker = speaker_of(text)
    if speaker is None:
        if index == number - 1:
            # No subject says it, but a side presses just before the verb: "..., with the U.S. pressuring Tehran".
            pressing = _clause_subject(known, number, wanting_at(text), everyone)
            if pressing:
                return [pressing] if pressing in among else None
        if opens_with_quote(text):
            # A quotation going on, this one too ('"I'm not sure government is ready"'): the sides
            # it names are what is spoken of, not who speaks.
            return _Look.QUOTING
        return _named_there(known, index, number, among)
    words, kind, clause = speaker
    if kind != "pronoun" and someone_else(words):
        return None  # "a Dolmari hydrologist", "Skyrail's pilots' union": no side, whatever they name
    found = known.named_in(sentence_norm(words), everyone) or known.named_in(sentence_norm(clause), everyone)
    body = first_body(words) if kind == "someone" else None
    if found and body and not known.named_in(sentence_norm(body), everyone):
        # "The centre-right Liberal Alliance, the largest opposition party, said": a body of its
        # own, though its description names a side's head word ("party").
        return None
    if found:
        return [side for side in found if side in among] or None
    if kind == "someone" or known.outsider(words, index):
        # "Mike Proulx from research firm Forrester said the battle for Warner Bros...": not a side's
        # word; nor "Hanna also pointed out..." after "said Michael Hanna, director at a think tank".
        return None
    if kind == "pronoun":
        return _Look.QUOTING  # "He said": the speaker is named before
    return _named_there(known, index, number, among)


def _named_there(known: ArticleSides, index: int, number: int, among: Sequence[str]) -> _Heard:
    """Who sentence ``index`` (0-based) says speaks by the sides it names, looking back from ``number``."""
    found = known.named_in(known.norms[index], known.everyone)
    if found:
        # Only a side that may make this statement counts; a mediator
        # speaking is not a party's position.
        return [side for side in found if side in among] or None
    if index == number - 1 and other_speaker(known.texts[index]):
        return None
    if index == number - 1 and not continues_speech(known.texts[index]):
        return []  # "At the heart of the row is a disagreement...": the writer's, not the last speaker's
    return _Look.ON


def speakers(known: ArticleSides, number: int, among: Sequence[str], *, by_subject: bool = True) -> list[str] | None:
    """The sides sentence ``number`` is said by: named as its subject ("Netflix reiterated"),
    else named in it, else in the nearest of the few before it that names one.

    None when the speaker there is someone else: a subject or speaker of its
    own who is not a side ("Analyst Mike Proulx said"), or a side not in ``among``.
    """
    if by_subject and (group := _group_meant(known, number)):
        return [group] if group in among else None
    looked = 0
    for index in range(number - 1, max(-1, number - 1 - 2 * SPEAKER_WINDOW), -1):
        if looked == SPEAKER_WINDOW:
            break
        looked += 1
        heard = _heard(known, index, number, among) if by_subject else _named_there(known, index, number, among)
        if heard is _Look.QUOTING:
            if index < number - 1:
                looked -= 1  # on the way back, still the same speaker quoting: the window is not used up
            continue
        if not isinstance(heard, _Look):
            return heard
    return []
