"""Statements, sentence by sentence: positions, proposals and next steps.

Asking a small model to write a list of items misses most of them, credits the
wrong side and guesses the status. Here each candidate sentence
(:func:`~summariser.cues.candidate_sentences`) is judged on its own:

1. **Kind** (demand, offer, agreement, future step, none): by the sentence's
   words (:func:`~summariser.cues.statement_kind`) for English; for other
   languages the model answers a multiple-choice question.
2. **Who**: the sentence's subject when it names a side, or is someone who is
   no side ("Analyst Mike Proulx said...": no one's statement, whoever it
   names; :func:`~summariser.cues.speaker_of`), or the speaker after a
   quotation ('"...," she said'); a side pressing just before the verb
   ("with the U.S. pressuring Tehran"); else the side named in the sentence,
   or in the nearest sentence before it that names one when the sentence goes
   on with that speaker's words (reported speech names its speaker once, then
   quotes on; :func:`~summariser.cues.continues_speech`); when several are
   named, the one named first. For an offer: whose offer it is ("Paramount's bid",
   "a plan presented by mediators"), the offer a sentence refers back to
   ("The offer includes..."), the side named just before "offered"; an offer
   named in passing with no one putting it forward ("talks on the latest
   proposal") is set aside. When no side is named, a position is set aside
   (grounding requires its party named nearby) and the model chooses an
   offer's author among the sides (or "someone else"). People the article
   quotes without a side get one first (:func:`assign_speakers`): a title that
   names a side ("U.S. President Donald Trump") or a minister's speaks for it
   without a question. "An official said the group had sought..." is the one
   party named just before.
3. **Status** of an offer: "rejected"/"accepted" when the sentence says so, or
   another side's answer follows in the next two sentences, names the offer
   by its figure or author later, or was told first in the lead; else the
   model chooses from the five statuses, reading the whole article, and its
   "accepted", "rejected" or "agreed" stands only where the article speaks of
   an answer. "The deal also includes..." (kind ``terms``) takes the author
   and status of the offer or deal reported before it (the latest of its noun:
   "The plan is believed to include..."), as does a sentence told just after
   one that goes on with what it holds ("The number of posts will also rise by
   4,000 by 2028", :func:`~summariser.cues.more_terms`); offers, agreements
   and terms are read in the article's order.

Every question reuses the model's cache of the article and is answered with
one option word, so a question costs well under a second. Item texts are the
sentence's own words without the attribution
(:func:`~summariser.cues.statement_text`) and a step's ``when`` is the
sentence's own time phrase: nothing is paraphrased. The ``Items`` then go
through the same grounding as any other extraction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from summariser.ask import Questions
from summariser.cues import (
    CONTRAST,
    TERMS_GAP,
    agreement_clause,
    answer_beside,
    candidate_sentences,
    commentator,
    continues_speech,
    crowd_opens,
    figures,
    kind_by_rule,
    more_terms,
    offer_clause,
    offering_at,
    opens_as_terms,
    opens_with_quote,
    other_speaker,
    response_cue,
    someone_else,
    speaker_of,
    speaks_as_a_side,
    statement_text,
    status_cue,
    talks_event,
    terms_noun,
    together,
    under_the_deal,
    wanting_at,
    when_phrase,
)
from summariser.kinds import KindWeights, decide_kinds, load_weights, quoted_speaker_named
from summariser.named_sides import named_speakers
from summariser.names import (
    acronym_in,
    capital_of,
    first_body,
    first_mention,
    is_government,
    mentions,
    name_heads,
    normalise_name,
    sentence_norm,
)
from summariser.rulebook import rulebook
from summariser.schemas import DroppedItem, ExtractedNextStep, ExtractedPosition, ExtractedProposal, Items, Sides
from summariser.segment import Segment

_RULES = rulebook("en")  # summariser/rules/en/statements.toml

__all__ = ["KINDS", "OTHER", "SPEAKER_WINDOW", "Statements", "assign_speakers", "find_statements"]

KINDS = ("demand", "offer", "agreement", "future", "none")
OTHER = "someone else"
SPEAKER_WINDOW = 3
# Words before and after a person's full name read for the side they stand beside.
_BEFORE_NAME, _AFTER_NAME = 3, 8
_HONORIFIC = _RULES["honorific"]
# How many sentences after an offer may tell how the other side answered it.
ANSWER_WINDOW = 2
# How far from an offer an answer naming it may be told (a long article's other end is another story,
# and a hostile one of thousands of offers must not cost time squared).
ANSWER_REACH = 40
# How far back "The offer includes..." may refer to an offer already reported.
OFFER_BACK = 5
# How close before "offered" the side that offers is named: "Northline chief executive Sarah Quayle offered".
OFFERER_WORDS = 5
# How long a clause's subject may be: "Veldria's Prime Minister Anna Kessler-Ruiz and several states including Norland".
SUBJECT_WORDS = 14
_ASIDE = _RULES["aside"]
_STATUSES = ("proposed", "accepted", "rejected", "agreed", "unclear")


@dataclass
class Statements:
    """What the sentences state, what was set aside, and the kind found for each sentence."""

    items: Items
    dropped: list[DroppedItem] = field(default_factory=list)
    kinds: dict[int, str] = field(default_factory=dict)
    # A sentence's further kinds besides ``kinds`` ("The union rejected the offer and will strike on
    # Monday": a stance and a step).
    also: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # What decided each sentence's kinds: "rule:<row id>", "fitted" or "model".
    sources: dict[int, str] = field(default_factory=dict)

    def kinds_of(self, number: int) -> tuple[str, ...]:
        """Every kind sentence ``number`` states, its main one first."""
        main = self.kinds.get(number)
        return (main, *self.also.get(number, ())) if main else ()

    def set_aside(self, section: str, number: int, reason: str) -> None:
        """Report sentence ``number`` as stating nothing for ``section``, and why (``meta.dropped``)."""
        self.dropped.append(DroppedItem(section=section, item={"sentence": number}, reason=reason))


_OFFER_NOUN = _RULES.word_class("offer_noun")


_ANSWER_WORDS = _RULES["answer_words"]
_BOTH_OFFERS = _RULES["both_offers"]
_OPENING_WORDS = 4
_THE_GROUP = _RULES["the_group"]
_CLAUSES = re.compile(r"\band\b|[;,]")
_NEW_OFFER = _RULES["new_offer"]


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
class _Sides:
    parties: list[str]
    mediators: list[str]
    names: dict[str, list[str]]
    texts: list[str]
    norms: list[str]

    @classmethod
    def of(cls, sides: Sides, segments: Sequence[Segment]) -> _Sides:
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
                return not self.named_in(sentence_norm(around), [*self.parties, *self.mediators])
        return False

    def owner(self, number: int, among: Sequence[str]) -> str | None:
        """The side whose offer sentence ``number`` names: "Paramount's $108bn bid", "the offer from Netflix"."""
        return self._owner_in(self.norms[number - 1], among)

    def _owner_in(self, norm: str, among: Sequence[str]) -> str | None:
        both = _BOTH_OFFERS.search(norm)
        if both and all(self.named_in(f" {group} ", among) for group in both.groups()):
            return None  # "differences between the Netflix and Paramount offers": a comparison, no one's offer
        # "a plan presented by mediators": all the mediators' plan.
        sides = [(side, self.names[side]) for side in among]
        if self.mediators and all(m in among for m in self.mediators):
            sides.append((" and ".join(self.mediators), ["mediators", "the mediators"]))
        return _named_first(norm, sides, _offer_owner_patterns)

    def demander(self, number: int, among: Sequence[str]) -> str | None:
        """The side whose demand sentence ``number`` names: "talks stalled over the group's demand for...",
        first named first."""
        sides = [(side, self.names[side]) for side in among]
        return _named_first(self.norms[number - 1], sides, _demand_owner_patterns)

    def offerer(self, number: int, among: Sequence[str]) -> str | None:
        """The side named just before sentence ``number``'s verb of offering: "after ministers offered the BMA a
        deal"; "The mediators had proposed": all the mediators'."""
        verb = offering_at(self.texts[number - 1])
        named = self._named_before(number, verb, among)
        if named is None and self.mediators and all(m in among for m in self.mediators):
            if "mediators" in self._words_before(number, verb):
                return " and ".join(self.mediators)
        return named

    def _named_before(self, number: int, verb: int | None, among: Sequence[str]) -> str | None:
        """The side named in the few words before sentence ``number``'s verb at ``verb``."""
        named = self.named_in(" ".join(self._words_before(number, verb)), among)
        return named[-1] if named else None

    def _words_before(self, number: int, verb: int | None) -> list[str]:
        """The few normalised words before sentence ``number``'s verb at ``verb`` (none without a verb);
        "Qatar, which has funded the talks, offered": the subject is before the aside."""
        if verb is None:
            return []
        return sentence_norm(_ASIDE.sub("", self.texts[number - 1][:verb])).split()[-OFFERER_WORDS:]

    def _clause_subject(self, number: int, verb: int | None, among: Sequence[str]) -> str | None:
        """The side named first in the clause that leads to sentence ``number``'s verb at ``verb``:
        "..., with the U.S. pressuring Tehran", "Brazil's president and some countries including the UK want"."""
        if verb is None:
            return None
        clause = re.split(r"[,;:]", self.texts[number - 1][:verb])[-1].split()
        if len(clause) > SUBJECT_WORDS:
            return None
        named = self.named_in(sentence_norm(" ".join(clause)), among)
        return named[0] if named else None

    def contrasted(self, number: int) -> list[tuple[str, str]]:
        """The two parties' stances a sentence sets against each other, with each clause, or [].

        "Ukraine wants to reclaim territories, while Russia does not want to withdraw": each
        clause names its own party before its own verb of wanting or refusing.
        """
        clauses = CONTRAST.split(self.texts[number - 1])
        if len(clauses) != 2:
            return []
        found = [(self._subject_of(clause), clause) for clause in clauses]
        parties = [party for party, _ in found]
        if None in parties or len(set(parties)) < 2:
            return []
        return [(party, clause) for party, clause in found if party is not None]

    def joint_subject(self, number: int) -> list[str]:
        """The parties that together make sentence ``number``'s demand, named as one subject before its
        verb ("The National Union of Teachers and the smaller Schoolmasters' Association are demanding"),
        or []."""
        text = self.texts[number - 1]
        verb = wanting_at(text)
        if verb is None:
            return []
        before = text[:verb]
        if len(before.split()) > SUBJECT_WORDS or not _AND.search(before) or _NOT_SUBJECT.search(before):
            return []
        named = self.named_in(sentence_norm(before), self.parties)
        return named if len(named) >= 2 else []

    def _subject_of(self, clause: str) -> str | None:
        """The party named in the words before a clause's first verb of wanting or refusing, or None."""
        verb = wanting_at(clause)
        if verb is None:
            return None
        before = clause[:verb].split()
        if len(before) > SUBJECT_WORDS:
            return None
        named = self.named_in(sentence_norm(" ".join(before)), self.parties)
        # Its subject opens the clause: not "but not at the level Dolmar demands".
        opening = self.named_in(sentence_norm(" ".join(before[:_OPENING_WORDS])), self.parties)
        return named[0] if len(named) == 1 and opening == named else None

    def answer(self, number: int, by: str, kinds: dict[int, str]) -> str | None:
        """How another side answered the offer of sentence ``number``: told in the next sentences, later
        naming the offer, or first, as news leads do.

        "Kestria offered 850 cubic metres. Dolmar rejected the offer the next
        morning." A later offer ends the search: an answer after it answers that one.
        """
        return self._answer_after(number, by, kinds) or self._answer_before(number, by)

    def says_answered(self, number: int, by: str) -> bool:
        """Whether the article speaks of an answer to the offer of sentence ``number`` at all: in the
        sentences around it, or anywhere in one that names its author or its figure."""
        first = max(0, number - 1 - ANSWER_WINDOW)
        amounts = figures(self.texts[number - 1])
        for index, text in enumerate(self.texts):
            if index == number - 1:
                text = offer_clause(text)  # "had rejected a ceasefire but offered a truce": no answer to the truce
            if first <= index < number + ANSWER_WINDOW and response_cue(text):
                return True  # "Dolmar turned the offer down", not "he had accepted the invitation"
            if not _ANSWER_WORDS.search(text):
                continue
            if amounts & figures(text) or (by in self.names and self.named_in(self.norms[index], [by])):
                return True
        return False

    def _answer_before(self, number: int, by: str) -> str | None:
        """An answer told before the offer, naming whose it is: "The board recommended a takeover offer
        from Aerovia. [...] Aerovia offered 14.50 euros a share." Not for a new offer, which no earlier
        answer can have answered."""
        if by not in self.names or _NEW_OFFER.search(self.texts[number - 1]):
            return None
        for index in range(max(0, number - 1 - ANSWER_REACH), number - 1):
            if not self._answered_by_other(index, by, self.texts[index]):
                continue
            # "recommended a takeover offer from Aerovia and rejected a bid from Boreal": the answer to this side's.
            for clause in _CLAUSES.split(self.texts[index]):
                answer = response_cue(clause)
                if answer and self._owner_in(sentence_norm(clause), [by]) == by:
                    return answer
        return None

    def _answer_after(self, number: int, by: str, kinds: dict[int, str]) -> str | None:
        for index in range(number, min(number + ANSWER_WINDOW, len(self.texts))):
            text = self.texts[index]
            if kinds.get(index + 1) == "agreement":
                return None  # "Both sides agreed to a news blackout": a deal of its own
            answer = response_cue(text)
            if answer is None:
                if kinds.get(index + 1) == "offer":
                    return None
                continue
            if self._answered_by_other(index, by, text):
                return answer
        # Later on, an answer that names the offer by its figure ("rejected the 4.5 percent offer on
        # Monday") or by whose it is ("the board accepted Aerovia's offer"), while that side has made no other.
        amounts = figures(self.texts[number - 1])
        if not amounts and by not in self.names:
            return None  # "Qatar and Egypt": a joint offer is named by neither alone
        for index in range(number + ANSWER_WINDOW, min(number + ANSWER_REACH, len(self.texts))):
            text = self.texts[index]
            if kinds.get(index + 1) == "offer" and self.owner(index + 1, [by]) == by and not amounts:
                return None  # a new offer of the same side: later answers are to that one
            answer = response_cue(text)
            if answer is None or not self._answered_by_other(index, by, text):
                continue
            if amounts & figures(text) if amounts else self.owner(index + 1, [by]) == by:
                return answer
        return None

    def _answered_by_other(self, index: int, by: str, text: str) -> bool:
        others = [side for side in self.named_in(self.norms[index], [*self.parties, *self.mediators]) if side != by]
        return bool(others) or together(text)

    def _group_meant(self, number: int) -> str | None:
        """The party "the group" means when an unnamed source reports what it did ("an official said the
        group had sought amendments"): the one party named in the nearest sentence before that names one."""
        everyone = [*self.parties, *self.mediators]
        if not _THE_GROUP.search(self.texts[number - 1]) or self.named_in(self.norms[number - 1], everyone):
            return None
        for norm in reversed(self.norms[max(0, number - 1 - SPEAKER_WINDOW) : number - 1]):
            if named := self.named_in(norm, everyone):
                return named[0] if len(named) == 1 and named[0] in self.parties else None
        return None

    def speakers(self, number: int, among: Sequence[str], *, by_subject: bool = True) -> list[str] | None:
        """The sides sentence ``number`` is said by: named as its subject ("Netflix reiterated"),
        else named in it, else in the nearest of the few before it that names one.

        None when the speaker there is someone else: a subject or speaker of its
        own who is not a side ("Analyst Mike Proulx said"), or a side not in ``among``.
        """
        everyone = [*self.parties, *self.mediators]
        if by_subject and (group := self._group_meant(number)):
            return [group] if group in among else None
        # Sentences that only go on quoting ("He added: ...", a bare quotation) do not use up the window.
        looked = 0
        for index in range(number - 1, max(-1, number - 1 - 2 * SPEAKER_WINDOW), -1):
            if looked == SPEAKER_WINDOW:
                break
            looked += 1
            speaker = speaker_of(self.texts[index]) if by_subject else None
            if by_subject and speaker is None and index == number - 1:
                # No subject says it, but a side presses just before the verb: "..., with the U.S. pressuring Tehran".
                pressing = self._clause_subject(number, wanting_at(self.texts[index]), everyone)
                if pressing:
                    return [pressing] if pressing in among else None
            if speaker is not None:
                words, kind, clause = speaker
                if kind != "pronoun" and someone_else(words):
                    return None  # "a Dolmari hydrologist", "Skyrail's pilots' union": no side, whatever they name
                found = self.named_in(sentence_norm(words), everyone) or self.named_in(sentence_norm(clause), everyone)
                body = first_body(words) if kind == "someone" else None
                if found and body and not self.named_in(sentence_norm(body), everyone):
                    # "The centre-right Liberal Alliance, the largest opposition party, said": a body of its
                    # own, though its description names a side's head word ("party").
                    return None
                if found:
                    return [side for side in found if side in among] or None
                if kind == "someone" or self.outsider(words, index):
                    # "Mike Proulx from research firm Forrester said the battle for Warner Bros...": not a side's
                    # word; nor "Hanna also pointed out..." after "said Michael Hanna, director at a think tank".
                    return None
                if kind == "pronoun":
                    if index < number - 1:
                        looked -= 1  # "He added: ...", on the way back: still the same speaker quoting
                    continue  # "He said": the speaker is named before
            elif by_subject and opens_with_quote(self.texts[index]):
                # A quotation going on, this one too ('"I'm not sure government is ready"'): the sides
                # it names are what is spoken of, not who speaks.
                if index < number - 1:
                    looked -= 1
                continue
            found = self.named_in(self.norms[index], everyone)
            if found:
                # Only a side that may make this statement counts; a mediator
                # speaking is not a party's position.
                return [side for side in found if side in among] or None
            if index == number - 1 and other_speaker(self.texts[index]):
                return None
            if index == number - 1 and not continues_speech(self.texts[index]):
                return []  # "At the heart of the row is a disagreement...": the writer's, not the last speaker's
        return []


