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


def _surname(i: int) -> str:
    return "Sur" + chr(97 + i % 97 % 26) + chr(97 + i % 97 // 26)


def _large_project(tmp_path: Path) -> tuple[Path, Path]:
    bib = tmp_path / "large.bib"
    bib.write_text(
        "".join(
            f"@article{{k{i},\n  author = {{{_surname(i)}, Ann}},\n  title = {{T{i}}},\n"
            f"  year = {{{1950 + i % 60}}}\n}}\n"
            for i in range(3000)
        ),
        encoding="utf-8",
    )
    ms = tmp_path / "ms.md"
    ms.write_text(
        "\n\n".join(
            f"As ({_surname(i)}, {1950 + i % 60}) and [@k{i}] and (Nobody, 1999) say."
            for i in range(0, 3000, 7)
        )
        + "\n",
        encoding="utf-8",
    )
    return bib, ms


def test_a_cold_check_scans_the_manuscript_while_the_workers_index_the_bib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manuscript is read and scanned before this process indexes its own stretch of a
    large .bib (the workers index theirs meanwhile); the report is the one a check that scans
    as it matches gives."""
    from argmap.bib import index, reader
    from argmap.citations import scanner

    bib, ms = _large_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)
    events: list[str] = []
    scan_span, index_text = scanner.scan_span, index.index_text

    def scanning(span: object) -> object:
        events.append("scan")
        return scan_span(span)  # type: ignore[arg-type]

    def indexing(*args: object) -> object:
        events.append("index")
        return index_text(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(scanner, "scan_span", scanning)
    monkeypatch.setattr(index, "index_text", indexing)
    monkeypatch.setenv("ARGMAP_WORKERS", "2")
    early = run_check([], None, [bib], [ms], [], [], [], False, [], False)
    assert events[0] == "scan" and "index" in events
    assert events.index("index") > max(i for i, e in enumerate(events) if e == "scan")
    events.clear()
    monkeypatch.setenv("ARGMAP_WORKERS", "1")  # one process: scanned as it is matched
    late = run_check([], None, [bib], [ms], [], [], [], False, [], False)
    assert events[0] == "index"
    assert early.citations == late.citations and early.problems == late.problems
    assert len(early.citations) == 3 * len(range(0, 3000, 7))
    assert {c.status for c in early.citations} >= {"ok", "missing"}


def test_a_manuscript_that_fails_half_way_fails_as_when_read_while_matching(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reading error in the middle of a manuscript read early is raised where the check
    reaches it, after the pieces before it: the same error, the bibliography read first."""
    from argmap.bib import reader
    from argmap.errors import ArgmapError
    from argmap.manuscripts import read

    bib, ms = _large_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)
    real = read.open_manuscript
    matched: list[int] = []

    def failing(path: Path) -> object:
        def pieces() -> object:
            for number, piece in enumerate(real(path)):
                if number == 5:
                    raise ArgmapError("broken at piece 5", path=path)
                yield piece

        return pieces()

    monkeypatch.setattr(read, "open_manuscript", failing)
    real_check = citations._check_span

    def counting(*args: object) -> object:
        matched.append(1)
        return real_check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(citations, "_check_span", counting)
    for workers in ("2", "1"):
        monkeypatch.setenv("ARGMAP_WORKERS", workers)
        matched.clear()
        with pytest.raises(ArgmapError, match="broken at piece 5"):
            run_check([], None, [bib], [ms], [], [], [], False, [], False)
        assert len(matched) == 5  # the pieces before it were checked
