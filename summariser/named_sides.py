"""Sides the article names in so many words, and step 1's sides held to them.

A small model reading a long article often lists two parties and forgets the
third party that "mediators from Qatar, the US and Egypt" or "Oman's foreign
minister, the mediator of the talks" names in one clause, or a third bidder
("Netflix's bid"). Wire copy names mediators and offer-makers in a few fixed
ways: :func:`named_mediators` and :func:`named_parties` read those and nothing
else (a host or a venue is not a mediator here: a summit's host is often a
party), and :func:`check_sides` adds what step 1 missed and moves a "mediator"
that no sentence describes as mediating. Every regular expression is linear:
names are runs of capitalised words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from summariser.cues import EXPERT_WORDS
from summariser.names import (
    BODY_WORD,
    acronym_in,
    first_mention,
    initials,
    is_government,
    last_mention,
    mentions,
    name_heads,
    normalise_name,
    sentence_norm,
)
from summariser.schemas.brief import DroppedItem
from summariser.schemas.extraction import ExtractedMediator, ExtractedParty, Sides
from summariser.segment import Segment

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
_ROLE = r"(?:mediators?|mediation|brokers?|facilitators?|go-betweens?)"
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
        rf"(?P<owner>{_NAME})(?:['’]s)?\s+(?:[a-z-]+\s+){{0,2}}(?:envoy|minister|secretary|representative|ambassador)s?"
        rf",\s+(?P<rep>{_NAME}),\s+(?:who|which)\s+(?:is\s+|has\s+been\s+)?(?:mediat|broker|facilitat|chair)"
    ),
    # "Oman's foreign minister Badr Al Busaidi, the mediator of the talks"
    re.compile(rf"(?P<owner>{_NAME})['’]s\s+(?:[a-z-]+\s+){{0,3}}(?P<rep>{_NAME}),\s+the\s+(?:[a-z-]+\s+)?{_ROLE}\b"),
    # "Norway, the mediator", "Norway, which is mediating", "Norway acts as facilitator"
    re.compile(
        rf"(?P<list>{_NAME}),?\s+(?:the\s+(?:[a-z-]+\s+)?{_ROLE}\b|(?:which|who)\s+(?:is\s+|are\s+|has\s+|have\s+)?"
        rf"(?:been\s+)?(?:mediat|broker|facilitat|chair)\w*|(?:acts|acted|serves|served)\s+as\s+(?:an?\s+|the\s+)?{_ROLE})"
    ),
    # "the Arctic League, which has hosted three rounds of the talks"
    re.compile(
        rf"(?P<list>{_NAME}),\s+(?:which|who)\s+(?:has\s+|have\s+|had\s+)?hosted\s+(?:[\w-]+\s+){{0,4}}?"
        r"(?:the\s+)?(?:talks|negotiations)\b"
    ),
    # "with Norway as mediator", "the bank as facilitator"
    re.compile(rf"(?P<list>{_NAME})\s+as\s+(?:an?\s+|the\s+)?(?:[a-z-]+\s+)?{_ROLE}\b"),
    # "The mediator, retired labour judge Miriam Okafor,"
    re.compile(rf"\b[Tt]he\s+(?:[a-z-]+\s+)?(?:mediator|facilitator),\s+(?:[a-z-]+\s+){{0,4}}(?P<list>{_NAME})"),
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
_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([^)\s]{1,2000}\)")


def _plain(text: str) -> str:
    """``text`` with Markdown links reduced to their words: "[Oman's minister](https://…)"."""
    return _LINK.sub(r"\1", text)


_DEMONYM_END = re.compile(r"(?:an|ian|i|ese|ish|ic)$")
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


def _country_of(demonym: str, article: str) -> str | None:
    """The country a demonym names: "Omani" is Oman where the article says "Oman", else "Omani".

    "US" is a name already; a capitalised word that is no demonym ("State") is None.
    """
    if demonym.isupper() and 2 <= len(demonym) <= 5:
        return demonym
    if " " in demonym or not _DEMONYM_END.search(demonym) or len(demonym) < 5:
        return None
    stem = demonym[:4]
    for match in re.finditer(rf"\b{re.escape(stem)}[a-z]*\b", article):
        word = match.group(0)
        if len(demonym) - 4 <= len(word) < len(demonym):  # "Oman" for "Omani", not "Port" for "Portuguese"
            return word
    return demonym


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
                    country = _country_of(groups["demonym"], article)
                    names = [country] if country else []
                elif groups.get("owner"):
                    names, reps = [groups["owner"]], (_clean(groups["rep"]),)
                elif groups.get("org") or groups.get("group"):
                    names = [groups.get("org") or groups["group"]]
                else:
                    names = [_country_of(n, article) or n for n in _split_list(groups["list"], text)]
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
    return [f for key, f in found.items() if key not in people]


def _split_list(names: str, text: str) -> list[str]:
    """A list of names split at its commas and "and"s, a service's own "and" kept: "the Federal
    Mediation and Conciliation Service" is one name, "Qatar, the US and Egypt" three."""
    services = [m["org"] for m in _SERVICE.finditer(text) if m["org"] in names]
    for service in services:
        names = names.replace(service, ",")
    return [*services, *(n for n in _SPLIT.split(names) if n.strip(" ,"))]


