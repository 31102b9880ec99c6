"""The bibliographies a manuscript names itself, with the line that names each: a Markdown,
Quarto or R Markdown document's ``bibliography:`` (a file name or a list of them) and inline
``references:`` in its YAML front matter or a later metadata block (the last block that sets a
field sets it, as pandoc 2.17 and 3.9 read them); a LaTeX document's ``\\addbibresource{}``
(biblatex) and ``\\bibliography{a,b}`` (BibTeX, ``.bib`` implied) in the root file and the files it
``\\input``s; and the same fields of a Quarto project's ``_quarto.yml`` and ``_metadata.yml``.

Only what the files say is read here (no path is resolved, no bibliography read): which file of
them a tool would open is ``argmap.project.documents``'s to decide. The usual field,
``bibliography: refs.bib`` or a short list, is read without PyYAML (its import costs ~15 ms);
PyYAML is imported for a ``references:`` block, a value written otherwise, and Quarto's files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from argmap.base.patterns import lazy
from argmap.errors import ManuscriptError


class NamedFile(NamedTuple):
    """A bibliography file as a document (or a project file) writes it, and where."""

    written: str  # the name as written (``refs``, for BibTeX's ``\\bibliography{refs}``)
    source: Path  # the file that names it
    line: int
    field: str  # ``bibliography``, ``\\addbibresource``, ``\\bibliography``
    place: str  # where it is named, for the note: "its front matter", "_quarto.yml"
    # the folder the name is relative to, when not the naming file's (a Quarto document's
    # metadata-files are read as written in the document)
    base: Path | None = None


class InlineReferences(NamedTuple):
    """A ``references:`` list of a document's metadata: the YAML block's text, preceded by as
    many empty lines as put each of its lines at the document's line (for the CSL-YAML reader,
    whose problems then point at the manuscript)."""

    source: Path
    line: int  # the line of ``references:``
    text: str
    place: str
    start: int  # the line of the block's opening ``---``


class Naming(NamedTuple):
    """What a document names: ``files`` None when it names no bibliography file (as opposed to
    an empty list), and its inline references. ``scalar``: the field was one string, not a list
    (Quarto replaces a string with a later one, and concatenates when either is a list)."""

    files: list[NamedFile] | None
    inline: InlineReferences | None
    scalar: bool = False


# A top-level key of a YAML block that this module reads.
_TOP_FIELD = lazy(r"(bibliography|references)[ \t]*:(?=\s|$)")
_CLOSE = lazy(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_FENCE = lazy(r"^[ \t]{0,3}(`{3,}|~{3,})")
# A plain or quoted file name, alone or in a short flow list: what is read without PyYAML.
_PLAIN = r"[^\s\[\]{},#&*!|>'\"%@`\-?:][^\[\]{},#`]*?|-[^\s\[\]{},#`][^\[\]{},#`]*?"
_SCALAR = lazy(rf"(?:'([^']*)'|\"([^\"\\]*)\"|({_PLAIN}))[ \t]*(?:[ \t]#.*)?")
_FLOW_ITEM = lazy(rf"[ \t]*(?:'([^']*)'|\"([^\"\\]*)\"|({_PLAIN}))[ \t]*(,|\])")
_ITEM = lazy(r"([ \t]*)-[ \t]+(.*)$")


def markdown_naming(path: Path, text: str) -> Naming:
    """What a Markdown, Quarto or R Markdown document's metadata blocks name; a later block's
    field replaces an earlier one's, as pandoc reads several blocks."""
    files: list[NamedFile] | None = None
    inline: InlineReferences | None = None
    scalar = False
    if "bibliography" not in text and "references" not in text:
        return Naming(None, None)
    for start, lines, place in metadata_blocks(text):
        fields = _top_fields(lines)
        if "bibliography" in fields:
            files, scalar = _bibliography_value(path, start, lines, fields["bibliography"], place)
        if "references" in fields:
            at = start + 1 + fields["references"]
            body = "\n" * start + "\n".join(lines)
            inline = InlineReferences(path, at, body, place, start)
    return Naming(files, inline, scalar)


