from __future__ import annotations

from pathlib import Path

from summariser.schemas import Brief

from summariser.render import escape_markdown, render_json, render_markdown

SNAPSHOT = Path(__file__).parent / "snapshots" / "brief.md"


def make_brief() -> Brief:
    sentence = 'Marenia said it "will not negotiate under the threat of artillery."'
    evidence = [{"sentence": 3, "text": sentence}]
    return Brief.model_validate(
        {
            "title": "Truce extended *as* talks resume",
            "source": "devset/ceasefire_marenia.txt",
            "published": "March 12, 2026",
            "is_negotiation": True,
            "summary": "The sides extended the truce by 30 days.",
            "parties": [
                {"name": "Marenia", "aliases": ["Marenian"], "representatives": ["Paulo Veras"], "evidence": evidence},
                {"name": "Dostrak Liberation Front", "aliases": [], "representatives": [], "evidence": evidence},
            ],
            "mediators": [
                {"name": "United Nations", "role": "chairs the talks", "representatives": [], "evidence": evidence}
            ],
            "positions": [
                {"party": "Marenia", "stance": "No talks under <b>artillery</b> fire.", "evidence": evidence}
            ],
            "proposals": [
                {
                    "by": "United Nations",
                    "proposal": "A [phased](http://x) plan.",
                    "status": "proposed",
                    "evidence": evidence,
                }
            ],
            "next_steps": [{"action": "Fourth round.", "who": ["Marenia"], "when": "April 9", "evidence": evidence}],
            "meta": {
                "model": "qwen",
                "provider": "llamacpp",
                "prompt_version": "abc123",
                "attempts": 2,
                "usage": {"prompt_tokens": 1000, "completion_tokens": 300, "total_tokens": 1300},
                "seconds": 12.5,
                "dropped": [{"section": "positions", "item": {"party": "X"}, "reason": "duplicate"}],
            },
        }
    )


def test_markdown_snapshot() -> None:
    text = render_markdown(make_brief())
    if not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text)
        raise AssertionError(f"snapshot written to {SNAPSHOT}: review it, commit it, run again")
    assert text == SNAPSHOT.read_text()


def test_order_of_sections() -> None:
    text = render_markdown(make_brief())
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert heads == ["## Summary", "## Parties", "## Mediators", "## Positions", "## Proposals", "## Next steps"]


def test_article_text_cannot_inject_markdown_or_html() -> None:
    text = render_markdown(make_brief())
    assert "<b>" not in text and "&lt;b&gt;" in text
    assert "[phased](http://x)" not in text
    assert escape_markdown("# not a heading") == "\\# not a heading"
    assert escape_markdown("1. not a list") == "1\\. not a list"
    assert escape_markdown("a *b* [c](d)") == "a \\*b\\* \\[c\\](d)"


def test_not_a_negotiation_is_said_plainly() -> None:
    brief = make_brief().model_copy(
        update={
            "is_negotiation": False,
            "parties": [],
            "mediators": [],
            "positions": [],
            "proposals": [],
            "next_steps": [],
        }
    )
    text = render_markdown(brief)
    assert "not about a negotiation" in text
    assert text.count("_None found._") == 5


def test_json_round_trips() -> None:
    brief = make_brief()
    assert Brief.model_validate_json(render_json(brief)) == brief


def test_an_item_in_its_sentences_own_words_is_shown_once() -> None:
    from summariser.schemas import Brief

    from summariser.render import render_markdown

    sentence = "The union is demanding a 14 percent pay rise, its leader said."
    brief = Brief.model_validate(
        {
            "is_negotiation": True,
            "positions": [
                {
                    "party": "Union",
                    "stance": "The union is demanding a 14 percent pay rise",
                    "evidence": [{"sentence": 4, "text": sentence, "start": 0, "end": len(sentence)}],
                },
                {
                    "party": "Union",
                    "stance": "A 14 percent rise over two years.",
                    "evidence": [{"sentence": 4, "text": sentence, "start": 0, "end": len(sentence)}],
                },
            ],
            "meta": {"model": "m", "provider": "p", "prompt_version": "v"},
        }
    )
    text = render_markdown(brief)
    assert text.count("The union is demanding") == 2  # once for the first item, once as the second's evidence
    assert "- **Union**: [4] “The union is demanding a 14 percent pay rise, its leader said.”" in text
    assert "- **Union**: A 14 percent rise over two years.\n    - [4] “The union is demanding" in text
