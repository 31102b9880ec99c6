"""Word (.docx, through python-docx) and OpenDocument (.odt, its content.xml through lxml)
readers: one span per paragraph, located by paragraph number; Zotero (fields, and its bookmark
mode), Mendeley (Desktop's fields, Mendeley Cite's content controls) and EndNote citation fields
become FieldCitations (their visible text is not scanned again) and their bibliography is
skipped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argmap.errors import ManuscriptError
from argmap.manuscripts.fields import (
    MENDELEY_CITE_TAG,
    FieldCodeError,
    citation_items,
    citation_manager,
    is_bibliography,
)
from argmap.manuscripts.references import looks_like_entry, opens_references
from argmap.manuscripts.spans import FieldCitation, Notice, Piece, Span, Syntax

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Paragraph styles of code blocks (pandoc's "Source Code", Word's "HTML Preformatted"; in an
# .odt, LibreOffice's "Preformatted Text" and styles derived from it): their text is an example
# (BBT's zotero.lua test document shows the expected "(Billig, 1991, p. 2 …)" in one), no
# running text; a reference manager's field in one is still read.
_CODE_STYLE = re.compile(
    r"^(?:SourceCode|HTMLPreformatted|HTMLCode|Code|CodeBlock)$", re.IGNORECASE
)
_ODT_CODE_STYLES = frozenset({"Preformatted_20_Text", "Source_20_Code", "Source_20_Text"})
_HEADING_STYLE = re.compile(r"^(?:heading|title|t[ií]?tulo|berschrift|titre)", re.IGNORECASE)


@dataclass
class _Field:
    """A Word field being read: its instruction, then its visible result."""

    instruction: list[str] = field(default_factory=list)
    result: list[str] = field(default_factory=list)
    in_result: bool = False
    data: str = ""  # the begin mark's w:fldData (EndNote keeps its XML there, base64)


@dataclass
class _Paragraph:
    """What one paragraph holds: text to scan and the citation fields met in it."""

    text: list[str] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)


class _Fields:
    """Word's field state, which runs across paragraphs (a bibliography field spans many)."""

    def __init__(self, source: Path, bookmarks: dict[str, str] | None = None) -> None:
        self.source = source
        self.stack: list[_Field] = []
        # Zotero's bookmark mode: bookmark name -> its field code (kept in custom properties)
        self.bookmarks = bookmarks or {}
        self.open_bookmarks: dict[str, _Field] = {}  # bookmark id -> its field, while open
        # inside text tracked changes removed: a deletion (whose text Word keeps as w:delText)
        # or the old place of moved text (w:moveFrom, whose text is w:t, as the moved text's
        # new place has it): no text of the document once the changes are accepted
        self.removed = 0

    def text(self, value: str, paragraph: _Paragraph) -> None:
        """Visible text: to the innermost field's result, else to the paragraph."""
        if self.removed:
            return
        if self.stack and self.stack[-1].in_result:
            self.stack[-1].result.append(value)
        elif self.stack:
            return  # text between begin and separate belongs to no one
        else:
            paragraph.text.append(value)

    def close(self, number: int, paragraph: _Paragraph) -> None:
        """A field ends: a citation becomes a FieldCitation, a bibliography is dropped, the
        result of any other field is ordinary text."""
        done = self.stack.pop()
        instruction = "".join(done.instruction)
        if self.stack and done.data and not self.stack[-1].data and "EN.CITE.DATA" in instruction:
            # EndNote's data field nested in its citation field: the data is the citation's
            self.stack[-1].data = done.data
        self.finish(instruction, "".join(done.result), number, paragraph, done.data)

    def finish(
        self, instruction: str, result: str, number: int, paragraph: _Paragraph, data: str = ""
    ) -> None:
        """Place a field's result by its instruction (``data``: its w:fldData)."""
        manager = citation_manager(instruction)
        if manager is not None:
            try:
                formatted, items = citation_items(instruction, data)
            except FieldCodeError as exc:
                paragraph.pieces.append(
                    Notice(
                        "field-code-unreadable",
                        self.source,
                        None,
                        f"a {manager} citation field ({result.strip()!r}): {exc}; its visible "
                        "text is checked as running text instead",
                        f"refresh the citations in {manager}",
                        paragraph=number,
                    )
                )
                self.text(result, paragraph)
                return
            paragraph.pieces.append(
                FieldCitation(
                    self.source,
                    " ".join((result or formatted or "").split()),
                    items,
                    manager,
                    paragraph=number,
                )
            )
            self.text(" ", paragraph)
        elif is_bibliography(instruction):
            self.text(" ", paragraph)
        else:
            self.text(result, paragraph)


# The signature of an OLE Compound File: Word 97-2003's .doc, and any Office file encrypted with
# a password (its zip is then a stream inside one).
_COMPOUND_FILE = bytes.fromhex("D0CF11E0A1B11AE1")