# A subject of several parties: "Kestria and the smaller Dolmar want"; not "talks between A and B", "A's
# offer to B", a quotation or a clause before the subject.
_AND = re.compile(r"\band\b")
_NOT_SUBJECT = _RULES["not_subject"]
_THE_OFFER = _RULES["the_offer"]


def _earlier_offer(segment: Segment, proposals: Sequence[ExtractedProposal]) -> str | None:
    """Who made the offer a sentence refers back to ("The offer includes..."): the latest one before it, nearby."""
    if not _THE_OFFER.match(segment.text):
        return None
    before = [p for p in proposals if segment.number - OFFER_BACK <= p.sentence < segment.number]
    return before[-1].by if before else None


def _quoted_outsider(segment: Segment, known: _Sides) -> bool:
    """Whether a sentence quotes someone who is no side: named after the quotation ('"...," Patterson
    said'), or "she said" just after a sentence of theirs ("Rana Shah, chief economist at Northgate
    Bank, said...")."""
    speaker = speaker_of(segment.text)
    if speaker is None or not opens_with_quote(segment.text):
        return False
    text = segment.text
    if speaker[1] == "pronoun" and segment.number > 1:
        text = known.texts[segment.number - 2]
        speaker = speaker_of(text)
        if speaker is None or opens_with_quote(text):
            return False
    if speaker[1] != "someone":
        return False
    tail = re.split(r"[\"”’]", text)[-1] if opens_with_quote(text) else ""  # "said Ana Ruiz of Harbourline"
    return not known.named_in(sentence_norm(f"{speaker[0]} {tail}"), [*known.parties, *known.mediators])


