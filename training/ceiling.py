"""The ceiling: what the pipeline keeps of a perfect model's answers.

    python -m training.ceiling devset --json docs/eval/18-ceiling-devset.json
    python -m training.ceiling ../shared/realdev --json docs/eval/18-ceiling-realdev.json
    python -m training.ceiling devset --wrong          # the control: a model that is always wrong

A real OpenAI-compatible HTTP server on localhost answers every request the pipeline
makes from the article's gold annotation, as a model that knew the answer would: step 1
with the gold sides, step 2 with the gold items citing the sentences that hold their
quotes, and each multiple-choice question with the gold answer where there is one. The
articles are briefed through :func:`summariser.summarise` with ``trust`` (``model`` by
default) and scored with ``summarise eval``'s scorer: whatever falls short of 1.0 is what
the pipeline discards or bends from a right answer. ``--wrong`` answers with the sides
credited to another side, the mediators listed as parties, every item cited one sentence
off and every status and choice wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from summariser import summarise
from summariser.config import load_settings
from summariser.errors import SummariserError
from summariser.eval import (
    QUALITY_METRICS,
    Gold,
    actors_match,
    aggregate,
    find_articles,
    load_gold,
    names_match,
    score_article,
)
from summariser.load import load_article
from summariser.names import flat_text
from summariser.render import render_json

_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)
_STATUSES = ("proposed", "accepted", "rejected", "agreed", "unclear")
_EDGE = 40  # characters of a quote's start that place it in a sentence
_SECTION_KIND = {"positions": "demand", "proposals": "offer", "next_steps": "future"}
_ASKED = re.compile(r"Sentence \[(\d+)\]: (.*)\Z", re.DOTALL)
_PERSON = re.compile(r"whom does (.+?) speak or act for")


@dataclass
class Known:
    """One article the oracle can answer for: its cleaned text and gold."""

    text: str
    gold: Gold


def _sentences(body: dict[str, Any]) -> dict[int, str]:
    article = next((m["content"] for m in body["messages"] if "<article>\n[" in str(m.get("content"))), "")
    return {int(n): text for n, text in _NUMBERED.findall(article)}


def _sentence_of(quote: str, sentences: dict[int, str]) -> int | None:
    """The first numbered sentence that holds the quote, its start, or lies inside it."""
    return next((number for number, text in sentences.items() if _holds(quote, text)), None)


def _schema(body: dict[str, Any]) -> dict[str, Any]:
    fmt = body.get("response_format") or {}
    return fmt.get("schema") or (fmt.get("json_schema") or {}).get("schema") or {}


def _enum(schema: dict[str, Any], item: str, field: str) -> list[str]:
    """The allowed values of ``field`` in the item model ``item`` of a step 2 schema."""
    definition = (schema.get("$defs") or {}).get(item) or {}
    prop = (definition.get("properties") or {}).get(field) or {}
    prop = prop.get("items", prop)  # who: a list of actors
    return list(prop.get("enum") or ([prop["const"]] if "const" in prop else []))


def _allowed(value: str | None, allowed: Sequence[str], gold: Gold) -> str | None:
    """The allowed actor name that denotes the gold ``value`` (a side, or "A and B" in any order);
    the value itself when any text is allowed."""
    if not value or not allowed:
        return value
    entities = [*gold.parties, *gold.mediators]
    return next((option for option in allowed if actors_match(option, value, entities)), None)


class Oracle:
    """Answers a pipeline request from gold (``wrong``: the wrong answer)."""

    def __init__(self, known: Sequence[Known], *, wrong: bool = False) -> None:
        self.known = list(known)
        self.wrong = wrong

    def gold_for(self, sentences: dict[int, str]) -> Gold | None:
        first = [flat_text(t) for _, t in sorted(sentences.items())[:3]]
        for known in self.known:
            flat = flat_text(known.text)
            if first and all(s in flat for s in first):
                return known.gold
        return None

    def answer(self, body: dict[str, Any]) -> Any:
        sentences = _sentences(body)
        gold = self.gold_for(sentences)
        schema = _schema(body)
        options = schema.get("enum") or ((schema.get("properties") or {}).get("answer") or {}).get("enum")
        if options:
            return self._choose(list(options), body, gold)
        if gold is None:
            return {"is_negotiation": False, "summary": "", "parties": [], "mediators": []}
        if "is_negotiation" in (schema.get("properties") or {}):
            return self._sides(gold)
        return self._items(gold, sentences, schema)

    def _sides(self, gold: Gold) -> dict[str, Any]:
        parties = [
            {"name": p.name, "aliases": p.aliases[:4], "representatives": p.representatives[:4]}
            for p in gold.parties[:6]
        ]
        mediators = [
            {"name": m.name, "role": "mediates the talks", "representatives": m.representatives[:4]}
            for m in gold.mediators[:4]
        ]
        if self.wrong:  # the mediators listed as parties, and no mediator
            parties = [*parties, *({"name": m["name"], "aliases": [], "representatives": []} for m in mediators)][:6]
            mediators = []
        summary = f"Talks between {' and '.join(p.name for p in gold.parties)}." if gold.parties else ""
        return {"is_negotiation": gold.is_negotiation, "summary": summary, "parties": parties, "mediators": mediators}

    def _items(self, gold: Gold, sentences: dict[int, str], schema: dict[str, Any]) -> dict[str, Any]:
        shift = 1 if self.wrong else 0
        out: dict[str, list[dict[str, Any]]] = {"positions": [], "proposals": [], "next_steps": []}
        names = [side.name for side in [*gold.parties, *gold.mediators]]
        parties = _enum(schema, "Position", "party") or ([] if not self.wrong else names)
        actors = _enum(schema, "Proposal", "by") or ([] if not self.wrong else names)
        for item in gold.positions:
            number, party = _sentence_of(item.quote, sentences), _allowed(item.party, parties, gold)
            if self.wrong:
                party = next((p for p in parties if p != party), party)
            if number and party:
                out["positions"].append({"party": party, "stance": item.summary, "sentence": number + shift})
        for item in gold.proposals:
            number, by = _sentence_of(item.quote, sentences), _allowed(item.by, actors, gold)
            status = item.status if item.status in _STATUSES else "unclear"
            if self.wrong:
                by = next((a for a in actors if a != by), by)
                status = next(s for s in _STATUSES if s != status and {s, status} != {"accepted", "agreed"})
            if number and by:
                out["proposals"].append(
                    {"by": by, "proposal": item.summary, "status": status, "sentence": number + shift}
                )
        for item in gold.next_steps:
            number = _sentence_of(item.quote, sentences)
            if number:
                out["next_steps"].append(
                    {"action": item.summary, "who": [], "when": item.when, "sentence": number + shift}
                )
        return out

    def _choose(self, options: list[str], body: dict[str, Any], gold: Gold | None) -> str:
        """A multiple-choice question: the option that is the gold answer, else the last ("none",
        "unclear", "someone else"); the control picks another option."""
        question = str(body["messages"][-1]["content"])
        match = _ASKED.search(question)
        right = self._right_choice(question, match.group(2) if match else "", options, gold) if gold else None
        choice = right if right in options else options[-1]
        return next((o for o in options if o != choice), choice) if self.wrong else choice

    def _right_choice(self, question: str, sentence: str, options: list[str], gold: Gold) -> str | None:
        held = {section: [i for i in getattr(gold, section) if _holds(i.quote, sentence)] for section in _SECTION_KIND}
        if "what does it report" in question:
            kinds = [
                "agreement" if section == "proposals" and item.status == "agreed" else kind
                for section, kind in _SECTION_KIND.items()
                for item in held[section]
            ]
            return next((k for k in kinds if k in options), "none")
        if "who put forward" in question and held["proposals"]:
            return _allowed(held["proposals"][0].by, options, gold)
        if "what is the status" in question and held["proposals"]:
            status: str | None = held["proposals"][0].status
            return status
        person = _PERSON.search(question)
        if person:
            for side in [*gold.parties, *gold.mediators]:
                if any(names_match([person.group(1)], [r]) for r in side.representatives):
                    return _allowed(side.name, options, gold)
        return None


def _holds(quote: str, sentence: str) -> bool:
    q, flat = flat_text(quote).strip(" .\"'"), flat_text(sentence).strip(" .\"'")
    return bool(q) and bool(flat) and (q in flat or q[:_EDGE] in flat or (len(flat) > 20 and flat in q))


class _Handler(BaseHTTPRequestHandler):
    server: OracleServer

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        content = json.dumps(self.server.oracle.answer(body))
        payload = json.dumps(
            {
                "id": "oracle",
                "object": "chat.completion",
                "created": 0,
                "model": "oracle",
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class OracleServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, oracle: Oracle) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.oracle = oracle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


@contextmanager
def serving(oracle: Oracle) -> Iterator[OracleServer]:
    """The oracle behind a real HTTP server on localhost, for the length of the block."""
    server = OracleServer(oracle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def ceiling(gold_dir: Path, *, wrong: bool = False, trust: str = "model", items: str | None = None) -> dict[str, Any]:
    """Brief every article of ``gold_dir`` against the oracle and score it; returns an eval report."""
    articles = find_articles(gold_dir)
    known = [Known(load_article(str(path)).text, load_gold(gold)) for _, path, gold in articles]
    rows = []
    with serving(Oracle(known, wrong=wrong)) as server:
        settings = load_settings(
            trust_env=False, model="openai/oracle", base_url=server.base_url, api_key="none", trust=trust, items=items
        )
        for (name, path, _), article in zip(articles, known, strict=True):
            brief, error = None, None
            try:
                brief = json.loads(render_json(summarise(str(path), settings=settings)))
            except SummariserError as exc:
                error = str(exc)
            rows.append(score_article(name, brief, article.gold, article.text, error=error))
    return {
        "trust": trust,
        "wrong": wrong,
        "overall": aggregate(rows),
        "articles": [{"name": r.name, **r.metrics, "counts": r.counts, "error": r.error} for r in rows],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.ceiling", description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--wrong", action="store_true", help="the control: answer wrongly")
    parser.add_argument("--trust", choices=("rules", "model"), default="model")
    parser.add_argument("--items", choices=("questions", "extract"))
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    report = ceiling(args.gold_dir, wrong=args.wrong, trust=args.trust, items=args.items)
    for key in QUALITY_METRICS:
        value = report["overall"].get(key)
        print(f"{key:22s} {value:.3f}" if isinstance(value, (int, float)) else f"{key:22s} -")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
