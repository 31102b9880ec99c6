"""What a pandoc run's own options say about a document's bibliography and tool: a defaults file
(``--defaults FILE``, pandoc's ``-d``) and metadata files (``--metadata-file FILE``), read as
pandoc 2.17 and 3.9 read them.

- A defaults file is looked for as written, with ``.yaml`` added when it has no extension,
  then in the ``defaults`` folder of pandoc's user data directory; a ``defaults:`` in it names
  more defaults files, read first (the naming file's fields win). Several (``-d a -d b``) are
  read in order: a later file's field replaces an earlier one's, but ``bibliography``,
  ``metadata-files`` and ``filters`` add up and ``metadata`` is merged field by field, as the
  repeatable options they stand for do.
- Its ``bibliography`` replaces the document's (as ``--bibliography`` does), and so does its
  ``metadata: bibliography`` (as ``-M``); ``metadata-files``/``metadata-file`` and the
  ``--metadata-file`` options are read in order (a later file's field wins), and a document's own
  field wins over theirs.
- Every relative path in them is relative to the working directory (where pandoc runs), after
  ``${.}`` (the defaults file's folder), ``${USERDATA}`` and ``${VAR}`` (the environment) are
  expanded; a bibliography is looked up along ``resource-path`` (default: the working
  directory); a metadata file not found there is looked for in the user data directory's
  ``metadata`` folder.
- ``cite-method: natbib`` or ``biblatex`` makes the document built with BibTeX or biber
  (pandoc writes ``\\citep`` or ``\\autocite`` and leaves the bibliography to them); else
  pandoc's citeproc resolves its citations.
- ``input-files`` (or ``input-file``) name the manuscripts when none is given.
- ``pandoc-crossref`` among its ``filters`` makes ``@fig:x``, ``@tbl:x``, ``@sec:x``, ``@eq:x``
  and ``@lst:x`` cross-references (that filter resolves them before citeproc), not citations;
  ``pandoc-ling`` makes its examples' ``@id`` and ``@next``/``@last`` no citations either.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from argmap.errors import ManuscriptError, display_path

if TYPE_CHECKING:
    from argmap.manuscripts.named import InlineReferences, NamedFile
    from argmap.manuscripts.nocite import Nocite

MAX_NESTED = 20  # defaults files naming defaults files, at most (pandoc stops on a loop too)


class Tool(NamedTuple):
    """A bibliography tool a document is built with, and why: ``for_`` names the output (a
    format, "pandoc -d defaults.yaml"), ``how`` where it is set."""

    name: str  # "pandoc", "bibtex", "biber"
    output: str  # the output it is built for: "html", "pdf", "defaults.yaml"
    how: str  # "cite-method: natbib in _quarto.yml (line 7)"; "" for the default
    # the style BibTeX or biblatex is given (``biblio-style``: \bibliographystyle{apalike},
    # biblatex's style=); None when none is written (pandoc's LaTeX template then gives natbib
    # plainnat, biblatex its default)
    style: str | None = None


class MetadataFile(NamedTuple):
    """A metadata file: its path, its ``bibliography``, its ``references:``, its
    ``biblio-style`` and its ``csl``."""

    path: Path
    files: list[NamedFile] | None
    inline: InlineReferences | None
    style: str | None = None
    csl: NamedFile | None = None
    nocite: Nocite | None = None  # its ``nocite``: entries cited without a citation


class PandocRun(NamedTuple):
    """The options of a pandoc run that bear on a document's bibliography (see the module)."""

    defaults: tuple[Path, ...]
    bibliography: list[NamedFile] | None  # the defaults file's ``bibliography``
    metadata_bibliography: list[NamedFile] | None  # its ``metadata: bibliography``
    metadata_files: list[MetadataFile]
    tool: Tool | None
    input_files: list[Path]
    resource_path: list[Path]
    # the filters it runs, by name (``pandoc-crossref``, ``pandoc-ling``): what they resolve
    # are no citations (``argmap.manuscripts.named.filter_labels``)
    filters: tuple[str, ...] = ()
    # the defaults file and line of its input-files (None when it names none)
    inputs_named: tuple[Path, int] | None = None
    # its ``csl`` (or ``metadata: csl``): the CSL style citeproc is given, which pandoc stops
    # on when it cannot find it
    csl: NamedFile | None = None
    # its ``citeproc: true`` (pandoc's --citeproc), or ``citeproc`` among its filters
    citeproc: bool = False

    def describe(self) -> str:
        """How the note names the run: ``pandoc -d defaults.yaml --metadata-file m.yaml``."""
        parts = [_describe(self.defaults)]
        parts += [f"--metadata-file {display_path(m.path)}" for m in self.metadata_files]
        return " ".join(parts)