def read_docx(path: Path) -> Iterator[Piece]:
    """The paragraphs of a Word file (body, tables, then footnotes and endnotes) as spans."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a dependency of argmap
        raise ManuscriptError(f"cannot read .docx: {exc}", path=path) from None
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        head = b""
    if path.name.startswith("~$") and not head.startswith(b"PK"):
        # Word's owner file: a few bytes with the user's name, written beside a document
        # while it is open (real writers' repositories commit them)
        raise ManuscriptError(
            "manuscript is Word's lock file of an open document (Word writes ~$… beside a "
            "document while it is open), not a document",
            path=path,
            hint="check the document itself; leave out files named ~$… (argmap's pre-commit "
            "hook does)",
        )
    if head == _COMPOUND_FILE:
        raise ManuscriptError(
            "manuscript is an old Word .doc, or a .docx protected by a password (a Compound "
            "File, not the zip of a .docx)",
            path=path,
            hint="save it as .docx without a password (Word: File › Save As › Word Document)",
        )
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ManuscriptError(
            f"not a readable Word .docx file ({type(exc).__name__}: {exc})",
            path=path,
            hint="open it in Word or LibreOffice and save it again as .docx",
        ) from None
    except Exception:  # a damaged zip or XML: lxml and zipfile raise many kinds
        raise ManuscriptError(
            "not a readable Word .docx file (its parts are missing or damaged)",
            path=path,
            hint="open it in Word or LibreOffice and save it again as .docx",
        ) from None
    bookmarks = _zotero_bookmarks(document)
    yield from _docx_paragraphs(path, document.element.body, bookmarks)
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if name in ("/word/footnotes.xml", "/word/endnotes.xml"):
            from docx.oxml import parse_xml

            kind = name.rsplit("/", 1)[1].removesuffix(".xml")
            yield from _docx_paragraphs(Path(f"{path}#{kind}"), parse_xml(part.blob), bookmarks)


_BOOKMARK_PART = re.compile(r"(ZOTERO_BREF_\w+?)_(\d+)")
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def _zotero_bookmarks(document: Any) -> dict[str, str]:
    """Zotero's bookmark mode (its "Bookmarks" field type): each citation is a bookmark
    ``ZOTERO_BREF_<id>`` whose field code is split over the custom document properties
    ``ZOTERO_BREF_<id>_1``, ``_2``, ... (docProps/custom.xml); bookmark name -> code."""
    from lxml import etree

    parts: dict[str, dict[int, str]] = {}
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/docProps/custom.xml":
            continue
        try:
            root = etree.fromstring(
                part.blob, etree.XMLParser(resolve_entities=False, no_network=True)
            )
        except etree.XMLSyntaxError:
            return {}  # no citation data to read: the bookmarks' text is read as running text
        for prop in root.iter(f"{_CUSTOM}property"):
            m = _BOOKMARK_PART.fullmatch(prop.get("name") or "")
            if m:
                parts.setdefault(m.group(1), {})[int(m.group(2))] = "".join(prop.itertext())
    return {name: "".join(p[i] for i in sorted(p)) for name, p in parts.items()}


def _docx_paragraphs(
    source: Path, root: Any, bookmarks: dict[str, str] | None = None
) -> Iterator[Piece]:
    """Spans and field citations of every ``w:p`` under ``root``, numbered from 1."""
    fields = _Fields(source, bookmarks)
    in_refs = False
    number = 0
    done_blocks: set[Any] = set()
    for p in root.iter(f"{_W}p"):
        if p.getparent() is not None and _inside_paragraph(p):
            continue  # a paragraph nested in another's text box is read with it
        number += 1
        paragraph = _Paragraph()
        block = _block_sdt(p)
        if block is not None:
            # a content control around whole paragraphs: a bibliography is skipped, a citation
            # read once, with the text of all its paragraphs
            if block in done_blocks:
                continue
            done_blocks.add(block)
            _read_sdt(block, fields, number, paragraph)
        else:
            _walk(p, fields, number, paragraph)
        text = "".join(paragraph.text)
        style = p.find(f"{_W}pPr/{_W}pStyle")
        style_name = (style.get(f"{_W}val") or "") if style is not None else ""
        is_heading = bool(_HEADING_STYLE.match(style_name))
        if opens_references(text):
            in_refs = True
        elif in_refs and is_heading:
            in_refs = False
        # the paragraph's field citations first: a manager's citation usually leads its text
        yield from paragraph.pieces
        if text.strip():
            running = not in_refs and not looks_like_entry(text)
            running = running and not _CODE_STYLE.match(style_name)
            yield Span(source, text, Syntax.WORD, None, number, running)


def _inside_paragraph(p: Any) -> bool:
    """Whether ``p`` lies inside another paragraph (a text box), so it is read with that one."""
    parent = p.getparent()
    while parent is not None:
        if parent.tag == f"{_W}p":
            return True
        parent = parent.getparent()
    return False


def _walk(element: Any, fields: _Fields, number: int, paragraph: _Paragraph) -> None:
    """Read ``element``'s text and fields in document order."""
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            fields.text(child.text or "", paragraph)
        elif tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
            fields.text(" ", paragraph)
        elif tag == f"{_W}instrText":
            if fields.stack and not fields.stack[-1].in_result and not fields.removed:
                fields.stack[-1].instruction.append(child.text or "")
        elif tag == f"{_W}fldChar":
            kind = child.get(f"{_W}fldCharType")
            if kind == "begin":
                data = child.find(f"{_W}fldData")
                fields.stack.append(_Field(data=(data.text or "") if data is not None else ""))
            elif kind == "separate" and fields.stack:
                fields.stack[-1].in_result = True
            elif kind == "end" and fields.stack:
                fields.close(number, paragraph)
        elif tag == f"{_W}fldSimple":
            inner = _Paragraph()
            saved, fields.stack = fields.stack, []
            _walk(child, fields, number, inner)
            fields.stack = saved
            paragraph.pieces.extend(inner.pieces)
            fields.finish(child.get(f"{_W}instr") or "", "".join(inner.text), number, paragraph)
        elif tag == f"{_W}bookmarkStart":
            code = fields.bookmarks.get(child.get(f"{_W}name") or "")
            if code is not None:
                opened = _Field([code], [], in_result=True)
                fields.stack.append(opened)
                fields.open_bookmarks[child.get(f"{_W}id") or ""] = opened
        elif tag == f"{_W}bookmarkEnd":
            closing = fields.open_bookmarks.pop(child.get(f"{_W}id") or "", None)
            if closing is not None and fields.stack and fields.stack[-1] is closing:
                fields.close(number, paragraph)
        elif tag in (f"{_W}delText", f"{_W}instrText"):
            continue
        elif tag in (f"{_W}del", f"{_W}moveFrom"):
            # a tracked deletion, or moved text's old place: its field marks still count (a
            # field may begin before the change and end inside it), its text does not
            fields.removed += 1
            _walk(child, fields, number, paragraph)
            fields.removed -= 1
        elif tag == _MC_FALLBACK and child.getprevious() is not None:
            # a text box or shape, written twice: for newer Word (mc:Choice) and as VML
            # (mc:Fallback); read once
            continue
        elif tag == f"{_W}txbxContent":
            # a text box's paragraphs, read with the paragraph that anchors it: kept apart
            # from its text and from each other
            fields.text(" ", paragraph)
            for inner in child:
                _walk(inner, fields, number, paragraph)
                fields.text(" ", paragraph)
        elif tag == f"{_W}sdt" and _sdt_tag(child):
            _read_sdt(child, fields, number, paragraph)
        else:
            _walk(child, fields, number, paragraph)


