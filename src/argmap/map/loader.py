"""Reading an argument map from YAML files into one validated map, with file:line errors: as plain
objects (``read_map``, for `argmap show`, without importing Pydantic when every file is plainly
valid or cached) or as the Pydantic models (``load_map``, for every other command)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argmap.base.sanitize import char_code, find_control, one_line
from argmap.base.textio import decode_text, file_kind, not_found_hint, read_bytes
from argmap.errors import MapError
from argmap.map.data import ArticleData, ClaimData, MapData
from argmap.map.graph import check_graph
from argmap.map.plain import plain_article, plain_claim

if TYPE_CHECKING:
    import yaml
    from pydantic import BaseModel, ValidationError

    from argmap.map.models import ArgumentMap

MAX_DEPTH = 64
MAX_NODES = 1_000_000
YAML_SUFFIXES = (".yaml", ".yml")

PathKey = tuple[str | int, ...]


def _loader_class() -> type[yaml.SafeLoader]:
    """PyYAML's C loader, several times faster; the pure one behaves the same. (PyYAML is
    imported here, not at the top: a map read from the cache of validated files needs none.)"""
    import yaml

    try:
        return yaml.CSafeLoader  # type: ignore[return-value]
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        return yaml.SafeLoader


class MapInvalid(MapError):
    """Several errors found in a map; each is a MapError with its own file and line."""

    def __init__(self, errors: list[MapError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the argument map")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


# Plain classes, not dataclasses: a command that reads a map then imports no ``dataclasses``
# (with the ``inspect`` it imports, ~10 ms) and makes no class at import (~1 ms each).
_SOURCE_FIELDS = ("path", "data", "lines", "columns", "content")
_LOADED_FIELDS = ("map", "origins", "files")


def _fields(item: object, names: tuple[str, ...]) -> tuple[object, ...]:
    """The values of ``names`` on ``item``, for equality."""
    return tuple(getattr(item, name) for name in names)


def _repr(item: object, names: tuple[str, ...]) -> str:
    """``item`` shown as a dataclass's repr shows it."""
    shown = ", ".join(f"{name}={getattr(item, name)!r}" for name in names)
    return f"{type(item).__name__}({shown})"


class SourceFile:
    """One YAML file's data, with the line of every node by its path in the data."""

    __slots__ = ("columns", "content", "data", "lines", "path")

    def __init__(
        self,
        path: Path,
        data: Any,
        lines: dict[PathKey, int] | None = None,
        columns: dict[PathKey, int] | None = None,
        content: bytes | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.lines: dict[PathKey, int] = {} if lines is None else lines
        # of the key, or the list item
        self.columns: dict[PathKey, int] = {} if columns is None else columns
        # The file's bytes, when it came from the cache of validated files: its node positions
        # are found (by parsing these bytes) only if a message asks for one.
        self.content = content

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceFile):
            return NotImplemented
        return _fields(self, _SOURCE_FIELDS) == _fields(other, _SOURCE_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        return _repr(self, _SOURCE_FIELDS)

    def _place(self) -> None:
        """Find the node positions of a file taken from the cache, at the first need."""
        if self.content is not None:
            parsed = parse_yaml(self.path, self.content)
            self.lines, self.columns, self.content = parsed.lines, parsed.columns, None

    def line_of(self, key: PathKey) -> int | None:
        """The line of the node at ``key``, or of its nearest ancestor that exists."""
        self._place()
        for end in range(len(key), -1, -1):
            line = self.lines.get(key[:end])
            if line is not None:
                return line
        return None

    def column_of(self, key: PathKey) -> int | None:
        """The 1-based column where the node at ``key`` is named (its key, or its list item)."""
        self._place()
        return self.columns.get(key)


class ClaimOrigin:
    """Where a claim was read from: its file and its index in that file's ``claims`` list."""

    __slots__ = ("index", "source")

    def __init__(self, source: SourceFile, index: int) -> None:
        self.source = source
        self.index = index

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClaimOrigin):
            return NotImplemented
        return (self.source, self.index) == (other.source, other.index)

    def __hash__(self) -> int:
        return hash((self.source, self.index))

    def __repr__(self) -> str:
        return _repr(self, ("source", "index"))

    def locate(self, rest: PathKey = ()) -> tuple[Path, int | None, str]:
        """File, line and dotted field path of ``rest`` within this claim."""
        key: PathKey = ("claims", self.index, *rest)
        return self.source.path, self.source.line_of(key), format_field_path(key)

    def column(self, rest: PathKey = ()) -> int | None:
        """The column of ``rest`` within this claim, when the file names it."""
        return self.source.column_of(("claims", self.index, *rest))


