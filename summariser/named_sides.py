"""Sides the article names in so many words, and step 1's sides held to them.

A small model reading a long article often lists two parties and forgets the
third party that "mediators from Qatar, the US and Egypt" or "Oman's foreign
minister, the mediator of the talks" names in one clause, or a third bidder
("Netflix's bid"). Wire copy names mediators and offer-makers in a few fixed
ways: :func:`named_mediators` and :func:`named_parties` read those and nothing
else (a host or a venue is not a mediator here: a summit's host is often a
party), and :func:`check_sides` adds what step 1 missed and moves a "mediator"
that no sentence describes as mediating; the names each party then goes by are
:mod:`summariser.side_names`'s to give. Every regular expression is linear:
names are runs of capitalised words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summariser.cues import EXPERT_WORDS
from summariser.names import (
    BODY_WORD,
    country_of,
    first_mention,
    is_government,
    last_mention,
    mentions,
    name_heads,
    normalise_name,
    same_side,
    sentence_norm,
)
from summariser.schemas.brief import DroppedItem
from summariser.schemas.extraction import ExtractedMediator, ExtractedParty, Sides
from summariser.segment import Segment
from summariser.side_names import name_parties

__all__ = [
    "FoundMediator",
    "named_mediators",
    "named_parties",
    "add_named_mediators",
    "add_named_parties",
    "check_sides",
]

# A capitalised word, "U.S." included. No apostrophe inside and one way only to read each
# word, so that runs of names cannot be split in many ways (hostile text stays linear).
_CAP = r"(?:[A-Z][\w&-]{0,30}(?:\.[A-Z][\w&-]{0,30}){0,3}\.?)"
# A name: capitalised words, "of"/"for" inside ("National Council of Churches").
# At most seven words: a longer run of capitals is no name, and bounding it keeps every
# attempt short, so a page of capitals costs linear time.
_NAME = rf"(?:{_CAP}(?:\s+(?:of|for|de)\s+(?:the\s+)?{_CAP}|\s+{_CAP}){{0,6}})"
# A list of names: "Qatar, the US and Egypt".
_LIST = rf"(?:(?:the\s+)?{_NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?{_NAME}){{0,7}})"
_ROLE = r"(?:mediators?|mediation|brokers?|facilitators?|go-betweens?|guarantors?)"
# Chairing the talks, not a body of one's own ("who chairs the Lung Cancer Patients' Association").
_CHAIRS = r"chair(?:s|ed|ing)?\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:talks|negotiations|meeting|session|round|conference)\b"
# A service by its name: "the Arbitration and Conciliation Service"
_SERVICE = re.compile(
    rf"(?P<org>(?:{_CAP}\s+){{0,4}}(?:Mediation|Conciliation|Arbitration)(?:(?:\s*,\s*|\s+and\s+|\s+){_CAP}){{0,4}}\s+"
    r"(?:Service|Board|Council|Commission|Centre|Center|Office|Panel|Committee|Agency|Institute))\b"
)
_PATTERNS = [
    # "mediators from Qatar, the US and Egypt", "mediators Qatar and Egypt"
    re.compile(rf"\b[Mm]ediators,?\s+(?:from\s+|including\s+|such as\s+)?(?P<list>{_LIST})"),
    # "a deal brokered by tribal elders": a group the article gives no proper name
    re.compile(
        r"\b(?:mediated|brokered|facilitated)\s+by\s+(?P<group>(?:tribal|clan|community|religious|church|local|village)\s+"
        r"(?:elders|leaders|chiefs|notables))\b"
    ),
    # "talks mediated by the National Council of Churches", "brokered by Ostmark"
    re.compile(rf"\b(?:mediated|brokered|facilitated|chaired)\s+by\s+(?P<list>{_LIST})"),
    # "mediation by Norway", "the mediation of Oman"
    re.compile(rf"\bmediation\s+(?:by|of)\s+(?P<list>{_LIST})"),
    # "US-brokered talks", "Qatari-mediated", "United Nations-led talks"
    re.compile(
        rf"(?P<list>{_NAME})[-–](?:brokered|mediated\b|(?:led|hosted|sponsored)\s+(?:peace\s+)?"
        r"(?:talks|negotiations|mediation|dialogue))"
    ),
    # "under the auspices of the African Union", "under the chairmanship of ..."
    re.compile(rf"\bunder\s+(?:the\s+)?(?:auspices|chairmanship|supervision|mediation|aegis)\s+of\s+(?P<list>{_LIST})"),
    # "Omani mediators", "Egyptian mediation"
    re.compile(rf"(?P<demonym>{_CAP})\s+{_ROLE}\b"),
    # "The UN special envoy, Ingrid Solheim, who chairs the talks"
    re.compile(
        rf"(?P<owner>{_NAME})(?:['’]s)?\s+(?:[a-z-]+\s+){{0,2}}(?i:envoy|minister|secretary|representative|ambassador|president)s?"
        rf",?\s+(?P<rep>{_NAME}),\s+(?:who|which)\s+(?:is\s+|has\s+been\s+)?(?:mediat|broker|facilitat|{_CHAIRS})"
    ),
    # "Oman's foreign minister Badr Al Busaidi, the mediator of the talks"
    re.compile(rf"(?P<owner>{_NAME})['’]s\s+(?:[a-z-]+\s+){{0,3}}(?P<rep>{_NAME}),\s+the\s+(?:[a-z-]+\s+)?{_ROLE}\b"),
    # "Norway, the mediator", "Norway, which is mediating", "Norway acts as facilitator"
    re.compile(
        rf"(?P<list>{_NAME}),?\s+(?:the\s+(?:[a-z-]+\s+)?{_ROLE}\b|(?:which|who)\s+(?:is\s+|are\s+|has\s+|have\s+)?"
        rf"(?:been\s+)?(?:(?:mediat|broker|facilitat)\w*|{_CHAIRS})|(?:acts|acted|serves|served)\s+as\s+(?:an?\s+|the\s+)?{_ROLE})"
    ),
    # "the Arctic League, which has hosted three rounds of the talks"
    re.compile(
        rf"(?P<list>{_NAME}),\s+(?:which|who)\s+(?:has\s+|have\s+|had\s+)?hosted\s+(?:[\w-]+\s+){{0,4}}?"
        r"(?:the\s+)?(?:talks|negotiations)\b"
    ),
    # "with Norway as mediator", "the bank as facilitator"
    re.compile(rf"(?P<list>{_LIST})\s+as\s+(?:an?\s+|the\s+)?(?:[a-z-]+\s+)?{_ROLE}\b"),
    # "The mediator, retired labour judge Miriam Okafor,"
    re.compile(rf"\b[Tt]he\s+(?:[a-z-]+\s+)?(?:mediator|facilitator),\s+(?:[a-z-]+\s+){{0,4}}(?P<list>{_NAME})"),
    # "The chair of the talks, Costavan diplomat Luis Varela,"
    re.compile(
        rf"\b[Tt]he\s+(?:chair|chairman|chairwoman|chairperson)\s+of\s+the\s+(?:talks|negotiations|conference)\s*,\s+"
        rf"(?:[A-Z][a-z]+\s+)?(?:[a-z-]+\s+){{0,3}}(?P<list>{_NAME}),"
    ),
    # Who hears both sides and decides: "retired supreme court judge Karel Novak will hear both sides"
    re.compile(
        rf"\b(?:[Aa]rbitrator|[Mm]ediator|[Cc]onciliator|[Jj]udge)\s+(?P<list>{_NAME})\s+(?:will|would|is to)\s+"
        r"(?:hear|decide|arbitrate|rule on)\s+(?:both sides|both parties|the dispute)\b"
    ),
    _SERVICE,
]
# Words that say a third party is between the sides (checked over the sentences naming it).
_MEDIATING = re.compile(
    r"\b(mediat\w*|broker\w*|facilitat\w*|host(s|ed|ing)?|chair(s|ed|ing)? (the )?([\w-]+ ){0,2}(talks|meeting|negotiations|"
    r"session|round)|chaired by|chairmanship|presidency|arbitrat\w*|conciliat\w*|envoys?|good offices|"
    r"conven(e|es|ed|ing)|sponsor\w*|guarantors?|supervis\w*|auspices|intermediar\w*|go-between|fund(s|ed|ing))\b",
    re.IGNORECASE,
)
# A listed "mediator" named this often without any such word is a side at the table.
_PARTY_MENTIONS = 3
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|at|near|from)|(?<!according )\bto)\s+(?:the\s+)?$")
_VENUE = "the article names it only as the place of the talks"
_VENUE_BEFORE = re.compile(r"\b(?:in|at|near)\s+(?:the\s+)?$")
_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([^)\s]{1,2000}\)")


def _plain(text: str) -> str:
    """``text`` with Markdown links reduced to their words: "[Oman's minister](https://…)"."""
    return _LINK.sub(r"\1", text)


# Capitalised words that start sentences or titles, never a mediator alone.
_NOT_NAMES = frozenset(
    "the a an this that these those it he she they we his her their its state senior chief lead main former "
    "new two both other international regional foreign mr mrs ms dr monday tuesday wednesday thursday friday "
    "saturday sunday january february march april may june july august september october november december "
    "von van der de al".split()
)


@dataclass(frozen=True)
class FoundMediator:
    name: str
    representatives: tuple[str, ...]


def _clean(name: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip(" ,;:'’\""))
    if not re.fullmatch(r"(?:[A-Z]\.)+", name):  # "U.S." keeps its last full stop
        name = name.rstrip(".")
    return re.sub(r"['’]s$", "", name)


def _usable(name: str) -> bool:
    words = name.split()
    return bool(words) and normalise_name(name) not in _NOT_NAMES and not all(w.casefold() in _NOT_NAMES for w in words)


def named_mediators(segments: Sequence[Segment]) -> list[FoundMediator]:
    """The mediators sentences name in one of the fixed wire-copy ways, first mention first."""
    article = " ".join(s.text for s in segments)
    found: dict[str, FoundMediator] = {}
    for segment in segments:
        text = _plain(segment.text)
        for pattern in _PATTERNS:
            for match in pattern.finditer(text):
                groups = match.groupdict()
                if not (groups.get("org") or groups.get("group")) and _PLACE_BEFORE.search(
                    text[max(0, match.start() - 20) : match.start()]
                ):
                    continue  # "talks in Geneva, the mediator said": a venue
                reps: tuple[str, ...] = ()
                if groups.get("demonym"):
                    country = country_of(groups["demonym"], article)
                    names = [country] if country else []
                elif groups.get("owner"):
                    names, reps = [groups["owner"]], (_clean(groups["rep"]),)
                elif groups.get("org") or groups.get("group"):
                    names = [groups.get("org") or groups["group"]]
                else:
                    names = [country_of(n, article) or n for n in _split_list(groups["list"], text)]
                for raw in names:
                    name, persons = _clean(raw), reps
                    if titled := _split_titled(name):
                        # "chaired by Global Trade Council Director-General Amara Osei": the body and its person
                        name, persons = titled[0], (titled[1],)
                    key = normalise_name(name)
                    if _usable(name) and key not in found:
                        found[key] = FoundMediator(name, persons)
    # "Oman's foreign minister Badr Al Busaidi, the mediator": one mediator, not two.
    people = {normalise_name(r) for f in found.values() for r in f.representatives}
    # ("President Daniel Moss, who mediated" is Kestmore's person, named with his title)
    return [f for key, f in found.items() if not any(key == r or key.endswith(f" {r}") for r in people)]


def _split_list(names: str, text: str) -> list[str]:
    """A list of names split at its commas and "and"s, a service's own "and" kept: "the Federal
    Mediation and Conciliation Service" is one name, "Qatar, the US and Egypt" three."""
    services = [m["org"] for m in _SERVICE.finditer(text) if m["org"] in names]
    for service in services:
        names = names.replace(service, ",")
    return [*services, *(n for n in _SPLIT.split(names) if n.strip(" ,"))]


