"""How a manuscript's bibliography is built: the tool (BibTeX, biber, pandoc) and the style it
names, and the entry types that style accepts, read from the style's own files.

- BibTeX: ``\\bibliographystyle{S}`` names ``S.bst``; BibTeX 0.99d calls, for an entry of type
  ``T``, the style's ``FUNCTION {T}`` when there is one ("entry type for ... isn't style-file
  defined" otherwise), so the types are the style's function names.
- biblatex and biber: ``style=``, ``bibstyle=`` (``\\usepackage[style=apa]{biblatex}``, or
  ``biblatex-chicago``'s own options) name ``S.bbx``; biblatex prints an entry with the driver
  of its type (``\\DeclareBibliographyDriver``, ``\\DeclareBibliographyAlias``) of the style and
  the styles it requires (``\\RequireBibliographyStyle``), warning "No driver for 'T'" otherwise.
- pandoc (2.17 and 3.9): its BibTeX reader maps the types below to CSL types whatever the
  ``csl:`` style; any other type becomes an item of no type, silently.

The style files are found with ``kpsewhich`` from the document's folder (as BibTeX and LaTeX
find them there, then in the TeX distribution); a style that cannot be found or read is
"unknown": its types are None and the reason is kept, to be said in the BIB104 warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from argmap.base.patterns import lazy

# The BibTeX types pandoc's reader maps to a CSL type (``pandoc -f bibtex -t csljson``, 2.17 and
# 3.9 alike, on every type of biblatex's data model and of BibTeX, and of the styles below):
# ``@misc``, ``@set`` and ``@conference`` are read too, as items of no type, as every other is.
PANDOC_TYPES = frozenset(
    """article book mvbook inbook bookinbook suppbook booklet collection mvcollection
    incollection suppcollection dataset data manual misc online patent periodical suppperiodical
    proceedings mvproceedings inproceedings conference reference mvreference inreference report
    set software thesis unpublished mastersthesis phdthesis techreport electronic www artwork
    audio commentary image jurisdiction legislation legal letter movie music performance review
    standard video""".split()
)

# The BibTeX types Typst (0.15) reads as a type of its own: typst/biblatex's ``EntryType``
# (``mechanics.rs``: its names, and the aliases ``conference``, ``electronic``, ``www``), each
# mapped by Hayagriva's BibTeX import (``src/interop.rs``) to a Hayagriva type; any other type
# is ``EntryType::Unknown``, which Hayagriva reads as ``misc``, silently (checked with the
# typst 0.15 binding: every type cited, none warned of).
TYPST_TYPES = frozenset(
    """article book booklet inbook incollection inproceedings manual mastersthesis phdthesis
    misc proceedings techreport unpublished mvbook bookinbook suppbook periodical
    suppperiodical collection mvcollection suppcollection reference mvreference inreference
    mvproceedings report patent thesis online software dataset set xdata conference electronic
    www""".split()
)

# biblatex's default style when none is named
BIBLATEX_DEFAULT_STYLE = "numeric"
# the .bst biblatex has BibTeX run with backend=bibtex
BIBLATEX_BST = "biblatex"


class Build:
    """How one manuscript's bibliography is built: the tool ("bibtex", "biber", "pandoc"; None
    when the document does not tell), the style as named (None: none named), and the folder its
    style files are looked for from. The entry types the style accepts are read when first
    asked for (``types``; None when unknown, ``why`` saying why): a biblatex style's files are
    read only when an entry type needs judging."""

    __slots__ = ("_read", "all_entries", "files", "folder", "style", "tool", "typst")

    def __init__(
        self,
        tool: str | None,
        style: str | None = None,
        folder: Path | None = None,
        why: str = "",
        all_entries: bool = False,
        typst: tuple[str, ...] = (),
    ) -> None:
        self.tool = tool
        # the output formats (Quarto's typst) whose bibliography Typst reads, not pandoc
        self.typst = typst
        # the document cites every entry (``\nocite{*}``): BibTeX reads them all, not only
        # those cited
        self.all_entries = all_entries
        self.style = style
        self.folder = folder
        # the style's files: "bst" (BibTeX's; biblatex.bst with backend=bibtex) or "bbx"
        self.files = "bst" if tool == "bibtex" else "bbx" if tool == "biber" else ""
        self._read: tuple[frozenset[str] | None, str] | None = (
            None if style is not None and self.files else (None, why)
        )

    def __repr__(self) -> str:
        return f"Build({self.tool!r}, {self.style!r})"

    def _types(self) -> tuple[frozenset[str] | None, str]:
        if self._read is None:
            assert self.style is not None
            self._read = style_types(self.files, self.style, self.folder or Path("."))
        return self._read

    @property
    def types(self) -> frozenset[str] | None:
        """The entry types (lower case) the style accepts, or None when unknown."""
        return self._types()[0]

    @property
    def why(self) -> str:
        """Why the types are unknown ("" when known, or when no style is named)."""
        return self._types()[1]

    def bst_says(self, words: str) -> bool:
        """Whether the document's .bst holds ``words`` in its code (a warning's text, such as
        "need editor, key, or booktitle for "); False for any other style."""
        if self.files != "bst" or self.style is None:
            return False
        return _bst_says(self.style, self.folder or Path("."), words)

    @property
    def macros(self) -> frozenset[str] | None:
        """The names (lower case) of the .bst's ``MACRO``s, which BibTeX defines as @strings
        for the .bib (plain.bst's month and journal names, abnTeX2's Portuguese months); None
        for another style, or one that cannot be read."""
        if self.files != "bst" or self.style is None:
            return None
        code = style_code(self.style, self.folder or Path("."))
        if code is None:
            return None
        return frozenset(m.lower() for m in _BST_MACRO().findall(code))

    @property
    def entry_fields(self) -> frozenset[str] | None:
        """The fields (lower case) the .bst declares in its ``ENTRY``, the only ones BibTeX
        reads of an entry (with ``crossref``); None for another style, or one not read."""
        if self.files != "bst" or self.style is None:
            return None
        code = style_code(self.style, self.folder or Path("."))
        found = None if code is None else _BST_ENTRY().search(code)
        if found is None:
            return None
        return frozenset({*found.group(1).lower().split(), "crossref"})

    def required(self, entry_type: str, crossref: bool) -> tuple[str, ...] | None:
        """The fields the .bst's function for ``entry_type`` warns of when empty ("empty
        publisher in KEY"), as specs ("author|editor" for its "author and editor"), for an
        entry whose crossref BibTeX keeps (``crossref``) or not; None for another style, or
        where the .bst's function cannot be read."""
        if self.files != "bst" or self.style is None or self.style == BIBLATEX_BST:
            return None
        return bst_required(self.style, self.folder or Path("."), entry_type, crossref)

    def all_empty(self) -> tuple[tuple[str, ...], bool, frozenset[str]] | None:
        """What the .bst's "all relevant fields are empty in KEY" asks (``bst_all_empty``);
        None for another style, or a .bst without that check."""
        if self.files != "bst" or self.style is None or self.style == BIBLATEX_BST:
            return None
        return bst_all_empty(self.style, self.folder or Path("."))

    def accepts(self, entry_type: str) -> bool | None:
        """Whether the style accepts ``entry_type`` (lower case); None when argmap cannot tell.
        For biblatex, the type as biber maps it (``@phdthesis`` is a ``thesis``)."""
        if self.typst:
            return entry_type in TYPST_TYPES
        if self.tool == "pandoc":
            return entry_type in PANDOC_TYPES
        types = self.types
        if types is None:
            return None
        if self.files == "bbx":
            from argmap.bib.datamodel import TYPE_ALIASES

            entry_type = TYPE_ALIASES.get(entry_type, entry_type)
        return entry_type in types

    @property
    def fallback(self) -> bool:
        """Whether a biblatex style has a fallback driver for the types it has none for."""
        types = self.types
        return types is not None and "*" in types


