"""Manuscripts read and scanned by a forked helper (while the bibliography is read, sent a few
pieces at a time) give exactly the report of manuscripts read and scanned in this process, and
a helper that fails (killed, raising, sending bad data) leaves the work to this process from
the first piece it did not send whole, with the same report."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bench_inputs import bench_generator
from office_files import KIM, ROSSI, add_field, zotero_code

from argmap.bib.sources import read_bibliographies
from argmap.checks import ahead
from argmap.checks.ahead import ScanAhead, open_manuscripts, scan_ahead, shares_work
from argmap.checks.citations import Report, check_manuscript
from argmap.citations.matcher import Matcher
from argmap.manuscripts.spans import Notice

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper is forked on Linux")

TESTS = Path(__file__).parents[1]
REAL = TESTS / "fixtures" / "real"
DATA = TESTS / "data"


def _bench(folder: Path, citations: int = 400) -> tuple[list[Path], list[Path]]:
    """The benchmark's generated lean bibliography and manuscript, small: every status."""
    generate = bench_generator()
    text, cited = generate.lean_bibliography(800)
    bib = folder / "lean.bib"
    bib.write_text(text, encoding="utf-8")
    ms = folder / "ms.md"
    ms.write_text(generate.manuscript(cited, citations), encoding="utf-8")
    return [bib], [ms]


def _latex_with_notices(folder: Path) -> tuple[list[Path], list[Path]]:
    """A LaTeX paper built with BibTeX whose \\input files are followed (spans of other files)
    and one that is missing (a notice), and keys cited in two cases."""
    natbib = DATA / "manuscripts" / "natbib"
    tex = folder / "paper.tex"
    text = (natbib / "paper.tex").read_text(encoding="utf-8")
    text = text.replace(r"\end{document}", "\\input{nowhere}\n\\end{document}")
    tex.write_text(text, encoding="utf-8")
    (folder / "sections").mkdir()
    for part in (natbib / "sections").iterdir():
        (folder / "sections" / part.name).write_bytes(part.read_bytes())
    return [natbib / "refs.bib"], [tex]


def _word_and_markdown(folder: Path) -> tuple[list[Path], list[Path]]:
    """A Word document with Zotero and Mendeley field codes (read here, not by the helper)
    between two Markdown manuscripts (read by the helper)."""
    import docx

    document = docx.Document()
    p = document.add_paragraph("Small firms cooperate ")
    add_field(p, zotero_code([ROSSI], "(Rossi & Bauer, 2009)"), "(Rossi & Bauer, 2009)")
    p.add_run(". Typed too (Bauer, 2015) and (Kim 2018).")
    p = document.add_paragraph("Networks learn ")
    add_field(p, zotero_code([KIM, ROSSI], "(Kim, 2018; Rossi, 2009)"), "(Kim, 2018; R)")
    word = folder / "paper.docx"
    document.save(str(word))
    bibs, [ms] = _bench(folder)
    castro = REAL / "castro" / "paper.md"
    return [*bibs, REAL / "castro" / "paper.bib"], [ms, word, castro]


# (id -> bibliographies and manuscripts): generated, and real papers in LaTeX (BibTeX and
# biber), Markdown, R Markdown and Word
CASES: dict[str, Callable[[Path], tuple[list[Path], list[Path]]]] = {
    "bench-lean": _bench,
    "hott-latex": lambda _: (
        [REAL / "hott" / "references.bib"],
        [REAL / "hott" / "introduction.tex"],
    ),
    "castro-markdown": lambda _: ([REAL / "castro" / "paper.bib"], [REAL / "castro" / "paper.md"]),
    "biblatex-examples": lambda _: (
        [DATA / "real" / "biblatex-examples.bib"],
        sorted((REAL / "biblatex").glob("*.tex"))[:12],
    ),
    "bookdown-es": lambda _: (
        [DATA / "manuscripts" / "real" / "bookdown-es" / "book.bib"],
        [DATA / "manuscripts" / "real" / "bookdown-es" / "03-extensiones.Rmd"],
    ),
    "latex-input-notice": _latex_with_notices,
    "word-between-markdown": _word_and_markdown,
}


