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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from summariser.answers import ANSWER_REACH, answer, says_answered
from summariser.ask import Questions
from summariser.attribution import (
    ArticleSides,
    contrasted,
    demander,
    joint_subject,
    offer_owner,
    offerer,
    speakers,
)
from summariser.cues import (
    TERMS_GAP,
    agreement_clause,
    answer_beside,
    candidate_sentences,
    commentator,
    crowd_opens,
    kind_by_rule,
    more_terms,
    offer_clause,
    offering_at,
    opens_as_terms,
    opens_with_quote,
    speaker_of,
    speaks_as_a_side,
    statement_text,
    status_cue,
    talks_event,
    terms_noun,
    together,
    under_the_deal,
    when_phrase,
)
from summariser.kinds import KindWeights, decide_kinds, load_weights, quoted_speaker_named
from summariser.named_sides import named_speakers
from summariser.names import (
    is_government,
    mentions,
    sentence_norm,
)
from summariser.rulebook import rulebook
from summariser.schemas import DroppedItem, ExtractedNextStep, ExtractedPosition, ExtractedProposal, Items, Sides
from summariser.segment import Segment

_RULES = rulebook("en")  # summariser/rules/en/statements.toml

__all__ = ["KINDS", "OTHER", "Statements", "assign_speakers", "find_statements"]

KINDS = ("demand", "offer", "agreement", "future", "none")
OTHER = "someone else"
# How far back "The offer includes..." may refer to an offer already reported.
OFFER_BACK = 5
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


_THE_OFFER = _RULES["the_offer"]


def _earlier_offer(segment: Segment, proposals: Sequence[ExtractedProposal]) -> str | None:
    """Who made the offer a sentence refers back to ("The offer includes..."): the latest one before it, nearby."""
    if not _THE_OFFER.match(segment.text):
        return None
    before = [p for p in proposals if segment.number - OFFER_BACK <= p.sentence < segment.number]
    return before[-1].by if before else None


def _quoted_outsider(segment: Segment, known: ArticleSides) -> bool:
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
    known = ArticleSides.of(sides, segments)
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


def _titled_side(person: str, known: ArticleSides, among: Sequence[str]) -> str | None:
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
    known: ArticleSides
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
        named = speakers(self.known, segment.number, among)
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
    if answered := answer(r.known, segment.number, by, r.result.kinds):
        return answered, "rule:answer_near"
    status = r.ask("ask_status", segment, _STATUSES)
    if status is None:
        return "unclear", "default"
    if r.english and status in ("accepted", "rejected", "agreed") and not says_answered(r.known, segment.number, by):
        # The model's "accepted" with no word of an answer near the offer: the article does not say so.
        return "proposed", "rule:no_answer_near"
    return status, "model"


def _positions(r: _Reading) -> None:
    """Each stance sentence's position, by the side that states it."""
    for segment in r.of_kind("demand"):
        if r.english and (both := contrasted(r.known, segment.number)):
            # "Ukraine wants to reclaim territories, while Russia does not want to withdraw": two positions.
            r.result.items.positions.extend(
                ExtractedPosition(
                    party=party,
                    stance=statement_text(clause),
                    sentence=segment.number,
                    source="rule:contrast",
                    actor_source="rule:contrast",
                )
                for party, clause in both
            )
            continue
        if r.english and (joint := joint_subject(r.known, segment.number)):
            # "The National Union of Teachers and the Schoolmasters' Association are demanding": one joint position.
            r.result.items.positions.append(
                ExtractedPosition(
                    party=" and ".join(joint),
                    stance=statement_text(segment.text),
                    sentence=segment.number,
                    source="rule:joint_subject",
                    actor_source="rule:joint_subject",
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
            demander(r.known, segment.number, r.known.parties) if r.english and not speaker_of(segment.text) else None
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
                actor_source="rule:demander" if demanding else "rule:speaker",
            )
        )


def _offer(r: _Reading, segment: Segment) -> None:
    """An offer or proposal: whose it is and its status."""
    authors = [*r.known.parties, *r.known.mediators]
    by, by_source = _author(r, segment, authors)
    if r.english and by is None and offering_at(segment.text) is None and not _THE_OFFER.match(segment.text):
        # "talks with Hamas on the latest proposal", "differences between the two offers": an
        # offer named in passing, by no one the sentence says put it forward.
        r.result.set_aside("proposals", segment.number, "names an offer but not who put it forward")
        return
    if by is None:
        by, by_source = r.who(segment, authors), "rule:speaker"
    if by is None:
        choices = [*authors, OTHER]
        by, by_source = r.ask("ask_author", segment, choices, options=choices, other=OTHER), "model"
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
            actor_source=by_source,
        )
    )


def _author(r: _Reading, segment: Segment, authors: list[str]) -> tuple[str | None, str]:
    """Who put an offer forward, by the sentence's own words, and which rule said so. Whose offer it
    is beats who is named first: "X told shareholders to reject Y's bid". The name rules read
    English ("Y's bid", "X offered"); in another language the model chooses."""
    if not r.english:
        return r.ask("ask_author", segment, [*authors, OTHER], options=[*authors, OTHER], other=OTHER), "model"
    if owner := offer_owner(r.known, segment.number, authors):
        return owner, "rule:offer_owner"
    if earlier := _earlier_offer(segment, r.result.items.proposals):
        return earlier, "rule:earlier_offer"
    return offerer(r.known, segment.number, authors), "rule:offerer"


def _agreement(r: _Reading, segment: Segment) -> None:
    """An agreement: the sides that made it together."""
    named = speakers(r.known, segment.number, r.known.parties, by_subject=False) or []
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
            actor_source="rule:agreement_sides" if len(named) >= 2 else "rule:together",
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
    r = _Reading(questions, segments, ArticleSides.of(sides, segments), found, english)
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
