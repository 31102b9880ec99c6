"""The HTML export: one self-contained page, escaped, linked, foldable; checked as text and in a
real browser (headless Chromium over the DevTools protocol) when Chromium is installed."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import Browser, chromium_path

from argmap.exporters import ExportContext, ExportFormat, exporter
from argmap.map.loader import load_map

Export = Callable[..., str]

HOSTILE = """\
article:
  key: host2020
  title: "Tags <b>in</b> the title & more"
  language: en
claims:
  - id: D1
    kind: diagnosis
    text:
      en: '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> stays text'
      es: '<script>window.pwned = 3</script> queda como texto'
    locator: {section: "1", paragraph: 1}
    evidence:
      - id: D1.e1
        kind: literature
        description:
          en: 'Closes </details></summary></li> early & "quotes"'
          es: 'Cierra </details> antes'
        citations:
          - {key: "o'neil&<x>", printed: "O'Neil (2001)", locator: 'p. <1>'}
  - id: P1
    kind: premise
    text: {en: "A reason.", es: "Una razón."}
    locator: {section: "1", paragraph: 2}
    relations:
      - {type: supports, target: D1}
"""


class Tags(HTMLParser):
    """Collects the start tags of a page and the ids and link targets in it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value:
                self.hrefs.append(value)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


@pytest.fixture
def hostile_page(write_map: Callable[..., Path]) -> str:
    root = write_map(main=HOSTILE)
    ctx = ExportContext(map=load_map(root).map, lang="en", bib=None)
    return exporter(ExportFormat.HTML)(ctx)


def test_page_is_self_contained(run_export: Export) -> None:
    page = run_export(ExportFormat.HTML)
    tags = parse(page)
    assert tags.tags.count("link") == 0 and tags.tags.count("img") == 0
    assert tags.tags.count("script") == 1 and "src=" not in page
    assert not re.search(r"https?://", page.split("<main>", 1)[0])  # nothing fetched from <head>
    assert "default-src 'none'" in page


def test_every_citation_links_to_an_entry_of_the_reference_list(run_export: Export) -> None:
    tags = parse(run_export(ExportFormat.HTML))
    refs = [h for h in tags.hrefs if h.startswith("#ref-")]
    assert len(refs) >= 6
    assert all(h[1:] in tags.ids for h in tags.hrefs if h.startswith("#"))
    # each cited work once in the list: ortiz2019a, ortiz2019b, fao2015, mueller2018, chen2020
    assert {i for i in tags.ids if i.startswith("ref-")} >= {
        "ref-ortiz2019a",
        "ref-ortiz2019b",
        "ref-fao2015",
        "ref-mueller2018",
        "ref-chen2020",
    }


def test_reference_items_hold_their_own_entry(run_export: Export) -> None:
    page = run_export(ExportFormat.HTML)
    # APA sorts by author: the item's id must follow the entry, not the order of citation.
    item = re.search(r'<li id="ref-chen2020">(.*?)</li>', page)
    assert item is not None and "Chen" in item.group(1) and "Harvests" in item.group(1)
    item = re.search(r'<li id="ref-mueller2018">(.*?)</li>', page)
    assert item is not None and "Müller" in item.group(1)


def test_both_languages_are_in_the_page_with_a_switch(run_export: Export) -> None:
    page = run_export(ExportFormat.HTML)
    assert 'id="lang-es" checked' in page and 'id="lang-en">' in page
    assert "Los huertos comunitarios no prosperan" in page
    assert "Community gardens do not thrive" in page


def test_one_language_map_has_no_switch(write_map: Callable[..., Path]) -> None:
    text = HOSTILE.replace("      es: '<script>window.pwned = 3</script> queda como texto'\n", "")
    text = text.replace(', es: "Una razón."', "").replace(
        "          es: 'Cierra </details> antes'\n", ""
    )
    root = write_map(main=text)
    page = exporter(ExportFormat.HTML)(ExportContext(map=load_map(root).map, lang="en"))
    assert 'type="radio"' not in page and 'class="l-' not in page


def test_hostile_text_is_escaped(hostile_page: str) -> None:
    tags = parse(hostile_page)
    assert tags.tags.count("script") == 1  # ours; none from the map
    assert "img" not in tags.tags
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in hostile_page
    assert "&lt;/details&gt;&lt;/summary&gt;&lt;/li&gt;" in hostile_page
    assert "Tags &lt;b&gt;in&lt;/b&gt; the title &amp; more" in hostile_page
    # a key full of markup is shown, escaped, and marked as missing
    assert "o&#x27;neil&amp;&lt;x&gt;, p. &lt;1&gt; ✗" in hostile_page


