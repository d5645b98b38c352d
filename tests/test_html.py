"""The review page: unit checks on the HTML, and a real headless Chromium for what a reader does.

Browser tests need Debian's chromium and chromium-driver (``.ci/run`` installs them). Without
a browser they are skipped with a reason, unless ``SUMMARISER_REQUIRE_BROWSER=1`` (CI), where
a missing browser fails them.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from summariser.schemas import Brief

from summariser import summarise
from summariser.config import load_settings
from summariser.html import render_html
from summariser.load import Article, load_article

from .conftest import DEVSET, ROOT
from .test_nightly import stub_server

ARTIFACTS = ROOT / "tests" / "artifacts"
PAGES = ("labour_portside", "ceasefire_marenia", "injection_mining", "wire_hostages_verano")
# Read at import, before the autouse fixture clears SUMMARISER_* variables for each test.
REQUIRE_BROWSER = os.environ.get("SUMMARISER_REQUIRE_BROWSER") == "1"
HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\x1b]0;x\x07'


@pytest.fixture(scope="module")
def stub() -> Iterator[Any]:
    server = stub_server.serve_in_thread(latency=0.0)
    yield server
    server.shutdown()
    server.server_close()


def make_page(stub: Any, name: str, *, title: str | None = None) -> tuple[Brief, Article, str]:
    article = load_article(str(DEVSET / f"{name}.txt"))
    if title is not None:
        article = Article(text=article.text, title=title, source=article.source)
    settings = load_settings(trust_env=False, model="stub/test", base_url=stub.base_url)
    brief = summarise(article, settings=settings)
    return brief, article, render_html(brief, article.text)


def evidence(brief: Brief) -> list[Any]:
    return [
        e
        for section in (brief.parties, brief.mediators, brief.positions, brief.proposals, brief.next_steps)
        for item in section
        for e in item.evidence
    ]


@pytest.mark.parametrize("name", PAGES)
def test_offsets_hold_and_every_span_is_marked(stub: Any, name: str) -> None:
    brief, article, page = make_page(stub, name)
    cited = evidence(brief)
    assert cited or name == "injection_mining", "the stub cites sentences"
    for e in cited:
        assert article.text[e.start : e.end] == e.text
        assert f'data-start="{e.start}" data-end="{e.end}"' in page


def test_article_text_is_data(stub: Any) -> None:
    _, _, page = make_page(stub, "injection_mining", title=HOSTILE_TITLE)
    body = page.split("<script>")[0]
    assert "<img" not in body and "<script>window" not in page and "\x1b" not in page
    assert "&lt;img src=x" in body
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src 'none'" in csp.group(1) and "unsafe-inline" not in csp.group(1).split("script-src")[1]


# -- a real browser -------------------------------------------------------


def _browser_paths() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    paths = _browser_paths()
    if paths is None:
        if REQUIRE_BROWSER:
            pytest.fail("no chromium + chromedriver found, and SUMMARISER_REQUIRE_BROWSER=1")
        pytest.skip("no browser: install Debian's chromium and chromium-driver to run the review-page tests")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=paths[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("pages")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _open(browser: Any, site: tuple[Path, str], name: str, page: str) -> str:
    folder, base = site
    (folder / f"{name}.html").write_text(page, encoding="utf-8")
    url = f"{base}/{name}.html"
    browser.get_log("performance")  # drop earlier entries
    browser.get(url)
    return url


@pytest.mark.parametrize("name", PAGES)
def test_every_evidence_span_is_visible_and_exact(browser: Any, site: Any, stub: Any, name: str) -> None:
    from selenium.webdriver.common.by import By

    brief, _, page = make_page(stub, name)
    _open(browser, site, name, page)
    marks = {m.get_attribute("data-sentence"): m for m in browser.find_elements(By.CSS_SELECTOR, "mark")}
    for e in evidence(brief):
        mark = marks[str(e.sentence)]
        assert mark.is_displayed()
        assert browser.execute_script("return arguments[0].textContent", mark) == e.text
        assert (mark.get_attribute("data-start"), mark.get_attribute("data-end")) == (str(e.start), str(e.end))


def test_click_scrolls_to_the_span_and_no_request_leaves(browser: Any, site: Any, stub: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    brief, _, page = make_page(stub, "wire_hostages_verano")
    url = _open(browser, site, "verano", page)
    browser.set_window_size(420, 800)  # a phone-width screen: one column
    buttons = browser.find_elements(By.CSS_SELECTOR, "button.cite")
    assert buttons
    last = buttons[-1]
    target = browser.find_element(By.ID, last.get_attribute("data-target"))
    browser.execute_script("window.scrollTo(0, 0)")
    # By keyboard alone: focus the item and press Enter.
    browser.execute_script("arguments[0].focus()", last)
    last.send_keys(Keys.ENTER)
    in_view = browser.execute_script(
        "var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;", target
    )
    assert in_view and "active" in target.get_attribute("class")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1280, 900)
    browser.execute_script("window.scrollTo(0, 0)")
    position = browser.find_elements(By.CSS_SELECTOR, "button.s-positions")
    if position:
        position[0].click()
        browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(ARTIFACTS / "review-page.png"))
    requests = [
        json.loads(entry["message"])["message"]
        for entry in browser.get_log("performance")
        if '"Network.requestWillBeSent"' in entry["message"]
    ]
    urls = {r["params"]["request"]["url"] for r in requests}
    assert urls <= {url}, urls


def test_no_script_from_the_article_runs(browser: Any, site: Any, stub: Any) -> None:
    _, _, page = make_page(stub, "injection_mining", title=HOSTILE_TITLE)
    _open(browser, site, "hostile", page)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0


def test_every_sentence_is_numbered_and_the_legend_names_the_colours(stub: Any) -> None:
    from summariser.segment import segment_text

    brief, article, page = make_page(stub, "labour_portside")
    numbers = re.findall(r'<span class="num" aria-hidden="true">(\d+)', page)
    assert numbers == [str(s.number) for s in segment_text(article.text)]
    legend = re.search(r'<ul class="legend".*?</ul>', page, re.S)
    assert legend and all(title in legend.group(0) for title in ("Parties", "Mediators", "Positions", "Proposals"))
    # A sentence's number carries a dot for every section citing it.
    for e in brief.positions[0].evidence:
        assert re.search(rf'>{e.sentence}(<i class="dot s-\w+"></i>)*<i class="dot s-positions"></i>', page)


def test_a_web_source_is_a_link_and_a_file_is_not(stub: Any) -> None:
    brief, article, _ = make_page(stub, "labour_portside")
    web = render_html(brief.model_copy(update={"source": "https://example.org/a?b=1&c=2"}), article.text)
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">' in web
    script = render_html(brief.model_copy(update={"source": "javascript:alert(1)"}), article.text)
    assert "<a href" not in script.split("<main>")[0]


def _lit(mark: Any) -> str:
    return str(mark.get_attribute("class"))


def test_a_sentence_lights_in_the_colour_of_the_item_clicked_and_leads_back(browser: Any, site: Any, stub: Any) -> None:
    from selenium.webdriver.common.by import By

    brief, _, page = make_page(stub, "wire_hostages_verano")
    _open(browser, site, "colours", page)
    shared = [m for m in browser.find_elements(By.CSS_SELECTOR, "mark") if " " in m.get_attribute("data-sections")]
    assert shared, "a sentence cited by two sections"
    mark = shared[0]
    first = mark.get_attribute("data-sections").split()[0]
    later = next(i for i in mark.get_attribute("data-items").split() if i.rsplit("-", 1)[0] != first)
    browser.execute_script("arguments[0].click()", browser.find_element(By.ID, later))
    assert f"s-{later.rsplit('-', 1)[0]}" in _lit(mark) and f"s-{first}" not in _lit(mark)
    # Back from the sentence to the item that led there.
    browser.execute_script("window.scrollTo(0, 0); arguments[0].click()", mark)
    assert browser.execute_script("return document.activeElement.id") == later


def test_keys_step_through_the_items_with_a_counter(browser: Any, site: Any, stub: Any) -> None:
    from selenium.webdriver.common.by import By

    _, _, page = make_page(stub, "wire_hostages_verano")
    _open(browser, site, "keys", page)
    buttons = browser.find_elements(By.CSS_SELECTOR, "button.cite")
    count = browser.find_element(By.ID, "count")
    assert count.text == f"0 / {len(buttons)}"
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    body.send_keys("j")
    assert count.text == f"2 / {len(buttons)}"
    assert "current" in buttons[1].get_attribute("class")
    body.send_keys("k")
    assert count.text == f"1 / {len(buttons)}"
    browser.find_element(By.ID, "next").click()
    assert count.text == f"2 / {len(buttons)}"


def test_what_cites_a_sentence_is_shown_in_the_bar_over_no_text(browser: Any, site: Any, stub: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _, _, page = make_page(stub, "wire_hostages_verano")
    _open(browser, site, "tip", page)
    mark = browser.find_elements(By.CSS_SELECTOR, "mark")[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    ActionChains(browser).move_to_element(mark).perform()
    tip = browser.find_element(By.ID, "tip")
    assert tip.text.startswith(f"[{mark.get_attribute('data-sentence')}] cited by: ")
    bar = browser.execute_script("return document.querySelector('.bar').getBoundingClientRect().top")
    assert browser.execute_script("return arguments[0].getBoundingClientRect().bottom", mark) <= bar
    # Scrolled to the end, the last line of the page sits above the bar, not under it.
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    footer = browser.execute_script("return document.querySelector('.dropped').getBoundingClientRect().bottom")
    assert footer <= browser.execute_script("return document.querySelector('.bar').getBoundingClientRect().top") + 1


def test_dark_mode_follows_the_system(browser: Any, site: Any, stub: Any) -> None:
    _, _, page = make_page(stub, "labour_portside")
    _open(browser, site, "dark", page)
    background = "return getComputedStyle(document.body).backgroundColor"
    assert browser.execute_script(background) == "rgb(255, 255, 255)"
    features = [{"name": "prefers-color-scheme", "value": "dark"}]
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": features})
    try:
        assert browser.execute_script(background) == "rgb(23, 23, 27)"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_the_running_index_filters_by_source_kind_and_words(browser: Any, site: Any, stub: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from summariser.nightly import NightlyConfig, run_nightly

    from .test_nightly import articles

    articles.write_articles(tmp_path / "desk", 2)
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "floods.txt").write_text((DEVSET / "nonneg_floods.txt").read_text())
    out = tmp_path / "out"
    config = NightlyConfig(sources=(str(tmp_path / "desk"), str(tmp_path / "wire")), out=out, db=tmp_path / "s.db")
    settings = load_settings(trust_env=False, model="stub/test", base_url=stub.base_url)
    report = run_nightly(config, settings)
    assert (report.done, report.skipped) == (2, 1)
    page = (out / "index.html").read_text()
    assert page.count("<li data-source=") == 3 and page.count('<a href="briefs/') == 2
    _open(browser, site, "index", page)

    def shown() -> int:
        return len([li for li in browser.find_elements(By.CSS_SELECTOR, "#entries li") if li.is_displayed()])

    assert shown() == 3 and browser.find_element(By.ID, "shown").text == "3 shown"
    Select(browser.find_element(By.ID, "kind")).select_by_value("other")
    assert shown() == 1
    Select(browser.find_element(By.ID, "kind")).select_by_value("")
    Select(browser.find_element(By.ID, "source")).select_by_value(str(tmp_path / "desk"))
    assert shown() == 2
    browser.find_element(By.ID, "find").send_keys("number 1")
    assert shown() == 1