def assign_speakers(questions: Questions, segments: Sequence[Segment], sides: Sides, *, limit: int = 4) -> Sides:
    """``sides`` with the people the article quotes added to the side each speaks for.

    "Von der Leyen said" is the EU's word only when the brief knows whom she
    speaks for: one multiple-choice question per quoted person step 1 left
    out (at most ``limit``, within the budget of ``questions``).
    """
    options = [*(p.name for p in sides.parties), *(m.name for m in sides.mediators)]
    speakers = named_speakers(segments, sides, limit=min(limit, questions.left)) if options else []
    people: dict[str, list[str]] = {}
    states = _states(sides, segments)
    known = _Sides.of(sides, segments)
    for speaker in speakers:
        segment = segments[speaker.sentence - 1]
        if side := _titled_side(speaker.name, known, options):
            # "U.S. President Donald Trump", "Oman's foreign minister Badr Al Busaidi": the title says whose.
            people.setdefault(side, []).append(speaker.name)
            continue
        if state := _minister_of(speaker.name, segment.text, states):
            # "Interior Minister Carlos Benet": a minister speaks for the one government at the table.
            people.setdefault(state, []).append(speaker.name)
            continue
        choices = [*options, OTHER]
        side = questions.ask("ask_speaker", segment, choices, person=speaker.name, options=choices, other=OTHER)
        if side and side != OTHER:
            people.setdefault(side, []).append(speaker.name)
    if not people:
        return sides

    def with_people(side: Any) -> Any:
        return side.model_copy(update={"representatives": [*side.representatives, *people.get(side.name, [])]})

    updated = sides.model_copy(
        update={
            "parties": [with_people(p) for p in sides.parties],
            "mediators": [with_people(m) for m in sides.mediators],
        }
    )
    return updated


