"""The real embedded model, end to end (slow: about a minute). Run with ``pytest -m local_model``.

A multi-sentence prompt is exactly what crashed llama.cpp here before the
repacking setting was turned off, so this test also guards that fix.
"""

from __future__ import annotations

import pytest

from summariser import summarise
from summariser.config import load_settings
from summariser.load import load_article
from summariser.segment import segment_text

from .conftest import devset_path

pytestmark = pytest.mark.local_model


def test_embedded_model_briefs_a_short_article() -> None:
    pytest.importorskip("llama_cpp", reason='needs the local extra: pip install -e ".[local]"')
    path = devset_path("labour_portside")
    brief = summarise(path, settings=load_settings(trust_env=False, model="local", max_attempts=2))
    assert brief.is_negotiation
    assert brief.meta.provider == "local" and brief.meta.attempts >= 1
    assert brief.meta.usage.completion_tokens > 0
    assert len(brief.parties) >= 2
    text = load_article(path).text
    sentences = [s.text for s in segment_text(text)]
    items = [*brief.parties, *brief.mediators, *brief.positions, *brief.proposals, *brief.next_steps]
    assert items
    for item in items:
        for evidence in item.evidence:
            assert sentences[evidence.sentence - 1] == evidence.text == text[evidence.start : evidence.end]
    # Attribution and kind are checked, not only citations: the union's demand is the union's position.
    union = [p for p in brief.positions if "union" in p.party.lower() or "dockworkers" in p.party.lower()]
    assert any(p.evidence[0].sentence == 4 for p in union)
