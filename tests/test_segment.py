from __future__ import annotations

from summariser.segment import number_segments, segment_text


def test_quotes_and_abbreviations_do_not_split() -> None:
    text = (
        "Before the talks, Zelenskyy said in Vilnius: \"I'm not sure Russia will be ready. "
        'But we must always believe in some solutions." Mr. Smith of the U.S. Dept. of State '
        "arrived at 5 p.m. on Jan. 3. He left."
    )
    sentences = [s.text for s in segment_text(text)]
    assert sentences == [
        "Before the talks, Zelenskyy said in Vilnius: \"I'm not sure Russia will be ready. "
        'But we must always believe in some solutions."',
        "Mr. Smith of the U.S. Dept. of State arrived at 5 p.m. on Jan. 3.",
        "He left.",
    ]


def test_curly_quotes_stay_together() -> None:
    text = "She said: “We will not sign. Not now.” The talks ended."
    assert [s.text for s in segment_text(text)] == ["She said: “We will not sign. Not now.”", "The talks ended."]


def test_paragraphs_never_merge_and_numbers_start_at_one() -> None:
    segments = segment_text("First paragraph ends here\n\nSecond one. Third one.")
    assert [(s.number, s.text) for s in segments] == [
        (1, "First paragraph ends here"),
        (2, "Second one."),
        (3, "Third one."),
    ]
    assert number_segments(segments).splitlines()[0] == "[1] First paragraph ends here"
