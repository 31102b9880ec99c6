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
- Each output format of a Quarto or R Markdown document (``argmap.project.builds``): the formats
  naming the same files are one check, with the tools they are built with (pandoc's citeproc,
  BibTeX for natbib, biber for biblatex); formats naming different files are each checked.
- A pandoc run's ``--defaults`` and ``--metadata-file`` (``argmap.project.pandocrun``): their
  bibliography replaces (defaults) or stands in for (metadata files) the document's, resolved
  from the working directory, as pandoc run there resolves it.
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

from argmap.base.patterns import lazy
from argmap.errors import ArgmapError, ManuscriptError, display_path

if TYPE_CHECKING:
    from argmap.base.problems import Problem
    from argmap.bib.model import Bibliography
    from argmap.manuscripts.named import InlineReferences, Labels, NamedFile, Naming
    from argmap.manuscripts.nocite import Nocite
    from argmap.project.builds import FormatBuild
    from argmap.project.pandocrun import PandocRun, Tool

MARKDOWN = (".md", ".markdown", ".qmd", ".rmd", ".rmarkdown")
LATEX = (".tex", ".ltx", ".rnw")


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
    # the @ references a filter (pandoc-crossref, pandoc-ling) or Quarto's custom
    # cross-reference types resolve: no citations
    labels: Labels | None = None
    # the output formats (Quarto's typst) whose bibliography Typst reads itself, and whether
    # pandoc's citeproc builds another of them
    typst: tuple[str, ...] = ()
    citeproc: bool = True
    # the metadata's ``nocite``: entries it cites without a citation in the text (``@*``: all)
    nocite: Nocite | None = None
    # what its build does that is reported before any check (``citeproc-not-run``)
    warnings: tuple[Problem, ...] = ()

    @property
    def names_one(self) -> bool:
        """Whether it names a bibliography at all (not only the tool it is built with)."""
        return bool(self.files) or self.inline is not None


class _Resolved(NamedTuple):
    path: Path
    named: NamedFile
    how: str  # "" when found where the tool looks first; else how it was found


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
    bib: Path, read: Callable[[Path], str], known: set[Path], run: PandocRun | None = None
) -> list[tuple[Path, DocumentBibliography]]:
    """The documents beside ``bib`` that are built with it: the Markdown, Quarto, R Markdown and
    LaTeX root files (a ``\\documentclass``; its chapters are read through it) of its folder,
    and every Quarto document of the project when its folder holds a ``_quarto.yml`` — each
    with the bibliography it names, when that includes ``bib``. ``known`` (resolved) are left
    out; ``run``: the pandoc run (its ``--filter``s) they are built with. A commit that changes
    only the bibliography is then checked against what cites it."""
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
            chosen = document_bibliography(path, read, run=run)
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
_TEX_ROOT = lazy(r"^%\s*!\s*TEX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_SUBFILES = lazy(r"\\documentclass\s*\[([^\]]+)\]\s*\{subfiles\}")


def _tex_root(path: Path, text: str) -> tuple[Path, str] | None:
    """The root file a LaTeX chapter names (``% !TEX root`` in its first 20 lines, or the
    subfiles class's option) when it exists, with how it was named."""
    head = "\n".join(text.split("\n", 20)[:20])
    for pattern, how in (
        (_TEX_ROOT, "the root file its % !TEX root names"),
        (_SUBFILES, "the root file its \\documentclass[...]{subfiles} names"),
    ):
        m = pattern().search(head)
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
            is_root = "\\documentclass" in body and not _SUBFILES().search(body)
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