def user_data_dir() -> Path:
    """pandoc's user data directory: ``$XDG_DATA_HOME/pandoc`` (``~/.local/share/pandoc``),
    else ``~/.pandoc`` when only that one exists."""
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    data = Path(xdg) / "pandoc"
    legacy = Path.home() / ".pandoc"
    if not data.is_dir() and legacy.is_dir():
        return legacy
    return data


def read_pandoc_run(
    defaults: list[Path],
    metadata_files: list[Path],
    filters: list[str] | None = None,
    cwd: Path | None = None,
    given: dict[Path, tuple[Path, int]] | None = None,
) -> PandocRun | None:
    """The options ``--defaults`` (repeatable), ``--metadata-file`` and ``--filter`` (pandoc's
    ``--filter`` or ``--lua-filter``, after the defaults files' ``filters``) give (None when
    none is given). ``cwd``: the folder pandoc runs in, when not the working directory (R
    Markdown runs it in the document's); ``given``: where each file was given, when not on
    argmap's command line (a format's ``pandoc_args``: the file and line), for the errors."""
    if not defaults and not metadata_files and not filters:
        return None
    fields: dict[str, tuple[Any, Path, int]] = {}
    lists: dict[str, list[tuple[Any, Path, int]]] = {}
    origins = given or {}
    found = tuple(
        _find_defaults(name, _origin(origins, name), cwd, "pandoc_args") for name in defaults
    )
    for each in found:
        _read_defaults(each, fields, lists, [], cwd)
    bibliography = metadata_bibliography = None
    names: list[tuple[str, Path, int]] = []
    tool: Tool | None = None
    inputs: list[Path] = []
    inputs_named: tuple[Path, int] | None = None
    resource = [_at(cwd, Path())]
    if "bibliography" in lists:
        bibliography = [
            named
            for item, source, line in lists["bibliography"]
            for named in _named_files((item, source, line), "bibliography")
        ]
    if "metadata" in fields:
        value, source, line = fields["metadata"]
        if not isinstance(value, dict):
            raise _bad(source, line, "metadata", "is not a mapping of metadata fields")
        if "references" in value:
            raise ManuscriptError(
                "references: in a defaults file's metadata is not read by argmap",
                path=source,
                line=line,
                field="metadata.references",
                hint="keep the references in a .bib or CSL-YAML file and name it with "
                "bibliography:, or give --bib FILE",
            )
        if "bibliography" in value:
            metadata_bibliography = _named_files(
                (value["bibliography"], source, line), "metadata.bibliography"
            )
    for key in ("metadata-file", "metadata-files"):
        for name, source, line in lists.get(key, []):
            if not isinstance(name, str):
                raise _bad(source, line, key, "is not a file name or a list of file names")
            names.append((_expand(name, source), source, line))
    for key in ("input-files", "input-file"):
        if key in fields:
            value, source, line = fields[key]
            listed = [value] if isinstance(value, str) else value or []
            for name in listed if isinstance(listed, list) else [None]:
                if not isinstance(name, str):
                    raise _bad(source, line, key, "is not a file name or a list of file names")
                inputs.append(Path(_expand(name, source)))
            inputs_named = (source, line)
    if "resource-path" in fields:
        value, source, line = fields["resource-path"]
        listed = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in listed):
            raise _bad(source, line, "resource-path", "is not a list of folders")
        resource = [_at(cwd, Path(_expand(v, source))) for v in listed]
    if "cite-method" in fields:
        value, source, line = fields["cite-method"]
        method = str(value).lower()
        if method not in ("citeproc", "natbib", "biblatex"):
            wrong = f"'{value}' is not citeproc, natbib or biblatex"
            raise _bad(source, line, "cite-method", wrong)
        if method != "citeproc":
            # biblio-style: a metadata field or a template variable of the run
            style = next(
                (
                    str(fields[key][0]["biblio-style"])
                    for key in ("variables", "metadata")
                    if key in fields
                    and isinstance(fields[key][0], dict)
                    and fields[key][0].get("biblio-style")
                ),
                None,
            )
            tool = Tool(
                "bibtex" if method == "natbib" else "biber",
                _describe(found),
                f"cite-method: {method} in {display_path(source)} (line {line})",
                style,
            )
    if tool is None and found:
        tool = Tool("pandoc", _describe(found), "")
    csl = None
    # (a later key wins: csl, as --csl, over metadata's; pandoc refuses citation-style here)
    for key in ("metadata", "csl"):
        if key not in fields:
            continue
        value, source, line = fields[key]
        if key == "metadata":
            value = value.get("csl") if isinstance(value, dict) else None
        if value is None:
            continue
        field = "metadata.csl" if key == "metadata" else key
        if not isinstance(value, str) or not value.strip():
            raise _bad(source, line, field, "is not the name of a CSL style file")
        from argmap.manuscripts.named import NamedFile

        place = f"the defaults file {display_path(source)}"
        csl = NamedFile(_expand(value.strip(), source), source, line, field, place)
    runs: list[tuple[Path, Path | None, int | None, str]] = [
        *((Path(n), s, at, "metadata-files") for n, s, at in names),
        *((m, *(_origin(origins, m) or (None, None)), "pandoc_args") for m in metadata_files),
    ]
    read = [_metadata_file(path, source, line, field, cwd) for path, source, line, field in runs]
    from argmap.manuscripts.named import filter_name

    named_filters = tuple(
        name
        for entry in [*(e for e, _, _ in lists.get("filters", [])), *(filters or [])]
        if (name := filter_name(entry))
    )
    return PandocRun(
        found,
        bibliography,
        metadata_bibliography,
        read,
        tool,
        inputs,
        resource,
        named_filters,
        inputs_named,
        csl,
        fields.get("citeproc", (False,))[0] is True
        or any(e == "citeproc" for e, _, _ in lists.get("filters", [])),
    )


