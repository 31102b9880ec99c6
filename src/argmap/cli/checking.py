"""What `argmap check-citations` does, apart from reading its command line: the same code whether
Typer read the options (``argmap.cli.check``) or the quick reader did (``argmap.cli.quick``)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, NamedTuple

from argmap.cli.core import (
    choice,
    console_width,
    fail,
    load,
    load_bib,
    project_config,
    say,
    sources,
)
from argmap.errors import ArgmapError, ExitCode, MapError, display_path
from argmap.render.formats import ReportFormat, default_format

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from argmap.base.problems import Problem
    from argmap.bib.model import Bibliography
    from argmap.checks.ahead import ScanAhead, Scanned
    from argmap.checks.baseline import Baseline
    from argmap.checks.citations import Report
    from argmap.checks.select import Selection
    from argmap.citations.found import Found
    from argmap.manuscripts.named import InlineReferences, Labels
    from argmap.manuscripts.nocite import Nocite
    from argmap.manuscripts.spans import Piece
    from argmap.map.loader import LoadedMap
    from argmap.project.documents import DocumentBibliography
    from argmap.project.locate import Sources
    from argmap.project.pandocrun import PandocRun
    from argmap.project.styles import Build

# Seconds from the helper's start after which its answer is read whole, not streamed: a cold
# parse of a large bibliography (which holds the helper while it indexes, see
# ``argmap.base.helper.held``) takes several times its scan (~0.1 s on the benchmark's 314 KB
# manuscript); a warm check reaches its matching in less.
_DRAIN_AFTER = 0.3


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
    baseline: Path | None = None,
    defaults: list[Path] | None = None,
    metadata_files: list[Path] | None = None,
    quarto_profile: list[str] | None = None,
    filters: list[str] | None = None,
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
            # read first: a baseline that is not a report fails before the work is done
            recorded = _read_baseline(baseline) if baseline is not None else None
            if quarto_profile:
                from argmap.project.builds import quarto_profile as profiles

                active: AbstractContextManager[None] = profiles(quarto_profile)
            else:
                active = nullcontext()
            with active:
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
                    defaults or [],
                    metadata_files or [],
                    filters or [],
                    every_note=show_all,
                )
            if recorded is not None:
                _apply_baseline(report, recorded)
            from argmap.render.formats import write_report

            write_report(report, chosen, show_all, console_width())
            from argmap.cache.compiled import remember

            # the patterns compiled afresh, kept for the next run (nothing done when none was)
            remember()
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


def _read_baseline(path: Path) -> Baseline:
    """The baseline file's recorded problems."""
    from argmap.checks.baseline import read_baseline

    return read_baseline(path)


def _apply_baseline(report: Report, recorded: Baseline) -> None:
    """Leave out the problems the baseline recorded, and say on stderr how many, and how many
    of its problems are gone."""
    from argmap.checks.baseline import apply_baseline

    path = recorded.path
    done = apply_baseline(report, recorded)
    if done.dropped or done.gone:
        gone = (
            f"; {_count(done.gone, 'problem')} of it no longer "
            f"{'occurs' if done.gone == 1 else 'occur'} (write it again to drop them)"
            if done.gone
            else ""
        )
        say(
            f"note: baseline {display_path(path)}: {_count(done.dropped, 'problem')} it records "
            f"not reported{gone}"
        )


