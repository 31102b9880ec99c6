"""The keys pandoc itself cites in a Markdown text (pandoc from pypandoc-binary, ``-t json``),
and those argmap reads in it: what the Markdown readers' tests compare."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pypandoc

from argmap.citations.scanner import scan_span
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.spans import Span


def _cited(node: Any, out: list[str]) -> list[str]:
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            out += [c["citationId"] for c in node["c"][0]]
        for value in node.values():
            _cited(value, out)
    elif isinstance(node, list):
        for value in node:
            _cited(value, out)
    return out


def pandoc_keys(text: str) -> list[str]:
    """The citation ids of ``text`` read as pandoc Markdown, in document order."""
    ast = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return _cited(json.loads(ast), [])


def argmap_keys(tmp_path: Path, text: str) -> list[str]:
    """The keys (or printed texts) argmap reads in ``text`` saved as ``paper.md``, in order."""
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    keys = []
    for piece in open_manuscript(path):
        assert isinstance(piece, Span)
        keys += [found.key or found.text for found in scan_span(piece)]
    return keys
