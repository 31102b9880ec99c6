"""``run_check`` keeps Python's cyclic garbage collector paused while it checks, and gives it
back as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from argmap.checks import citations
from argmap.cli.checking import run_check

BIB = Path(__file__).parents[1] / "data" / "check" / "refs.bib"


def _check(tmp_path: Path) -> None:
    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995) and (Zzyzx, 2001).\n", encoding="utf-8")
    report = run_check([], None, [BIB], [ms], [], [], [], False, [], False)
    assert [c.status for c in report.citations] == ["ok", "missing"]


def test_the_bibliography_is_checked_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    check_bibliography = citations.check_bibliography

    def watched(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())
        check_bibliography(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(citations, "check_bibliography", watched)
    monkeypatch.chdir(tmp_path)
    assert gc.isenabled()
    _check(tmp_path)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    gc.disable()
    try:
        _check(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_the_command_made_is_frozen_out_of_the_exit_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interpreter's full collection at exit does not scan the objects of the run."""
    from argmap.cli.checking import run_check_citations
    from argmap.render import formats

    written: list[object] = []
    write_report = formats.write_report

    def keep(report: object, *args: object) -> None:
        written.append(report)
        write_report(report, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(formats, "write_report", keep)
    monkeypatch.chdir(tmp_path)
    ms = tmp_path / "ms.md"
    ms.write_text("(Schmitz, 1995).\n", encoding="utf-8")
    gc.unfreeze()
    run_check_citations(
        files=None,
        map_path=None,
        bib_path=[BIB],
        no_cache=True,
        manuscripts=[ms],
        fmt="json",
        select=None,
        ignore=None,
        warn_as_error=None,
        strict=False,
        exclude=None,
        show_all=False,
        unused=False,
    )
    [report] = written
    try:
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        assert not any(obj is report for obj in gc.get_objects())
    finally:
        gc.unfreeze()


def test_a_members_tools_and_styles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a group's manuscript carries for the checks that read the tool and its style (the
    .bst BibTeX reads, biblatex's style=): from the document's build, not its reader."""
    from argmap.cli.checking import _Member, _tool_outputs, _tool_styles
    from argmap.project.documents import document_bibliography

    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text("@book{a, title={T}, year={2020}}\n", encoding="utf-8")
    doc = tmp_path / "p.Rmd"
    doc.write_text(
        "---\nbibliography: refs.bib\nbiblio-style: apalike\noutput:\n  html_document: default\n"
        "  pdf_document:\n    citation_package: natbib\n---\n",
        encoding="utf-8",
    )
    chosen = document_bibliography(doc, lambda p: p.read_text(encoding="utf-8"))
    assert chosen is not None
    member = _Member(doc, [], 0, _tool_outputs(chosen), "", False, _tool_styles(chosen))
    assert member.tools == {"pandoc": "html_document", "bibtex": "pdf_document"}
    assert member.styles == {"bibtex": "apalike"}