def _markdown(
    path: Path, text: str, given: tuple[Path, ...] | None, run: PandocRun | None
) -> DocumentBibliography | None:
    """A Markdown, Quarto or R Markdown document's bibliography and tools, for each of its
    output formats (the formats naming the same files checked as one)."""
    from argmap.manuscripts.named import markdown_csl, markdown_naming
    from argmap.project.builds import FormatBuild, quarto_builds, quarto_project, rmarkdown_builds

    naming = markdown_naming(path, text)
    files, inline, scalar = naming
    project = quarto_project(path.parent)
    skipped: list[str] = []
    if project is not None or path.suffix.lower() == ".qmd":
        own = (files, scalar) if files is not None else None
        builds = quarto_builds(path, text, project, own, skipped)
    else:
        if files is None and path.suffix.lower() == ".rmd":
            book = _bookdown_first(path)
            if book is not None:
                files, book_inline = book
                inline = inline or book_inline
        builds = (
            rmarkdown_builds(path, text, files, skipped)
            if path.suffix.lower() in (".rmd", ".rmarkdown")
            else [FormatBuild("", files, None, csl=markdown_csl(path, text))]
        )
    # the files a pandoc run names, each with the run's resource path (where pandoc looks)
    from_run: dict[NamedFile, list[Path]] = {}
    builds = [_with_format_run(b, from_run) if b.run is not None else b for b in builds]
    # (those of R Markdown's pandoc_args, read from the document's folder, not where argmap runs)
    in_folder = set(from_run)
    labels: Labels | None = None
    for build in builds:
        if build.labels is not None:
            labels = build.labels.merged(labels)
    if run is not None and run.filters:
        from argmap.manuscripts.named import filter_labels

        found = filter_labels(list(run.filters), text)
        labels = found.merged(labels) if found is not None else labels
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
        for named in [*(override or []), *(n for m in run.metadata_files for n in m.files or [])]:
            from_run[named] = run.resource_path
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
            tool = run.tool
            if tool.name != "pandoc" and tool.style is None:
                # the run gives no style (-M/-V biblio-style): pandoc's LaTeX template passes
                # on the document's own, else the last metadata file's that gives one (the
                # document's metadata wins over a metadata file's)
                from argmap.project.builds import front_matter_style

                style = front_matter_style(path, text) or next(
                    (m.style for m in reversed(run.metadata_files) if m.style), None
                )
                tool = tool._replace(style=style)
            builds = [
                FormatBuild(run.describe(), builds[0].files, tool, csl=_run_csl(run, builds[0]))
            ]
        else:
            builds = [b._replace(csl=_run_csl(run, b)) for b in builds]
    _check_csl(path, builds, run)
    nocite = _nocite(path, text, builds, run)
    if given is not None:
        tools = tuple(_tools_of(builds))
        # the formats whose bibliography Typst reads, and whether citeproc builds another
        typst = tuple(b.output for b in builds if b.typst)
        citeproc = any(not b.typst and (b.tool is None or b.tool.name == "pandoc") for b in builds)
        if inline is None:
            if tools or labels or nocite or typst:
                return DocumentBibliography(
                    (),
                    None,
                    "",
                    tools,
                    labels=labels,
                    typst=typst,
                    citeproc=citeproc,
                    nocite=nocite,
                )
            return None
        names = ", ".join(display_path(p) for p in given)
        note = (
            f"{display_path(path)}: bibliography {names} (--bib), and the references: of "
            f"{inline.place} (line {inline.line})"
        )
        return DocumentBibliography(
            given,
            inline,
            note + tools_note(tools),
            tools,
            labels=labels,
            typst=typst,
            citeproc=citeproc,
            nocite=nocite,
        )
    # the formats naming the same files are checked as one
    grouped: dict[tuple[str, ...] | None, list[FormatBuild]] = {}
    for build in builds:
        key = None if build.files is None else tuple(n.written for n in build.files)
        grouped.setdefault(key, []).append(build)
    chosen: list[DocumentBibliography] = []
    for group in grouped.values():
        tools = tuple(_tools_of(group))
        group_files = group[0].files
        outputs = [b.output for b in group if b.output]
        output = f"format {', '.join(outputs)}" if len(grouped) > 1 and outputs else ""
        if group_files is None and inline is None:
            # checked against the configuration's bibliography (or the map's), as a document
            # naming none is; said when it is a format beside others that name their own
            if tools or labels or output or nocite:
                note = f"{display_path(path)} ({output}): names no bibliography" if output else ""
                chosen.append(
                    DocumentBibliography(
                        (),
                        None,
                        note,
                        tools,
                        output=output,
                        labels=labels,
                        typst=tuple(b.output for b in group if b.typst),
                        citeproc=any(
                            not b.typst and (b.tool is None or b.tool.name == "pandoc")
                            for b in group
                        ),
                        nocite=nocite,
                    )
                )
            continue
        if any(b.typst for b in group):
            _typst_reads(group_files or [], [b.output for b in group if b.typst])
        resolved = [
            _resolve_from_run(named, from_run[named], path, named in in_folder)
            if named in from_run
            else _resolve_from_run(named, run.resource_path, path)
            if run is not None and _pandoc_reads_it(path, run, named)
            else _resolve_markdown(path, named)
            for named in group_files or []
        ]
        one = _chosen(path, resolved, inline, f" ({output})" if output else "")
        chosen.append(
            one._replace(
                note=one.note + tools_note(tools),
                tools=tools,
                output=output,
                labels=labels,
                nocite=nocite,
                typst=tuple(b.output for b in group if b.typst),
                citeproc=any(
                    not b.typst and (b.tool is None or b.tool.name == "pandoc") for b in group
                ),
            )
        )
    if run is None and project is None and path.suffix.lower() in (".rmd", ".rmarkdown"):
        unresolved = _citeproc_not_run(path, text, files, inline, builds)
        if unresolved and chosen:
            chosen[0] = chosen[0]._replace(warnings=unresolved)
    if skipped:
        said = "; ".join(skipped)
        if not chosen:
            return DocumentBibliography((), None, f"{display_path(path)}: {said}", nocite=nocite)
        first = chosen[0].note
        note = f"{first} ({said})" if first else f"{display_path(path)}: {said}"
        chosen[0] = chosen[0]._replace(note=note)
    if not chosen:
        return None
    return chosen[0]._replace(variants=tuple(chosen[1:]))