_BIBLIOGRAPHY_STYLE = lazy(r"\\bibliographystyle\s*\{\s*([^{}\s]+)\s*\}")
_BIBLATEX_OPTIONS = lazy(
    r"\\(?:usepackage|RequirePackage)\s*(?:\[([^\]]*)\])?\s*\{\s*(biblatex(?:-chicago)?)\s*\}"
)
_ABNTEX2CITE = lazy(r"\\usepackage\s*(?:\[([^\]]*)\])?\s*\{\s*abntex2cite\s*\}")
_OPTION = lazy(r"\b(style|bibstyle)\s*=\s*([\w.-]+)")
# biblatex-chicago's options and the style each loads (biblatex-chicago.sty); notes by default
_CHICAGO = {
    "authordate": "chicago-authordate",
    "authordate-trad": "chicago-authordate-trad",
    "authordate16": "chicago-authordate16",
    "authordate-trad16": "chicago-authordate-trad16",
    "notes16": "chicago-notes16",
}


def document_build(path: Path, read: Callable[[Path], str]) -> Build:
    """The tool and style of the manuscript ``path`` (``read`` reads a text file): pandoc for
    Markdown, Quarto and R Markdown; for LaTeX the tool its root file and inputs load, with the
    style they name; nothing for other formats."""
    from argmap.project.documents import LATEX, MARKDOWN

    suffix = path.suffix.lower()
    if suffix in MARKDOWN:
        return Build("pandoc")
    if suffix not in LATEX:
        return Build(None)
    from argmap.errors import ManuscriptError
    from argmap.manuscripts.latex import bibliography_tool, document_lines

    try:
        text = read(path)
    except ManuscriptError:
        return Build(None)  # the reading proper reports it
    tool = bibliography_tool(path, text, read)
    if tool is None:
        return Build(None)
    lines = list(document_lines(path, text, read))
    style = latex_style(lines, tool)
    every = any("nocite" in line and _NOCITE_ALL().search(line) for line in lines)
    if (
        tool == "bibtex"
        and style is None
        and any(_BIBLATEX_OPTIONS().search(line) for line in lines)
    ):
        # biblatex with backend=bibtex: BibTeX runs biblatex.bst, which warns "entry type ...
        # isn't style-file defined" for a type it lacks (checked: @presentation, @webpage with
        # style=authoryear; biblatex then gives no "No driver")
        style = BIBLATEX_BST
    if style is None:
        if tool == "biber":
            style = BIBLATEX_DEFAULT_STYLE
        else:
            return Build(
                tool, None, None, "the document names no \\bibliographystyle", all_entries=every
            )
    return Build(tool, style, path.parent.resolve(), all_entries=every)


