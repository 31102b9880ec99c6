"""What `argmap check-citations` does, apart from reading its command line: the same code whether
Typer read the options (``argmap.cli.check``) or the quick reader did (``argmap.cli.quick``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.cli.core import (
    choice,
    console_width,
    fail,
    load,
    load_bib,
    project_config,
    sources,
)
from argmap.errors import ArgmapError, ExitCode, MapError
from argmap.render.formats import ReportFormat, default_format

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.checks.citations import Report


def run_check_citations(
    *,
    files: list[Path] | None,
    map_path: Path | None,
    bib_path: list[Path] | None,
    no_cache: bool,
    manuscripts: list[Path] | None,
    fmt: str | None,
    select: list[str] | None,
    ignore: list[str] | None,
    warn_as_error: list[str] | None,
    strict: bool,
    exclude: list[str] | None,
    show_all: bool,
    unused: bool,
) -> None:
    """Check, write the report in the chosen format, and exit 1 when it holds errors (2, with
    one message, for unreadable input or a usage error)."""
    import gc

    from argmap.base.collector import gc_paused

    # As ``argmap show`` does: the run imports the check's modules, reads the map and the
    # bibliography and writes the report, making many objects and no garbage worth collecting
    # before it ends, which the collector would scan again and again (README, *The warm check,
    # manuscript side*). It is given back as it was.
    with gc_paused():
        try:
            chosen = (
                choice(ReportFormat, fmt, "--output-format", "output format")
                if fmt is not None
                else default_format(sys.stdout.isatty())
            )
            report = run_check(
                files or [],
                map_path,
                bib_path or [],
                manuscripts or [],
                select or [],
                ignore or [],
                warn_as_error or [],
                strict,
                exclude or [],
                not no_cache,
                unused,
            )
            from argmap.render.formats import write_report

            write_report(report, chosen, show_all, console_width())
            if report.summary()["errors"]:
                raise SystemExit(int(ExitCode.PROBLEMS))
        except ArgmapError as error:
            fail(error)
        finally:
            # What the run made lives until the process ends: out of the collector's reach,
            # so that the full collection the interpreter makes at exit does not scan it all
            # again (with the pause, the collections of a warm lean check fell from 47.8 M to
            # 6.4 M instructions, callgrind).
            gc.freeze()


def run_check(
    files: list[Path],
    map_path: Path | None,
    bib_paths: list[Path],
    manuscripts: list[Path],
    select: list[str],
    ignore: list[str],
    warn_as_error: list[str],
    strict: bool,
    exclude: list[str],
    use_cache: bool,
    list_unused: bool = False,
) -> Report:
    """Gather what to check (options over the configuration), check it, apply the selection."""
    from argmap.base.collector import gc_paused
    from argmap.checks.citations import (
        Report,
        check_bibliography,
        check_manuscript,
        check_map,
        map_problems,
        open_manuscripts,
    )
    from argmap.checks.select import Selection
    from argmap.citations.matcher import Matcher

    config = project_config()
    bibs_given = [f for f in files if f.suffix.lower() == ".bib"]
    named = [f for f in files if f.suffix.lower() != ".bib"] + manuscripts
    if not named and config is not None:
        named = list(config.manuscripts)
    selection = Selection.parse(
        select or list(config.select if config else ()),
        ignore or list(config.ignore if config else ()),
        warn_as_error or list(config.warn_as_error if config else ()),
        strict or bool(config and config.strict),
    )
    src = sources(map_path, bib_paths)
    bibs = list(src.bibs)
    if bibs_given:
        # staged .bib files are checked with the configured ones, so that no key goes missing
        if src.shipped_bib:
            bibs = []
        bibs += [b for b in bibs_given if b.resolve() not in {x.resolve() for x in bibs}]
    elif named and src.shipped_bib:
        raise ArgmapError(
            "no bibliography to check the manuscripts against",
            hint="give --bib FILE, or name it as bib = [...] under [tool.argmap] in "
            "pyproject.toml or argmap.toml (argmap will not check a manuscript against its "
            "demo bibliography)",
        )
    # the shipped demo map is checked only when nothing of the user's is named at all
    check_the_map = not src.shipped_map or (not named and not bibs_given and src.shipped_bib)
    loaded = None
    broken_map: list[Problem] = []
    if check_the_map:
        try:
            loaded = load(src, use_cache)
        except MapError as error:
            # A map that does not load is a finding, as a syntax error is to a linter: reported
            # in the chosen format with its code, and the manuscripts are still checked.
            as_problems = map_problems(error)
            if as_problems is None:
                raise
            broken_map = as_problems
    # opened (read, decoded, a Word file unzipped) before the bibliography is parsed, so that an
    # unreadable manuscript fails at once; each is then scanned a paragraph at a time
    opened = open_manuscripts(named)
    bib = load_bib(tuple(bibs), use_cache, src.shipped_bib and not bibs_given)
    report = Report(problems=broken_map)
    excluded = exclude or list(config.exclude if config else ())
    # The collector stays paused from here to the report (for callers other than the command,
    # which pauses it for the whole run): the entries were frozen out of its reach
    # (``load_bib``), but what the checks make after (every entry, made by
    # ``check_bibliography``; the report) would set off a collection every 700 allocations. A
    # check makes almost no cycles; ``check_manuscript`` still collects the young ones of a
    # very long manuscript.
    with gc_paused():
        matcher = Matcher(bib, exclude=excluded)
        cited: set[str] = set()
        if loaded is not None:
            cited |= check_map(loaded, matcher, report)
        for path, pieces in opened:
            cited |= check_manuscript(path, matcher, report, pieces)
        check_bibliography(
            bib,
            cited,
            loaded.map.article.key if loaded else None,
            report,
            owned_by_map=loaded is not None and src.bib_is_default and not bibs_given,
            list_unused=list_unused,
        )
        selection.apply(report, _suppressions(report))
    return report


def _suppressions(report: Report) -> dict[str, dict[int, tuple[str, ...]]]:
    """The inline suppressions of every manuscript and map file that has a problem."""
    from argmap.base.textio import read_text
    from argmap.checks.select import suppressions

    found: dict[str, dict[int, tuple[str, ...]]] = {}
    for source in {p.source for p in report.problems}:
        path = Path(source)
        if path.suffix.lower() in SUPPRESSIBLE and path.is_file():
            found[source] = suppressions(read_text(path, ArgmapError, "file"))
    return found


# Files whose comments may hold `argmap: ignore[...]` (.bib files are not among them: BibTeX has
# no comment inside an entry).
SUPPRESSIBLE = {
    *(".md", ".markdown", ".qmd", ".rmd", ".tex", ".ltx", ".rnw", ".txt", ".text"),
    *(".yaml", ".yml"),
}
