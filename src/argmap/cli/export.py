"""`argmap export`: the argument in another tool's format."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    ForceOption,
    LangOption,
    MapOption,
    NoCacheOption,
    OutputOption,
    choice,
    chosen_lang,
    complete_claim_ids,
    emit,
    fail,
    load,
    load_bib,
    sources,
    warn_missing,
)
from argmap.errors import ArgmapError


def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="markdown, html, mermaid, dot, svg, png, argdown, aif, json, csl-json or bibtex.",
        ),
    ],
    output: OutputOption = None,
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus",
            help="Only this claim and what hangs beneath it.",
            autocompletion=complete_claim_ids,
        ),
    ] = None,
    labels: Annotated[
        str | None,
        typer.Option(
            "--labels",
            help="Diagrams: id, short (id, kind, first clause) or full text "
            "(default: short above 20 claims, else full).",
        ),
    ] = None,
    evidence: Annotated[
        bool | None,
        typer.Option(
            "--evidence/--no-evidence",
            help="Diagrams: draw the evidence (default: only up to 20 claims).",
            show_default=False,
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option("--depth", min=1, help="Diagrams and markdown: only N levels of claims."),
    ] = None,
    clusters: Annotated[
        bool,
        typer.Option("--clusters/--no-clusters", help="Diagrams: group nodes by section."),
    ] = True,
    force: ForceOption = False,
    lang: LangOption = None,
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Export the argument (or the part beneath --focus) for other tools."""
    try:
        from argmap.exporters import DIAGRAMS, REGISTRY, ExportContext, ExportFormat, export_bytes
        from argmap.map.scope import cited_keys, focus_map

        chosen = choice(ExportFormat, fmt, "--format", "export format")
        spec = REGISTRY[chosen]
        if labels is not None:
            from argmap.exporters.diagram import Labels

            labels = choice(Labels, labels, "--labels", "label style").value
        diagram_only = {
            "--labels": labels is not None,
            "--evidence/--no-evidence": evidence is not None,
            "--no-clusters": not clusters,
        }
        if chosen.value not in DIAGRAMS and any(diagram_only.values()):
            given = next(name for name, on in diagram_only.items() if on)
            raise ArgmapError(
                f"{given} applies only to diagrams, not to --format {chosen.value}",
                hint="use it with --format dot, mermaid, svg or png",
            )
        # the outline of the Markdown export is show's tree, which --depth cuts as show does
        if depth is not None and chosen.value not in (*DIAGRAMS, "markdown"):
            raise ArgmapError(
                f"--depth applies only to diagrams and markdown, not to --format {chosen.value}",
                hint="use it with --format markdown, dot, mermaid, svg or png",
            )
        if spec.drawn_from is not None and output is None and sys.stdout.isatty():
            raise ArgmapError(
                f"--format {chosen.value} is an image; it is not printed to a terminal",
                hint=f"write it to a file: -o map{spec.suffix}",
            )
        if output is not None and str(output) != "-":
            from argmap.base.textio import output_target

            # refused before the map is read and exported, as refs does
            output_target(output, force)
        src = sources(map_path, bib_path)
        loaded = load(src, not no_cache)
        language = chosen_lang(lang, loaded.map)
        part = focus_map(loaded.map, focus)
        bib = load_bib(src.bibs, not no_cache, src.shipped_bib) if spec.needs_bib else None
        # the Markdown front matter names every bibliography (pandoc takes a list)
        names = [p.name for p in src.bibs]
        if output is not None and str(output) != "-":
            import os.path

            # (realpath: Path.resolve raises on a loop of links where realpath gives up quietly)
            folder = os.path.dirname(os.path.realpath(output))
            names = [os.path.relpath(os.path.realpath(p), folder) for p in src.bibs]
        ctx = ExportContext(
            map=part,
            lang=language.value,
            bib=bib,
            bib_name=names[0],
            focus=focus,
            bib_names=tuple(names),
            labels=labels,
            evidence=evidence,
            depth=depth,
            clusters=clusters,
        )
        emit(export_bytes(chosen, ctx), output, force, inputs=(*src.bibs, *loaded.files))
        if bib is not None:
            from argmap.bib.model import subset

            warn_missing(subset(bib, cited_keys(part))[1], src.bibs, loaded, bib)
    except ArgmapError as error:
        fail(error)