_OFFICE = _RULES["office"]
_OFFICE_WORD = _RULES["office_word"]
# How many words before an office may say whose it is: "European Commission President".
_OFFICE_OWNER_WORDS = 3


def _titled_side(person: str, known: _Sides, among: Sequence[str]) -> str | None:
    """The side of ``among`` that a person's title names, where the article titles them: "U.S. President Donald Trump"."""
    for text in known.texts:
        at = text.find(person)
        if at < 0:
            continue
        words = text[:at].split()[-8:]
        start, office = len(words), False
        while start and (
            (is_office := bool(_OFFICE.fullmatch(word := words[start - 1].strip(",")))) or _OFFICE_WORD.fullmatch(word)
        ):
            office, start = office or is_office, start - 1
        if not office:
            continue
        named = known.named_in(sentence_norm(" ".join(words[max(0, start - _OFFICE_OWNER_WORDS) : start])), among)
        if named:
            return named[-1]
    return None


_MINISTER = _RULES["minister"]


def _states(sides: Sides, segments: Sequence[Segment]) -> list[str]:
    """The parties that are governments (:func:`~summariser.names.is_government`)."""
    article = sentence_norm(" ".join(s.text for s in segments))
    return [party.name for party in sides.parties if is_government(party.name, article, party.representatives)]


