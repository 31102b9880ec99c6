"""A double quote inside braces within a quoted value (``"{... zeitgem{"a}{\\ss} ...}"``, as
Nelson Beebe's ``texbook1.bib`` in TeX Live writes an umlaut): BibTeX 0.99d and biber end the
value at a quote outside braces only; bibtexparser ended it at the first quote, and argmap lost
the rest of the entry (a false "undefined @string" error and missing year and title)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from argmap.bib.reader import bibliography_from_text, load_bibliography

BIB = """@Book{tschichold1991,
  author =       "Jan Tschichold",
  subtitle =     "{Ein Handbuch f{\\"u}r zeitgem{"a}{\\ss} Schaffende}",
  title =        "{Die Neue Typographie}",
  year =         "1991",
}
@Book{greene1982,
  author =       "Daniel H. Greene and Donald E. Knuth",
  remark =       "{Zum Teil vertiefende Darstellung der
                 "optionalen" Kapitel}.",
  title =        "Mathematics for the Analysis of Algorithms",
  year =         "1982",
}
@Misc{plain, author = {A. Quoter}, title = {A "quoted" word}, year = 2000}
"""


def _check(bib_fields: dict[str, dict[str, str]]) -> None:
    assert bib_fields["tschichold1991"]["year"] == "1991"
    assert bib_fields["tschichold1991"]["subtitle"] == (
        '{Ein Handbuch f{\\"u}r zeitgem{"a}{\\ss} Schaffende}'
    )
    assert bib_fields["greene1982"]["year"] == "1982"
    assert '"optionalen"' in bib_fields["greene1982"]["remark"]
    assert bib_fields["plain"]["title"] == 'A "quoted" word'


def test_parsed_whole(tmp_path: Path) -> None:
    bib = bibliography_from_text(BIB, tmp_path / "refs.bib")
    assert bib.problems == []
    _check({key: dict(entry.fields) for key, entry in bib.entries.items()})


def test_indexed(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    bib = load_bibliography(path, use_cache=False)
    assert bib.problems == []
    _check({key: dict(bib.entries[key].fields) for key in bib.entries})


def test_a_quote_left_open_inside_braces_runs_on_as_in_bibtex(tmp_path: Path) -> None:
    # frankenstein.bib in TeX Live ends a quoted value with `{"` then `}` on the next line:
    # BibTeX and biber ("possible runaway string") read on to the next quote and lose the
    # entries after it; argmap says the entry does not parse, and that they may
    text = '@Book{a, title = "See {"\n}\n\n@Book{b, title = "B", year = 1990}\n'
    bib = bibliography_from_text(text, tmp_path / "refs.bib")
    assert [p.kind for p in bib.problems] == ["parse-failed"]


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="BibTeX is not installed")
def test_bibtex_reads_the_whole_entry(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(
        "\\citation{tschichold1991}\n\\citation{greene1982}\n\\bibstyle{plain}\n\\bibdata{refs}\n"
    )
    done = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    # (plain.bst asks a book for a publisher, which the examples leave out)
    assert [w for w in done.stdout.splitlines() if "Warning" in w] == [
        "Warning--empty publisher in greene1982",
        "Warning--empty publisher in tschichold1991",
    ]
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert "1991" in bbl and "1982" in bbl


def test_an_at_sign_before_a_brace_inside_a_braced_value_keeps_the_count(tmp_path: Path) -> None:
    # "@{" inside a braced value is text: its brace counts as any other, so the quoted value
    # after it still has its braced quote hidden and the entry is read whole
    text = (
        "@Book{k,\n  note = {on Twitter @{roe}},\n"
        '  subtitle = "{Ein Handbuch zeitgem{"a}{\\ss}}",\n  year = "1991",\n}\n'
    )
    bib = bibliography_from_text(text, tmp_path / "refs.bib")
    assert bib.problems == []
    assert bib.entries["k"].fields["year"] == "1991"
    assert bib.entries["k"].fields["subtitle"] == '{Ein Handbuch zeitgem{"a}{\\ss}}'


STRINGS = """@string{rem = "{Zum Teil vertiefende Darstellung der
                 "optionalen" Kapitel}."}
@string{sub = "{Ein Handbuch f{\\"u}r zeitgem{"a}{\\ss} Schaffende}"}
@string(par = "a {"} b")
@misc{k, author = {A B}, title = sub, note = rem # " " # par, year = 1999}
"""


def test_in_string_values_too(tmp_path: Path) -> None:
    # BibTeX 0.99d's .bbl (plain.bst): "{Ein Handbuch f{\\"u}r zeitgem{"a}{\\ss} Schaffende}"
    # and "{Zum Teil ... "optionalen" Kapitel}." for these @strings
    path = tmp_path / "refs.bib"
    path.write_text(STRINGS, encoding="utf-8")
    for bib in (bibliography_from_text(STRINGS, path), load_bibliography(path, use_cache=False)):
        assert bib.problems == []
        entry = bib.entries["k"]
        assert entry.get("title") == '{Ein Handbuch f{\\"u}r zeitgem{"a}{\\ss} Schaffende}'
        assert entry.get("note") == (
            '{Zum Teil vertiefende Darstellung der\n                 "optionalen" Kapitel}. a {"} b'
        )
        assert entry.get("year") == "1999"
