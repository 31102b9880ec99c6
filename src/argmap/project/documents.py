"""Which bibliography a manuscript is checked against when ``--bib`` is not given: the one the
document names, resolved as the tool that builds it resolves the name.

- Markdown, Quarto, R Markdown: ``bibliography:`` and inline ``references:`` of the front matter
  or a later metadata block (``argmap.manuscripts.named``); in a Quarto project (a ``_quarto.yml``
  in the document's folder or above) merged with the project's and the ``_metadata.yml`` files'
  as Quarto merges them; a chapter of a bookdown book (``_bookdown.yml``) that names none takes
  the book's first file's (``index.Rmd``). A document's names are relative to its folder (where
  Quarto and R Markdown run pandoc; for a ``.md``, a name found only relative to the working
  directory, as pandoc run there reads it, is taken from there and said so); a project file's
  names are relative to that file.
- LaTeX: ``\\addbibresource{}`` and ``\\bibliography{a,b}`` of the root file and its inputs,
  relative to the root file's folder (where latexmk runs LaTeX, biber and BibTeX), else where
  kpathsea finds them (``kpsewhich``: a bibliography of the TeX distribution).

A name that resolves to no readable file, or to a format argmap does not read, is an error naming
the file and line that wrote it and the field (exit 2): the tool would stop on it too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from argmap.errors import ArgmapError, ManuscriptError, display_path

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.manuscripts.named import InlineReferences, NamedFile, Naming

MARKDOWN = (".md", ".markdown", ".qmd", ".rmd", ".rmarkdown")
LATEX = (".tex", ".ltx", ".rnw")
QUARTO_FILES = ("_quarto.yml", "_quarto.yaml")
METADATA_FILES = ("_metadata.yml", "_metadata.yaml")


class DocumentBibliography(NamedTuple):
    """The bibliography a document names: the files to read (resolved, in order), its inline
    references, and the one line that says so on stderr."""

    files: tuple[Path, ...]
    inline: InlineReferences | None
    note: str


class _Resolved(NamedTuple):
    path: Path
    named: NamedFile
    how: str  # "" when found where the tool looks first; else how it was found


def document_bibliography(
    path: Path, read: Callable[[Path], str], given: tuple[Path, ...] | None = None
) -> DocumentBibliography | None:
    """The bibliography ``path`` names (itself or through its Quarto project or bookdown book),
    or None when it names none; ``read`` reads a text file as the manuscript readers do.

    With ``given`` (``--bib``, which replaces the document's ``bibliography:`` as pandoc's
    ``--bibliography`` does), only the document's inline references are added to them (pandoc
    still reads those): None when it has none."""
    suffix = path.suffix.lower()
    if given is not None:
        if suffix not in MARKDOWN:
            return None
        from argmap.manuscripts.named import markdown_naming

        inline = markdown_naming(path, read(path)).inline
        if inline is None:
            return None
        names = ", ".join(display_path(p) for p in given)
        note = (
            f"{display_path(path)}: bibliography {names} (--bib), and the references: of "
            f"{inline.place} (line {inline.line})"
        )
        return DocumentBibliography(given, inline, note)
    if suffix in MARKDOWN:
        return _markdown(path, read(path))
    if suffix in LATEX:
        from argmap.manuscripts.named import latex_naming

        text = read(path)
        naming = latex_naming(path, text, read)
        root = path
        if naming.files is None:
            # a chapter: the root file an editor's magic comment or the subfiles class names
            found = _tex_root(path, text) or _including_root(path, read)
            if found is None:
                return None
            root, how = found
            naming = latex_naming(root, read(root), read)
            if naming.files is None:
                return None
            naming = naming._replace(
                files=[n._replace(place=_root_place(n.source, root, how)) for n in naming.files]
            )
        resolved = [_resolve_latex(root, named) for named in naming.files or []]
        return _chosen(path, resolved, None)
    return None


# How many documents beside a staged bibliography are read to find those that name it.
_BESIDE_LIMIT = 200


def documents_naming(
    bib: Path, read: Callable[[Path], str], known: set[Path]
) -> list[tuple[Path, DocumentBibliography]]:
    """The documents beside ``bib`` that are built with it: the Markdown, Quarto, R Markdown and
    LaTeX root files (a ``\\documentclass``; its chapters are read through it) of its folder,
    and every Quarto document of the project when its folder holds a ``_quarto.yml`` — each
    with the bibliography it names, when that includes ``bib``. ``known`` (resolved) are left
    out. A commit that changes only the bibliography is then checked against what cites it."""
    folder = bib.parent
    target = bib.resolve()
    suffixes = MARKDOWN + LATEX
    candidates = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes)
    if (folder / "_quarto.yml").is_file() or (folder / "_quarto.yaml").is_file():
        candidates += _project_documents(folder)
    found: list[tuple[Path, DocumentBibliography]] = []
    for path in candidates[:_BESIDE_LIMIT]:
        if not path.is_file() or path.resolve() in known:
            continue
        try:
            if path.suffix.lower() in LATEX and "\\documentclass" not in read(path):
                continue  # a chapter: its root file, checked, reads it
            chosen = document_bibliography(path, read)
        except ArgmapError:
            continue  # a document this one cannot resolve is not the one the commit touched
        if chosen is not None and target in {f.resolve() for f in chosen.files}:
            found.append((path, chosen))
    return found


def _project_documents(folder: Path) -> list[Path]:
    """The Markdown documents in the folders below a Quarto project's root, in order, leaving
    out the folders Quarto leaves out (``_book``, ``_freeze``, ``.quarto``: a name starting with
    ``_`` or ``.``) and those of packages (``node_modules``, ``renv``, ``venv``); at most
    ``_BESIDE_LIMIT``."""
    found: list[Path] = []
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(
            f for f in folders if not f.startswith(("_", ".")) and f not in _NOT_DOCUMENTS
        )
        if Path(top) == folder:
            continue
        found += [Path(top) / n for n in sorted(names) if Path(n).suffix.lower() in MARKDOWN]
        if len(found) >= _BESIDE_LIMIT:
            break
    return found[:_BESIDE_LIMIT]


_NOT_DOCUMENTS = frozenset({"node_modules", "renv", "venv", "env", "site-packages"})


def _root_place(source: Path, root: Path, how: str) -> str:
    """Where a chapter's bibliography is named: the root file, or a file the root inputs."""
    if source.resolve() == root.resolve():
        return f"{display_path(root)}, {how}"
    return f"{display_path(source)}, which {display_path(root)} inputs ({how})"