# rmarkdown's ``citeproc_required`` (R/output_format.R) reads these lines anywhere in the text
_RMARKDOWN_NAMES = lazy(r"^(?:bibliography|references):\s*$", re.MULTILINE)


def _citeproc_not_run(
    path: Path,
    text: str,
    files: list[NamedFile] | None,
    inline: InlineReferences | None,
    builds: list[FormatBuild],
) -> tuple[Problem, ...]:
    """R Markdown's formats built by citeproc whose bibliography only their ``pandoc_args``
    name (``--bibliography``, ``-d FILE``, ``--metadata-file FILE``): rmarkdown adds
    ``--citeproc`` only when the front matter names a ``bibliography`` or ``references``
    (``citeproc_required`` in rstudio/rmarkdown's R/output_format.R), so pandoc prints their
    citations as written (checked with pandoc 2.17: ``--metadata-file`` naming the
    bibliography, no ``--citeproc``: "[@a1]"); a ``citeproc-not-run`` warning for each, at the
    line that names the bibliography."""
    if files is not None or inline is not None or _RMARKDOWN_NAMES().search(text):
        return ()
    from argmap.base.problems import Problem, Severity

    found: list[Problem] = []
    for build in builds:
        if (
            not build.files
            or build.citeproc_asked
            or build.typst
            or (build.tool is not None and build.tool.name != "pandoc")
        ):
            continue
        named = build.files[0]
        found.append(
            Problem(
                "citeproc-not-run",
                Severity.WARNING,
                display_path(named.source),
                named.line,
                f"{display_path(path)} ({build.output or 'its output'}): R Markdown runs pandoc "
                "without --citeproc, as the front matter names no bibliography (rmarkdown does "
                "not look for one in pandoc_args): the citations are printed as written, "
                "unresolved; argmap checks them against "
                + ", ".join(n.written for n in build.files),
                suggestion="name the bibliography in the front matter (bibliography:), or add "
                "--citeproc to the format's pandoc_args",
            )
        )
    return tuple(found)


def _nocite(
    path: Path, text: str, builds: list[FormatBuild], run: PandocRun | None
) -> Nocite | None:
    """The ``nocite`` a document is built with: its metadata's (for a Quarto document, merged
    with its project's and folders' files, as Quarto merges them), else the last of the pandoc
    run's metadata files that writes one (the document's metadata wins over theirs)."""
    quarto = next((b.nocite for b in builds if b.nocite is not None), None)
    found = quarto
    if found is None and "nocite" in text:
        from argmap.manuscripts.nocite import markdown_nocite

        found = markdown_nocite(path, text)
    if found is None and run is not None:
        found = next((m.nocite for m in reversed(run.metadata_files) if m.nocite), None)
    return found


def drop_unnamed_formats(
    named: list[Path], own: list[DocumentBibliography | None]
) -> tuple[list[DocumentBibliography | None], list[Problem]]:
    """When no bibliography is configured: each document's output formats that name none
    left out where another of its formats names one (that one is checked; the document would
    build for it), with a ``format-without-bibliography`` warning for each format left out."""
    from argmap.base.problems import Problem, Severity

    kept: list[DocumentBibliography | None] = []
    warnings: list[Problem] = []
    for path, chosen in zip(named, own, strict=True):
        builds = [] if chosen is None else [chosen._replace(variants=()), *chosen.variants]
        naming = [b for b in builds if b.names_one]
        if not naming or len(naming) == len(builds):
            kept.append(chosen)
            continue
        for build in builds:
            if not build.names_one:
                warnings.append(
                    Problem(
                        "format-without-bibliography",
                        Severity.WARNING,
                        display_path(path),
                        None,
                        f"{build.output} names no bibliography, and none is configured: not "
                        "checked for that format (its citations would be rendered unresolved)",
                        suggestion="name one under its format:, or give --bib FILE",
                    )
                )
        kept.append(naming[0]._replace(variants=tuple(naming[1:])))
    return kept, warnings


