"""Validate stage: the model's ``Extraction`` + the numbered article -> grounded sections.

Hard problems (a citation out of range, an empty item, a party reference that
resolves to no listed party, a party that is not named in the article, a side
listed as both party and mediator) are returned by the checker that instructor
runs, so they go back to the model as a re-ask. Whatever still fails at the
end is dropped here and reported in ``meta.dropped``, never shown as fact.

Citations are repaired before they are checked: small models often cite a
sentence one to three away from the one that states the item, so each item
moves to the nearby sentence whose words best match its own text. An item
whose text shares too little with every nearby sentence is dropped as
unsupported. Evidence ``text`` is always copied from the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from summariser.cues import (
    BOTH_AGREED,
    FUTURE,
    OFFER,
    TERMS_GAP,
    continues_speech,
    future_sentences,
    looks_english,
    mentions_negotiation,
    more_terms,
    offer_sentences,
    offering_at,
)
from summariser.names import (
    capital_of,
    flat_text,
    mentions,
    name_heads,
    normalise_name,
    sentence_norm,
    split_joint,
    stems,
)
from summariser.schemas import (
    DroppedItem,
    Evidence,
    ExtractedMediator,
    ExtractedParty,
    Extraction,
    Flag,
    Items,
    Mediator,
    NextStep,
    Party,
    Position,
    Proposal,
    Sides,
)
from summariser.segment import Segment, segment_text

__all__ = [
    "Grounded",
    "ground_extraction",
    "ground_sides",
    "merge_steps",
    "sides_checker",
    "items_checker",
    "joint_name",
    "offer_sentences",
    "mentions_negotiation",
    "future_sentences",
    "normalise_name",
    "SUPPORT_THRESHOLD",
    "REPAIR_WINDOW",
    "summary_problems",
    "unsupported_terms",
]

SUPPORT_THRESHOLD = 0.3
REPAIR_WINDOW = 3
_LOCATIVE = re.compile(
    r"\b(in|at|near|to|from|outside|inside)( the (\w+ )?(town|city|capital|resort|port|village) of)?\s*$|"
    r"\b(town|city|capital|village|resort) of\s*$"
)
# "mediators from Qatar": people from a place, not a place where talks are held.
_PEOPLE_FROM = re.compile(r"\b(mediators?|envoys?|officials?|negotiators?|diplomats?|delegat\w*)\s+(from|of)\s*$")
_JOINT = re.compile(r"^(both( sides| parties)?|all( sides| parties)?|the (two )?(sides|parties))$")


def _support(item_text: str, sentence: str) -> float:
    item = stems(item_text)
    if not item:
        return 0.0
    shared = len(item & stems(sentence))
    # One shared word is chance, not support.
    return shared / len(item) if shared >= min(2, len(item)) else 0.0


_WORD = re.compile(r"\w[\w'’-]*")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A run of capitalised words that is not the text's first word: a name, as an item's text writes it.
_NAME_RUN = re.compile(r"(?<=[\w,;)'’\"”] )[A-Z][\w'’.-]*(?: (?:of |de |al-)?[A-Z][\w'’.-]*)*")
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}


def unsupported_terms(text: str, evidence: str, side_words: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The numbers and names in an item's ``text`` that its ``evidence`` does not hold.

    A number counts when its evidence writes it in figures, whatever the separators ("7.6"
    for "7,6"), or in words ("2" for "two"); a name when one of its words (or the start of
    one: "Feb" for "February") is in the evidence or in a side's names ("President Ruto" for
    "Ruto"), or it is an acronym of the evidence's words ("LNG" for "liquefied natural gas").

    >>> unsupported_terms("Offer of 5 percent from Brevia", "Morvia offered four per cent.", {"morvia"})
    ['5', 'Brevia']
    """
    words = set(_words(evidence))
    words |= {a.replace(".", "").casefold() for a in _DOTTED.findall(evidence)}  # "U.N." is "UN"
    figures = {_figure(n) for n in _NUMBER.findall(evidence)}
    figures |= {str(_NUMBER_WORDS[w]) for w in words if w in _NUMBER_WORDS}
    missing = [n for n in _NUMBER.findall(text) if _figure(n) not in figures]
    initials = "".join(part[0] for part in re.split(r"[\s-]+", flat_text(evidence)) if part and part[0].isalnum())
    known = words | side_words
    known |= {part for word in known if "-" in word for part in word.split("-")}  # "G-40" holds "40"

    def said(word: str) -> bool:
        return word in known or (len(word) >= 3 and any(k.startswith(word) for k in known))

    for run in _NAME_RUN.findall(text):
        run_words = [w for w in _words(run.replace("-", " ")) if len(w) > 1]
        # "LNG" for "liquefied natural gas", "UN" for "United Nations".
        acronym = run.isupper() and 2 <= len(run) <= 6 and run.casefold() in initials
        if run_words and not acronym and not any(said(w) for w in run_words):
            missing.append(run)
    return list(dict.fromkeys(missing))


