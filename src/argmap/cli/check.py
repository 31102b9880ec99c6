"""`argmap check-citations`: the map's and manuscripts' citations against the bibliographies
(its options; the work is ``argmap.cli.checking.run_check_citations``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import MapOption, NoCacheOption


def check_citations(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Manuscripts to check, and .bib files to check with the others (as pre-commit "
            "passes them).",
            show_default="a pandoc defaults file's input-files, else under Quarto's "
            "pre-render the files it renders, else the configuration's manuscripts",
            readable=False,
        ),
    ] = None,
    map_path: MapOption = None,
    bib_path: Annotated[
        list[Path] | None,
        typer.Option(
            "--bib",
            help="Bibliography: BibTeX/BibLaTeX .bib, CSL-JSON .json or CSL-YAML .yaml "
            "(repeatable); for every manuscript, in place of the one it names (its inline "
            "references: still count, as for pandoc --bibliography).",
            show_default="the one each manuscript names (front matter, \\addbibresource, "
            "_quarto.yml), else the configuration's bib, else refs.bib beside the map",
        ),
    ] = None,
    no_cache: NoCacheOption = False,
    defaults: Annotated[
        list[Path] | None,
        typer.Option(
            "--defaults",
            "-d",
            help="A pandoc defaults file the Markdown manuscripts are built with (repeatable, as "
            "pandoc -d FILE reads it: its bibliography, metadata, metadata-files, cite-method, "
            "filters, input-files; looked for in pandoc's user data directory too).",
            show_default="none (pandoc reads one only when named)",
            readable=False,
        ),
    ] = None,
    metadata_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--metadata-file",
            help="A pandoc metadata file (repeatable, a later one wins): its bibliography and "
            "references count where the document names none, as for pandoc --metadata-file.",
            show_default="none",
            readable=False,
        ),
    ] = None,
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="A filter the Markdown manuscripts are built with, as pandoc --filter or "
            "--lua-filter NAME (repeatable): the @ references pandoc-crossref and pandoc-ling "
            "resolve are no citations.",
            show_default="none, or the defaults file's filters",
        ),
    ] = None,
    quarto_profile: Annotated[
        list[str] | None,
        typer.Option(
            "--quarto-profile",
            help="The Quarto profile(s) the documents are rendered with, as quarto render "
            "--profile NAME (comma-separated, or repeated): their _quarto-NAME.yml are merged "
            "over _quarto.yml; it wins over QUARTO_PROFILE.",
            show_default="QUARTO_PROFILE, else the project's _environment and profile: default",
        ),
    ] = None,
    manuscripts: Annotated[
        list[Path] | None,
        typer.Option(
            "--manuscript",
            help="A manuscript to check (repeatable): .txt, .md, .qmd, .Rmd, .tex, .Rnw, .docx "
            "or .odt; LaTeX \\input and \\include, Quarto includes and knitr children are "
            "followed.",
            show_default="the configuration's manuscripts",
            readable=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--output-format",
            "--format",
            help="full, concise, json, github, sarif or gitlab (GitLab Code Quality); table: the "
            "old name of full.",
            show_default="full on a terminal, else concise",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Report only these codes or prefixes, e.g. CIT2,BIB101 (repeatable).",
            show_default="all, or the configuration's select",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            help="Never report these codes or prefixes, e.g. BIB103 (repeatable).",
            show_default="none, or the configuration's ignore",
        ),
    ] = None,
    warn_as_error: Annotated[
        list[str] | None,
        typer.Option(
            "--warn-as-error",
            help="Make warnings with these codes or prefixes errors (repeatable).",
            show_default="none, or the configuration's warn-as-error",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Make every warning an error (fail on warnings).")
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            help="An entry never to match in manuscripts, e.g. the manuscript's own (repeatable).",
            show_default="none, or the configuration's exclude",
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List info notes too, and in the full view every ok citation; on stderr, a "
            "note for each manuscript (more than three checked against the same bibliography "
            "are otherwise one).",
        ),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="A JSON report (--output-format json > FILE) whose problems are not reported "
            "again; new ones are. A problem is the same when its file, code, key and message "
            "are, wherever its line moved.",
            show_default="none",
            readable=False,
        ),
    ] = None,
    unused: Annotated[
        bool,
        typer.Option(
            "--unused",
            help="List the bibliography's entries that nothing cites (by default only the "
            "map's own refs.bib gets them, counted in one line).",
        ),
    ] = False,
) -> None:
    """Check the citations of the map and the manuscripts against the bibliographies.

    Each manuscript is checked against the bibliography it names (front matter,
    \\addbibresource, _quarto.yml), else the configuration's.

    Exit 0 without errors (warnings allowed), 1 with errors, 2 for unreadable input or usage.
    """
    from argmap.cli.checking import run_check_citations

    run_check_citations(
        files=files,
        map_path=map_path,
        bib_path=bib_path,
        no_cache=no_cache,
        manuscripts=manuscripts,
        fmt=fmt,
        select=select,
        ignore=ignore,
        warn_as_error=warn_as_error,
        strict=strict,
        exclude=exclude,
        show_all=show_all,
        unused=unused,
        baseline=baseline,
        defaults=defaults,
        metadata_files=metadata_files,
        quarto_profile=quarto_profile,
        filters=filters,
    )
