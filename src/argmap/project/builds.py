"""The output formats a Quarto or R Markdown document is rendered to, with the bibliography and
the bibliography tool of each, read as Quarto and rmarkdown read their configuration.

- Quarto (from quarto-cli's source: ``project-profile.ts``, ``dotenv.ts``, ``config/metadata.ts``,
  ``render-contexts.ts``, ``extension/extension.ts``): ``_quarto.yml`` with its active profiles
  (``QUARTO_PROFILE``, ``_environment(.local)``, ``profile: default:`` and ``group:``) and
  ``_quarto.yml.local``; the ``_metadata.yml`` files from the project's folder down to the
  document's; the files ``metadata-files`` name; an extension's contributed format (``abnt-pdf``);
  the document's front matter. The formats are the document's (and its folders'), else the
  project's (a book's always), else html; each format's bibliography merges the layers' top-level
  and format-level values as ``mergeConfigs`` does, and ``cite-method: natbib|biblatex`` in a
  LaTeX format makes it BibTeX's or biber's.
- R Markdown: the formats of ``_output.yml`` merged with the front matter's ``output:`` (a bookdown
  chapter: the book's first file's), ``citation_package: natbib|biblatex`` under a PDF format.

Only configuration is read here (no bibliography): ``argmap.project.documents`` resolves the
names. May import ``argmap.errors``, ``argmap.base`` and ``argmap.manuscripts.named``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from argmap.errors import ManuscriptError, display_path

if TYPE_CHECKING:
    from argmap.manuscripts.named import Labels, NamedFile
    from argmap.manuscripts.nocite import Nocite
    from argmap.project.pandocrun import PandocRun, Tool

QUARTO_FILES = ("_quarto.yml", "_quarto.yaml")
METADATA_FILES = ("_metadata.yml", "_metadata.yaml")


class FormatBuild(NamedTuple):
    """One output format of a document: its name, the files it names, its tool."""

    output: str
    files: list[NamedFile] | None
    tool: Tool | None  # None: pandoc's citeproc, as the reader supposes (nothing says otherwise)
    # the @ references a filter (pandoc-crossref, pandoc-ling) or Quarto's custom cross-reference
    # types resolve before citeproc: no citations
    labels: Labels | None = None
    # Quarto's typst format without citeproc: true: Typst itself reads the bibliography (a .bib,
    # or a Hayagriva .yml/.yaml) and resolves the citations
    typst: bool = False
    # the CSL style pandoc's citeproc is given (``csl:``, top-level or the format's), which
    # pandoc stops on when it cannot find it; None when none is named
    csl: NamedFile | None = None
    # a pandoc run of the format's own (R Markdown's ``pandoc_args: [-d, FILE]`` or
    # ``[--metadata-file, FILE]``), read from the folder pandoc runs in
    run: PandocRun | None = None
    # the metadata's ``nocite`` (pandoc's: entries cited without a citation), None without one
    nocite: Nocite | None = None
    # R Markdown: pandoc runs citeproc whatever the front matter names (``pandoc_args`` hold
    # ``--citeproc``, or its defaults file ``citeproc: true``)
    citeproc_asked: bool = False


# -- Quarto projects ---------------------------------------------------------------------------


def _present(path: Path) -> bool:
    """Whether a project file is there for Quarto (or rmarkdown) to read: anything ``stat``
    finds, a directory or a FIFO too (the reader then says what it is), and a loop of symbolic
    links (Quarto's ``existsSync`` throws on it); not a link to nothing, which Quarto takes
    for no file."""
    import errno

    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return True


def quarto_project(folder: Path) -> Path | None:
    """The Quarto project (the folder of the nearest ``_quarto.yml``) ``folder`` lies in."""
    for directory in (folder, *folder.resolve().parents):
        for name in QUARTO_FILES:
            # a directory, a FIFO or a loop of links under that name is Quarto's project file
            # too (Quarto stops on it): found, so that reading it says what it is
            if _present(directory / name):
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
    # ``biblio-style``: the top-level one under "", each format's under its name
    styles: dict[str, str] | None = None
    filters: tuple[str, ...] = ()  # ``filters:``, each by name (``filter_name``)
    custom: tuple[str, ...] = ()  # ``crossref: custom:`` types' ``key`` (``vid``: ``@vid-x``)
    # R Markdown: each output format's ``pandoc_args`` that argmap reads
    arguments: dict[str, _PandocArgs] | None = None
    # ``csl`` (or ``citation-style``): the top-level one under "", each format's under its name
    csl: dict[str, NamedFile] | None = None
    nocite: Nocite | None = None  # the top-level ``nocite``
    # ``include-in-header`` (top-level under "", each format's under its name): each header
    # as (the file, None) or (the file naming it, the LaTeX text given inline), with its line
    headers: dict[str, tuple[tuple[Path, str | None, int], ...]] | None = None


class _PandocArgs(NamedTuple):
    """What an R Markdown format's ``pandoc_args`` say: the tool (``--natbib``, ``--biblatex``,
    ``--citeproc``), the bibliography (``--bibliography FILE``, replacing the document's, as
    pandoc's option does), the filters (``--filter``, ``--lua-filter``), the CSL style
    (``--csl FILE``), and the defaults and metadata files (``-d FILE``, ``--metadata-file
    FILE``), each as written with its line."""

    tool: Tool | None
    bib: list[NamedFile] | None
    filters: tuple[str, ...]
    defaults: tuple[tuple[str, int], ...] = ()
    metadata: tuple[tuple[str, int], ...] = ()
    csl: NamedFile | None = None
    source: Path | None = None  # the file that writes them (_output.yml, the document)


_EMPTY = _Config(None, None, {})


def _merge_configs(base: _Config, layer: _Config) -> _Config:
    """Quarto's ``mergeConfigs`` of two configurations, for the fields argmap reads."""
    nocite = base.nocite or layer.nocite
    if base.nocite is not None and layer.nocite is not None:
        from argmap.manuscripts.nocite import merged_nocite

        nocite = merged_nocite(base.nocite, layer.nocite)
    formats = dict(base.formats)
    for name, (bib, cite) in layer.formats.items():
        old_bib, old_cite = formats.get(name, (None, None))
        formats[name] = (_quarto_merge(old_bib, bib), cite or old_cite)
    return _Config(
        _quarto_merge(base.bib, layer.bib),
        layer.cite or base.cite,
        formats,
        project_type=layer.project_type or base.project_type,
        styles={**(base.styles or {}), **(layer.styles or {})} or None,
        # (arrays: mergeConfigs concatenates them)
        filters=tuple(dict.fromkeys((*base.filters, *layer.filters))),
        custom=tuple(dict.fromkeys((*base.custom, *layer.custom))),
        csl={**(base.csl or {}), **(layer.csl or {})} or None,
        nocite=nocite,
        headers={
            key: (*(base.headers or {}).get(key, ()), *(layer.headers or {}).get(key, ()))
            for key in {*(base.headers or {}), *(layer.headers or {})}
        }
        or None,
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
        csl={k: n._replace(base=folder) for k, n in config.csl.items()} if config.csl else None,
    )


def quarto_builds(
    path: Path,
    text: str,
    project: Path | None,
    own: tuple[list[NamedFile], bool] | None,
    skipped: list[str],
) -> list[FormatBuild]:
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
    from argmap.manuscripts.named import markdown_csl

    # the document's own csl and nocite: its metadata blocks' last, as pandoc reads them
    own_csl = markdown_csl(path, text)
    if own_csl is not None:
        doc = doc._replace(csl={**(doc.csl or {}), "": own_csl})
    if "nocite" in text:
        from argmap.manuscripts.nocite import markdown_nocite

        doc = doc._replace(nocite=markdown_nocite(path, text))
    doc = _with_included(doc, path, path.parent, skipped)
    # the document's (and its folders') formats override the project's list (Quarto's
    # resolveFormats), but for a book, which renders the project's formats only; none: html
    keys = list(dict.fromkeys([*doc.formats, *directory.formats])) or list(proj.formats)
    if proj.project_type == "book":
        keys = list(proj.formats)
    labels = _quarto_labels(text, (proj, directory, doc))
    nocite = _merge_configs(_merge_configs(proj, directory), doc).nocite
    builds = []
    for output in keys or ["html"]:
        merged: tuple[list[NamedFile], bool] | None = None
        cite: Tool | None = None
        style: str | None = None
        csl: NamedFile | None = None
        extension = _extension_config(path, project, output)
        typst_base = output.rsplit("-", 1)[-1] == "typst"
        for layer in (extension, proj, directory, doc):
            fmt_bib, fmt_cite = layer.formats.get(output, (None, None))
            merged = _quarto_merge(_quarto_merge(merged, layer.bib), fmt_bib)
            # (citeproc: true is read for a typst format only: the LaTeX formats keep their
            # cite-method, as before)
            said = [c for c in (fmt_cite, layer.cite) if c is not None]
            if not typst_base:
                said = [c for c in said if not c.how.startswith("citeproc:")]
            cite = said[0] if said else cite
            styles = layer.styles or {}
            style = styles.get(output) or styles.get("") or style
            named_csl = layer.csl or {}
            csl = named_csl.get(output) or named_csl.get("") or csl
        tool = _tool(output, cite)
        if style is not None and tool.name != "pandoc":
            tool = tool._replace(style=style)
        if merged is None and tool.name == "biber":
            # biblatex's \addbibresource in a LaTeX header the format includes: biber reads it
            merged = _header_resources(path, output, (proj, directory, doc))
        typst = typst_base and not (cite is not None and cite.how.startswith("citeproc:"))
        files = merged[0] if merged else None
        builds.append(FormatBuild(output, files, tool, labels, typst=typst, csl=csl, nocite=nocite))
    return builds


def _yaml_nocite(path: Path, node: Any, offset: int, place: str) -> Nocite | None:
    """A composed mapping's ``nocite`` (``argmap.manuscripts.nocite``, imported only then)."""
    if not any(key.value == "nocite" for key, _ in node.value):
        return None
    from argmap.manuscripts.nocite import yaml_nocite

    return yaml_nocite(path, node, offset, place)


def _header_resources(
    path: Path, output: str, layers: tuple[_Config, ...]
) -> tuple[list[NamedFile], bool] | None:
    """The bibliographies a biblatex format's LaTeX headers name (``include-in-header``,
    top-level or the format's, a file or ``text:``; ``header-includes``) with
    ``\\addbibresource``, as biber reads them: relative to the document's folder, where Quarto
    writes the ``.tex`` and runs LaTeX and biber; None when they name none."""
    from argmap.base.textio import read_text
    from argmap.manuscripts.named import latex_naming

    def read(file: Path) -> str:
        return read_text(file, ManuscriptError, "LaTeX header")

    found: list[NamedFile] = []
    for layer in layers:
        for file, text, line in (
            *(layer.headers or {}).get("", ()),
            *(layer.headers or {}).get(output, ()),
        ):
            if text is None and not file.is_file():
                continue  # Quarto stops on it ("file not found"): not argmap's to say here
            body = read(file) if text is None else text
            if "addbibresource" not in body and "\\input" not in body:
                continue
            named = latex_naming(file, body, read).files or []
            for each in named:
                if each.field == "\\bibliography":
                    continue  # (BibTeX's: no biber there)
                at = each.line if text is None else line + each.line - 1
                where = f"{display_path(file)} (a LaTeX header of format {output})"
                found.append(each._replace(line=at, place=where, base=path.parent.resolve()))
    return (found, False) if found else None


def _quarto_labels(text: str, layers: tuple[_Config, ...]) -> Labels | None:
    """What a Quarto document's filters (the layers' ``filters:`` joined) and custom
    cross-reference types (``crossref: custom: - key: vid``, whose ``@vid-x`` Quarto resolves as
    it does ``@fig-x``) make no citations."""
    from argmap.manuscripts.named import Labels, filter_labels

    filters = [name for layer in layers for name in layer.filters]
    labels = filter_labels(filters, text)
    custom = tuple(dict.fromkeys(f"{key.lower()}-" for layer in layers for key in layer.custom))
    if custom:
        own = Labels(custom, filters=("crossref: custom",))
        labels = own if labels is None else labels.merged(own)
    return labels


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
    if any(word in text for word in _FRONT_MATTER_WORDS) or _FRONT_MATTER_KEYS.search(text):
        return True
    if ("csl" in text or "citation-style" in text) and _FORMAT_CSL.search(text):
        return True  # a format's own CSL style
    if "typst" in text and _FORMAT_KEY.search(text):
        return True  # Typst reads the bibliography itself (and csl is its style)
    tools = [c.cite for c in configs] + [t for c in configs for _, t in c.formats.values()]
    if "biblio-style" in text and any(t is not None and t.name != "pandoc" for t in tools):
        return True  # the style its BibTeX or biblatex is given
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
# Fields of a front matter that make it parsed for what they set
_FRONT_MATTER_WORDS = ("cite-method", "citation_package", "metadata-file", "citeproc:")
# (as top-level keys only: "filters" and "crossref" are words of prose too)
_FRONT_MATTER_KEYS = re.compile(r"^(?:filters|crossref)[ \t]*:", re.MULTILINE)
_FORMAT_KEY = re.compile(r"^format[ \t]*:", re.MULTILINE)
# an indented ``csl:`` (a format's own, ``format: html: csl: x.csl``)
_FORMAT_CSL = re.compile(r"^[ \t]+(?:csl|citation-style)[ \t]*:", re.MULTILINE)


def _tool(output: str, cite: Tool | None) -> Tool:
    """The tool of an output format: ``cite-method`` natbib or biblatex in a LaTeX format (pdf,
    latex, beamer, and an extension's ``acm-pdf``), else pandoc's citeproc."""
    from argmap.project.pandocrun import Tool

    base = output.rsplit("-", 1)[-1]
    if cite is not None and cite.name != "pandoc" and base in _LATEX_FORMATS:
        return cite._replace(output=output)
    return Tool("pandoc", output, "")


# The profiles ``--quarto-profile`` names (as ``quarto render --profile``, which sets
# QUARTO_PROFILE for the render: it wins over the environment's); None: not given.
_PROFILE_OPTION: ContextVar[str | None] = ContextVar("quarto_profile", default=None)


@contextmanager
def quarto_profile(names: list[str] | None) -> Iterator[None]:
    """Within it, the Quarto profiles active are ``names`` (``--quarto-profile``, each
    comma- or space-separated, as Quarto splits QUARTO_PROFILE), not the environment's."""
    token = _PROFILE_OPTION.set(",".join(names) if names else None)
    try:
        yield
    finally:
        _PROFILE_OPTION.reset(token)


def _project_config(project: Path, skipped: list[str]) -> _Config:
    """A Quarto project's configuration: ``_quarto.yml`` merged with the profiles
    ``QUARTO_PROFILE`` (else its ``profile: default:``) makes active, each
    ``_quarto-<profile>.yml`` (the first named wins), and ``_quarto.yml.local``, as Quarto's
    ``initializeProfileConfig`` merges them; each profile group not represented adds its
    first member."""
    config, profile = _config_file_with_profile(project)
    config = _with_included(config, project, project.parent, skipped)
    local = next(
        (f for ext in (".yml", ".yaml") if _present(f := project.parent / f"_quarto{ext}.local")),
        None,
    )
    named = (
        _PROFILE_OPTION.get()
        or os.environ.get("QUARTO_PROFILE")
        or _environment_profile(project.parent)
    )
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
            if _present(file):  # (a directory or a FIFO said as such when read)
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


def front_matter_style(path: Path, text: str) -> str | None:
    """The ``biblio-style`` a document's front matter gives (None when it gives none)."""
    if "biblio-style" not in text:
        return None
    config = _front_matter_config(path, text)
    return (config.styles or {}).get("") if config is not None else None


def _compose(path: Path, what: str) -> Any:
    """A YAML file composed (nodes with lines); an error naming its line when it does not
    parse (Quarto, or R Markdown for its ``_output.yml``, stops on it)."""
    from argmap.base.textio import read_text

    text = read_text(path, ManuscriptError, what)
    import yaml

    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        from argmap.project.pandocrun import yaml_error

        reader = "R Markdown" if what.startswith("R Markdown") else "Quarto"
        raise yaml_error(error, path, reader, "correct the YAML") from None


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
        for key, value in mapping.value:
            if (
                field == "cite-method"
                and key.value == "citeproc"
                and isinstance(value, yaml.ScalarNode)
                and value.value.lower() in ("true", "yes")
            ):
                # (Quarto's typst format: pandoc's citeproc instead of Typst's own; read for
                # that format only, where no cite-method is written)
                line = offset + value.start_mark.line + 1
                return Tool("pandoc", "", f"citeproc: {value.value} in {place} (line {line})")
        return None

    def style_of(mapping: Any) -> str | None:
        if not isinstance(mapping, yaml.MappingNode):
            return None
        return next(
            (
                v.value
                for k, v in mapping.value
                if k.value == "biblio-style" and isinstance(v, yaml.ScalarNode) and v.value
            ),
            None,
        )

    def csl_of(mapping: Any, where: str) -> NamedFile | None:
        # (citation-style: pandoc's alias of csl; the last one written wins, as in YAML)
        if not isinstance(mapping, yaml.MappingNode):
            return None
        found = None
        for k, v in mapping.value:
            if k.value in ("csl", "citation-style") and isinstance(v, yaml.ScalarNode) and v.value:
                line = offset + v.start_mark.line + 1
                found = NamedFile(v.value.strip(), path, line, k.value, where)
        return found

    def headers_of(mapping: Any) -> tuple[tuple[Path, str | None, int], ...]:
        # include-in-header: a file, a list of files, {file: x} or {text: "\\usepackage..."}
        found: list[tuple[Path, str | None, int]] = []
        if not isinstance(mapping, yaml.MappingNode):
            return ()
        for k, v in mapping.value:
            if k.value not in ("include-in-header", "header-includes"):
                continue
            items = v.value if isinstance(v, yaml.SequenceNode) else [v]
            for item in items:
                # (a block scalar's text starts on the line after its "|")
                line = (
                    offset + item.start_mark.line + 1 + (getattr(item, "style", None) in ("|", ">"))
                )
                if isinstance(item, yaml.ScalarNode) and item.value:
                    if k.value == "header-includes":
                        found.append((path, item.value, line))  # (pandoc's raw LaTeX)
                    else:
                        found.append((path.parent / item.value, None, line))
                elif isinstance(item, yaml.MappingNode):
                    for key, value in item.value:
                        if isinstance(value, yaml.ScalarNode) and key.value == "file":
                            found.append((path.parent / value.value, None, line))
                        elif isinstance(value, yaml.ScalarNode) and key.value == "text":
                            at = offset + value.start_mark.line + 1 + (value.style in ("|", ">"))
                            found.append((path, value.value, at))
        return tuple(found)

    if not isinstance(node, yaml.MappingNode):
        return _EMPTY
    formats: dict[str, tuple[tuple[list[NamedFile], bool] | None, Tool | None]] = {}
    headers: dict[str, tuple[tuple[Path, str | None, int], ...]] = {}
    if top_headers := headers_of(node):
        headers[""] = top_headers
    styles: dict[str, str] = {}
    top_style = style_of(node)
    if top_style is not None:
        styles[""] = top_style
    csl: dict[str, NamedFile] = {}
    top_csl = csl_of(node, place)
    if top_csl is not None:
        csl[""] = top_csl
    included: dict[str, list[tuple[str, int]]] = {}
    project_type = None
    arguments: dict[str, _PandocArgs] = {}
    filters: list[str] = []
    custom: list[str] = []
    for key, value in node.value:
        if key.value == "filters" and isinstance(value, yaml.SequenceNode):
            from argmap.manuscripts.named import filter_name

            data = yaml.safe_load(yaml.serialize(value))
            filters += [n for entry in data if (n := filter_name(entry))]
        if key.value == "crossref" and isinstance(value, yaml.MappingNode):
            data = yaml.safe_load(yaml.serialize(value))
            kinds = data.get("custom") if isinstance(data, dict) else None
            custom += [
                str(kind["key"])
                for kind in (kinds if isinstance(kinds, list) else [])
                if isinstance(kind, dict) and isinstance(kind.get("key"), str) and kind["key"]
            ]
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
        if key.value == "output" and isinstance(value, yaml.MappingNode):
            arguments = {
                fmt.value: found
                for fmt, options in value.value
                if (found := _pandoc_args(path, options, offset, place, fmt.value)) is not None
            }
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
                format_style = style_of(options)
                if format_style is not None:
                    styles[fmt.value] = format_style
                format_csl = csl_of(options, where)
                if format_csl is not None:
                    csl[fmt.value] = format_csl
                if format_headers := headers_of(options):
                    headers[fmt.value] = format_headers
    # Quarto reads metadata-file before metadata-files
    includes = (*included.get("metadata-file", []), *included.get("metadata-files", []))
    return _Config(
        bib_of(node, place),
        cite_of(node, "cite-method"),
        formats,
        includes,
        project_type if isinstance(project_type, str) else None,
        styles or None,
        tuple(filters),
        tuple(custom),
        arguments or None,
        csl or None,
        _yaml_nocite(path, node, offset, place),
        headers or None,
    )


# pandoc's options that name a file, as R Markdown's pandoc_args may give them
_ARG_FILES = ("--bibliography", "--filter", "-F", "--lua-filter", "-L", "--csl")
_ARG_RUNS = ("-d", "--defaults", "--metadata-file")


def _pandoc_args(
    path: Path, options: Any, offset: int, place: str, output: str
) -> _PandocArgs | None:
    """An R Markdown format's ``pandoc_args`` (a list of strings), read as pandoc reads its
    command line (``--opt value`` and ``--opt=value``); None when it has none."""
    import yaml

    from argmap.manuscripts.named import NamedFile, filter_name
    from argmap.project.pandocrun import Tool

    if not isinstance(options, yaml.MappingNode):
        return None
    node = next((v for k, v in options.value if k.value == "pandoc_args"), None)
    if not isinstance(node, yaml.SequenceNode):
        return None
    items = [
        (item.value, offset + item.start_mark.line + 1)
        for item in node.value
        if isinstance(item, yaml.ScalarNode)
    ]
    tool: Tool | None = None
    bib: list[NamedFile] = []
    filters: list[str] = []
    defaults: list[tuple[str, int]] = []
    metadata: list[tuple[str, int]] = []
    csl: NamedFile | None = None
    where = f"{place} (format {output}, pandoc_args)"
    index = 0
    while index < len(items):
        arg, line = items[index]
        name, _, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in (*_ARG_FILES, *_ARG_RUNS) and not value and index + 1 < len(items):
            index += 1
            value, line = items[index]  # (an error names the value's line)
        how = f"pandoc_args {name} in {place} (line {line})"
        if name == "--natbib":
            tool = Tool("bibtex", "", how)
        elif name == "--biblatex":
            tool = Tool("biber", "", how)
        elif name in ("--citeproc", "-C"):
            tool = Tool("pandoc", "", how)
        elif name == "--bibliography" and value:
            bib.append(NamedFile(value, path, line, "bibliography", where))
        elif name == "--csl" and value:
            csl = NamedFile(value, path, line, "pandoc_args", where)
        elif name in _ARG_FILES and value:
            found = filter_name(value)
            filters += [found] if found else []
        elif name in ("-d", "--defaults") and value:
            defaults.append((value, line))
        elif name == "--metadata-file" and value:
            metadata.append((value, line))
        index += 1
    return _PandocArgs(
        tool, bib or None, tuple(filters), tuple(defaults), tuple(metadata), csl, path
    )


# A top-level ``output:`` (a chapter's own formats; the word alone is common in R code)
_OUTPUT_KEY = re.compile(r"^output[ \t]*:", re.MULTILINE)

# rticles' formats (rstudio/rticles, R/*.R at 2e55e74): the citation_package each defaults to
# (``elsevier_article <- function(..., citation_package = "natbib")``); those not named here
# default to rmarkdown's "default" (citeproc). Some set it whatever is written: ams_article and
# mdpi_article pass 'natbib', rsos_article "--natbib" in its pandoc_args, joss_article "default".
_RTICLES_NATBIB = frozenset(
    "agu ams asa bioinformatics biometrics elsevier frontiers ims informs iop jasa lipics jedm "
    "sage sim springer trb wellcomeor isba copernicus jss ajs mdpi rjournal rss tf rsos".split()
)
_RTICLES_BIBLATEX = frozenset({"pihph"})
_RTICLES_FIXED = {"ams": "natbib", "mdpi": "natbib", "rsos": "natbib", "joss": "default"}


def _rticles_tool(output: str, cite: Tool | None, options: dict[str, str]) -> Tool | None:
    """The tool of an rticles format (``rticles::elsevier_article``): the one it sets whatever
    is written, else ``cite`` (its ``citation_package``, written), else its default; None for
    another package's format."""
    from argmap.project.pandocrun import Tool

    package, _, name = output.partition("::")
    if package != "rticles" or not name.endswith("_article"):
        return cite
    journal = name.removesuffix("_article")
    method = _RTICLES_FIXED.get(journal)
    how = f"{output} sets citation_package {method}"
    if method is None:
        if cite is not None:
            return cite
        if journal == "oup":
            # oup_article: "default" for oup_version 0 (its default), natbib for 1
            method = "natbib" if options.get("oup_version", "0") not in ("0", "") else "default"
        else:
            method = (
                "natbib"
                if journal in _RTICLES_NATBIB
                else "biblatex"
                if journal in _RTICLES_BIBLATEX
                else "default"
            )
        how = f"{output}'s default citation_package: {method}"
    name_of = {"natbib": "bibtex", "biblatex": "biber"}
    return Tool(name_of.get(method, "pandoc"), "", how if method != "default" else "")


def _scalar_options(node: Any, output: str) -> dict[str, str]:
    """The scalar options of format ``output`` in a composed ``output:`` mapping."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == output and isinstance(value, yaml.MappingNode):
            return {k.value: v.value for k, v in value.value if isinstance(v, yaml.ScalarNode)}
    return {}


def rmarkdown_builds(
    path: Path, text: str, files: list[NamedFile] | None, notes: list[str]
) -> list[FormatBuild]:
    """Each output format of an R Markdown document, with its bibliography (the document's
    ``files``, unless the format's ``pandoc_args`` give ``--bibliography``), its tool and the
    labels its filters resolve. The tool: ``citation_package: natbib|biblatex`` under a format,
    else ``--natbib``/``--biblatex``/``--citeproc`` in its ``pandoc_args``, else an rticles
    format's own default (``rticles::elsevier_article``: natbib), else pandoc's citeproc. The
    formats are those of ``_output.yml`` (in the document's folder, or its bookdown book's)
    merged with its front matter's ``output:`` (a chapter of a book: the book's first file's),
    whose options win, as rmarkdown merges them. A format's ``pandoc_args`` ``-d FILE`` and
    ``--metadata-file FILE`` are read as pandoc run in the document's folder (rmarkdown's
    ``render`` and ``pandoc_convert`` run it there; a book's: the book's folder) reads them
    (``FormatBuild.run``); ``--csl FILE`` is the format's CSL style."""
    from argmap.manuscripts.named import filter_labels, markdown_csl
    from argmap.project.pandocrun import Tool

    if path.suffix.lower() not in (".rmd", ".rmarkdown"):
        return [FormatBuild("", files, Tool("pandoc", "", ""), csl=markdown_csl(path, text))]
    book = bookdown_dir(path)
    folder = book or path.parent
    front, front_text = path, text
    if book is not None and not _OUTPUT_KEY.search(text):
        first = bookdown_first_file(book)
        if first is not None and first.resolve() != path.resolve():
            from argmap.base.textio import read_text

            front, front_text = first, read_text(first, ManuscriptError, "manuscript")
    # (the merged book's front matter is its first file's: a chapter's own csl is not read)
    csl = markdown_csl(front, front_text)
    default = [FormatBuild("", files, Tool("pandoc", "", ""), csl=csl)]
    output_yml = folder / "_output.yml"
    # (a directory, a FIFO or a loop of links under that name is said as such when read)
    has_output_yml = _present(output_yml)
    words = ("citation_package", "rticles::", "pandoc_args")
    if not any(word in front_text for word in words) and not has_output_yml:
        return default  # no format of it names a tool: PyYAML is not imported
    config = _EMPTY
    options: dict[str, dict[str, str]] = {}
    if has_output_yml:
        import yaml

        # _output.yml holds what output: would hold in the front matter
        key = yaml.ScalarNode("tag:yaml.org,2002:str", "output")
        composed = _compose(output_yml, "R Markdown output file")
        node = yaml.MappingNode("tag:yaml.org,2002:map", [(key, composed)])
        config = _config_node(output_yml, node, 0, display_path(output_yml))
        options = {name: _scalar_options(composed, name) for name in config.formats}
    if "output" in front_text or "biblio-style" in front_text:
        # (a book's formats may all be in _output.yml, its style in the front matter)
        own = _front_matter_config(front, front_text)
        if own is not None:
            formats = dict(config.formats)
            for name, (bib, cite) in own.formats.items():
                formats[name] = (bib, cite or formats.get(name, (None, None))[1])
            arguments = {**(config.arguments or {}), **(own.arguments or {})}
            config = config._replace(
                formats=formats, styles=own.styles, arguments=arguments or None
            )
            front_options = _front_output_options(front_text)
            options = {**options, **front_options}
    if not config.formats:
        return default
    builds = []
    for output_format, (_, cite) in config.formats.items():
        given = (config.arguments or {}).get(output_format)
        run = _format_run(given, folder)
        if given is not None:
            cite = cite or given.tool
        if run is not None and cite is None and run.tool is not None and run.tool.how:
            cite = run.tool  # the defaults file's cite-method
        # (bookdown::pdf_book's base_format: rticles::elsevier_article, a usual pairing, takes
        # the rticles format's citation_package)
        own_options = options.get(output_format, {})
        base_format = own_options.get("base_format", "")
        rticles = base_format if base_format.startswith("rticles::") else output_format
        cite = _rticles_tool(rticles, cite, own_options)
        latex = rticles.startswith("rticles::") or any(
            word in output_format for word in _LATEX_FORMATS
        )
        filters = [*(run.filters if run is not None else ()), *(given.filters if given else ())]
        labels = filter_labels(filters, text) if filters else None
        named = given.bib if given is not None and given.bib is not None else files
        if cite is not None and cite.name != "pandoc" and latex:
            # biblio-style: the front matter's metadata, which pandoc's LaTeX template reads
            style = (config.styles or {}).get("")
            tool = cite._replace(output=output_format, style=style)
        else:
            tool = Tool("pandoc", output_format, "")
        # --csl, else the defaults file's csl, replaces the document's, which wins over a
        # metadata file's (the last that names one)
        format_csl = (
            (given.csl if given else None)
            or (run.csl if run else None)
            or csl
            or next((m.csl for m in reversed(run.metadata_files if run else []) if m.csl), None)
        )
        asked = (given is not None and given.tool is not None and given.tool.name == "pandoc") or (
            run is not None and run.citeproc
        )
        builds.append(
            FormatBuild(
                output_format, named, tool, labels, csl=format_csl, run=run, citeproc_asked=asked
            )
        )
    return builds


def _format_run(given: _PandocArgs | None, folder: Path) -> PandocRun | None:
    """The pandoc run a format's ``pandoc_args`` give (``-d FILE``, ``--metadata-file FILE``),
    read from ``folder``, where rmarkdown runs pandoc; None when they give neither."""
    if given is None or not (given.defaults or given.metadata) or given.source is None:
        return None
    from argmap.project.pandocrun import read_pandoc_run

    source = given.source
    origins = {Path(v): (source, line) for v, line in (*given.defaults, *given.metadata)}
    return read_pandoc_run(
        [Path(v) for v, _ in given.defaults],
        [Path(v) for v, _ in given.metadata],
        cwd=folder,
        given=origins,
    )


def _front_output_options(text: str) -> dict[str, dict[str, str]]:
    """The scalar options of each format of a front matter's ``output:``."""
    from argmap.manuscripts.named import metadata_blocks

    for start, lines, _ in metadata_blocks(text):
        if start != 1:
            break
        import yaml

        try:
            node = yaml.compose(
                "\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            )
        except yaml.YAMLError:
            break
        if not isinstance(node, yaml.MappingNode):
            break
        output = next((v for k, v in node.value if k.value == "output"), None)
        if isinstance(output, yaml.MappingNode):
            return {k.value: _scalar_options(output, k.value) for k, _ in output.value}
    return {}


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


def bookdown_dir(path: Path) -> Path | None:
    """The folder of the bookdown book (its ``_bookdown.yml``) ``path`` is a chapter of."""
    for directory in (path.parent, *path.parent.resolve().parents):
        if (directory / "_bookdown.yml").is_file():
            return directory
    return None


def bookdown_first_file(directory: Path) -> Path | None:
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
