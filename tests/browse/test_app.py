"""`argmap browse` driven by Textual's pilot on the shipped map: keys pressed, the screen's
state asserted, and a few screens compared with SVG golden files."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from argmap.bib.reader import load_bibliography
from argmap.browse.app import KEYS, BrowseApp
from argmap.browse.content import BrowseContent, load_content
from argmap.map.graph import path_from_root
from argmap.map.loader import load_map
from argmap.map.vocab import claim_kind, relation
from argmap.render.outline import build_outline

REPO = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def content() -> BrowseContent:
    """The shipped map and bibliography, references formatted in APA."""
    bib = load_bibliography(REPO / "refs.bib", use_cache=False)
    return load_content(load_map(REPO / "arguments").map, bib, "apa", "en-US")


def screen_text(app: BrowseApp) -> str:
    """The screen as plain text, one line per row."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def right_pane(app: BrowseApp) -> str:
    """The right pane's words as one line (its wrapping undone)."""
    rows = [row.split("▕", 1)[1] for row in screen_text(app).splitlines() if "▕" in row]
    return " ".join(" ".join(rows).split())


def cursor_claim(app: BrowseApp) -> str | None:
    node = app.outline.cursor_node
    return node.data.claim_id if node is not None and node.data is not None else None


async def move_to(pilot: Pilot[None], app: BrowseApp, claim_id: str) -> None:
    """Press ↓ until the cursor is on ``claim_id`` (as a reader would)."""
    for _ in range(60):
        if cursor_claim(app) == claim_id:
            return
        await pilot.press("down")
    raise AssertionError(f"never reached {claim_id}; at {cursor_claim(app)}")


async def until_formatted(pilot: Pilot[None], content: BrowseContent) -> None:
    """Wait (20 s at most) for the references formatted after the first screen."""
    for _ in range(400):
        if not content.pending:
            return
        await pilot.pause(0.05)
    raise AssertionError("the references were never filled in")


async def open_path_to(pilot: Pilot[None], app: BrowseApp, claim_id: str) -> None:
    """Unfold each claim on the way from the root to ``claim_id`` with →, then move onto it."""
    chain = path_from_root(app.content.map, claim_id)
    assert chain is not None
    for step in chain[:-1]:
        await move_to(pilot, app, step)
        await pilot.press("right")
    await move_to(pilot, app, claim_id)


def drive(
    content: BrowseContent,
    steps: Callable[[Pilot[None], BrowseApp], Awaitable[None]],
    size: tuple[int, int] = (80, 24),
    lang: str = "es",
) -> BrowseApp:
    """Run the app headless at ``size`` and play ``steps`` on it."""
    app = BrowseApp(content, lang)

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot, app)
            await pilot.pause()

    asyncio.run(run())
    return app


def test_starts_folded_on_the_diagnosis(content: BrowseContent) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        assert cursor_claim(app) == "D1"
        assert not app.nodes["D1"].is_expanded
        text = screen_text(app)
        assert "▶ D1 diagnóstico" in text
        assert "I5" not in text.split("▕")[0]  # D1's reasons are folded away
        assert "D1  diagnóstico  §final ¶6" in text  # the detail pane
        footer = text.splitlines()[-1]
        for binding in (k for k in KEYS if k.show):  # every key of the table is in the footer
            shown = binding.key_display or {"escape": "esc"}.get(binding.key, binding.key)
            assert f"{shown} {binding.description}" in footer

    drive(content, steps)


