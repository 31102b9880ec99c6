"""Links between entries resolved as biber resolves them: ``ids`` aliases, ``xdata`` and
``crossref`` inheritance (biber's default table, see ``argmap.bib.datamodel``), and ``@set``
entries, which take their author and year from their first member.

It runs on a whole bibliography (all files merged), after parsing and after the cache, so that
a crossref to an entry of another file resolves; only entries with such links cost anything.
The inherited fields are never cached: they are worked out on each run, for the tool that builds
the document when it is known. That matters for a crossref naming its parent in another case
(``crossref = {WHOLE-JOURNAL}`` for ``@article{whole-journal,``): BibTeX 0.99d finds the parent
whatever the case (its ``.bbl`` prints the inherited journal), biber 2.18 does not ("Possible
typo (case mismatch)", then "I didn't find a database entry for crossref") and neither does
pandoc (2.17 and 3.9 print the entry without the parent's fields, silently). BibTeX also
inherits each field under its own name only (a @proceedings' title is not its
@inproceedings' booktitle: "need editor, key, or booktitle for KEY to crossref PARENT") and
follows no crossref of the parent ("you've nested cross references").
"""

from __future__ import annotations

from argmap.base.problems import Problem, Severity
from argmap.bib.datamodel import NEVER_INHERITED, inherited_names
from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.names import quick_surnames

LINK_KINDS = frozenset(
    {
        "missing-crossref",
        "missing-xdata",
        "missing-set-member",
        "alias-clash",
        "missing-related",
        "alias-own-key",
    }
)


def key_list(value: str | None) -> list[str]:
    """A comma-separated list of keys (``ids``, ``xdata``, ``entryset``)."""
    return [k.strip() for k in (value or "").split(",") if k.strip()]


def link(
    bib: Bibliography, scan: bool = True, tool: str | None = None, others: tuple[str, ...] = ()
) -> None:
    """Resolve aliases and inheritance in place; problems of dangling links are added to
    ``bib.problems`` (replacing those of an earlier link of the same entries). ``tool``: the
    one that builds the documents checked with it ("bibtex", "biber", "pandoc"; None when
    unknown, read as biber and pandoc read it), which decides whether a crossref naming its
    parent in another case finds it (BibTeX only) and under which names a child inherits its
    parent's fields (BibTeX: each under its own; biber's table otherwise); ``others``: the other
    tools that build some of those documents (``tool`` is then biber or pandoc, which the entry
    inherits as). ``scan=False``:
    the entries are fresh and none of them can link (no ``ids``, ``crossref``, ``xdata``,
    ``related`` or ``@set``: a warm read knows it from its tables), so they are not visited;
    nor are they when an earlier ``link`` found none (``bib.may_link``), as when the files read
    are merged."""
    bib.problems[:] = [p for p in bib.problems if p.kind not in LINK_KINDS]
    bib.aliases.clear()
    bib.case_crossrefs = False
    folded = _Folded(bib, tool, others)
    linked: list[BibEntry] = []
    scan = scan and bib.may_link
    entries = bib.entries if scan else {}
    links = False  # whether any entry has a field or type that links it
    # This loop visits every entry of a large file on every run: it reads the entry's slots
    # directly rather than through its methods (a third of the time, measured on 20k entries).
    for entry in entries.values():
        if entry._inherited is not None:
            entry._inherited = None
        present = entry._present  # the names of its non-empty fields, kept since the parse
        if present is None:
            present = entry.present()
        if "ids" in present:
            links = True
            _aliases(bib, entry)
        if "crossref" in present or "xdata" in present or entry.type == "set":
            linked.append(entry)
        if "related" in present:
            links = True
            _related(bib, entry)
    bib.may_link = links or bool(linked)
    bib.crossrefs = any("crossref" in entry.fields for entry in linked)
    bib.inherits = bool(linked)
    for entry in linked:
        inherited = _resolve(bib, entry, set(), folded)
        if inherited:
            _adopt(entry, inherited)
    bib.problems.sort(key=lambda p: (p.source, p.line or 0))


def _problem(bib: Bibliography, entry: BibEntry, kind: str, message: str, suggestion: str) -> None:
    bib.problems.append(
        Problem(
            kind,
            Severity.ERROR,
            str(bib.path_of(entry.key)),
            entry.line,
            message,
            entry.key,
            suggestion,
        )
    )


