"""The tree laid out without Rich (output without styles) is exactly what Rich prints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.tree import Tree

from argmap.bib.sources import read_bibliographies
from argmap.map.loader import load_map
from argmap.render.layout import ASCII_GUIDES, GUIDES, Node, outline_tree, plain_lines, plain_target
from argmap.render.outline import build_outline
from argmap.render.tree import printed, rich_tree

TESTS = Path(__file__).parents[1]
REPO = TESTS.parent


class _Ascii(io.StringIO):
    encoding = "ascii"


def console(width: int, ascii_only: bool = False) -> Console:
    return Console(width=width, soft_wrap=False, file=_Ascii() if ascii_only else io.StringIO())


def by_rich(tree: Node, con: Console) -> str:
    with con.capture() as captured:
        con.print(rich_tree(tree))
    return captured.get()


def laid_out_here(tree: Node, con: Console) -> str:
    lines = plain_lines(tree, con.options.max_width, con.options.ascii_only)
    assert lines is not None, "the layout gave up where it should not"
    return "".join(f"{line}\n" for line in lines)


MAPS = [
    (REPO / "arguments", REPO / "refs.bib"),
    (TESTS / "data" / "mini" / "arguments", TESTS / "data" / "mini" / "refs.bib"),
    (TESTS / "data" / "trace" / "arguments", TESTS / "data" / "trace" / "refs.bib"),
    (TESTS / "data" / "hostile" / "map-markup.yaml", None),
    (TESTS / "data" / "hostile" / "map-ok.yaml", None),
]


@pytest.mark.parametrize("width", [36, 52, 80, 100, 157, 240])
@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("where", MAPS, ids=lambda m: m[0].parent.name + "/" + m[0].name)
def test_maps_are_laid_out_as_rich_prints_them(
    where: tuple[Path, Path | None], lang: str, width: int
) -> None:
    map_path, bib_path = where
    loaded = load_map(map_path, use_cache=False)
    bib = read_bibliographies([bib_path], use_cache=False) if bib_path else None
    for depth, evidence in [(None, True), (2, True), (None, False)]:
        outline = build_outline(loaded.map, lang=lang, bib=bib, depth=depth, evidence=evidence)
        tree = outline_tree(outline, lang)
        con = console(width)
        assert laid_out_here(tree, con) == by_rich(tree, con)
        assert printed(tree, con) == by_rich(tree, con)


def test_an_ascii_console_gets_ascii_guides() -> None:
    loaded = load_map(TESTS / "data" / "mini" / "arguments", use_cache=False)
    tree = outline_tree(build_outline(loaded.map, lang="en"), "en")
    con = console(70, ascii_only=True)
    assert con.options.ascii_only
    assert laid_out_here(tree, con) == by_rich(tree, con)
    assert "+-- " in laid_out_here(tree, con)


def test_a_terminal_gets_rich_styles() -> None:
    loaded = load_map(TESTS / "data" / "mini" / "arguments", use_cache=False)
    tree = outline_tree(build_outline(loaded.map, lang="en"), "en")
    con = Console(width=80, soft_wrap=False, file=io.StringIO(), force_terminal=True)
    assert con.color_system is not None
    out = printed(tree, con)
    assert "\x1b[" in out and out == by_rich(tree, con)


def test_what_rich_would_crop_is_left_to_rich() -> None:
    deep = tree = Node([("root", "")])
    for level in range(12):
        deep = deep.add([(f"level {level}", "")])
    con = console(30)
    assert plain_lines(tree, 30) is None  # guides wider than the line
    assert printed(tree, con) == by_rich(tree, con)


WORDS = st.sampled_from(
    [
        "a",
        "palabra",
        "reestructuración",
        "x" * 45,
        "漢字の",
        "🙂",
        "e\u0301",
        "[bold]",
        "—",
        "  ",
        " ",
        "\n",
        "\n\n",
        "§3 ¶12",
        "⟨key1995⟩",
    ]
)
TEXTS = st.lists(WORDS, max_size=30).map(lambda parts: " ".join(parts))


@st.composite
def trees(draw: st.DrawFn) -> Node:
    top = Node([(draw(TEXTS), "")])
    nodes = [top]
    for _ in range(draw(st.integers(0, 12))):
        parent = nodes[draw(st.integers(0, len(nodes) - 1))]
        nodes.append(parent.add([(draw(TEXTS), "bold"), (draw(TEXTS), "")]))
    return top


@settings(max_examples=200, deadline=None)
@given(trees(), st.integers(min_value=8, max_value=140))
def test_any_tree_at_any_width_is_laid_out_as_rich_prints_it(tree: Node, width: int) -> None:
    con = console(width)
    assert printed(tree, con) == by_rich(tree, con)


def test_the_guides_are_richs() -> None:
    assert Tree.TREE_GUIDES[0] == GUIDES
    assert ASCII_GUIDES == Tree.ASCII_GUIDES


class _Pipe(io.StringIO):
    encoding = "utf-8"


@pytest.mark.parametrize(
    "environ",
    [{}, {"COLUMNS": "72"}, {"NO_COLOR": "1"}, {"TERM": "dumb"}, {"LINES": "5", "COLUMNS": "41"}],
    ids=str,
)
def test_the_plain_target_is_what_rich_detects(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where this layout is used, Rich would print no styles, at the width it says.
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    out = _Pipe()
    columns = int(environ["COLUMNS"]) if "COLUMNS" in environ else None
    target = plain_target(columns, out)
    con = Console(width=columns, soft_wrap=False, file=out)
    assert target == (con.width, con.options.ascii_only)
    assert con.color_system is None


@pytest.mark.parametrize(
    "environ", [{"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "1"}], ids=str
)
def test_whatever_may_make_rich_style_is_left_to_rich(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert plain_target(80, _Pipe()) is None


def test_a_terminal_is_left_to_rich() -> None:
    class Terminal(_Pipe):
        def isatty(self) -> bool:
            return True

    assert plain_target(80, Terminal()) is None


ONE_CELL_LINES = st.lists(
    st.sampled_from(["a", "bc", "reestructuración", "x" * 30, "§3", "¶12", "ñ", "—", "…"])
    | st.text(alphabet=" \xa0\u2003", min_size=1, max_size=4),
    max_size=25,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(ONE_CELL_LINES, st.integers(min_value=1, max_value=60))
def test_a_line_is_broken_where_rich_breaks_it(line: str, width: int) -> None:
    # the line-at-a-time breaking of one-cell text (and Rich's own for the rest) against
    # Rich's word-at-a-time divide_line: spaces of every sort, runs of them at either end,
    # words longer than the width
    from rich._wrap import divide_line

    from argmap.render.layout import _divide, _one_cell

    assert _divide(line, width, _one_cell(line)) == divide_line(line, width, fold=True)


def test_guides_take_four_cells() -> None:
    from rich.cells import cell_len

    assert {cell_len(guide) for guide in (*GUIDES, *ASCII_GUIDES)} == {4}


def test_one_cell_text_is_broken_line_at_a_time() -> None:
    # the fast way is taken for the shipped map's text (Spanish, with its dashes and quotes)
    from argmap.render import layout

    assert layout._one_cell("reestructuración — «low road» “mesoespacio” § ¶ …")
    assert not layout._one_cell("漢字") and not layout._one_cell("e\u0301")