def check_sides(sides: Sides, segments: Sequence[Segment]) -> tuple[Sides, list[DroppedItem]]:
    """Step 1's sides held to the article's words; returns the sides and what was moved or dropped.

    A mediator no sentence naming it describes as mediating, hosting, chairing
    or brokering is not kept as one: a body the article names in several
    sentences is at the table (a union listed as the go-between of its own
    dispute), so it becomes a party; one named less is dropped. The reason is
    kept in ``meta.dropped`` either way; one the article names only as the
    place of the talks is dropped. Then the mediators and parties the article
    names in fixed forms are added when missing, and parties get the names the
    article gives them (:func:`~summariser.side_names.name_parties`: its own
    spelling, the body a place runs, "the union", "the company"...); a party
    the article names only as the place of the talks, under every name it
    goes by, is dropped. A mediator's person written into its name is split
    off; a party listed as a mediator with a person the article says mediates
    gives way to that person; people the article introduces as outside
    experts are no side's.
    """
    norms = [sentence_norm(s.text) for s in segments]
    texts = [_plain(s.text) for s in segments]
    parties, mediators, dropped = list(sides.parties), [], []
    for mediator in map(_titled_person, sides.mediators):
        mediator = _person_mediating(mediator, sides.parties, segments)
        names = [mediator.name, *mediator.representatives]
        naming = [i for i, norm in enumerate(norms) if any(mentions(n, norm) for n in names)]
        if not naming or any(_MEDIATING.search(segments[i].text) for i in naming):
            mediators.append(mediator)  # unnamed ones are grounding's to drop
            continue
        item = {"name": mediator.name}
        if _only_a_place(mediator.name, [texts[i] for i in naming]):
            reason = _VENUE
        elif len(naming) >= _PARTY_MENTIONS and len(parties) < 6:
            parties.append(ExtractedParty(name=mediator.name, aliases=[], representatives=mediator.representatives))
            reason = f"no sentence says it mediates, and {len(naming)} name it: listed as a party"
        else:
            reason = "no sentence says it mediates, hosts, chairs or brokers the talks"
        dropped.append(DroppedItem(section="mediators", item=item, reason=reason))
    checked = add_named_mediators(sides.model_copy(update={"parties": parties, "mediators": mediators}), segments)
    checked = add_named_parties(checked, segments)
    article = "\n".join(texts)
    parties, merged = name_parties(checked.parties, [m.name for m in checked.mediators], article)
    # A venue step 1 listed as a side, under every name it goes by ("Port Sael": the dateline only).
    places = [p for p in parties if all(_only_a_place(n, texts, _VENUE_BEFORE) for n in [p.name, *p.aliases])]
    for place in places:
        dropped.append(DroppedItem(section="parties", item={"name": place.name}, reason=_VENUE))
    parties = [p for p in parties if p not in places]
    parties, mediators, doubled = _one_side_each(parties, checked.mediators, segments)
    parties, outsiders = _without_outsiders(parties, article)
    return checked.model_copy(update={"parties": parties, "mediators": mediators}), [
        *dropped,
        *merged,
        *doubled,
        *outsiders,
    ]


