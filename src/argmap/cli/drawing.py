"""What `argmap show` does, apart from reading its command line: the same code whether Typer
read the options (``argmap.cli.show``) or the quick reader did (``argmap.cli.quick``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.cli.core import (
    Lang,
    ShowFormat,
    chosen_lang,
    console_width,
    fail,
    load_bib,
    read,
    say,
    sources,
)
from argmap.errors import ArgmapError, ExitCode

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.map.data import ClaimLike, MapData
    from argmap.map.loader import LoadedData
    from argmap.map.models import ArgumentMap
    from argmap.render.outline import Outline


def run_show(
    *,
    map_path: Path | None,
    bib_path: list[Path] | None,
    no_cache: bool,
    lang: Lang | None,
    focus: str | None,
    depth: int | None,
    no_evidence: bool,
    fmt: ShowFormat,
    pager: bool | None,
) -> None:
    """Draw the argument from its diagnosis through to its recommendations (see ``argmap show``)."""
    from argmap.base.collector import gc_paused

    # The run imports Pydantic, Rich and the map's modules and builds the map and the tree: many
    # objects, none of them garbage to collect before the run ends. The collector scanning them
    # again and again cost ~10 ms of a ~160 ms run (CPU, medians of 15); it is back on after.
    with gc_paused():
        try:
            src = sources(map_path, bib_path)
            # The map as plain objects: Pydantic is imported only for a file it must judge,
            # or for --format json (below), which is written from the models.
            loaded = read(src, not no_cache)
            language = chosen_lang(lang, loaded.map)
            if focus is not None and focus not in loaded.origins:
                from argmap.map.scope import unknown_claim

                raise unknown_claim("--focus", focus, loaded.map)
            if fmt is ShowFormat.JSON:
                if lang is not None:
                    raise ArgmapError(
                        "--lang: the JSON map holds every language of each claim",
                        hint="drop --lang, or use --format tree or text",
                    )
                from argmap.render.json import map_to_json

                argmap = loaded.as_models().map
                sys.stdout.write(map_to_json(_drawn_part(argmap, focus, depth, no_evidence)))
                return
            bib = None if no_evidence else load_bib(src.bibs, not no_cache, src.shipped_bib)
            from argmap.render.outline import build_outline

            outline: Outline[ClaimLike] = build_outline(
                loaded.map,
                lang=language.value,
                bib=bib,
                focus=focus,
                depth=depth,
                evidence=not no_evidence,
            )
            if fmt is ShowFormat.TEXT:
                from argmap.render.text import render_text

                text = render_text(outline, language.value, width=console_width() or 100)
            else:
                text = _tree_text(outline, language.value)
            _write(text, pager)
            if bib is not None:
                report_unknown_keys(loaded, bib, src.bibs)
        except ArgmapError as error:
            fail(error)


def _tree_text(outline: Outline[ClaimLike], lang: str) -> str:
    """The tree as Rich prints it at the terminal's (or $COLUMNS') width; laid out without
    importing Rich when Rich would print it without styles (piped or redirected)."""
    from argmap.render.layout import outline_tree, plain_lines, plain_target

    tree = outline_tree(outline, lang)
    target = plain_target(console_width())
    if target is not None:
        lines = plain_lines(tree, *target)
        if lines is not None:
            # (Rich pads a wrapped line with the spaces it broke at: written to a file, they
            # would be trailing whitespace, which pre-commit's hooks and diffs flag)
            return "".join(f"{line.rstrip()}\n" for line in lines)
    from rich.console import Console

    from argmap.render.tree import printed

    text = printed(tree, Console(width=console_width(), soft_wrap=False))
    if target is not None:
        text = "".join(f"{line.rstrip()}\n" for line in text.splitlines())
    return text


def report_unknown_keys(loaded: LoadedData, bib: Bibliography, bibs: tuple[Path, ...]) -> None:
    """The map's citations of keys the bibliography lacks, as check-citations' concise lines
    (code, file, line, the nearest keys) on stderr, then exit 1."""
    if not any(bib.get(key) is None for key in cited_keys(loaded.map)):
        # check_map reports an unknown key only where this lookup fails: with every key found
        # there is nothing to report, and the check (and its fuzzy matcher) need not be loaded.
        return
    from argmap.checks.citations import Report, check_map
    from argmap.citations.matcher import Matcher
    from argmap.render.concise import problem_line

    report = Report()
    check_map(loaded.as_models(), Matcher(bib), report)
    unknown = [p for p in report.problems if p.kind == "unknown-key"]
    if unknown:
        for problem in unknown:
            sys.stderr.write(f"{problem_line(problem)}\n")
        cited = "1 citation of a key" if len(unknown) == 1 else f"{len(unknown)} citations of keys"
        say(
            f"{cited} not in {', '.join(b.name for b in bibs)} "
            "(argmap check-citations lists every problem)"
        )
        raise SystemExit(int(ExitCode.PROBLEMS))


def cited_keys(argmap: MapData) -> set[str]:
    """Every key the map cites: in its evidence, and as the source of a reported claim."""
    keys = {citation.key for _, _, citation in argmap.citations()}
    return keys.union(*(claim.reported_from for claim in argmap.claims))


def _drawn_part(
    argmap: ArgumentMap, focus: str | None, depth: int | None, no_evidence: bool
) -> ArgumentMap:
    """The claims the tree would draw under --focus and --depth, each whole (without evidence
    under --no-evidence), relations to claims left out dropped."""
    if focus is None and depth is None and not no_evidence:
        return argmap
    from argmap.map.scope import restrict
    from argmap.render.outline import build_outline

    outline = build_outline(argmap, lang=argmap.article.language, focus=focus, depth=depth)
    part = restrict(argmap, outline.claim_ids())
    if no_evidence:
        claims = [c.model_copy(update={"evidence": []}) for c in part.claims]
        part = part.model_copy(update={"claims": claims})
    return part


def _write(text: str, pager: bool | None) -> None:
    """Print ``text``, through the pager when asked or when it is taller than the terminal."""
    from argmap.base.pager import page, should_page

    if should_page(pager, text):
        page(text, required=bool(pager))
    else:
        sys.stdout.write(text)
