"""What the commands share: the Typer option types, and shell completion from the map; the rest
(choice enums, loading, output, errors) lives in ``argmap.cli.core``, which needs no Typer, and
is named here too for the command modules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.core import Choice as Choice
from argmap.cli.core import Lang as Lang
from argmap.cli.core import ShowFormat as ShowFormat
from argmap.cli.core import choice as choice
from argmap.cli.core import chosen_lang as chosen_lang
from argmap.cli.core import console_width as console_width
from argmap.cli.core import emit as emit
from argmap.cli.core import fail as fail
from argmap.cli.core import load as load
from argmap.cli.core import load_bib as load_bib
from argmap.cli.core import note_shipped as note_shipped
from argmap.cli.core import project_config as project_config
from argmap.cli.core import reset as reset
from argmap.cli.core import say as say
from argmap.cli.core import sources as sources
from argmap.cli.core import warn_missing as warn_missing
from argmap.errors import ArgmapError

if TYPE_CHECKING:
    from argmap.map.loader import LoadedMap


# Every path option is given readable=False: click's own check ("Path 'x' is not readable", in a
# box of usage help) would answer before argmap's reader, whose message names the file and says
# what to do, as for every other file that cannot be read.
MapOption = Annotated[
    Path | None,
    typer.Option(
        "--map",
        help="Map directory or YAML file.",
        readable=False,
        show_default="the configuration's map, else the nearest arguments/",
    ),
]
BibOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--bib",
        readable=False,
        help="Bibliography: BibTeX/BibLaTeX .bib, CSL-JSON .json or CSL-YAML .yaml (repeatable).",
        show_default="the configuration's bib, else refs.bib beside the map",
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor write the cache (also ARGMAP_NO_CACHE=1).",
    ),
]


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout.", readable=False),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of claims and labels.",
        show_default="the configuration's lang, else the map's article.language",
    ),
]


def _completion_map(ctx: typer.Context) -> LoadedMap | None:
    """The map a command being completed would read, quietly (None when it cannot be read)."""
    from argmap.map.loader import load_map
    from argmap.project.locate import resolve_sources

    try:
        map_path = ctx.params.get("map_path")
        src = resolve_sources(map_path, [], Path.cwd(), project_config())
        return load_map(src.map)
    except (ArgmapError, OSError):
        return None


def complete_claim_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the map's claim ids that start with what is typed."""
    loaded = _completion_map(ctx)
    if loaded is None:
        return []
    return [c.id for c in loaded.map.claims if c.id.lower().startswith(incomplete.lower())]


def complete_cited_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the BibTeX keys the map cites that start with what is typed."""
    loaded = _completion_map(ctx)
    if loaded is None:
        return []
    keys = {c.key for _, _, c in loaded.map.citations()}
    keys |= {k for claim in loaded.map.claims for k in claim.reported_from}
    return sorted(k for k in keys if k.startswith(incomplete))