def _only_a_place(name: str, texts: Sequence[str], before: re.Pattern[str] = _PLACE_BEFORE) -> bool:
    """Whether every mention of ``name`` is a place: after "in", "at", "to" ("talks in Pelstad"; for a
    party, which may be named as what something goes "to", only "in", "at" and "near") or as the dateline
    ("PELSTAD, March 4 (Wire) -"). A venue is neither mediator nor side."""
    found = False
    for text in texts:
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
            dateline = match.start() == 0 and match.group(0).isupper()
            if not dateline and not before.search(text[max(0, match.start() - 20) : match.start()]):
                return False
            found = True
    return found


def _person_mediating(
    mediator: ExtractedMediator, parties: Sequence[ExtractedParty], segments: Sequence[Segment]
) -> ExtractedMediator:
    """A party listed as a mediator too, with a person the article says mediates: that person is the
    mediator ("Westmark province": Bill Osterman, where "talks had been mediated by veteran labour
    mediator Bill Osterman" and the province is a party), unless the article names the side itself
    as a mediator in so many words."""
    if not any(same_side(mediator.name, p.name) for p in parties):
        return mediator
    if any(same_side(mediator.name, found.name) for found in named_mediators(segments)):
        return mediator  # "talks mediated by Qatar": the mediator entry stands, as grounding decides
    texts = [_plain(s.text) for s in segments]
    person = next(
        (
            r
            for r in mediator.representatives
            if normalise_name(r) and any(mentions(r, sentence_norm(t)) and _MEDIATING.search(t) for t in texts)
        ),
        None,
    )
    if person is None:
        return mediator
    return mediator.model_copy(update={"name": person, "representatives": [person]})