def test_unfold_d1_select_r1_trace_search_and_switch_language(content: BrowseContent) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        await pilot.press("right")
        assert app.nodes["D1"].is_expanded
        first = build_outline(content.map, lang="es", evidence=False).roots[0].children[0]
        assert first.relation is not None
        kind = claim_kind(first.claim.kind, "es")
        line = f"├ ▶ {relation(first.relation, 'es')} {first.claim.id} {kind}"
        assert line in screen_text(app)
        await open_path_to(pilot, app, "R1")
        assert cursor_claim(app) == "R1"
        text = screen_text(app)
        assert "[es] afirmación R1" in text
        assert "R1  recomendación" in text
        await pilot.press("t")
        text = screen_text(app)
        assert app.view == "trace" and "Cadena de D1 a R1" in text
        assert "1. D1 diagnóstico" in text
        await pilot.press("escape")
        assert app.view == "claim" and app.target == "R1"

        await pilot.press("slash", *"mesoespacio", "enter")
        text = screen_text(app)
        assert app.view == "results"
        assert re.search(r"\d+ resultados para «mesoespacio»", text)
        found = {hit.target for hit in app.hits if hit.kind == "claim"}
        expected = {
            c.id for c in content.map.claims if any("mesoespacio" in t for t in c.text.values())
        }
        assert found == expected and len(found) >= 3
        await pilot.press("enter")  # the first result
        assert cursor_claim(app) == app.hits[0].target
        assert app.view == "claim"

        await pilot.press("l")
        text = screen_text(app)
        assert app.lang == "en"
        assert "[en] claim" in text and "supports" in text and "apoya" not in text
        assert "D1 diagnosis" in text
        await pilot.press("l")
        assert app.lang == "es" and "D1 diagnóstico" in screen_text(app)

    drive(content, steps)


def test_detail_shows_both_languages_evidence_and_full_references(
    content: BrowseContent,
) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        # the first claim whose evidence cites an entry with a full reference
        claim, ev, cit = next(
            (c, e, ci)
            for c, e, ci in content.map.citations()
            if len(content.references.get(ci.key, "").split()) > 8
        )
        app.reveal(claim.id)
        await pilot.pause()
        assert cursor_claim(app) == claim.id
        text = screen_text(app)
        flat = right_pane(app)
        kind = claim_kind(claim.kind, "es")
        assert f"[es] afirmación {claim.id}" in text
        assert f"{claim.id}  {kind}  {claim.locator}" in text
        assert " ".join(f"[es] {claim.text['es']}".split()) in flat
        assert " ".join(f"[en] {claim.text['en']}".split()) in flat
        assert f"◇ {ev.id}" in text
        entry = content.bib.get(cit.key) if content.bib else None
        assert entry is not None
        assert f"✓ {entry.label()} [{cit.key}]" in flat
        assert f"impreso: {cit.printed}" in flat
        # the full reference, as `argmap refs` formats it (wrapped in the pane)
        assert content.references[cit.key] in flat

    drive(content, steps, size=(120, 60))


def test_what_rests_on_a_source(content: BrowseContent) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        claim = next(c for c in content.map.claims if len(content.sources_of(c.id)) > 1)
        app.reveal(claim.id)
        await pilot.pause()
        await pilot.press("s")
        assert app.view == "results"
        assert [h.target for h in app.hits] == content.sources_of(claim.id)
        assert f"{claim.id} cita (enter: qué descansa en ella)" in screen_text(app)
        await pilot.press("l")  # the list stays, its heading in the other language
        assert f"{claim.id} cites (enter: what rests on it)" in screen_text(app)
        assert [h.target for h in app.hits] == content.sources_of(claim.id)
        await pilot.press("l")
        await pilot.press("enter")
        text = screen_text(app)
        key = app.hits[0].target
        assert app.view == "source" and app.target == key
        entry = content.bib.get(key) if content.bib else None
        assert entry is not None
        assert f"Si cae {key} ({entry.label()}):" in text

    drive(content, steps, size=(120, 40))


def test_from_a_source_back_to_the_claims_that_rest_on_it(content: BrowseContent) -> None:
    from argmap.map.trace import trace_source

    key = "piore1984"
    trace = trace_source(content.map, key)
    indirect = next(d for d in trace.dependents if not d.direct)

    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        await pilot.press("slash", *key, "enter")
        hit = next(i for i, h in enumerate(app.hits) if h.target == key)
        await pilot.press(*["down"] * hit, "enter")
        assert app.view == "source" and app.target == key
        await pilot.press("s")
        assert app.view == "results"
        assert f"Descansa en {key}" in screen_text(app)
        ids = [h.target for h in app.hits]
        assert ids[: len(trace.dependents)] == [d.claim.id for d in trace.dependents]
        # An indirect dependent names the claims it rests on the source through.
        through = [*indirect.lost, *indirect.weakened_by, *indirect.attacked_by]
        assert through
        label = next(h.label for h in app.hits if h.target == indirect.claim.id)
        assert "← " + ", ".join(through) in " ".join(label.split())
        where = ids.index(indirect.claim.id)
        await pilot.press(*["down"] * where, "enter")
        await pilot.pause()
        assert app.view == "claim" and cursor_claim(app) == indirect.claim.id

    drive(content, steps, size=(120, 40))