def _at(cwd: Path | None, path: Path) -> Path:
    """A path pandoc run in ``cwd`` reads (the working directory when None)."""
    return path if cwd is None or path.is_absolute() else cwd / path


def _origin(origins: dict[Path, tuple[Path, int]], name: Path) -> tuple[Path, int] | None:
    """Where a file pandoc is given was named (None: on argmap's command line)."""
    return origins.get(name)


def _find_defaults(
    name: Path, naming: tuple[Path, int] | None, cwd: Path | None = None, field: str = "defaults"
) -> Path:
    """Where pandoc (run in ``cwd``) finds a defaults file named ``name``: as written
    (``.yaml`` added to a name without extension), else in the user data directory's
    ``defaults`` folder. ``naming``: the file and line that name it, at its ``field``."""
    written = [name] if name.suffix else [name.with_name(name.name + ".yaml"), name]
    candidates = [
        *(_at(cwd, w) for w in written),
        *(user_data_dir() / "defaults" / w.name for w in written),
    ]
    for candidate in candidates:
        # a directory or a FIFO under the name is said as such when read, not "no such file"
        if os.path.lexists(candidate):
            return candidate
    looked = " or ".join(display_path(c) for c in candidates)
    if naming is not None:
        raise ManuscriptError(
            f"'{name}': no such defaults file (looked for {looked})",
            path=naming[0],
            line=naming[1],
            field=field,
            hint="correct the name (relative to "
            + (
                "the working directory, as pandoc reads it)"
                if cwd is None
                else "the document's folder, where R Markdown runs pandoc)"
            ),
        )
    raise ManuscriptError(
        f"--defaults {name}: no such defaults file (looked for {looked})",
        hint="give the defaults file's path, as to pandoc -d",
    )


# Fields of a defaults file whose values add to those of the defaults files read before it, as
# the options they stand for are repeatable on pandoc's command line (checked with two -d: both
# files' bibliography and metadata-files are read); every other field replaces the earlier one.
_COMBINED = ("bibliography", "metadata-files", "metadata-file", "filters")


def _describe(found: tuple[Path, ...]) -> str:
    """``pandoc -d a.yaml -d b.yaml``."""
    return " ".join(["pandoc", *(f"-d {display_path(f)}" for f in found)])