def _one_side_each(
    parties: list[ExtractedParty], mediators: Sequence[ExtractedMediator], segments: Sequence[Segment]
) -> tuple[list[ExtractedParty], list[ExtractedMediator], list[DroppedItem]]:
    """The sides without the people listed for two of them.

    Listed for two parties, a person stays with the one the article names
    beside them (:func:`_side_beside`), else whom they speak for is asked again
    (:func:`~summariser.statements.assign_speakers`), not guessed; listed for a
    party and a mediator, they are the party's negotiators (step 1 lists them
    under the venue too: "Geneva": Rubio, Witkoff), and a "mediator" that is
    one of a party's negotiators ("Prime Minister Dov Alcott") is dropped.
    """
    owners: dict[str, list[str]] = {}
    listed: dict[str, str] = {}
    for party in parties:
        for person in party.representatives:
            listed.setdefault(normalise_name(person), person)
            if party.name not in (names := owners.setdefault(normalise_name(person), [])):
                names.append(party.name)
    dropped, keep = [], {}

    # "Prime Minister Dov Alcott" listed as a mediator and as a party's negotiator: the party's.
    def negotiator(name: str) -> str | None:
        key = f" {normalise_name(name)} "
        people = [p for p in owners if p == key.strip() or (len(p.split()) >= 2 and f" {p} " in key)]
        return owners[people[0]][0] if people else None

    kept_mediators = []
    for mediator in mediators:
        if party := negotiator(mediator.name):
            reason = f"listed as a mediator, but speaks for {party}"
            dropped.append(DroppedItem(section="mediators", item={"name": mediator.name}, reason=reason))
        else:
            kept_mediators.append(mediator)
    for person in sorted(key for key, names in owners.items() if len(names) > 1):
        side = _side_beside(listed[person], [p for p in parties if p.name in owners[person]], segments)
        if side:
            keep[person] = side
            reason = "listed for " + " and ".join(owners[person]) + f": the article places them with {side}"
        else:
            keep[person] = ""
            reason = "listed for " + " and ".join(owners[person]) + ": whom they speak for is asked"
        dropped.append(DroppedItem(section="parties", item={"representative": listed[person]}, reason=reason))

    def without(side: Any, mediator: bool = False) -> Any:
        kept = [
            r
            for r in side.representatives
            if not (mediator and normalise_name(r) in owners) and keep.get(normalise_name(r), side.name) == side.name
        ]
        once = list({normalise_name(r): r for r in kept}.values())  # listed four times, kept once
        return side.model_copy(update={"representatives": once})

    return [without(p) for p in parties], [without(m, mediator=True) for m in kept_mediators], dropped


