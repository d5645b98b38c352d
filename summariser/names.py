"""Names: how the sides of a negotiation are compared and found in text.

One normal form (:func:`normalise_name`) serves grounding, ``eval`` and
``nightly``; :func:`mentions` says whether a normalised sentence names a side,
demonyms included ("Ukrainian" names Ukraine, "Turkish" names Türkiye).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from unidecode import unidecode

from summariser.memo import KeptByLength
from summariser.rulebook import rulebook

_RULES = rulebook("en")  # summariser/rules/en/names.toml

__all__ = [
    "normalise_name",
    "mentions",
    "first_mention",
    "name_then",
    "word_at",
    "whole_words",
    "ends_at",
    "standalone",
    "name_heads",
    "first_body",
    "country_of",
    "same_side",
    "BODY_WORD",
    "capital_of",
    "is_government",
    "split_joint",
    "initials",
    "acronym_in",
    "flat_text",
    "stems",
    "STOPWORDS",
]

STOPWORDS = frozenset(
    "the a an and or of to in on at for with by from that this these those is are was were be been will would "
    "should could can may might has have had not no its it their them they he she his her as about after before "
    "into over than then also said says say both side sides any all more most such which who whom what when".split()
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})
# Words that name a side's people, not the side, at the end of a name: "the Russian delegation".
_TRIM_TAIL = frozenset({"side", "sides", "delegation", "delegations", "government", "team", "negotiators", "officials"})


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name.

    >>> normalise_name("The Russian delegation")
    'russian'
    """
    return _kept_forms(name)


def _normalise(name: str) -> str:
    text = unidecode(name).casefold()
    words = re.sub(r"[^\w\s-]", " ", text).replace("-", " ").split()
    # Word by word, in one pass: a text of "the the the ..." costs linear time.
    start, end = 0, len(words)
    while start < end - 1 and words[start] == "the":
        start += 1
    while end - 1 > start and words[end - 1] in _TRIM_TAIL:
        end -= 1
    return " ".join(words[start:end])


# A brief normalises its names, each sentence and its whole article over and over (at realdev's
# length ~220 sentences' forms and ~9 of the whole text, the side-name checks each reading it),
# and unidecode is pure Python on text that is not ASCII, as news with curly quotes is: 40% of a
# brief's CPU outside the model there, before its forms were kept.
_kept_forms = KeptByLength(_normalise, shorts=4096)


def stems(text: str) -> set[str]:
    """Content-word stems (first five letters) of a text, numbers kept."""
    words = re.findall(r"[a-z0-9]+", unidecode(text).casefold())
    return {w[:5] for w in words if w not in STOPWORDS and (len(w) >= 3 or w.isdigit())}


def sentence_norm(text: str) -> str:
    """A sentence in the form :func:`mentions` searches: normalised, a space at each end."""
    return " " + normalise_name(text) + " "


def mentions(name: str, sentence_norm: str) -> bool:
    """Whether ``sentence_norm`` (a normalised sentence) names ``name``."""
    return first_mention(name, sentence_norm) is not None


# A side's name is searched as a literal and its fixed context as a pattern compiled once: a
# pattern built around each name was compiled again for every side of every article, and its
# fixed alternations of words cost most of that (~1.5 ms a brief of real length).
_BOUNDARY = re.compile(r"\b")
_WORDISH = re.compile(r"[\w’'-]")


def _starts(name: str, text: str) -> Iterator[int]:
    """Each index where ``name`` starts in ``text`` on a word boundary (where ``\\bNAME`` matches)."""
    at = text.find(name) if name else -1
    while at >= 0:
        if _BOUNDARY.match(text, at):
            yield at
        at = text.find(name, at + 1)