def _read_defaults(
    path: Path,
    fields: dict[str, tuple[Any, Path, int]],
    lists: dict[str, list[tuple[Any, Path, int]]],
    chain: list[Path],
    cwd: Path | None = None,
) -> None:
    """Read a defaults file's fields into ``fields`` (each with its file and line) and
    ``lists`` (the combined fields' items), the defaults files it names first, so that its own
    fields win; its ``metadata`` adds to the earlier one's, field by field."""
    from argmap.base.textio import open_input

    # opened and closed first: a loop of symbolic links, a directory or a FIFO is named by the
    # reader's message (Path.resolve raises on a loop)
    open_input(path, ManuscriptError, "defaults file").close()
    if path.resolve() in chain or len(chain) >= MAX_NESTED:
        raise ManuscriptError(
            "defaults files name each other in a loop",
            path=path,
            field="defaults",
            hint="remove the defaults: that leads back to this file",
        )
    mapping = _yaml_mapping(path, "defaults file")
    own: dict[str, tuple[Any, Path, int]] = {}
    for key, (value, line) in mapping.items():
        own[key] = (value, path, line)
    if "defaults" in own:
        value, _, line = own.pop("defaults")
        listed = [value] if isinstance(value, str) else value or []
        for name in listed if isinstance(listed, list) else [None]:
            if not isinstance(name, str):
                raise _bad(path, line, "defaults", "is not a file name or a list of file names")
            nested = _find_defaults(Path(_expand(name, path)), (path, line), cwd)
            _read_defaults(nested, fields, lists, [*chain, path.resolve()], cwd)
    for key, (value, source, line) in own.items():
        if key in _COMBINED:
            items = value if isinstance(value, list) else [] if value is None else [value]
            lists.setdefault(key, []).extend((item, source, line) for item in items)
        elif key == "metadata" and isinstance(value, dict) and "metadata" in fields:
            earlier = fields["metadata"][0]
            merged = {**earlier, **value} if isinstance(earlier, dict) else value
            fields[key] = (merged, source, line)
        else:
            fields[key] = (value, source, line)


def _metadata_file(
    path: Path,
    source: Path | None,
    line: int | None,
    field: str = "metadata-files",
    cwd: Path | None = None,
) -> MetadataFile:
    """A metadata file, found as pandoc (run in ``cwd``) finds it (the working directory, then
    the user data directory's ``metadata`` folder), with its bibliography and references;
    ``source`` and ``line``: where it is named (None: on argmap's command line), at its
    ``field``."""
    found = _at(cwd, path)
    if not os.path.lexists(found):
        fallback = user_data_dir() / "metadata" / path
        if not path.is_absolute() and fallback.is_file():
            found = fallback
        else:
            looked = f"{display_path(_at(cwd, path))} or {display_path(fallback)}"
            message = f"'{path}': no such metadata file (looked for {looked})"
            if source is None:
                raise ManuscriptError(
                    f"--metadata-file {path}: no such metadata file (looked for {looked})",
                    hint="give the metadata file's path, as to pandoc --metadata-file",
                )
            raise ManuscriptError(
                message,
                path=source,
                line=line,
                field=field,
                hint="correct the name (relative to the working directory, as pandoc reads it)"
                if field == "metadata-files"
                else "correct the name (relative to the document's folder, where R Markdown "
                "runs pandoc)",
            )
    from argmap.base.textio import read_text

    text = read_text(found, ManuscriptError, "metadata file")
    files = inline = None
    style: str | None = None
    csl: NamedFile | None = None
    nocite: Nocite | None = None
    # parsed whenever it holds anything: pandoc refuses one that is no YAML mapping ("expected
    # YAML object", 2.17 and 3.9), such as a list or a file cut short to one word
    if text.strip():
        from argmap.manuscripts.named import InlineReferences

        mapping = _yaml_mapping(found, "metadata file", text)
        if "bibliography" in mapping:
            value, at = mapping["bibliography"]
            # (pandoc expands ${.} and ${VAR} in a defaults file, not in a metadata file)
            files = [
                n._replace(place=f"the metadata file {display_path(found)}")
                for n in _named_files((value, found, at), "bibliography", expand=False)
            ]
        if "references" in mapping:
            at = mapping["references"][1]
            # the first YAML document alone, its lines kept where they are in the file
            lines = text.split("\n")
            start = 1 if lines[0].rstrip() == "---" else 0
            end = next(
                (i for i in range(start, len(lines)) if lines[i].rstrip() in ("---", "...")),
                len(lines),
            )
            body = "\n" * start + "\n".join(lines[start:end])
            inline = InlineReferences(found, at, body, display_path(found), start)
        given = mapping.get("biblio-style", (None, 0))[0]
        style = str(given) if isinstance(given, (str, int, float)) and given != "" else None
        from argmap.manuscripts.named import NamedFile

        for key in ("citation-style", "csl"):
            value, at = mapping.get(key, (None, 0))
            if isinstance(value, str) and value.strip():
                # (no ${.} expanded here either; looked up along the run's resource path)
                place = f"the metadata file {display_path(found)}"
                csl = NamedFile(value.strip(), found, at, key, place)
        if "nocite" in mapping:
            nocite = _nocite(found, *mapping["nocite"])
    return MetadataFile(found, files, inline, style, csl, nocite)