# A person's side told beside their name: "Kestria's team is led by Deputy Foreign Minister
# Aleksander Wojda", "Ingrid Halvorsen, general secretary of the National Union of Teachers".
_BESIDE_WORDS = 10
_APPOSITION = re.compile(r"\s*,\s*(?:[\w-]+\s+){0,4}?(?:of|for|at|from)\s+(?:the\s+)?")


def _side_beside(person: str, sides: Sequence[ExtractedParty], segments: Sequence[Segment]) -> str | None:
    """Which of ``sides`` the sentence first naming ``person`` puts beside their name, or None."""
    name = " ".join(person.split()[-2:])  # "Deputy Foreign Minister Aleksander Wojda": the name
    for segment in segments:
        at = segment.text.find(name)
        if at < 0:
            continue
        before = sentence_norm(" ".join(segment.text[:at].split()[-_BESIDE_WORDS:]))
        after = segment.text[at + len(name) :]
        apposition = _APPOSITION.match(after)
        found: list[tuple[int, str]] = []
        for side in sides:
            names = [side.name, *side.aliases, *name_heads(side.name)]
            if apposition and any(first_mention(n, sentence_norm(after[apposition.end() :])) == 1 for n in names):
                return str(side.name)
            places = [p for n in names if (p := last_mention(n, before)) is not None]
            if places:
                found.append((max(places), side.name))
        return max(found)[1] if found else None
    return None


# A mediator given as its country or body and its person in one: "Lakeland President Joseph Mwangi".
_TITLED = re.compile(
    r"(?P<org>.+?)\s+(?:(?:Deputy|Vice|Prime|Foreign|Special|Chief|Secretary|Director)[\s-])*"
    r"(?:President|Minister|Director-General|Secretary-General|Secretary|Envoy|Chairman|Chairwoman|Chair|Ambassador|"
    r"Commissioner|Emir|King|Sheikh|Mediator)\s+(?P<person>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})"
)


_TITLE_WORDS = frozenset("prime deputy vice foreign special chief secretary director acting former".split())


def _split_titled(name: str) -> tuple[str, str] | None:
    """A body and its person written as one name ("Lakeland President Joseph Mwangi"), or None; not a
    title alone ("Prime Minister Sheikh Mohammed" names no body)."""
    match = _TITLED.fullmatch(name)
    if match is None or match["org"].split()[-1].casefold() in _TITLE_WORDS:
        return None
    return match["org"], match["person"]


def _titled_person(mediator: ExtractedMediator) -> ExtractedMediator:
    """``mediator`` as its body with its person as representative, when step 1 gave both in one name."""
    titled = _split_titled(mediator.name)
    if titled is None:
        return mediator
    org, person = titled
    people = [person, *(r for r in mediator.representatives if normalise_name(r) != normalise_name(person))]
    return mediator.model_copy(update={"name": org, "representatives": people[:4]})