# TeXShop's, TeXstudio's, LaTeX Workshop's and vimtex's "% !TEX root = main.tex" in a file's
# first lines, and the subfiles class's \documentclass[main.tex]{subfiles}: the file is built
# as part of that root document.
_TEX_ROOT = re.compile(r"^%\s*!\s*TEX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_SUBFILES = re.compile(r"\\documentclass\s*\[([^\]]+)\]\s*\{subfiles\}")


def _tex_root(path: Path, text: str) -> tuple[Path, str] | None:
    """The root file a LaTeX chapter names (``% !TEX root`` in its first 20 lines, or the
    subfiles class's option) when it exists, with how it was named."""
    head = "\n".join(text.split("\n", 20)[:20])
    for pattern, how in (
        (_TEX_ROOT, "the root file its % !TEX root names"),
        (_SUBFILES, "the root file its \\documentclass[...]{subfiles} names"),
    ):
        m = pattern.search(head)
        if m is None:
            continue
        name = m.group(1).strip()
        candidates = [path.parent / name]
        if not name.lower().endswith(".tex"):
            candidates.append(path.parent / f"{name}.tex")
        for candidate in candidates:
            if candidate.is_file() and candidate.resolve() != path.resolve():
                return candidate, how
    return None


# How far up from a chapter a root file that includes it is looked for (chapters/, then the
# thesis folder, then one more), how many candidate roots are read at most, and how many files
# of each one's inputs are followed.
_ROOT_LEVELS = 3
_ROOT_FILES = 60
_ROOT_INPUTS = 200