def metadata_blocks(text: str) -> Iterator[tuple[int, list[str], str]]:
    """Each YAML metadata block of a Markdown text as pandoc reads them: the line number of its
    opening ``---``, its lines, and what to call it. The front matter opens on line 1; a later
    block opens with ``---`` after a blank line, is not followed by a blank line, is closed by
    ``---`` or ``...``, and stands outside fenced code and HTML comments."""
    lines = text.split("\n")
    fence: str | None = None
    in_comment = False
    n = 0
    pos = 0  # the offset of line n in the text
    rule = 0  # the offset of the next "\n---" at or after line n's newline
    while n < len(lines):
        if n and rule < pos - 1:
            rule = text.find("\n---", pos - 1)
            if rule < 0:
                return  # no later "---" line, so no block: the usual document is read no further
        line = lines[n].rstrip("\r")
        opens = line.rstrip() == "---" and n + 1 < len(lines) and lines[n + 1].strip()
        if opens and fence is None and not in_comment and (n == 0 or not lines[n - 1].strip()):
            close = _CLOSE().search(text, pos + len(lines[n]) + 1)
            if close is not None:
                end = n + text.count("\n", pos, close.start())
                yield (
                    n + 1,
                    [x.rstrip("\r") for x in lines[n + 1 : end]],
                    "its front matter" if n == 0 else "its metadata block",
                )
                pos = close.end() + 1
                n = end + 1
                continue
        if fence is not None:
            m = _FENCE().match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
        elif not in_comment:
            m = _FENCE().match(line)
            if m:
                fence = m.group(1)
            elif "<!--" in line and "-->" not in line[line.index("<!--") :]:
                in_comment = True
        elif "-->" in line:
            in_comment = False
        pos += len(lines[n]) + 1
        n += 1


def _top_fields(lines: list[str]) -> dict[str, int]:
    """The 0-based index of the line of each top-level ``bibliography:`` and ``references:``."""
    found: dict[str, int] = {}
    for index, line in enumerate(lines):
        if line[:1] in ("b", "r"):
            m = _TOP_FIELD().match(line)
            if m:
                found[m.group(1)] = index
    return found


def _bibliography_value(
    path: Path, start: int, lines: list[str], index: int, place: str
) -> tuple[list[NamedFile], bool]:
    """The file names of a block's ``bibliography:`` field (its key on ``lines[index]``), and
    whether it was one string."""
    line_no = start + 1 + index
    value = lines[index].split(":", 1)[1].strip()
    named: list[tuple[str, int]] | None = None
    scalar = False
    if not value or value.startswith("#"):
        named = _block_list(lines, index, start)
    elif value.startswith("["):
        named = _flow_list(value, line_no)
    else:
        m = _SCALAR().fullmatch(value)
        if m:
            named = [(next(g for g in m.groups() if g is not None).strip(), line_no)]
            scalar = True
    if named is None:
        named, scalar = _yaml_value(path, start, lines, line_no)
    for written, at in named:
        if "`r " in written or written.startswith("!expr"):
            raise ManuscriptError(
                f"'{written}' is computed by R code, which argmap does not run",
                path=path,
                line=at,
                field="bibliography",
                hint="give the bibliography with --bib FILE, or name the file itself",
            )
    return [NamedFile(w, path, at, "bibliography", place) for w, at in named], scalar


