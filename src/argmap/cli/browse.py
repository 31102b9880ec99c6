"""`argmap browse`: the interactive terminal browser (Textual is imported only here)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from argmap.cli.common import (
    BibOption,
    Lang,
    MapOption,
    NoCacheOption,
    fail,
    load,
    load_bib,
    project_config,
    sources,
)
from argmap.errors import ArgmapError


def interactive() -> bool:
    """Whether both ends of the session are a terminal, as a full-screen app needs."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def browse(
    map_path: MapOption = None,
    bib_path: BibOption = None,
    no_cache: NoCacheOption = False,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            help="Language to start in (l switches).",
            show_default="the configuration's lang, else the map's",
        ),
    ] = None,
    style: Annotated[
        str, typer.Option("--style", help="CSL style of the references, as for argmap refs.")
    ] = "apa",
    locale: Annotated[
        str, typer.Option("--locale", help="CSL locale of the references.")
    ] = "en-US",
) -> None:
    """Browse the argument: fold and unfold it, search it, trace claims and sources.

    Keys:
    ↑ ↓  move · → unfold · ← fold (or go up) · space fold or unfold
    tab  to the detail pane and back (↑ ↓ PgUp PgDn scroll it)
    /    search claims, evidence and sources; enter opens a result
    t    the chain from the diagnosis to the claim
    s    what rests on a source of the claim (pick one if it cites several);
         again: the claims resting on that source, to go to one
    l    switch language · esc back · q (or ctrl+c) quit
    """
    try:
        if not interactive():
            raise ArgmapError(
                "browse needs an interactive terminal",
                hint="use argmap show to print the tree, or argmap show --format json",
            )
        src = sources(map_path, bib_path)
        argmap = load(src, not no_cache).map
        # Without a refs.bib beside the map the citations are shown unchecked, and say so; a
        # --bib that names no file is an error like everywhere else.
        has_bib = bool(bib_path) or all(b.is_file() for b in src.bibs)
        bib = load_bib(src.bibs, not no_cache, src.shipped_bib) if has_bib else None
        from argmap.bib.refs import check_locale, style_path
        from argmap.browse.content import BrowseContent, format_cited

        # A wrong --style or --locale is reported here, before the screen is taken over; the
        # references themselves are formatted while the first screen is already up.
        style_path(style)
        check_locale(locale)
        content = BrowseContent(argmap, bib)
        from argmap.browse.app import BrowseApp

        config = project_config()
        if lang is not None:
            start = lang.value
        elif config is not None and config.lang:
            start = config.lang
        else:
            start = argmap.article.language
        if start not in content.languages:
            start = content.languages[0]
        BrowseApp(content, start, lambda: format_cited(argmap, bib, style, locale)).run()
    except ArgmapError as error:
        fail(error)