def test_search_finds_sources_and_escape_goes_back(content: BrowseContent) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        await pilot.press("slash", *"piore", "enter")
        kinds = {(h.kind, h.target) for h in app.hits}
        assert ("source", "piore1984") in kinds and ("source", "piore1990") in kinds
        second = app.hits[1]
        await pilot.press("down", "enter")
        assert app.view == "source" and app.target == second.target
        await pilot.press("escape")
        assert app.view == "claim" and app.outline.has_focus

    drive(content, steps)


def test_tab_moves_to_the_detail_pane_which_scrolls(content: BrowseContent) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        detail = app.query_one("#detail-scroll")
        assert detail.max_scroll_y > 0  # D1's detail is taller than 24 rows
        await pilot.press("tab")
        assert detail.has_focus
        await pilot.press("pagedown")
        await pilot.pause()
        assert detail.scroll_y > 0
        await pilot.press("tab")
        assert app.outline.has_focus

    drive(content, steps)


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
def test_quits_cleanly(content: BrowseContent, key: str) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        await pilot.press("x")
        assert app.is_running  # an unbound key does nothing
        await pilot.press(key)
        assert not app.is_running  # the key itself ended the app, not the end of the test

    app = drive(content, steps)
    assert app.return_code == 0


def test_no_color_renders_in_greys_only(
    content: BrowseContent, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rich's SVG frame draws three coloured window buttons whatever the screen holds.
    frame = {"#ff5f57", "#febc2e", "#28c840"}

    def colours(svg: str) -> set[str]:
        return {c.lower() for c in re.findall(r"#[0-9a-f]{6}", svg, re.IGNORECASE)} - frame

    def grey(hex_colour: str) -> bool:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return max(r, g, b) - min(r, g, b) <= 3

    shots: dict[str, str] = {}

    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        await pilot.press("right")
        shots["svg"] = app.export_screenshot()

    drive(content, steps)
    assert not all(grey(c) for c in colours(shots["svg"]))  # colour by default
    monkeypatch.setenv("NO_COLOR", "1")
    drive(content, steps)
    assert all(grey(c) for c in colours(shots["svg"]))


SNAPSHOTS: dict[str, tuple[tuple[int, int], str, list[str]]] = {
    "start-80x24": ((80, 24), "es", []),
    "r1-80x24": ((80, 24), "es", ["path:R1"]),
    "trace-r1-80x24": ((80, 24), "es", ["path:R1", "t"]),
    "search-120x40": ((120, 40), "es", ["slash", *"mesoespacio", "enter"]),
    "english-a10-120x40": ((120, 40), "en", ["path:A10"]),
    "source-piore1984-80x24": ((80, 24), "es", ["slash", *"piore1984", "enter", "enter"]),
    "resting-on-piore1984-80x24": ((80, 24), "es", ["slash", *"piore1984", "enter", "enter", "s"]),
}


@pytest.mark.parametrize("name", list(SNAPSHOTS))
def test_snapshot(content: BrowseContent, golden: Callable[[str, str], None], name: str) -> None:
    size, lang, keys = SNAPSHOTS[name]
    shots: dict[str, str] = {}

    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        for key in keys:
            if key.startswith("path:"):
                await open_path_to(pilot, app, key.removeprefix("path:"))
            else:
                await pilot.press(key)
        await pilot.pause()
        shots["svg"] = app.export_screenshot(title=f"argmap browse — {name}")

    drive(content, steps, size=size, lang=lang)
    golden(f"browse/{name}.svg", shots["svg"])


def test_css_file_sits_beside_the_app() -> None:
    import argmap.browse.app as module

    css = Path(module.__file__).parent / BrowseApp.CSS_PATH
    assert css.is_file() and "#outline" in css.read_text(encoding="utf-8")


UNLINKED_MAP = """
article: {key: doe2020, title: "Un mapa", language: es}
claims:
  - id: D1
    kind: diagnosis
    text: {es: "Diagnóstico.", en: "Diagnosis."}
    locator: {section: "1", paragraph: 1}
    relations: [{type: leads_to, target: R1}]
  - id: R1
    kind: recommendation
    text: {es: "Recomendación.", en: "Recommendation."}
    locator: {section: "1", paragraph: 2}
  - id: C9
    kind: context
    text: {es: "Contexto suelto.", en: "Loose context."}
    locator: {section: "1", paragraph: 3}
"""


def test_claims_the_root_does_not_reach_are_grouped(write_map: Callable[..., Path]) -> None:
    argmap = load_map(write_map(m=UNLINKED_MAP)).map
    content = load_content(argmap, None, "apa", "en-US")

    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        labels = [str(node.label) for node in app.outline.root.children]
        assert labels[1] == "Sin enlace con la raíz"
        app.reveal("C9")
        await pilot.pause()
        assert cursor_claim(app) == "C9" and "Contexto suelto." in screen_text(app)
        await pilot.press("l")
        assert str(app.outline.root.children[1].label) == "Not linked to the root"
        assert "C9 context  Loose context." in screen_text(app)

    drive(content, steps)


def test_references_are_filled_in_after_the_first_screen(content: BrowseContent) -> None:
    from argmap.browse.content import format_cited

    lazy = BrowseContent(content.map, content.bib)
    claim, _, cit = next(
        (c, e, ci)
        for c, e, ci in content.map.citations()
        if len(content.references.get(ci.key, "").split()) > 8
    )
    app = BrowseApp(lazy, "es", lambda: format_cited(lazy.map, lazy.bib, "apa", "en-US"))

    async def run() -> None:
        async with app.run_test(size=(120, 60)) as pilot:
            app.reveal(claim.id)
            assert lazy.pending  # the first screen comes before the references
            await until_formatted(pilot, lazy)
            await pilot.pause()
            assert content.references[cit.key] in right_pane(app)

    asyncio.run(run())


def test_a_failed_formatting_is_said_not_hidden(content: BrowseContent) -> None:
    from argmap.errors import ArgmapError

    def broken() -> dict[str, str]:
        raise ArgmapError("cannot read the style: broken")

    lazy = BrowseContent(content.map, content.bib)
    app = BrowseApp(lazy, "es", broken)

    async def run() -> None:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await until_formatted(pilot, lazy)
            await pilot.pause()
            assert "cannot read the style: broken" in screen_text(app)

    asyncio.run(run())


def test_search_box_speaks_the_language_shown(content: BrowseContent) -> None:
    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        await pilot.press("slash")
        assert app.search_box.has_focus
        assert "buscar en afirmaciones" in screen_text(app)
        await pilot.press("escape", "l", "slash")
        assert "search claims, evidence and sources" in screen_text(app)
        await pilot.press("escape")
        assert not app.search_box.display and app.outline.has_focus

    drive(content, steps)


def test_a_chain_deeper_than_the_nesting_limit_is_all_there(
    write_map: Callable[..., Path],
) -> None:
    claims = [
        '  - {id: D1, kind: diagnosis, text: {es: "d", en: "d"}, '
        'locator: {section: "1", paragraph: 1}, relations: [{type: leads_to, target: R1}]}',
        '  - {id: R1, kind: recommendation, text: {es: "r", en: "r"}, '
        'locator: {section: "1", paragraph: 2}}',
    ]
    for n in range(1, 31):
        target = "D1" if n == 1 else f"C{n - 1}"
        claims.append(
            f'  - {{id: C{n}, kind: premise, text: {{es: "c{n}", en: "c{n}"}}, '
            f'locator: {{section: "1", paragraph: {n + 2}}}, '
            f"relations: [{{type: supports, target: {target}}}]}}"
        )
    text = 'article: {key: a, title: "Hondo", language: es}\nclaims:\n' + "\n".join(claims) + "\n"
    content = load_content(load_map(write_map(m=text)).map, None, "apa", "en-US")

    async def steps(pilot: Pilot[None], app: BrowseApp) -> None:
        assert set(app.nodes) == {c.id for c in content.map.claims}
        app.reveal("C30")
        await pilot.pause()
        assert cursor_claim(app) == "C30" and "[es] c30" in screen_text(app)

    drive(content, steps)