def _minister_of(person: str, sentence: str, states: Sequence[str]) -> str | None:
    """The government a person's title in ``sentence`` makes them speak for, when only one can be meant."""
    at = sentence.find(person)
    title = sentence[max(0, at - 60) : at] if at >= 0 else ""
    if not _MINISTER.search(title):
        return None
    title_norm = sentence_norm(title)
    named = [state for state in states if mentions(state, title_norm)]  # "Kestrian Foreign Minister"
    if len(named) == 1:
        return named[0]
    return states[0] if len(states) == 1 and not named else None


def _terms_after(segment: Segment, kind: str, on_the_table: int) -> str:
    """``terms`` when a sentence told just after an offer or deal goes on with what it holds."""
    if segment.number - on_the_table > TERMS_GAP:
        return kind
    if (
        (kind in ("none", "future") and more_terms(segment.text, future=kind == "future"))
        or opens_as_terms(segment.text)  # "It would also extend..., a change the union will not accept"
    ) and not commentator(segment.text):  # "Analysts said the agreement would add 800 dollars a car"
        return "terms"  # "The number of posts will also rise by 4,000 by 2028", told just after the offer
    if kind == "agreement" and terms_noun(segment.text) is None and under_the_deal(segment.text):
        return "terms"  # "Under the agreement, landlords will also carry out repairs": the deal told before
    return kind