# Someone the article introduces as an outside expert: "said Pieter Lang, a trade economist at the Halden Institute".
# ("a senior fellow at Chatham House" in apposition; as a speaker's word, "fellow" is "his fellow negotiators").
_EXPERT = re.compile(rf",\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,3}}?(?:{EXPERT_WORDS}|fellow)\b")


def _outside_expert(person: str, article: str) -> bool:
    """Whether the article's first mention of ``person`` introduces them as an outside expert."""
    at = article.find(person)
    return at >= 0 and _EXPERT.match(article, at + len(person)) is not None


def _without_outsiders(parties: list[ExtractedParty], article: str) -> tuple[list[ExtractedParty], list[DroppedItem]]:
    """The parties without people step 1 listed for them whom the article introduces as outside experts."""
    dropped = []
    kept = []
    for party in parties:
        people = []
        for person in party.representatives:
            if _outside_expert(person, article):
                reason = f"listed for {party.name}, but the article introduces them as an outside expert"
                dropped.append(DroppedItem(section="parties", item={"representative": person}, reason=reason))
            else:
                people.append(person)
        kept.append(
            party if len(people) == len(party.representatives) else party.model_copy(update={"representatives": people})
        )
    return kept, dropped


def add_named_parties(sides: Sides, segments: Sequence[Segment]) -> Sides:
    """``sides`` with the parties the article names making offers or at the talks that step 1 missed.

    "Netflix's bid", "talks between the union and Harbourline": a small model
    reading a long article lists two sides and forgets a third bidder.
    """
    known = _known_names(sides, segments)
    parties = list(sides.parties)
    article = sentence_norm(" ".join(_plain(s.text) for s in segments))
    for name in named_parties(segments):
        if name == "Government" and (
            any(_STATE_WORDS.search(k) or is_government(k, article) for k in known)
            or any(is_government(p.name, article, p.representatives) for p in parties)
        ):
            continue  # "Health Ministry", "Trump administration", "Verano": the government is at the table already
        if len(parties) < 6 and not any(same_side(name, k) and not _body_within(name, k) for k in known):
            # "ministers offered the union a deal": the government's ministers speak for it.
            aliases = ["ministers"] if name == "Government" else []
            parties.append(ExtractedParty(name=name, aliases=aliases, representatives=[]))
            known.append(name)
    return sides if len(parties) == len(sides.parties) else sides.model_copy(update={"parties": parties})


def _body_within(name: str, known: str) -> bool:
    """Whether ``name`` is a body whose name only contains a known side's: the "Ad Hoc Committee of
    Korvania Bondholders" is not Korvania (but the "Government of Verano" is Verano)."""
    return bool(BODY_WORD.search(name)) and not BODY_WORD.search(known) and not _STATE_WORDS.search(name)


def _known_names(sides: Sides, segments: Sequence[Segment]) -> list[str]:
    """Names step 1 gave its sides, those the article has (a model may file "mediators from X" as a person)."""
    norms = [sentence_norm(s.text) for s in segments]
    names = [
        n
        for side in [*sides.parties, *sides.mediators]
        for n in [side.name, *getattr(side, "aliases", []), *side.representatives]
    ]
    return [n for n in names if any(mentions(n, norm) for norm in norms)]


def add_named_mediators(sides: Sides, segments: Sequence[Segment]) -> Sides:
    """``sides`` with the mediators the article names that step 1 missed.

    A name step 1 gave as a party stays a party: which side a name is on is
    the model's call, whether a named mediator is listed at all is not. A
    mediator listed under another name (its venue) with the person the article
    names beside the body takes the body's name.
    """
    known = _known_names(sides, segments)
    extra = []
    listed = list(sides.mediators)
    for found in named_mediators(segments):
        people = {normalise_name(r) for r in found.representatives}
        for index, mediator in enumerate(listed):
            if people & {normalise_name(r) for r in mediator.representatives} and not same_side(
                mediator.name, found.name
            ):
                # "Portmont": Amara Osei, where talks were "chaired by Global Trade Council Director-General
                # Amara Osei": the body the article names with its person, not the venue.
                listed[index] = mediator.model_copy(update={"name": found.name})
                known.append(found.name)
        if any(same_side(name, k) for name in [found.name, *found.representatives] for k in known):
            continue
        extra.append(ExtractedMediator(name=found.name, role="mediator", representatives=list(found.representatives)))
        known += [found.name, *found.representatives]
    if not extra and listed == list(sides.mediators):
        return sides
    return sides.model_copy(update={"mediators": [*listed, *extra][:4]})