def _with_format_run(build: FormatBuild, from_run: dict[NamedFile, list[Path]]) -> FormatBuild:
    """A format built with a pandoc run of its own (R Markdown's ``pandoc_args: [-d, FILE]``,
    ``[--metadata-file, FILE]``): the defaults file's bibliography replaces the format's; a
    metadata file's counts only where the format names none (the document's own metadata
    wins). The files the run names are recorded in ``from_run`` with its resource path."""
    run = build.run
    assert run is not None
    override = run.bibliography if run.bibliography is not None else run.metadata_bibliography
    meta = next((m.files for m in reversed(run.metadata_files) if m.files is not None), None)
    files = override if override is not None else build.files if build.files is not None else meta
    for named in [*(override or []), *(n for m in run.metadata_files for n in m.files or [])]:
        from_run[named] = run.resource_path
    return build._replace(files=files)


def _run_csl(run: PandocRun, build: FormatBuild) -> NamedFile | None:
    """The CSL style of a build with a pandoc run: the defaults file's ``csl`` (as ``--csl``),
    else the document's own, else the last metadata file's that names one (the document's
    metadata wins over a metadata file's: pandoc 2.17 and 3.9)."""
    if run.csl is not None:
        return run.csl
    if build.csl is not None:
        return build.csl
    return next((m.csl for m in reversed(run.metadata_files) if m.csl is not None), None)


def _check_csl(path: Path, builds: list[FormatBuild], run: PandocRun | None) -> None:
    """The CSL style each output format is rendered with (a defaults file's ``csl``, the
    document's own ``csl:``, a Quarto project's or format's, a metadata file's) exists where
    pandoc looks for it; else an error at the line naming it, as pandoc stops there ("File
    x.csl not found in resource path", 2.17 and 3.9). Only where pandoc's citeproc runs:
    pandoc reads no style for a format built with natbib or biblatex (checked: ``--natbib``
    with a missing ``csl:`` builds), nor Typst for its own bibliography (a style name such as
    ``apa`` is one of its own). The style changes how citations print, not which keys pandoc
    finds, so nothing else is read of it."""
    checked: set[NamedFile] = set()
    for build in builds:
        named = build.csl
        if named is not None and build.typst and named not in checked:
            checked.add(named)
            _check_typst_csl(path, named, build.output)
            continue
        if named is None or named in checked or build.typst:
            continue
        if build.tool is not None and build.tool.name != "pandoc":
            continue  # pandoc writes \citep{} or \autocite{}: no citeproc, no style read
        checked.add(named)
        _check_one_csl(path, named, build.run or run)


def _check_typst_csl(path: Path, named: NamedFile, output: str) -> None:
    """A Quarto typst format's ``csl``: Quarto's template passes it to Typst as written
    (``#set bibliography(style: "$csl$")``, quarto-cli's ``biblio.typ``), which takes a name of
    its own styles (``apa``) or a ``.csl`` file, and stops on a file it does not find ("file
    not found", Typst 0.15); such a file is looked for as Quarto passes its name on (relative
    to the file that names it, else the document's folder), and its absence is an error at
    the line naming it. A name is Typst's (an unknown one Typst's "unknown style", not told
    here: argmap does not hold Typst's list)."""
    written = named.written
    if (
        not written.lower().endswith(".csl")
        or written.startswith(("http://", "https://"))
        or "`r " in written
        or written.startswith("!expr")
    ):
        return
    file = Path(written)
    base = named.base or named.source.parent
    looked = (
        [file] if file.is_absolute() else list(dict.fromkeys([base / file, path.parent / file]))
    )
    if any(candidate.is_file() for candidate in looked):
        return
    raise ManuscriptError(
        f"'{written}': no such CSL style (looked for "
        f"{' or '.join(display_path(c) for c in looked)}); Typst (format {output or 'typst'}) "
        'stops on it ("file not found")',
        path=named.source,
        line=named.line,
        field=named.field,
        hint="correct the name (relative to the file that names it, or the document's folder), "
        "or name one of Typst's own styles (csl: apa)",
    )