def _including_root(path: Path, read: Callable[[Path], str]) -> tuple[Path, str] | None:
    """The one root file (a ``\\documentclass`` document, not of the subfiles class) in the
    chapter's folder or the folders above it that reads the chapter through its ``\\input``,
    ``\\include`` or ``\\subfile`` (directly or through a file it includes), as LaTeX Workshop
    finds a root file for a chapter that names none; None when none does, or several that name
    different bibliographies (a chapter staged alone in pre-commit then says so, and is not
    checked against a guess)."""
    target = path.resolve()
    roots: list[Path] = []
    read_files = 0
    folder = path.absolute().parent
    for _ in range(_ROOT_LEVELS):
        for candidate in sorted(folder.glob("*.tex")):
            if read_files >= _ROOT_FILES or candidate.resolve() == target:
                continue
            read_files += 1
            try:
                body = read(candidate)
            except ArgmapError:
                continue
            is_root = "\\documentclass" in body and not _SUBFILES.search(body)
            if is_root and _reads(candidate, body, target, read):
                roots.append(candidate)
        if (folder / ".git").exists() or folder.parent == folder:
            break
        folder = folder.parent
    if len(roots) > 1 and len({_named_files(root, read) for root in roots}) == 1:
        # several documents read it (a thesis and a standalone example sharing a preamble), all
        # with the same bibliography: any of them will do
        roots = roots[:1]
    if len(roots) != 1:
        return None
    return roots[0], "the root file that includes it"


def _named_files(root: Path, read: Callable[[Path], str]) -> tuple[Path, ...] | None:
    """The bibliography files a LaTeX root file names, resolved (None: it names none)."""
    from argmap.manuscripts.named import latex_naming

    try:
        files = latex_naming(root, read(root), read).files
        if files is None:
            return None
        return tuple(_resolve_latex(root, named).path.resolve() for named in files)
    except ArgmapError:
        return None  # a root whose bibliography cannot be found is no answer


def _reads(root: Path, text: str, target: Path, read: Callable[[Path], str]) -> bool:
    """Whether the LaTeX document ``root`` reads ``target`` through its inputs (comments left
    out; each input found beside the file that inputs it or beside the root, as LaTeX looks)."""
    from argmap.manuscripts.latex import _INPUT, _comment_start, _input_candidates

    seen = {root.resolve()}
    queue = [(root, text)]
    while queue and len(seen) < _ROOT_INPUTS:
        file, body = queue.pop(0)
        for raw in body.split("\n"):
            if "\\" not in raw:
                continue
            cut = _comment_start(raw, 0)
            line = raw if cut < 0 else raw[:cut]
            for m in _INPUT.finditer(line):
                name = (m.group(2) or m.group(3) or "").strip()
                if not name or "#" in name or "\\" in name:
                    continue
                found = next((c for c in _input_candidates(file, root, name) if c.is_file()), None)
                if found is None:
                    continue
                resolved = found.resolve()
                if resolved == target:
                    return True
                if resolved in seen:
                    continue
                seen.add(resolved)
                try:
                    queue.append((found, read(found)))
                except ArgmapError:
                    continue
    return False


def _markdown(path: Path, text: str) -> DocumentBibliography | None:
    """A Markdown, Quarto or R Markdown document's bibliography."""
    from argmap.manuscripts.named import markdown_naming

    naming = markdown_naming(path, text)
    files, inline, scalar = naming
    project = _quarto_project(path.parent)
    if project is not None:
        merged: tuple[list[NamedFile], bool] | None = None
        for layer in _quarto_layers(project, path.parent):
            merged = _quarto_merge(merged, layer)
        if files is not None:
            merged = _quarto_merge(merged, (files, scalar))
        files = merged[0] if merged is not None else None
    elif files is None and path.suffix.lower() == ".rmd":
        book = _bookdown_first(path)
        if book is not None:
            files, book_inline = book
            inline = inline or book_inline
    if files is None and inline is None:
        return None
    resolved = [_resolve_markdown(path, named) for named in files or []]
    return _chosen(path, resolved, inline)