def _nocite(path: Path, value: Any, line: int) -> Nocite:
    """A metadata file's ``nocite`` (a string, or a list of them), each key given the field's
    line."""
    from argmap.manuscripts.nocite import Nocite, nocite_keys

    items = value if isinstance(value, list) else [value]
    keys: list[tuple[str, int]] = []
    every = False
    for item in items:
        if isinstance(item, str):
            found, all_of = nocite_keys(item, line)
            keys += [(key, line) for key, _ in found]
            every = every or all_of
    place = f"the metadata file {display_path(path)}"
    return Nocite(tuple(keys), every, path, line, place, isinstance(value, list))


def _yaml_mapping(path: Path, what: str, text: str | None = None) -> dict[str, tuple[Any, int]]:
    """A YAML file's top-level fields, each with the line of its key; an error (exit 2) when it
    does not parse or is not a mapping."""
    import yaml

    if text is None:
        from argmap.base.textio import read_text

        text = read_text(path, ManuscriptError, what)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # the first YAML document, as pandoc reads a metadata file written as front matter
        # (``---`` … ``---``): what follows its end marker is not read
        node = next(iter(yaml.compose_all(text, Loader=loader)), None)
        data = next(iter(yaml.load_all(text, Loader=loader)), None) if node is not None else None
    except yaml.YAMLError as error:
        raise yaml_error(error, path, "pandoc", f"correct the {what}'s YAML") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise ManuscriptError(
            f"is not a {what} (a YAML mapping of fields)", path=path, hint="correct the YAML"
        )
    lines = {
        key.value: key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return {str(k): (v, lines.get(str(k), 1)) for k, v in data.items()}


def yaml_error(error: Exception, path: Path, reader: str, hint: str) -> ManuscriptError:
    """The error for a YAML file that does not parse (``reader``, pandoc or Quarto, stops on
    it), at the line PyYAML marks."""
    mark = getattr(error, "problem_mark", None)
    return ManuscriptError(
        f"does not parse as YAML ({getattr(error, 'problem', None) or error}); {reader} stops "
        "on it",
        path=path,
        line=mark.line + 1 if mark is not None else None,
        hint=hint,
    )


def _named_files(field: tuple[Any, Path, int], name: str, expand: bool = True) -> list[NamedFile]:
    """The files a ``bibliography`` value names (a string or a list of strings); ``expand``:
    with a defaults file's variables expanded."""
    from argmap.manuscripts.named import NamedFile

    value, source, line = field
    if value is None:
        return []
    if isinstance(value, dict):
        # the multibib filter's named bibliographies (``bibliography: {refereed: a.bib}``):
        # every file it reads
        value = [
            v for group in value.values() for v in (group if isinstance(group, list) else [group])
        ]
    listed = [value] if isinstance(value, str) else value
    if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
        raise _bad(source, line, name, "is not a file name or a list of file names")
    place = f"the defaults file {display_path(source)}"
    return [
        NamedFile(_expand(v, source) if expand else v, source, line, name, place) for v in listed
    ]


_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def _expand(value: str, source: Path) -> str:
    """A path of a defaults file with ``${.}`` (its folder), ``${USERDATA}`` and ``${VAR}``
    (the environment) expanded, as pandoc expands them; an unset variable is left as written."""
    if "${" not in value:
        return value

    def variable(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == ".":
            return str(source.parent)
        if name == "USERDATA":
            return str(user_data_dir())
        return os.environ.get(name, m.group(0))

    return _VARIABLE.sub(variable, value)


def _bad(source: Path, line: int, field: str, what: str) -> ManuscriptError:
    """The error for a field of a defaults or metadata file written in a way pandoc refuses."""
    return ManuscriptError(
        what, path=source, line=line, field=field, hint="correct it as pandoc's manual writes it"
    )
