"""Whether a Markdown manuscript's YAML front matter is YAML pandoc reads: pandoc (as Quarto
and R Markdown) stops on a metadata block that does not parse, so the paper does not build.

PyYAML's libyaml parser is the one pandoc 2.x reads metadata with; only the parse is run (no
values are built), as pandoc accepts a date or number PyYAML could not build. PyYAML is
imported only for a manuscript that has front matter (~20 ms).
"""

from __future__ import annotations

import re
from pathlib import Path

from argmap.manuscripts.spans import Notice

# A top-level key: the field a problem lies in.
_TOP_KEY = re.compile(r"([^\s#:'\"-][^:]*?)[ \t]*:(?:\s|$)")


def front_matter_notice(path: Path, first_line: int, lines: list[str]) -> Notice | None:
    """The problem with the YAML of a metadata block whose ``---`` is line ``first_line`` and
    whose content is ``lines``, or None when pandoc reads it."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        yaml.compose("\n".join(lines), Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        context = error.context or ""
        if (
            mark is None
            or mark.line >= len(lines)
            or "flow" in context
            or "quoted" in context
            or "end of stream" in (error.problem or "")
        ):
            # a quote or bracket left open is found where the block or the next line goes on;
            # where it was opened is what to fix
            mark = error.context_mark or mark
        at = min(mark.line, len(lines) - 1) if mark is not None else 0
        what = "; ".join(part for part in (error.context, error.problem) if part)
        field = _field_of(lines, at)
        within = f" in '{field}'" if field else ""
        return Notice(
            "front-matter-invalid",
            path,
            first_line + 1 + at,
            f"the YAML front matter does not parse{within}: {what}; "
            "pandoc stops on it, so the document does not build",
            "fix the YAML: items of one list indented alike, a value holding ': ' quoted, "
            "quotes and brackets closed",
            error=True,
            column=mark.column + 1 if mark is not None else None,
        )
    except yaml.YAMLError as error:  # not raised by the parser for text, but never a traceback
        return Notice(
            "front-matter-invalid",
            path,
            first_line,
            f"the YAML front matter does not parse: {error}; pandoc stops on it",
            "fix the YAML",
            error=True,
        )
    return None


def _field_of(lines: list[str], at: int) -> str | None:
    """The top-level key whose value line ``at`` (0-based) of the block belongs to."""
    for text in reversed(lines[: at + 1]):
        if text[:1] not in ("", " ", "\t", "#", "-"):
            m = _TOP_KEY.match(text)
            return m.group(1) if m else None
    return None