def _chosen(
    path: Path, resolved: list[_Resolved], inline: InlineReferences | None
) -> DocumentBibliography:
    """The files (each once, in order) and the note naming them and where they were named."""
    unique: dict[Path, _Resolved] = {}
    for each in resolved:
        unique.setdefault(each.path.resolve(), each)
    groups: dict[str, tuple[list[str], list[int]]] = {}
    for each in unique.values():
        name = display_path(each.path) + (f" ({each.how})" if each.how else "")
        names, lines = groups.setdefault(_place(each.named), ([], []))
        names.append(name)
        if each.named.line not in lines:
            lines.append(each.named.line)
    parts = [
        f"{', '.join(names)}, named {where} ({_lines(lines)})"
        for where, (names, lines) in groups.items()
    ]
    noun = "bibliographies" if len(unique) > 1 else "bibliography"
    note = f"{display_path(path)}: {noun} " + "; ".join(parts) if parts else ""
    if inline is not None:
        refs = f"the references: of {inline.place} (line {inline.line})"
        note = f"{note}, with {refs}" if note else f"{display_path(path)}: bibliography {refs}"
    return DocumentBibliography(tuple(each.path for each in unique.values()), inline, note)


def _lines(lines: list[int]) -> str:
    """``line 3`` or ``lines 3, 5``."""
    return ("lines " if len(lines) > 1 else "line ") + ", ".join(map(str, lines))


def _place(named: NamedFile) -> str:
    """Where a file was named, with its preposition: "in its front matter", "by its
    \\addbibresource", "in _quarto.yml"."""
    if named.field == "bibliography":
        return f"in {named.place}"
    if named.place == "the document":
        return f"by its {named.field}"
    return f"by {named.field} in {named.place}"


def _resolve_markdown(document: Path, named: NamedFile) -> _Resolved:
    """A Markdown document's bibliography: relative to the file that names it (the document's
    folder is where Quarto and R Markdown run pandoc); for a document's own ``.md`` name found
    only relative to the working directory, there, as pandoc run here reads it."""
    written = Path(named.written)
    base = named.source.parent
    candidates = [written] if written.is_absolute() else [base / written]
    if (
        not written.is_absolute()
        and named.source == document
        and document.suffix.lower() in (".md", ".markdown")
        and Path.cwd().resolve() != base.resolve()
    ):
        candidates.append(written)
    for index, candidate in enumerate(candidates):
        if candidate.is_file():
            how = "relative to the working directory, as pandoc run here reads it" if index else ""
            return _Resolved(_readable(candidate, named), named, how)
    raise _not_found(named, candidates)


def _resolve_latex(document: Path, named: NamedFile) -> _Resolved:
    """A LaTeX document's bibliography: relative to the root file's folder, else where
    kpathsea finds it (a file of the TeX distribution, as BibTeX and biber find it)."""
    written = Path(named.written)
    candidate = written if written.is_absolute() else document.parent / written
    if candidate.is_file():
        return _Resolved(_readable(candidate, named), named, "")
    found = _kpsewhich(named.written, document.parent)
    if found is not None:
        return _Resolved(_readable(found, named), named, "found by kpsewhich")
    raise _not_found(named, [candidate], kpathsea=True)


def _kpsewhich(name: str, folder: Path) -> Path | None:
    """Where kpathsea finds a .bib file from ``folder`` (None without kpsewhich, or not found)."""
    from argmap.manuscripts.kpathsea import kpsewhich

    found = kpsewhich([name], folder, timeout=20)
    if not found:
        return None
    path = Path(found[0])
    return path if path.is_absolute() else folder / path


