"""check-citations gives the same report whatever the number of workers, the cache and the number
of files the bibliography is cut into — on real bibliographies and manuscripts (tests/fixtures/real,
tests/data/real, tests/data/manuscripts/real), on every test bibliography under tests/ and on the
benchmark's generator at small sizes (issue 16).

Workers are forced on these small files by lowering the sizes from which argmap forks them; a test
asserts that the pool really ran. The several-files case cuts a file at block lines into contiguous
files whose concatenation is the original (as BibTeX reads ``\\bibliography{a,b,c}``), and maps the
report's file names and lines back with ``tools/compare_reports.py``'s own functions.

Two bugs found here on real libraries, now fixed, are held by tests below: an ``@string``
defined in an earlier ``--bib`` is in force in the later ones (as BibTeX and biber read them),
and an alias clash across files names the other entry's file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench_inputs import bench_generator
from tool_scripts import load_tool
from typer.testing import CliRunner

from argmap.cli.app import app

TESTS = Path(__file__).parent
REAL = TESTS / "fixtures" / "real"
DATA = TESTS / "data"
tool = load_tool("compare_reports")

_KEY = re.compile(
    r"^[ \t]*@[ \t]*(?!string|preamble|comment)\w+[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,", re.I | re.M
)


def _citing_keys(bib: Path, folder: Path) -> Path:
    """A Markdown manuscript citing every key of ``bib`` (a test bibliography has no paper)."""
    keys = _KEY.findall(bib.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff"))
    if bib.suffix == ".json":
        keys = [item["id"] for item in json.loads(bib.read_text(encoding="utf-8"))]
    elif bib.suffix == ".yaml":
        keys = re.findall(r"^- id: *(\S+)", bib.read_text(encoding="utf-8"), re.M)
    path = folder / "cites.md"
    path.write_text(
        "\n\n".join(f"As shown [@{key}], and again (@{key})." for key in keys) + "\n",
        encoding="utf-8",
    )
    return path


def _bench(folder: Path, kind: str, entries: int, citations: int) -> tuple[Path, Path]:
    """The benchmark's generated bibliography and author–year manuscript, at a small size."""
    generate = bench_generator()
    make = generate.lean_bibliography if kind == "lean" else generate.bibliography
    text, cited = make(entries)
    bib = folder / f"{kind}.bib"
    bib.write_text(text, encoding="utf-8")
    ms = folder / f"ms-{kind}.md"
    ms.write_text(generate.manuscript(cited, citations), encoding="utf-8")
    return bib, ms


# (id, bibliographies, manuscripts or None for a generated one citing every key)
REAL_CASES: list[tuple[str, list[Path], list[Path] | None]] = [
    ("hott-book", [REAL / "hott" / "references.bib"], [REAL / "hott" / "introduction.tex"]),
    ("castro-joss", [REAL / "castro" / "paper.bib"], [REAL / "castro" / "paper.md"]),
    (
        "biblatex-examples",
        [DATA / "real" / "biblatex-examples.bib"],
        sorted((REAL / "biblatex").glob("*.tex")),
    ),
    ("iridia-sample", [DATA / "real" / "iridia-sample.bib"], None),
    (
        "quarto-heiss",
        [DATA / "manuscripts" / "real" / "quarto-heiss" / "references.bib"],
        [DATA / "manuscripts" / "real" / "quarto-heiss" / "excerpt.qmd"],
    ),
    (
        "bookdown-es",
        [DATA / "manuscripts" / "real" / "bookdown-es" / "book.bib"],
        [DATA / "manuscripts" / "real" / "bookdown-es" / "03-extensiones.Rmd"],
    ),
    (
        "three-formats",
        [DATA / "biblatex" / n for n in ("zotero.bib", "refs.json", "refs.yaml")],
        None,
    ),
]
_SEEN = {p for _, bibs, _ in REAL_CASES for p in bibs}
TEST_BIBS = sorted(DATA.rglob("*.bib"))
CASES = REAL_CASES + [(str(p.relative_to(DATA)), [p], None) for p in TEST_BIBS if p not in _SEEN]


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)


class _Pools:
    """Counts the process pools argmap starts (index and parse workers)."""

    def __init__(self) -> None:
        self.started = 0


