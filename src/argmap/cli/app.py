"""The Typer command-line layer: parse options, call the core, render, map errors to exit codes.

This is the only module that imports typer. Everything heavy is imported inside the command that
needs it, so that start-up stays fast.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from argmap import __version__
from argmap.errors import ArgmapError, ExitCode

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.map.loader import LoadedMap
    from argmap.project.locate import Sources

app = typer.Typer(
    name="argmap",
    help="Argument maps of scholarly papers, and their citations checked against BibTeX.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Lang(StrEnum):
    """Languages a map is shown in."""

    ES = "es"
    EN = "en"


class CheckFormat(StrEnum):
    """Formats of `argmap check-citations`."""

    TABLE = "table"
    JSON = "json"


class ShowFormat(StrEnum):
    """Formats of `argmap show`."""

    TREE = "tree"
    TEXT = "text"
    JSON = "json"


MapOption = Annotated[
    Path | None,
    typer.Option("--map", help="Map directory or YAML file [default: nearest arguments/]."),
]
BibOption = Annotated[
    Path | None, typer.Option("--bib", help="BibTeX file [default: refs.bib beside the map].")
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor write the cache (also ARGMAP_NO_CACHE=1).",
    ),
]


def fail(error: ArgmapError) -> NoReturn:
    """Print ``error`` to stderr, one line per problem, and exit with its code."""
    for line in str(error).splitlines():
        sys.stderr.write(f"argmap: error: {line}\n")
    raise typer.Exit(int(error.exit_code))


def sources(map_path: Path | None, bib_path: Path | None) -> Sources:
    """Where this command's map and bibliography are."""
    from argmap.project.locate import resolve_sources

    return resolve_sources(map_path, bib_path, Path.cwd())


def load(src: Sources) -> LoadedMap:
    """Load and validate the map at ``src``."""
    from argmap.map.loader import load_map

    return load_map(src.map)


def load_bib(path: Path, use_cache: bool = True) -> Bibliography:
    """Read the bibliography at ``path`` (from the cache while the file is unchanged)."""
    import gc

    from argmap.bib.model import load_bibliography

    bib = load_bibliography(path, use_cache=use_cache)
    # The entries live as long as the command and hold no cycles: keep the garbage collector
    # from scanning them at every later collection (a large file made that cost 0.3 s).
    gc.freeze()
    return bib


def console_width() -> int | None:
    """The width to render at: $COLUMNS when set, else Rich's own detection."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else None


def version_callback(value: bool) -> None:
    """Print the version and stop."""
    if value:
        sys.stdout.write(f"argmap {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Argument maps of scholarly papers, and their citations checked against BibTeX."""


@app.command()
def show(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the claims.")] = Lang.ES,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Show this claim's subtree and its path.")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", min=1, help="Show this many levels of claims.")
    ] = None,
    no_evidence: Annotated[
        bool, typer.Option("--no-evidence", help="Claims only, without evidence or citations.")
    ] = False,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.TREE,
) -> None:
    """Draw the argument from its diagnosis through to its recommendations."""
    try:
        src = sources(map_path, bib_path)
        loaded = load(src)
        if fmt is ShowFormat.JSON:
            from argmap.render.json import map_to_json

            sys.stdout.write(map_to_json(loaded.map))
            return
        if focus is not None and focus not in loaded.origins:
            from argmap.map.scope import unknown_claim

            raise unknown_claim("--focus", focus, loaded.map)
        bib = None if no_evidence else load_bib(src.bib, not no_cache)
        from argmap.render.outline import build_outline

        outline = build_outline(
            loaded.map, lang=lang.value, bib=bib, focus=focus, depth=depth, evidence=not no_evidence
        )
        if fmt is ShowFormat.TEXT:
            from argmap.render.text import render_text

            sys.stdout.write(render_text(outline, lang.value, width=console_width() or 100))
        else:
            from rich.console import Console

            from argmap.render.tree import render_tree

            Console(width=console_width(), soft_wrap=False).print(render_tree(outline, lang.value))
        if bib is not None:
            missing = sorted({c.key for _, _, c in loaded.map.citations() if c.key not in bib})
            if missing:
                sys.stderr.write(
                    f"argmap: {len(missing)} cited key(s) not in {src.bib.name}: "
                    f"{', '.join(missing)} (run argmap check-citations for details)\n"
                )
                raise typer.Exit(int(ExitCode.PROBLEMS))
    except ArgmapError as error:
        fail(error)


