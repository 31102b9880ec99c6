"""pandoc's ``nocite`` metadata field: the entries a document cites without citing them in its
text, read as pandoc reads the field (as Markdown: each ``@key`` in it, ``@*`` for every entry)
from a document's metadata blocks, a composed YAML mapping (a Quarto project file, a pandoc
metadata file) or a string, and merged as Quarto merges its layers. Imported only for a
document or project file that writes ``nocite``: its class costs the usual check's start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from argmap.base.patterns import lazy
from argmap.manuscripts.named import metadata_blocks


class Nocite(NamedTuple):
    """The entries a document's metadata cites without citing them in its text (pandoc's
    ``nocite``, which pandoc reads as Markdown: each ``@key`` in it, ``@*`` for every entry),
    and where it is written."""

    keys: tuple[tuple[str, int], ...]  # each key with the line that writes it
    every: bool  # ``@*``: every entry of the bibliography
    source: Path
    line: int  # the line of ``nocite:``
    place: str  # "its front matter", "_quarto.yml"
    listed: bool = False  # written as a YAML list (Quarto joins two lists, a string replaces)


# A top-level ``nocite:`` of a metadata block, and a citation key in its value as pandoc reads
# one (``@key``, ``@{key}``, ``@*``; not inside a word, so not an e-mail address): its trailing
# punctuation is the sentence's, not the key's (pandoc's "internal punctuation").
_NOCITE_FIELD = lazy(r"nocite[ \t]*:(?=\s|$)")
_NOCITE_KEY = lazy(r"(?<![\w@.+-])@(?:\{([^\s{}]+)\}|(\*)|(\w[\w:.#$%&+?<>~/-]*))")
_KEY_TAIL = ":.#$%&+?<>~/-"


def nocite_keys(value: str, first_line: int) -> tuple[list[tuple[str, int]], bool]:
    """The keys a ``nocite`` value cites, each with its line (``value``'s first line being
    ``first_line``), and whether it holds ``@*``."""
    keys: list[tuple[str, int]] = []
    every = False
    for offset, line in enumerate(value.split("\n")):
        if "@" not in line:
            continue
        for m in _NOCITE_KEY().finditer(line):
            if m.group(2):
                every = True
                continue
            key = m.group(1) or m.group(3).rstrip(_KEY_TAIL)
            if key:
                keys.append((key, first_line + offset))
    return keys, every


def markdown_nocite(path: Path, text: str) -> Nocite | None:
    """The ``nocite`` of a Markdown document's metadata blocks (a later block's replaces an
    earlier one's, as pandoc reads them), None when none writes one. Its value is read as
    text, the way pandoc reads it as Markdown: ``'@a @b'``, ``|`` lines, a list of items."""
    if "nocite" not in text:
        return None
    found: Nocite | None = None
    for start, lines, place in metadata_blocks(text):
        for index, line in enumerate(lines):
            m = _NOCITE_FIELD().match(line)
            if m is None:
                continue
            value = [line[m.end() :]]
            for more in lines[index + 1 :]:
                # the value runs on over indented lines and a list's items at the margin
                if more.strip() and not more[:1].isspace() and not more.startswith("-"):
                    break
                value.append(more)
            keys, every = nocite_keys("\n".join(value), start + 1 + index)
            listed = any(more.lstrip().startswith("- ") for more in value[1:])
            found = Nocite(tuple(keys), every, path, start + 1 + index, place, listed)
    return found


def yaml_nocite(path: Path, node: Any, offset: int, place: str) -> Nocite | None:
    """The ``nocite`` of a composed YAML mapping ``node`` (a Quarto project file, a
    ``_metadata.yml``, a pandoc metadata file; lines shifted by ``offset``), None without one.
    A string's keys are given its first line (a ``|`` block's, each its own)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value != "nocite":
            continue
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        keys: list[tuple[str, int]] = []
        every = False
        for item in items:
            if not isinstance(item, yaml.ScalarNode):
                continue
            first = offset + item.start_mark.line + 1 + (item.style in ("|", ">"))
            found, all_of = nocite_keys(item.value, first)
            if item.style != "|":
                # (a folded or flow string's lines are not the file's)
                found = [(k, first) for k, _ in found]
            keys += found
            every = every or all_of
        line = offset + key.start_mark.line + 1
        listed = isinstance(value, yaml.SequenceNode)
        return Nocite(tuple(keys), every, path, line, place, listed)
    return None


def merged_nocite(base: Nocite | None, layer: Nocite | None) -> Nocite | None:
    """Quarto's ``mergeConfigs`` of two ``nocite`` values: a later string replaces an earlier
    one; when either is a list, the two are joined (its ``mergeArrayCustomizer``)."""
    if base is None or layer is None:
        return layer or base
    if base.listed or layer.listed:
        keys = (*base.keys, *layer.keys)
        return layer._replace(keys=keys, every=base.every or layer.every, listed=True)
    return layer