def _readable(path: Path, named: NamedFile) -> Path:
    """``path``, when argmap can read it as a bibliography; else an error at the naming line."""
    from argmap.bib.sources import refused_format

    refused = refused_format(path)
    if refused is not None:
        what, how = refused
        raise ManuscriptError(
            f"'{named.written}' is {what}, which argmap does not read as a bibliography",
            path=named.source,
            line=named.line,
            field=named.field,
            hint=f"convert it: {how}; then name the result, or give --bib FILE",
        )
    if not os.access(path, os.R_OK):
        raise ManuscriptError(
            f"'{named.written}' ({display_path(path)}) cannot be read: permission denied",
            path=named.source,
            line=named.line,
            field=named.field,
            hint="make the file readable, or give --bib FILE",
        )
    return path


def _not_found(named: NamedFile, looked: list[Path], kpathsea: bool = False) -> ManuscriptError:
    """The error for a named bibliography that is not where the tool would look."""
    places = " or ".join(display_path(p) for p in looked)
    if kpathsea:
        places += ", and kpsewhich found none"
    hint = "correct the name (relative to the file that names it), or give --bib FILE"
    if _written_by_knitr(named):
        hint = (
            f"knitr::write_bib() in {named.source.name} writes it when the document is built: "
            "build it once, or give --bib FILE"
        )
    return ManuscriptError(
        f"'{named.written}': no such file (looked for {places}); the document cannot be built "
        "without it",
        path=named.source,
        line=named.line,
        field=named.field,
        hint=hint,
    )


def _written_by_knitr(named: NamedFile) -> bool:
    """Whether the file naming a missing bibliography writes it with ``knitr::write_bib()``
    (bookdown's and R Markdown's packages.bib), a call that names the file."""
    try:
        text = named.source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    at = text.find("write_bib(")
    while at >= 0:
        if Path(named.written).name in text[at : at + 2000]:
            return True
        at = text.find("write_bib(", at + 1)
    return False


# -- Quarto projects ---------------------------------------------------------------------------


def _quarto_project(folder: Path) -> Path | None:
    """The Quarto project (the folder of the nearest ``_quarto.yml``) ``folder`` lies in."""
    for directory in (folder, *folder.resolve().parents):
        for name in QUARTO_FILES:
            if (directory / name).is_file():
                return directory / name
    return None


def _quarto_layers(project: Path, folder: Path) -> list[tuple[list[NamedFile], bool] | None]:
    """The ``bibliography`` of the project file, then of each ``_metadata.yml`` from the
    project's folder down to the document's (Quarto's order: the later overrides)."""
    layers = [_yaml_file_bibliography(project, formats=True)]
    root = project.parent.resolve()
    here = folder.resolve()
    chain = [here, *here.parents]
    for directory in reversed(chain[: chain.index(root) + 1] if root in chain else [here]):
        for name in METADATA_FILES:
            if (directory / name).is_file():
                layers.append(_yaml_file_bibliography(directory / name, formats=False))
    return layers


def _yaml_file_bibliography(path: Path, formats: bool) -> tuple[list[NamedFile], bool] | None:
    """The ``bibliography`` of a Quarto YAML file: top-level, else (``formats``) the first
    output format's under ``format:``, said so."""
    from argmap.base.textio import read_text

    text = read_text(path, ManuscriptError, "Quarto metadata file")
    if "bibliography" not in text:
        return None
    import yaml

    from argmap.manuscripts.named import NamedFile, yaml_bibliography

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ManuscriptError(
            f"does not parse as YAML ({getattr(error, 'problem', None) or error}); Quarto stops "
            "on it",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            hint="correct the YAML",
        ) from None
    found = yaml_bibliography(path, node, 0)
    place = path.name
    if found is None and formats and isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "format" and isinstance(value, yaml.MappingNode):
                for fmt, options in value.value:
                    found = yaml_bibliography(path, options, 0)
                    if found is not None:
                        place = f"{path.name} (format {fmt.value}, the first that names one)"
                        break
    if found is None:
        return None
    files, scalar = found
    return [NamedFile(w, path, at, "bibliography", place) for w, at in files], scalar


