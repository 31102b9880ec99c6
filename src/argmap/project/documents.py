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
from typing import TYPE_CHECKING, Any, NamedTuple

from argmap.errors import ManuscriptError, display_path

if TYPE_CHECKING:
    from argmap.bib.model import Bibliography
    from argmap.manuscripts.named import InlineReferences, NamedFile, Naming
    from argmap.project.pandocrun import PandocRun, Tool

MARKDOWN = (".md", ".markdown", ".qmd", ".rmd")
LATEX = (".tex", ".ltx", ".rnw")
QUARTO_FILES = ("_quarto.yml", "_quarto.yaml")
METADATA_FILES = ("_metadata.yml", "_metadata.yaml")


class DocumentBibliography(NamedTuple):
    """The bibliography a document names: the files to read (resolved, in order), its inline
    references, the one line that says so on stderr, the tools it is built with (none: as its
    reader decides, pandoc for Markdown) and, when its output formats name different
    bibliographies, the other formats' (each checked too)."""

    files: tuple[Path, ...]
    inline: InlineReferences | None
    note: str
    tools: tuple[Tool, ...] = ()
    variants: tuple[DocumentBibliography, ...] = ()
    output: str = ""  # "format pdf", when its formats name different bibliographies
    crossref: bool = False  # built with the pandoc-crossref filter (its labels are no keys)

    @property
    def names_one(self) -> bool:
        """Whether it names a bibliography at all (not only the tool it is built with)."""
        return bool(self.files) or self.inline is not None


class _Resolved(NamedTuple):
    path: Path
    named: NamedFile
    how: str  # "" when found where the tool looks first; else how it was found


class _Build(NamedTuple):
    """One output format of a document: its name, the files it names, its tool."""

    output: str
    files: list[NamedFile] | None
    tool: Tool | None  # None: pandoc's citeproc, as the reader supposes (nothing says otherwise)


def document_bibliography(
    path: Path,
    read: Callable[[Path], str],
    given: tuple[Path, ...] | None = None,
    run: PandocRun | None = None,
) -> DocumentBibliography | None:
    """The bibliography ``path`` names (itself, through its Quarto project or bookdown book, or
    the pandoc run's defaults and metadata files ``run``), or None when it names none and is
    built as its reader supposes; ``read`` reads a text file as the manuscript readers do.

    With ``given`` (``--bib``, which replaces the document's ``bibliography:`` as pandoc's
    ``--bibliography`` does), only the document's inline references are added to them (pandoc
    still reads those), and the tools it is built with."""
    suffix = path.suffix.lower()
    if suffix in MARKDOWN:
        return _markdown(path, read(path), given, run)
    if given is not None:
        return None
    if suffix in LATEX:
        from argmap.manuscripts.named import latex_naming

        text = read(path)
        naming = latex_naming(path, text, read)
        root = path
        if naming.files is None:
            # a chapter: the root file an editor's magic comment or the subfiles class names
            found = _tex_root(path, text)
            if found is None:
                return None
            root, how = found
            naming = latex_naming(root, read(root), read)
            if naming.files is None:
                return None
            naming = naming._replace(
                files=[
                    n._replace(place=f"{display_path(n.source)}, the root file its {how} names")
                    for n in naming.files
                ]
            )
        resolved = [_resolve_latex(root, named) for named in naming.files or []]
        return _chosen(path, resolved, None)
    return None


# TeXShop's, TeXstudio's, LaTeX Workshop's and vimtex's "% !TEX root = main.tex" in a file's
# first lines, and the subfiles class's \documentclass[main.tex]{subfiles}: the file is built
# as part of that root document.
_TEX_ROOT = re.compile(r"^%\s*!\s*TEX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_SUBFILES = re.compile(r"\\documentclass\s*\[([^\]]+)\]\s*\{subfiles\}")


