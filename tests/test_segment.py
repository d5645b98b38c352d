from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


def _both(text: str, language: str = "en") -> tuple[list[str], list[str]]:
    import pysbd

    from summariser.segment import _Segmenter

    return (
        _Segmenter(language=language, clean=False).segment(text),
        pysbd.Segmenter(language=language, clean=False).segment(text),
    )


def test_our_segmenter_finds_the_sentences_pysbd_finds_in_every_dev_article() -> None:
    """The sentence search without a pattern a sentence gives pysbd's own answer, paragraph by
    paragraph, on every article of the dev set (English and German)."""
    from summariser.load import load_article
    from summariser.segment import language_of

    from .conftest import DEVSET

    paragraphs = 0
    for path in sorted(DEVSET.glob("*.txt")):
        text = load_article(str(path)).text
        for paragraph in text.split("\n\n"):
            ours, theirs = _both(" ".join(paragraph.split()), language_of(text))
            assert ours == theirs, path.name
            paragraphs += 1
    assert paragraphs > 300


@given(
    st.lists(
        st.sampled_from(
            ["Talks resumed.", "Mr. Ode said no.", "  ", "Talks resumed. ", "It is 5 p.m.", "a", ".", "“No.”"]
        ),
        max_size=12,
    ).map("".join)
)
def test_our_segmenter_agrees_with_pysbd_on_repeated_and_odd_sentences(text: str) -> None:
    ours, theirs = _both(text)
    assert ours == theirs


def test_an_article_is_segmented_once_for_its_brief_and_its_review_page_and_a_long_text_never_held() -> None:
    from summariser import segment

    article = " ".join(f"Round {i} of the talks on the river treaty ended without a deal." for i in range(80))
    assert segment._kept_segments.short < len(article) <= segment._kept_segments.article
    before = segment._kept_segments.article_cache.cache_info()
    first, again = segment_text(article), segment_text(article)
    after = segment._kept_segments.article_cache.cache_info()
    assert first == again and len(first) == 80
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)

    book = article * 10
    assert len(book) > segment._kept_segments.article
    segment_text(book)
    assert segment._kept_segments.article_cache.cache_info().misses == after.misses  # not kept