def _report(bibs: list[Path], manuscripts: list[Path], ahead: bool) -> Report:
    """The manuscripts' report, read and scanned ahead by a helper or here."""
    return _report_and_states(bibs, manuscripts, ahead)[0]


def _report_and_states(
    bibs: list[Path], manuscripts: list[Path], ahead: bool, drain: bool = False
) -> tuple[Report, list[str | None], list[int]]:
    """The report; how the helper left each manuscript ("E": sent whole, "R": the rest read
    here at a field code, "F": failed, the rest read here); the pieces read here (but
    notices)."""
    matcher = Matcher(read_bibliographies(bibs, use_cache=False))
    opened = open_manuscripts(manuscripts)
    helper = ScanAhead(opened) if ahead else None
    if helper is not None and drain:
        helper.drain()
        assert helper.helper is not None and helper.helper.done
        assert not _children()  # reaped before any piece is taken
    report = Report()
    here: list[int] = []
    for index, (path, pieces) in enumerate(opened):
        scanned = None if helper is None else list(helper.pieces(index, pieces))
        # (a notice has no citations, sent or not)
        here.append(
            0
            if scanned is None
            else sum(
                1 for piece, found in scanned if found is None and not isinstance(piece, Notice)
            )
        )
        check_manuscript(path, matcher, report, pieces, scanned)
    states = [] if helper is None else list(helper._state)
    if helper is not None:
        helper.cancel()
    return report, states, here


def _children() -> set[str]:
    return set(open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split())


@pytest.mark.parametrize("case", CASES)
def test_manuscripts_scanned_ahead_report_as_scanned_here(case: str, tmp_path: Path) -> None:
    bibs, manuscripts = CASES[case](tmp_path)
    here = _report(bibs, manuscripts, ahead=False)
    assert here.citations  # the case has citations
    report, states, read_here = _report_and_states(bibs, manuscripts, ahead=True)
    assert report == here
    # field codes: the rest read here
    assert states == ["R" if path.suffix == ".docx" else "E" for path in manuscripts]
    for path, count in zip(manuscripts, read_here, strict=True):
        assert (count > 0) is (path.suffix == ".docx")
    assert not _children()


@pytest.mark.parametrize("case", CASES)
def test_an_answer_drained_whole_reports_as_streamed(case: str, tmp_path: Path) -> None:
    # after a cold parse the helper's answer is taken whole at once, so that it ends before
    # this process's peak: the same report, and the same manuscripts left to this process
    bibs, manuscripts = CASES[case](tmp_path)
    streamed, states, read_here = _report_and_states(bibs, manuscripts, ahead=True)
    drained = _report_and_states(bibs, manuscripts, ahead=True, drain=True)
    assert drained == (streamed, states, read_here)
    assert drained[0] == _report(bibs, manuscripts, ahead=False)


_REAL_SCAN = ahead._scan_frames


def _fails_by_kill(opened: object) -> Iterator[object]:
    yield from _REAL_SCAN(opened)  # type: ignore[arg-type]
    os.kill(os.getpid(), signal.SIGKILL)


def _dies_half_way(opened: object) -> Iterator[object]:
    """Killed after a few frames of the first manuscript: those are used, the rest read here."""
    for number, frame in enumerate(_REAL_SCAN(opened)):  # type: ignore[arg-type]
        if number == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        yield frame


def _fails_by_raising(opened: object) -> Iterator[object]:
    raise RuntimeError("a bug in the helper")
    yield  # a generator


def _sends_garbage(opened: object) -> Iterator[object]:
    yield ("P", 0, [("S", "x")])


