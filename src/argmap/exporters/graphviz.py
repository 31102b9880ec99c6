"""SVG and PNG export: the DOT export drawn by Graphviz's ``dot`` program, when it is on PATH.

argmap does no layout of its own: Graphviz is the tool that does it well. Without it the
command says how to get it (or to export DOT and draw it elsewhere) and exits 2.
"""

from __future__ import annotations

import shutil
import subprocess

from argmap.errors import ArgmapError
from argmap.exporters import ExportContext, ExportFormat
from argmap.exporters.dot import export as export_dot

TIMEOUT = 300  # seconds; a map of thousands of claims lays out in well under a minute


def dot_program() -> str:
    """The path of Graphviz's ``dot``, or an error saying how to install it."""
    found = shutil.which("dot")
    if found is None:
        raise ArgmapError(
            "--format svg and png need Graphviz's 'dot' program, which is not on PATH",
            hint="install Graphviz (apt-get install graphviz, brew install graphviz, "
            "https://graphviz.org/download/) or use --format dot",
        )
    return found


def draw(ctx: ExportContext, fmt: ExportFormat) -> bytes:
    """The map's DOT export drawn by Graphviz as ``fmt`` (svg or png)."""
    program = dot_program()
    try:
        done = subprocess.run(
            [program, f"-T{fmt.value}"],
            input=export_dot(ctx).encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ArgmapError(f"Graphviz could not draw the map: {exc}") from None
    if done.returncode != 0 or not done.stdout:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ArgmapError(
            f"Graphviz could not draw the map: {said[0] if said else f'exit {done.returncode}'}",
            hint="export --format dot and run dot on it to see the whole message",
        )
    return done.stdout
