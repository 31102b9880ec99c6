"""BIB104 (unknown entry type) judged by the style the document names: the types a .bst
defines, a biblatex style has drivers for, pandoc maps; held to BibTeX's and biblatex's own
warnings on tests/data/tools/styles (see its README)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app
from argmap.manuscripts.kpathsea import kpsewhich
from argmap.project.styles import Build, latex_style, style_types

STYLES = Path(__file__).parents[1] / "data" / "tools" / "styles"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the style documents, as the working directory."""
    root = tmp_path / "styles"
    shutil.copytree(STYLES, root)
    monkeypatch.chdir(root)
    return root


def unknown_types(document: str) -> dict[str, str]:
    """The keys check-citations reports BIB104 for, with the message."""
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    problems = json.loads(result.stdout)["problems"]
    return {str(p["key"]): str(p["message"]) for p in problems if p["code"] == "BIB104"}


@pytest.mark.parametrize(
    ("lines", "tool", "style"),
    [
        pytest.param(["\\bibliographystyle{plainurl}"], "bibtex", "plainurl", id="bst"),
        pytest.param(
            ["\\bibliographystyle{a}", "\\bibliographystyle{b}"], "bibtex", "a", id="first-bst"
        ),
        pytest.param(["\\usepackage[style=apa]{biblatex}"], "biber", "apa", id="style"),
        pytest.param(
            ["\\usepackage[backend=biber,style=authoryear,bibstyle=apa]{biblatex}"],
            "biber",
            "apa",
            id="bibstyle-wins",
        ),
        pytest.param(["\\usepackage{biblatex-chicago}"], "biber", "chicago-notes", id="chicago"),
        pytest.param(
            ["\\usepackage[authordate,backend=biber]{biblatex-chicago}"],
            "biber",
            "chicago-authordate",
            id="chicago-authordate",
        ),
        pytest.param(["\\usepackage{biblatex}"], "biber", None, id="none-named"),
    ],
)
def test_the_style_a_document_names(lines: list[str], tool: str, style: str | None) -> None:
    assert latex_style(lines, tool) == style


def test_a_bst_beside_the_document_is_read(folder: Path) -> None:
    # BibTeX calls FUNCTION {presentation} for a @presentation: that type is the style's own
    (folder / "mine.bst").write_text(
        "ENTRY { title } {} { label }\nFUNCTION {presentation} { title write$ }\n"
        "% FUNCTION {foo} in a comment defines nothing\nREAD\n",
        encoding="utf-8",
    )
    (folder / "mine.tex").write_text(
        (folder / "plainurl.tex").read_text().replace("plainurl", "mine"), encoding="utf-8"
    )
    found = unknown_types("mine.tex")
    assert set(found) == {"web", "foo"}
    assert "BibTeX's style mine.bst does not define it" in found["foo"]


def test_an_unknown_style_is_said_to_be_unknown(folder: Path) -> None:
    (folder / "other.tex").write_text(
        (folder / "plainurl.tex").read_text().replace("plainurl", "nosuchstyle26"),
        encoding="utf-8",
    )
    found = unknown_types("other.tex")
    assert set(found) == {"pres", "web", "foo"}  # warnings, as before: argmap cannot tell
    assert "the style 'nosuchstyle26' is unknown to argmap" in found["pres"]
    assert "nosuchstyle26.bst" in found["pres"]


def test_pandoc_reads_the_types_its_reader_maps(folder: Path) -> None:
    (folder / "r.bib").write_text(
        (folder / "r.bib").read_text() + "@data{d, author={Di Data}, title={D}, year={2016}}\n",
        encoding="utf-8",
    )
    (folder / "p.md").write_text(
        "---\nbibliography: r.bib\n---\n[@pres; @web; @foo; @d]\n", encoding="utf-8"
    )
    found = unknown_types("p.md")
    # pandoc 2.17 and 3.9 map @data to a CSL dataset; @presentation, @webpage and @foo they
    # read as items of no type
    assert set(found) == {"pres", "web", "foo"}
    assert "pandoc reads it as an item of no type" in found["web"]
    assert Build("pandoc").accepts("data") and Build("pandoc").accepts("standard")


def _tex_live(*names: str) -> None:
    """Skip unless kpathsea finds the style files (TeX Live's biblatex, urlbst)."""
    if len(kpsewhich(list(names))) < len(names):
        pytest.skip(f"TeX Live's {', '.join(names)} not installed (kpsewhich finds none)")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("apa.tex", {"web", "foo"}),
        ("authoryear.tex", {"pres", "web", "foo"}),
        ("plainurl.tex", {"pres", "foo"}),
    ],
)
def test_as_the_style_files_of_tex_live_say(
    folder: Path, document: str, expected: set[str]
) -> None:
    _tex_live("apa.bbx", "authoryear.bbx", "plainurl.bst")
    assert set(unknown_types(document)) == expected


