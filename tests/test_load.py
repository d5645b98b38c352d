from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from summariser.errors import InputError
from summariser.load import article_from_text, clean_text, load_article

from .conftest import devset_path


def test_clean_text_drops_menus_bylines_duplicates_and_trailer() -> None:
    raw = "\n".join(
        [
            "Close",
            "newsletters Newsletters",
            "X Instagram Youtube",
            "Harbour talks resume after two-week pause",
            "Workers gather at the gate on Monday. (AP Photo)",
            "Workers gather at the gate on Monday. (AP Photo)",
            "By Newsroom",
            "June 04, 2025 11:28 AM GMT+03:00",
            "The union and the port operator met for six hours on Monday.",
            "Share this article",
            "Both sides said the talks were constructive.",
            "More from The Ledger",
            "Markets rally as rates hold.",
        ]
    )
    body, title, published = clean_text(raw)
    assert title == "Harbour talks resume after two-week pause"
    assert published == "June 04, 2025 11:28 AM GMT+03:00"
    assert body.split("\n\n") == [
        "Workers gather at the gate on Monday.",
        "The union and the port operator met for six hours on Monday.",
        "Both sides said the talks were constructive.",
    ]


def test_newsletter_promotions_and_lead_ins_are_not_article_text() -> None:
    raw = "\n".join(
        [
            "Here’s what you need to know: The union and the port operator met for six hours on Monday.",
            "Get our weekly port newsletter with all the shipping news you need. Sign up here.",
            "Both sides said the talks were constructive. The Harbour Ledger newsletter is your guide to "
            "the week in shipping. Sign up here. Talks resume on Friday.",
            "Sign up for our Business Daily newsletter to get the news before the markets open, every weekday.",
        ]
    )
    body, _, _ = clean_text(raw)
    assert body.split("\n\n") == [
        "The union and the port operator met for six hours on Monday.",
        "Both sides said the talks were constructive. Talks resume on Friday.",
    ]


def test_html_goes_through_trafilatura_without_boilerplate() -> None:
    article = load_article(devset_path("trade_velland"))
    assert article.title == "Velland and Ostrava trade talks stall over steel quotas"
    assert "Subscribe" not in article.text
    assert "Markets rally" not in article.text
    assert "Share this article" not in article.text
    assert article.text.startswith("Trade negotiators from Velland")


def test_markdown_is_flattened() -> None:
    article = load_article(devset_path("hostage_kaldor"))
    assert article.title and article.title.startswith("Kaldor and the Sennar Movement")
    assert "#" not in article.text and "](" not in article.text
    assert "Read more" not in article.text


def test_a_list_item_does_not_run_into_the_dateline_under_it(tmp_path: Path) -> None:
    from summariser.segment import segment_text

    page = tmp_path / "page.md"
    page.write_text(
        "# Kestan and Dovaria end second round of talks\n\n"
        "* Kestan wants the ridge returned before any ceasefire takes effect\n"
        "* Dovaria says the ridge was always its own territory\n"
        "LIROVA, March 4 (Wire) - Kestan and Dovaria ended a second round of border talks on Tuesday.\n"
        "Both delegations said they would meet again in Lirova next month.\n"
    )
    sentences = [s.text for s in segment_text(load_article(str(page)).text)]
    assert any(s.startswith("LIROVA, March 4 (Wire) - Kestan") for s in sentences), sentences


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"The two sides met again on Friday.\n")))
    assert load_article("-").text == "The two sides met again on Friday."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "input is empty"),
        (b"   \n\n ", "input is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "looks binary"),
        (b"Menu\nShare\nClose\n", "no article text found"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_article(str(path))


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50 + b"\xff\xfe\xfd" * 50)
    with pytest.raises(InputError, match="cannot decode|looks binary"):
        load_article(str(path))


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(
        "Les négociateurs se sont réunis à Genève pour une troisième séance de pourparlers.".encode("latin-1")
    )
    assert "Genève" in load_article(str(path)).text


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found: .*nope.txt"):
        load_article(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        load_article(str(tmp_path))


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    path = tmp_path / "secret.txt"
    path.write_text("The sides met.")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything
        pytest.skip("running as root: permissions are not enforced")
    with pytest.raises(InputError, match="permission denied"):
        load_article(str(path))


@pytest.mark.parametrize("url", ["ftp://example.org/a.txt", "file:///etc/passwd", "gopher://x/y"])
def test_unsupported_scheme(url: str) -> None:
    with pytest.raises(InputError, match="unsupported URL scheme"):
        load_article(url)


def test_url_fetch_from_localhost(httpserver: HTTPServer) -> None:
    html = Path(devset_path("trade_velland")).read_text()
    httpserver.expect_request("/story").respond_with_data(html, content_type="text/html; charset=utf-8")
    article = load_article(httpserver.url_for("/story"))
    assert article.source == httpserver.url_for("/story")
    assert "steel quotas" in article.text


def test_url_errors(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(InputError, match="HTTP 404"):
        load_article(httpserver.url_for("/gone"))
    httpserver.expect_request("/big").respond_with_data("x" * 2000)
    from summariser.load import read_source

    with pytest.raises(InputError, match="larger than"):
        read_source(httpserver.url_for("/big"), max_bytes=1000)


def test_article_from_text_keeps_plain_text() -> None:
    article = article_from_text("Talks on the port dispute resumed on Monday.", source="x.txt")
    assert article.text == "Talks on the port dispute resumed on Monday."
