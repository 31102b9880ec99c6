"""Parsing in parts and in parallel gives exactly the result of one whole parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.model import Bibliography
from argmap.bib.parallel import decode_bib, parse_runs, read_strings
from argmap.bib.reader import assemble, bibliography_from_text
from argmap.errors import BibliographyError


def sample_bib(n: int) -> str:
    """A .bib with strings used across the file, duplicates far apart, a broken entry and a
    duplicate field — everything whose handling must not depend on where the file is cut."""
    out = ['@string{wd = "World Development"}', "% a comment with { an open brace"]
    for i in range(n):
        out.append(
            f"@article{{k{i},\n"
            f"  author = {{M{{\\\"u}}ller, J{{\\'o}}rg and van Dijk, Meine}},\n"
            f"  title = {{Title {{{i}}} on clusters}},\n  journal = wd,\n"
            f"  year = {{{1990 + i % 30}}},\n}}"
        )
        if i == n // 2:
            out.append('@string{late = "Late String"}')
            out.append("@book{broken,\n  title = {Unclosed,\n  year = 2000\n")  # never closed
            out.append("}")  # ... until here
        if i == n - 3:
            out.append("@article{k1,\n  title = {Again},\n}")  # duplicate of an early key
            out.append("@misc{dupfield, title = {A}, title = {B}, note = late}")
    return "\n\n".join(out) + "\n"


def parse(tmp_path: Path, text: str, workers: int, part_bytes: int) -> Bibliography:
    """The whole text as one run for bibtexparser, cut into parts of ``part_bytes``."""
    path = tmp_path / "refs.bib"
    text = decode_bib(text.encode("utf-8"))  # as load_bibliography reads: newlines normalised
    strings, string_problems = read_strings(text.encode("utf-8"))
    (parts,) = parse_runs(
        text, [(0, len(text), 0)], strings, workers, parallel_from=0, part_chars=part_bytes
    )
    assert len(parts) > 1 or part_bytes > len(text)
    return assemble(parts, path, string_problems)


@pytest.mark.parametrize(("workers", "part_bytes"), [(1, 300), (2, 300), (2, 5000), (3, 1 << 20)])
def test_parts_and_workers_do_not_change_the_result(
    tmp_path: Path, workers: int, part_bytes: int
) -> None:
    text = sample_bib(120)
    whole = bibliography_from_text(text, tmp_path / "refs.bib")
    split = parse(tmp_path, text, workers, part_bytes)
    assert split.entries == whole.entries
    assert split.problems == whole.problems
    kinds = sorted({p.kind for p in whole.problems})
    assert kinds == ["duplicate-field", "duplicate-key", "parse-failed"]


def test_duplicate_keys_across_parts_keep_true_lines(tmp_path: Path) -> None:
    text = sample_bib(120)
    bib = parse(tmp_path, text, 2, 300)
    dup = next(p for p in bib.problems if p.kind == "duplicate-key")
    lines = text.splitlines()
    assert lines[dup.line - 1].startswith("@article{k1,")
    first = lines.index(next(x for x in lines if x.startswith("@article{k1,"))) + 1
    assert f"first defined at line {first}" in dup.message and first < dup.line
    failed = next(p for p in bib.problems if p.kind == "parse-failed")
    assert lines[failed.line - 1].startswith("@book{broken")


def test_strings_from_other_parts_resolve(tmp_path: Path) -> None:
    bib = parse(tmp_path, sample_bib(120), 2, 300)
    assert bib.entries["k100"].fields["journal"] == "World Development"
    assert bib.entries["dupfield"].fields["note"] == "Late String"
    assert bib.entries["k3"].surnames == ("muller", "van dijk")


def test_bad_bytes_in_a_later_part_report_their_line(tmp_path: Path) -> None:
    from argmap.bib.reader import load_bibliography

    text = sample_bib(60)
    data = text.encode() + b"@misc{latin, title = {Espa\xf1a}}\n"
    path = tmp_path / "refs.bib"
    path.write_bytes(data)
    with pytest.raises(BibliographyError) as caught:
        load_bibliography(path, use_cache=False, workers=1)
    assert caught.value.line == text.count("\n") + 1
    assert "0xf1" in str(caught.value)


def test_progress_bar_only_on_a_terminal_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from argmap.bib import parallel as bibparse

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = iter([0.0, 0.5, 1.5, 2.0, 2.5])
    screen = Terminal()
    monkeypatch.setattr(bibparse.sys, "stderr", screen)
    progress = bibparse.Progress("parsing big.bib", clock=lambda: next(clock))  # started at 0.0
    progress(1, 4)  # 0.5 s: nothing yet
    assert progress.bar is None
    progress(2, 4)  # 1.5 s: the bar appears
    assert progress.bar is not None
    progress(3, 4)
    progress.close()
    assert "parsing big.bib" in screen.getvalue()


def test_no_progress_bar_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from argmap.bib import parallel as bibparse

    monkeypatch.setattr(bibparse.sys, "stderr", io.StringIO())
    times = iter([0.0, 100.0])
    progress = bibparse.Progress("parsing big.bib", clock=lambda: next(times))
    progress(1, 4)
    assert progress.bar is None


def test_check_citations_output_is_the_same_however_the_bib_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from argmap.cli.app import app

    big = tmp_path / "big.bib"
    big.write_text(sample_bib(16_000), encoding="utf-8")  # over the 2 MiB parallel threshold
    assert big.stat().st_size > 2 << 20
    manuscript = tmp_path / "ms.md"
    manuscript.write_text(
        "As Müller and van Dijk (1995) and (Muller, 2001; Mueller et al., 1999) say.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = [
        "check-citations",
        "--bib",
        str(big),
        "--manuscript",
        str(manuscript),
        "--format",
        "json",
    ]
    outputs = []
    for workers, extra in (("1", ["--no-cache"]), ("2", ["--no-cache"]), ("3", []), ("2", [])):
        monkeypatch.setenv("ARGMAP_WORKERS", workers)
        result = CliRunner().invoke(app, [*args, *extra])
        assert result.exit_code == 1, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2] == outputs[3]  # the last from the cache
    assert (tmp_path / "cache" / "argmap" / "bib").is_dir()
    assert '"duplicate-key"' in outputs[0] and '"parse-failed"' in outputs[0]


@pytest.mark.parametrize(("workers", "part_bytes"), [(1, 1 << 20), (2, 300)])
@pytest.mark.parametrize("ending", ["backslash", "lone-cr"])
def test_true_lines_after_backslash_line_ends_and_lone_crs(
    tmp_path: Path, ending: str, workers: int, part_bytes: int
) -> None:
    entries = []
    for i in range(40):
        if ending == "backslash":  # a LaTeX line break ending a line inside a field
            entries.append(f"@misc{{k{i},\n  title = {{Line \\\\\n  next \\\\\n  last}},\n}}")
        else:
            entries.append(f"@misc{{k{i},\n  title = {{T{i}}},\n}}")
    entries.append("@misc{k3, year = {2000}}")
    entries.append("@book{broken, title = {never closed,\n")
    entries.append("@misc{after, year = {2001}}")
    entries.append("@misc{strs,\n  title = {S},\n  journal = undefmacro,\n}")
    text = "\n\n".join(entries) + "\n"
    if ending == "lone-cr":  # old Mac files: the first half in CR, the rest in LF
        half = len(text) // 2
        text = text[:half].replace("\n", "\r") + text[half:]
    bib = parse(tmp_path, text, workers, part_bytes)
    lines = text.replace("\r", "\n").split("\n")
    dup = next(p for p in bib.problems if p.kind == "duplicate-key")
    assert lines[dup.line - 1].startswith("@misc{k3, year")
    first = lines.index("@misc{k3,") + 1
    assert f"first defined at line {first}" in dup.message
    failed = next(p for p in bib.problems if p.kind == "parse-failed")
    assert lines[failed.line - 1].startswith("@book{broken")
    assert lines[bib.entries["after"].line - 1].startswith("@misc{after")
    unresolved = next(p for p in bib.problems if p.kind == "unresolved-string")
    assert lines[unresolved.line - 1] == "  journal = undefmacro,"