@pytest.fixture
def forced_workers(monkeypatch: pytest.MonkeyPatch) -> _Pools:
    """Workers even on small files: argmap's size thresholds lowered, pools counted."""
    import argmap.base.workers as workers
    import argmap.bib.parallel as parallel
    import argmap.bib.reader as reader

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parallel, "PART_BYTES", 2048)
    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)
    pools = _Pools()
    real = workers.forked_map

    def counted(*args: Any, **kwargs: Any) -> Any:
        pools.started += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(workers, "forked_map", counted)
    return pools


def _check(
    monkeypatch: pytest.MonkeyPatch,
    bibs: list[str],
    manuscripts: list[Path],
    workers: int,
    cache: Path,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One check-citations run: its exit code, its JSON report (or None) and its stderr."""
    monkeypatch.setenv("ARGMAP_WORKERS", str(workers))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    args = ["check-citations", "--format", "json", *extra]
    for bib in bibs:
        args += ["--bib", bib]
    for manuscript in manuscripts:
        args += ["--manuscript", str(manuscript)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1, 2), result.exception  # never a traceback
    report = json.loads(result.stdout) if result.exit_code != 2 else None
    return {"exit": result.exit_code, "report": report, "stderr": result.stderr}


def _inputs(
    case: tuple[str, list[Path], list[Path] | None], folder: Path
) -> tuple[list[Path], list[Path]]:
    _, bibs, manuscripts = case
    if manuscripts is None:
        manuscripts = [_citing_keys(b, folder) for b in bibs[:1]]
    return bibs, manuscripts


def _ids() -> Iterator[str]:
    return (c[0] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=list(_ids()))
def test_workers_and_cache_give_the_same_report(
    case: tuple[str, list[Path], list[Path] | None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    forced_workers: _Pools,
) -> None:
    bibs, manuscripts = _inputs(case, tmp_path)
    names = [str(b) for b in bibs]
    one = _check(monkeypatch, names, manuscripts, 1, tmp_path / "c1", ("--no-cache",))
    assert forced_workers.started == 0
    cold = _check(monkeypatch, names, manuscripts, 2, tmp_path / "c2")
    if sum(b.stat().st_size for b in bibs if b.suffix == ".bib") > 20_000:
        assert forced_workers.started > 0  # the parallel reading really ran
    if cold["exit"] != 2 and any(b.suffix == ".bib" and b.stat().st_size for b in bibs):
        assert any((tmp_path / "c2" / "argmap").rglob("*.json"))  # so the next run is warm
    warm = _check(monkeypatch, names, manuscripts, 2, tmp_path / "c2")
    again = _check(monkeypatch, names, manuscripts, 1, tmp_path / "c2")
    if one["exit"] != 2 and "@" in "".join(m.read_text(errors="replace") for m in manuscripts):
        assert one["report"]["summary"]["citations"] > 0  # (an unreadable file is refused alike)
    assert cold == one, tool.differences(one, cold)
    assert warm == one, tool.differences(one, warm)
    assert again == one, tool.differences(one, again)


# Cut files that differ from the whole by design: a part that starts a few bytes before a NUL
# looks binary (the whole file reports the NUL's line and column); a block left open at the end
# of a part ends there, so bibtexparser's message names the end of the file rather than the next
# block's start; two @strings that refer to each other are a cycle within one file, but cut in two
# files the first is read before the second exists (as BibTeX reads them), so there is no cycle.
SPLIT_DIFFERS_BY_DESIGN = {
    "hostile/bib-nul-late.bib",
    "hostile/bib-unbalanced.bib",
    "hostile/bib-string-cycle.bib",
}


def _by_design(report: dict[str, Any]) -> dict[str, Any]:
    return tool.by_design(report)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c[0],
        )
        for c in CASES
        if len(c[1]) == 1
        and c[1][0].suffix == ".bib"
        and c[1][0].stat().st_size > 0
        and c[0] not in SPLIT_DIFFERS_BY_DESIGN
        and len(tool.split_bib(c[1][0].read_bytes().decode("utf-8", "replace"), 3)) > 1
    ],
)
def test_one_file_or_the_same_entries_in_several(
    case: tuple[str, list[Path], list[Path] | None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bibs, manuscripts = _inputs(case, tmp_path)
    original = str(bibs[0])
    text = bibs[0].read_bytes().decode("utf-8", "surrogateescape")
    pieces = tool.split_bib(text, 3)
    assert len(pieces) > 1  # files of one block are not collected: nothing to cut
    names = []
    for i, (piece, offset) in enumerate(pieces, 1):
        part = tmp_path / f"part{i}.bib"
        part.write_bytes(piece.encode("utf-8", "surrogateescape"))
        names.append((part.name, offset))  # as argmap names a file of the folder it runs in
    whole = _check(monkeypatch, [original], manuscripts, 1, tmp_path / "c1", ("--no-cache",))
    split = _check(
        monkeypatch, [n for n, _ in names], manuscripts, 1, tmp_path / "c2", ("--no-cache",)
    )
    mapped = tool.map_back(split, names, original)
    mapped["report"], whole["report"] = _by_design(mapped["report"]), _by_design(whole["report"])
    assert mapped == whole, tool.differences(whole, mapped)


def test_strings_of_an_earlier_bib_resolve_in_a_later_one_minimal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An @string of an earlier --bib is in force in a later one, on two one-line files."""
    (tmp_path / "strings.bib").write_text("@string{cup = {Cambridge University Press}}\n")
    (tmp_path / "books.bib").write_text(
        "@book{rossi2000, author = {Rossi, Ana}, title = {T}, year = {2000}, publisher = cup}\n"
    )
    ms = tmp_path / "ms.md"
    ms.write_text("As (Rossi, 2000) says.\n")
    report = _check(
        monkeypatch, ["strings.bib", "books.bib"], [ms], 1, tmp_path / "c", ("--no-cache",)
    )
    assert report["report"]["summary"]["by_status"]["ok"] == 1
    assert report["report"]["problems"] == []  # BibTeX and biber resolve it


@pytest.mark.parametrize(("kind", "entries"), [("lean", 600), ("rich", 300)])
def test_benchmark_generator_same_report_every_way(
    kind: str,
    entries: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    forced_workers: _Pools,
) -> None:
    bib, ms = _bench(tmp_path, kind, entries, 400)
    one = _check(monkeypatch, [str(bib)], [ms], 1, tmp_path / "c1", ("--no-cache",))
    assert one["report"]["summary"]["citations"] > 300
    by_status = one["report"]["summary"]["by_status"]
    assert by_status["ok"] > 0 and by_status["ambiguous"] + by_status["missing"] > 0
    cold = _check(monkeypatch, [str(bib)], [ms], 2, tmp_path / "c2")
    assert forced_workers.started > 0
    warm = _check(monkeypatch, [str(bib)], [ms], 2, tmp_path / "c2")
    assert cold == one, tool.differences(one, cold)
    assert warm == one, tool.differences(one, warm)


@pytest.mark.parametrize(
    ("kind", "entries"),
    [
        ("lean", 600),
        ("rich", 300),
    ],
)
def test_benchmark_generator_one_file_or_four(
    kind: str, entries: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib, ms = _bench(tmp_path, kind, entries, 400)
    one = _check(monkeypatch, [str(bib)], [ms], 1, tmp_path / "c1", ("--no-cache",))
    pieces = tool.split_bib(bib.read_text(encoding="utf-8"), 4)
    names = []
    for i, (piece, offset) in enumerate(pieces, 1):
        part = tmp_path / f"part{i}.bib"
        part.write_text(piece, encoding="utf-8")
        names.append((part.name, offset))
    split = _check(monkeypatch, [n for n, _ in names], [ms], 1, tmp_path / "c3", ("--no-cache",))
    mapped = tool.map_back(split, names, str(bib))
    mapped["report"], one["report"] = _by_design(mapped["report"]), _by_design(one["report"])
    assert mapped == one, tool.differences(one, mapped)


def test_alias_clash_across_files_names_the_other_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An alias clash across files names the other file (found on a real library,
    irace-library-24k cut in four, as 'which is also the key of 'Li2016' (line 57025)')."""
    (tmp_path / "one.bib").write_text(
        "@article{li2016traffic, ids = {Li2016}, author = {Li, Wei}, title = {T},"
        " journal = {J}, year = {2016}}\n"
    )
    (tmp_path / "two.bib").write_text(
        "% another library\n\n"
        "@article{Li2016, author = {Li, Ming}, title = {U}, journal = {K}, year = {2016}}\n"
    )
    ms = tmp_path / "ms.md"
    ms.write_text("As [@li2016traffic] shows.\n")
    result = _check(monkeypatch, ["one.bib", "two.bib"], [ms], 1, tmp_path / "c", ("--no-cache",))
    (clash,) = [p for p in result["report"]["problems"] if p["kind"] == "alias-clash"]
    assert clash["source"] == "one.bib"
    assert "two.bib:3" in clash["message"]