def name_then(name: str, tail: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Each match of ``tail`` right after ``name`` where ``name`` starts on a word boundary: what
    ``\\bNAME(?:TAIL)`` finds, the name taken literally, with no pattern compiled for it.

    >>> [m.group(1) for m in name_then("Front", re.compile(r"\\s+(rebel|armed) group"), "the Front rebel group")]
    ['rebel']
    """
    return (found for at in _starts(name, text) if (found := tail.match(text, at + len(name))))


def whole_words(name: str, text: str) -> Iterator[int]:
    """Each index where ``name`` stands as whole words in ``text``, left to right and not
    overlapping: the matches of ``\\bNAME\\b``, the name taken literally."""
    end = 0
    for at in _starts(name, text):
        if at >= end and _BOUNDARY.match(text, at + len(name)):
            yield at
            end = at + len(name)


def word_at(name: str, text: str) -> int | None:
    """Where ``name`` first stands as whole words in ``text``, or None.

    >>> word_at("iran", "iranian officials met iran"), word_at("iran", "iranian")
    (22, None)
    """
    return next(whole_words(name, text), None)


def ends_at(name: str, text: str, at: int) -> bool:
    """Whether ``name`` is in ``text`` at index ``at`` and ends on a word boundary (``NAME\\b`` matched there)."""
    return text.startswith(name, at) and _BOUNDARY.match(text, at + len(name)) is not None


def standalone(name: str, text: str) -> list[int]:
    """Where ``name`` stands alone in ``text``, not inside a longer word, a hyphenated word or a
    possessive: the matches of ``(?<![\\w’'-])NAME(?![\\w’'-])`` (the name taken literally), left to
    right and not overlapping.

    >>> standalone("Hafen", "Hafen und Logistik, Hafen's docks, Hafenarbeiter, Hafen.")
    [0, 50]
    """
    found, at = [], text.find(name) if name else -1
    while at >= 0:
        end = at + len(name)
        if not (at and _WORDISH.match(text, at - 1)) and not _WORDISH.match(text, end):
            found.append(at)
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return found


@lru_cache(maxsize=64)
def _letters_then_boundary(most: int) -> re.Pattern[str]:
    return re.compile(rf"[a-z]{{0,{most}}}\b")


# A short name takes a short ending only: "Iranian", "Omani", not "Meta" in "metallic".
_DEMONYM_ENDS = (re.compile(r"[a-z]{0,2}(?:ian|an|i)\b"), re.compile(r"[a-z]*(?:an|ian|ese|ish|i|ic)\b"))


def first_mention(name: str, sentence_norm: str) -> int | None:
    """Where ``sentence_norm`` (a normalised sentence) first names ``name``, or None."""
    key = normalise_name(name)
    if not key:
        return None
    places = [at for at in [word_at(key, sentence_norm)] if at is not None]
    if " " not in key and len(key) >= 4:
        # Demonyms: "Ukraine" is mentioned by "Ukrainian", "Türkiye" by "Turkish", "Israel" by
        # the "Israeli" that comes before it ("the Israeli office said ... unacceptable to Israel"),
        # "Iran" by "Iranian".
        stem = key[:5] if len(key) > 5 else key[:4]
        demonym = next(name_then(stem, _DEMONYM_ENDS[len(key) >= 5], sentence_norm), None)
        if demonym:
            places.append(demonym.start() - len(stem))
        elif not places and len(key) >= 5:
            # "Philippine" for "Philippines", not "Northline" for the "North" of "ASLEF-North".
            longer = _letters_then_boundary(len(key) - len(stem) + 3)
            places += [m.start() - len(stem) for m in [next(name_then(stem, longer, sentence_norm), None)] if m]
    return min(places) if places else None


def last_mention(name: str, sentence_norm: str) -> int | None:
    """Where ``sentence_norm`` (a normalised sentence) last names ``name`` in so many words, or None."""
    key = normalise_name(name)
    places = list(whole_words(key, sentence_norm)) if key else []
    return places[-1] if places else None


# Capitals that news names a government by ("Tehran has insisted", "Moscow wants"), normalised.
_CAPITALS = {
    "afghanistan": "kabul",
    "algeria": "algiers",
    "argentina": "buenos aires",
    "armenia": "yerevan",
    "australia": "canberra",
    "austria": "vienna",
    "azerbaijan": "baku",
    "belarus": "minsk",
    "belgium": "brussels",
    "brazil": "brasilia",
    "canada": "ottawa",
    "china": "beijing",
    "colombia": "bogota",
    "cuba": "havana",
    "egypt": "cairo",
    "ethiopia": "addis ababa",
    "european union": "brussels",
    "eu": "brussels",
    "france": "paris",
    "germany": "berlin",
    "greece": "athens",
    "india": "new delhi",
    "indonesia": "jakarta",
    "iran": "tehran",
    "iraq": "baghdad",
    "ireland": "dublin",
    "israel": "jerusalem",
    "italy": "rome",
    "japan": "tokyo",
    "jordan": "amman",
    "kenya": "nairobi",
    "lebanon": "beirut",
    "libya": "tripoli",
    "mexico": "mexico city",
    "morocco": "rabat",
    "netherlands": "the hague",
    "nigeria": "abuja",
    "north korea": "pyongyang",
    "norway": "oslo",
    "oman": "muscat",
    "pakistan": "islamabad",
    "peru": "lima",
    "philippines": "manila",
    "poland": "warsaw",
    "qatar": "doha",
    "russia": "moscow",
    "saudi arabia": "riyadh",
    "serbia": "belgrade",
    "south africa": "pretoria",
    "south korea": "seoul",
    "spain": "madrid",
    "sudan": "khartoum",
    "sweden": "stockholm",
    "switzerland": "bern",
    "syria": "damascus",
    "taiwan": "taipei",
    "thailand": "bangkok",
    "turkey": "ankara",
    "turkiye": "ankara",
    "ukraine": "kyiv",
    "united kingdom": "london",
    "uk": "london",
    "britain": "london",
    "united states": "washington",
    "us": "washington",
    "u s": "washington",
    "usa": "washington",
    "venezuela": "caracas",
    "vietnam": "hanoi",
    "yemen": "sanaa",
}


def capital_of(name: str) -> str | None:
    """The capital a country's government is named by in news ("Tehran" for Iran), or None."""
    return _CAPITALS.get(normalise_name(name))


_GOVERNMENT_NAME = _RULES["government_name"]


def is_government(name: str, article_norm: str, people: Sequence[str] = ()) -> bool:
    """Whether a side is a government: a known country, a name that says so ("Health Ministry"), a
    country the article calls one ("the government of Verano", "Sarovan's government"), or a side
    whose ``people`` the article titles as ministers ("Finance Minister Tomas Varga");
    ``article_norm`` is the article in :func:`sentence_norm` form."""
    key = normalise_name(name)
    if not key:
        return False
    if capital_of(name) or _GOVERNMENT_NAME.search(name):
        return True
    if any(
        f" {form} " in article_norm for form in (f"government of {key}", f"{key} government", f"{key} s government")
    ):
        return True
    return any(
        re.search(rf" (?:minister|chancellor|premier) {re.escape(normalise_name(person))} ", article_norm)
        for person in people
        if normalise_name(person)
    )


BODY_WORD = _RULES["body_word"]
_CAPITAL_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w’'-]*)*")


def first_body(words: str) -> str | None:
    """The first run of capitalised words in ``words`` if it names a body: "Liberal Alliance" of "The
    centre-right Liberal Alliance, the largest opposition party"; None when the first is no body's
    name ("Green co-leader Jonas Feld")."""
    runs = [run for run in _CAPITAL_RUN.findall(words) if run not in ("The", "A", "An")]
    return runs[0] if runs and BODY_WORD.search(runs[0]) else None


def name_heads(name: str) -> list[str]:
    """The words of a name of several words that can name the side alone.

    Wire copy names a side again by the head of its name ("the union", "the
    Front", "the Alliance" of the Alliance of Reef States, "the Council" of the
    National Council of Churches) and a person by surname ("Mr Reyes", "Okafor").
    """
    words = normalise_name(name).split()
    if len(words) < 2:
        return []
    heads = [words[-1]]
    if "of" in words[1:]:
        heads.insert(0, words[words.index("of", 1) - 1])
    return [head for head in dict.fromkeys(heads) if len(head) >= 4]


def initials(name: str) -> str | None:
    """The acronym a name of several capitalised words goes by: "UN", "BMA", "ICRC", or None.

    >>> initials("International Committee of the Red Cross")
    'ICRC'
    """
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


# Acronyms that are English words when case is ignored, as names are compared.
_WORDLIKE = frozenset("us it am an as at be by do go he if in is me my no of on or so to up we".split())


def acronym_in(name: str, text: str) -> str | None:
    """The acronym of ``name`` when ``text`` uses it (in capitals) and it cannot be read as a word."""
    acronym = initials(name)
    if not acronym or acronym.casefold() in _WORDLIKE or acronym.casefold() in STOPWORDS:
        return None
    return acronym if re.search(rf"\b{acronym}\b", text) else None


def flat_text(text: str) -> str:
    """Text for comparing quotes: straight quotation marks, single spaces, case-folded."""
    return " ".join(text.translate(_QUOTES).split()).casefold()


_JOINER = re.compile(r"\s*(?:,|&|\band\b|/)\s*")
_JOINED_BEFORE = re.compile(r"(?:^|(?:,|&|\band|/))\s*$")
_JOINED_AFTER = re.compile(r"\s*(?:$|,|&|and\b|/)")


def split_joint(value: str, known: Sequence[str]) -> list[str]:
    """A joint actor ("A and B") as its sides, in order, reading the ``known`` names whole first:
    "Screen Performers Guild and Alliance of Film and Television Producers" is two sides, not three.
    """
    spans: list[tuple[int, int]] = []
    for name in sorted({n.strip() for n in known if n.strip()}, key=len, reverse=True):
        for match in re.finditer(re.escape(name), value, re.IGNORECASE):
            start, end = match.span()
            # A whole side: from the start or a joiner to a joiner or the end ("Warner Bros" is not
            # a side of "Warner Bros. Discovery and Netflix").
            whole = _JOINED_BEFORE.search(value, 0, start) is not None and _JOINED_AFTER.match(value, end) is not None
            if whole and not any(a < end and start < b for a, b in spans):
                spans.append((start, end))
    pieces, at = [], 0
    for start, end in [*sorted(spans), (len(value), len(value))]:
        pieces += [p for p in _JOINER.split(value[at:start]) if p.strip()]
        if start < end:
            pieces.append(value[start:end])
        at = end
    return pieces


_DEMONYM_END = _RULES["demonym_end"]


def country_of(demonym: str, article: str) -> str | None:
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


def same_side(a: str, b: str) -> bool:
    """Whether two names denote one side: one contains the other, or one is the other's initials."""
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return False
    if mentions(a, nb) or mentions(b, na):
        return True
    short, long = sorted((a.replace(".", ""), b), key=len)
    return short.isupper() and len(short) >= 2 and short == initials(long)