# ``\nocite{*}``: every entry of the bibliography is cited (BibTeX reads them all); so is it with
# ``*`` among other keys (``\nocite{child,*}``: LaTeX writes ``\citation{*}`` for it too)
_NOCITE_ALL = lazy(r"\\nocite\s*\{(?:[^{}]*,)?\s*\*\s*(?:,[^{}]*)?\}")


def latex_style(lines: Iterable[str], tool: str) -> str | None:
    """The style a LaTeX document's lines name for ``tool``: the first ``\\bibliographystyle``
    for BibTeX (a second one is its "Illegal, another \\bibstyle command"); for biblatex,
    ``bibstyle=``, else ``style=`` of the package's options (the last one given), or
    biblatex-chicago's. Without a ``\\bibliographystyle``, abnTeX2's ``abntex2cite`` names
    its own (``abntex2-alf`` with its ``alf`` option, else ``abntex2-num``)."""
    bst: str | None = None
    abnt: str | None = None
    options: dict[str, str] = {}
    for line in lines:
        for m in _BIBLIOGRAPHY_STYLE().finditer(line):
            if bst is None:
                bst = m.group(1)
        for m in _BIBLATEX_OPTIONS().finditer(line):
            given = m.group(1) or ""
            if m.group(2) == "biblatex-chicago":
                words = {w.strip() for w in given.split(",")}
                chosen = next((s for o, s in _CHICAGO.items() if o in words), "chicago-notes")
                options.setdefault("style", chosen)
            for option in _OPTION().finditer(given):
                options[option.group(1)] = option.group(2)
        if bst is None:
            for m in _ABNTEX2CITE().finditer(line):
                # abnTeX2's citation package writes its own \bibstyle: abntex2-alf with
                # the alf option, else abntex2-num (its default, num)
                words = {w.strip() for w in (m.group(1) or "").split(",")}
                abnt = "abntex2-alf" if "alf" in words else "abntex2-num"
    if tool == "bibtex":
        return bst or abnt
    return options.get("bibstyle") or options.get("style")