def test_focus_keeps_the_path_out_and_says_so(run_export: Export) -> None:
    page = run_export(ExportFormat.HTML, focus="C1")
    assert 'id="claim-C1"' in page and 'id="claim-P1"' not in page
    assert "cuelga de C1" in page


# --- in a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    chromium = Browser(path)
    yield chromium
    chromium.close()


@pytest.fixture
def page_file(run_export: Export, tmp_path: Path) -> Path:
    target = tmp_path / "map.html"
    target.write_text(run_export(ExportFormat.HTML), encoding="utf-8")
    return target


def visible(browser: Browser, selector: str) -> bool:
    return bool(browser.js(f"document.querySelector({selector!r}).checkVisibility()"))


def test_browser_loads_the_page_without_the_network(browser: Browser, page_file: Path) -> None:
    browser.open(page_file)
    assert browser.requested_urls() == [page_file.resolve().as_uri()]
    ids = "new Set([...document.querySelectorAll('li.claim[id]')].map(e => e.id)).size"
    assert browser.js(ids) == 6
    assert browser.js("document.title").startswith("Mapa argumentativo")


def test_branches_unfold_with_a_click(browser: Browser, page_file: Path) -> None:
    browser.open(page_file)
    # the root is open and shows its reasons; a reason's own evidence is folded away
    assert visible(browser, "#claim-P1 .text")
    assert not visible(browser, "#ev-P1\\.e1")
    browser.click("#claim-P1 > details > summary")
    assert browser.js("document.querySelector('#claim-P1 > details').open") is True
    assert visible(browser, "#ev-P1\\.e1")
    browser.click("#claim-P1 > details > summary")
    assert not visible(browser, "#ev-P1\\.e1")


def test_unfold_all_and_print_open_every_branch(browser: Browser, page_file: Path) -> None:
    browser.open(page_file)
    closed = "[...document.querySelectorAll('details')].filter(d => !d.open).length"
    assert browser.js(closed) > 0
    browser.click("button[data-fold=open]")
    assert browser.js(closed) == 0
    browser.click("button[data-fold=close]")
    assert browser.js(closed) > 0
    browser.call("Page.printToPDF")
    assert browser.js(closed) == 0
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:
        assert not visible(browser, ".bar")
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")


def test_language_switch(browser: Browser, page_file: Path) -> None:
    browser.open(page_file)
    text = "document.querySelector('#claim-D1 .text').innerText"
    assert browser.js(text).startswith("Los huertos comunitarios")
    browser.click('label[for="lang-en"]')
    assert browser.js(text).startswith("Community gardens")
    assert browser.js("document.querySelector('#claim-D1 .head').innerText").startswith(
        "D1 diagnosis"
    )
    browser.click('label[for="lang-es"]')
    assert browser.js(text).startswith("Los huertos comunitarios")


def test_citation_link_leads_to_the_reference(browser: Browser, page_file: Path) -> None:
    browser.open(page_file)
    browser.click('#claim-D1 a.cite[href="#ref-ortiz2019b"]')
    assert browser.js("location.hash") == "#ref-ortiz2019b"
    assert "Agua para los huertos" in browser.js("document.querySelector(':target').innerText")


def test_hostile_text_shows_as_text_in_the_browser(
    browser: Browser, hostile_page: str, tmp_path: Path
) -> None:
    target = tmp_path / "hostile.html"
    target.write_text(hostile_page, encoding="utf-8")
    browser.open(target)
    assert browser.js("window.pwned === undefined") is True
    assert browser.js("document.querySelectorAll('script').length") == 1
    assert browser.js("document.querySelectorAll('img').length") == 0
    shown = browser.js("document.querySelector('#claim-D1 .text').innerText")
    assert shown.startswith("<script>window.pwned = 1</script><img src=x")
    assert browser.requested_urls() == [target.resolve().as_uri()]


def test_screenshot(browser: Browser, page_file: Path, tmp_path: Path) -> None:
    browser.open(page_file)
    browser.click("button[data-fold=open]")
    shot = tmp_path / "map.png"
    data = browser.screenshot(shot, full_page=True)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    # the window's width less a scroll bar; the whole unfolded page, taller than the window
    assert 1200 <= width <= 1280 and height > 900


def test_every_link_of_the_shipped_map_has_its_target() -> None:
    from argmap.bib.reader import load_bibliography

    repo = Path(__file__).parents[2]
    ctx = ExportContext(
        map=load_map(repo / "arguments").map,
        lang="es",
        bib=load_bibliography(repo / "refs.bib"),
    )
    tags = parse(exporter(ExportFormat.HTML)(ctx))
    internal = [h for h in tags.hrefs if h.startswith("#")]
    assert len(internal) > 50
    assert [h for h in internal if h[1:] not in tags.ids] == []
    assert "ref-saravi1998sociologica" in tags.ids  # the introduction's link to the article