def _warned_by_the_tool(folder: Path, document: str) -> set[str]:
    """The keys whose type the tool itself warns of: biblatex's "No driver for 'T'" (mapped
    back to keys through r.bib), BibTeX's "entry type for "K" isn't style-file defined"."""
    stem = document.removesuffix(".tex")
    latex = ["pdflatex", "-interaction=nonstopmode", document]
    subprocess.run(latex, cwd=folder, capture_output=True, check=False)
    if "plainurl" in document:
        done = subprocess.run(["bibtex", stem], cwd=folder, capture_output=True, text=True)
        return set(re.findall(r'entry type for "([^"]+)" isn\'t style-file defined', done.stdout))
    subprocess.run(["biber", stem], cwd=folder, capture_output=True, check=False)
    subprocess.run(latex, cwd=folder, capture_output=True, check=False)
    log = (folder / f"{stem}.log").read_text(encoding="utf-8", errors="replace")
    types = set(re.findall(r"No driver for '([^']+)'", log))
    keys = {"presentation": "pres", "webpage": "web", "foo": "foo"}
    return {keys[t] for t in types}


@pytest.mark.parametrize("document", ["apa.tex", "authoryear.tex", "plainurl.tex"])
def test_the_tools_warn_of_the_same_entries(folder: Path, document: str) -> None:
    _tex_live("apa.bbx", "authoryear.bbx", "plainurl.bst")
    needed = ["pdflatex", "bibtex" if "plainurl" in document else "biber"]
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")
    assert _warned_by_the_tool(folder, document) == set(unknown_types(document))


def test_biblatex_with_bibtex_is_judged_by_biblatex_bst(folder: Path) -> None:
    _tex_live("biblatex.bst")
    (folder / "bt.tex").write_text(
        (folder / "authoryear.tex").read_text().replace("style=", "backend=bibtex,style="),
        encoding="utf-8",
    )
    # BibTeX runs biblatex.bst: "entry type for "pres" isn't style-file defined", and for
    # "web" and "foo" (BibTeX 0.99d, biblatex 3.18b); biblatex then gives no "No driver"
    found = unknown_types("bt.tex")
    assert set(found) == {"pres", "web", "foo"}
    assert "BibTeX's style biblatex.bst does not define it" in found["pres"]


def test_style_types_says_why_it_cannot_read_a_style(tmp_path: Path) -> None:
    types, why = style_types("bbx", "nosuchstyle26", tmp_path)
    assert types is None and "nosuchstyle26.bbx" in why


KNOWN_TYPES_BIB = """@standard{std, author = {Sam Std}, title = {S}, year = {2003}}
@software{soft, author = {Sue Soft}, title = {Code}, year = {2020}}
@phdthesis{phd, author = {Pat Phd}, title = {T}, school = {U}, year = {2001}}
@foo{foo, author = {Fay Foo}, title = {F}, year = {2002}}
"""


def _biblatex_document(folder: Path, style: str) -> str:
    """A document citing every entry of KNOWN_TYPES_BIB with biblatex ``style``."""
    (folder / "k.bib").write_text(KNOWN_TYPES_BIB, encoding="utf-8")
    name = f"k-{style}.tex"
    (folder / name).write_text(
        f"\\usepackage[backend=biber,style={style}]{{biblatex}}\n\\addbibresource{{k.bib}}\n"
        "\\cite{std,soft,phd,foo}\n",
        encoding="utf-8",
    )
    return name


def _bib104(document: str) -> dict[str, tuple[str, str]]:
    result = runner.invoke(
        app, ["check-citations", document, "--no-cache", "--output-format", "json"]
    )
    problems = json.loads(result.stdout)["problems"]
    return {
        str(p["key"]): (str(p["severity"]), str(p["message"]))
        for p in problems
        if p["code"] == "BIB104"
    }


def test_a_known_type_a_biblatex_style_has_no_driver_for(folder: Path) -> None:
    # biblatex 3.18b with style=numeric: "No driver for 'standard'. Using fallback driver"
    # (standard.bbx has none; \\DeclareBibliographyAlias{*}{misc}), as for the unknown @foo;
    # @phdthesis is biber's @thesis, which has one
    _tex_live("numeric.bbx", "standard.bbx")
    found = _bib104(_biblatex_document(folder, "numeric"))
    assert set(found) == {"std", "foo"}
    assert found["std"][0] == "warning"
    assert "No driver for 'standard'. Using fallback driver" in found["std"][1]


def test_a_biblatex_style_without_a_fallback_driver_stops_latex(folder: Path) -> None:
    # biblatex-chicago's authordate style has no driver for @software and no fallback: biblatex
    # gives the error "No driver for 'software' found" (checked with biblatex 3.18b)
    _tex_live("chicago-authordate.bbx")
    found = _bib104(_biblatex_document(folder, "chicago-authordate"))
    assert set(found) == {"soft", "foo"}
    assert found["soft"][0] == "error"
    assert (
        "LaTeX stops with biblatex's error \"No driver for 'software' found\"" in found["soft"][1]
    )
    assert found["foo"][0] == "error"


@pytest.mark.parametrize(
    ("nocite", "every"),
    [
        ("\\nocite{*}", True),
        ("\\nocite{child,*}", True),  # LaTeX writes \citation{*} for it too
        ("\\nocite{ * , b}", True),
        ("\\nocite{a*}", False),
        ("\\nocite{child}", False),
    ],
)
def test_a_star_among_the_keys_of_nocite_cites_every_entry(
    tmp_path: Path, nocite: str, every: bool
) -> None:
    from argmap.project.styles import document_build

    doc = tmp_path / "doc.tex"
    doc.write_text(
        f"\\documentclass{{article}}\n\\begin{{document}}\n{nocite}\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n",
        encoding="utf-8",
    )
    assert document_build(doc, lambda p: p.read_text(encoding="utf-8")).all_entries is every
