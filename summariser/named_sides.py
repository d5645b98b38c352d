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
    whole_words,
)
from summariser.rulebook import rulebook
from summariser.schemas.brief import DroppedItem
from summariser.schemas.extraction import ExtractedMediator, ExtractedParty, Sides
from summariser.segment import Segment
from summariser.side_names import name_parties

_RULES = rulebook("en")  # the side forms: summariser/rules/en/sides.toml

__all__ = [
    "FoundMediator",
    "named_mediators",
    "named_parties",
    "add_named_mediators",
    "add_named_parties",
    "check_sides",
]

_SERVICE = _RULES["service"]
_PATTERNS = _RULES.patterns("form:mediator")
_MEDIATING = _RULES.patterns("role:mediator")  # words of mediating, hosting, brokering
_PLACE_BEFORE = _RULES["place_before"]
_VENUE = "the article names it only as the place of the talks"
_VENUE_BEFORE = _RULES["venue_before"]
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
    or brokering is not kept as one, however often the article names it: in
    real news that is a host country, a parliament or a mediator the article
    names by a description of it, more often than a party (report 26); a party
    listed as a go-between is found again as a party where the article names
    it as one. The reason is kept in ``meta.dropped``, and so is a mediator
    the article names only as the place of the talks. Then the mediators and
    parties the article names in fixed forms are added when missing, and
    parties get the names the
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
    mediators, dropped = [], []
    for mediator in map(_titled_person, sides.mediators):
        mediator = _person_mediating(mediator, sides.parties, segments)
        names = [mediator.name, *mediator.representatives]
        naming = [i for i, norm in enumerate(norms) if any(mentions(n, norm) for n in names)]
        if not naming or any(_mediates(segments[i].text) for i in naming):
            mediators.append(mediator)  # unnamed ones are grounding's to drop
            continue
        item = {"name": mediator.name}
        if _only_a_place(mediator.name, [texts[i] for i in naming]):
            reason = _VENUE
        else:
            reason = "no sentence says it mediates, hosts, chairs or brokers the talks"
        dropped.append(DroppedItem(section="mediators", item=item, reason=reason))
    checked = add_named_mediators(sides.model_copy(update={"mediators": mediators}), segments)
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


def _mediates(text: str) -> bool:
    """Whether a sentence says someone mediates: a row of ``role:mediator`` matches it."""
    return any(pattern.search(text) for pattern in _MEDIATING)


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
            if normalise_name(r) and any(mentions(r, sentence_norm(t)) and _mediates(t) for t in texts)
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
_APPOSITION = _RULES["apposition"]


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


_TITLED = _RULES["titled"]


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


_EXPERT = _RULES["expert"]


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


_PARTY_PATTERNS = _RULES.patterns("form:party")


_GOVERNMENT = _RULES["government"]
_STATE_WORDS = _RULES["state_words"]


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


_TITLE = _RULES["title"]


def _person(name: str, article: str) -> bool:
    """Whether the article gives ``name`` a title or first name somewhere ("President Donald Trump", "Tusk")."""
    for at in whole_words(name, article):
        if _TITLE.search(article[max(0, at - 30) : at]):
            return True
    return False


_SPEAKER_PATTERNS = _RULES.patterns("form:speaker")


_PERSON_TITLE = _RULES["person_title"]
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