def _rule_kinds(segments: Sequence[Segment], result: Statements) -> None:
    """Kinds by the rule cascade alone: each candidate sentence's one kind."""
    on_the_table = -TERMS_GAP - 1  # the latest sentence that put something on the table
    for segment in (segments[n - 1] for n in candidate_sentences(segments)):
        by_words, rule = kind_by_rule(segment.text)
        kind = _terms_after(segment, by_words, on_the_table)
        if kind in ("offer", "agreement", "terms"):
            on_the_table = segment.number
        if kind != "none":
            result.kinds[segment.number] = kind
            result.sources[segment.number] = f"rule:{rule}" if kind == by_words else "rule:terms_after"
    # A side's own words in the first person plural ("We did not come here to accept crumbs," the
    # island states' negotiator said) are its stance whatever their verbs: quoted by someone named.
    for segment in segments:
        if (
            segment.number not in result.kinds
            and len(segment.text.split()) >= 4
            and speaks_as_a_side(segment.text)
            and quoted_speaker_named(segments, segment.number)
        ):
            result.kinds[segment.number] = "demand"
            result.sources[segment.number] = "rule:first_person"


def _english_kinds(
    segments: Sequence[Segment], result: Statements, *, weights: KindWeights | None | Literal["rules"]
) -> None:
    """Each English sentence's kinds, from fitted weights (or, with none, the rules alone)."""
    fitted = None if weights == "rules" else (weights or load_weights())
    if fitted is None:
        _rule_kinds(segments, result)  # without computing the features nothing would weigh
        return
    decisions = decide_kinds(segments, fitted)
    on_the_table = -TERMS_GAP - 1
    for segment, decision in zip(segments, decisions, strict=True):
        if not decision.kinds or len(segment.text.split()) < 4:
            continue
        main, *more = decision.kinds
        if main == "offer":
            # "The deal also includes...", or an offer's terms told just after it: that offer's author and status.
            told_after = _terms_after(segment, "none", on_the_table) == "terms"
            main = "terms" if decision.rule_kind == "terms" or told_after else "offer"
        else:
            main = _terms_after(segment, main, on_the_table)
        if main in ("offer", "agreement", "terms"):
            on_the_table = segment.number
        result.kinds[segment.number] = main
        result.also[segment.number] = tuple(k for k in more if k != main)
        result.sources[segment.number] = decision.source


@dataclass
class _Reading:
    """One article's sentences being judged: its sides, what is found so far, the questions left."""

    questions: Questions
    segments: Sequence[Segment]
    known: _Sides
    result: Statements
    english: bool

    def ask(self, name: str, segment: Segment, choices: Sequence[str], **values: object) -> str | None:
        if not self.questions.left:
            self.result.set_aside("statements", segment.number, "not examined: question budget spent")
            return None
        return self.questions.ask(name, segment, choices, **values)

    def stating(self) -> list[Segment]:
        """The sentences that state something, in the article's order."""
        return [s for s in self.segments if s.number in self.result.kinds]

    def of_kind(self, kind: str) -> list[Segment]:
        return [s for s in self.stating() if kind in self.result.kinds_of(s.number)]

    def who(self, segment: Segment, among: list[str]) -> str | None:
        """The side that makes the statement; OTHER for someone else; None when no side is named nearby."""
        named = self.known.speakers(segment.number, among)
        if named is None:
            return OTHER
        # The side named first is the one speaking or acting in news English
        # ("Paramount, on the other hand, wants..."): right in 46 of 51 such
        # gold items, where the model chose right about 6 times in 10.
        return named[0] if named else None


def _status_of(r: _Reading, segment: Segment, by: str) -> tuple[str, str]:
    """An offer's status and what decided it: the sentence's own answer, the next sentences' or the
    lead's (rules), else the model, whose yes or no needs a word of an answer near the offer."""
    if cue := status_cue(offer_clause(segment.text)):
        return cue, "rule:status_cue"
    # "..., an idea the union rejected"; not "an idea the government welcomed", which one side's
    # yes does not settle while the other studies it
    if answer_beside(segment.text) == "rejected":
        return "rejected", "rule:answer_beside"
    if answer := r.known.answer(segment.number, by, r.result.kinds):
        return answer, "rule:answer_near"
    status = r.ask("ask_status", segment, _STATUSES)
    if status is None:
        return "unclear", "default"
    if r.english and status in ("accepted", "rejected", "agreed") and not r.known.says_answered(segment.number, by):
        # The model's "accepted" with no word of an answer near the offer: the article does not say so.
        return "proposed", "rule:no_answer_near"
    return status, "model"