@app.command("check-citations")
def check_citations(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    manuscripts: Annotated[
        list[Path] | None,
        typer.Option("--manuscript", help="A .txt, .md or .tex file to check (repeatable)."),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = (
        CheckFormat.TABLE
    ),
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="An entry never to match in manuscripts, e.g. the manuscript's own (repeatable).",
        ),
    ] = None,
    show_ok: Annotated[
        bool, typer.Option("--all", help="List every citation, not only those with problems.")
    ] = False,
) -> None:
    """Check the map's citations and any manuscript's in-text citations against the .bib."""
    try:
        from argmap.checks.citations import (
            Report,
            check_bibliography,
            check_manuscript,
            check_map,
            scan_manuscript,
        )
        from argmap.citations.matcher import Matcher

        src = sources(map_path, bib_path)
        loaded = None if manuscripts and map_path is None and not _has_project() else load(src)
        scanned = [(path, scan_manuscript(path)) for path in manuscripts or []]
        bib = load_bib(src.bib, not no_cache)
        report = Report()
        matcher = Matcher(bib, exclude=exclude or ())
        cited: set[str] = set()
        if loaded is not None:
            cited |= check_map(loaded, matcher, report)
        for path, found in scanned:
            cited |= check_manuscript(path, matcher, report, found)
        check_bibliography(
            bib,
            cited,
            loaded.map.article.key if loaded else None,
            report,
            map_checked=loaded is not None,
        )
        if fmt is CheckFormat.JSON:
            from argmap.render.json import report_json

            sys.stdout.write(report_json(report))
        else:
            from rich.console import Console

            from argmap.render.report import print_report

            print_report(report, Console(width=console_width()), show_ok)
        summary = report.summary()
        if summary["errors"] or (strict and summary["warnings"]):
            raise typer.Exit(int(ExitCode.PROBLEMS))
    except ArgmapError as error:
        fail(error)


def _has_project() -> bool:
    """Whether the working directory is inside a project with an arguments/ directory."""
    from argmap.project.locate import find_project

    return find_project(Path.cwd()) is not None


Choice = TypeVar("Choice", bound=StrEnum)


def choice(enum: type[Choice], value: str, option: str, what: str) -> Choice:
    """``value`` as a member of ``enum``, or a usage error naming the nearest choice.

    (Options whose values load on demand are typed ``str`` and checked here, so that the
    command line does not import what the choices live in.)
    """
    try:
        return enum(value)
    except ValueError:
        from argmap.base.suggest import did_you_mean

        names = [member.value for member in enum]
        raise ArgmapError(
            f"{option}: unknown {what} '{value}'",
            hint=did_you_mean(value, names) or f"use one of: {', '.join(names)}",
        ) from None


def emit(text: str, output: Path | None, force: bool) -> None:
    """Print ``text``, or write it whole to ``output`` (never over a file without ``force``)."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from argmap.base.textio import write_atomic

    write_atomic(output, text, force=force)
    sys.stderr.write(f"argmap: wrote {output}\n")


def warn_missing(keys: list[str], bib: Path) -> None:
    """Say on stderr which cited keys the bibliography lacks, then exit 1."""
    if keys:
        sys.stderr.write(
            f"argmap: {len(keys)} cited key(s) not in {bib.name}: {', '.join(keys)} "
            "(run argmap check-citations for details)\n"
        )
        raise typer.Exit(int(ExitCode.PROBLEMS))


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of claims and labels.")]


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="markdown, mermaid, dot, argdown, aif, json, csl-json or bibtex.",
        ),
    ],
    output: OutputOption = None,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Only this claim and what hangs beneath it.")
    ] = None,
    force: ForceOption = False,
    lang: LangOption = Lang.ES,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Export the argument (or the part beneath --focus) for other tools."""
    try:
        from argmap.exporters import REGISTRY, ExportContext, ExportFormat, exporter
        from argmap.map.scope import cited_keys, focus_map

        chosen = choice(ExportFormat, fmt, "--format", "export format")
        spec = REGISTRY[chosen]
        src = sources(map_path, bib_path)
        part = focus_map(load(src).map, focus)
        bib = load_bib(src.bib, not no_cache) if spec.needs_bib else None
        bib_name = src.bib.name
        if output is not None and str(output) != "-":
            import os.path

            bib_name = os.path.relpath(src.bib.resolve(), output.resolve().parent)
        text = exporter(chosen)(
            ExportContext(map=part, lang=lang.value, bib=bib, bib_name=bib_name, focus=focus)
        )
        emit(text, output, force)
        if bib is not None:
            from argmap.bib.model import subset

            warn_missing(subset(bib, cited_keys(part))[1], src.bib)
    except ArgmapError as error:
        fail(error)