def _check_one_csl(path: Path, named: NamedFile, run: PandocRun | None) -> None:
    """One CSL style looked for as pandoc looks for it (see ``_check_csl``)."""
    if named.written.startswith(("http://", "https://")):
        return  # (a URL: pandoc fetches it; argmap does not)
    if "`r " in named.written or named.written.startswith("!expr"):
        # computed by R code (R Markdown's "`r system.file(...)`", "!expr here::here(...)"),
        # which argmap does not run: the style changes no key found, so the check goes on
        return
    written = Path(named.written)
    names = [written] if written.suffix else [written.with_name(written.name + ".csl"), written]
    by_run = run is not None and (
        named == run.csl
        or any(named == m.csl for m in run.metadata_files)
        or _pandoc_reads_it(path, run, named)
    )
    relative = "the document's folder"
    if written.is_absolute():
        folders = [Path()]
    elif run is not None and by_run:
        folders = list(run.resource_path)
        relative = (
            "the working directory, where pandoc runs"
            if run.resource_path == [Path()]
            else " or ".join(display_path(f) for f in folders) + ", where pandoc runs"
        )
    elif named.source != path and named.source.parent.resolve() != path.parent.resolve():
        # a Quarto project's (or _metadata.yml's) csl: Quarto rewrites a name that is a file
        # relative to the file naming it (toInputRelativePaths); else pandoc, run in the
        # document's folder, looks it up there
        base = named.base or named.source.parent
        names_at = [base / written, *(path.parent / name for name in names)]
        relative = "the file that names it, or the document's folder"
        _csl_found_or_stop(named, names_at, names, written, relative)
        return
    else:
        folders = [path.parent]
        if path.suffix.lower() in (".md", ".markdown") and Path.cwd().resolve() != (
            path.parent.resolve()
        ):
            folders.append(Path())  # pandoc run here reads it from here
    looked = [folder / name for folder in folders for name in names]
    _csl_found_or_stop(named, looked, names, written, relative)


def _csl_found_or_stop(
    named: NamedFile, looked: list[Path], names: list[Path], written: Path, relative: str
) -> None:
    """Nothing when one of ``looked`` (or the style in pandoc's user data directory's ``csl``
    folder) is a file; else the error naming the file, line and field that name the style."""
    from argmap.project.pandocrun import user_data_dir

    looked = [*looked, *(user_data_dir() / "csl" / n for n in names if not written.is_absolute())]
    if any(candidate.is_file() for candidate in looked):
        return
    raise ManuscriptError(
        f"'{named.written}': no such CSL style (looked for "
        f"{' or '.join(display_path(p) for p in looked)}); pandoc stops on it",
        path=named.source,
        line=named.line,
        field=named.field,
        hint=f"correct the name (relative to {relative}), or leave csl out for pandoc's "
        "default style",
    )


def _typst_reads(files: list[NamedFile], outputs: list[str]) -> None:
    """The bibliography of a Quarto typst format that Typst reads itself (no ``citeproc:
    true``): a .bib, or a Hayagriva .yml/.yaml, which argmap does not read; Typst stops on
    anything else ("unknown bibliography format (must be .yaml/.yml or .bib)", Typst 0.15)."""
    formats = ", ".join(outputs)
    for named in files:
        suffix = Path(named.written).suffix.lower()
        if suffix in (".yml", ".yaml"):
            raise ManuscriptError(
                f"'{named.written}' is read by Typst (format {formats}) as a Hayagriva YAML "
                "bibliography, which argmap does not read",
                path=named.source,
                line=named.line,
                field=named.field,
                hint="name a .bib export of it (Typst reads BibLaTeX too), set citeproc: true "
                "under the format for pandoc to read it as CSL-YAML, or give --bib FILE",
            )
        if suffix != ".bib":
            raise ManuscriptError(
                f"'{named.written}': Typst (format {formats}) reads only a .bib or a Hayagriva "
                '.yml/.yaml bibliography, and stops on this one ("unknown bibliography format")',
                path=named.source,
                line=named.line,
                field=named.field,
                hint="name a .bib export of it, or set citeproc: true under the format for "
                "pandoc's citeproc to read it",
            )