def _related(bib: Bibliography, entry: BibEntry) -> None:
    """A warning for each key of biblatex's ``related`` that names no entry: biber warns ("I
    didn't find a database entry for related entry") and prints the entry without it."""
    for ref in key_list(entry.fields.get("related")):
        if bib.get(ref) is None:
            bib.problems.append(
                Problem(
                    "missing-related",
                    Severity.WARNING,
                    str(bib.path_of(entry.key)),
                    entry.line,
                    f"'{entry.key}' has related '{ref}', which is in no bibliography read",
                    entry.key,
                    "add the entry it refers to, or remove it from the related field",
                )
            )


def _aliases(bib: Bibliography, entry: BibEntry) -> None:
    for alias in key_list(entry.fields.get("ids")):
        other = bib.entries.get(alias) or bib.get(alias)
        if alias == entry.key:
            # harmless, but biber warns: "BAD RECURSION! Entry alias ... is identical to the
            # entry key, skipping"
            bib.problems.append(
                Problem(
                    "alias-own-key",
                    Severity.WARNING,
                    str(bib.path_of(entry.key)),
                    entry.line,
                    f"'{entry.key}' lists its own key in ids: biber warns (\"BAD RECURSION\") "
                    "and skips it",
                    entry.key,
                    "remove the entry's own key from its ids",
                )
            )
            continue
        if other is not None and other is not entry:
            there = bib.path_of(other.key)
            # the other entry's place, with its file's name when it is in another file
            place = (
                f"line {other.line}" if there == bib.path_of(entry.key) else f"{there}:{other.line}"
            )
            if other.key == alias:
                message = (
                    f"'{entry.key}' lists '{alias}' in ids, which is also the key of "
                    f"'{other.key}' ({place})"
                )
            else:  # two entries list one alias: biber keeps the first ("already has an alias")
                message = (
                    f"'{entry.key}' lists '{alias}' in ids, which '{other.key}' ({place}) also "
                    f"lists in its ids; biber resolves '{alias}' to '{other.key}'"
                )
            _problem(bib, entry, "alias-clash", message, "remove the alias or rename one entry")
            continue
        bib.aliases[alias] = entry.key


class _Folded:
    """The entries' keys as BibTeX folds their case, made on the first crossref that names no
    entry as written (most bibliographies never need it)."""

    def __init__(self, bib: Bibliography, tool: str | None, others: tuple[str, ...] = ()) -> None:
        self.bib = bib
        self.tool = tool
        self.others = others
        self.keys: dict[str, str] | None = None

    def find(self, key: str) -> BibEntry | None:
        """The entry whose key is ``key`` but for case, as BibTeX 0.99d compares keys (its
        ASCII letters folded), or None."""
        from argmap.bib.keys import bibtex_fold

        if self.keys is None:
            self.keys = {}
            for name in self.bib.entries:
                self.keys.setdefault(bibtex_fold(name), name)
        found = self.keys.get(bibtex_fold(key))
        return None if found is None else self.bib.entries.get(found)


def _case_crossref(
    bib: Bibliography,
    entry: BibEntry,
    parent_key: str,
    parent: BibEntry,
    tool: str | None,
    others: tuple[str, ...] = (),
) -> None:
    """The problem of a crossref that names its parent in another case, where the document is
    not built with BibTeX (biber and pandoc do not find the parent): an error when the tool is
    known, a warning when none tells it (BibTeX would find it). With ``others``, documents built
    with several tools: each tool's reading is said."""
    there = bib.path_of(parent.key)
    place = f"line {parent.line}" if there == bib.path_of(entry.key) else f"{there}:{parent.line}"
    if others and tool is not None:
        names = {"bibtex": "BibTeX", "biber": "biber", "pandoc": "pandoc"}
        said = {
            "bibtex": "finds it",
            "biber": 'does not find it ("Possible typo (case mismatch)")',
            "pandoc": "does not find it",
        }
        how = (
            f"{names[tool]}, which builds some of the documents checked with it, "
            f"{said[tool]} and the entry inherits nothing there; "
            + "; ".join(f"{names[o]}, which builds others, {said[o]}" for o in others)
        )
    elif tool == "biber":
        how = (
            'biber, which builds the document, does not find it ("Possible typo (case '
            'mismatch)") and the entry inherits nothing'
        )
    elif tool == "pandoc":
        how = "pandoc, which builds the document, does not find it and the entry inherits nothing"
    else:
        how = "BibTeX finds it, but biber and pandoc do not, and the entry then inherits nothing"
    bib.problems.append(
        Problem(
            "missing-crossref",
            Severity.WARNING if tool is None else Severity.ERROR,
            str(bib.path_of(entry.key)),
            entry.line,
            f"'{entry.key}' has crossref '{parent_key}', which is '{parent.key}' ({place}) in "
            f"another case: {how}",
            entry.key,
            f"write the crossref as the key is written: crossref = {{{parent.key}}}",
        )
    )


