"""Multiple-choice questions about the article, answered with one option word.

A small model chooses among given words far more reliably than it writes
structure, and a question placed after the article reuses the model's cache of
it: only the question's own tokens are read and one or two answer tokens are
written. :func:`ask_choice` sends ``system + article + guide + question`` and
constrains the answer to the options: a bare JSON string for llama.cpp
servers (fewest tokens), an object with one enum field for OpenAI-style
structured outputs. The guide is the same for every question of one kind, so
it is cached too. Usage is summed in the caller's ``CallRecord``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from summariser.call import CallRecord, Provider, transport
from summariser.config import Settings
from summariser.errors import Pending
from summariser.prompt import build_question
from summariser.segment import Segment

__all__ = ["ask_choice", "ANSWER_TOKENS", "Questions"]

ANSWER_TOKENS = 24


def _response_format(provider: Provider, options: Sequence[str]) -> dict[str, Any]:
    if provider.schema_in_json_object:
        return {"type": "json_object", "schema": {"type": "string", "enum": list(options)}}
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "enum": list(options)}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    return {"type": "json_schema", "json_schema": {"name": "answer", "strict": True, "schema": schema}}


def _parse(content: str | None, options: Sequence[str]) -> str | None:
    if not content:
        return None
    try:
        value: Any = json.loads(content)
    except ValueError:
        value = content
    if isinstance(value, dict):
        value = value.get("answer")
    if not isinstance(value, str):
        return None
    folded = {o.casefold(): o for o in options}
    return folded.get(value.strip().strip("\"'").casefold())


def ask_choice(
    base_messages: Sequence[dict[str, str]],
    question: str,
    options: Sequence[str],
    *,
    provider: Provider,
    settings: Settings,
    record: CallRecord,
) -> str | None:
    """One option of ``options`` as the model's answer to ``question``, or None when unusable.

    ``base_messages`` are the system and article messages shared with the
    other steps; the question goes in one user message after them.
    """
    if len(options) == 1:
        return options[0]
    messages = [*base_messages, {"role": "user", "content": question}]
    transport(provider, settings, record)(
        model=provider.model,
        messages=messages,
        response_format=_response_format(provider, options),
        max_tokens=ANSWER_TOKENS,
        temperature=settings.temperature,
        seed=settings.seed,
    )
    # The transport keeps the answer's text (and counts its tokens) in ``record``.
    return _parse(record.last_content, options)


@dataclass
class Questions:
    """The questions of one brief: the article messages they share, where they go, and how many
    may be asked (``budget``, ``max_questions``) before ``deadline`` or the budget stops them."""

    base_messages: Sequence[dict[str, str]]
    provider: Provider
    settings: Settings
    record: CallRecord
    budget: int
    deadline: Callable[[], None] | None = None
    asked: int = 0

    @property
    def left(self) -> int:
        return max(0, self.budget - self.asked)

    def ask(self, name: str, segment: Segment, choices: Sequence[str], **values: object) -> str | None:
        """The answer to question ``name`` about ``segment`` among ``choices``; None when the budget
        is spent (nothing is sent) or the answer is unusable. ``values`` fill the question's template."""
        if not self.left:
            return None
        if self.deadline is not None:
            self.deadline()
        self.asked += 1
        question = build_question(name, number=segment.number, sentence=segment.text, **values)
        try:
            return ask_choice(
                self.base_messages,
                question,
                choices,
                provider=self.provider,
                settings=self.settings,
                record=self.record,
            )
        except Pending:
            return None  # batch mode: this round has no answer yet; the next replay has