def _same(a: str, b: str) -> bool:
    """Whether two names denote one side: one contains the other, or one is the other's initials."""
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return False
    if mentions(a, nb) or mentions(b, na):
        return True
    short, long = sorted((a.replace(".", ""), b), key=len)
    return short.isupper() and len(short) >= 2 and short == initials(long)


def check_sides(sides: Sides, segments: Sequence[Segment]) -> tuple[Sides, list[DroppedItem]]:
    """Step 1's sides held to the article's words; returns the sides and what was moved or dropped.

    A mediator no sentence naming it describes as mediating, hosting, chairing
    or brokering is not kept as one: a body the article names in several
    sentences is at the table (a union listed as the go-between of its own
    dispute), so it becomes a party; one named less is dropped. The reason is
    kept in ``meta.dropped`` either way. Then the mediators and parties the
    article names in fixed forms are added when missing, parties get the proper
    names the article gives them (its own spelling of a name the model misspelt,
    without a lower-case kind the model added: "United Vehicle Workers union"),
    a place given for the local body it runs that body's name ("Harbin City
    transport authority"), and the short names the article uses as aliases:
    an acronym, whom a side bargains for ("the studios"), "the rebels" and
    "the union" where only one side can be meant. A mediator's person written
    into its name is split off;
    a party listed as a mediator with a person the article says mediates gives
    way to that person; people the article introduces as outside experts are
    no side's.
    """
    norms = [sentence_norm(s.text) for s in segments]
    parties, mediators, dropped = list(sides.parties), [], []
    for mediator in map(_titled_person, sides.mediators):
        mediator = _person_mediating(mediator, sides.parties, segments)
        names = [mediator.name, *mediator.representatives]
        naming = [i for i, norm in enumerate(norms) if any(mentions(n, norm) for n in names)]
        if not naming or any(_MEDIATING.search(segments[i].text) for i in naming):
            mediators.append(mediator)  # unnamed ones are grounding's to drop
            continue
        item = {"name": mediator.name}
        if _only_a_place(mediator.name, [_plain(segments[i].text) for i in naming]):
            reason = "the article names it only as the place of the talks"
        elif len(naming) >= _PARTY_MENTIONS and len(parties) < 6:
            parties.append(ExtractedParty(name=mediator.name, aliases=[], representatives=mediator.representatives))
            reason = f"no sentence says it mediates, and {len(naming)} name it: listed as a party"
        else:
            reason = "no sentence says it mediates, hosts, chairs or brokers the talks"
        dropped.append(DroppedItem(section="mediators", item=item, reason=reason))
    checked = add_named_mediators(sides.model_copy(update={"parties": parties, "mediators": mediators}), segments)
    checked = add_named_parties(checked, segments)
    article = "\n".join(_plain(s.text) for s in segments)
    spelt = [_country_name(_article_spelling(_people_only(p, article), article), article) for p in checked.parties]
    parties = _proper_names(spelt, [m.name for m in checked.mediators], article)
    parties = [_place_body(_without_kind_word(p, article), article) for p in parties]
    parties, merged = _merge_generic(parties, article)
    parties = _with_government_name(_with_kind_names([_with_short_form(p, article) for p in parties], article), article)
    parties = _with_union_name(
        _with_armed_group_name([_with_described_name(p, article) for p in parties], article), article
    )
    parties = _with_labour_names(parties, article)
    parties, mediators, doubled = _one_side_each(parties, checked.mediators, segments)
    parties, outsiders = _without_outsiders(parties, article)
    return checked.model_copy(update={"parties": parties, "mediators": mediators}), [
        *dropped,
        *merged,
        *doubled,
        *outsiders,
    ]


