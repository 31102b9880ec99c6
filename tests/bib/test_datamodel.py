"""The data model: biblatex and BibTeX types, required fields, biber's inheritance table."""

from __future__ import annotations

import pytest

from argmap.bib.datamodel import REQUIRED_FIELDS, inherited_names, known_type


@pytest.mark.parametrize(
    "entry_type",
    [
        "mvbook",
        "mvcollection",
        "inreference",
        "patent",
        "periodical",
        "online",
        "software",
        "set",
        "dataset",
        "xdata",
        "bookinbook",
        "suppperiodical",
        "customa",
        "conference",
        "mastersthesis",
        "techreport",
    ],
)
def test_biblatex_and_bibtex_types_are_known(entry_type: str) -> None:
    assert known_type(entry_type)


def test_unknown_type_is_not_known() -> None:
    assert not known_type("weirdtype")


@pytest.mark.parametrize(
    ("entry_type", "spec"),
    [
        pytest.param("article", "journaltitle|journal", id="journal-either-name"),
        pytest.param("article", "date|year", id="date-or-year"),
        pytest.param("thesis", "institution|school", id="institution-or-school"),
        pytest.param("patent", "number", id="patent-number"),
        pytest.param("set", "entryset", id="set-members"),
    ],
)
def test_required_fields_accept_both_names(entry_type: str, spec: str) -> None:
    assert spec in REQUIRED_FIELDS[entry_type]


def test_bibtex_book_needs_no_publisher_as_biblatex_does_not() -> None:
    assert not any("publisher" in spec for spec in REQUIRED_FIELDS["book"])


@pytest.mark.parametrize(
    ("source", "target", "field", "names"),
    [
        pytest.param("book", "inbook", "title", ("booktitle",), id="book-title-booktitle"),
        pytest.param("book", "inbook", "author", ("author", "bookauthor"), id="bookauthor"),
        pytest.param("mvbook", "book", "title", ("maintitle",), id="mvbook-maintitle"),
        pytest.param("collection", "incollection", "title", ("booktitle",), id="collection"),
        pytest.param("proceedings", "inproceedings", "title", ("booktitle",), id="proceedings"),
        pytest.param(
            "periodical", "article", "title", ("journaltitle",), id="periodical-journaltitle"
        ),
        pytest.param("book", "inbook", "shorttitle", (), id="shorttitle-not-inherited"),
        pytest.param("book", "misc", "title", ("title",), id="other-pairs-same-name"),
        pytest.param("book", "inbook", "ids", (), id="ids-never"),
        pytest.param("book", "inbook", "crossref", (), id="crossref-never"),
        pytest.param("proceedings", "conference", "title", ("booktitle",), id="type-alias"),
    ],
)
def test_inheritance_follows_biber_defaults(
    source: str, target: str, field: str, names: tuple[str, ...]
) -> None:
    assert inherited_names(source, target, field) == names
