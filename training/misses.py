"""Where the gold items a set of briefs misses went: counts only, no article text.

    python -m training.misses --predictions BRIEFS [--gold ../shared/realdev]

For each gold position, proposal and next step of a negotiation: ``matched`` (an item of its
section cites it and names the right side), ``wrong actor`` (cited in its section, another
side), ``other section:<name>`` (cited only as another kind of item), ``absent`` (no item cites
it). For the absent ones, the rule cascade's kind of the sentence holding the quote
(``cues.kind_by_rule``; ``no sentence`` when the quote spans a sentence break).

With ``--dropped``, what each reason in ``meta.dropped`` set aside: how many sentences, and in how
many of them gold has an item of that section (an upper bound on what keeping them would find:
the side is not checked). A check whose share is above its section's precision costs F1.

With ``--unkinded``, the sentences the rules give no kind and no item cites, by who speaks in
them (``cues.speaker_of``: a listed party by name, a pronoun, someone else, a thing, no speaker
found): how many, and how many hold a gold position or any gold item. A group whose share of gold
is below a section's precision lowers that precision if its sentences become items.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summariser import cues
from summariser.eval import _gold_actor, actors_match, quote_supported
from training.harness import negotiation_briefs

SECTIONS = ("positions", "proposals", "next_steps")


def _citing(brief: dict[str, Any], section: str, quote: str) -> list[dict[str, Any]]:
    return [i for i in brief.get(section, []) if quote_supported(quote, [e["text"] for e in i["evidence"]])]


def tally(predictions: Path, gold_dir: Path) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {s: Counter() for s in SECTIONS}
    for _, gold, brief, sentences in negotiation_briefs(predictions, gold_dir):
        sides = [*gold.parties, *gold.mediators]
        for section in SECTIONS:
            for item in getattr(gold, section):
                same = _citing(brief, section, item.quote)
                other = [s for s in SECTIONS if s != section and _citing(brief, s, item.quote)]
                key = "party" if section == "positions" else "by"
                if same:
                    right = section == "next_steps" or any(
                        actors_match(i.get(key), _gold_actor(section, item), sides) for i in same
                    )
                    counts[section]["matched" if right else "wrong actor"] += 1
                elif other:
                    counts[section][f"other section:{other[0]}"] += 1
                else:
                    held = next((s for s in sentences if item.quote.casefold() in s.casefold()), None)
                    kind = cues.kind_by_rule(held)[0] if held else "no sentence"
                    counts[section][f"absent, rule kind {kind}"] += 1
    return counts


def _reason_class(reason: str) -> str:
    """A reason without the names and numbers that vary from item to item."""
    return re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'X'", reason))


def _dropped_sentence(item: dict[str, Any]) -> int | None:
    if isinstance(item.get("sentence"), int):
        return item["sentence"]
    evidence = item.get("evidence") or []
    return evidence[0].get("sentence") if evidence and isinstance(evidence[0], dict) else None


def tally_dropped(predictions: Path, gold_dir: Path) -> dict[tuple[str, str], Counter[str]]:
    """For each (section, reason class) of meta.dropped: sentences set aside, and those gold cites."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for _, gold, brief, sentences in negotiation_briefs(predictions, gold_dir):
        for dropped in brief["meta"]["dropped"]:
            number = _dropped_sentence(dropped["item"])
            if number is None or not 1 <= number <= len(sentences):
                continue
            counter = counts.setdefault((dropped["section"], _reason_class(dropped["reason"])), Counter())
            counter["set aside"] += 1
            for section in SECTIONS:
                if any(quote_supported(i.quote, [sentences[number - 1]]) for i in getattr(gold, section)):
                    counter[f"gold {section}"] += 1
    return counts


def _speaker_group(sentence: str, party_names: Sequence[str]) -> str:
    found = cues.speaker_of(sentence)
    if found is None:
        return "no speaker found"
    words, kind, _ = found
    if kind == "pronoun":
        return "a pronoun"
    said_by = words.casefold()
    if any(n.casefold() in said_by or n.split()[-1].casefold() in said_by for n in party_names if len(n) > 2):
        return "a listed party, by name"
    return "someone else" if kind == "someone" else "a thing"


def tally_unkinded(predictions: Path, gold_dir: Path) -> dict[str, Counter[str]]:
    """Sentences of no rule kind and in no item, by speaker group: how many, how many gold cites."""
    counts: dict[str, Counter[str]] = {}
    for _, gold, brief, sentences in negotiation_briefs(predictions, gold_dir):
        names = [n for p in brief["parties"] for n in (p["name"], *p.get("aliases", []), *p.get("representatives", []))]
        cited = {e["text"] for s in SECTIONS for i in brief.get(s, []) for e in i["evidence"]}
        for sentence in sentences:
            if sentence in cited or cues.kind_by_rule(sentence)[0] != "none":
                continue
            counter = counts.setdefault(_speaker_group(sentence, names), Counter())
            counter["sentences"] += 1
            counter["gold position"] += any(quote_supported(i.quote, [sentence]) for i in gold.positions)
            items = [*gold.positions, *gold.proposals, *gold.next_steps]
            counter["any gold item"] += any(quote_supported(i.quote, [sentence]) for i in items)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.misses", description=__doc__.splitlines()[0])
    parser.add_argument("--predictions", type=Path, required=True, help="a folder of briefs named <article>.json")
    parser.add_argument("--gold", type=Path, default=Path("../shared/realdev"))
    parser.add_argument("--dropped", action="store_true", help="tally what meta.dropped set aside instead")
    parser.add_argument("--unkinded", action="store_true", help="tally the sentences of no rule kind instead")
    args = parser.parse_args(argv)
    if args.unkinded:
        for group, counter in sorted(
            tally_unkinded(args.predictions, args.gold).items(), key=lambda kv: -kv[1]["sentences"]
        ):
            print(
                f"{counter['sentences']:4d}  {group}: gold position {counter['gold position']}, any gold item {counter['any gold item']}"
            )
        return 0
    if args.dropped:
        rows = sorted(tally_dropped(args.predictions, args.gold).items(), key=lambda kv: -kv[1]["set aside"])
        for (section, reason), counter in rows:
            gold = ", ".join(f"{k[5:]} {n}" for k, n in sorted(counter.items()) if k.startswith("gold "))
            print(f"{counter['set aside']:4d}  {section}: {reason}  [gold: {gold or 'none'}]")
        return 0
    for section, counter in tally(args.predictions, args.gold).items():
        print(f"{section} ({sum(counter.values())} gold)")
        for outcome, n in sorted(counter.items(), key=lambda kv: -kv[1]):
            print(f"  {n:4d}  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