def _tex_root(path: Path, text: str) -> tuple[Path, str] | None:
    """The root file a LaTeX chapter names (``% !TEX root`` in its first 20 lines, or the
    subfiles class's option) when it exists, with how it was named."""
    head = "\n".join(text.split("\n", 20)[:20])
    for pattern, how in ((_TEX_ROOT, "% !TEX root"), (_SUBFILES, "\\documentclass[...]{subfiles}")):
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


def _markdown(
    path: Path, text: str, given: tuple[Path, ...] | None, run: PandocRun | None
) -> DocumentBibliography | None:
    """A Markdown, Quarto or R Markdown document's bibliography and tools, for each of its
    output formats (the formats naming the same files checked as one)."""
    from argmap.manuscripts.named import markdown_naming

    naming = markdown_naming(path, text)
    files, inline, scalar = naming
    project = _quarto_project(path.parent)
    skipped: list[str] = []
    if project is not None or path.suffix.lower() == ".qmd":
        own = (files, scalar) if files is not None else None
        builds = _quarto_builds(path, text, project, own, skipped)
    else:
        if files is None and path.suffix.lower() == ".rmd":
            book = _bookdown_first(path)
            if book is not None:
                files, book_inline = book
                inline = inline or book_inline
        builds = (
            [_Build(output, files, tool) for output, tool in _rmarkdown_tools(path, text)]
            if path.suffix.lower() in (".rmd", ".rmarkdown")
            else [_Build("", files, None)]
        )
    from_run: set[NamedFile] = set()
    crossref = run is not None and run.crossref
    if run is not None:
        # what the pandoc run names: its bibliography replaces the document's; a metadata
        # file's counts only where the document names none
        override = run.bibliography if run.bibliography is not None else run.metadata_bibliography
        for meta in run.metadata_files:
            if meta.inline is not None and inline is None:
                inline = meta.inline
        meta_files = next(
            (m.files for m in reversed(run.metadata_files) if m.files is not None), None
        )
        from_run.update(override or [], *(m.files or [] for m in run.metadata_files))
        builds = [
            b._replace(
                files=override
                if override is not None
                else b.files
                if b.files is not None
                else meta_files
            )
            for b in builds
        ]
        if run.tool is not None:
            builds = [_Build(run.describe(), builds[0].files, run.tool)]
    if given is not None:
        tools = tuple(_tools_of(builds))
        if inline is None:
            if tools or crossref:
                return DocumentBibliography((), None, "", tools, crossref=crossref)
            return None
        names = ", ".join(display_path(p) for p in given)
        note = (
            f"{display_path(path)}: bibliography {names} (--bib), and the references: of "
            f"{inline.place} (line {inline.line})"
        )
        return DocumentBibliography(
            given, inline, note + tools_note(tools), tools, crossref=crossref
        )
    # the formats naming the same files are checked as one
    grouped: dict[tuple[str, ...] | None, list[_Build]] = {}
    for build in builds:
        key = None if build.files is None else tuple(n.written for n in build.files)
        grouped.setdefault(key, []).append(build)
    chosen: list[DocumentBibliography] = []
    for group in grouped.values():
        tools = tuple(_tools_of(group))
        group_files = group[0].files
        if group_files is None and inline is None:
            if tools or crossref:
                chosen.append(DocumentBibliography((), None, "", tools, crossref=crossref))
            continue
        resolved = [
            _resolve_from_run(named, run.resource_path)
            if run is not None and (named in from_run or _pandoc_reads_it(path, run, named))
            else _resolve_markdown(path, named)
            for named in group_files or []
        ]
        outputs = [b.output for b in group if b.output]
        output = f"format {', '.join(outputs)}" if len(grouped) > 1 and outputs else ""
        one = _chosen(path, resolved, inline, f" ({output})" if output else "")
        chosen.append(
            one._replace(
                note=one.note + tools_note(tools), tools=tools, output=output, crossref=crossref
            )
        )
    if skipped:
        said = "; ".join(skipped)
        if not chosen:
            return DocumentBibliography((), None, f"{display_path(path)}: {said}")
        first = chosen[0].note
        note = f"{first} ({said})" if first else f"{display_path(path)}: {said}"
        chosen[0] = chosen[0]._replace(note=note)
    if not chosen:
        return None
    return chosen[0]._replace(variants=tuple(chosen[1:]))