class LoadedMap:
    """A validated map and where each claim came from, for messages that point at the YAML."""

    __slots__ = ("files", "map", "origins")

    def __init__(
        self, map: ArgumentMap, origins: dict[str, ClaimOrigin], files: list[Path]
    ) -> None:
        self.map = map
        self.origins = origins
        self.files = files

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoadedMap):
            return NotImplemented
        return _fields(self, _LOADED_FIELDS) == _fields(other, _LOADED_FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return _repr(self, _LOADED_FIELDS)


class LoadedData:
    """A validated map as plain objects (``argmap.map.data``), and where each claim came from."""

    __slots__ = ("files", "map", "origins")

    def __init__(self, map: MapData, origins: dict[str, ClaimOrigin], files: list[Path]) -> None:
        self.map = map
        self.origins = origins
        self.files = files

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoadedData):
            return NotImplemented
        return _fields(self, _LOADED_FIELDS) == _fields(other, _LOADED_FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return _repr(self, _LOADED_FIELDS)

    def as_models(self) -> LoadedMap:
        """The same map made of the Pydantic models (imports Pydantic)."""
        from argmap.map.convert import map_model

        return LoadedMap(map=map_model(self.map), origins=self.origins, files=self.files)


def format_field_path(key: Iterable[str | int]) -> str:
    """``('claims', 3, 'evidence', 0)`` as ``claims[3].evidence[0]``."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# Files a writer has beside a map and may name with --map by mistake, by what they are.
_BIBLIOGRAPHY = ("a bibliography", "give it with --bib")
_MANUSCRIPT = ("a manuscript", "check it with argmap check-citations FILE --bib REFS")
_NOT_A_MAP = {
    **dict.fromkeys((".bib", ".bibtex", ".biblatex", ".ris", ".json"), _BIBLIOGRAPHY),
    **dict.fromkeys((".md", ".markdown", ".qmd", ".rmd", ".tex", ".ltx", ".rnw"), _MANUSCRIPT),
    **dict.fromkeys((".docx", ".odt", ".doc", ".pdf", ".txt"), _MANUSCRIPT),
    ".csl": ("a citation style", "give it to argmap refs --style"),
    ".toml": ("a configuration file", "argmap reads it by itself from the directory it is in"),
}


def find_yaml_files(path: Path) -> list[Path]:
    """The YAML files a map path stands for: the file itself, or every one below a directory.

    Symbolic links are followed, to files and to directories alike; a link that leads nowhere,
    back into a directory being read, or to one already read, and a ``.yaml`` that is not a
    regular file (a FIFO, a device) are errors, never skipped in silence.
    """
    if not os.path.lexists(path):
        raise MapError(
            "map not found",
            path=path,
            hint=not_found_hint(path, "pass --map with a directory or YAML file"),
        )
    if path.is_symlink() and not path.exists():
        raise MapError(
            f"map is a symbolic link to a missing path ({os.readlink(path)})",
            path=path,
            hint="point the link at the map, or name the map itself",
        )
    if path.is_file():
        other = _NOT_A_MAP.get(path.suffix.lower())
        if other is not None:
            what, hint = other
            raise MapError(
                f"is {what}, not a map (a map is YAML: a directory such as arguments/, or one "
                ".yaml file)",
                path=path,
                hint=hint,
            )
        return [path]
    if not path.is_dir():
        raise MapError(
            f"map is {_file_kind(path)}, not a YAML file or a directory",
            path=path,
            hint="pass --map with a directory or YAML file",
        )
    files: list[Path] = []
    errors: list[MapError] = []
    read: dict[str, Path] = {os.path.realpath(path): path}
    stack = [path]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            errors.append(MapError(f"cannot read directory: {exc.strerror}", path=directory))
            continue
        for entry in entries:
            found = Path(entry.path)
            if entry.is_dir():
                real = os.path.realpath(found)
                if real in read:
                    here = os.path.realpath(directory)
                    loop = here == real or here.startswith(real + os.sep)
                    errors.append(
                        MapError(
                            "symbolic link loop: it leads back into the map directory"
                            if loop
                            else f"symbolic link to a directory already read ({read[real]})",
                            path=found,
                            hint="remove the link; each map file is read once",
                        )
                    )
                    continue
                read[real] = found
                stack.append(found)
            elif found.suffix in YAML_SUFFIXES:
                if entry.is_file():
                    files.append(found)
                elif entry.is_symlink() and not found.exists():
                    if entry.name.startswith(".#"):
                        continue  # Emacs's lock while a file is edited: a link to nowhere
                    errors.append(
                        MapError(
                            f"map file is a symbolic link to a missing file ({os.readlink(found)})",
                            path=found,
                            hint="point the link at a file, or remove it",
                        )
                    )
                else:
                    errors.append(
                        MapError(
                            f"map file is {_file_kind(found)}, not a regular file",
                            path=found,
                            hint="argmap reads regular files only; remove it or save it as one",
                        )
                    )
    if errors:
        raise MapInvalid(errors)
    if not files:
        raise MapError(
            "no YAML files in the map directory", path=path, hint="add arguments/*.yaml files"
        )
    return sorted(files)


def _file_kind(path: Path) -> str:
    """``a FIFO (named pipe)``, ``a character device``...: what sort of file ``path`` is."""
    try:
        return file_kind(path.stat().st_mode)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"


def parse_yaml(path: Path, content: bytes | None = None) -> SourceFile:
    """Parse one YAML file safely (its bytes ``content`` when already read), recording node
    lines; reject aliases and duplicate keys."""
    if content is None:
        content = read_bytes(path, MapError, "map file")
    import yaml

    text = decode_text(content, path, MapError, "map file")
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        lines: dict[PathKey, int] = {}
        columns: dict[PathKey, int] = {}
        data = None
        if node is not None:
            data = _walk(node, path, lines, columns, loader)
            if data is _UNBUILT:
                data = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        # A raw control character: the YAML reader gives only its offset.
        at = text.count("\n", 0, exc.position) + 1
        raise MapError(
            f"control character {char_code(chr(exc.character))} not allowed"
            if isinstance(exc.character, int)
            else f"unreadable character: {exc.reason}",
            path=path,
            line=at,
            hint="remove it; a map holds plain text",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "fix the YAML syntax"
        if "could not determine a constructor" in str(exc):
            problem = f"YAML tag not allowed: {problem.split('tag')[-1].strip()}"
            hint = "argmap reads plain YAML only; remove the tag"
        raise MapError(problem, path=path, line=line, hint=hint) from None
    except yaml.YAMLError as exc:
        raise MapError(f"invalid YAML: {exc}", path=path, hint="fix the YAML syntax") from None
    finally:
        loader.dispose()
    source = SourceFile(path=path, data=data, lines=lines, columns=columns)
    errors = _control_characters(source)
    if errors:
        raise MapInvalid(errors)
    return source


def _control_characters(source: SourceFile) -> list[MapError]:
    """An error for every string of the file (key or value) holding a control character: the
    YAML escapes ``"\\x1b"`` or ``"\\0"`` let one in, and a map's text is shown on terminals
    and written into exports, where it would act instead of being read."""
    errors: list[MapError] = []
    stack: list[tuple[Any, PathKey]] = [(source.data, ())]
    while stack:
        value, key = stack.pop()
        if isinstance(value, dict):
            for name, item in value.items():
                stack.append((item, (*key, str(name))))
                if isinstance(name, str) and find_control(name) is not None:
                    stack.append((name, (*key, name)))
        elif isinstance(value, list):
            stack.extend((item, (*key, i)) for i, item in enumerate(value))
        elif isinstance(value, str):
            at = find_control(value)
            if at is not None:
                errors.append(
                    MapError(
                        f"control character {char_code(value[at])} in the text "
                        f"(at character {at + 1})",
                        path=source.path,
                        line=source.line_of(key),
                        field=one_line(format_field_path(key)) or None,
                        hint="remove it; a map holds plain text, tabs and line breaks aside",
                    )
                )
    errors.sort(key=lambda e: e.line or 0)
    return errors


# PyYAML's tags for the plain data a map holds, built as its SafeConstructor builds them.
_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = (f"{_TAG}{name}" for name in ("str", "map", "seq"))
# the scalars PyYAML's own constructors build, and what each is called in a message
_SCALAR_TAGS = {
    f"{_TAG}null": "null",
    f"{_TAG}bool": "boolean",
    f"{_TAG}int": "whole number",
    f"{_TAG}float": "number",
    f"{_TAG}timestamp": "date",
}
_UNBUILT: Any = object()  # what _walk gives when PyYAML's constructor is to build the data


def _walk(
    root: yaml.Node,
    path: Path,
    lines: dict[PathKey, int],
    columns: dict[PathKey, int],
    loader: yaml.SafeLoader,
) -> Any:
    """Record each node's line and column by path; refuse aliases, duplicate keys, absurd depth
    or size, and dates or numbers PyYAML cannot build; and build the data as PyYAML's safe
    constructor builds it, in the same pass (building it apart took as long again as the walk).

    Only plain data is built here: strings, null, booleans, numbers and dates (the latter four
    by PyYAML's own constructors), mappings with plain keys, lists. Anything else — a merge key
    (``<<``), a ``!!set`` or ``!!binary``, a tag of an application, a key that is not a plain
    value or that two keys build alike — gives ``_UNBUILT``, and PyYAML builds the document
    (or refuses it) as before.
    """
    import yaml

    seen: set[int] = set()
    built = True
    top: list[Any] = [None]
    # node, its path, its line, and where its data goes (a list or a mapping, and the slot)
    stack: list[tuple[yaml.Node, PathKey, int, Any, Any]] = [
        (root, (), root.start_mark.line + 1, top, 0)
    ]
    while stack:
        node, key, line, holder, slot = stack.pop()
        if id(node) in seen:
            raise _alias_error(path, node, key)
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise MapError("map file is too large", path=path, hint="split it into several files")
        if len(key) > MAX_DEPTH:
            raise MapError(
                f"nesting deeper than {MAX_DEPTH} levels",
                path=path,
                line=node.start_mark.line + 1,
                hint="an argument map is never this deep; check the file",
            )
        lines[key] = line
        if isinstance(node, yaml.MappingNode):
            mapping: dict[Any, Any] = {}
            built = built and node.tag == _MAP
            holder[slot] = mapping
            names: set[Any] = set()
            for key_node, value_node in node.value:
                if id(key_node) in seen:  # an alias used as a key, or to a key
                    raise _alias_error(path, key_node, key)
                seen.add(id(key_node))
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if name in names:
                    raise MapError(
                        f"duplicate key '{name}'",
                        path=path,
                        line=key_node.start_mark.line + 1,
                        field=format_field_path(key) or None,
                        hint="each key may appear once in a mapping",
                    )
                names.add(name)
                made = _scalar(key_node, (*key, str(name)), path, loader)
                if made is _UNBUILT or made in mapping:
                    built = False
                elif built:
                    mapping[made] = None  # (in the keys' order; the value comes later)
                stack.append(
                    (value_node, (*key, str(name)), key_node.start_mark.line + 1, mapping, made)
                )
                columns[(*key, str(name))] = key_node.start_mark.column + 1
        elif isinstance(node, yaml.SequenceNode):
            built = built and node.tag == _SEQ
            items: list[Any] = [None] * len(node.value)
            holder[slot] = items
            for i, item in enumerate(node.value):
                stack.append((item, (*key, i), item.start_mark.line + 1, items, i))
                columns[(*key, i)] = item.start_mark.column + 1
        else:
            made = _scalar(node, key, path, loader)
            built = built and made is not _UNBUILT
            if built:
                holder[slot] = made
    return top[0] if built else _UNBUILT


def _scalar(node: yaml.Node, key: PathKey, path: Path, loader: yaml.SafeLoader) -> Any:
    """A plain scalar's value as PyYAML's safe constructor gives it, else ``_UNBUILT``; a
    scalar PyYAML cannot build (the date ``2001-13-45``) is an error at its line."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return _UNBUILT
    if node.tag == _STR:
        return node.value
    what = _SCALAR_TAGS.get(node.tag)
    if what is None:
        return _UNBUILT
    try:
        return loader.construct_object(node)
    except (ValueError, OverflowError) as exc:
        # PyYAML takes 2001-13-45 for a date (0b_ for a number) and fails building it, with
        # a bare ValueError that names no place
        raise MapError(
            f"not a valid {what}: {one_line(node.value)} ({exc})",
            path=path,
            line=node.start_mark.line + 1,
            field=one_line(format_field_path(key)) or None,
            hint="correct it, or quote it to keep it as text",
        ) from None


def _alias_error(path: Path, node: yaml.Node, key: PathKey) -> MapError:
    """The error for a YAML alias: the loader never expands one (no "billion laughs")."""
    return MapError(
        "YAML anchors and aliases are not supported",
        path=path,
        line=node.start_mark.line + 1,
        field=format_field_path(key) or None,
        hint="write the value out in full",
    )


def _validation_errors(exc: ValidationError, source: SourceFile, prefix: PathKey) -> list[MapError]:
    """One MapError per pydantic error, placed at its YAML line."""
    out = []
    for err in exc.errors(include_url=False):
        loc: PathKey = (*prefix, *(p for p in err["loc"] if isinstance(p, str | int)))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field"
            hint = "remove it or check its spelling; argmap schema lists the fields"
        elif err["type"] == "missing":
            hint = "add it"
        else:
            # a model's own check says what is wrong and what to do; pydantic prefixes it
            message = message.removeprefix("Value error, ")
            hint = "correct the value; argmap schema shows what each field takes"
            if err["type"] == "enum" and isinstance(err.get("input"), str):
                hint = _enum_hint(err["input"], err.get("ctx", {}).get("expected", "")) or hint
            elif err["type"] == "model_type":
                # pydantic's "instance of Locator" names a class of ours, not what to write
                message = "Input should be a mapping of fields"
                hint = _mapping_hint(loc, err.get("input")) or hint
        out.append(
            MapError(
                message,
                path=source.path,
                line=source.line_of(loc),
                field=format_field_path(loc),
                hint=hint,
            )
        )
    return out


def _mapping_hint(loc: PathKey, given: object) -> str | None:
    """For a locator written as `show` prints it (``§2 ¶3``), the mapping to write."""
    import re

    if not loc or loc[-1] != "locator" or not isinstance(given, str):
        return None
    found = re.fullmatch(r"\s*§\s*(\S+)\s*¶\s*(\d+)\s*", given)
    if found is None:
        return 'write it as {section: "1", paragraph: 2}'
    section, paragraph = found.groups()
    return f'write it as {{section: "{section}", paragraph: {paragraph}}}'


def _enum_hint(given: str, expected: str) -> str | None:
    """What to write for a kind, relation or stance not written as the map writes it: the name
    `show` prints in a language (``objeción``, ``conduce a``, ``case study``), or one near a
    value (``attack``); None when nothing is near."""
    import re
    import unicodedata

    from argmap.base.suggest import did_you_mean
    from argmap.map.vocab import CLAIM_KINDS, EVIDENCE_KINDS, RELATIONS

    def folded(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.casefold().strip())
        return "".join(c for c in text if not unicodedata.combining(c)).replace("_", " ")

    values = re.findall(r"'([^']*)'", expected)
    for table in (CLAIM_KINDS, EVIDENCE_KINDS, RELATIONS):
        for lang, names in table.items():
            for member, name in names.items():
                if member.value in values and folded(name) == folded(given):
                    if lang == "en":
                        return f"write '{member.value}'"
                    language = {"es": "Spanish"}.get(lang, lang)
                    return (
                        f"write '{member.value}' (argmap shows it as '{name}' in {language}, "
                        "but a map names it in English)"
                    )
    return did_you_mean(given, values)


def _validate(model: type[BaseModel], data: Any, source: SourceFile, prefix: PathKey) -> Any:
    """Validate ``data`` as ``model``; raise MapInvalid with the YAML line of every error."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise MapInvalid(_validation_errors(exc, source, prefix)) from None


def _validated_article(raw: Any, source: SourceFile) -> ArticleData:
    """The article block of ``source``, built directly when plainly valid, else validated by
    Pydantic (and made plain data)."""
    article = plain_article(raw)
    if article is None:
        from argmap.map.convert import article_data
        from argmap.map.models import Article

        article = article_data(_validate(Article, raw, source, ("article",)))
    return article


def _validated_claim(raw: Any, source: SourceFile, index: int) -> ClaimData:
    """Claim ``index`` of ``source``, built directly when plainly valid, else validated by
    Pydantic (and made plain data); MapInvalid when Pydantic refuses it."""
    claim = plain_claim(raw)
    if claim is None:
        from argmap.map.convert import claim_data
        from argmap.map.models import Claim

        claim = claim_data(_validate(Claim, raw, source, ("claims", index)))
    return claim


class _Validated:
    """The cache of validated map files for one map (see ``argmap.cache.maps``): what it held
    when read, and what to hold after this load."""

    def __init__(self, path: Path) -> None:
        from argmap.cache import maps
        from argmap.map import stored

        self.scope = str(path.resolve())
        self.stamp = stored.stamp()
        self.read = maps.read_entries(self.scope, self.stamp)
        self.kept: dict[str, Any] = {}
        self.validated = False  # a file was validated (not in the cache, or its record unusable)

    def get(
        self, file: Path, content: bytes, digest: str
    ) -> tuple[SourceFile, ArticleData | None, list[ClaimData]] | None:
        """The validated content of ``file`` (``content``, of ``digest``), or None when not
        cached or when its payload is not exactly what this code stores."""
        from argmap.map.stored import StoredError, decode_file

        payload = self.read.get(digest)
        if payload is None:
            return None
        try:
            article, claims = decode_file(payload)
        except (StoredError, TypeError, KeyError, AttributeError):
            # decode_file checks every value; whatever else a damaged record may raise is
            # taken the same way: not this code's record, validate the file again
            return None
        self.kept[digest] = payload
        return SourceFile(path=file, data=None, content=content), article, claims

    def put(self, digest: str, article: ArticleData | None, claims: list[ClaimData]) -> None:
        """Keep a file that validated cleanly."""
        from argmap.map.stored import encode_file

        self.kept[digest] = encode_file(article, claims)
        self.validated = True

    def save(self) -> None:
        """Write the cache when it should now hold other files, or other records, than it did."""
        from argmap.cache import maps

        if self.validated or self.kept.keys() != self.read.keys():
            maps.write_entries(self.scope, self.stamp, self.kept)


def load_map(path: Path, use_cache: bool = True) -> LoadedMap:
    """The map at ``path`` as ``read_map`` reads it, made of the Pydantic models."""
    return read_map(path, use_cache).as_models()


def read_map(path: Path, use_cache: bool = True) -> LoadedData:
    """Read every YAML file of the map at ``path``, validate it, merge it and check its graph;
    the map as plain objects (Pydantic is imported only for data it must judge).

    With ``use_cache``, a file whose exact bytes validated cleanly before is taken from the
    cache of validated files (``argmap.cache.maps``) instead of being parsed and validated
    again: the result is the same map, and an edit revalidates only the edited file.
    """
    files = find_yaml_files(path)
    cache = _Validated(path) if use_cache else None
    article: ArticleData | None = None
    article_source: SourceFile | None = None
    claims: list[ClaimData] = []
    origins: dict[str, ClaimOrigin] = {}
    errors: list[MapError] = []

    def add_article(source: SourceFile, validate: Any) -> None:
        nonlocal article, article_source
        if article_source is not None:
            errors.append(
                MapError(
                    f"'article' is already given in {article_source.path.name}",
                    path=source.path,
                    line=source.line_of(("article",)),
                    field="article",
                    hint="keep the article's metadata in one file",
                )
            )
            return
        try:
            article = validate()
            article_source = source
        except MapInvalid as exc:
            errors.extend(exc.errors)

    def add_claim(source: SourceFile, index: int, claim: ClaimData) -> None:
        origin = ClaimOrigin(source, index)
        if claim.id in origins:
            other = origins[claim.id]
            where, line, fld = origin.locate(("id",))
            errors.append(
                MapError(
                    f"duplicate claim id '{claim.id}' (first defined in "
                    f"{other.source.path.name}:"
                    f"{other.source.line_of(('claims', other.index))})",
                    path=where,
                    line=line,
                    field=fld,
                    hint="give each claim a unique id",
                    kind="duplicate-id",
                )
            )
            return
        origins[claim.id] = origin
        claims.append(claim)

    for file in files:
        content = read_bytes(file, MapError, "map file")
        digest = ""
        if cache is not None:
            from argmap.cache.maps import digest as digest_of

            digest = digest_of(content)
            hit = cache.get(file, content, digest)
            if hit is not None:
                source, cached_article, cached_claims = hit
                if cached_article is not None:
                    add_article(source, lambda got=cached_article: got)
                for index, claim in enumerate(cached_claims):
                    add_claim(source, index, claim)
                continue
        before = len(errors)
        source = parse_yaml(file, content)
        data = source.data
        if data is None:
            errors.append(
                MapError("file is empty", path=file, hint="add 'claims:' or remove the file")
            )
            continue
        if not isinstance(data, dict):
            errors.append(
                MapError(
                    f"expected a mapping with 'article' and/or 'claims', found {_kind(data)}",
                    path=file,
                    line=1,
                    hint="see argmap init for an example",
                )
            )
            continue
        for name in sorted(set(data) - {"article", "claims"}, key=str):
            errors.append(
                MapError(
                    "unknown top-level field",
                    path=file,
                    line=source.line_of((str(name),)),
                    field=str(name),
                    hint="a map file holds 'article' and 'claims' only",
                )
            )
        file_article: ArticleData | None = None
        if "article" in data:
            add_article(
                source,
                lambda src=source, raw=data["article"]: _validated_article(raw, src),
            )
            if article_source is source:
                file_article = article
        raw_claims = data.get("claims", [])
        if raw_claims is None:
            raw_claims = []
        if not isinstance(raw_claims, list):
            errors.append(
                MapError(
                    f"expected a list of claims, found {_kind(raw_claims)}",
                    path=file,
                    line=source.line_of(("claims",)),
                    field="claims",
                )
            )
            continue
        file_claims: list[ClaimData] = []
        for index, raw in enumerate(raw_claims):
            # Plainly valid data is built without Pydantic (argmap.map.plain); anything else is
            # validated, and its errors placed, as always.
            try:
                built = _validated_claim(raw, source, index)
            except MapInvalid as exc:
                errors.extend(exc.errors)
                continue
            file_claims.append(built)
            add_claim(source, index, built)
        if cache is not None and len(errors) == before:
            cache.put(digest, file_article, file_claims)
    if cache is not None:
        cache.save()
    if article is None and not errors:
        errors.append(
            MapError(
                "no 'article' metadata in any map file",
                path=path,
                hint="add an 'article:' block (key, title, language) to one file",
            )
        )
    if errors:
        raise MapInvalid(errors)
    assert article is not None
    argmap = MapData(article, claims)
    graph_errors = check_graph(argmap, origins)
    if graph_errors:
        raise MapInvalid(graph_errors)
    return LoadedData(map=argmap, origins=origins, files=files)


def _kind(value: Any) -> str:
    """A YAML-ish name for the type of ``value``, for messages."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"