def _tools_of(builds: list[FormatBuild]) -> list[Tool]:
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
        said = [w for w in (tool.how, f"style {tool.style}" if tool.style else "") if w]
        parts.append(f"{part} ({'; '.join(said)})" if said else part)
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
        note = f"{note}, with {refs}" if note else f"{who}: {refs}"
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
    """Whether pandoc itself, run here with the run's options (``-d``, or ``--metadata-file``
    alone: pandoc 2.17 and 3.9 alike), resolves a name a plain Markdown document writes
    (Quarto and R Markdown run pandoc in the document's folder). ``--filter`` alone says
    nothing of where pandoc runs: the document's names are then looked for as without a run."""
    return (
        bool(run.defaults or run.metadata_files)
        and named.source == document
        and document.suffix.lower() in (".md", ".markdown")
    )


def _resolve_from_run(
    named: NamedFile,
    resource_path: list[Path],
    document: Path | None = None,
    rmarkdown: bool = False,
) -> _Resolved:
    """A bibliography a defaults or metadata file names: along the run's ``resource-path``
    (default: the working directory), as pandoc looks it up; ``document``: the manuscript
    checked, whose folder the hint names when the file is there."""
    written = Path(named.written)
    candidates = [written] if written.is_absolute() else [d / written for d in resource_path]
    for candidate in candidates:
        if candidate.is_file():
            return _Resolved(_readable(candidate, named), named, "")
    beside = named.source.parent / written
    if named.place.startswith("the metadata file"):
        # pandoc expands no ${.} in a metadata file (2.17 and 3.9: "File ${.}/refs.bib not
        # found in resource path"), so the way out is not the defaults file's; R Markdown's
        # pandoc_args are read in the document's folder (render() sets it as the working
        # directory), wherever argmap runs
        where = (
            "the document's folder, where R Markdown runs pandoc"
            if rmarkdown
            else "the working directory, where pandoc runs"
        )
        hint = f"correct the name (relative to {where})"
        near = document.parent / written if document is not None else None
        if "${" in named.written:
            hint = (
                "pandoc expands ${.} and ${VAR} in a defaults file, not in a metadata file: "
                f"write the path relative to {where}"
            )
        elif not written.is_absolute() and beside.is_file() and rmarkdown:
            relative = os.path.relpath(beside, resource_path[0]) if resource_path else beside
            hint = (
                f"{display_path(beside)} is beside the metadata file, but pandoc reads its names "
                f"relative to {where}: write it as {relative}"
            )
        elif not written.is_absolute() and beside.is_file():
            hint = (
                f"{display_path(beside)} is beside the metadata file, but pandoc reads its names "
                f"relative to the working directory: write it as {display_path(beside)}, or run "
                "pandoc and argmap from the metadata file's folder"
            )
        elif not written.is_absolute() and near is not None and near.is_file():
            hint = (
                f"{display_path(near)} is beside the document, but pandoc reads a metadata "
                "file's names relative to the working directory: run pandoc and argmap from "
                "the document's folder"
            )
        raise _not_found(named, candidates, hint=f"{hint}, or give --bib FILE")
    hint = (
        "correct the name (relative to the working directory, where pandoc runs, or ${.}/ for "
        "the defaults file's folder), or give --bib FILE"
    )
    if named.source.suffix.lower() in (".md", ".markdown"):
        # the document's own name, read by pandoc run here with -d or --metadata-file
        hint = "correct the name (relative to the working directory, where pandoc runs)"
        if beside.is_file():
            hint = (
                f"pandoc run here does not find it; {display_path(beside)} is beside the "
                "document: run pandoc and argmap from the document's folder, or add that "
                "folder to the run's resource-path"
            )
        hint += ", or give --bib FILE"
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


def _bookdown_first(path: Path) -> tuple[list[NamedFile] | None, InlineReferences | None] | None:
    """For a chapter of a bookdown book (a ``_bookdown.yml`` in its folder or above), what the
    book's first file (``rmd_files``' first, else ``index.Rmd``) names in its front matter: the
    only YAML bookdown reads for the merged book."""
    from argmap.base.textio import read_text
    from argmap.manuscripts.named import markdown_naming
    from argmap.project.builds import bookdown_dir, bookdown_first_file

    directory = bookdown_dir(path)
    if directory is None:
        return None
    first = bookdown_first_file(directory)
    if first is None or first.resolve() == path.resolve():
        return None
    naming: Naming = markdown_naming(first, read_text(first, ManuscriptError, "manuscript"))
    files = naming.files
    if files is not None:
        place = f"{first.name}'s front matter, the book's first file"
        files = [n._replace(place=place) for n in files]
    return files, naming.inline


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