def _tools_of(builds: list[_Build]) -> list[Tool]:
    """The tools of some builds, none when every one is pandoc's citeproc by default (the
    reader's own supposition for Markdown)."""
    tools = [b.tool for b in builds if b.tool is not None]
    if all(t.name == "pandoc" and not t.how for t in tools):
        return []
    return tools


def tools_note(tools: tuple[Tool, ...]) -> str:
    """The note's words on the tools a document is built with (none for citeproc alone)."""
    if not tools:
        return ""
    names = {"pandoc": "pandoc's citeproc", "bibtex": "BibTeX", "biber": "biber"}
    parts = []
    for tool in tools:
        part = f"{names[tool.name]} for {tool.output}" if tool.output else names[tool.name]
        parts.append(f"{part} ({tool.how})" if tool.how else part)
    return "; built with " + ", ".join(parts)


def _chosen(
    path: Path, resolved: list[_Resolved], inline: InlineReferences | None, label: str = ""
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
    who = display_path(path) + label
    note = f"{who}: {noun} " + "; ".join(parts) if parts else ""
    if inline is not None:
        refs = f"the references: of {inline.place} (line {inline.line})"
        note = f"{note}, with {refs}" if note else f"{who}: bibliography {refs}"
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
    base = named.base or named.source.parent
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


def _pandoc_reads_it(document: Path, run: PandocRun, named: NamedFile) -> bool:
    """Whether pandoc itself, run here with the run's defaults, resolves a name a plain
    Markdown document writes (Quarto and R Markdown run pandoc in the document's folder)."""
    return (
        bool(run.defaults)
        and named.source == document
        and document.suffix.lower() in (".md", ".markdown")
    )


def _resolve_from_run(named: NamedFile, resource_path: list[Path]) -> _Resolved:
    """A bibliography a defaults or metadata file names: along the run's ``resource-path``
    (default: the working directory), as pandoc looks it up."""
    written = Path(named.written)
    candidates = [written] if written.is_absolute() else [d / written for d in resource_path]
    for candidate in candidates:
        if candidate.is_file():
            return _Resolved(_readable(candidate, named), named, "")
    hint = (
        "correct the name (relative to the working directory, where pandoc runs, or ${.}/ for "
        "the defaults file's folder), or give --bib FILE"
    )
    beside = named.source.parent / written
    if named.source.suffix.lower() in (".md", ".markdown") and beside.is_file():
        hint = (
            f"pandoc run here with these defaults does not find it; {display_path(beside)} is "
            "beside the document: run pandoc and argmap from the document's folder, add it to "
            "the defaults' resource-path, or give --bib FILE"
        )
    raise _not_found(named, candidates, hint=hint)


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


def _not_found(
    named: NamedFile, looked: list[Path], kpathsea: bool = False, hint: str = ""
) -> ManuscriptError:
    """The error for a named bibliography that is not where the tool would look."""
    places = " or ".join(display_path(p) for p in looked)
    if kpathsea:
        places += ", and kpsewhich found none"
    hint = hint or "correct the name (relative to the file that names it), or give --bib FILE"
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


class _Config(NamedTuple):
    """What a Quarto YAML file (or a merge of them) sets that argmap reads: the top-level
    ``bibliography`` and ``cite-method``, and each output format's, in order."""

    bib: tuple[list[NamedFile], bool] | None
    cite: Tool | None
    formats: dict[str, tuple[tuple[list[NamedFile], bool] | None, Tool | None]]
    # its metadata-files (and metadata-file): each name as written, with its line
    includes: tuple[tuple[str, int], ...] = ()
    project_type: str | None = None  # ``project: type:`` (a book renders its own formats only)


_EMPTY = _Config(None, None, {})


def _merge_configs(base: _Config, layer: _Config) -> _Config:
    """Quarto's ``mergeConfigs`` of two configurations, for the fields argmap reads."""
    formats = dict(base.formats)
    for name, (bib, cite) in layer.formats.items():
        old_bib, old_cite = formats.get(name, (None, None))
        formats[name] = (_quarto_merge(old_bib, bib), cite or old_cite)
    return _Config(
        _quarto_merge(base.bib, layer.bib),
        layer.cite or base.cite,
        formats,
        project_type=layer.project_type or base.project_type,
    )


def _with_included(config: _Config, source: Path, folder: Path, skipped: list[str]) -> _Config:
    """A Quarto layer with the files its ``metadata-files`` name merged over it (Quarto's
    ``includedMetadata``: relative to ``folder``, a later file winning, the files winning over
    the layer's own fields); their names are read relative to ``folder`` as well. A file that
    does not exist is skipped, as Quarto skips it, and said (``skipped``)."""
    if not config.includes:
        return config
    included = _EMPTY
    for name, line in config.includes:
        file = folder / name
        if not file.is_file():
            skipped.append(
                f"{display_path(file)} (metadata-files in {display_path(source)}, line {line}) "
                "does not exist: Quarto skips it"
            )
            continue
        layer = _config_file(file, display_path(file))
        included = _merge_configs(included, _rebased(layer, folder))
    return _merge_configs(config._replace(includes=()), included)


def _rebased(config: _Config, folder: Path) -> _Config:
    """A configuration whose names are relative to ``folder``."""

    def files(
        bib: tuple[list[NamedFile], bool] | None,
    ) -> tuple[list[NamedFile], bool] | None:
        return None if bib is None else ([n._replace(base=folder) for n in bib[0]], bib[1])

    return config._replace(
        bib=files(config.bib),
        formats={k: (files(b), c) for k, (b, c) in config.formats.items()},
    )


def _quarto_builds(
    path: Path,
    text: str,
    project: Path | None,
    own: tuple[list[NamedFile], bool] | None,
    skipped: list[str],
) -> list[_Build]:
    """Each output format of a Quarto document: the bibliography Quarto gives it (the
    project's files, with their active profiles, merged; then the ``_metadata.yml`` files from
    the project's folder down to the document's; then the document's; each layer's top-level
    value, then its format's), and the tool (``cite-method``, in a LaTeX format)."""
    proj = directory = _EMPTY
    if project is not None:
        # (a document outside any project is rendered on its own: its front matter alone)
        proj = _project_config(project, skipped)
        root = project.parent.resolve()
        here = path.parent.resolve()
        chain = [here, *here.parents]
        for folder in reversed(chain[: chain.index(root) + 1] if root in chain else [here]):
            for name in METADATA_FILES:
                if (folder / name).is_file():
                    layer = _config_file(folder / name)
                    layer = _with_included(layer, folder / name, path.parent, skipped)
                    directory = _merge_configs(directory, layer)
    document = _front_matter_config(path, text) if _wants_formats(text, proj, directory) else None
    doc = _Config(own, None, {}) if document is None else document._replace(bib=own)
    doc = _with_included(doc, path, path.parent, skipped)
    # the document's (and its folders') formats override the project's list (Quarto's
    # resolveFormats), but for a book, which renders the project's formats only; none: html
    keys = list(dict.fromkeys([*doc.formats, *directory.formats])) or list(proj.formats)
    if proj.project_type == "book":
        keys = list(proj.formats)
    builds = []
    for output in keys or ["html"]:
        merged: tuple[list[NamedFile], bool] | None = None
        cite: Tool | None = None
        extension = _extension_config(path, project, output)
        for layer in (extension, proj, directory, doc):
            fmt_bib, fmt_cite = layer.formats.get(output, (None, None))
            merged = _quarto_merge(_quarto_merge(merged, layer.bib), fmt_bib)
            cite = fmt_cite or layer.cite or cite
        builds.append(_Build(output, merged[0] if merged else None, _tool(output, cite)))
    return builds


def _extension_config(path: Path, project: Path | None, output: str) -> _Config:
    """What a Quarto extension's format (``abnt-pdf``: the ``pdf`` format the ``abnt``
    extension contributes) sets, beneath the project's own: its ``common`` and its base
    format's options, from ``_extensions/abnt/_extension.yml`` (or ``_extensions/<org>/abnt``)
    in the document's folder or one above it in the project, as Quarto finds extensions."""
    if "-" not in output:
        return _EMPTY
    name, base = output.rsplit("-", 1)
    top = (project.parent if project is not None else path.parent).resolve()
    here = path.parent.resolve()
    for folder in (here, *here.parents):
        extensions = folder / "_extensions"
        if extensions.is_dir():
            for candidate in (
                extensions / name / "_extension.yml",
                *sorted(extensions.glob(f"*/{name}/_extension.yml")),
            ):
                if candidate.is_file():
                    return _contributed(candidate, output, base)
        if folder == top:
            break
    return _EMPTY


def _contributed(path: Path, output: str, base: str) -> _Config:
    """A Quarto extension's contributed format ``base``, merged over its ``common``, as the
    options of format ``output``."""
    import yaml

    node = _compose(path, "Quarto extension file")
    formats = None
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value == "contributes" and isinstance(value, yaml.MappingNode):
            for inner, options in value.value:
                # (Quarto takes ``format:`` for ``formats:``, as quarto-journals' write it)
                if inner.value in ("formats", "format") and isinstance(options, yaml.MappingNode):
                    formats = formats or options
    if formats is None:
        return _EMPTY
    config = _EMPTY
    for fmt, options in formats.value:
        if fmt.value in ("common", base):
            wrapped = yaml.MappingNode(
                "tag:yaml.org,2002:map",
                [
                    (
                        yaml.ScalarNode("tag:yaml.org,2002:str", "format"),
                        yaml.MappingNode(
                            "tag:yaml.org,2002:map",
                            [(yaml.ScalarNode("tag:yaml.org,2002:str", output), options)],
                        ),
                    )
                ],
            )
            config = _merge_configs(config, _config_node(path, wrapped, 0, display_path(path)))
    return config


def _wants_formats(text: str, *configs: _Config) -> bool:
    """Whether a document's front matter must be parsed for its formats: it sets a tool or a
    format's bibliography, or its project sets them per format (PyYAML's import costs ~15 ms,
    paid only then)."""
    if "cite-method" in text or "citation_package" in text or "metadata-file" in text:
        return True
    per_format = (b is not None or t is not None for c in configs for b, t in c.formats.values())
    if any(per_format):
        return "format" in text
    # an indented ``bibliography:`` (a format's own): each occurrence looked at, not the text
    at = text.find("bibliography", 0, 20000)
    while at > 0:
        start = text.rfind("\n", 0, at) + 1
        if start < at and not text[start:at].strip(" \t") and text[at + 12 : at + 13] in (":", " "):
            return True
        at = text.find("bibliography", at + 12, 20000)
    return False


_LATEX_FORMATS = ("pdf", "latex", "beamer")


def _tool(output: str, cite: Tool | None) -> Tool:
    """The tool of an output format: ``cite-method`` natbib or biblatex in a LaTeX format (pdf,
    latex, beamer, and an extension's ``acm-pdf``), else pandoc's citeproc."""
    from argmap.project.pandocrun import Tool

    base = output.rsplit("-", 1)[-1]
    if cite is not None and cite.name != "pandoc" and base in _LATEX_FORMATS:
        return cite._replace(output=output)
    return Tool("pandoc", output, "")


def _project_config(project: Path, skipped: list[str]) -> _Config:
    """A Quarto project's configuration: ``_quarto.yml`` merged with the profiles
    ``QUARTO_PROFILE`` (else its ``profile: default:``) makes active, each
    ``_quarto-<profile>.yml`` (the first named wins), and ``_quarto.yml.local``, as Quarto's
    ``initializeProfileConfig`` merges them; each profile group not represented adds its
    first member."""
    config, profile = _config_file_with_profile(project)
    config = _with_included(config, project, project.parent, skipped)
    local = next(
        (f for ext in (".yml", ".yaml") if (f := project.parent / f"_quarto{ext}.local").is_file()),
        None,
    )
    named = os.environ.get("QUARTO_PROFILE") or _environment_profile(project.parent)
    if not named and local is not None:
        local_profile = _config_file_with_profile(local)[1]
        named = ",".join(local_profile[0]) if local_profile else ""
    active = [p for p in re.split(r"[ ,]+", named or "") if p]
    if profile is not None:
        default, groups = profile
        if not active:
            active = list(default)
        for group in groups:
            if not any(name in active for name in group):
                active.append(group[0])
    for name in reversed(active):
        for ext in (".yml", ".yaml"):
            file = project.parent / f"_quarto-{name}{ext}"
            if file.is_file():
                config = _merge_configs(config, _config_file(file))
                break
    if local is not None:
        config = _merge_configs(config, _config_file(local))
    return config


def _environment_profile(folder: Path) -> str:
    """``QUARTO_PROFILE`` as a Quarto project's ``_environment.local``, else ``_environment``
    (dotenv files) sets it, as Quarto's ``dotenvQuartoProfile`` reads them."""
    for name in ("_environment.local", "_environment"):
        file = folder / name
        if not file.is_file():
            continue
        from argmap.base.textio import read_text

        for line in read_text(file, ManuscriptError, "Quarto environment file").splitlines():
            m = re.match(r"\s*(?:export\s+)?QUARTO_PROFILE\s*=\s*(.*?)\s*$", line)
            if m:
                value = m.group(1)
                if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                elif " #" in value:
                    value = value.split(" #", 1)[0].rstrip()
                return value
    return ""


def _config_file_with_profile(
    path: Path,
) -> tuple[_Config, tuple[list[str], list[list[str]]] | None]:
    """A ``_quarto.yml``'s configuration and its ``profile:`` (default, groups)."""
    import yaml

    node = _compose(path, "Quarto project file")
    profile = None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value != "profile" or not isinstance(value, yaml.MappingNode):
                continue
            data = yaml.safe_load(yaml.serialize(value))
            default = data.get("default")
            names = (
                [str(d) for d in default]
                if isinstance(default, list)
                else [str(default)]
                if isinstance(default, str)
                else []
            )
            group = data.get("group")
            groups: list[list[str]] = []
            if isinstance(group, list) and group and all(isinstance(g, str) for g in group):
                groups = [[str(g) for g in group]]
            elif isinstance(group, list):
                groups = [[str(n) for n in g] for g in group if isinstance(g, list) and g]
            profile = (names, groups)
    return _config_node(path, node, 0, path.name), profile


def _config_file(path: Path, place: str = "") -> _Config:
    """A Quarto YAML file's configuration (``place``: how the note names it)."""
    return _config_node(path, _compose(path, "Quarto metadata file"), 0, place or path.name)


def _front_matter_config(path: Path, text: str) -> _Config | None:
    """The configuration of a document's front matter (its formats and tools)."""
    from argmap.manuscripts.named import metadata_blocks

    for start, lines, _ in metadata_blocks(text):
        if start != 1:
            return None
        import yaml

        try:
            node = yaml.compose(
                "\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            )
        except yaml.YAMLError:
            return None  # the reader reports it (front-matter-invalid); nothing is built
        return _config_node(path, node, start, "its front matter")
    return None


def _compose(path: Path, what: str) -> Any:
    """A YAML file composed (nodes with lines); an error naming its line when it does not
    parse (Quarto stops on it)."""
    from argmap.base.textio import read_text

    text = read_text(path, ManuscriptError, what)
    import yaml

    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ManuscriptError(
            f"does not parse as YAML ({getattr(error, 'problem', None) or error}); Quarto stops "
            "on it",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            hint="correct the YAML",
        ) from None


def _config_node(path: Path, node: Any, offset: int, place: str) -> _Config:
    """The fields argmap reads of a composed Quarto (or R Markdown) YAML mapping: top-level
    ``bibliography`` and ``cite-method``; ``format:`` (Quarto; a name, or a mapping of formats
    to their options or ``default``) and ``output:`` (R Markdown, with ``citation_package``)."""
    import yaml

    from argmap.manuscripts.named import NamedFile, yaml_bibliography

    def bib_of(mapping: Any, where: str) -> tuple[list[NamedFile], bool] | None:
        found = yaml_bibliography(path, mapping, offset)
        if found is None:
            return None
        files, scalar = found
        return [NamedFile(w, path, at, "bibliography", where) for w, at in files], scalar

    def cite_of(mapping: Any, field: str) -> Tool | None:
        from argmap.project.pandocrun import Tool

        if not isinstance(mapping, yaml.MappingNode):
            return None
        for key, value in mapping.value:
            if key.value == field and isinstance(value, yaml.ScalarNode):
                method = value.value.lower()
                line = offset + value.start_mark.line + 1
                where = f"{field}: {value.value} in {place} (line {line})"
                if method == "natbib":
                    return Tool("bibtex", "", where)
                if method == "biblatex":
                    return Tool("biber", "", where)
                return Tool("pandoc", "", where) if method in ("citeproc", "default") else None
        return None

    if not isinstance(node, yaml.MappingNode):
        return _EMPTY
    formats: dict[str, tuple[tuple[list[NamedFile], bool] | None, Tool | None]] = {}
    included: dict[str, list[tuple[str, int]]] = {}
    project_type = None
    for key, value in node.value:
        if key.value == "project" and isinstance(value, yaml.MappingNode):
            project_type = next(
                (v.value for k, v in value.value if k.value == "type" and hasattr(v, "value")),
                None,
            )
        if key.value in ("metadata-file", "metadata-files"):
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            included[key.value] = [
                (item.value, offset + item.start_mark.line + 1)
                for item in items
                if isinstance(item, yaml.ScalarNode) and item.value
            ]
        if key.value not in ("format", "output"):
            continue
        field = "cite-method" if key.value == "format" else "citation_package"
        if isinstance(value, yaml.ScalarNode) and value.value:
            formats[value.value] = (None, None)
        elif isinstance(value, yaml.MappingNode):
            for fmt, options in value.value:
                if isinstance(options, yaml.ScalarNode) and (
                    options.value in ("false", "null") or options.tag.endswith(":null")
                ):
                    continue  # a format switched off (Quarto's formatKeys leaves it out)
                where = f"{place} (format {fmt.value})"
                formats[fmt.value] = (bib_of(options, where), cite_of(options, field))
    # Quarto reads metadata-file before metadata-files
    includes = (*included.get("metadata-file", []), *included.get("metadata-files", []))
    return _Config(
        bib_of(node, place),
        cite_of(node, "cite-method"),
        formats,
        includes,
        project_type if isinstance(project_type, str) else None,
    )


def _rmarkdown_tools(path: Path, text: str) -> list[tuple[str, Tool]]:
    """Each output format of an R Markdown document and its tool: ``citation_package:
    natbib|biblatex`` under a format makes it BibTeX or biber; else pandoc's citeproc. The
    formats are those of ``_output.yml`` (in the document's folder, or its bookdown book's)
    merged with its front matter's ``output:`` (a chapter of a book: the book's first file's),
    whose options win, as rmarkdown merges them."""
    from argmap.project.pandocrun import Tool

    default = [("", Tool("pandoc", "", ""))]
    if path.suffix.lower() not in (".rmd", ".rmarkdown"):
        return default
    book = _bookdown_dir(path)
    folder = book or path.parent
    front, front_text = path, text
    if book is not None and "output" not in text:
        first = _bookdown_first_file(book)
        if first is not None and first.resolve() != path.resolve():
            from argmap.base.textio import read_text

            front, front_text = first, read_text(first, ManuscriptError, "manuscript")
    output_yml = folder / "_output.yml"
    if "citation_package" not in front_text and not output_yml.is_file():
        return default  # no format of it names a tool: PyYAML is not imported
    config = _EMPTY
    if output_yml.is_file():
        import yaml

        # _output.yml holds what output: would hold in the front matter
        key = yaml.ScalarNode("tag:yaml.org,2002:str", "output")
        node = yaml.MappingNode(
            "tag:yaml.org,2002:map", [(key, _compose(output_yml, "R Markdown output file"))]
        )
        config = _config_node(output_yml, node, 0, display_path(output_yml))
    if "output" in front_text:
        own = _front_matter_config(front, front_text)
        if own is not None:
            formats = dict(config.formats)
            for name, (bib, cite) in own.formats.items():
                formats[name] = (bib, cite or formats.get(name, (None, None))[1])
            config = config._replace(formats=formats)
    if not config.formats:
        return default
    tools = []
    for output_format, (_, cite) in config.formats.items():
        latex = any(word in output_format for word in _LATEX_FORMATS)
        if cite is not None and cite.name != "pandoc" and latex:
            tools.append((output_format, cite._replace(output=output_format)))
        else:
            tools.append((output_format, Tool("pandoc", output_format, "")))
    return tools


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
    written = {((n.base or n.source.parent).resolve() / n.written) for n in base[0]}
    more = [
        n for n in layer[0] if ((n.base or n.source.parent).resolve() / n.written) not in written
    ]
    return [*base[0], *more], False


# -- bookdown ----------------------------------------------------------------------------------


def _bookdown_dir(path: Path) -> Path | None:
    """The folder of the bookdown book (its ``_bookdown.yml``) ``path`` is a chapter of."""
    for directory in (path.parent, *path.parent.resolve().parents):
        if (directory / "_bookdown.yml").is_file():
            return directory
    return None


def _bookdown_first_file(directory: Path) -> Path | None:
    """A bookdown book's first file: ``rmd_files``' first, else ``index.Rmd``."""
    from argmap.base.textio import read_text

    config = directory / "_bookdown.yml"
    first = directory / "index.Rmd"
    text = read_text(config, ManuscriptError, "bookdown configuration")
    if "rmd_files" in text:
        listed = _first_rmd_file(config, text)
        if listed is not None:
            first = directory / listed
    return first if first.is_file() else None


def _bookdown_first(path: Path) -> tuple[list[NamedFile] | None, InlineReferences | None] | None:
    """For a chapter of a bookdown book (a ``_bookdown.yml`` in its folder or above), what the
    book's first file (``rmd_files``' first, else ``index.Rmd``) names in its front matter: the
    only YAML bookdown reads for the merged book."""
    from argmap.base.textio import read_text
    from argmap.manuscripts.named import markdown_naming

    directory = _bookdown_dir(path)
    if directory is None:
        return None
    first = _bookdown_first_file(directory)
    if first is None or first.resolve() == path.resolve():
        return None
    naming: Naming = markdown_naming(first, read_text(first, ManuscriptError, "manuscript"))
    files = naming.files
    if files is not None:
        place = f"{first.name}'s front matter, the book's first file"
        files = [n._replace(place=place) for n in files]
    return files, naming.inline


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