def _read_sdt(sdt: Any, fields: _Fields, number: int, paragraph: _Paragraph) -> None:
    """A content control a reference manager tagged (Mendeley Cite): its text is the
    citation's, or the bibliography's."""
    inner = _Paragraph()
    saved, fields.stack = fields.stack, []
    content = sdt.find(f"{_W}sdtContent")
    if content is not None:
        _walk(content, fields, number, inner)
    fields.stack = saved
    paragraph.pieces.extend(inner.pieces)
    fields.finish(_sdt_tag(sdt), "".join(inner.text), number, paragraph)


def _sdt_tag(sdt: Any) -> str:
    """The tag of a content control a reference manager wrote (Mendeley Cite's citation or
    bibliography), else ""."""
    tag = sdt.find(f"{_W}sdtPr/{_W}tag")
    value = (tag.get(f"{_W}val") or "") if tag is not None else ""
    return value if value.startswith(MENDELEY_CITE_TAG) or is_bibliography(value) else ""


def _block_sdt(p: Any) -> Any:
    """The reference manager's content control that holds paragraph ``p`` whole, if any."""
    parent = p.getparent()
    while parent is not None:
        if parent.tag == f"{_W}sdt" and _sdt_tag(parent):
            return parent
        parent = parent.getparent()
    return None