def _quarto_merge(
    base: tuple[list[NamedFile], bool] | None, layer: tuple[list[NamedFile], bool] | None
) -> tuple[list[NamedFile], bool] | None:
    """Quarto's merge of a field (``mergeConfigs``): a string replaces a string; when either is
    a list the two are concatenated, each value once."""
    if layer is None:
        return base
    if base is None:
        return layer
    if base[1] and layer[1]:
        return layer
    written = {(n.source.parent.resolve() / n.written) for n in base[0]}
    more = [n for n in layer[0] if (n.source.parent.resolve() / n.written) not in written]
    return [*base[0], *more], False


# -- bookdown ----------------------------------------------------------------------------------


def _bookdown_first(path: Path) -> tuple[list[NamedFile] | None, InlineReferences | None] | None:
    """For a chapter of a bookdown book (a ``_bookdown.yml`` in its folder or above), what the
    book's first file (``rmd_files``' first, else ``index.Rmd``) names in its front matter: the
    only YAML bookdown reads for the merged book."""
    from argmap.base.textio import read_text
    from argmap.manuscripts.named import markdown_naming

    for directory in (path.parent, *path.parent.resolve().parents):
        config = directory / "_bookdown.yml"
        if not config.is_file():
            continue
        first = directory / "index.Rmd"
        text = read_text(config, ManuscriptError, "bookdown configuration")
        if "rmd_files" in text:
            listed = _first_rmd_file(config, text)
            if listed is not None:
                first = directory / listed
        if not first.is_file() or first.resolve() == path.resolve():
            return None
        naming: Naming = markdown_naming(first, read_text(first, ManuscriptError, "manuscript"))
        files = naming.files
        if files is not None:
            place = f"{first.name}'s front matter, the book's first file"
            files = [n._replace(place=place) for n in files]
        return files, naming.inline
    return None


def _first_rmd_file(config: Path, text: str) -> str | None:
    """The first file of ``rmd_files`` in ``_bookdown.yml`` (a list, or one per format)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    files = data.get("rmd_files") if isinstance(data, dict) else None
    if isinstance(files, dict):
        files = next(iter(files.values()), None)
    if isinstance(files, list) and files and isinstance(files[0], str):
        return files[0]
    return None


# -- reading -----------------------------------------------------------------------------------


def inline_bibliography(inline: InlineReferences) -> Bibliography | None:
    """A document's ``references:`` as a bibliography whose entries and problems point at the
    document's lines; None when the block does not parse as YAML (the manuscript's reader reports
    that, and pandoc stops on it)."""
    from argmap.bib.cslread import read_csl_yaml
    from argmap.errors import BibliographyError
    from argmap.manuscripts.frontmatter import front_matter_notice

    lines = inline.text.split("\n")[inline.start :]
    if front_matter_notice(inline.source, inline.start, lines) is not None:
        return None
    try:
        return read_csl_yaml(inline.source, inline.text)
    except BibliographyError as error:
        raise ManuscriptError(
            error.message, path=inline.source, line=error.line, field="references", hint=error.hint
        ) from None


def with_inline(files: Bibliography | None, inline: Bibliography) -> Bibliography:
    """The document's inline references merged with its files; a key in both is the inline
    one, as pandoc (2.17 and 3.9) takes it, and is no duplicate."""
    if files is None:
        return inline
    from argmap.bib.sources import merge

    merged = merge([inline, files])
    own = str(inline.path)
    merged.problems[:] = [
        p
        for p in merged.problems
        if not (p.kind == "duplicate-key" and p.key in inline.entries and p.source != own)
    ]
    return merged