def _only_a_place(name: str, texts: Sequence[str]) -> bool:
    """Whether every mention of ``name`` is a place: after "in", "at", "to" ("talks in Pelstad") or as
    the dateline ("PELSTAD, March 4 (Wire) -"). A venue is neither mediator nor side."""
    found = False
    for text in texts:
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
            dateline = match.start() == 0 and match.group(0).isupper()
            if not dateline and not _PLACE_BEFORE.search(text[max(0, match.start() - 20) : match.start()]):
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
    if not any(_same(mediator.name, p.name) for p in parties):
        return mediator
    if any(_same(mediator.name, found.name) for found in named_mediators(segments)):
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


def _merge_generic(parties: list[ExtractedParty], article: str) -> tuple[list[ExtractedParty], list[DroppedItem]]:
    """Parties without their own: a lower-case group ("resident doctors") that shares its spokesperson
    with a named body (the British Medical Association) is that body, kept as its alias. Only people
    the article names count ("unknown" listed for two sides joins nothing)."""
    kept, dropped = list(parties), []
    norm = sentence_norm(article)
    for generic in parties:
        if any(c.isupper() for c in generic.name) or not generic.representatives:
            continue
        people = {normalise_name(r) for r in generic.representatives if mentions(r, norm)}
        body = next(
            (
                p
                for p in kept
                if p is not generic
                and any(c.isupper() for c in p.name)
                and people & {normalise_name(r) for r in p.representatives}
            ),
            None,
        )
        if body is None:
            continue
        kept = [
            p.model_copy(update={"aliases": [*p.aliases, generic.name]}) if p is body else p
            for p in kept
            if p is not generic
        ]
        dropped.append(
            DroppedItem(
                section="parties",
                item={"name": generic.name},
                reason=f"speaks through the same people as {body.name}: kept as its alias",
            )
        )
    return kept, dropped


# The local body a place's name stands for: "the city's transport authority", "Harbin's port
# authority" (not a country's ministry: "Estlund's commerce ministry" is Estlund's, Estlund still a side).
_PLACE_BODY = r"(?P<body>(?:[a-z-]+\s+){0,2}(?P<head>authority|council|department|agency))\b"
_PLACE_NOUN = r"(?:city|town|state|province|region|county|municipality|island|territory|country)"


