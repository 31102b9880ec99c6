"""One "et al." vocabulary for every reader (parenthetical, narrative, printed names), an
entry whose authors end in "and others", and prose that is no citation (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.citations.matcher import Matcher, Status
from argmap.citations.printed import ends_in_et_al, split_authors
from argmap.citations.scanner import scan

# Every form, as written, and as it prints (italics markup and ties gone).
FORMS = [
    ("et al.", "et al."),
    ("et al", "et al"),
    ("et. al.", "et. al."),
    ("el al.", "el al."),
    ("et alii", "et alii"),
    ("y otros", "y otros"),
    ("y otras", "y otras"),
    ("y cols.", "y cols."),
    ("y col.", "y col."),
    ("y colaboradores", "y colaboradores"),
    ("and others", "and others"),
    ("and colleagues", "and colleagues"),
    ("and co-workers", "and co-workers"),
    ("and coworkers", "and coworkers"),
    ("and collaborators", "and collaborators"),
    ("u. a.", "u. a."),
    ("u.a.", "u.a."),
    ("e.a.", "e.a."),
    ("et coll.", "et coll."),
    ("et col.", "et col."),
    (r"\emph{et al.}", "et al."),
    (r"\textit{et al.}", "et al."),
    (r"{\em et al.}", "et al."),
    (r"{\it et al.}", "et al."),
    ("*et al.*", "et al."),
    ("_et al._", "et al."),
    ("et~al.", "et al."),
]
IDS = [written for written, _ in FORMS]


@pytest.mark.parametrize(("written", "printed"), FORMS, ids=IDS)
def test_the_printed_names_reader_knows_every_form(written: str, printed: str) -> None:
    phrase = split_authors(f"Smith {written}")
    assert (phrase.surnames, phrase.et_al) == (("Smith",), True)
    assert ends_in_et_al(f"Smith {written}")


@pytest.mark.parametrize(("written", "printed"), FORMS, ids=IDS)
def test_the_parenthetical_reader_knows_every_form(written: str, printed: str) -> None:
    [found] = scan(f"as shown (Smith {written}, 2015).")
    assert (found.authors, found.et_al, found.year) == (("Smith",), True, "2015")
    assert found.text == f"Smith {printed}, 2015"


@pytest.mark.parametrize(("written", "printed"), FORMS, ids=IDS)
def test_the_narrative_reader_knows_every_form(written: str, printed: str) -> None:
    [found] = scan(f"as Smith {written} (2015) show.")
    assert (found.authors, found.et_al, found.year) == (("Smith",), True, "2015")
    assert found.text == f"Smith {printed} (2015)"


@pytest.mark.parametrize(
    ("text", "printed", "authors"),
    [
        ("Smith et~al.~(2015)", "Smith et al. (2015)", ("Smith",)),
        ("Smith et al.'s (2015) model", "Smith et al.'s (2015)", ("Smith",)),
        (
            "Smith, Jones, and colleagues (2015)",
            "Smith, Jones, and colleagues (2015)",
            ("Smith", "Jones"),
        ),
        ("Smith, et al. (2015)", "Smith, et al. (2015)", ("Smith",)),
        ("Pérez Sáinz y cols. (1994)", "Pérez Sáinz y cols. (1994)", ("Pérez Sáinz",)),
    ],
)
def test_narrative_et_al_in_context(text: str, printed: str, authors: tuple[str, ...]) -> None:
    [found] = scan(text)
    assert (found.text, found.authors, found.et_al) == (printed, authors, True)


@pytest.mark.parametrize(
    "text",
    ["Smith and Jones (2015)", "Smith (2015)", "(Smith and Jones, 2015)", "Smith's (2015)"],
)
def test_no_form_no_et_al(text: str) -> None:
    assert [f.et_al for f in scan(text)] == [False]


DORIGO = (
    "@article{ant, author = {Dorigo, Marco and others}, title = {Ant algorithms and"
    " stigmergy}, journal = {FGCS}, year = 2000}\n"
    '@article{aco, author = {Dorigo, Marco and St{\\"u}tzle, Thomas}, title = {The ant colony'
    " optimization metaheuristic}, journal = {J}, year = 2000}\n"
)
THREE = (
    "@article{three, author = {Dorigo, Marco and Di Caro, Gianni and Gambardella, Luca},"
    " title = {Ant algorithms for discrete optimization}, journal = {AL}, year = 2000}\n"
)


@pytest.mark.parametrize(
    ("bib", "text", "status", "key"),
    [
        pytest.param(DORIGO, "(Dorigo and others, 2000)", Status.OK, "ant", id="and-others"),
        pytest.param(DORIGO, "Dorigo et al. (2000)", Status.OK, "ant", id="et-al"),
        pytest.param(DORIGO, "Dorigo and Stützle (2000)", Status.OK, "aco", id="two-names"),
        # two entries print "Dorigo et al. 2000": citeproc letters them, the citation cannot tell
        pytest.param(DORIGO + THREE, "(Dorigo and others, 2000)", Status.AMBIGUOUS, None, id="two"),
        pytest.param(THREE, "(Dorigo and others, 2000)", Status.OK, "three", id="three-only"),
    ],
)
def test_an_entry_ending_in_and_others_is_first_author_et_al(
    tmp_path: Path, bib: str, text: str, status: Status, key: str | None
) -> None:
    """An author list BibTeX ends with "and others" prints as "Dorigo et al.": before, "Dorigo
    and others, 2000" went to another 2000 entry of three authors, or was ambiguous with one
    of two."""
    path = tmp_path / "dorigo.bib"
    path.write_text(bib, encoding="utf-8")
    [found] = scan(text)
    match = Matcher(load_bibliography(path, use_cache=False)).resolve(found)
    assert (match.status, match.key) == (status, key)


@pytest.mark.parametrize(
    "text",
    [
        "the Castro code (2015)",
        "the GROMACS package (2015)",
        "Microsoft Windows release (2015)",
        "in the Smith lab data (2015)",
    ],
)
def test_a_word_between_name_and_year_is_prose(text: str) -> None:
    """APA and Chicago put nothing between a narrative citation's names and its year."""
    assert scan(text) == []


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("Perulli mismo (1992)", ("Perulli",)),
        ("Perulli misma (1992)", ("Perulli",)),
        ("Smith himself (2015)", ("Smith",)),
        ("the Lorenz (1963) system", ("Lorenz",)),
    ],
)
def test_the_author_himself_may_stand_between(text: str, authors: tuple[str, ...]) -> None:
    [found] = scan(text)
    assert found.authors == authors


