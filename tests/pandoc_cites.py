"""The keys pandoc itself cites in a Markdown text (pandoc from pypandoc-binary, ``-t json``):
what the Markdown readers' tests hold argmap's reading to."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pypandoc


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