def _sends_too_little(opened: object) -> Iterator[object]:
    # the first manuscript's frames left out: the second's are about the wrong manuscript
    yield from (f for f in _REAL_SCAN(opened) if f[1] != 0)  # type: ignore[arg-type, index]


def _sends_a_wrong_citation(opened: object) -> Iterator[object]:
    for frame in _REAL_SCAN(opened):  # type: ignore[arg-type]
        if frame[0] == "P":  # type: ignore[index]
            piece = frame[2][0]  # type: ignore[index]
            found = (1, "x", None, (), False, None, None, "extra")
            yield ("P", frame[1], [(*piece[:-1], [found])])  # type: ignore[index]
        else:
            yield frame


def _sends_a_short_notice(opened: object) -> Iterator[object]:
    yield ("P", 0, [("N", "paper.md", "include-not-followed", 3, "a message")])


def _sends_a_wrong_kind(opened: object) -> Iterator[object]:
    yield ("P", 0, [("Q", "paper.md")])


def _sends_a_wrong_frame(opened: object) -> Iterator[object]:
    yield ("X", 0)


@pytest.mark.parametrize(
    "failure",
    [
        _fails_by_kill,
        _dies_half_way,
        _fails_by_raising,
        _sends_garbage,
        _sends_too_little,
        _sends_a_wrong_citation,
        _sends_a_short_notice,
        _sends_a_wrong_kind,
        _sends_a_wrong_frame,
    ],
)
def test_a_failing_helper_leaves_the_manuscripts_to_this_process(
    failure: Callable[[object], Iterator[object]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bibs, [ms] = _bench(tmp_path)
    manuscripts = [ms, REAL / "castro" / "paper.md"]
    here = _report(bibs, manuscripts, ahead=False)
    monkeypatch.setattr(ahead, "_scan_frames", failure)
    report, states, read_here = _report_and_states(bibs, manuscripts, ahead=True)
    assert report == here
    if failure is _fails_by_kill:
        # killed after sending everything: nothing left to read here
        assert states == ["E", "E"] and read_here == [0, 0]
    elif failure is _dies_half_way:
        # the first three frames were used, the rest of the first manuscript read here
        assert states == ["F", "F"]
        pieces = len(list(open_manuscripts([ms])[0][1]))
        assert read_here[0] == pieces - 3 * ahead._PIECES_PER_FRAME > 0
    else:
        assert states == ["F", "F"]
        assert read_here[0] == len(list(open_manuscripts([ms])[0][1]))
    assert not _children()


def test_a_failure_here_ends_the_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bibliography fails to read while the helper is at work: the helper is killed and
    reaped, and the error is the command's."""
    import time

    from argmap.cli.checking import run_check
    from argmap.errors import BibliographyError

    def slow(opened: object) -> Iterator[object]:
        time.sleep(30)
        yield ("E", 0)

    monkeypatch.setattr(ahead, "_scan_frames", slow)
    monkeypatch.setattr(ahead, "shares_work", lambda paths: True)
    monkeypatch.chdir(tmp_path)
    ms = tmp_path / "ms.md"
    ms.write_text("(Smith, 2001)\n", encoding="utf-8")
    bad = tmp_path / "refs.bib"
    bad.write_bytes(b"%PDF-1.4")
    started = time.monotonic()
    with pytest.raises(BibliographyError):
        run_check([], None, [bad], [ms], [], [], [], False, [], False)
    assert time.monotonic() - started < 10
    assert not _children()


def test_only_long_manuscripts_on_two_free_cores_are_scanned_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    half = ahead.SHARE_FROM_BYTES // 2
    one, two = tmp_path / "one.md", tmp_path / "two.md"
    one.write_text("x" * half, encoding="utf-8")
    two.write_text("x" * half, encoding="utf-8")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.delenv("ARGMAP_WORKERS", raising=False)
    assert shares_work([one, two])  # their sizes add up
    assert not shares_work([one])
    assert not shares_work([one, tmp_path / "missing.md"])
    assert scan_ahead([one], open_manuscripts([one])) is None
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    assert not shares_work([one, two])
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.setenv("ARGMAP_WORKERS", "1")
    assert not shares_work([one, two])
    monkeypatch.delenv("ARGMAP_WORKERS")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not shares_work([one, two])


_IMPORTED = """
import json, sys
from pathlib import Path
from argmap.cli.checking import run_check
report = run_check([], None, [Path(sys.argv[1])], [Path(sys.argv[2])], [], [], [], False, [], False)
modules = [m for m in sys.modules if m.startswith("argmap.")]
print(json.dumps({"report": report.to_json(), "modules": modules}))
"""


def test_this_process_imports_no_scanner_nor_reader_when_the_helper_scanned(
    tmp_path: Path,
) -> None:
    """The helper imports the manuscript's reader and the scanner (and compiles their
    patterns); this process, which reads the bibliography meanwhile, does not — and reports
    the same as a process that read and scanned the manuscript itself."""
    import json
    import subprocess

    [bib], [ms] = _bench(tmp_path, citations=1000)
    assert ms.stat().st_size >= ahead.SHARE_FROM_BYTES
    runs = {}
    for workers in ("1", "2"):
        env = dict(os.environ, ARGMAP_WORKERS=workers, XDG_CACHE_HOME=str(tmp_path / "cache"))
        out = subprocess.run(
            [sys.executable, "-c", _IMPORTED, str(bib), str(ms)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        runs[workers] = json.loads(out.stdout)
    assert runs["2"]["report"] == runs["1"]["report"]
    for module in ("argmap.citations.scanner", "argmap.manuscripts.text"):
        assert module in runs["1"]["modules"]
        assert module not in runs["2"]["modules"]


_INTERRUPTED = """
import os, sys, time
import argmap.checks.ahead as ahead
import argmap.cli.core as core
marker = sys.argv[3]
real_scan = ahead._scan_frames
def slow_scan(opened):
    with open(marker + ".tmp", "w") as out:
        out.write(str(os.getpid()))
    os.rename(marker + ".tmp", marker)  # the helper, at work
    time.sleep(30)
    yield from real_scan(opened)
ahead._scan_frames = slow_scan
real_load = core.load_bib
def slow_load(*args, **kwargs):
    while not os.path.exists(marker):
        time.sleep(0.01)
    os.write(1, b"READY\\n")
    time.sleep(30)  # reading the bibliography when Ctrl-C comes
    return real_load(*args, **kwargs)
core.load_bib = slow_load
import argmap.cli.checking
argmap.cli.checking.load_bib = slow_load
sys.argv = ["argmap", "check-citations", "--bib", sys.argv[1], sys.argv[2]]
from argmap.entry import console
console()
"""


def test_ctrl_c_while_the_helper_scans_ends_both(tmp_path: Path) -> None:
    """A Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while the helper
    scans: argmap says 'interrupted' and nothing else, exits 130, and the helper (which ignores
    the signal) is ended with it."""
    import subprocess
    import time

    [bib], [ms] = _bench(tmp_path, citations=1000)
    marker = tmp_path / "helper.pid"
    env = dict(os.environ, ARGMAP_WORKERS="2", XDG_CACHE_HOME=str(tmp_path / "cache"))
    process = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTED, str(bib), str(ms), str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    assert process.stdout is not None and process.stdout.readline() == b"READY\n"
    helper = int(marker.read_text())
    os.killpg(process.pid, signal.SIGINT)
    started = time.monotonic()
    _, err = process.communicate(timeout=20)
    assert time.monotonic() - started < 10
    assert process.returncode == 130
    assert err.decode() == "argmap: interrupted\n"
    with pytest.raises(ProcessLookupError):
        os.kill(helper, 0)  # ended and reaped, not left behind