def _positions(r: _Reading) -> None:
    """Each stance sentence's position, by the side that states it."""
    for segment in r.of_kind("demand"):
        if r.english and (both := r.known.contrasted(segment.number)):
            # "Ukraine wants to reclaim territories, while Russia does not want to withdraw": two positions.
            r.result.items.positions.extend(
                ExtractedPosition(
                    party=party, stance=statement_text(clause), sentence=segment.number, source="rule:contrast"
                )
                for party, clause in both
            )
            continue
        if r.english and (joint := r.known.joint_subject(segment.number)):
            # "The National Union of Teachers and the Schoolmasters' Association are demanding": one joint position.
            r.result.items.positions.append(
                ExtractedPosition(
                    party=" and ".join(joint),
                    stance=statement_text(segment.text),
                    sentence=segment.number,
                    source="rule:joint_subject",
                )
            )
            continue
        # A position needs its party named in the sentence or the two before (grounding checks
        # it too), so a sentence that names no side is not worth a question.
        if r.english and crowd_opens(segment.text):
            # "Families of the hostages gathered ... to urge both sides to reach a deal": no side's stance.
            r.result.set_aside("positions", segment.number, "stated by a crowd or commentators, no side")
            continue
        demanding = (
            r.known.demander(segment.number, r.known.parties) if r.english and not speaker_of(segment.text) else None
        )
        party = demanding or r.who(segment, r.known.parties)
        if party is None or party == OTHER:
            reason = "stated by none of the parties" if party == OTHER else "no party named in it or the two before"
            r.result.set_aside("positions", segment.number, reason)
            continue
        r.result.items.positions.append(
            ExtractedPosition(
                party=party,
                stance=statement_text(segment.text),
                sentence=segment.number,
                source=r.result.sources.get(segment.number),
            )
        )


def _offer(r: _Reading, segment: Segment) -> None:
    """An offer or proposal: whose it is and its status."""
    authors = [*r.known.parties, *r.known.mediators]
    # Whose offer it is beats who is named first: "X told shareholders to reject Y's bid".
    # The name rules read English ("Y's bid", "X offered"); in another language the model chooses.
    by = (
        r.known.owner(segment.number, authors)
        or _earlier_offer(segment, r.result.items.proposals)
        or r.known.offerer(segment.number, authors)
        if r.english
        else r.ask("ask_author", segment, [*authors, OTHER], options=[*authors, OTHER], other=OTHER)
    )
    if r.english and by is None and offering_at(segment.text) is None and not _THE_OFFER.match(segment.text):
        # "talks with Hamas on the latest proposal", "differences between the two offers": an
        # offer named in passing, by no one the sentence says put it forward.
        r.result.set_aside("proposals", segment.number, "names an offer but not who put it forward")
        return
    by = by or r.who(segment, authors)
    if by is None:
        choices = [*authors, OTHER]
        by = r.ask("ask_author", segment, choices, options=choices, other=OTHER)
    if by is None or by == OTHER:
        reason = "put forward by none of the sides" if by == OTHER else "no answer on who made it"
        r.result.set_aside("proposals", segment.number, reason)
        return
    status, status_source = _status_of(r, segment, by)
    r.result.items.proposals.append(
        ExtractedProposal(
            by=by,
            proposal=statement_text(segment.text),
            status=status,
            sentence=segment.number,
            source=r.result.sources.get(segment.number),
            status_source=status_source,
        )
    )


def _agreement(r: _Reading, segment: Segment) -> None:
    """An agreement: the sides that made it together."""
    named = r.known.speakers(segment.number, r.known.parties, by_subject=False) or []
    if r.english and opens_with_quote(segment.text) and not together(segment.text):
        # '"... every other distributor in the country has agreed to pay it."': no agreement of these sides
        # unless the quotation names them.
        named = r.known.named_in(r.known.norms[segment.number - 1], r.known.parties)
    clause = agreement_clause(segment.text)
    if r.english and clause != segment.text:
        # "X reached an agreement with Y, but bondholders rejected...": the sides of the agreeing clause.
        in_clause = r.known.named_in(sentence_norm(clause), r.known.parties)
        named = in_clause if len(in_clause) >= 2 else named
    if len(named) < 2 and not together(segment.text) and len(r.known.parties) > 1:
        # "He has struck deals with Japan and Korea": an agreement, but not between these sides.
        r.result.set_aside(
            "proposals", segment.number, "an agreement, but the sentence does not say these sides made it together"
        )
        return
    if together(segment.text) and not r.known.named_in(r.known.norms[segment.number - 1], r.known.parties):
        named = []  # "The three blocs did agree on a technical point": all of them, not the last two named
    by = " and ".join(named) if len(named) >= 2 else r.known.joint
    r.result.items.proposals.append(
        ExtractedProposal(
            by=by,
            proposal=statement_text(segment.text),
            status="agreed",
            sentence=segment.number,
            source=r.result.sources.get(segment.number),
            status_source="rule:agreement",
        )
    )


