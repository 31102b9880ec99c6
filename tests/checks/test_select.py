"""Selecting, ignoring and escalating problems by code or prefix, and inline suppressions."""

from __future__ import annotations

import pytest

from argmap.base.problems import Problem, Severity
from argmap.checks.citations import Report
from argmap.checks.select import Selection, split_codes, suppressions
from argmap.errors import ArgmapError


def report() -> Report:
    return Report(
        problems=[
            Problem("year-mismatch", Severity.ERROR, "paper.md", 3, "Roe (2019)"),
            Problem("name-mismatch", Severity.WARNING, "paper.md", 4, "Rabelloti, 1995"),
            Problem("never-cited", Severity.WARNING, "refs.bib", 9, "'x' is never cited"),
            Problem("missing-field", Severity.ERROR, "refs.bib", 12, "lacks journal"),
        ]
    )


def kept(selection: Selection, suppressed: dict[str, dict[int, tuple[str, ...]]] | None = None):
    r = report()
    selection.apply(r, suppressed or {})
    return [(p.code, str(p.severity)) for p in r.problems], r.ignored


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(), ["CIT201", "CIT101", "BIB103", "BIB101"]),
        (Selection(select=("CIT",)), ["CIT201", "CIT101"]),
        (Selection(ignore=("CIT2",)), ["CIT101", "BIB103", "BIB101"]),
        (Selection(select=("BIB",), ignore=("BIB103",)), ["BIB101"]),
        (Selection(ignore=("ALL",)), []),
    ],
    ids=["all", "select-prefix", "ignore-prefix", "select-then-ignore", "ignore-all"],
)
def test_select_and_ignore(selection: Selection, expected: list[str]) -> None:
    codes, ignored = kept(selection)
    assert [c for c, _ in codes] == expected
    assert ignored == 4 - len(expected)


def test_warn_as_error_by_prefix_and_strict() -> None:
    codes, _ = kept(Selection(warn_as_error=("CIT1",)))
    assert ("CIT101", "error") in codes and ("BIB103", "warning") in codes
    strict = Selection.parse([], [], [], strict=True)
    assert all(severity == "error" for _, severity in kept(strict)[0])


def test_parse_splits_commas_and_refuses_unknown_codes() -> None:
    assert Selection.parse(["cit2,BIB101", "MAP"], [], [], False).select == (
        "CIT2",
        "BIB101",
        "MAP",
    )
    with pytest.raises(ArgmapError, match=r"--ignore: no rule has the code or prefix 'CIT9'"):
        Selection.parse([], ["CIT9"], [], False)


def test_inline_suppression_drops_only_its_line_and_codes() -> None:
    codes, ignored = kept(Selection(), {"paper.md": {3: ("CIT2",), 4: ("BIB",)}})
    assert [c for c, _ in codes] == ["CIT101", "BIB103", "BIB101"]
    assert ignored == 1


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        (r"Nor \cite{x}. % argmap: ignore[CIT204]", ("CIT204",)),
        ("(Roe, 2017) <!-- argmap: ignore[CIT201, CIT204] -->", ("CIT201", "CIT204")),
        ("  - {key: x, printed: 'X (1990)'}  # argmap: ignore[MAP101]", ("MAP101",)),
        ("<!--argmap:ignore[cit2]-->", ("CIT2",)),
        (r"50\% of firms (Roe, 2017) argmap: ignore[CIT201]", ()),
        ("(Roe, 2017) % argmap: ignore", ()),
    ],
    ids=["latex", "markdown-two", "yaml", "tight-lowercase", "escaped-percent", "no-codes"],
)
def test_suppression_comments(line: str, codes: tuple[str, ...]) -> None:
    found = suppressions(f"first line\n{line}\n")
    assert found.get(2, ()) == codes
    assert 1 not in found


def test_split_codes() -> None:
    assert split_codes(["a, b", "c d", ""]) == ("A", "B", "C", "D")