def _block_list(lines: list[str], index: int, start: int) -> list[tuple[str, int]] | None:
    """The items of a block list under ``bibliography:`` (``- a.bib`` lines), or None when the
    value is written otherwise."""
    items: list[tuple[str, int]] = []
    for offset, line in enumerate(lines[index + 1 :], start=index + 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _ITEM().match(line)
        if m is None:
            if line[:1] not in (" ", "\t"):
                break  # the next top-level key
            return None
        scalar = _SCALAR().fullmatch(m.group(2).rstrip())
        if scalar is None:
            return None
        written = next(g for g in scalar.groups() if g is not None).strip()
        items.append((written, start + 1 + offset))
    return items or None


def _flow_list(value: str, line_no: int) -> list[tuple[str, int]] | None:
    """The items of ``[a.bib, "b.bib"]`` on one line, or None when written otherwise."""
    items: list[tuple[str, int]] = []
    pos = 1
    if value[1:].lstrip().startswith("]"):
        return []
    while True:
        m = _FLOW_ITEM().match(value, pos)
        if m is None:
            return None
        items.append((next(g for g in m.groups()[:3] if g is not None).strip(), line_no))
        pos = m.end()
        if m.group(4) == "]":
            rest = value[pos:].strip()
            return items if not rest or rest.startswith("#") else None


def _yaml_value(
    path: Path, start: int, lines: list[str], line_no: int
) -> tuple[list[tuple[str, int]], bool]:
    """``bibliography:`` read by PyYAML, for a value written in a way the plain reading does
    not cover (a block scalar, a nested flow list, escapes)."""
    import yaml

    try:
        node = yaml.compose("\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        # the reader reports the block that does not parse (front-matter-invalid); pandoc stops
        # on it, so no bibliography is set
        return [], False
    found = yaml_bibliography(path, node, start, line_no)
    return found if found is not None else ([], False)


def yaml_bibliography(
    path: Path, node: Any, offset: int, line_no: int | None = None
) -> tuple[list[tuple[str, int]], bool] | None:
    """The file names of the ``bibliography`` field of a composed YAML mapping ``node`` (lines
    shifted by ``offset``) and whether it is one string; None when it has no such field. A
    value that is not a string or a list of strings is an error naming the field."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value != "bibliography":
            continue
        at = offset + value.start_mark.line + 1
        if isinstance(value, yaml.ScalarNode):
            if value.tag.endswith(":null"):
                return [], True
            return [(value.value, at)], True
        if isinstance(value, yaml.SequenceNode) and all(
            isinstance(item, yaml.ScalarNode) for item in value.value
        ):
            return [(item.value, offset + item.start_mark.line + 1) for item in value.value], False
        if isinstance(value, yaml.MappingNode):
            # the multibib filter's named bibliographies (``refereed: refereed.bib``, a name or
            # a list each): every file it reads
            groups = [v.value if isinstance(v, yaml.SequenceNode) else [v] for _, v in value.value]
            items = [item for group in groups for item in group]
            if items and all(isinstance(item, yaml.ScalarNode) for item in items):
                return [(item.value, offset + item.start_mark.line + 1) for item in items], False
        raise ManuscriptError(
            "is not a file name or a list of file names",
            path=path,
            line=line_no or offset + key.start_mark.line + 1,
            field="bibliography",
            hint="write bibliography: refs.bib, a list: bibliography: [refs.bib, more.bib], or "
            "multibib's named files: bibliography: {main: refs.bib}",
        )
    return None


# LaTeX: biblatex's resource commands (the file name as written, an extension included), and
# BibTeX's \bibliography{a,b} (also biblatex's legacy form; bibentry's \nobibliography), whose
# names take ".bib" when they have none.
_RESOURCE = lazy(
    r"\\(addbibresource|addglobalbib|addsectionbib)\s*(\[[^\]]*\])?\s*\{([^{}]*)\}"
    r"|\\(bibliography|nobibliography)\s*\{([^{}]*)\}"
)
MAX_FILES = 200  # files of a LaTeX document read to find its bibliography, at most


def latex_naming(path: Path, text: str, read: Any) -> Naming:
    """The bibliography files a LaTeX document names in its root file and the files it inputs
    (comments left out), in order; ``read`` reads an included file."""
    if "bib" not in text and "\\input" not in text and "\\include" not in text:
        return Naming(None, None)
    from argmap.manuscripts.latex import _INPUT, Conditionals, _input_candidates, _mask
    from argmap.manuscripts.text import iter_lines

    found: list[NamedFile] = []
    seen: set[Path] = set()
    queue: list[tuple[Path, str]] = [(path, text)]
    flags: dict[str, bool | None] = {}  # the document's \newif flags, as its files set them
    while queue and len(seen) < MAX_FILES:
        file, body = queue.pop(0)
        seen.add(file.resolve())
        place = "the document" if file == path else f"{file.name}, which it inputs"
        # (what LaTeX does not read: comments, verbatim examples, \\iffalse branches —
        # abnTeX2's manual shows \\bibliography{arquivo-de-referencias-bib} in a verbatim)
        skipping: str | None = None
        conditionals = Conditionals(flags)
        for number, raw in enumerate(iter_lines(body), start=1):
            if "\\" not in raw and skipping is None:
                continue
            line, skipping = _mask(raw, skipping, False, None, conditionals)
            conditionals.remember(line)
            if "bib" in line:
                for m in _RESOURCE().finditer(line):
                    found.extend(_latex_files(file, number, m, place))
            for m in _INPUT.finditer(line):
                target = (m.group(2) or m.group(3) or "").strip()
                if not target or "#" in target or "\\" in target:
                    continue
                included = next(
                    (c for c in _input_candidates(file, path, target) if c.is_file()), None
                )
                if included is None or included.resolve() in seen:
                    continue
                try:
                    queue.append((included, read(included)))
                except ManuscriptError:
                    continue  # the reading proper reports it
    return Naming(found or None, None)


def _latex_files(file: Path, number: int, m: re.Match[str], place: str) -> Iterator[NamedFile]:
    """The files one ``\\addbibresource``/``\\bibliography`` names."""
    if m.group(1):
        command, options, names = m.group(1), m.group(2) or "", [m.group(3)]
        if "remote" in options:
            raise ManuscriptError(
                f"\\{command}{options}{{{m.group(3)}}} names a remote resource, which argmap "
                "does not fetch",
                path=file,
                line=number,
                field=f"\\{command}",
                hint="download it and give it with --bib FILE",
            )
    else:
        command, names = m.group(4), m.group(5).split(",")
    for name in (n.strip() for n in names):
        if not name or "#" in name:
            continue  # a macro's parameter: its definition, not a use
        if "\\" in name:
            raise ManuscriptError(
                f"'{name}' is a macro (\\jobname, a \\def of your own), which argmap does not "
                "expand",
                path=file,
                line=number,
                field=f"\\{command}",
                hint="write the file's name there, or give it with --bib FILE",
            )
        if command in ("bibliography", "nobibliography") and not name.lower().endswith(".bib"):
            name += ".bib"
        yield NamedFile(name, file, number, f"\\{command}", place)


# -- what a filter resolves before citeproc ---------------------------------------------------

# pandoc-crossref's label prefixes: fixed in its source (``Prefix``: fig, eq, tbl, lst, sec in
# ``References/Types.hs``; its metadata's figPrefix, eqnPrefix ... change the words printed, not
# the labels); a reference's first letter may be capitalized (``@Fig:x`` prints "Fig.").
CROSSREF_PREFIXES = ("fig:", "eq:", "tbl:", "lst:", "sec:")
# pandoc-ling's references by position, as linguex writes them: @next, @last, @nnext, @llast...
_LING_POSITION = lazy(r"n+ext|l+ast")
# An example of pandoc-ling: a fenced div of class ``ex`` (``::: ex``, ``:::ex``, ``::: {#id
# .ex}``) up to its closing ``:::``; the identifiers in its attributes (the example's and its
# sub-examples' ``{#ex:agree}``) are what ``@id`` refers to.
_LING_OPEN = lazy(r"^[ \t]*:{3,}[ \t]*(?:ex[ \t]*$|\{([^}]*)\})", re.MULTILINE)
_LING_CLOSE = lazy(r"^[ \t]*:{3,}[ \t]*$", re.MULTILINE)
_ATTRIBUTE_ID = lazy(r"\{[^{}\n]*?#([^\s{}]+)[^{}\n]*\}")


class Labels(NamedTuple):
    """The ``@`` references of a Markdown document that a filter resolves before pandoc's
    citeproc sees them, so that they are no citations: label prefixes (pandoc-crossref's
    ``fig:``, a Quarto custom cross-reference's ``vid-``; their first letter in either case) and
    pandoc-ling's example identifiers and ``@next``/``@last`` references."""

    prefixes: tuple[str, ...] = ()
    names: frozenset[str] = frozenset()
    ling: bool = False  # pandoc-ling runs: @next, @last, @nnext, @llast ... are its
    filters: tuple[str, ...] = ()  # the filters that say so, for the note

    def covers(self, key: str) -> bool:
        """Whether ``@key`` is one of these labels (no citation)."""
        if key in self.names or (self.ling and _LING_POSITION().fullmatch(key)):
            return True
        folded = key[:1].lower() + key[1:]
        return any(folded.startswith(p) for p in self.prefixes)

    def merged(self, other: Labels | None) -> Labels:
        """These labels and ``other``'s."""
        if other is None:
            return self
        return Labels(
            tuple(dict.fromkeys((*self.prefixes, *other.prefixes))),
            self.names | other.names,
            self.ling or other.ling,
            tuple(dict.fromkeys((*self.filters, *other.filters))),
        )


def filter_name(entry: object) -> str | None:
    """The name of a filter as a defaults file, Quarto's ``filters:`` or a ``--filter`` option
    writes it (``pandoc/filters/pandoc-ling.lua``, ``pandoc-crossref``, ``{path: x.lua}``, a
    Quarto extension ``cysouw/pandoc-ling``): its file's stem, lower case."""
    if isinstance(entry, dict):
        entry = entry.get("path")
    if not isinstance(entry, str) or not entry.strip():
        return None
    return Path(entry.strip()).stem.lower()


def filter_labels(filters: list[str], text: str) -> Labels | None:
    """The labels the filters named (``filter_name``s) resolve in a document of ``text``:
    pandoc-crossref's prefixes, pandoc-ling's examples; None when neither runs."""
    labels: Labels | None = None
    if "pandoc-crossref" in filters:
        labels = Labels(CROSSREF_PREFIXES, filters=("pandoc-crossref",))
    if "pandoc-ling" in filters:
        ling = Labels(names=ling_examples(text), ling=True, filters=("pandoc-ling",))
        labels = ling if labels is None else labels.merged(ling)
    return labels


def ling_examples(text: str) -> frozenset[str]:
    """The identifiers of a document's pandoc-ling examples: the ``#id`` of each ``ex`` div
    and of the sub-examples in it (``| ... {#ex:agree}``)."""
    if ":::" not in text:
        return frozenset()
    found: set[str] = set()
    for m in _LING_OPEN().finditer(text):
        attributes = m.group(1)
        if attributes is not None and not re.search(r"(?:^|\s)\.ex(?:\s|$)", attributes):
            continue
        close = _LING_CLOSE().search(text, m.end())
        body = text[m.start() : close.start() if close is not None else len(text)]
        found.update(a.group(1) for a in _ATTRIBUTE_ID().finditer(body))
    return frozenset(found)


# A front matter's CSL style: ``csl:`` (or its alias ``citation-style:``), one name.
_CSL_FIELD = lazy(r"^(?:csl|citation-style)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def markdown_csl(path: Path, text: str) -> NamedFile | None:
    """The CSL style a Markdown document's metadata names (``csl:``, or ``citation-style:``,
    as pandoc reads either; a later block's wins), None when it names none."""
    if "csl" not in text and "citation-style" not in text:
        return None
    found: NamedFile | None = None
    for start, lines, place in metadata_blocks(text):
        for index, line in enumerate(lines):
            m = _CSL_FIELD().match(line)
            if m is None:
                continue
            value = m.group(1)
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            elif " #" in value:
                value = value.split(" #", 1)[0].rstrip()
            field = line.split(":", 1)[0].strip()
            if value:
                found = NamedFile(value, path, start + 1 + index, field, place)
    return found