@app.command()
def schema(
    scope: Annotated[
        str,
        typer.Option(
            "--scope", help="file: one YAML file of a map (for editors); map: a whole map."
        ),
    ] = "file",
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema of the map, generated from its models."""
    try:
        from argmap.map.schema import SchemaScope, schema_json

        chosen = choice(SchemaScope, scope, "--scope", "scope")
        emit(schema_json(chosen), output, force)
    except ArgmapError as error:
        fail(error)


@app.command()
def trace(
    claim_id: Annotated[
        str | None, typer.Argument(help="The claim to trace from the root (e.g. R1).")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="A BibTeX key: every claim that rests on that source."),
    ] = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="tree or json.")] = ShowFormat.TREE,
    lang: LangOption = Lang.ES,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The chain from the diagnosis to a claim, or what rests on a source."""
    try:
        if (claim_id is None) == (source is None):
            raise ArgmapError(
                "trace takes a claim id or --source KEY, not both"
                if claim_id is not None
                else "trace needs a claim id or --source KEY",
                hint="e.g. argmap trace R1, or argmap trace --source piore1984",
            )
        from argmap.map.trace import trace_claim, trace_source

        src = sources(map_path, bib_path)
        argmap = load(src).map
        bib = load_bib(src.bib, not no_cache) if src.bib.is_file() else None
        if claim_id is not None:
            chain = trace_claim(argmap, claim_id)
            if fmt is ShowFormat.JSON:
                from argmap.render.trace import claim_trace_json

                sys.stdout.write(claim_trace_json(chain, lang.value, bib))
                return
            from argmap.render.trace import render_claim_trace

            rendering = render_claim_trace(chain, lang.value, bib)
        else:
            assert source is not None
            dependents = trace_source(argmap, source)
            if fmt is ShowFormat.JSON:
                from argmap.render.trace import source_trace_json

                sys.stdout.write(source_trace_json(dependents, lang.value))
                return
            from argmap.render.trace import render_source_trace

            rendering = render_source_trace(dependents, lang.value, bib)
        from rich.console import Console

        Console(width=console_width(), soft_wrap=False).print(rendering)
    except ArgmapError as error:
        fail(error)


@app.command()
def refs(
    style: Annotated[
        str,
        typer.Option(
            "--style", help="A CSL style name (apa, chicago-author-date, ...) or .csl file."
        ),
    ] = "apa",
    locale: Annotated[
        str, typer.Option("--locale", help="CSL locale: en-US, es-ES, es-MX, fr-FR, ...")
    ] = "en-US",
    used: Annotated[bool, typer.Option("--used", help="Only the entries the map cites.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text, markdown or html.")] = "text",
    output: OutputOption = None,
    force: ForceOption = False,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The reference list, formatted in a citation style (APA by default)."""
    try:
        from argmap.bib.model import subset
        from argmap.bib.refs import RefsFormat, format_references

        out_format = choice(RefsFormat, fmt, "--format", "format")
        src = sources(map_path, bib_path)
        bib = load_bib(src.bib, not no_cache)
        missing: list[str] = []
        if used:
            from argmap.map.scope import cited_keys

            entries, missing = subset(bib, cited_keys(load(src).map))
        else:
            entries = list(bib.entries.values())
        lines = format_references(entries, style, locale, out_format, bib)
        if out_format is RefsFormat.HTML:
            body = "\n".join(
                f'  <li id="ref-{e}">{line}</li>'
                for e, line in zip([e.key for e in entries], lines, strict=False)
            )
            text = f'<ol class="references">\n{body}\n</ol>\n'
        else:
            text = "\n\n".join(lines) + "\n"
        emit(text, output, force)
        warn_missing(missing, src.bib)
    except ArgmapError as error:
        fail(error)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the project.")],
    lang: Annotated[
        Lang, typer.Option("--lang", help="The language your paper is written in.")
    ] = Lang.ES,
    force: Annotated[
        bool, typer.Option("--force", help="Replace init's files if they exist.")
    ] = False,
) -> None:
    """Start the map of a follow-up paper: arguments/ with an example and a refs.bib."""
    try:
        from argmap.project.scaffold import init_project

        for path in init_project(directory, lang.value, force):
            sys.stderr.write(f"argmap: wrote {path}\n")
        sys.stderr.write(f"argmap: next: cd {directory} && argmap show\n")
    except ArgmapError as error:
        fail(error)