def _figure(number: str) -> str:
    return number.replace(",", "").replace(".", "")


_DECIDED_BY = ("source", "status_source", "actor_source", "confidence", "actor_confidence", "status_confidence")


def _item_data(item: Any) -> dict[str, Any]:
    """An item as meta.dropped and meta.flags show it: what decided it only when something did."""
    data = item.model_dump() if hasattr(item, "model_dump") else dict(item)
    return {k: v for k, v in data.items() if not (k in _DECIDED_BY and v is None)}


def _words(text: str) -> list[str]:
    # "the Union's demand" names the Union.
    return [re.sub(r"['’]s$", "", w) for w in _WORD.findall(flat_text(text))]


@dataclass
class _Side:
    name: str
    names: list[str]
    kind: str  # "party" or "mediator"


# The longest name of a side, alias or person that grounding considers.
MAX_NAME_CHARS = 120


@dataclass
class Grounded:
    """Sections of a brief built from an extraction, and what was dropped."""

    is_negotiation: bool
    summary: str
    parties: list[Party] = field(default_factory=list)
    mediators: list[Mediator] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    dropped: list[DroppedItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


class _Grounding:
    """One grounding pass over an article: its sentences, the sides kept so far and what is found."""

    def __init__(self, segments: Sequence[Segment], *, veto: bool = True) -> None:
        self.segments = list(segments)
        # Whether the rules decide (drop what they are sure is wrong) or only flag the model's answer.
        self.veto = veto
        self.norms = [sentence_norm(s.text) for s in self.segments]
        self.sides: list[_Side] = []
        self.result = Grounded(is_negotiation=False, summary="")
        # The word checks below know English only: in another language the model's kinds stand.
        self.english = looks_english(" ".join(s.text for s in self.segments))

    @property
    def name_stems(self) -> set[str]:
        return {stem for side in self.sides for name in side.names for stem in stems(name)}

    def drop(self, section: str, item: Any, reason: str, *, hard: bool = False) -> None:
        data = _item_data(item)
        self.result.dropped.append(DroppedItem(section=section, item=data, reason=reason))
        if hard:
            self.result.problems.append(f"{section} {_label(data)}: {reason}")

    def rule_disagrees(self, section: str, item: Any, rule: str) -> bool:
        """A rule's objection to an item: dropped when the rules decide (True), flagged when the model does."""
        if self.veto:
            self.drop(section, item, rule)
            return True
        data = _item_data(item)
        self.result.flags.append(Flag(section=section, item=data, rule=rule))
        return False

    def evidence(self, number: int) -> Evidence:
        segment = self.segments[number - 1]
        return Evidence(sentence=number, text=segment.text, start=segment.start, end=segment.end)

    def mentioning(self, names: Sequence[str], limit: int = 2) -> list[int]:
        found = [i + 1 for i, norm in enumerate(self.norms) if any(mentions(n, norm) for n in names if n)]
        return found[:limit]

    @property
    def side_words(self) -> set[str]:
        return {word for side in self.sides for name in side.names for word in _words(name)}


def _resolve(sides: Sequence[_Side], ref: str, kinds: tuple[str, ...]) -> str | None:
    """The side of one of ``kinds`` that ``ref`` names: by a name of its own, else a close spelling."""
    key = normalise_name(ref)
    if not key:
        return None
    for side in sides:
        if side.kind in kinds and any(normalise_name(n) == key for n in side.names):
            return side.name
    best, best_score = None, 0.0
    for side in sides:
        if side.kind not in kinds:
            continue
        for n in side.names:
            score = fuzz.ratio(key, normalise_name(n))
            if score > best_score:
                best, best_score = side.name, score
    return best if best_score >= 88 else None


def _resolve_each(sides: Sequence[_Side], ref: str, kinds: tuple[str, ...]) -> list[str] | None:
    """The listed sides a joint reference ("A and B") names, each resolved, or None."""
    pieces = split_joint(ref, [n for side in sides if side.kind in kinds for n in side.names])
    resolved = [_resolve(sides, p, kinds) for p in pieces]
    if len(pieces) < 2 or not all(resolved):
        return None
    return list(dict.fromkeys(r for r in resolved if r))


def _resolve_by(sides: Sequence[_Side], ref: str) -> str | None:
    """The side (or sides, joined) an item's author names: "both sides", a side, or "A and B"."""
    if _JOINT.match(normalise_name(ref)):
        names = [s.name for s in sides if s.kind == "party"]
        return " and ".join(names) if len(names) >= 2 else None
    direct = _resolve(sides, ref, ("party", "mediator"))
    if direct:
        return direct
    each = _resolve_each(sides, ref, ("party", "mediator"))
    return " and ".join(each) if each else None


def _named_near(g: _Grounding, side_name: str, number: int) -> bool:
    """Whether a side is named in sentence ``number`` or the few before it."""
    # Reported speech names its speaker in the sentence or just before it,
    # often by the head of its name: "the union", "the Front", "the Council".
    side = next(s for s in g.sides if s.name == side_name)
    start = max(0, number - 3)
    # A speaker who goes on quoting ("He added: ...", a bare quotation) was named further back.
    while start > max(0, number - 6) and continues_speech(g.segments[start].text):
        start -= 1
    window = g.norms[start:number]
    heads = {head for n in side.names for head in name_heads(n)}
    # "Among Tehran's priorities...": a capital names its government, as statements reads it.
    capitals = {c for n in side.names if (c := capital_of(n))} if side.kind == "party" else set()
    names = [*side.names, *heads, *capitals]
    return any(mentions(name, norm) for name in names for norm in window)


def _venue_only(segments: Sequence[Segment], name: str) -> bool:
    """Whether the article names ``name`` only as where talks are held."""
    # "talks in Geneva", "held in the town of Lusk": a place named only as
    # the venue hosts nothing. "Qatar, which funded the talks" is not.
    places = 0
    pattern = re.compile(rf"\b{re.escape(name.strip())}\b", re.IGNORECASE)
    for segment in segments:
        text = segment.text
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            # A dateline: "BREMEN, 3. März (Wire) -", "LUSK, Aug 30 (Wire) -".
            dateline = match.start() == 0 and match.group(0).isupper() and text[match.end() : match.end() + 1] == ","
            if not (dateline or _LOCATIVE.search(before)) or _PEOPLE_FROM.search(before):
                return False
            places += 1
    return places > 0


def _cite(g: _Grounding, section: str, item: Any, text: str, sentence: int) -> list[int] | None:
    """The sentences an item's evidence is, its own first: the one it states it in, and up to
    two around it when its text names or numbers what only they say (when the model decides,
    up to three anywhere, flagged). None: dropped."""
    count = len(g.segments)
    if not text.strip():
        g.drop(section, item, "empty text", hard=True)
        return None
    if not 1 <= sentence <= count:
        g.drop(section, item, f"cites sentence {sentence}, outside 1..{count}", hard=True)
        return None
    if len(stems(text) - g.name_stems) < 2 and g.rule_disagrees(
        section, item, "text too vague: fewer than two words beyond the sides' names"
    ):
        return None
    chosen = _repair(g, section, item, text, sentence)
    if chosen is None:
        return None
    unsupported = unsupported_terms(text, g.segments[chosen - 1].text, g.side_words)
    if not unsupported:
        return [chosen]
    # An item told over two or three sentences: the fewest around its own that hold its terms.
    for width in (2, 3):
        for first in range(chosen - width + 1, chosen + 1):
            span = [n for n in range(first, first + width) if 1 <= n <= count]
            joined = " ".join(g.segments[n - 1].text for n in span)
            if len(span) == width and not unsupported_terms(text, joined, g.side_words):
                return [chosen, *(n for n in span if n != chosen)]
    found = None if g.veto else _sentences_holding(g, text, chosen)
    if found is None:
        g.drop(section, item, f"names {', '.join(unsupported)}, which sentence {chosen} does not")
        return None
    g.rule_disagrees(section, item, f"names {', '.join(unsupported)}, which only sentences {found} say")
    return [chosen, *found]


def _sentences_holding(g: _Grounding, text: str, chosen: int, most: int = 3) -> list[int] | None:
    """The nearest other sentences (at most ``most``) that hold what an item's text names and
    sentence ``chosen`` does not, or None when the article does not hold it all."""
    evidence, extra = g.segments[chosen - 1].text, list[int]()
    missing = unsupported_terms(text, evidence, g.side_words)
    for n in sorted(range(1, len(g.segments) + 1), key=lambda n: abs(n - chosen)):
        if not missing or len(extra) == most:
            break
        joined = f"{evidence} {g.segments[n - 1].text}"
        fewer = unsupported_terms(text, joined, g.side_words)
        if n != chosen and len(fewer) < len(missing):
            evidence, missing = joined, fewer
            extra.append(n)
    return None if missing else sorted(extra)


def _repair(g: _Grounding, section: str, item: Any, text: str, sentence: int) -> int | None:
    """The sentence an item cites, moved to the nearby one its words match best when the rules
    decide (small models cite one to three away); the model's own citation when it decides."""
    count = len(g.segments)
    window = range(max(1, sentence - REPAIR_WINDOW), min(count, sentence + REPAIR_WINDOW) + 1)
    cited_score = _support(text, g.segments[sentence - 1].text)
    best = max(window, key=lambda n: (_support(text, g.segments[n - 1].text), -abs(n - sentence)))
    best_score = _support(text, g.segments[best - 1].text)
    if not g.veto:
        if cited_score < SUPPORT_THRESHOLD:
            g.rule_disagrees(section, item, f"its text shares few words with sentence {sentence}")
        return sentence
    if max(best_score, cited_score) < SUPPORT_THRESHOLD:
        g.drop(section, item, f"text not supported by sentence {sentence} or its neighbours")
        return None
    return best if best_score > cited_score else sentence


# -- sections --------------------------------------------------------
def _sides_from(g: _Grounding, extraction: Extraction) -> None:
    seen: dict[str, str] = {}
    # A party's negotiators listed under a venue too ("Geneva": Rubio, Witkoff) speak for the party.
    party_people = {normalise_name(r) for p in extraction.parties for r in p.representatives}
    for kind, items in (("mediator", extraction.mediators), ("party", extraction.parties)):
        for item in items:
            section = "mediators" if kind == "mediator" else "parties"
            names = [item.name, *getattr(item, "aliases", [])]
            key = normalise_name(item.name[: MAX_NAME_CHARS + 1])
            if not key:
                g.drop(section, item, "empty name", hard=True)
                continue
            if any(len(n) > MAX_NAME_CHARS for n in [*names, *item.representatives]):
                # A name is a few words: a paragraph (or a megabyte) given as one is not.
                g.drop(section, {"name": item.name[:80] + "…"}, f"a name over {MAX_NAME_CHARS} characters", hard=True)
                continue
            if key in seen:
                if seen[key] != kind:
                    # Measured: re-asking a small model repeats the conflict, and
                    # the usual error is a host listed as a party, so the mediator
                    # entry (read first) wins and the party entry is dropped.
                    g.drop(section, item, f"'{item.name}' is listed as both a party and a mediator")
                else:
                    g.drop(section, item, "duplicate")
                continue
            evidence = g.mentioning(names + list(item.representatives))
            if not evidence:
                g.drop(section, item, f"'{item.name}' is not named in the article", hard=True)
                continue
            own_people = [
                r
                for r in item.representatives
                if not any(mentions(person, normalise_name(r)) for person in party_people if person)
                and normalise_name(r) != key  # "Abu Dhabi" listed as its own person is still a place
            ]
            if kind == "mediator" and not own_people and _venue_only(g.segments, item.name):
                g.drop(section, item, f"'{item.name}' is only where the talks are held, not a mediator")
                continue
            aliases = [
                a
                for a in dict.fromkeys(getattr(item, "aliases", []))
                if a.strip() and normalise_name(a) != key and g.mentioning([a], 1)
            ]
            reps = [r for r in item.representatives if r.strip() and g.mentioning([r], 1)]
            for missing in set(item.representatives) - set(reps):
                if missing.strip():
                    g.drop(f"{section}.representatives", {"name": missing}, "not named in the article")
            seen[key] = kind
            for alias in aliases:
                seen.setdefault(normalise_name(alias), kind)
            g.sides.append(_Side(item.name, [item.name, *aliases, *reps], kind))
            cites = [g.evidence(n) for n in evidence]
            if kind == "party":
                g.result.parties.append(Party(name=item.name, aliases=aliases, representatives=reps, evidence=cites))
            else:
                g.result.mediators.append(
                    Mediator(
                        name=item.name,
                        role=getattr(item, "role", None) or None,
                        representatives=reps,
                        evidence=cites,
                    )
                )


def _positions_from(g: _Grounding, extraction: Extraction) -> None:
    seen: list[tuple[str, int, str]] = []
    for item in extraction.positions:
        # One party, or several stating it together ("The union and the association are demanding").
        one = _resolve(g.sides, item.party, ("party",))
        sides = [one] if one else _resolve_each(g.sides, item.party, ("party",))
        if not sides:
            g.drop("positions", item, f"'{item.party}' is not a listed party", hard=True)
            continue
        cited = _cite(g, "positions", item, item.stance, item.sentence)
        if cited is None:
            continue
        number = cited[0]
        party = " and ".join(sides)
        if not all(_named_near(g, side, number) for side in sides) and g.rule_disagrees(
            "positions", item, f"'{party}' is not named in sentence {number} or the two before it"
        ):
            continue
        if any(p == party and fuzz.token_set_ratio(s, item.stance) >= 90 for p, _, s in seen):
            g.drop("positions", item, "duplicate")
            continue
        seen.append((party, number, item.stance))
        g.result.positions.append(
            Position(
                party=party,
                stance=item.stance.strip(),
                evidence=[g.evidence(n) for n in cited],
                source=_source(item),
                actor_source=getattr(item, "actor_source", None) or "model",
            )
        )


def _admit(
    g: _Grounding,
    said: tuple[str, Any, str, int],
    seen: list[str],
    states: Callable[[_Grounding, int], bool],
    objection: str,
) -> list[int] | None:
    """The sentences an item of a section cites, when it is kept: ``said`` is its section, the item, its
    text and its sentence. Not kept: no sentence to cite, a duplicate of one ``seen``, or (in English,
    when the rules decide) a sentence that does not state what ``states`` checks."""
    section, item, text, sentence = said
    cited = _cite(g, section, item, text, sentence)
    if cited is None:
        return None
    number = cited[0]
    if any(fuzz.token_set_ratio(s, text) >= 90 for s in seen):
        g.drop(section, item, "duplicate")
        return None
    if g.english and not states(g, number) and g.rule_disagrees(section, item, f"sentence {number} {objection}"):
        return None
    seen.append(text)
    return cited


def _source(item: Any) -> str:
    """What decided an item: its ``source`` (``rule:<id>``, ``fitted``) or, by default, the model."""
    return getattr(item, "source", None) or "model"


def _states_future(g: _Grounding, number: int) -> bool:
    """Whether sentence ``number`` states something still to happen."""
    return bool(FUTURE.search(g.segments[number - 1].text))


def _states_offer(g: _Grounding, number: int) -> bool:
    """Whether sentence ``number`` states an offer, plan or agreement, or more of one told just before
    ("The number of posts will also rise by 4,000 by 2028")."""
    text = g.segments[number - 1].text
    if OFFER.search(text) or offering_at(text) is not None:  # "would hand over the two men if..."
        return True
    before = g.segments[max(0, number - 1 - TERMS_GAP) : number - 1]
    return more_terms(text, future=False) and any(OFFER.search(s.text) for s in before)


def _proposals_from(g: _Grounding, extraction: Extraction) -> None:
    seen: list[str] = []
    for item in extraction.proposals:
        by = _resolve_by(g.sides, item.by)
        if by is None:
            g.drop("proposals", item, f"'{item.by}' is not a listed party or mediator", hard=True)
            continue
        cited = _admit(
            g,
            ("proposals", item, item.proposal, item.sentence),
            seen,
            _states_offer,
            "states no offer, plan or agreement",
        )
        if cited is None:
            continue
        number = cited[0]
        status, status_source = item.status, getattr(item, "status_source", None) or "model"
        actor_source = getattr(item, "actor_source", None) or "model"
        parties = [side.name for side in g.sides if side.kind == "party"]
        joint = joint_name(parties)
        if len(parties) >= 2 and BOTH_AGREED.search(g.segments[number - 1].text) and (by, status) != (joint, "agreed"):
            # "Both sides agreed to ...": the deal is joint, whoever the model credited.
            if g.veto:
                by, status, status_source, actor_source = joint, "agreed", "rule:both_agreed", "rule:both_agreed"
            else:
                g.rule_disagrees("proposals", item, f"sentence {number} says both sides agreed it")
        g.result.proposals.append(
            Proposal(
                by=by,
                proposal=item.proposal.strip(),
                status=status,
                evidence=[g.evidence(n) for n in cited],
                source=_source(item),
                status_source=status_source,
                actor_source=actor_source,
            )
        )


def _next_steps_from(g: _Grounding, extraction: Extraction) -> None:
    seen: list[str] = []
    for item in extraction.next_steps:
        cited = _admit(
            g, ("next_steps", item, item.action, item.sentence), seen, _states_future, "states nothing still to happen"
        )
        if cited is None:
            continue
        who: list[str] = []
        for ref in item.who:
            resolved = _resolve_by(g.sides, ref) or (ref.strip() if g.mentioning([ref], 1) else None)
            if resolved and resolved not in who:
                who.append(resolved)
        when = item.when.strip() if item.when and item.when.strip() else None
        if when and not _in_article(when, g.norms):
            g.drop("next_steps.when", {"when": when}, "not the article's own words")
            when = None
        g.result.next_steps.append(
            NextStep(
                action=item.action.strip(),
                who=who,
                when=when,
                evidence=[g.evidence(n) for n in cited],
                source=_source(item),
            )
        )


def _in_article(phrase: str, norms: Sequence[str]) -> bool:
    key = normalise_name(phrase)
    return bool(key) and any(key in n for n in norms)


def _label(data: dict[str, Any]) -> str:
    for key in ("name", "stance", "proposal", "action"):
        if data.get(key):
            return repr(str(data[key])[:60])
    return ""


def _limit_sentences(text: str, limit: int = 3) -> str:
    sentences = [s.text for s in segment_text(" ".join(text.split()))]
    return " ".join(sentences[:limit])


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")


def summary_problems(summary: str, title: str | None, article_text: str) -> list[str]:
    """What is wrong with a brief's summary: a copy of the title, over three sentences, names not in the article."""
    problems: list[str] = []
    text = " ".join(summary.split())
    if not text:
        return problems
    if title and fuzz.ratio(flat_text(text).strip(" ."), flat_text(title).strip(" .")) >= 85:
        problems.append("copies the title")
    if len(segment_text(text)) > 3:
        problems.append("more than three sentences")
    flat = flat_text(article_text)
    for match in _NAME.finditer(text):
        name = match.group(1)
        problem = f"names {name!r}, which the article does not"
        if problem not in problems and not _written_in(name, flat):
            problems.append(problem)
    return problems


def _written_in(name: str, flat_article: str) -> bool:
    """Whether every word of ``name`` is in the article (in :func:`flat_text` form)."""
    return all(flat_text(word).strip("'’") in flat_article for word in name.split())


def _fallback_summary(result: Grounded, article_text: str) -> str:
    """A plain summary, "Talks between A and B, with C mediating": each side by a name the article
    writes (an alias when the model's own name is not in it: "Türkiye", not "Turkey"), or left out."""
    flat = flat_text(article_text)

    def as_written(names: Sequence[str]) -> str | None:
        return next((n for n in names if _written_in(n, flat)), None)

    parties = [n for p in result.parties if (n := as_written([p.name, *p.aliases]))]
    if not parties:
        return ""
    names = ", ".join(parties[:-1]) + " and " + parties[-1] if len(parties) > 1 else parties[0]
    text = f"Talks between {names}"
    mediators = [n for m in result.mediators if (n := as_written([m.name]))]
    if mediators:
        text += ", with " + " and ".join(mediators[:2]) + " mediating"
    return text + "."


def ground_extraction(
    extraction: Extraction, segments: Sequence[Segment], *, title: str | None = None, trust: str = "rules"
) -> Grounded:
    """Check every item of ``extraction`` against the article and build the sections.

    With ``trust="model"`` the word rules only flag (``Grounded.flags``); what is not grounded
    in the article (a side it does not name, a sentence out of range, a name or number its
    evidence lacks) is dropped either way.

    >>> grounded = ground_extraction(extraction, segment_text(article.text))
    >>> grounded.problems   # what a re-ask would tell the model
    []
    """
    grounder = _Grounding(segments, veto=trust == "rules")
    result = grounder.result
    result.is_negotiation = extraction.is_negotiation
    result.summary = _limit_sentences(extraction.summary) if extraction.summary else ""
    if not extraction.is_negotiation:
        for section in ("parties", "mediators", "positions", "proposals", "next_steps"):
            for item in getattr(extraction, section):
                grounder.drop(section, item, "the article was judged not to be about a negotiation")
        return result
    _sides_from(grounder, extraction)
    _positions_from(grounder, extraction)
    _proposals_from(grounder, extraction)
    _next_steps_from(grounder, extraction)
    article_text = " ".join(s.text for s in segments)
    problems = summary_problems(result.summary, title, article_text)
    if problems:
        result.dropped.append(
            DroppedItem(section="summary", item={"summary": result.summary}, reason="; ".join(problems))
        )
        result.summary = _fallback_summary(result, article_text)
    return result


def merge_steps(sides: Sides, items: Items | None) -> Extraction:
    """One ``Extraction`` from the two steps' answers, both validated already.

    Not validated again: the schema's list limits are for the model's grammar,
    and a side may have more people once the article's speakers are added
    (:func:`~summariser.statements.assign_speakers`).
    """
    fields = {name: getattr(sides, name) for name in Sides.model_fields}
    fields.update(
        {name: getattr(items, name) for name in Items.model_fields}
        if items is not None
        else {"positions": [], "proposals": [], "next_steps": []}
    )
    return Extraction.model_construct(**fields)


def ground_sides(sides: Sides, segments: Sequence[Segment]) -> tuple[Sides, list[DroppedItem]]:
    """Step 1's answer reduced to the parties and mediators the article supports.

    Not validated again: the schema's list limits are for the model's grammar, and the
    article's own forms may have given a side more names (:func:`~summariser.named_sides.check_sides`).
    """
    grounded = ground_extraction(merge_steps(sides, None), segments)
    kept = Sides.model_construct(
        is_negotiation=grounded.is_negotiation,
        summary=grounded.summary,
        parties=[
            ExtractedParty.model_construct(name=p.name, aliases=p.aliases, representatives=p.representatives)
            for p in grounded.parties
        ],
        mediators=[
            ExtractedMediator.model_construct(name=m.name, role=m.role or "", representatives=m.representatives)
            for m in grounded.mediators
        ],
    )
    return kept, grounded.dropped


def joint_name(parties: Sequence[str]) -> str:
    """How a jointly agreed item names its authors: "A and B"."""
    return " and ".join(parties)


def sides_checker(segments: Sequence[Segment]) -> Callable[[Sides], list[str]]:
    """The re-ask check for step 1: hard problems with parties and mediators."""

    def check(sides: Sides) -> list[str]:
        return ground_extraction(merge_steps(sides, None), segments).problems

    return check


def items_checker(sides: Sides, segments: Sequence[Segment]) -> Callable[[Items], list[str]]:
    """The re-ask check for step 2, against the grounded sides of step 1."""

    def check(items: Items) -> list[str]:
        return ground_extraction(merge_steps(sides, items), segments).problems

    return check