_OFFER = r"(?:offers?|bids?|proposals?|counter-?offers?|takeover)"
_PARTY_PATTERNS = [
    # "Paramount Skydance's $108.4bn takeover bid", "the union's offer"
    re.compile(rf"(?P<list>{_NAME})['’]s\s+(?:[\w$£€.,()-]+\s+){{0,5}}?{_OFFER}\b"),
    # "Chinara's negotiators have refused", "the delegation from Kestria": a side at the table
    re.compile(
        rf"(?P<list>{_NAME})['’]s\s+(?:chief\s+|lead\s+)?(?:negotiators?|delegation|delegates|negotiating\s+team)\b"
    ),
    re.compile(rf"\b(?:negotiators|delegation|delegates)\s+(?:from|of)\s+(?P<list>{_NAME})"),
    # "The Ad Hoc Committee of Korvania Bondholders, which says..., called the proposal": who answers an offer
    re.compile(
        rf"(?P<list>{_NAME})(?:,[^,;]{{1,80}},)?\s+(?:has\s+|had\s+)?(?:rejected|turned\s+down|accepted|called)\s+"
        rf"(?:the|its|their|this|that|\w+['’]s)\s+(?:[\w-]+\s+){{0,3}}?{_OFFER}\b"
    ),
    # "the offer from streaming giant Netflix"
    re.compile(rf"\b{_OFFER}\s+(?:from|by)\s+(?:the\s+)?(?:[a-z-]+\s+){{0,2}}(?P<list>{_NAME})"),
    # "talks between the union and Harbourline", "a deal that Warner Bros struck with Netflix"
    re.compile(
        rf"\b(?:talks|negotiations|deal|agreement|dispute|struck|signed|reached)\s+(?:between|with)\s+"
        rf"(?:the\s+)?(?:[a-z-]+\s+){{0,2}}(?P<list>{_NAME}(?:\s+and\s+(?:the\s+)?(?:[a-z-]+\s+){{0,2}}{_NAME})?)"
    ),
]


# The government as a side, by the words wire copy uses for it: "the government's offer", "ministers offered".
_GOVERNMENT = re.compile(
    r"\b(?:the government['’]s\s+(?:\w+\s+){0,3}?(?:offer|proposal|plan|deal)|(?:the government|ministers)\s+"
    r"(?:has\s+|have\s+|had\s+)?(?:offered|proposed|tabled|put forward))\b",
    re.IGNORECASE,
)
_STATE_WORDS = re.compile(
    r"\b(government|ministry|ministries|department|cabinet|ministers?|state|administration)\b", re.I
)


def named_parties(segments: Sequence[Segment]) -> list[str]:
    """Sides the article names as making offers or being at talks, named in two sentences or more."""
    texts = [_plain(s.text) for s in segments]
    norms = [sentence_norm(t) for t in texts]
    found: dict[str, str] = {}
    offers = sum(bool(_GOVERNMENT.search(t)) for t in texts)
    if offers and (offers >= 2 or any(" government " in n for n in norms)):
        found["government"] = "Government"
    for text in texts:
        for pattern in _PARTY_PATTERNS:
            for match in pattern.finditer(text):
                for raw in re.split(r"\s+and\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}", match.group("list")):
                    name = _clean(raw)
                    if _usable(name) and not _PLACE_BEFORE.search(text[max(0, match.start() - 20) : match.start()]):
                        found.setdefault(normalise_name(name), name)
    article = "\n".join(texts)
    return [
        name
        for key, name in found.items()
        # "ministers offered ... the government would not": the government needs no second "Government".
        if (
            key == "government"
            or sum(_named_again(name, norm, text) for norm, text in zip(norms, texts, strict=True)) >= 2
        )
        and not _person(name, article)
        and country_of(name, article) in (None, name)
    ]


def _named_again(name: str, norm: str, text: str) -> bool:
    """Whether a sentence (``text``, and ``norm`` its :func:`sentence_norm`) names a body by its name
    or, for a body's name ("Ad Hoc Committee of Korvania Bondholders"), by its head: "the committee"."""
    heads = name_heads(name)[:1] if BODY_WORD.search(name) else []
    return mentions(name, norm) or any(re.search(rf"\bthe {head}\b", text, re.IGNORECASE) for head in heads)


