"""The names wire copy gives a side, held to the article.

Step 1 names a side as a small model reads it: by its headline ("Nurses'
union"), its demonym ("Selmari"), a misspelling ("Moravia"), the place that
runs it ("Harbin City") or an institution listed as its person ("Marovia's
army"). :func:`name_parties` gives each party the proper name the article
gives it and the short names the article then uses for it: an acronym,
"the government", "the rebels", "the union", "the players", "the company",
whom it bargains for. Every rule reads the article's own words; none
invents a name the article does not use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from summariser.names import (
    BODY_WORD,
    acronym_in,
    country_of,
    ends_at,
    is_government,
    mentions,
    name_then,
    normalise_name,
    same_side,
    sentence_norm,
    standalone,
    whole_words,
    word_at,
)
from summariser.rulebook import rulebook
from summariser.schemas.brief import DroppedItem
from summariser.schemas.extraction import ExtractedParty

_RULES = rulebook("en")  # summariser/rules/en/names.toml

__all__ = ["name_parties"]


def name_parties(
    parties: Sequence[ExtractedParty], mediators: Sequence[str], article: str
) -> tuple[list[ExtractedParty], list[DroppedItem]]:
    """``parties`` under the names the article gives them, with the short names it then uses as
    aliases; ``mediators`` are names no party may take. Returns the parties and those merged into
    another, for ``meta.dropped``: a lower-case group into the body it speaks through, a bare
    "government" into the side that is the government."""
    # One side named by its minister is the government; two are two governments, left as they are.
    by_minister = sum(_MINISTER_NAMED.fullmatch(p.name.strip()) is not None for p in parties) == 1
    spelt = [
        _country_name(
            _article_spelling(_people_only(_office_holder(p) if by_minister else p, article), article), article
        )
        for p in _no_side_as_person(parties)
    ]
    named = _proper_names([_name_in_article(p, article) for p in spelt], mediators, article)
    named = [_place_body(_without_kind_word(p, article), article) for p in named]
    named, members = _merge_members(named, article)
    named, merged = _merge_generic(named, article)
    named, doubled = _merge_government(named, article)
    named = _with_government_name(_with_kind_names([_with_short_form(p, article) for p in named], article), article)
    named = _with_union_name(
        _with_armed_group_name([_with_described_name(p, article) for p in named], article), article
    )
    named = [_with_members(p, article) for p in _with_bloc_name(_with_labour_names(named, article), article)]
    return _without_shared_aliases(named), [*members, *merged, *doubled]


def _without_shared_aliases(parties: list[ExtractedParty]) -> list[ExtractedParty]:
    """The parties without an alias step 1 gave two of them ("Halden" for the city's tenants' union and
    its landlords' association): a name two sides share tells neither apart."""
    counts: dict[str, int] = {}
    for party in parties:
        for alias in {normalise_name(a) for a in party.aliases}:
            counts[alias] = counts.get(alias, 0) + 1
    shared = {alias for alias, n in counts.items() if n > 1}
    if not shared:
        return parties
    return [
        p.model_copy(update={"aliases": [a for a in p.aliases if normalise_name(a) not in shared]}) for p in parties
    ]


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


def _merge_members(parties: list[ExtractedParty], article: str) -> tuple[list[ExtractedParty], list[DroppedItem]]:
    """Parties without a bare group of members ("Airlines", a plural the article writes in lower case)
    beside the body whose name starts with its word (the "Airline Operators Committee" that speaks for
    them): the group is that body's alias. The people step 1 gave the bare group are its guess and are
    not taken along."""
    kept, dropped = list(parties), []
    for group in parties:
        head = _members_word(group.name, article)
        body = next((p for p in kept if p is not group and _first_word(p.name) == head), None) if head else None
        if body is None:
            continue
        kept = [_with_alias(p, group.name) if p is body else p for p in kept if p is not group]
        reason = f"the {group.name.lower()} {body.name} speaks for: kept as its alias"
        dropped.append(DroppedItem(section="parties", item={"name": group.name}, reason=reason))
    return kept, dropped


def _first_word(name: str) -> str:
    """A name's first word, normalised, without a plural ending: "airline" for "Airline Operators Committee"."""
    words = normalise_name(name).split()
    return words[0].removesuffix("s") if words else ""


def _members_word(name: str, article: str) -> str | None:
    """The word of a party named as a bare plural the article also writes in lower case ("Airlines",
    "the farmers"), without its plural ending; None for a proper name."""
    words = normalise_name(name).split()
    if len(words) != 1 or not words[0].endswith("s"):
        return None
    word = words[0]
    if word_at(word, article) is None:
        return None  # never in lower case: a proper name
    for at in whole_words(word.capitalize(), article):
        before = article[max(0, at - 3) : at].strip()
        if before and before[-1] not in '.!?-–—:"“(':
            return None  # capitalised inside a sentence: a proper name
    return _first_word(word)


def _merge_government(parties: list[ExtractedParty], article: str) -> tuple[list[ExtractedParty], list[DroppedItem]]:
    """Parties without a second "government": a side step 1 calls only "government" or "the state",
    where another side is the government (a country, or one whose people the article titles as
    ministers: "Harun province" with "Interior Minister Hamid Qasem"), is that side's alias."""
    norm = sentence_norm(article)
    bare = [p for p in parties if normalise_name(p.name) in ("government", "state")]
    states = [p for p in parties if p not in bare and is_government(p.name, norm, p.representatives)]
    if not bare or len(states) != 1:
        return parties, []
    state = states[0]
    merged = _with_alias(state, "the government")
    kept = [merged if p is state else p for p in parties if p not in bare]
    reason = f"the government is {state.name}: kept as its alias"
    return kept, [DroppedItem(section="parties", item={"name": p.name}, reason=reason) for p in bare]


_PLACE_BODY = _RULES.word_class("place_body")
_PLACE_NOUN = _RULES.word_class("place_noun")
_THE_PLACES_BODY = re.compile(rf"\bthe\s+{_PLACE_NOUN}['’]s\s+{_PLACE_BODY}")
_POSSESSIVE_BODY = re.compile(rf"['’]s\s+{_PLACE_BODY}")


def _place_body(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` named as the body the article says the place runs, when the model gave only the
    place: "Harbin City" for "the city's transport authority" becomes "Harbin City transport
    authority", known as "the authority". Only for a name the article uses as a place ("in
    Harbin City", the dateline) and one such body (a company's board is the company's)."""
    name = re.escape(party.name)
    if not re.search(rf"(?:\b(?:in|at)\s+|^|\n){name}\b", article, re.IGNORECASE):
        return party
    found = [*_THE_PLACES_BODY.finditer(article), *name_then(party.name, _POSSESSIVE_BODY, article)]
    bodies = {(m["body"], m["head"]) for m in found}
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


_INSTITUTION = _RULES.word_class("institution")


def _no_side_as_person(parties: Sequence[ExtractedParty]) -> list[ExtractedParty]:
    """The parties without a side's name among anyone's people: step 1 lists "Sayf al-Nur" as a person
    of Talvaria and of Sayf al-Nur itself, and no side speaks through another."""
    names = {normalise_name(n) for p in parties for n in [p.name, *p.aliases]}
    return [
        p.model_copy(update={"representatives": [r for r in p.representatives if normalise_name(r) not in names]})
        if any(normalise_name(r) in names for r in p.representatives)
        else p
        for p in parties
    ]


_MINISTER_NAMED = _RULES["minister_named"]


def _office_holder(party: ExtractedParty) -> ExtractedParty:
    """A side step 1 named by its minister ("Labour Minister Sofia Bermudez") as the government she
    speaks for, with her as its person."""
    minister = _MINISTER_NAMED.fullmatch(party.name.strip())
    if minister is None:
        return party
    people = [
        minister["person"],
        *(r for r in party.representatives if normalise_name(r) != normalise_name(minister["person"])),
    ]
    aliases = [a for a in party.aliases if normalise_name(a) != "government"]
    return party.model_copy(update={"name": "Government", "aliases": aliases, "representatives": people})


def _people_only(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` with the bodies step 1 listed as its people moved to its names: "Marovia's army" is what
    the article calls Marovia (and "the army" where it says so), not one of its negotiators."""
    people, aliases = [], list(party.aliases)
    for person in party.representatives:
        body = re.fullmatch(rf"(?:the\s+)?{re.escape(party.name)}['’]s\s+(?P<noun>{_INSTITUTION})", person.strip())
        if body:
            aliases.append(person)
            if re.search(rf"\bthe {re.escape(body['noun'])}\b", article, re.IGNORECASE):
                aliases.append(f"the {body['noun']}")
        else:
            people.append(person)
    if people == party.representatives:
        return party
    kept = [a for a in dict.fromkeys(aliases) if normalise_name(a) != normalise_name(party.name)]
    return party.model_copy(update={"representatives": people, "aliases": kept[:4]})


def _name_in_article(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` under a name the article uses, when step 1 gave it one the article never does but an
    alias the article uses: a small model that knows the story from elsewhere writes "North Korea" for
    the article's "Norvak". The name it invented is dropped, not kept as an alias."""
    norm = sentence_norm(article)
    if mentions(party.name, norm):
        return party
    used = [a for a in party.aliases if a[:1].isupper() and mentions(a, norm)]
    if not used:
        return party
    return party.model_copy(update={"name": used[0], "aliases": [a for a in party.aliases if a != used[0]]})


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
    country = country_of(party.name, article)
    if not country or country == party.name or country.isupper():
        return party
    return party.model_copy(update={"name": country, "aliases": [party.name, *party.aliases][:4]})


_KIND_WORD = _RULES["kind_word"]


def _without_kind_word(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` under its proper name, when the model added the lower-case kind the article gives
    after it; the kind becomes an alias ("the union") when the article uses it so."""
    match = _KIND_WORD.fullmatch(party.name)
    if match is None or not standalone(match["name"], article):
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
        generic = [w for w in name.split()[1:] if w[0].islower() and w not in ("of", "and", "for", "the", "und")]
        alone = standalone(name, article)
        if alone and name[0].isupper() and not generic:
            # "Hafen und Logistik" inside "Gewerkschaft Hafen und Logistik" every time it appears
            longer = {s for s in spans if standalone(name, s) and s != name}
            within = sum(article.count(s) for s in longer)
            candidates = sorted(longer, key=len) if longer and within >= len(alone) else []
        else:
            stems = {w[:4].casefold() for w in re.findall(r"[A-Za-z]{4,}", name)}
            candidates = [s for s in spans if stems & {w[:4].casefold() for w in re.findall(r"[A-Za-z]{4,}", s)}]
        candidates = [c for c in candidates if not any(same_side(c, t) for t in taken if t != name)]
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
_KIND_SUFFIX = _RULES["kind_suffix"]


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


_KIND_AFTER = re.compile(r"\s+(rebel|militant|armed)\s+(?:group|movement|faction)s?\b")
_KIND_BEFORE = re.compile(r"\b(rebel|militant|armed)\s+(?:group|movement|faction)\s*,?\s+(?P<the>the\s+)?")


def _kinds_named(name: str, article: str) -> list[str]:
    """The kinds the article gives ``name`` beside it: "the Front rebel group", "the armed group, the
    Front" (each kind word once for each time)."""
    after = [m.group(1) for m in name_then(name, _KIND_AFTER, article)]
    before = [
        m.group(1)
        for m in _KIND_BEFORE.finditer(article)
        # "the armed group, the Front": the name after "the", or a name that is "the …" itself
        if any(ends_at(name, article, at) for at in ((m.end(), m.start("the")) if m["the"] else (m.end(),)))
    ]
    return after + before


def _with_kind_names(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """Parties with the word for their kind the article then names them by ("the rebels" for the
    Frente Campesino rebel group), when only one side is described so. A name the model wrote with
    its kind ("Northern Liberation Army rebel group") becomes the name the article gives."""
    found: dict[str, list[int]] = {}
    parties = list(parties)
    for index, party in enumerate(parties):
        bare = _KIND_SUFFIX.sub("", party.name)
        if bare != party.name and word_at(bare, article) is not None:
            parties[index] = party = party.model_copy(update={"name": bare, "aliases": [*party.aliases, party.name]})
        for kind in _kinds_named(party.name, article):
            found.setdefault(_KIND_NAMES[kind.casefold()], []).append(index)
    updated = list(parties)
    for alias, indices in found.items():
        if len(set(indices)) != 1 or not re.search(rf"\b{alias}\b", article, re.IGNORECASE):
            continue
        party = updated[indices[0]]
        if alias not in party.aliases:
            updated[indices[0]] = party.model_copy(update={"aliases": [*party.aliases, alias]})
    return updated


_SPEAKS_FOR = _RULES.word_class("speaks_for")
_GROUP_OF = _RULES.word_class("group_of")
_MEMBERS = _RULES.word_class("members")
_DESCRIBED = re.compile(rf"(?:{_SPEAKS_FOR}(?P<the>the\s+)?|{_GROUP_OF}){_MEMBERS}")


def _with_described_name(party: ExtractedParty, article: str) -> ExtractedParty:
    """``party`` known also by the group the article says it speaks for or is made of: "the studios",
    "developing countries"."""
    found = next(name_then(party.name, _DESCRIBED, article), None)
    if found is None:
        return party
    return _with_alias(party, ("the " if found["the"] else "") + found["group"])


def _with_alias(party: ExtractedParty, alias: str) -> ExtractedParty:
    """``party`` also known as ``alias``, unless it is so already (four aliases at most)."""
    if any(normalise_name(a) == normalise_name(alias) for a in [party.name, *party.aliases]):
        return party
    return party.model_copy(update={"aliases": [*party.aliases, alias][:4]})


_ARMED = _RULES["armed"]


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


_LABOUR = _RULES["labour"]


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


_MADE_OF = _RULES["made_of"]
_EMPLOYER = _RULES["employer"]


def _with_labour_names(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """Two sides in a labour dispute, known by the words wire copy uses for them: the body of working
    people as "the players" or "the machinists" its name says it is made of, and the other side as "the
    company", "the employer", "the planemaker", where the article calls them so."""
    norm = sentence_norm(article)
    members = [_MADE_OF.search(p.name) for p in parties]
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


_STATES_UNION = _RULES["states_union"]


def _with_bloc_name(parties: list[ExtractedParty], article: str) -> list[ExtractedParty]:
    """The one party that is a union of states known as "the bloc" where the article calls a side so
    ("the bloc's chief negotiator")."""
    if not re.search(r"\bthe (?:[\w-]+ )?bloc\b", article, re.IGNORECASE):
        return parties
    unions = [
        i
        for i, p in enumerate(parties)
        if _STATES_UNION.search(p.name) and not _LABOUR.search(p.name) and not _MADE_OF.search(p.name)
    ]
    if len(unions) != 1:
        return parties
    return [_with_alias(p, "the bloc") if i == unions[0] else p for i, p in enumerate(parties)]


_MEMBER_COUNTRIES = _RULES.word_class("member_countries")
_COALITION = _RULES["coalition"]


def _with_members(party: ExtractedParty, article: str) -> ExtractedParty:
    """A coalition of countries known also by the members the article says lead or make it up, whose
    ministers and delegates speak for it ("Norland's climate minister" for the High Ambition Coalition)."""
    if not _COALITION.search(party.name):
        return party
    name = re.escape(party.name)
    found = re.search(
        rf"\b{name}(?:\s+of\s+[^,]{{1,60}})?,\s+(?:[^,]{{0,60}}?\s)?(?:led by|including|such as)\s+{_MEMBER_COUNTRIES}",
        article,
    )
    if found is None:
        return party
    members = [m for m in re.split(r"\s*,\s*|\s+and\s+", found["list"]) if m]
    for member in members:
        party = _with_alias(party, member)
    return party