@lru_cache(maxsize=32)
def style_types(files: str, style: str, folder: Path) -> tuple[frozenset[str] | None, str]:
    """The entry types the style ``style`` accepts, read from its ``files`` ("bst": BibTeX's,
    "bbx": biblatex's) as kpathsea finds them from ``folder``; (None, why) when they cannot be
    read."""
    if files == "bst":
        name = style if style.endswith(".bst") else f"{style}.bst"
        text, why = _style_file(name, folder)
        if text is None:
            return None, why
        return frozenset(m.lower() for m in _BST_FUNCTION().findall(_bst_code(text))), ""
    if files == "bbx":
        return _bbx_types(style, folder)
    return None, ""


@lru_cache(maxsize=32)
def style_code(style: str, folder: Path) -> str | None:
    """The code of the .bst ``style`` as kpathsea finds it from ``folder`` (its comments
    stripped), or None when it cannot be read."""
    name = style if style.endswith(".bst") else f"{style}.bst"
    text, _ = _style_file(name, folder)
    return None if text is None else _bst_code(text)


@lru_cache(maxsize=256)
def _bst_says(style: str, folder: Path, words: str) -> bool:
    """Whether the code of the .bst ``style`` holds ``words`` (asked once per entry checked:
    the answer is kept rather than searched for again in its 30-odd kilobytes)."""
    code = style_code(style, folder)
    return code is not None and words in code


_BST_FUNCTION_BODY = lazy(r"\bFUNCTION\s*\{\s*([^{}\s]+)\s*\}\s*\{", re.IGNORECASE)
# a field checked by the standard styles' output.check: "empty LABEL in KEY" when it is empty
_OUTPUT_CHECK = lazy(
    r'"([a-z]+(?: and [a-z]+)*)"\s+output\.(?:check|warn)\b|\b(output\.year\.check)\b'
)
# the checking functions of plain.bst and its kin, IEEEtran.bst's, apalike.bst's for the year
_CHECKERS = ("output.check", "output.warn")
_CROSSREF_MISSING = lazy(r"\bcrossref\s+missing\$\s*\{")


def _group_end(code: str, start: int) -> int:
    """The index just past the brace group that opens at ``code[start]`` ("{")."""
    depth = 0
    for at in range(start, len(code)):
        if code[at] == "{":
            depth += 1
        elif code[at] == "}":
            depth -= 1
            if depth == 0:
                return at + 1
    return len(code)


@lru_cache(maxsize=512)
def bst_required(
    style: str, folder: Path, entry_type: str, crossref: bool
) -> tuple[str, ...] | None:
    """The specs ``Build.required`` gives, read from the .bst's code: the labels
    of its ``"LABEL" output.check`` in ``FUNCTION {entry_type}`` (one that only calls another,
    ``FUNCTION {conference} { inproceedings }``, read as that one), leaving out the branch of
    ``crossref missing$ { ... } { ... } if$`` that does not apply."""
    code = style_code(style, folder)
    if code is None:
        return None
    bodies = {
        m.group(1).lower(): code[m.end() - 1 : _group_end(code, m.end() - 1)]
        for m in _BST_FUNCTION_BODY().finditer(code)
    }
    if not any(name in bodies for name in _CHECKERS):
        return None  # a style that checks its fields otherwise: not read
    body = bodies.get(entry_type)
    for _ in range(3):  # an alias of an alias
        if body is None:
            return None
        called = body.strip("{} \t\n").lower()
        if called not in bodies or called == entry_type:
            break
        body = bodies[called]
    assert body is not None
    kept: list[str] = []
    at = 0
    for m in _CROSSREF_MISSING().finditer(body):
        first_end = _group_end(body, m.end() - 1)
        second = body.find("{", first_end)
        if second == -1 or body[first_end:second].strip():
            continue
        second_end = _group_end(body, second)
        kept.append(body[at : m.start()])
        kept.append(body[second:second_end] if crossref else body[m.end() - 1 : first_end])
        at = second_end
    kept.append(body[at:])
    specs: list[str] = []
    for label, year in _OUTPUT_CHECK().findall("".join(kept)):
        spec = "year" if year else "|".join(label.split(" and "))
        if spec not in specs:
            specs.append(spec)
    return tuple(specs)


_BST_ENTRY = lazy(r"\bENTRY\s*\{([^{}]*)\}", re.IGNORECASE)
_BST_MACRO = lazy(r"\bMACRO\s*\{\s*([^{}\s]+)\s*\}", re.IGNORECASE)
_BST_FUNCTION = lazy(r"\bFUNCTION\s*\{\s*([^{}\s]+)\s*\}", re.IGNORECASE)
_BBX_DRIVER = lazy(r"\\DeclareBibliography(?:Driver|Alias\*?)\s*\{\s*([^{}\s]+)\s*\}")
_BBX_REQUIRES = lazy(r"\\RequireBibliographyStyle\s*\{\s*([^{}]+)\}")