def _count(number: int, noun: str) -> str:
    """``1 problem``, ``2 problems``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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
    defaults: list[Path] | None = None,
    metadata_files: list[Path] | None = None,
    filters: list[str] | None = None,
    every_note: bool = False,
) -> Report:
    """Gather what to check (options over the configuration), check it, apply the selection.
    ``defaults``, ``metadata_files`` and ``filters``: a pandoc run's (``--defaults``,
    ``--metadata-file``, ``--filter``), which name the Markdown manuscripts' bibliography as
    pandoc reads them, and the filters that resolve some of their ``@`` references;
    ``every_note`` (``--all``): a note for each manuscript, where several saying the same are
    otherwise one."""
    # (only what opening the manuscripts needs is imported before the helper is forked: the
    # check's other modules are imported while it works)
    from argmap.checks.ahead import open_manuscripts, scan_ahead
    from argmap.checks.select import Selection

    config = project_config()
    bibs_given = [f for f in files if f.suffix.lower() in BIBLIOGRAPHY_FILES]
    for given in [*bibs_given, *bib_paths]:
        # opened and closed: one that is missing, a directory or a loop of links is named by
        # the reader's message now (Path.resolve, below, raises on a loop)
        from argmap.base.textio import open_input
        from argmap.errors import BibliographyError

        open_input(given, BibliographyError, "bibliography").close()
    named = [f for f in files if f.suffix.lower() not in BIBLIOGRAPHY_FILES] + manuscripts
    run = None
    if defaults or metadata_files or filters:
        from argmap.project.pandocrun import read_pandoc_run

        run = read_pandoc_run(defaults or [], metadata_files or [], filters or [])
        if run is not None and not named and run.input_files:
            # the defaults file's input-files, as pandoc -d reads them without FILE
            named = list(run.input_files)
            missing = next((p for p in named if not p.exists()), None)
            if missing is not None and run.inputs_named is not None:
                from argmap.errors import ManuscriptError

                raise ManuscriptError(
                    f"'{missing}': no such manuscript",
                    path=run.inputs_named[0],
                    line=run.inputs_named[1],
                    field="input-files",
                    hint="correct the name (relative to the working directory, as pandoc "
                    "reads it), or name the manuscripts on the command line",
                )
    if not named and not bibs_given:
        # run by a Quarto project's pre-render: the files about to render (a preview's one
        # chapter, or all), before the configuration's manuscripts
        named = _quarto_inputs()
    if not named and config is not None:
        from argmap.project.config import check_exists

        named = list(config.manuscripts)
        check_exists(config, "manuscripts", named)
    selection = Selection.parse(
        select or list(config.select if config else ()),
        ignore or list(config.ignore if config else ()),
        warn_as_error or list(config.warn_as_error if config else ()),
        strict or bool(config and config.strict),
    )
    src = sources(map_path, bib_paths)
    # --bib is every manuscript's bibliography (as pandoc's --bibliography overrides the
    # metadata); else each is checked against the one it names, if it names one
    own = _named_bibliographies(named, tuple(src.bibs) if bib_paths else None, run)
    bibs = list(src.bibs)
    # a staged bibliography that a staged document names is checked with that document's
    # group: two papers of one repository, each with its refs.bib, are not one bibliography
    covered = {f.resolve() for chosen in own if chosen is not None for f in chosen.files}
    # (--filter alone names no bibliography: the staged one is still looked for beside)
    names_files = run is not None and bool(run.defaults or run.metadata_files)
    if files and not bib_paths and not names_files:
        # a staged bibliography no staged document names: the documents beside it that are
        # built with it are checked too, so that a key renamed or removed is found where cited
        for bib in [b for b in bibs_given if b.resolve() not in covered]:
            beside = _documents_beside(bib, named, run)
            named += [path for path, _ in beside]
            own += [chosen for _, chosen in beside]
            covered |= {f.resolve() for _, chosen in beside for f in chosen.files}
    staged = bibs_given
    bibs_given = [b for b in bibs_given if b.resolve() not in covered]
    nameless = [path for path, chosen in zip(named, own, strict=True) if not _names_one(chosen)]
    if not bibs_given and len(staged) == 1 and nameless and src.shipped_bib:
        # the one bibliography staged, which a staged document names: a Word file (which names
        # none) staged with it is checked against it, as when it is staged alone with it
        bibs_given = staged
    apart: list[Path] = []
    # problems found in what the documents name, before any is read (a format naming none)
    found_early: list[Problem] = []
    if bibs_given:
        if src.shipped_bib:
            # nothing configured: the staged files' relation is unknown, so each is checked on
            # its own (their keys never clash falsely); a manuscript that names no bibliography
            # is checked against the one staged beside it, and with several is an error
            bibs, apart = bibs_given[:1], bibs_given[1:]
            if apart and nameless:
                raise _no_bibliography(named, own, several=True, run=run)
            if nameless:
                _say_nameless(nameless, bibs[0], len(staged))
        else:
            # staged files are checked with the configured ones, so that no key goes missing
            bibs += [b for b in bibs_given if b.resolve() not in {x.resolve() for x in bibs}]
    elif src.shipped_bib:
        from argmap.project.documents import drop_unnamed_formats

        # a format naming none, beside one that names one: that one checked, this one warned of
        own, found_early = drop_unnamed_formats(named, own)
        if any(not _names_one(chosen) for chosen in own):
            raise _no_bibliography(named, own, run=run)
    # what the documents' builds do that is said before any check (citeproc not run)
    found_early += [
        warning
        for chosen in own
        if chosen is not None
        for build in (chosen, *chosen.variants)
        for warning in build.warnings
    ]
    # the shipped demo map is checked only when nothing of the user's is named at all
    check_the_map = not src.shipped_map or (not named and not bibs_given and src.shipped_bib)
    broken_map: list[Problem] = []
    loaded: LoadedMap | None = None
    if check_the_map:
        try:
            loaded = load(src, use_cache)
        except MapError as error:
            # A map that does not load is a finding, as a syntax error is to a linter: reported
            # in the chosen format with its code, and the manuscripts are still checked.
            from argmap.checks.citations import map_problems

            as_problems = map_problems(error)
            if as_problems is None:
                raise
            broken_map = as_problems
    # opened (read, decoded, a Word file unzipped) before the bibliography is parsed, so that an
    # unreadable manuscript fails at once; each is then scanned a paragraph at a time
    opened = open_manuscripts(named)
    # a long manuscript is read and scanned by a helper process while this one reads the
    # bibliography (README, *The warm check, two cores*)
    ahead = scan_ahead(named, opened)
    try:
        excluded = exclude or list(config.exclude if config else ())
        return _checked(
            opened,
            own,
            ahead,
            bibs,
            loaded,
            broken_map,
            src,
            bibs_given,
            apart,
            excluded,
            use_cache,
            list_unused,
            selection,
            every_note,
            found_early,
        )
    finally:
        if ahead is not None:
            ahead.cancel()


def _checked(
    opened: list[tuple[Path, Iterator[Piece]]],
    own: list[DocumentBibliography | None],
    ahead: ScanAhead | None,
    bibs: list[Path],
    loaded: LoadedMap | None,
    broken_map: list[Problem],
    src: Sources,
    bibs_given: list[Path],
    apart: list[Path],
    excluded: list[str],
    use_cache: bool,
    list_unused: bool,
    selection: Selection,
    every_note: bool = False,
    found_early: list[Problem] | None = None,
) -> Report:
    """The manuscripts grouped by the bibliography they are checked against, each group checked
    once its bibliography is read (the helper's answer taken at the first); ``found_early``:
    the problems of what the documents name, reported with the rest."""
    from argmap.base.collector import gc_paused
    from argmap.checks.citations import (
        Report,
        check_bibliography,
        check_manuscript,
        check_map,
        check_nocite,
    )
    from argmap.citations.matcher import Matcher

    # The manuscripts grouped by the bibliography they are checked against, the map's (and the
    # staged files') first; each group is checked as one run, with its own matcher.
    default = (tuple(b.resolve() for b in bibs), None)
    groups: dict[tuple[tuple[Path, ...], str | None], _Group] = {}
    # what each manuscript is checked against, said once the groups are made
    notes: list[tuple[Path, str]] = []
    # (with no manuscript, the bibliographies given are checked on their own: --bib alone)
    if (
        loaded is not None
        or broken_map
        or bibs_given
        or not opened
        or any(c is None or not all(b.names_one for b in (c, *c.variants)) for c in own)
    ):
        groups[default] = _Group(tuple(bibs), None, [])
    for alone in apart:
        groups.setdefault(((alone.resolve(),), None), _Group((alone,), None, []))
    for (path, pieces), chosen in zip(opened, own, strict=True):
        if chosen is None:
            groups[default].manuscripts.append(_Member(path, pieces, id(pieces)))
            continue
        builds = [chosen, *chosen.variants]
        if len(builds) > 1:
            # checked once per bibliography its formats name: its pieces are kept to be read
            # again (the helper's scan stays under the opened manuscript's id)
            kept: Iterable[Piece] = list(pieces)
        for build in builds:
            tools = _tool_outputs(build)
            read = kept if len(builds) > 1 else pieces
            member = _Member(
                path,
                read,
                id(pieces),
                tools,
                build.output,
                build.labels,
                _tool_styles(build),
                build.typst,
                build.citeproc,
                build.nocite,
            )
            if not build.names_one:
                if build.note:
                    notes.append((path, build.note))
                elif tools:
                    notes.append((path, f"{display_path(path)}:{_tools_words(build)}"))
                groups[default].manuscripts.append(member)
                continue
            key = (
                tuple(f.resolve() for f in build.files),
                str(build.inline.source.resolve()) if build.inline else None,
            )
            if key != default or tools:
                # said when it changes what the manuscript is checked against (a document
                # naming the configuration's own file, built by citeproc, goes without a note)
                notes.append((path, build.note))
            group = groups.setdefault(key, _Group(build.files, build.inline, []))
            group.manuscripts.append(member)
    _say_notes(notes, every_note)
    report = Report(problems=[*broken_map, *(found_early or [])])
    # each opened manuscript's place among those the helper reads, by its pieces; how many
    # checks read it (once per bibliography its formats name); the helper's pieces of one read
    # more than once, kept for the next
    places = {id(pieces): index for index, (_, pieces) in enumerate(opened)}
    uses = Counter(member.scan for group in groups.values() for member in group.manuscripts)
    streamed: dict[int, list[tuple[Piece, list[Found] | None]]] = {}
    for number, (key, group) in enumerate(groups.items()):
        is_default = key == default
        bib = _group_bibliography(
            group, use_cache, is_default and src.shipped_bib and not bibs_given
        )
        made = _builds(group)
        tool = _one_tool(made)
        building = _tools_of(made)
        if tool == "bibtex":
            # BibTeX prints the first value of a field given twice (biber and pandoc, which
            # the reader follows, the last): those entries are read again (argmap.bib.repeats)
            from argmap.bib.repeats import use_first_values

            use_first_values(bib)
        if building and any(p.kind == "duplicate-key" for p in bib.problems):
            from argmap.checks.citations import duplicates_for_tools

            if tool == "pandoc":
                # pandoc prints the last copy of a key given twice (BibTeX and biber, whose
                # reading the reader follows, the first): those entries are read again
                from argmap.bib.repeats import use_last_copies

                use_last_copies(bib)
            duplicates_for_tools(bib, building)
        if building and "pandoc" not in building:
            _blank_undefined(bib, made)
        if building and (bib.case_crossrefs or (bib.inherits and tool == "bibtex")):
            # a crossref naming its parent in another case: found by BibTeX alone; any
            # inheritance, for BibTeX, which inherits fields under their own names and knows
            # no xdata or @set: so the links are resolved again for the tools that build these
            # documents (with several, as biber or pandoc reads them, the others' readings said
            # beside)
            from argmap.bib.inherit import link

            lead = tool or next(t for t in ("biber", "pandoc") if t in building)
            link(bib, tool=lead, others=tuple(t for t in building if t != lead))
        # the first group reports straight into the report; a later one into its own, merged in
        # (a file read by two groups reports its problems once)
        into = report if number == 0 else Report()
        # The collector stays paused from here to the report (for callers other than the
        # command, which pauses it for the whole run): the entries were frozen out of its reach
        # (``load_bib``), but what the checks make after (every entry, made by
        # ``check_bibliography``; the report) would set off a collection every 700 allocations.
        # A check makes almost no cycles; ``check_manuscript`` still collects the young ones of
        # a very long manuscript.
        with gc_paused():
            matcher = Matcher(bib, exclude=excluded)
            if number == 0 and ahead is not None:
                if monotonic() - ahead.started > _DRAIN_AFTER:
                    # a cold parse: the helper, held while the .bib was indexed, may still be
                    # scanning; what matching needs of the bibliography alone is made while it
                    # finishes, then its answer is taken whole, so that it ends before this
                    # process's peak (README, *The warm check, two cores*)
                    matcher.prepare()
                    if ahead.scanning():
                        matcher.prepare_fuzzy()
                    ahead.drain()
                elif not ahead.answered():
                    # while the helper is still scanning: what matching needs of the
                    # bibliography alone, made now rather than at the first citation it sends
                    matcher.prepare()
                    if ahead.scanning():
                        # and what a misspelt surname needs: this process would wait anyway
                        matcher.prepare_fuzzy()
            cited: set[str] = set()
            if loaded is not None and is_default:
                cited |= check_map(loaded, matcher, into)
            for member in group.manuscripts:
                before = len(into.problems)
                cited |= check_manuscript(
                    member.path,
                    matcher,
                    into,
                    member.pieces,
                    _scanned(ahead, member, places, uses, streamed),
                    member.tools,
                    member.labels,
                )
                if member.nocite is not None:
                    cited |= check_nocite(member.nocite, bib, into, member.tools)
                output = member.output
                if output:
                    # checked once per bibliography its formats name: each finding says which
                    into.problems[before:] = [
                        p._replace(message=f"{p.message} ({output})")
                        for p in into.problems[before:]
                    ]
            check_bibliography(
                bib,
                cited,
                loaded.map.article.key if loaded and is_default else None,
                into,
                owned_by_map=is_default
                and loaded is not None
                and src.bib_is_default
                and not bibs_given,
                list_unused=list_unused,
                builds=made,
            )
        if into is not report:
            _merge_into(report, into)
    with gc_paused():
        if len(opened) > 1:
            # only two manuscripts can read one file twice; a single one is left unhashed
            _drop_repeats(report)
        selection.apply(report, _suppressions(report))
    return report


# More manuscripts than this whose notes say the same (a 30-chapter book naming its refs.bib) are
# said in one line: under pre-commit, a failing commit's problems would follow pages of notes.
_NOTES_APART = 3
# the line numbers a note quotes ("named in its front matter (line 3)"), which differ by document
_NOTE_LINES = re.compile(r" \(lines? \d+(?:, \d+)*\)")


def _say_notes(notes: list[tuple[Path, str]], every_note: bool) -> None:
    """Say on stderr what each manuscript is checked against; more than ``_NOTES_APART`` notes
    that say the same of their manuscripts are one line, naming the first few (``--all``: one
    each)."""
    alike: dict[str, list[tuple[Path, str]]] = {}
    for path, note in notes:
        name = display_path(path)
        said = note.removeprefix(name) if note.startswith(name) else note
        alike.setdefault(_NOTE_LINES.sub("", said), []).append((path, note))
    for said, each in alike.items():
        if every_note or len(each) <= _NOTES_APART or not said.startswith((":", " (")):
            for _, note in each:
                say(f"note: {note}")
            continue
        names = ", ".join(display_path(path) for path, _ in each[:_NOTES_APART])
        # ": bibliography refs.bib, named ..." or " (format pdf): bibliography ..."
        label, _, what = said.partition(": ")
        say(
            f"note: {what}, for {len(each)} manuscripts{label}: {names} and "
            f"{len(each) - _NOTES_APART} more (--all: a note for each)"
        )


def _drop_repeats(report: Report) -> None:
    """Each citation and problem once: a chapter named beside the root file that includes it
    (as pre-commit passes both when both are staged) is read twice, and would be reported twice."""
    if len(set(report.citations)) != len(report.citations):
        report.citations[:] = list(dict.fromkeys(report.citations))
    if len(set(report.problems)) != len(report.problems):
        report.problems[:] = list(dict.fromkeys(report.problems))


# A FILE with one of these suffixes is a bibliography, not a manuscript (pre-commit passes a
# CSL-JSON or CSL-YAML export when the hook's files: pattern names it).
BIBLIOGRAPHY_FILES = (".bib", ".json", ".yaml", ".yml")


def _names_one(chosen: DocumentBibliography | None) -> bool:
    """Whether a document names a bibliography for each of its output formats (not only the
    tool it is built with)."""
    return chosen is not None and all(b.names_one for b in (chosen, *chosen.variants))


def _no_bibliography(
    named: list[Path],
    own: list[DocumentBibliography | None],
    several: bool = False,
    run: PandocRun | None = None,
) -> ArgmapError:
    """The usage error for manuscripts that name no bibliography when none is configured,
    naming them, the pandoc run's files that name none either, and the ways to give one."""

    nameless = [path for path, chosen in zip(named, own, strict=True) if not _names_one(chosen)]
    subject = "it names none" if len(nameless) == 1 else "they name none"
    if run is not None:
        given = [display_path(path) for path in run.defaults]
        given += [display_path(m.path) for m in run.metadata_files]
        subject += f", nor {'does' if len(given) == 1 else 'do'} {', '.join(given)}"
    from argmap.project.builds import quarto_project

    projects = {
        display_path(found): None
        for path in nameless
        if path.suffix.lower() in (".qmd", ".md", ".markdown", ".rmd", ".rmarkdown")
        and (found := quarto_project(path.parent)) is not None
    }
    if projects:
        subject += f", nor {'does' if len(projects) == 1 else 'do'} {', '.join(projects)}"
    why = (
        f"{subject}, and {'several bibliographies are staged' if several else 'none is configured'}"
    )
    if all(path.suffix.lower() in (".docx", ".odt") for path in nameless):
        # a Word or OpenDocument file has no place to name one
        hint = (
            "give --bib FILE (your reference manager's .bib or CSL-JSON export), or name it as "
            "bib = [...] under [tool.argmap] in pyproject.toml or argmap.toml (a Word or "
            "OpenDocument file cannot name its bibliography)"
        )
    else:
        hint = (
            "give --bib FILE, or name it in the document (bibliography: in its front matter, "
            "\\addbibresource{} in LaTeX), or as bib = [...] under [tool.argmap] in "
            "pyproject.toml or argmap.toml (argmap will not check a manuscript against its demo "
            "bibliography)"
        )
    if any(path.suffix.lower() in (".tex", ".ltx", ".rnw") for path in nameless):
        hint += (
            "; a LaTeX chapter takes its root file's: put % !TEX root = main.tex in its first lines"
        )
    hint += "; under pre-commit, leave out files that are no manuscripts with the hook's exclude:"
    shown = ", ".join(display_path(path) for path in nameless[:5])
    if len(nameless) > 5:
        shown += f" and {len(nameless) - 5} more"
    return ArgmapError(
        f"{shown}: no bibliography to check the manuscripts against: {why}", hint=hint
    )


def _say_nameless(nameless: list[Path], bib: Path, staged: int) -> None:
    """Say which staged bibliography the manuscripts that name none are checked against."""
    shown = ", ".join(display_path(path) for path in nameless[:_NOTES_APART])
    if len(nameless) > _NOTES_APART:
        shown += f" and {len(nameless) - _NOTES_APART} more"
    which = (
        "the one bibliography staged"
        if staged == 1
        else "the one staged bibliography no staged document names"
    )
    say(
        f"note: {shown}: {'names' if len(nameless) == 1 else 'name'} no bibliography; checked "
        f"against {display_path(bib)}, {which}"
    )


def _scanned(
    ahead: ScanAhead | None,
    member: _Member,
    places: dict[int, int],
    uses: Counter[int],
    streamed: dict[int, list[tuple[Piece, list[Found] | None]]],
) -> Scanned | None:
    """A manuscript's pieces with the citations the helper found in them, as they come (then,
    if it did not send them all, the rest for this process to scan); kept whole when the
    manuscript is checked more than once. None without a helper."""
    if ahead is None:
        return None
    if uses[member.scan] == 1:
        return ahead.pieces(places[member.scan], iter(member.pieces))
    kept = streamed.get(member.scan)
    if kept is None:
        kept = streamed[member.scan] = list(ahead.pieces(places[member.scan], iter(member.pieces)))
    return kept


class _Group(NamedTuple):
    """Manuscripts checked against one bibliography: its files, inline references, and the
    manuscripts opened."""

    files: tuple[Path, ...]
    inline: InlineReferences | None
    manuscripts: list[_Member]


class _Member(NamedTuple):
    """A manuscript of a group: its path, its pieces, the id its helper's scan is kept under,
    the tools it is built with when its project says (else as its reader supposes), the output
    formats checked so when they name different bibliographies ("format pdf"), and the labels
    its filters resolve (no citations)."""

    path: Path
    pieces: Iterable[Piece]
    scan: int
    tools: dict[str, str] | None = None
    output: str = ""
    labels: Labels | None = None  # what a filter resolves before citeproc: no citations
    # the style each of its tools is given, where the document writes one (biblio-style):
    # "bibtex" -> "apalike" (the .bst), "biber" -> "authoryear" (biblatex's style=)
    styles: dict[str, str] | None = None
    # the formats whose bibliography Typst reads itself (Quarto's typst), and whether pandoc's
    # citeproc builds another of its formats
    typst: tuple[str, ...] = ()
    citeproc: bool = True
    nocite: Nocite | None = None  # its metadata's nocite: entries cited without a citation


def _tool_outputs(chosen: DocumentBibliography) -> dict[str, str] | None:
    """The tools a document is built with, each with the outputs it builds."""
    if not chosen.tools:
        return None
    outputs: dict[str, list[str]] = {}
    for tool in chosen.tools:
        outputs.setdefault(tool.name, []).append(tool.output)
    return {name: ", ".join(o for o in found if o) for name, found in outputs.items()}


def _tool_styles(chosen: DocumentBibliography) -> dict[str, str] | None:
    """The style each tool of a document is given, where it writes one."""
    styles = {tool.name: tool.style for tool in chosen.tools if tool.style}
    return styles or None


def _tools_words(chosen: DocumentBibliography) -> str:
    """The note's words on the tools of a document that names no bibliography itself."""
    from argmap.project.documents import tools_note

    return tools_note(chosen.tools).removeprefix(";")


def _documents_beside(
    bib: Path, named: list[Path], run: PandocRun | None = None
) -> list[tuple[Path, DocumentBibliography]]:
    """The documents beside a staged bibliography that name it (not already named), said on
    stderr; ``run``: the ``--filter``s they are built with."""
    from argmap.project.documents import documents_naming

    found = documents_naming(bib, _read_manuscript, {path.resolve() for path in named}, run)
    if found:
        names = ", ".join(display_path(path) for path, _ in found[:_NOTES_APART])
        if len(found) > _NOTES_APART:
            names += f" and {len(found) - _NOTES_APART} more"
        say(
            f"note: {display_path(bib)}: checked with the documents beside it that name it: {names}"
        )
    return found


def _builds(group: _Group) -> list[Build]:
    """How each manuscript of a group is built (its tool and style), read from its text."""
    from argmap.project.styles import Build, document_build

    made: list[Build] = []
    for member in group.manuscripts:
        if member.typst:
            # Typst reads the bibliography of these formats (Hayagriva's BibTeX import)
            made.append(Build("pandoc", typst=member.typst))
        if member.typst and not member.citeproc:
            # (its pandoc tool is only the typst formats': no citeproc build beside)
            made.extend(
                Build(name, (member.styles or {}).get(name), member.path.parent.resolve())
                for name in member.tools or {}
                if name != "pandoc"
            )
            continue
        if member.tools:
            # a Markdown document its project builds with natbib or biblatex (or citeproc):
            # the tools its project says, each with the style pandoc's LaTeX template passes on
            # (biblio-style; else natbib's plainnat, biblatex's own default)
            from argmap.project.styles import BIBLATEX_DEFAULT_STYLE

            defaults = {"bibtex": "plainnat", "biber": BIBLATEX_DEFAULT_STYLE}
            styles = member.styles or {}
            made.extend(
                Build(name, styles.get(name) or defaults.get(name), member.path.parent.resolve())
                for name in member.tools
            )
        else:
            made.append(document_build(member.path, _read_manuscript))
    for member in group.manuscripts:
        if member.nocite is not None and member.nocite.every:
            # nocite: '@*': every entry is cited (pandoc prints them all; \nocite{*} for
            # natbib and biblatex), as a LaTeX document's \nocite{*}
            made.append(Build(None, all_entries=True))
    return made


def _blank_undefined(bib: Bibliography, builds: list[Build]) -> None:
    """For documents all built with BibTeX or biber, which read a field that is nothing but an
    undefined @string as empty (pandoc, which the reader follows, as the name): those fields
    taken out (``argmap.bib.undefined``), but for the names a document's .bst defines as a
    MACRO; nothing when a .bst cannot be read (its MACROs are not known)."""
    if not any(p.kind == "unresolved-string" for p in bib.problems):
        return
    defined: set[str] = set()
    for build in builds:
        if build.tool == "bibtex":
            macros = build.macros
            if macros is None:
                return
            defined |= macros
    from argmap.bib.undefined import blank_undefined

    blank_undefined(bib, defined)


def _one_tool(builds: list[Build]) -> str | None:
    """The one tool that builds the documents that tell theirs (None: none tells, or two)."""
    tools = {build.tool for build in builds if build.tool is not None}
    return tools.pop() if len(tools) == 1 else None


def _tools_of(builds: list[Build]) -> list[str]:
    """The tools that build the documents that tell theirs, each once, in a fixed order."""
    told = {build.tool for build in builds if build.tool is not None}
    return [tool for tool in ("bibtex", "biber", "pandoc") if tool in told]


def _named_bibliographies(
    named: list[Path], given: tuple[Path, ...] | None, run: PandocRun | None = None
) -> list[DocumentBibliography | None]:
    """The bibliography each manuscript names (None for one that names none); with ``given``
    (``--bib``), those files and its inline references."""
    from argmap.manuscripts.read import check_readable
    from argmap.project.documents import document_bibliography

    chosen: list[DocumentBibliography | None] = []
    for path in named:
        check_readable(path)
        chosen.append(document_bibliography(path, _read_manuscript, given, run))
    return chosen


def _group_bibliography(group: _Group, use_cache: bool, shipped: bool) -> Bibliography:
    """The bibliography a group of manuscripts is checked against: its files (through the
    cache) and its inline references, the inline entry winning a key in both."""
    bib = load_bib(group.files, use_cache, shipped) if group.files else None
    if group.inline is not None:
        from argmap.project.documents import inline_bibliography, with_inline

        inline = inline_bibliography(group.inline)
        if inline is not None:
            bib = with_inline(bib, inline)
    if bib is None:
        from argmap.bib.model import Bibliography

        # inline references that do not parse (the reader reports the block): nothing resolves
        bib = Bibliography(path=group.inline.source if group.inline else Path(), entries={})
    return bib


def _merge_into(report: Report, part: Report) -> None:
    """Add a group's findings to the report: its citations, the problems not already there
    (a bibliography file two groups read), the tools its documents are built with."""
    seen = set(report.problems)
    # a manuscript checked against two bibliographies (its formats name different ones) lists
    # a citation that reads the same in both once
    had = set(report.citations)
    report.citations.extend(c for c in part.citations if c not in had)
    report.problems.extend(p for p in part.problems if p not in seen)
    for tool, documents in part.tools.items():
        report.tools.setdefault(tool, {}).update(documents)


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
    *(".md", ".markdown", ".qmd", ".rmd", ".rmarkdown", ".tex", ".ltx", ".rnw", ".txt", ".text"),
    *(".yaml", ".yml"),
}


def _quarto_inputs() -> list[Path]:
    """The manuscripts a Quarto render is about to render, when Quarto's pre-render runs
    argmap (none otherwise); the files argmap does not read (a notebook) said in a note."""
    from argmap.manuscripts.read import SUFFIXES
    from argmap.project.prerender import quarto_render_inputs

    inputs = quarto_render_inputs(tuple(s for s in SUFFIXES if s))
    if inputs is None:
        return []
    if inputs.left_out:
        names = ", ".join(display_path(path) for path in inputs.left_out[:_NOTES_APART])
        more = len(inputs.left_out) - _NOTES_APART
        say(
            f"note: {inputs.source}: {names}{f' and {more} more' if more > 0 else ''} not "
            "checked (argmap reads no such file)"
        )
    return inputs.manuscripts


def _read_manuscript(path: Path) -> str:
    """A manuscript's text, for what its build names (bibliography, tool, style); an unreadable
    one is one error naming it."""
    from argmap.base.textio import read_text
    from argmap.errors import ManuscriptError

    return read_text(path, ManuscriptError, "manuscript")