def _resolve(
    bib: Bibliography, entry: BibEntry, visiting: set[str], folded: _Folded
) -> dict[str, str]:
    """The fields ``entry`` inherits, through xdata first (as if written in the entry), then
    its crossref parent (with that parent's own inheritance), then for a @set its first member."""
    if entry.key in visiting:
        return {}
    visiting = visiting | {entry.key}
    own = entry.fields
    inherited: dict[str, str] = {}
    # BibTeX knows neither xdata nor @set: to it they are fields and a type like any other
    bibtex = folded.tool == "bibtex"
    for ref in [] if bibtex else key_list(own.get("xdata")):
        source = bib.get(ref)
        if source is None:
            _problem(
                bib,
                entry,
                "missing-xdata",
                f"'{entry.key}' has xdata '{ref}', which is in no bibliography read",
                "add the @xdata entry, or remove the xdata field",
            )
            continue
        for name, value in {**_resolve(bib, source, visiting, folded), **source.fields}.items():
            if name not in NEVER_INHERITED and name not in own:
                inherited.setdefault(name, value)
    parent_key = (own.get("crossref") or "").strip()
    if parent_key:
        parent = bib.get(parent_key)
        if parent is None:
            parent = folded.find(parent_key)
            if parent is not None:
                bib.case_crossrefs = True
                if folded.tool != "bibtex":
                    _case_crossref(bib, entry, parent_key, parent, folded.tool, folded.others)
                    parent = None
                    parent_key = ""
        if parent is None and parent_key:
            _problem(
                bib,
                entry,
                "missing-crossref",
                f"'{entry.key}' has crossref '{parent_key}', which is not in the file"
                if not bib.paths
                else f"'{entry.key}' has crossref '{parent_key}', which is in no bibliography read",
                "add the entry it refers to, or remove the crossref field",
            )
        elif parent is not None and folded.tool == "bibtex":
            # BibTeX 0.99d: the parent's own fields, each under its own name (no booktitle from
            # a @proceedings' title, no journal from a @periodical's), and not those the parent
            # has through a crossref of its own ("you've nested cross references")
            for name, value in parent.fields.items():
                if name != "crossref" and name not in own:
                    inherited.setdefault(name, value)
        elif parent is not None:
            fields = {**_resolve(bib, parent, visiting, folded), **parent.fields}
            for name, value in fields.items():
                for target in inherited_names(parent.type, entry.type, name):
                    if target not in own:
                        inherited.setdefault(target, value)
    if entry.type == "set" and not bibtex:
        members = key_list(own.get("entryset"))
        for ref in members:
            if bib.get(ref) is None:
                _problem(
                    bib,
                    entry,
                    "missing-set-member",
                    f"@set '{entry.key}' names '{ref}' in entryset, which is in no bibliography "
                    "read",
                    "add the entry, or remove it from the entryset",
                )
        first = bib.get(members[0]) if members else None
        if first is not None:
            for name, value in {**_resolve(bib, first, visiting, folded), **first.fields}.items():
                if name not in NEVER_INHERITED and name not in own:
                    inherited.setdefault(name, value)
    return inherited


def _adopt(entry: BibEntry, inherited: dict[str, str]) -> None:
    """Give ``entry`` its inherited fields; names inherited for the first time change the
    surnames the matcher indexes."""
    entry._inherited = inherited
    if not entry.surnames and (entry.get("author") or entry.get("editor")):
        entry.surnames = quick_surnames(entry.get("author") or entry.get("editor") or "")
        entry._authors = None
        entry._display = None
