"""`argmap refs`: reference lists through citeproc-py, and the CSL conversion beneath them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.bib.csl import entry_to_csl, inherit
from argmap.bib.reader import load_bibliography
from argmap.bib.refs import RefsFormat, format_references
from argmap.cli.app import app
from argmap.errors import ArgmapError

runner = CliRunner()


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def test_csl_conversion(export_fixture: Path) -> None:
    bib = load_bibliography(export_fixture / "refs.bib")
    ortiz = entry_to_csl(bib.entries["ortiz2019a"])
    assert ortiz["type"] == "book"
    assert ortiz["author"][1] == {
        "family": "Fuente",
        "given": "Ana",
        "non-dropping-particle": "de la",
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
    assert chapter["container-title"] == "Common Ground"  # from the crossref'd book
    assert chapter["editor"] == [{"family": "Green", "given": "Pat"}]


def test_apa_reference_list(export_fixture: Path) -> None:
    bib = load_bibliography(export_fixture / "refs.bib")
    refs = format_references(list(bib.entries.values()), bib=bib)
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
    assert format_references(list(bib.entries.values())) == [
        "Saraví, G. A. (1997a).",
        "Saraví, G. A. (1997b).",
    ]


def test_other_style_locale_and_formats(export_fixture: Path) -> None:
    bib = load_bibliography(export_fixture / "refs.bib")
    entries = [bib.entries["ortiz2019a"]]
    chicago = format_references(entries, "chicago-author-date", "es-ES")
    assert chicago == [
        "Ortiz, L., y A. de la Fuente. 2019. Huertos y ciudad. University Press of the Andes."
    ]
    assert "*Huertos y ciudad*" in format_references(entries, fmt=RefsFormat.MARKDOWN)[0]
    assert "<i>Huertos y ciudad</i>" in format_references(entries, fmt=RefsFormat.HTML)[0]


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
    assert list(formatted.values()) == format_references(list(bib.entries.values()), bib=bib)


def test_html_list_ids_name_their_own_entries() -> None:
    code, out, _ = cli(
        "refs", "--format", "html", "--bib", str(Path(__file__).parents[2] / "refs.bib")
    )
    assert code == 0
    assert '<li id="ref-piore1984">Piore, M. J.' in out
    assert '<li id="ref-arias1988">Arias, P.' in out


@pytest.mark.parametrize("fmt", list(RefsFormat), ids=[f.value for f in RefsFormat])
def test_entry_text_is_never_markup_nor_a_control_sequence(tmp_path: Path, fmt: RefsFormat) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@book{roe2018, author = {Roe, Jane}, publisher = {P & Q}, year = {2018},\n"
        "  title = {Small <script>alert(1)</script> Credit \x1b[2J [bold]x[/] *y*}}\n",
        encoding="utf-8",
    )
    bib = load_bibliography(path, use_cache=False)
    [line] = format_references(list(bib.entries.values()), fmt=fmt)
    assert "\x1b" not in line and "\\x1b" in line
    if fmt is RefsFormat.HTML:
        assert "<script>" not in line and "&lt;script&gt;alert(1)&lt;/script&gt;" in line
        assert "P &amp; Q" in line and "<i>" in line  # the style's own italics stay HTML
    elif fmt is RefsFormat.MARKDOWN:
        assert "\\<script\\>alert(1)\\</script\\>" in line and "\\*y\\*" in line
        assert "P \\& Q" in line
    else:
        assert "<script>alert(1)</script>" in line and "[bold]x[/]" in line