def _terms(r: _Reading, segment: Segment) -> None:
    """What the offer or deal reported last holds."""
    # "The deal also includes...": a term of the offer or deal reported last, with its author and status.
    if not r.result.items.proposals:
        r.result.set_aside("proposals", segment.number, "terms of no offer reported before")
        return
    # "The plan is believed to include...": the plan reported last, not the amendments one side sought since.
    noun, latest = terms_noun(segment.text), r.result.items.proposals[-1]
    for earlier in reversed(r.result.items.proposals if noun else []):
        if earlier.sentence < segment.number - ANSWER_REACH:
            break  # nearby only: an article of thousands of terms costs linear time
        if re.search(rf"\b{noun}", r.known.texts[earlier.sentence - 1], re.IGNORECASE):
            latest = earlier
            break
    status = answer_beside(segment.text) or latest.status  # "..., a change the union will not accept"
    r.result.items.proposals.append(
        latest.model_copy(
            update={
                "proposal": statement_text(segment.text),
                "sentence": segment.number,
                "status": status,
                "source": r.result.sources.get(segment.number),
                "status_source": "rule:answer_beside" if status != latest.status else latest.status_source,
            }
        )
    )


def _next_steps(r: _Reading) -> None:
    """Each step still to come in these talks."""
    for segment in r.of_kind("future"):
        actors = r.known.named_in(r.known.norms[segment.number - 1], [*r.known.parties, *r.known.mediators])
        if not actors and r.english and not talks_event(segment.text):
            # "Traders will watch...", "The president will be in Aberdeen on Tuesday": not a step in these talks.
            r.result.set_aside("next_steps", segment.number, "a future event outside the talks")
            continue
        if r.english and _quoted_outsider(segment, r.known):
            # '"...which we believe they will agree to this weekend," Patterson said': an analyst's forecast.
            r.result.set_aside("next_steps", segment.number, "foreseen in a quotation of someone who is no side")
            continue
        if r.english and commentator(segment.text):
            # "Residents of Mirel said they hoped the agreement would hold": a hope, not a step.
            r.result.set_aside("next_steps", segment.number, "foreseen by commentators or a crowd, no side")
            continue
        r.result.items.next_steps.append(
            ExtractedNextStep(
                action=statement_text(segment.text),
                who=actors[:3],
                when=when_phrase(segment.text),
                sentence=segment.number,
                source=r.result.sources.get(segment.number),
            )
        )


def find_statements(
    questions: Questions,
    segments: Sequence[Segment],
    sides: Sides,
    *,
    english: bool = True,
    weights: KindWeights | None | Literal["rules", "model"] = None,
) -> Statements:
    """Judge every candidate sentence; return the items it states.

    An English sentence's kinds are the rule cascade's (``weights="rules"``, or None when no weights
    ship), :func:`~summariser.kinds.decide_kinds`'s over fitted ``weights``, or the model's answer
    (``weights="model"``, as for every other language).
    Questions go through ``questions``: a sentence that needed one more than
    its budget allows is reported in ``dropped`` as not examined; its
    deadline raises when the article's time is up.
    """
    found = Statements(items=Items(positions=[], proposals=[], next_steps=[]))
    r = _Reading(questions, segments, _Sides.of(sides, segments), found, english)
    if english and weights != "model":
        _english_kinds(segments, r.result, weights=weights)
    else:
        # The model says what each sentence of four words or more states: in another language,
        # or when it decides (every sentence, not only those English cue words pick out).
        for segment in (segments[n - 1] for n in candidate_sentences(segments, english=False)):
            kind = r.ask("ask_kind", segment, KINDS)
            if kind and kind != "none":
                r.result.kinds[segment.number] = kind
                r.result.sources[segment.number] = "model"
    _positions(r)
    # In the article's order, so that "The new draft deal weakened..." finds the draft reported before it.
    judges = {"offer": _offer, "agreement": _agreement, "terms": _terms}
    for segment in r.stating():
        for kind in r.result.kinds_of(segment.number):
            if judge := judges.get(kind):
                judge(r, segment)
    _next_steps(r)
    items = r.result.items
    for section in (items.positions, items.proposals, items.next_steps):
        section.sort(key=lambda item: item.sentence)
    return r.result