def _place_body(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` named as the body the article says the place runs, when the model gave only the
    place: "Harbin City" for "the city's transport authority" becomes "Harbin City transport
    authority", known as "the authority". Only for a name the article uses as a place ("in
    Harbin City", the dateline) and one such body (a company's board is the company's)."""
    name = re.escape(party.name)
    if not re.search(rf"(?:\b(?:in|at)\s+|^|\n){name}\b", article, re.IGNORECASE):
        return party
    bodies = {
        (m["body"], m["head"])
        for m in re.finditer(rf"(?:\bthe\s+{_PLACE_NOUN}|\b{name})['’]s\s+{_PLACE_BODY}", article)
    }
    if len(bodies) != 1:
        return party
    body, head = bodies.pop()
    aliases = [party.name, *party.aliases]
    if re.search(rf"\bthe {head}\b", article, re.IGNORECASE):
        aliases.insert(0, f"the {head}")
    return party.model_copy(update={"name": f"{party.name} {body}", "aliases": aliases[:4]})


# A proper name the article gives a body: capitalised words, "of"/"and"/"und" inside.
_PROPER = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'-]*\s+)?(?:[A-Z][\w’'-]*)(?:\s+(?:of|for|and|und|der|des|the)\s+[A-Z][\w’'-]*|"
    r"\s+[A-Z][\w’'-]*)+"
)
_DETERMINERS = frozenset("The A An This That Die Der Das Ein Eine Its Their".split())


# How close a name the article does not contain must be to one it does, to be taken for a misspelling.
_SPELLING_SCORE = 85


# A side's institutions, which step 1 sometimes lists as its people: "Marovia's army".
_INSTITUTION = r"(?:army|military|armed forces|forces|police|navy|government|cabinet|administration|militia|board)"


def _people_only(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` with the bodies step 1 listed as its people moved to its names: "Marovia's army" is what
    the article calls Marovia (and "the army" where it says so), not one of its negotiators; the party's
    own name as its person goes."""
    people, aliases = [], list(party.aliases)
    for person in party.representatives:
        body = re.fullmatch(rf"(?:the\s+)?{re.escape(party.name)}['’]s\s+(?P<noun>{_INSTITUTION})", person.strip())
        if body:
            aliases.append(person)
            if re.search(rf"\bthe {re.escape(body['noun'])}\b", article, re.IGNORECASE):
                aliases.append(f"the {body['noun']}")
        elif normalise_name(person) != normalise_name(party.name):
            people.append(person)
    if people == party.representatives:
        return party
    kept = [a for a in dict.fromkeys(aliases) if normalise_name(a) != normalise_name(party.name)]
    return party.model_copy(update={"representatives": people, "aliases": kept[:4]})


def _article_spelling(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` under the article's own spelling of its name when the model misspelt it ("Moravia"
    for the article's "Morvia"): the closest capitalised words of the same length, if close enough."""
    if mentions(party.name, sentence_norm(article)):
        return party
    length = len(party.name.split())
    runs = [run.split() for run in re.findall(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", article)]
    spans = {" ".join(run[i : i + length]) for run in runs for i in range(len(run) - length + 1)}
    spans = {span for span in spans if span[:1] == party.name[:1]}  # a slip inside a name, not another name
    best = process.extractOne(party.name, spans, scorer=fuzz.ratio, score_cutoff=_SPELLING_SCORE)
    return party.model_copy(update={"name": best[0]}) if best else party


def _country_name(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` named by its country when the model wrote its demonym ("Selmari" for Selmar, which
    the article names), the demonym kept as an alias."""
    country = _country_of(party.name, article)
    if not country or country == party.name or country.isupper():
        return party
    return party.model_copy(update={"name": country, "aliases": [party.name, *party.aliases][:4]})


# A proper name the model wrote with the common noun the article puts after it: "United Vehicle
# Workers union" for "the United Vehicle Workers union" ("UK government" stays: a government is named so;
# "Nurses' union" stays: a possessive is no name).
_KIND_WORD = re.compile(
    r"(?P<name>.*[A-Z][\w’'-]*[\w-])\s+(?P<kind>union|group|company|movement|bloc|alliance|federation|association|"
    r"coalition)"
)


def _without_kind_word(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` under its proper name, when the model added the lower-case kind the article gives
    after it; the kind becomes an alias ("the union") when the article uses it so."""
    match = _KIND_WORD.fullmatch(party.name)
    if match is None or not re.search(rf"(?<![\w’'-]){re.escape(match['name'])}(?![\w’'-])", article):
        return party
    alias = f"the {match['kind']}"
    aliases = [a for a in party.aliases if normalise_name(a) != normalise_name(match["name"])]
    if re.search(rf"\b{alias}\b", article, re.IGNORECASE) and alias not in aliases:
        aliases.append(alias)
    return party.model_copy(update={"name": match["name"], "aliases": aliases[:4]})


def _proper_names(parties: Sequence[ExtractedParty], mediators: Sequence[str], article: str) -> list[ExtractedParty]:
    """Step 1's parties under the proper names the article gives them, the model's words kept as aliases.

    A small model often names a side as its headline does ("Nurses' union",
    "Pilots' union", "Hafen und Logistik"); where the article has one proper
    name of a body that contains that name, or shares a word with it while the
    model's name is no proper name at all, that name is the side's.
    """
    spans = []
    for match in _PROPER.finditer(article):
        words = match.group(0).split()
        while words and words[0] in _DETERMINERS:
            words = words[1:]
        span = re.sub(r"['’]s?$", "", " ".join(words))  # "Boreal Holdings' bid", "the Union's offer"
        # "the Federation of Nursing Staff and Valberg's Health Ministry": two bodies, not one
        # ("the Arbitration and Conciliation Service" is one).
        pieces = re.split(r"\s+(?:and|und)\s+", span)
        if len(pieces) == 2 and all(BODY_WORD.search(piece) for piece in pieces):
            parts = pieces
        else:
            parts = [span]
        # "Valberg's Health Ministry" is the Health Ministry
        parts = [re.sub(r"^[A-Z][\w-]*['’]s\s+(?=\S+\s)", "", part) for part in parts]
        spans += [part for part in parts if len(part.split()) >= 2 and BODY_WORD.search(part)]
    spans = list(dict.fromkeys(spans))
    taken = [*mediators, *(p.name for p in parties)]
    renamed = []
    for party in parties:
        name = party.name
        owned = re.fullmatch(r"[A-Z][\w-]*['’]s\s+((?:[A-Z][\w’'-]*\s*){2,})", name)
        if owned and owned.group(1).strip() in article:
            # "Valberg's Health Ministry" is the Health Ministry
            party = party.model_copy(update={"name": owned.group(1).strip(), "aliases": [name, *party.aliases][:4]})
            name = party.name
        own = re.compile(rf"(?<![\w’'-]){re.escape(name)}(?![\w’'-])")
        generic = [w for w in name.split()[1:] if w[0].islower() and w not in ("of", "and", "for", "the", "und")]
        if own.search(article) and name[0].isupper() and not generic:
            # "Hafen und Logistik" inside "Gewerkschaft Hafen und Logistik" every time it appears
            longer = {s for s in spans if own.search(s) and s != name}
            alone = own.findall(article)
            within = sum(article.count(s) for s in longer)
            candidates = sorted(longer, key=len) if longer and within >= len(alone) else []
        else:
            stems = {w[:4].casefold() for w in re.findall(r"[A-Za-z]{4,}", name)}
            candidates = [s for s in spans if stems & {w[:4].casefold() for w in re.findall(r"[A-Za-z]{4,}", s)}]
        candidates = [c for c in candidates if not any(_same(c, t) for t in taken if t != name)]
        if len(candidates) != 1:
            renamed.append(party)
            continue
        aliases = [a for a in [name, *party.aliases] if normalise_name(a) != normalise_name(candidates[0])]
        renamed.append(party.model_copy(update={"name": candidates[0], "aliases": aliases[:4]}))
    return renamed


# First words that never name a side alone ("United" is not the United States).
_GENERIC_FIRST = frozenset(
    "united national international european african asian american arab new north south east west northern "
    "southern eastern western central federal state royal general global world first great royal free democratic "
    "people peoples popular islamic republic coastal".split()
)


def _with_short_form(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` with the short names the article gives it as aliases.

    Its acronym where the article uses it ("BMA" for the British Medical
    Association), and the first word of its name where the article uses it
    alone: wire copy names a company so after the first mention ("Paramount"
    for Paramount Skydance).
    """
    acronym = acronym_in(party.name, article)
    if acronym and acronym not in party.aliases:
        party = party.model_copy(update={"aliases": [*party.aliases, acronym]})
    words = party.name.split()
    first = words[0] if len(words) > 1 else ""
    if len(first) < 4 or not first[0].isupper() or first.casefold() in _GENERIC_FIRST:
        return party
    if any(normalise_name(first) == normalise_name(a) for a in party.aliases):
        return party
    alone = re.findall(rf"\b{re.escape(first)}\b(?!\s+{re.escape(words[1])})", article)
    if len(alone) < 2:
        return party
    return party.model_copy(update={"aliases": [*party.aliases, first]})


# What kind of group the article calls a side: "the Frente Campesino rebel group", "the militant group Hamas".
_KIND_NAMES = {"rebel": "the rebels", "militant": "the militants", "armed": "the group"}
_KIND_SUFFIX = re.compile(r"\s+(?:rebel|militant|armed)\s+(?:group|movement|faction)$", re.IGNORECASE)


def _with_government_name(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """The one party the article calls a government ("Sarovan's government") known as "the government"."""
    norm = sentence_norm(article)
    states = [i for i, p in enumerate(parties) if is_government(p.name, norm, p.representatives)]
    if len(states) != 1 or " the government " not in norm:
        return parties
    party = parties[states[0]]
    if any(normalise_name(n) == "government" for n in (party.name, *party.aliases)):
        return parties
    updated = list(parties)
    updated[states[0]] = party.model_copy(update={"aliases": [*party.aliases, "the government"]})
    return updated


def _with_kind_names(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """Parties with the word for their kind the article then names them by ("the rebels" for the
    Frente Campesino rebel group), when only one side is described so. A name the model wrote with
    its kind ("Northern Liberation Army rebel group") becomes the name the article gives."""
    found: dict[str, list[int]] = {}
    parties = list(parties)
    for index, party in enumerate(parties):
        bare = _KIND_SUFFIX.sub("", party.name)
        if bare != party.name and re.search(rf"\b{re.escape(bare)}\b", article):
            parties[index] = party = party.model_copy(update={"name": bare, "aliases": [*party.aliases, party.name]})
        name = re.escape(party.name)
        for match in re.finditer(
            rf"\b{name}\s+(rebel|militant|armed)\s+(?:group|movement|faction)s?\b|"
            rf"\b(rebel|militant|armed)\s+(?:group|movement|faction)\s*,?\s+(?:the\s+)?{name}\b",
            article,
        ):
            found.setdefault(_KIND_NAMES[(match.group(1) or match.group(2)).casefold()], []).append(index)
    updated = list(parties)
    for alias, indices in found.items():
        if len(set(indices)) != 1 or not re.search(rf"\b{alias}\b", article, re.IGNORECASE):
            continue
        party = updated[indices[0]]
        if alias not in party.aliases:
            updated[indices[0]] = party.model_copy(update={"aliases": [*party.aliases, alias]})
    return updated


# Whom a side speaks for, as wire copy says it: "the Alliance of Film and Television Producers, which
# bargains for the studios"; the group a bloc is of: "the G-40 coalition of developing countries".
_SPEAKS_FOR = (
    r",?\s+which\s+(?:represents|bargains\s+for|negotiates\s+for|speaks\s+for|negotiates\s+on\s+behalf\s+of)\s+"
)
_GROUP_OF = r"(?:\s+[A-Za-z-]+)?\s+(?:coalition|group|bloc|alliance|grouping)\s+of\s+"
_MEMBERS = (
    r"(?P<group>(?:[a-z-]+\s+){0,2}(?:countries|nations|states|economies|producers|exporters|studios|employers))\b"
)


def _with_described_name(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` known also by the group the article says it speaks for or is made of: "the studios",
    "developing countries"."""
    name = re.escape(party.name)
    found = re.search(rf"\b{name}(?:{_SPEAKS_FOR}(?P<the>the\s+)?|{_GROUP_OF}){_MEMBERS}", article)
    if found is None:
        return party
    return _with_alias(party, ("the " if found["the"] else "") + found["group"])


def _with_alias(party: ExtractedParty, alias: str) -> ExtractedParty:
    """``party`` also known as ``alias``, unless it is so already (four aliases at most)."""
    if any(normalise_name(a) == normalise_name(alias) for a in [party.name, *party.aliases]):
        return party
    return party.model_copy(update={"aliases": [*party.aliases, alias][:4]})


# The word for an armed group facing a government, when only one side can be meant.
_ARMED = re.compile(r"\bthe (rebels|insurgents|militants|guerrillas)\b", re.IGNORECASE)


def _with_armed_group_name(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """Two parties, one a government: the other is "the rebels" where the article calls a side so
    ("The rebels have not responded")."""
    norm = sentence_norm(article)
    words = {m.group(0).casefold() for m in _ARMED.finditer(article)}
    states = [is_government(p.name, norm, p.representatives) for p in parties]
    if len(parties) != 2 or sum(states) != 1 or len(words) != 1:
        return parties
    other = states.index(False)
    return [_with_alias(p, words.pop()) if i == other else p for i, p in enumerate(parties)]


# Bodies of working people that wire copy calls "the union" whatever their name.
_LABOUR = re.compile(r"\b(?:guild|federation|association|confederation|congress|brotherhood|syndicate|workers)\b", re.I)


def _with_union_name(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """The one party that is a body of working people (a guild, a federation, an association) known as
    "the union" where the article calls a side so and no party is named a union."""
    if not re.search(r"\bthe union\b", article, re.IGNORECASE):
        return parties
    named = [p for p in parties if any("union" in normalise_name(n).split() for n in [p.name, *p.aliases])]
    labour = [i for i, p in enumerate(parties) if _LABOUR.search(p.name)]
    if named or len(labour) != 1:
        return parties
    return [_with_alias(p, "the union") if i == labour[0] else p for i, p in enumerate(parties)]


# The people a labour body's name says it is made of: "Continental Hockey Players' Association" (the players),
# "Aerospace Machinists District 9" (the machinists).
_MEMBERS_NOUN = re.compile(
    r"\b(?P<members>[A-Z][a-z]{3,}s)['’]?\s+(?:[A-Z][\w-]*\s+)?(?:Union|Association|Guild|Federation|District|Brotherhood|"
    r"Council|Congress|Syndicate)\b"
)
# What wire copy calls the employer in a labour dispute: "the planemaker's latest offer", "the company said".
_EMPLOYER = re.compile(
    r"\bthe\s+(company|employer|firm|management|airline|carrier|operator|railway|league|owners|[a-z]+maker)\b",
    re.IGNORECASE,
)


def _with_labour_names(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """Two sides in a labour dispute, known by the words wire copy uses for them: the body of working
    people as "the players" or "the machinists" its name says it is made of, and the other side as "the
    company", "the employer", "the planemaker", where the article calls them so."""
    norm = sentence_norm(article)
    members = [_MEMBERS_NOUN.search(p.name) for p in parties]
    labour = [i for i, p in enumerate(parties) if members[i] or _LABOUR.search(p.name) or "Union" in p.name]
    if len(parties) != 2 or len(labour) != 1:
        return parties
    union, other = labour[0], 1 - labour[0]
    updated = list(parties)
    if (found := members[union]) and re.search(rf"\bthe {found['members']}\b", article, re.IGNORECASE):
        updated[union] = _with_alias(updated[union], f"the {found['members'].casefold()}")
    if not is_government(parties[other].name, norm, parties[other].representatives):
        for word in dict.fromkeys(m.group(1).casefold() for m in _EMPLOYER.finditer(article)):
            updated[other] = _with_alias(updated[other], f"the {word}")
    return updated


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
        if len(parties) < 6 and not any(_same(name, k) and not _body_within(name, k) for k in known):
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
            if people & {normalise_name(r) for r in mediator.representatives} and not _same(mediator.name, found.name):
                # "Portmont": Amara Osei, where talks were "chaired by Global Trade Council Director-General
                # Amara Osei": the body the article names with its person, not the venue.
                listed[index] = mediator.model_copy(update={"name": found.name})
                known.append(found.name)
        if any(_same(name, k) for name in [found.name, *found.representatives] for k in known):
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
        and _country_of(name, article) in (None, name)
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
                if key in first or normalise_name(words[0]) in _NOT_NAMES or any(_same(name, k) for k in known):
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