@pytest.mark.parametrize(
    ("text", "printed", "authors", "tentative"),
    [
        ("(released by Microsoft, 2015)", "Microsoft, 2015", ("Microsoft",), True),
        ("(developed by de la Cruz 2015)", "de la Cruz 2015", ("de la Cruz",), True),
        (
            "(based on the method used by the Stan project and described by Carpenter et al. 2017)",
            "Carpenter et al. 2017",
            ("Carpenter",),
            True,
        ),
        (
            "(see for example the discussion on VODE in Zingale et al. 2022)",
            "Zingale et al. 2022",
            ("Zingale",),
            True,
        ),
        ("(reviewed in Smith et al., 2015)", "Smith et al., 2015", ("Smith",), False),
        ("(adapted from Smith, 2015)", "Smith, 2015", ("Smith",), False),
        ("(as cited in Smith, 2015)", "Smith, 2015", ("Smith",), False),
        (
            "(contributors and Martin 2026)",
            "contributors and Martin 2026",
            ("contributors", "Martin"),
            False,
        ),
        (
            "(Rossi 2017; and Dony, He, and Stumpf 2018)",
            "Dony, He, and Stumpf 2018",
            ("Dony", "He", "Stumpf"),
            False,
        ),
        (
            "(Food and Agriculture Organization of the United Nations 2019)",
            "Food and Agriculture Organization of the United Nations 2019",
            ("Food", "Agriculture Organization of the United Nations"),
            False,
        ),
    ],
)
def test_prose_before_the_names(
    text: str, printed: str, authors: tuple[str, ...], tentative: bool
) -> None:
    """Words before a parenthetical citation's names: known citation prefixes ("see",
    "reviewed in", "adapted from") are dropped; any other prose is dropped too, and then the
    citation counts only if its authors name an entry (the words cannot tell "released by
    Microsoft, 2015" from "developed by Smith, 2015")."""
    found = scan(text)[-1]
    assert (found.text, found.authors, found.tentative) == (printed, authors, tentative)
