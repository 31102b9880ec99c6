"""A manuscript checked with a forked helper gives exactly the report of one checked in this
process alone, and a helper that fails (killed, raising, sending bad data) leaves its share to
this process, with the same report."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.bib.sources import read_bibliographies
from argmap.checks import citations
from argmap.checks.citations import Report, check_manuscript, shares_work
from argmap.citations.matcher import Matcher

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper is forked on Linux")

TESTS = Path(__file__).parents[1]
REAL = TESTS / "fixtures" / "real"
DATA = TESTS / "data"


def _bench(folder: Path) -> tuple[list[Path], list[Path]]:
    """The benchmark's generated lean bibliography and manuscript, small: every status."""
    bench = TESTS.parent / "bench"
    sys.path.insert(0, str(bench))
    try:
        import generate
    finally:
        sys.path.remove(str(bench))
    text, cited = generate.lean_bibliography(800)
    bib = folder / "lean.bib"
    bib.write_text(text, encoding="utf-8")
    ms = folder / "ms.md"
    ms.write_text(generate.manuscript(cited, 400), encoding="utf-8")
    return [bib], [ms]


# (id, bibliographies, manuscripts): generated, and real papers in LaTeX (BibTeX and biber),
# Markdown and R Markdown
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
}


def _report(bibs: list[Path], manuscripts: list[Path], share: bool) -> tuple[Report, set[str]]:
    matcher = Matcher(read_bibliographies(bibs, use_cache=False))
    report = Report()
    cited: set[str] = set()
    for path in manuscripts:
        cited |= check_manuscript(path, matcher, report, share=share)
    return report, cited


def _children() -> set[str]:
    return set(open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split())


@pytest.fixture
def helper_taken(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of one span, and this process slowed a little at each span it checks, so that
    the helper surely takes some; the helper's chunks (as this process received them) are
    counted in the list returned."""
    monkeypatch.setattr(citations, "CHUNK", 1)
    parent = os.getpid()
    real_matches = citations.span_matches
    real_answer = citations._helper_matches
    taken: list[int] = []

    def slowed(span: citations.Span, matcher: Matcher) -> object:
        if os.getpid() == parent:
            time.sleep(0.002)
        return real_matches(span, matcher)

    def counted(answer: object, sizes: dict[int, int]) -> object:
        result = real_answer(answer, sizes)
        taken.append(0 if result is None else len(result))
        return result

    monkeypatch.setattr(citations, "span_matches", slowed)
    monkeypatch.setattr(citations, "_helper_matches", counted)
    return taken


@pytest.mark.parametrize("case", CASES)
def test_a_shared_check_reports_as_one_process(
    case: str, tmp_path: Path, helper_taken: list[int]
) -> None:
    bibs, manuscripts = CASES[case](tmp_path)
    alone = _report(bibs, manuscripts, share=False)
    assert alone[0].citations  # the case has citations to share
    shared = _report(bibs, manuscripts, share=True)
    assert shared == alone
    assert sum(helper_taken) > 0  # the helper did check some spans
    assert not _children()


_REAL_SHARE = citations._helper_share


def _fails_by_kill(*args: object) -> object:
    _REAL_SHARE(*args)  # type: ignore[arg-type]  # takes its chunks, then dies
    os.kill(os.getpid(), signal.SIGKILL)
    return []


def _fails_by_raising(*args: object) -> object:
    _REAL_SHARE(*args)  # type: ignore[arg-type]
    raise RuntimeError("a bug in the helper")


def _sends_garbage(*args: object) -> object:
    return [(chunk, "not spans") for chunk, _ in _REAL_SHARE(*args)]  # type: ignore[arg-type, misc]


def _sends_too_little(*args: object) -> object:
    return _REAL_SHARE(*args)[1:]  # type: ignore[arg-type]  # one chunk it took left out


def _sends_a_wrong_match(*args: object) -> object:
    answer = _REAL_SHARE(*args)  # type: ignore[arg-type]
    return [(chunk, [[((1, "x"), ("no-such-status", None))]]) for chunk, _ in answer]


@pytest.mark.parametrize(
    "failure",
    [_fails_by_kill, _fails_by_raising, _sends_garbage, _sends_too_little, _sends_a_wrong_match],
)
def test_a_failing_helper_leaves_its_share_to_this_process(
    failure: Callable[..., object],
    tmp_path: Path,
    helper_taken: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bibs, manuscripts = _bench(tmp_path)
    alone = _report(bibs, manuscripts, share=False)
    monkeypatch.setattr(citations, "_helper_share", failure)
    assert _report(bibs, manuscripts, share=True) == alone
    assert helper_taken and not any(helper_taken)  # its answer was refused
    assert not _children()


def test_a_failure_in_this_process_ends_the_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bibs, manuscripts = _bench(tmp_path)
    matcher = Matcher(read_bibliographies(bibs, use_cache=False))
    monkeypatch.setattr(citations, "CHUNK", 1)
    parent = os.getpid()
    real = citations.span_matches
    seen: list[int] = []

    def breaks(span: citations.Span, matcher: Matcher) -> object:
        if os.getpid() == parent:
            seen.append(1)
            if len(seen) == 20:
                raise OSError("disk gone")
        else:
            time.sleep(0.05)  # a helper still at work when this process fails
        return real(span, matcher)

    monkeypatch.setattr(citations, "span_matches", breaks)
    with pytest.raises(OSError, match="disk gone"):
        check_manuscript(manuscripts[0], matcher, Report(), share=True)
    assert not _children()


def test_only_a_long_manuscript_on_two_free_cores_is_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = tmp_path / "long.md"
    long.write_text("x" * citations.SHARE_FROM_BYTES, encoding="utf-8")
    short = tmp_path / "short.md"
    short.write_text("x" * (citations.SHARE_FROM_BYTES - 1), encoding="utf-8")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.delenv("ARGMAP_WORKERS", raising=False)
    assert shares_work(long)
    assert not shares_work(short)
    assert not shares_work(tmp_path / "missing.md")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    assert not shares_work(long)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.setenv("ARGMAP_WORKERS", "1")
    assert not shares_work(long)