# The words of BibTeX's standard styles' empty.misc.check, and a function's head and name
_ALL_EMPTY = "all relevant fields are empty in "
_FUNCTION = lazy(r"FUNCTION\s*\{\s*([^{}\s]+)\s*\}\s*\{")
_EMPTY_FIELD = lazy(r"(?<![\w.$])([a-z]+)\s+empty\$")


@lru_cache(maxsize=32)
def bst_all_empty(style: str, folder: Path) -> tuple[tuple[str, ...], bool, frozenset[str]] | None:
    """What the .bst's check "all relevant fields are empty in KEY" asks (plain.bst's
    ``empty.misc.check``): the fields that must all be empty, whether the key must be given
    too (plain.bst, abbrv.bst and alpha.bst warn only for an entry with a ``key``; unsrt.bst
    for any) and the functions that run it (``misc``, and ``default.type`` when that is
    ``{ misc }``, the function of a type the style does not define); None when the .bst has
    no such check or it cannot be read."""
    code = style_code(style, folder)
    if code is None or _ALL_EMPTY not in code:
        return None
    bodies: dict[str, str] = {}
    for m in _FUNCTION().finditer(code):
        bodies[m.group(1)] = code[m.end() - 1 : _group_end(code, m.end() - 1)]
    checks = [name for name, body in bodies.items() if _ALL_EMPTY in body]
    if len(checks) != 1:
        return None
    body = bodies[checks[0]]
    condition = body[: body.index(_ALL_EMPTY)]
    fields = tuple(name for name in _EMPTY_FIELD().findall(condition) if name != "key")
    with_key = re.search(r"key\s+empty\$\s+not\s+and", condition) is not None
    if not fields or ("key empty$" in condition and not with_key):
        return None  # a condition on the key read no other way: not judged
    callers = {
        name
        for name, body in bodies.items()
        if re.search(rf"(?<![\w.]){re.escape(checks[0])}(?![\w.])", body) and name != checks[0]
    }
    # a function that only calls one of them (``FUNCTION {default.type} { misc }``)
    callers |= {name for name, body in bodies.items() if body[1:-1].strip() in callers}
    return fields, with_key, frozenset(callers)


def _bst_code(text: str) -> str:
    """A .bst's (or .bbx's) text without its ``%`` comments (names in comments name nothing)."""
    return "\n".join(line.split("%", 1)[0] for line in text.splitlines())


def _bbx_types(style: str, folder: Path) -> tuple[frozenset[str] | None, str]:
    """The types with a driver (or an alias) in ``style.bbx`` and the styles it requires."""
    types: set[str] = set()
    pending, seen = [style], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        text, why = _style_file(f"{name}.bbx", folder)
        if text is None:
            return None, why
        code = _bst_code(text)
        # "*" stays among them: the style's fallback driver (standard.bbx aliases it to
        # misc), which biblatex uses for a type with no driver of its own, warning "No
        # driver for 'T'. Using fallback driver"; without one (biblatex-chicago's styles),
        # it stops with the error "No driver for 'T' found"
        types.update(t.lower() for t in _BBX_DRIVER().findall(code))
        for m in _BBX_REQUIRES().finditer(code):
            pending.extend(n.strip() for n in m.group(1).split(",") if n.strip())
    return frozenset(types), ""


def _style_file(name: str, folder: Path) -> tuple[str | None, str]:
    """The text of the style file ``name`` kpathsea finds from ``folder``, or (None, why)."""
    import shutil

    from argmap.manuscripts.kpathsea import kpsewhich

    local = folder / name
    if not local.is_file():
        if shutil.which("kpsewhich") is None:
            return None, f"{name} is not beside the document and kpsewhich (TeX Live) is absent"
        found = kpsewhich([name], folder)
        if not found:
            return None, f"kpsewhich finds no {name}"
        local = Path(found[0]) if Path(found[0]).is_absolute() else folder / found[0]
    try:
        return local.read_text(encoding="utf-8", errors="replace"), ""
    except OSError as error:
        return None, f"{name} cannot be read ({error.strerror})"