_TITLE = re.compile(
    r"(?:President|Minister|Secretary|Chancellor|Senator|Governor|Mr|Mrs|Ms|Dr|Sir|Lord|King|Queen|Prince|"
    r"executive|chairman|chairwoman|chair|leader|spokesman|spokeswoman|envoy|von|van|de|al)\.?\s+$|"
    r"\b(?!(?:The|A|An|But|And|In|On|At|For|With|From|By|As|If|When|While|After|Before|Under|Since|That|This|"
    r"Its|His|Her|Their|Our|Meanwhile|However|Last|Next|Earlier|Later)\b)[A-Z][a-z]+\s+$"
)


def _person(name: str, article: str) -> bool:
    """Whether the article gives ``name`` a title or first name somewhere ("President Donald Trump", "Tusk")."""
    for match in re.finditer(rf"\b{re.escape(name)}\b", article):
        if _TITLE.search(article[max(0, match.start() - 30) : match.start()]):
            return True
    return False


_PERSON = r"[A-Z][a-z’'-]+(?:\s+(?:[A-Z][\w’'-]+|von|van|der|de|al|bin|da)){1,3}"
_SPEAKER_PATTERNS = [
    # "Jack Fletcher said", "said Henrik Aalto", "President Donald Trump", "chairman, Dr Jack Fletcher,"
    re.compile(rf"(?P<person>{_PERSON})\s+(?:said|says|told|added|insisted|warned)\b"),
    re.compile(rf"\b(?:said|says|told)\s+(?P<person>{_PERSON})\b"),
    re.compile(
        r"\b(?:President|Minister|Secretary|Chancellor|Commissioner|chief executive|chairman|chairwoman|"
        r"spokesman|spokeswoman|spokesperson|negotiator|envoy|leader|[Hh]ead)\s*,?\s+(?:(?:Dr|Mr|Mrs|Ms)\.?\s+)?"
        rf"(?P<person>{_PERSON})"
    ),
]


_PERSON_TITLE = re.compile(
    r"President|Prime|Minister|Ambassador|Bishop|Secretary|Chancellor|Senator|Governor|General|Judge|Sir|Dame|"
    r"Mr|Mrs|Ms|Dr|Professor|Vice|Deputy|Foreign|Chief|Commissioner|Seyed|Sheikh"
)
_NOT_PERSON_END = frozenset({"Office", "Ministry", "Department", "Council", "Union", "Committee", "Government"})


@dataclass(frozen=True)
class Speaker:
    name: str
    sentence: int  # where the article first names them with a title or as speaking


def named_speakers(segments: Sequence[Segment], sides: Sides, *, limit: int = 4) -> list[Speaker]:
    """People the article quotes or titles who are no side's representative yet, most named first.

    A person counts when the article names them (full name or surname) in
    two sentences or more: the people whose words become positions.
    """
    known = _known_names(sides, segments)
    norms = [sentence_norm(s.text) for s in segments]
    first: dict[str, Speaker] = {}
    for number, segment in enumerate(segments, 1):
        text = _plain(segment.text)
        for pattern in _SPEAKER_PATTERNS:
            for match in pattern.finditer(text):
                words = match.group("person").split()
                while words and _PERSON_TITLE.fullmatch(words[0]):
                    words = words[1:]  # "President Donald Trump", "Ambassador Lidia Corvo"
                if len(words) > 3 and all(w[0].isupper() for w in words):  # "Net Zero Ed Miliband"
                    words = words[-2:]
                name = " ".join(words)
                if len(words) < 2 or any("’" in w or "'" in w for w in words) or words[-1] in _NOT_PERSON_END:
                    continue
                key = normalise_name(words[-1])  # one person, however often re-titled
                if key in first or normalise_name(words[0]) in _NOT_NAMES or any(same_side(name, k) for k in known):
                    continue
                if _outside_expert(name, text):
                    continue  # "said Pieter Lang, a trade economist at the Halden Institute": no side's to ask about
                first[key] = Speaker(name, number)
    counted = []
    for speaker in first.values():
        surname = speaker.name.split()[-1]
        count = sum(mentions(speaker.name, n) or mentions(surname, n) for n in norms)
        if count >= 2:
            counted.append((-count, speaker.sentence, speaker))
    counted.sort(key=lambda entry: entry[:2])
    return [speaker for *_, speaker in counted[:limit]]