_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def read_odt(path: Path) -> Iterator[Piece]:
    """The paragraphs and headings of an OpenDocument text as spans; Zotero's reference marks
    (``ZOTERO_ITEM CSL_CITATION {...}``) as field citations, its bibliography section skipped."""
    # Only content.xml holds the text. odfpy (which this reader used) parses every part and
    # rewrites each before parsing: it adds an xmlns declaration it cannot see on the root's
    # first line, so a part whose declarations stand one per line (pandoc's styles.xml) gets
    # duplicate attributes; odfpy then printed the whole part to stdout and lost the text.
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml")
        # no DTD, no entities, no network: a manuscript is data, never instructions to fetch
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        root = etree.fromstring(content, parser)
    except KeyError:
        raise ManuscriptError(
            "not a readable OpenDocument .odt file (it has no content.xml)",
            path=path,
            hint="open it in LibreOffice and save it again as .odt",
        ) from None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError) as exc:
        raise ManuscriptError(
            f"not a readable OpenDocument .odt file ({type(exc).__name__}: {exc})",
            path=path,
            hint="open it in LibreOffice and save it again as .odt",
        ) from None
    state = _OdtState(path, _odt_code_styles(root))
    for text in root.iter("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text"):
        yield from state.block(text)


_ODF_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


def _odt_code_styles(root: Any) -> frozenset[str]:
    """The paragraph styles of an .odt's code blocks: the named ones, and the automatic styles
    (P1, P2, ...) derived from them."""
    names = set(_ODT_CODE_STYLES)
    for style in root.iter(f"{_ODF_STYLE}style"):
        if style.get(f"{_ODF_STYLE}parent-style-name") in _ODT_CODE_STYLES:
            names.add(style.get(f"{_ODF_STYLE}name") or "")
    return frozenset(names)


class _OdtState:
    """Paragraph numbering, reference-list state and open Zotero marks of an .odt being read."""

    def __init__(self, source: Path, code_styles: frozenset[str] = frozenset()) -> None:
        self.source = source
        self.code_styles = code_styles
        self.number = 0
        self.in_refs = False
        self.marks: dict[str, list[str]] = {}

    def block(self, element: Any) -> Iterator[Piece]:
        """Paragraphs and headings under ``element`` (sections, lists and tables walked)."""
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue  # a comment or processing instruction
            if tag in (f"{_ODF_TEXT}p", f"{_ODF_TEXT}h"):
                yield from self.paragraph(child, heading=tag == f"{_ODF_TEXT}h")
            elif tag == f"{_ODF_TEXT}section" and is_bibliography(
                child.get(f"{_ODF_TEXT}name") or ""
            ):
                continue
            elif tag == f"{_ODF_TEXT}tracked-changes":
                # the record of tracked changes: a deletion's text is kept here, out of the
                # document's flow (an insertion is in the flow, between its marks)
                continue
            else:
                yield from self.block(child)

    def paragraph(self, element: Any, heading: bool) -> Iterator[Piece]:
        """One paragraph: its span, then the citations of the marks it closes."""
        self.number += 1
        paragraph = _Paragraph()
        self.inline(element, paragraph)
        text = "".join(paragraph.text)
        if opens_references(text):
            self.in_refs = True
        elif self.in_refs and heading:
            self.in_refs = False
        yield from paragraph.pieces
        if text.strip():
            running = not self.in_refs and not looks_like_entry(text)
            running = running and element.get(f"{_ODF_TEXT}style-name") not in self.code_styles
            yield Span(self.source, text, Syntax.WORD, None, self.number, running)

    def inline(self, element: Any, paragraph: _Paragraph) -> None:
        """Text of a paragraph in order; text inside a Zotero mark goes to the mark."""
        if element.text:
            self.emit(element.text, paragraph)
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                self.inline_element(child, tag, paragraph)
            if child.tail:
                self.emit(child.tail, paragraph)

    def inline_element(self, child: Any, tag: str, paragraph: _Paragraph) -> None:
        """One element inside a paragraph (its own text, not its tail)."""
        if not tag.startswith(_ODF_TEXT):
            self.inline(child, paragraph)
            return
        local = tag[len(_ODF_TEXT) :]
        if local in ("s", "tab", "line-break"):
            count = (child.get(f"{_ODF_TEXT}c") or "1") if local == "s" else "1"
            # a run of spaces counts as one for the scanner; a huge count must not cost memory
            self.emit(" " * min(int(count), 8) if count.isdigit() else " ", paragraph)
        elif local == "note-citation":
            return
        elif local == "reference-mark-start":
            name = child.get(f"{_ODF_TEXT}name") or ""
            if citation_manager(name):
                self.marks[name] = []
        elif local == "reference-mark-end":
            name = child.get(f"{_ODF_TEXT}name") or ""
            if name in self.marks:
                result = "".join(self.marks.pop(name))
                fields = _Fields(self.source)
                fields.finish(name, result, self.number, paragraph)
        else:
            self.inline(child, paragraph)

    def emit(self, value: str, paragraph: _Paragraph) -> None:
        """Visible text: into every open Zotero mark, else into the paragraph."""
        if self.marks:
            for parts in self.marks.values():
                parts.append(value)
        else:
            paragraph.text.append(value)
