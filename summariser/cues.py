"""Statement cues: what words say about a sentence, before any model is asked.

Cheap, linear regular expressions: whether an article speaks of negotiation at
all (:func:`mentions_negotiation`, English only; other languages go to the
model), which sentences may hold an offer, a future step or any statement
worth asking about (:func:`candidate_sentences`), the article's own words for
when a step happens (:func:`when_phrase`), a statement's text without its
attribution (:func:`statement_text`), how a sentence answers an offer just
reported (:func:`response_cue`), who a sentence says is speaking
(:func:`speaker_of`, also after a quotation), whether a sentence goes on with
the last speaker's words (:func:`continues_speech`), where its verbs of
offering or pressing are (:func:`offering_at`, :func:`wanting_at`) and the
amounts that identify an offer (:func:`figures`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summariser.memo import KeptByLength
from summariser.rulebook import rulebook
from summariser.segment import Segment

_RULES = rulebook("en")  # the patterns' rows: summariser/rules/en/cues.toml

__all__ = [
    "OFFER",
    "TERMS_GAP",
    "CONTRAST",
    "FUTURE",
    "BOTH_AGREED",
    "mentions_negotiation",
    "negotiation_words",
    "looks_english",
    "offer_sentences",
    "future_sentences",
    "candidate_sentences",
    "when_phrase",
    "figures",
    "statement_kind",
    "kind_by_rule",
    "status_cue",
    "response_cue",
    "other_speaker",
    "offering_at",
    "commentator",
    "continues_speech",
    "opens_with_quote",
    "more_terms",
    "offer_clause",
    "terms_noun",
    "wanting_at",
    "speaker_of",
    "talks_event",
    "together",
    "statement_text",
    "agreement_clause",
    "answer_beside",
    "opens_as_terms",
    "crowd_opens",
]

OFFER = _RULES["offer"]
FUTURE = _RULES["future"]
BOTH_AGREED = _RULES["both_agreed"]
_STANCE = _RULES["stance"]
_THREAT = re.compile(_RULES.lexicon["threat"], re.IGNORECASE)
_IF_THREAT = _RULES["if_threat"]
_DEMAND = _RULES["demand"]
_COURTESY = _RULES["courtesy"]
_WANTS_FIRST = _RULES["wants_first"]
_JUDGES_OFFER = _RULES["judges_offer"]
_NAMES_OFFER = _RULES["names_offer"]
_OFFER_JUDGED = _RULES["offer_judged"]
_OWN_OFFER_JUDGED = _RULES["own_offer_judged"]
_REFUSES = _RULES["refuses"]
_CALLS_IT = _RULES["calls_it"]
_OPPOSES = _RULES["opposes"]
_TABLED_DEMAND = _RULES["tabled_demand"]
_WONT_MOVE = _RULES["wont_move"]
_OFFERING = _RULES["offering"]
_IT_ALSO = _RULES["it_also"]
_ANSWER_BESIDE = _RULES["answer_beside"]
# How many sentences after an offer, a deal or one of its terms more of its terms may be told.
TERMS_GAP = 5
_TERMS_MODAL = _RULES["terms_modal"]
_QUOTE_MARK = re.compile(r"[\"“”]")
_IF_FIRST = _RULES["if_first"]
_BUT_FIRST = _RULES["but_first"]
_STEP_WORDS = _RULES["step_words"]
_ALSO = _RULES["also"]
_AMOUNT = _RULES["amount"]
_DATE_NUMBER = _RULES["date_number"]
_OFFERS_IF = _RULES["offers_if"]
_QUOTED = _RULES["quoted"]
_DENIES = _RULES["denies"]
_THAN = _RULES["than"]
_DEAL_IS = _RULES["deal_is"]
_BUT = _RULES["but"]
_AND_THEN = _RULES["and_then"]
CONTRAST = _RULES["contrast"]
_BECAUSE = _RULES["because"]
_AFTER = _RULES["after"]
_TERMS = _RULES["terms"]
_TERMS_OF = _RULES["terms_of"]
_PHASE = _RULES["phase"]
_TERMS_SAY = _RULES["terms_say"]
_OFFER_WORDS = _RULES["offer_words"]
_AGREED = _RULES["agreed"]
_PAST_AGREEMENT = _RULES["past_agreement"]
# A hedge just before the word of agreeing: "have not yet agreed", "if they signed", "would be signed".
_HEDGE_REACH = 30
_HEDGED = _RULES["hedged"]
_AGREED_ON_A_THING = _RULES["agreed_on_a_thing"]
_NOT_AGREED = _RULES["not_agreed"]
_TOGETHER = _RULES["together"]
_WILL = _RULES["will"]
_DATE_ONLY = _RULES["date_only"]
_MAYBE = _RULES["maybe"]
_FUTURE_STATE = _RULES["future_state"]
_EVENT = _RULES["event"]
_LATER_EVENT = _RULES["later_event"]
_PROMISES = _RULES["promises"]
_REFUSAL = _RULES["refusal"]
_TALKS_EVENT = _RULES["talks_event"]
_REJECTED = _RULES["rejected"]
_ANSWER = _RULES["answer"]
_FIGURE = _RULES["figure"]
# A condition just before an answer: "if the nurses' union turned the offer down".
_IF_REACH = 50
_IF_BEFORE = _RULES["if_before"]
_REFUSING = _RULES["refusing"]
_PENDING = _RULES["pending"]
_ACCEPTED = _RULES["accepted"]
_REPORTING = _RULES["reporting"]
_PRONOUN = _RULES["pronoun"]
_SUBJECT_VERB = _RULES["subject_verb"]
_REPORTING_VERBS = frozenset(
    {"said", "says", "told", "tells", "added", "stated", "noted", "wrote", "pointed out", "explained", "acknowledged"}
)
_QUOTE_TAIL = _RULES["quote_tail"]
_SUBJECT_WORDS = 12
_THAT = _RULES["that"]
_OF_PHRASE = _RULES["of_phrase"]
_WHEN_SAID = re.compile(r"\s*(?:(?:on|in|at|last|this) [\w-]+\s*)?,?\s*")
_LEAD_INS = _RULES.patterns("speaker:lead-in")
_AUXILIARY = _RULES["auxiliary"]
_PRONOUN_SUBJECT = _RULES["pronoun_subject"]
_CROWD_OPENS = _RULES["crowd_opens"]
_SOMEONE = _RULES["someone"]
_SOME = _RULES["some"]
_COMMENTATORS = _RULES["commentators"]
# Words before the verb past which a subject that opens with a crowd ("Hundreds of families") is
# taken to be the crowd alone: what follows is where it went, not who it is.
_CROWD_WORDS = 6
_SIDE_BODIES = frozenset(
    {"administration", "government", "cabinet", "ministry", "delegation", "team", "negotiators", "officials", "side"}
)
_DETERMINERS = frozenset("the a an this that these those its their any no such another each every".split())
_NEGOTIATION = _RULES["negotiation"]
_ENGLISH = _RULES["english"]
_WORD = re.compile(r"[^\W\d_]+")

_WHEN = _RULES["when"]
_LEAD_ATTRIBUTION = _RULES["lead_attribution"]
_TAIL_ATTRIBUTION = _RULES["tail_attribution"]


def mentions_negotiation(text: str) -> bool:
    """Whether the article uses any word of negotiation at all (English words).

    A brief needs an article that speaks of talks, offers or deals; without
    one, the model is not asked (small models called weather news a
    negotiation when asked). Only meaningful for English text: see
    :func:`looks_english`.
    """
    return _NEGOTIATION.search(text) is not None


def negotiation_words(text: str) -> int:
    """How many words of negotiation (English) the text uses: a signal, never a verdict."""
    return len(_NEGOTIATION.findall(text))


def looks_english(text: str, *, sample: int = 20_000) -> bool:
    """Whether a text reads as English: common English words are a large share of its words."""
    return _kept_english(text[:sample])


def _english(head: str) -> bool:
    words = len(_WORD.findall(head))
    if words < 20:
        return True
    return len(_ENGLISH.findall(head)) / words >= 0.08


# The grounding checks ask again of the whole article on every step and attempt.
_kept_english = KeptByLength(_english, shorts=256)


def offer_sentences(segments: Sequence[Segment]) -> list[int]:
    """Sentences that mention an offer, demand, plan or agreement: where proposals can be."""
    return [s.number for s in segments if OFFER.search(s.text)]


def future_sentences(segments: Sequence[Segment]) -> list[int]:
    """Sentences that speak of what is still to happen: where next steps can be."""
    return [s.number for s in segments if FUTURE.search(s.text)]


def candidate_sentences(segments: Sequence[Segment], *, english: bool = True) -> list[int]:
    """Sentences worth asking about: they state, offer, agree or plan something.

    Short fragments are skipped; in a text that is not English every
    sentence of four words or more is a candidate.
    """
    found = []
    for s in segments:
        if len(s.text.split()) < 4:
            continue
        if not english or any(p.search(s.text) for p in (OFFER, FUTURE, _STANCE, _DEMAND, _DEAL_IS)):
            found.append(s.number)
    return found


def statement_kind(sentence: str) -> str:
    """What an English sentence reports, by its words: ``agreement``, ``future``, ``offer``,
    ``demand``, ``terms`` or ``none`` (the kind of :func:`kind_by_rule`).

    >>> statement_kind("Union members would then vote on any offer within a week.")
    'future'
    """
    return kind_by_rule(sentence)[0]


def kind_by_rule(sentence: str) -> tuple[str, str]:
    """What an English sentence reports, and the id of the rule row that decided it
    (``default`` when none did): the rule cascade.

    ``terms`` is what the deal or offer reported before holds ("The deal also
    includes..."): whose it is and its status are that deal's. A step still to
    come needs a future marker and a date or an event (not a forecast or a
    guess: "will be key", "there could be a deal next week"); an
    agreement a past "agreed/signed" not hedged by "not", "if" or "would";
    an offer the words of offering or proposing; a demand those of demanding,
    refusing or insisting. Reported speech alone ("said") is not a demand.

    >>> kind_by_rule("The union turned the offer down on Monday.")
    ('none', 'answer')
    """
    for rule in ("terms_of", "phase"):
        if _RULES[rule].match(sentence):
            return "terms", rule
    if _TERMS_SAY.search(sentence):
        return "terms", "terms_say"
    sentence = _THAN.sub("", sentence)  # "five years earlier than the bloc has proposed": a yardstick, no offer
    will = _WILL.search(sentence)
    if will and _REFUSAL.match(sentence, will.end()):
        return "demand", "refusal"
    for rule in ("promises", "if_threat"):
        if _RULES[rule].search(sentence):
            return "demand", rule
    future = will is not None and (
        when_phrase(sentence) is not None
        or _EVENT.search(sentence) is not None
        or _LATER_EVENT.search(sentence, will.start()) is not None
    )
    tabled = _TABLED_DEMAND.search(sentence)
    if tabled and (will is None or tabled.start() < will.start()):
        return "offer", "tabled_demand"  # "conveyed to the delegation a demand for a ceasefire": terms on the table
    if _OFFERS_IF.search(sentence):
        return (
            "offer",
            "offers_if",
        )  # "the group was prepared to hand over three bodies if an aid convoy could reach it"
    wants = _WANTS_FIRST.search(sentence)
    if future and will and wants and wants.start() < will.start():
        return "demand", "wants_first"
    offering = _offering(sentence)
    if future and will and offering and offering.start() < will.start():
        return "offer", "offering"  # "Northline has offered 5 percent, tied to rosters that would allow...": the offer
    if offering and _AFTER.search(sentence, 0, offering.start()):
        # "A strike due on Thursday may be called off after the authority made the union a new offer":
        # what may follow is a guess, the offer that prompts it is the news.
        return "offer", "after"
    terms = _TERMS.match(sentence)
    if terms:
        # "Under the deal, Teluric will raise wages": what the deal holds, not a step still to come.
        agreement = terms.group(1).casefold() in ("agreement", "deal", "accord", "settlement")
        return ("agreement" if agreement else "offer"), "terms"
    judged = _judged(sentence, future)
    if judged:
        return "demand", judged
    if (agreed := _agreed_now(sentence)) and not (
        _PAST_AGREEMENT.search(sentence) and len(_AGREED.findall(sentence)) == 1
    ):
        if offering and offering.start() < agreed.start() and not future:
            return "offer", "offering"  # "suggested that the issues be split, with pay settled now": a proposal
        # "agreed to meet next week" is a step; "reached a tentative agreement ..., and classes will resume on
        # Monday" and "agreed on Friday to a ceasefire that will take effect on Aug. 3" report the agreement.
        step = future and not _AGREED_ON_A_THING.match(sentence, agreed.start())
        return ("future", "will") if step else ("agreement", "agreed")
    if future:
        return _future_or_none(sentence)
    if offer_word := _unhedged(_OFFER_WORDS, sentence):
        return _about_an_offer(sentence, offer_word, wants)
    if _DEMAND.search(_COURTESY.sub(" ", sentence)):
        # "The Front's negotiator rejected that sequence": an answer to a proposal, not a stance of its own.
        return ("none", "answer") if response_cue(sentence) and not wants else ("demand", "demand")
    return _quoted_stance(sentence) or ("none", "default")


def _quoted_stance(sentence: str) -> tuple[str, str] | None:
    """A side's quoted denial or name for the deal: '"A truce that lets the rebels rearm is not a
    truce," the envoy said', '"Our deal is a fair one"'."""
    quoted = _QUOTED.match(sentence)
    for rule in ("denies", "deal_is") if quoted else ():
        if _RULES[rule].search(quoted.group(1)):  # type: ignore[union-attr]
            return "demand", rule
    return None


def _judged(sentence: str, future: bool) -> str | None:
    """The rule by which a sentence judges an offer on the table (a stance), or None."""
    if _JUDGES_OFFER.search(sentence):
        return "judges_offer"
    if _OFFER_JUDGED.match(sentence):
        return "offer_judged"
    if _QUOTE_MARK.search(sentence) and _OWN_OFFER_JUDGED.search(sentence):
        return "own_offer_judged"
    if not future and _NAMES_OFFER.search(sentence):
        return "names_offer"
    return None


def _future_or_none(sentence: str) -> tuple[str, str]:
    # "The outcome will be key to oil prices", "hospitals will have already had to cancel": no step;
    # nor "there could be a deal next week", where only the date is in the future.
    markers = [m.group(0) for m in _WILL.finditer(sentence)]
    dated_only = all(_DATE_ONLY.fullmatch(m) for m in markers)
    if _FUTURE_STATE.search(sentence):
        return "none", "future_state"
    if dated_only and _MAYBE.search(sentence):
        return "none", "maybe"
    # "astounded the BMA had not agreed to this, ... strikes next week": an answer, the date by the way.
    if dated_only and response_cue(sentence):
        return "none", "answer"
    return "future", "will"


def _about_an_offer(sentence: str, offer_word: re.Match[str], wants: re.Match[str] | None) -> tuple[str, str]:
    """A sentence that names an offer: the offer itself, or where a side stands on it."""
    if _THREAT.search(sentence):
        return "demand", "threat"  # "would retract the offer if the BMA rejected it": a threat, not an answer
    if response_cue(sentence) and not _offering(sentence):
        # "The union rejected the offer the same evening": the answer is that offer's status, not an
        # offer; "backed the draft, but insisted that..." still states what the side wants.
        if wants:
            return "demand", "wants_first"
        return ("demand", "because") if _BECAUSE.search(sentence) else ("none", "answer")
    # "they want richer nations to deliver first" names the deal, but what it states is a want;
    # "would not improve the offer", "it is a serious offer" state where a side stands on it.
    if _WONT_MOVE.search(sentence):
        return "demand", "wont_move"
    if _CALLS_IT.search(sentence):
        return "demand", "calls_it"
    opposes = _OPPOSES.search(sentence) or _REFUSES.search(sentence)
    if opposes and opposes.start() < offer_word.start():
        return "demand", "opposes"
    return ("demand", "wants_first") if wants and not _offering(sentence) else ("offer", "offer_words")


def _unhedged(
    pattern: re.Pattern[str], sentence: str, hedge: re.Pattern[str] = _IF_BEFORE, reach: int = _IF_REACH
) -> re.Match[str] | None:
    """The first match of ``pattern`` that no ``hedge`` just before it takes back: not "would engage if
    it came back with a proposal", "if the union turned the offer down", "had not agreed"."""
    for match in pattern.finditer(sentence):
        if not hedge.search(sentence, max(0, match.start() - reach), match.start()):
            return match
    return None


def _agreed_now(sentence: str) -> re.Match[str] | None:
    """The sentence's first word of agreeing that no "not", "if" or "would" hedges: "the two sides
    agreed to exchange data ... even before a treaty is signed" agrees, "had not agreed" does not."""
    return _unhedged(_AGREED, sentence, _HEDGED, _HEDGE_REACH)


def agreement_clause(sentence: str) -> str:
    """The part of a sentence that tells its agreement, up to a contrast after the agreeing word: "X
    reached an agreement with Y on Tuesday" of "..., but bondholders rejected the government's plan"."""
    agreed = _agreed_now(sentence)
    if agreed is None:
        return sentence
    contrast = CONTRAST.search(sentence, agreed.end())
    return sentence[: contrast.start()] if contrast else sentence


def _offering(sentence: str) -> re.Match[str] | None:
    """The sentence's first verb of offering that is not hypothetical."""
    return _unhedged(_OFFERING, sentence)


def other_speaker(sentence: str) -> bool:
    """Whether the sentence names its own speaker by a noun ("the chamber said"), not by a pronoun.

    Used when no side is named in it: then the speaker is someone else, and
    the sentence does not continue a side's quotation.
    """
    match = _REPORTING.search(sentence)
    if match is None:
        return False
    around = sentence[: match.start()] + " " + sentence[match.end() : match.end() + 12]
    return _PRONOUN.search(around) is None


def speaker_of(sentence: str) -> tuple[str, str, str] | None:
    """Who a sentence says is speaking, wanting or refusing, and what kind of speaker that is.

    Returns ``(words, kind, clause)``: the words before the sentence's first
    verb of saying, wanting or refusing ("Mike Proulx from research firm
    Forrester"); ``"pronoun"`` ("He said"), ``"someone"`` (a person, group or
    organisation named in two words or more, or "critics", "some in the
    industry") or ``"thing"`` ("The deal must..."); and, after a verb of
    saying, the subject of what was said ("A Palestinian official told the BBC
    that Hamas was demanding..." gives "Hamas"), else "". None when the
    sentence opens with a quotation or has no such verb after a short subject.
    """
    body = sentence.lstrip()
    for lead_in in _LEAD_INS:  # "On Friday, ...", "Asked about the offer, ...": the speaker comes after
        body = lead_in.sub("", body, count=1)
    if opens_with_quote(body):
        # '"We will not move," said Ana Ruiz.' / '"...," he said.': the speaker follows the quotation.
        tail = _QUOTE_TAIL.search(body)
        if tail is None:
            return None
        said_by = tail.group("after") or tail.group("before")
        words = _OF_PHRASE.split(said_by.split(",")[0], maxsplit=1)[0].strip(" ,")
        # Whose they are, as the words after their name say: "head of Pakistan's delegation".
        affiliation = said_by[said_by.find(words) + len(words) :]
        if _PRONOUN_SUBJECT.fullmatch(words):
            return words, "pronoun", ""
        if words.split()[-1].casefold() in _SIDE_BODIES or words.split()[0].casefold() in _DETERMINERS:
            return words, "thing", ""
        return words, "someone", affiliation
    verb = _SUBJECT_VERB.search(body)
    if verb is None:
        return None
    words = _AUXILIARY.sub("", body[: verb.start()]).strip(" ,")
    long = len(words.split()) > (_CROWD_WORDS if verb.group(1).casefold() not in _REPORTING_VERBS else _SUBJECT_WORDS)
    if long and (people := _SOMEONE.search(opening := " ".join(body.split()[:4]))):
        # "Hostages' relatives and thousands of their supporters attended a rally ... to call for",
        # "Hundreds of families marched in the Velmari capital ... to demand": the crowd, not the place
        return opening[: people.end()], "someone", ""
    if not words or len(words.split()) > _SUBJECT_WORDS or _QUOTE_MARK.search(words):
        return None
    if _PRONOUN_SUBJECT.fullmatch(words):
        return words, "pronoun", ""
    first, *rest = words.split()
    someone = bool(_SOMEONE.search(words)) or (
        bool(rest)
        and (any(w[:1].isupper() for w in rest) or first.casefold() not in _DETERMINERS)
        and any(w[:1].isupper() for w in words.split())
    )
    if not someone or words.split()[-1].casefold() in _SIDE_BODIES:
        # "The Trump administration", "the Kestrian delegation": a side's own people, named by whom they follow.
        return words, "thing", ""
    clause = ""
    if verb.group(1).casefold() in _REPORTING_VERBS:
        said = body[verb.end() :]
        start = _THAT.match(said) or _WHEN_SAID.match(said)
        said = said[start.end() :] if start else said
        inner = _SUBJECT_VERB.search(said, 0, 80)
        clause = said[: inner.start()] if inner else said[:60]
        # Its subject only: "the battle for control of Warner Bros" is not Warner Bros speaking.
        clause = _OF_PHRASE.split(clause, maxsplit=1)[0]
    return words, "someone", clause


_CONTINUES = _RULES["continues"]
# A speaker's own words, in any case but the "US" of a country's name; the plural ones speak for a group.
_WE_WORDS = r"[Ww]e|[Oo]ur|us"
_FIRST_PERSON = _RULES["first_person"]
_WE = _RULES["we"]


# People who comment on talks from outside, by their trade ("a trade economist at the Halden Institute").
_EXPERT_SPEAKER = _RULES["expert_speaker"]
_GROUP_OF_SIDE = _RULES["group_of_side"]


def someone_else(words: str) -> bool:
    """Whether a sentence's speaker (:func:`speaker_of`'s words) is an expert or a group of a side's
    people, and so no side, though their words name one."""
    return _EXPERT_SPEAKER.search(words) is not None or _GROUP_OF_SIDE.search(words) is not None


def commentator(sentence: str) -> bool:
    """Whether the sentence's speaker is a crowd or commentators, no one at the table ("Residents of
    Mirel said they hoped the agreement would hold", "Analysts said...")."""
    speaker = speaker_of(sentence)
    if speaker is None or speaker[1] != "someone":
        return False
    # "Some members said they would vote against the deal": a few people's own plans, no step of a side.
    return _COMMENTATORS.search(speaker[0]) is not None or (
        _SOME.match(speaker[0]) is not None and speaker[2].split()[:1] == ["they"]
    )


def crowd_opens(sentence: str) -> bool:
    """Whether a sentence opens with a crowd or commentators as its subject, whatever verb follows:
    "Families of the remaining hostages gathered outside the governor's office to urge both sides..."."""
    return _CROWD_OPENS.match(sentence) is not None


def continues_speech(sentence: str) -> bool:
    """Whether a sentence that names no side goes on with the last one's words: a quotation, a
    pronoun or a side's kind for its subject, or a speaker's "we" ("It also wants...", "The union
    wants...", '"We will not move."'), not the writer's own ("At the heart of the row is...")."""
    return (
        opens_with_quote(sentence)
        or _CONTINUES.search(sentence) is not None
        or _FIRST_PERSON.search(sentence) is not None
    )


_QUOTE_OPENS = _RULES["quote_opens"]


_QUOTATION = _RULES["quotation"]


def speaks_as_a_side(sentence: str) -> bool:
    """Whether a quotation in the sentence speaks for a group in the first person plural:
    "We did not come here to accept crumbs," ... ; "Without it, there is nothing for us to discuss."."""
    return any(_WE.search(m[1]) for m in _QUOTATION.finditer(sentence))


def opens_with_quote(sentence: str) -> bool:
    """Whether a sentence opens with a quotation ('"We will not move," she said.')."""
    return _QUOTE_OPENS.match(sentence) is not None


def offering_at(sentence: str) -> int | None:
    """Where a sentence's verb of offering or proposing begins ("ministers offered ..."), or None."""
    match = _offering(sentence) or _TABLED_DEMAND.search(sentence) or _OFFERS_IF.search(sentence)
    return match.start() if match else None


def wanting_at(sentence: str) -> int | None:
    """Where a sentence's first verb of demanding, refusing or pressing begins ("with the U.S. pressuring"), or None."""
    match = _DEMAND.search(sentence)
    return match.start() if match else None


def together(sentence: str) -> bool:
    """Whether a sentence says the sides acted together ("both sides", "the pair", "jointly")."""
    return _TOGETHER.search(sentence) is not None


def offer_clause(sentence: str) -> str:
    """The part of a sentence that tells its offer: from the last "but" before the verb of offering
    ("Kordavia had rejected an unconditional ceasefire but offered a truce" gives "offered a truce"),
    or the "and" just before it ("rejected that offer and came back with a price"), else the whole
    sentence; what was rejected before is another side's offer."""
    at = offering_at(sentence)
    if at is None:
        return sentence
    buts = [m for m in _BUT.finditer(sentence, 0, at)] + [
        m for m in _AND_THEN.finditer(sentence, 0, at) if m.end() == at
    ]
    return sentence[max(m.end() for m in buts) :] if buts else sentence


def under_the_deal(sentence: str) -> bool:
    """Whether a sentence opens with what the deal just reported holds: "Under the agreement, ..."."""
    return _TERMS.match(sentence) is not None


def terms_noun(sentence: str) -> str | None:
    """What a sentence of terms calls the offer or deal it tells of ("The plan is believed to include..."
    gives "plan"), or None when it does not open that way."""
    match = _TERMS_OF.match(sentence)
    return match.group("noun").casefold() if match else None


def more_terms(sentence: str, *, future: bool) -> bool:
    """Whether a sentence told just after an offer or deal reads as more of what it holds.

    "The number of posts will also rise by 4,000 by 2028", "He said the bloc
    would open its markets with zero per cent tariffs", "It would also see aid
    convoys enter within 48 hours": narrated (no quotation), in the future of
    what a side will do or get, with "also" or an amount; not a step in the
    talks ("would then vote"), a condition ("If members back it, ..."), what it
    leaves out ("But the steel tariff would stay") or a judgement ("the deal
    will bring stability"). A sentence already read as a
    step must say "also".

    >>> more_terms("The bloc would also buy 40 billion dollars of gas over three years.", future=False)
    True
    >>> more_terms("Members would vote on it within a week.", future=True)
    False
    >>> more_terms("But a 50 percent tariff on steel would stay in place.", future=False)
    False
    """
    if not _TERMS_MODAL.search(sentence) or _QUOTE_MARK.search(sentence):
        return False
    if _IF_FIRST.match(sentence) or _BUT_FIRST.match(sentence):
        return False
    if _STEP_WORDS.search(sentence) or _FUTURE_STATE.search(sentence) or _PROMISES.search(sentence):
        return False
    also = _ALSO.search(sentence) is not None
    return also if future else also or _AMOUNT.search(_DATE_NUMBER.sub(" ", sentence)) is not None


def opens_as_terms(sentence: str) -> bool:
    """Whether a sentence opens as more of the offer told just before: "It would also extend...",
    however it goes on ("..., a change the union has said it will not accept")."""
    return _IT_ALSO.match(sentence) is not None


def answer_beside(sentence: str) -> str | None:
    """A side's answer told beside an offer or term, in apposition: ``rejected`` for "..., a change the
    union has said it will not accept", ``accepted`` for "..., a mechanism the army had accepted on
    Saturday"; else None."""
    match = _ANSWER_BESIDE.search(sentence)
    if match is None:
        return None
    return "accepted" if match["yes"] else "rejected"


def talks_event(sentence: str) -> bool:
    """Whether a sentence speaks of a step in the talks: a round, meeting, vote, deadline, draft, answer."""
    return _TALKS_EVENT.search(sentence) is not None


def status_cue(sentence: str) -> str | None:
    """A proposal's status when the sentence says it outright ("rejected", "accepted"), else None.

    Not a rejection only foreseen: "would introduce legislation if the union turned the offer down"."""
    if _unhedged(_REJECTED, sentence):
        return "rejected"
    but = _BUT.search(sentence)
    if but and response_cue(sentence[but.end() :]) == "rejected":
        return "rejected"  # "she had offered to extend the mandate, but the union had not agreed to this"
    # Accepting must point at an offer: "he had accepted the invitation" says nothing of the plan.
    if _ACCEPTED.search(sentence) and not _NOT_AGREED.search(sentence) and response_cue(sentence) == "accepted":
        return "accepted"
    return None


def response_cue(sentence: str) -> str | None:
    """How a sentence answers an offer reported just before it: ``rejected``, ``accepted`` or None.

    The answer must point back at an offer ("rejected the offer", "accepted it",
    "Arland accepted;"): "he accepted the invitation" answers something else.
    """
    match = _ANSWER.search(sentence)
    if match is None or _IF_BEFORE.search(sentence, max(0, match.start() - _IF_REACH), match.start()):
        return None  # "if the union turned the offer down": no answer yet
    if _REJECTED.search(match.group(0)) or _REFUSING.search(sentence, max(0, match.start() - 24), match.start()):
        return "rejected"  # "Dolmar rejected the offer", "the BMA had not agreed to this"
    if _NOT_AGREED.search(sentence) or _PENDING.search(sentence):
        return None
    return "accepted"


def figures(sentence: str) -> set[str]:
    """The amounts a sentence names ("4.5 percent", "$108.4bn", "14.50 euros"), as bare numbers: what identifies an offer."""
    return {(m.group("cur") or m.group("num")).replace(",", "") for m in _FIGURE.finditer(sentence)}


def when_phrase(sentence: str) -> str | None:
    """The sentence's own words for when something happens, or None.

    >>> when_phrase("Union members would then vote on any offer within a week.")
    'within a week'
    """
    match = _WHEN.search(sentence)
    return match.group(0).strip() if match else None


_DATELINE = _RULES["dateline"]


def statement_text(sentence: str, *, limit: int = 240) -> str:
    """The sentence as a statement: attribution ("X said") and outer quotes removed, at most ``limit`` characters.

    >>> statement_text('Union president Tomás Reyes said members "will stay out as long as it takes".')
    'Members "will stay out as long as it takes"'
    """
    text = _DATELINE.sub("", " ".join(sentence.split()))
    trimmed = _TAIL_ATTRIBUTION.sub("", text).strip()
    if len(trimmed.split()) >= 4:
        text = trimmed
    trimmed = _LEAD_ATTRIBUTION.sub("", text).strip()
    if len(trimmed.split()) >= 4:
        text = trimmed
    text = text.strip(" \"“”'‘’").rstrip(" ,;:.")
    if len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + "…"
    return text[:1].upper() + text[1:] if text else text
