"""`argmap refs`: reference lists through citeproc-py, and the CSL conversion beneath them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.bib.csl import entry_to_csl, inherit
from argmap.bib.reader import load_bibliography
from argmap.bib.refs import RefsEngine, RefsFormat, format_references
from argmap.cli.app import app
from argmap.errors import ArgmapError

runner = CliRunner()
SEED = Path(__file__).parents[2] / "arguments"


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def texts(*args: Any, **kwargs: Any) -> list[str]:
    """citeproc-py's references, as text (pandoc's are compared in test_refs_pandoc)."""
    kwargs.setdefault("engine", RefsEngine.CITEPROC_PY)
    return [ref.text for ref in format_references(*args, **kwargs).references]


def test_csl_conversion(export_fixture: Path) -> None:
    bib = load_bibliography(export_fixture / "refs.bib")
    ortiz = entry_to_csl(bib.entries["ortiz2019a"])
    assert ortiz["type"] == "book"
    assert ortiz["author"][1] == {
        "family": "Fuente",
        "given": "Ana",
        "dropping-particle": "de la",
    }
    assert ortiz["publisher"] == "University Press of the Andes"  # @string resolved
    assert ortiz["issued"] == {"date-parts": [[2019]]}
    fao = entry_to_csl(bib.entries["fao2015"])
    assert fao["author"] == [{"literal": "Food and Agriculture Organization"}]
    assert fao["publisher"] == "FAO"
    article = entry_to_csl(bib.entries["ortiz2019b"])
    assert (article["issue"], article["page"], article["DOI"]) == (
        "3",
        "101–120",
        "10.0000/reu.2019.3",
    )
    chapter = entry_to_csl(inherit(bib.entries["mueller2018"], bib))
    assert chapter["author"] == [{"family": "Müller", "given": "Jörg"}]  # LaTeX decoded
    # from the crossref'd book; English titles in sentence case, as CSL expects its data
    assert chapter["container-title"] == "Common ground"
    assert chapter["title"] == "Gardens without the state"
    # an untagged entry in a Spanish document is not taken for English: left as written
    spanish = entry_to_csl(inherit(bib.entries["mueller2018"], bib), "es")
    assert spanish["container-title"] == "Common Ground"
    assert chapter["editor"] == [{"family": "Green", "given": "Pat"}]


def test_apa_reference_list(export_fixture: Path) -> None:
    bib = load_bibliography(export_fixture / "refs.bib")
    refs = texts(list(bib.entries.values()), bib=bib)
    assert refs[0].startswith("Chen, W., Smith, J., & Okafor, N. (2020). Harvests in shared plots.")
    assert any(
        r.startswith("Ortiz, L. (2019). Agua para los huertos. Revista de Estudios") for r in refs
    )
    assert [r.split(" ")[0] for r in refs] == sorted(r.split(" ")[0] for r in refs)


def test_year_suffix_from_keys(tmp_path: Path) -> None:
    bib_file = tmp_path / "refs.bib"
    bib_file.write_text(
        "@misc{saravi1997a, author = {Saraví, Gonzalo A.}, year = {1997}}\n"
        "@misc{saravi1997b, author = {Saraví, Gonzalo A.}, year = {1997}}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(bib_file)
    assert texts(list(bib.entries.values())) == [
        "Saraví, G. A. (1997a).",
        "Saraví, G. A. (1997b).",
    ]


def test_other_style_locale_and_formats(export_fixture: Path) -> None:
    bib = load_bibliography(export_fixture / "refs.bib")
    entries = [bib.entries["ortiz2019a"]]
    chicago = texts(entries, "chicago-author-date", "es-ES")
    assert chicago == [
        "Ortiz, Lucía, y Ana de la Fuente. 2019. Huertos y ciudad. University Press of the Andes."
    ]
    assert "*Huertos y ciudad*" in texts(entries, fmt=RefsFormat.MARKDOWN)[0]
    assert "<i>Huertos y ciudad</i>" in texts(entries, fmt=RefsFormat.HTML)[0]


def test_unknown_style_and_locale() -> None:
    with pytest.raises(ArgmapError, match=r"unknown citation style 'apaa'.*'apa'"):
        format_references([], "apaa")
    with pytest.raises(ArgmapError, match="unknown locale 'es-XX'"):
        format_references([], "apa", "es-XX")


def test_cli_refs_used(export_fixture: Path, mini: Path) -> None:
    where = ["--map", str(export_fixture / "arguments"), "--bib", str(export_fixture / "refs.bib")]
    code, out, _ = cli("refs", *where)
    assert code == 0 and "Nadie, P. (1999)" in out
    code, out, _ = cli("refs", "--used", *where)
    assert code == 0 and "Nadie" not in out and out.count("\n\n") == 5  # six entries
    code, out, err = cli("refs", "--used", "--map", str(mini / "arguments"))
    assert code == 1 and "nobody1999" in err and "Roe, J." in out


def test_html_items_carry_their_own_entry_key(export_fixture: Path) -> None:
    # --used lists the entries in citation order; the style sorts them: each id must follow its
    # entry, not its place in the list.
    args = ["--map", str(export_fixture / "arguments"), "--bib", str(export_fixture / "refs.bib")]
    code, out, err = cli("refs", "--used", "--format", "html", *args)
    assert code == 0, err
    items = dict(
        line.strip().removeprefix('<li id="ref-').removesuffix("</li>").split('">', 1)
        for line in out.splitlines()
        if line.strip().startswith("<li")
    )
    assert len(items) == 6
    assert items["chen2020"].startswith("Chen, W.")
    assert items["fao2015"].startswith("Food and Agriculture Organization")
    assert items["ortiz2019b"].startswith("Ortiz, L. (2019). Agua")


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        pytest.param("Nucl.~Phys.", "Nucl. Phys.", id="tie"),
        pytest.param("{C--C} coupling", "C–C coupling", id="en-dash"),
        pytest.param("Skald~-- and Music", "Skald – and Music", id="tie-and-dash"),
        pytest.param("a---b", "a—b", id="em-dash"),
        pytest.param("J.~Amer. Math. Soc.", "J. Amer. Math. Soc.", id="journal"),
    ],
)
def test_ties_and_dashes_are_decoded_without_a_backslash(raw: str, text: str) -> None:
    # biblatex-examples.bib (pandoc's test data) printed "Nucl.~Phys." and "C--C" in APA
    from argmap.bib.latex import latex_to_text

    assert latex_to_text(raw) == text
    assert latex_to_text(raw + " \\'e") == text + " é"  # the same through pylatexenc


def test_urls_and_dois_are_verbatim() -> None:
    from argmap.bib.model import BibEntry

    entry = BibEntry(
        key="k",
        type="online",
        line=1,
        fields={
            "title": "T",
            "url": "http://example.edu/~user/a--b\\_c.html",
            "doi": "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P",
        },
    )
    item = entry_to_csl(entry)
    assert item["URL"] == "http://example.edu/~user/a--b_c.html"
    assert item["DOI"] == "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"


def test_reference_map_pairs_each_key_with_its_own_reference() -> None:
    from argmap.bib.refs import format_reference_map

    bib = load_bibliography(Path(__file__).parents[2] / "refs.bib")
    formatted = format_reference_map(list(bib.entries.values()), bib=bib)
    assert set(formatted) == set(bib.entries)
    assert formatted["piore1984"].startswith("Piore, M. J., & Sabel, C. F. (1984).")
    assert formatted["arias1988"].startswith("Arias, P. (1988)")
    for key, reference in formatted.items():
        surnames = bib.entries[key].display_surnames
        assert not surnames or reference.startswith(surnames[0]), (key, reference)
    listed = format_references(list(bib.entries.values()), bib=bib).references
    assert list(formatted.values()) == [ref.text for ref in listed]


def test_html_list_ids_name_their_own_entries() -> None:
    code, out, _ = cli(
        "refs", "--format", "html", "--bib", str(Path(__file__).parents[2] / "refs.bib")
    )
    assert code == 0
    assert '<li id="ref-piore1984">Piore, M. J.' in out
    assert '<li id="ref-arias1988">Arias, P.' in out


def test_without_pandoc_auto_says_it_used_citeproc_py(
    export_fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argmap.bib.pandoc

    monkeypatch.setattr(argmap.bib.pandoc, "find_pandoc", lambda: None)
    where = ["--map", str(export_fixture / "arguments"), "--bib", str(export_fixture / "refs.bib")]
    code, out, err = cli("refs", *where)
    assert code == 0 and "Chen, W." in out
    assert "formatted by citeproc-py" in err and "argmap[pandoc]" in err
    code, out, err = cli("refs", "--engine", "pandoc", *where)
    assert code == 2 and out == "" and "no pandoc 2.11 or newer found" in err
    code, _, err = cli("refs", "--engine", "citeproc-py", *where)
    assert code == 0 and err == ""  # asked for by name: nothing to say


def test_html_items_are_whole_and_named_by_their_key(export_fixture: Path) -> None:
    where = ["--map", str(export_fixture / "arguments"), "--bib", str(export_fixture / "refs.bib")]
    for engine in ("pandoc", "citeproc-py"):
        code, out, err = cli("refs", "--format", "html", "--engine", engine, *where)
        assert code == 0, err
        assert out.startswith('<ol class="references">\n') and out.endswith("</ol>\n")
        assert '<li id="ref-fao2015">Food and Agriculture Organization' in out, engine
        assert '<li id="ref-chen2020">Chen, W.' in out, engine


MENDELEY_AND_MARKUP = r"""
@book_section{Mills2010,
   author = {Claudia Mills},
   title = {The Author's Perspective},
   year = {2010},
   mendeley.tags = {kids},
}
@techreport{barto89,
  author = {Barto, A. G.},
  title = {Connectionist Learning for Control},
  institution = {University of Massachusetts},
  type = {{\Sc COINS} Technical Report},
  number = {89-89},
  year = {1989},
}
"""


def test_what_pandoc_cannot_read_does_not_sink_the_list(tmp_path: Path) -> None:
    # Mendeley exports @book_section and dotted field names, which make pandoc refuse the
    # whole file: argmap writes the entry as @misc (as biblatex treats an unknown type).
    (tmp_path / "refs.bib").write_text(MENDELEY_AND_MARKUP, encoding="utf-8")
    code, out, err = cli(
        "refs", "--engine", "pandoc", "--bib", str(tmp_path / "refs.bib"), "--map", str(SEED)
    )
    assert "Mills, C. (2010). The author’s perspective." in out
    # pandoc leaves {\Sc COINS} as it is: said, with the entry's line, and exit 1
    assert code == 1
    assert err.startswith("argmap: warning: ")
    assert "refs.bib:8: the reference of barto89 still holds LaTeX" in err
    assert r"{\Sc" in err


def test_citeproc_py_decodes_what_pandoc_leaves(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(MENDELEY_AND_MARKUP, encoding="utf-8")
    code, out, err = cli(
        "refs", "--engine", "citeproc-py", "--bib", str(tmp_path / "refs.bib"), "--map", str(SEED)
    )
    assert code == 0, err
    assert "COINS Technical Report" in out and not set(out) & set("\\{}`")


LANGUAGES = r"""
@article{es1995, author = {P{\'e}rez S{\'a}inz, Juan Pablo},
  title = {Globalizaci{\'o}n y neoinformalidad en Am{\'e}rica Latina},
  journal = {Nueva Sociedad}, number = {135}, pages = {36--41}, year = {1995}, langid = {spanish}}
@article{en1995, author = {Humphrey, John},
  title = {Industrial reorganization in developing countries: from models to trajectories},
  journal = {World Development}, volume = {23}, number = {1}, pages = {149--162}, year = {1995},
  langid = {english}}
"""


@pytest.mark.parametrize("engine", [RefsEngine.CITEPROC_PY, RefsEngine.AUTO])
def test_only_english_titles_are_title_cased(tmp_path: Path, engine: RefsEngine) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(LANGUAGES, encoding="utf-8")
    bib = load_bibliography(path)
    refs = format_references(
        list(bib.entries.values()), "chicago-author-date", bib=bib, engine=engine
    ).references
    text = {ref.key: ref.text for ref in refs}
    assert "“Globalización y neoinformalidad en América Latina.”" in text["es1995"]
    assert (
        "“Industrial Reorganization in Developing Countries: From Models to Trajectories.”"
        in text["en1995"]
    )
    assert text["en1995"].startswith("Humphrey, John. 1995.")  # the given name in full


@pytest.mark.parametrize("engine", ["pandoc", "citeproc-py"])
def test_a_broken_style_is_one_line_and_exit_2(tmp_path: Path, engine: str) -> None:
    style = tmp_path / "broken.csl"
    style.write_text("<style>unclosed", encoding="utf-8")
    code, out, err = cli("refs", "--style", str(style), "--engine", engine, "--map", str(SEED))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("argmap: error: ")
    assert "Traceback" not in err


@pytest.mark.parametrize("engine", [RefsEngine.CITEPROC_PY, RefsEngine.AUTO])
@pytest.mark.parametrize("fmt", list(RefsFormat), ids=[f.value for f in RefsFormat])
def test_entry_text_is_never_markup_nor_a_control_sequence(
    tmp_path: Path, fmt: RefsFormat, engine: RefsEngine
) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@book{roe2018, author = {Roe, Jane}, publisher = {P & Q}, year = {2018},\n"
        "  title = {Small <script>alert(1)</script> Credit \x1b[2J [bold]x[/] *y*}}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(path, use_cache=False)
    [line] = texts(list(bib.entries.values()), fmt=fmt, engine=engine)
    assert "\x1b" not in line and "\\x1b" in line
    if fmt is RefsFormat.HTML:
        assert "<script>" not in line and "&lt;script&gt;alert(1)&lt;/script&gt;" in line
        # the style's own italics stay HTML (citeproc-py writes <i>, pandoc <em>)
        assert "P &amp; Q" in line and ("<i>" in line or "<em>" in line)
    elif fmt is RefsFormat.MARKDOWN:
        assert "\\<script\\>alert(1)\\</script\\>" in line and "\\*y\\*" in line
        assert "P \\& Q" in line or "P & Q" in line  # a bare & is text in Markdown (pandoc)
    else:
        assert "<script>alert(1)</script>" in line and "[bold]x[/]" in line


REAL = Path(__file__).parents[1] / "data" / "real" / "biblatex-examples.bib"


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
def test_remembered_style_lookups_change_no_reference(
    style: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """citeproc-py's style lookups remembered while rendering give the list it gives without:
    the 92 entries of every type of biblatex's examples, in two styles and every format."""
    import contextlib

    from argmap.bib import refs

    bib = load_bibliography(REAL)
    entries = [e for e in bib.entries.values() if e.type not in ("set", "xdata")]
    for fmt in RefsFormat:
        fast = format_references(entries, style, "en-US", fmt, bib, RefsEngine.CITEPROC_PY)
        with monkeypatch.context() as plain:
            plain.setattr(refs, "_style_queries_memoised", contextlib.nullcontext)
            plain.setattr(refs, "_item_class", lambda base: base)
            slow = format_references(entries, style, "en-US", fmt, bib, RefsEngine.CITEPROC_PY)
        assert len(fast.references) == len(entries)
        assert fast == slow


def test_style_lookups_are_asked_once_and_citeproc_is_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each XPath question is put to lxml once per rendering, not once per entry; citeproc-py's
    own methods are back in place afterwards."""
    from citeproc import model

    asked: list[str] = []
    search = model.CitationStylesElement.xpath_search

    def counting(element: Any, expression: str) -> Any:
        asked.append(expression)
        return search(element, expression)

    monkeypatch.setattr(model.CitationStylesElement, "xpath_search", counting)
    calls = model.Parent.calls_variable
    bib = load_bibliography(REAL)
    entries = [e for e in bib.entries.values() if e.type == "article"]
    texts(entries, "apa", bib=bib)
    # 20 articles: 77 questions, 64 of them different (citeproc-py alone asked 5,935)
    assert len(entries) == 20
    assert len(asked) < 2 * len(set(asked))
    once = len(asked)
    asked.clear()
    texts(entries, "apa", bib=bib)
    assert len(asked) == once  # nothing is kept from one rendering to the next
    assert model.CitationStylesElement.xpath_search is counting
    assert model.Parent.calls_variable is calls


def test_an_existing_output_file_is_refused_before_anything_is_formatted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argmap.bib import refs

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("formatted before the output was checked")

    monkeypatch.setattr(refs, "format_references", never)
    (tmp_path / "out.txt").write_text("mine\n", encoding="utf-8")
    code, _, err = cli("refs", "--bib", str(REAL), "-o", str(tmp_path / "out.txt"))
    assert code == 2
    assert "file exists" in err and "--force" in err
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_citeproc_without_those_methods_renders_unremembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another citeproc-py (no ``Parent.calls_variable`` to remember) gets its own lookups,
    and the same list."""
    from citeproc import model

    bib = load_bibliography(REAL)
    entries = [e for e in bib.entries.values() if e.type == "article"]
    remembered = texts(entries, "apa", bib=bib)
    monkeypatch.setattr(model, "Parent", object)
    asked: list[str] = []
    search = model.CitationStylesElement.xpath_search

    def counting(element: Any, expression: str) -> Any:
        asked.append(expression)
        return search(element, expression)

    monkeypatch.setattr(model.CitationStylesElement, "xpath_search", counting)
    assert texts(entries, "apa", bib=bib) == remembered
    assert len(asked) > 10 * len(set(asked))  # each question asked again and again


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "style file is not valid XML: Document is empty"),
        ("<foo/>", "not a CSL style: its root element is <foo>"),
        (
            '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">\n'
            '<citation><layout><text variable="title"/></layout></citation></style>',
            "style has no <bibliography>: it formats citations, not a reference list",
        ),
    ],
    ids=["empty", "not-csl", "citations-only"],
)
def test_a_style_file_that_cannot_list_references_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    from argmap.bib.refs import style_path

    path = tmp_path / "mine.csl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArgmapError, match=re.escape(message)):
        style_path(str(path))


@pytest.mark.parametrize(
    ("title", "style", "printed"),
    [
        # APA prints an article's title unquoted: its quotes are the outer ones, double
        ("Is There an ‘Industrial District Model’?", "apa", "Is there an “industrial district"),
        # Chicago quotes the title: a quotation inside it is single
        ("Is There an ‘Industrial District Model’?", "chicago-author-date", "“Is There an ‘"),
        ("A ‘Mayor’s Plan’ Revisited", "apa", "A “mayor’s plan” revisited"),
    ],
    ids=["apa", "chicago", "apostrophe"],
)
def test_citeproc_py_alternates_quotes_as_pandoc_does(
    tmp_path: Path, title: str, style: str, printed: str
) -> None:
    # citeproc-py kept a title's ‘…’ as written where pandoc's citeproc, by CSL, prints quotes
    # alternating with their depth: “…” at the top, ‘…’ inside quotes
    path = tmp_path / "refs.bib"
    path.write_text(
        f"@article{{a, author = {{Roe, Ann}}, title = {{{title}}}, journal = {{J}}, "
        "year = {1995}}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(path)
    refs = format_references([bib.entries["a"]], style, engine=RefsEngine.CITEPROC_PY)
    assert printed in refs.references[0].text
