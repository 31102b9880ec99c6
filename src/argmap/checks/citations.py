"""Citation checks as pure functions: the bibliography, the map's citations and manuscripts'
in-text citations, each returning records and problems to be rendered once."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from argmap.base.patterns import lazy
from argmap.base.problems import Problem, Severity
from argmap.base.rules import rule_for
from argmap.bib.datamodel import required_fields
from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.namelists import (
    MAX_COMMAS,
    NAME_FIELD_SET,
    CrowdedName,
    crowded_names,
    field_line,
)
from argmap.bib.names import fold, surname_variants
from argmap.citations.found import Found
from argmap.citations.matcher import (
    Match,
    Matcher,
    Status,
    date_state,
    partial_surname,
    without_particles,
)
from argmap.errors import MapError, display_path
from argmap.manuscripts.spans import CslItem, FieldCitation, Notice, Piece, Span, Syntax

if TYPE_CHECKING:
    from argmap.checks.ahead import Scanned
    from argmap.citations.items import ItemMatcher
    from argmap.manuscripts.named import Labels
    from argmap.manuscripts.nocite import Nocite
    from argmap.map.loader import LoadedMap
    from argmap.project.styles import Build

# The version of the JSON report's shape (`argmap schema --scope report`); raised when a field
# changes meaning or goes away, not when one is added.
REPORT_VERSION = 1

# A status's severity is its rule's default (None for ok: not a problem).
STATUS_SEVERITY = {status: rule_for(str(status)).severity for status in Status}


class CitationRecord(NamedTuple):
    """One citation checked: where it stands, as found, and what it resolved to."""

    source: str
    line: int | None
    text: str
    status: Status
    key: str | None
    candidates: tuple[str, ...] = ()
    column: int | None = None
    cited_key: str | None = None  # the key as written, for a key citation
    paragraph: int | None = None  # where a file has paragraphs, not lines (Word, OpenDocument)

    @property
    def code(self) -> str:
        """The code of the citation's status (``CIT100`` for ok)."""
        return rule_for(str(self.status)).code

    def to_json(self) -> dict[str, Any]:
        """The record as in the JSON output."""
        return {
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "code": self.code,
            "status": str(self.status),
            "key": self.key,
            "candidates": list(self.candidates),
            "cited_key": self.cited_key,
            "paragraph": self.paragraph,
        }

    def shown(self) -> str:
        """The citation as a table row shows it: a command citing several keys names the one
        this row is about (``\\cite{a,b}`` → ``\\cite{a,b} › b``)."""
        key = self.cited_key
        if key is None or self.text in (key, f"@{key}", f"-@{key}"):
            return self.text
        return f"{self.text} › {key}"


class Report:
    """Everything a check-citations run found."""

    __slots__ = ("citations", "ignored", "problems", "tools")

    def __init__(
        self,
        citations: list[CitationRecord] | None = None,
        problems: list[Problem] | None = None,
        ignored: int = 0,
        tools: dict[str, dict[str, None]] | None = None,
    ) -> None:
        self.citations: list[CitationRecord] = [] if citations is None else citations
        self.problems: list[Problem] = [] if problems is None else problems
        self.ignored = ignored  # problems dropped by --select/--ignore or an inline suppression
        # each bibliography tool ("biber", "bibtex", "pandoc") -> the files (as shown) whose text
        # is built with it, in the order met
        self.tools: dict[str, dict[str, None]] = {} if tools is None else tools

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return (self.citations, self.problems, self.ignored, self.tools) == (
            other.citations,
            other.problems,
            other.ignored,
            other.tools,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq is

    def __repr__(self) -> str:
        return (
            f"Report(citations={self.citations!r}, problems={self.problems!r}, "
            f"ignored={self.ignored!r}, tools={self.tools!r})"
        )

    def summary(self) -> dict[str, Any]:
        """Counts by status and severity."""
        statuses = Counter(str(c.status) for c in self.citations)
        severities = Counter(str(p.severity) for p in self.problems)
        return {
            "citations": len(self.citations),
            "by_status": {str(s): statuses.get(str(s), 0) for s in Status},
            "errors": severities.get("error", 0),
            "warnings": severities.get("warning", 0),
            "info": severities.get("info", 0),
            "ignored": self.ignored,
        }

    def to_json(self) -> dict[str, Any]:
        """The whole report as the JSON output object."""
        return {
            "version": REPORT_VERSION,
            "summary": self.summary(),
            "citations": [c.to_json() for c in self.citations],
            "problems": [p.to_json() for p in self.problems],
        }


def record(
    report: Report,
    source: str,
    line: int | None,
    text: str,
    match: Match,
    column: int | None = None,
    cited_key: str | None = None,
    paragraph: int | None = None,
) -> None:
    """Add a citation's record and, unless it is ok, the problem it raises (and the warning
    that goes with an ok one, such as a letter taken in citeproc's order)."""
    report.citations.append(
        CitationRecord(
            source,
            line,
            text,
            match.status,
            match.key,
            match.candidates,
            column,
            cited_key,
            paragraph,
        )
    )
    if match.note is not None:
        kind, message, suggestion = match.note
        report.problems.append(
            Problem(
                kind,
                Severity.WARNING,
                source,
                line,
                message,
                match.key,
                suggestion,
                column=column,
                paragraph=paragraph,
            )
        )
    severity = STATUS_SEVERITY[match.status]
    if severity is not None:
        report.problems.append(
            Problem(
                kind=str(match.status),
                severity=severity,
                source=source,
                line=line,
                message=match.message,
                key=match.key,
                suggestion=match.suggestion,
                column=column,
                paragraph=paragraph,
            )
        )


def check_map(loaded: LoadedMap, matcher: Matcher, report: Report) -> set[str]:
    """Check every citation of the map by key and its printed form; return the keys cited."""
    bib = matcher.bib
    cited: set[str] = set()
    for claim in loaded.map.claims:
        origin = loaded.origins[claim.id]
        for e_index, ev in enumerate(claim.evidence):
            for c_index, cit in enumerate(ev.citations):
                where = ("evidence", e_index, "citations", c_index, "key")
                path, line, fld = origin.locate(where)
                column = origin.column(where)
                source = display_path(path)
                match = matcher.resolve_key(cit.key)
                if match.status is Status.UNKNOWN_KEY:
                    match = Match(
                        match.status,
                        None,
                        match.candidates,
                        f"{fld}: {match.message}",
                        match.suggestion,
                    )
                record(report, source, line, cit.printed, match, column)
                if match.key is None:
                    continue
                cited.add(match.key)
                problem = printed_disagreement(cit.printed, bib, cit.key)
                if problem is not None:
                    severity, message = problem
                    report.problems.append(
                        Problem(
                            kind="printed-misspelt"
                            if severity is Severity.INFO
                            else "printed-differs",
                            severity=severity,
                            source=source,
                            line=line,
                            message=f"{fld}: {message}",
                            key=cit.key,
                            suggestion="keep `printed` as the source prints it; fix the key if the "
                            "work is another",
                            column=column,
                        )
                    )
        for r_index, key in enumerate(claim.reported_from):
            entry = bib.get(key)
            if entry is None:
                path, line, fld = origin.locate(("reported_from", r_index))
                match = matcher.resolve_key(key)
                report.problems.append(
                    Problem(
                        kind="unknown-key",
                        severity=Severity.ERROR,
                        source=display_path(path),
                        line=line,
                        message=f"{fld}: unknown key '{key}'",
                        key=key,
                        suggestion=match.suggestion,
                        column=origin.column(("reported_from", r_index)),
                    )
                )
            else:
                cited.add(entry.key)
    return cited


def printed_disagreement(printed: str, bib: Bibliography, key: str) -> tuple[Severity, str] | None:
    """Whether a citation's printed form names another surname or year than its entry.

    A spelling slip (an OCR error) is noted as info; another name or year is a warning.
    """
    entry = bib.get(key)
    if entry is None:
        return None
    from argmap.citations.scanner import scan

    found = scan(printed if "(" in printed else f"({printed})")
    if not found or not entry.display_surnames:
        return None
    years = {f.year for f in found}
    first = found[0].authors[0] if found[0].authors else ""
    surname = fold(entry.display_surnames[0])
    # (an entry in press, with a year, printed "in press" as the matcher resolves it)
    if entry.year and entry.year not in years and not years <= {date_state(entry, entry.year)}:
        return Severity.WARNING, (
            f"printed '{printed}' gives year {', '.join(sorted(y for y in years if y))} "
            f"but '{key}' is {entry.year}"
        )
    variants = surname_variants(first)
    bare = without_particles(surname)
    if surname in variants or bare in variants or surname in {v.split()[-1] for v in variants}:
        return None
    if partial_surname(variants, surname):
        # as a manuscript's citation of the same form is (see Matcher._partial_note)
        return Severity.WARNING, (
            f"printed '{printed}' names '{first}' for the compound surname "
            f"'{entry.display_surnames[0]}' of '{key}': part of it (the full form is "
            f"{entry.label()})"
        )
    from rapidfuzz import fuzz

    if max(fuzz.ratio(v, surname) for v in variants) >= 80:
        return Severity.INFO, (
            f"printed '{printed}' spells the surname differently from '{key}' "
            f"({entry.display_surnames[0]})"
        )
    return Severity.WARNING, (
        f"printed '{printed}' names another author than '{key}' ({entry.display_surnames[0]})"
    )


def check_manuscript(
    path: Path,
    matcher: Matcher,
    report: Report,
    pieces: Iterable[Piece] | None = None,
    scanned: Scanned | None = None,
    tools: Mapping[str, str] | None = None,
    labels: Labels | None = None,
) -> set[str]:
    """Check every citation of one manuscript, reading it a span at a time (``pieces`` if
    already opened; ``scanned``: its pieces as a helper read and scanned them, see
    ``scan_ahead``); return the keys it resolved to. ``tools``: the bibliography tools a
    Markdown document is built with, each with the outputs it builds ("bibtex" -> "pdf"), when
    its project says (else pandoc's citeproc); ``labels``: the ``@`` references its filters
    (pandoc-crossref's ``@fig:x``, pandoc-ling's examples) resolve, which are no citations."""
    work: Iterable[tuple[Piece, list[Found] | None]]
    if scanned is not None:
        work = scanned
    else:
        if pieces is None:
            from argmap.manuscripts.read import open_manuscript

            pieces = open_manuscript(path)
        work = ((piece, None) for piece in pieces)
    cited: set[str] = set()
    items: ItemMatcher | None = None
    sources: dict[Path, str] = {}
    key_forms: dict[str, str] = {}  # each key cited, in lower case -> as first cited
    gc = _PausedCollector(report)
    try:
        for piece, founds in work:
            source = sources.get(piece.source)
            if source is None:
                source = sources[piece.source] = display_path(piece.source)
            if isinstance(piece, Span):
                if founds is None:
                    # imported here: not at all when a helper scanned the manuscript
                    from argmap.citations.scanner import scan_span

                    founds = scan_span(piece)
                if labels is not None:
                    founds = [f for f in founds if f.key is None or not labels.covers(f.key)]
                cited |= _check_span(piece, founds, source, matcher, report, key_forms, tools)
            elif isinstance(piece, FieldCitation):
                if items is None:
                    # a reference manager's field code: only Word and OpenDocument files have them
                    from argmap.citations.items import ItemMatcher

                    items = ItemMatcher(matcher)
                for item in piece.items:
                    match = items.resolve(item, piece.text)
                    if match.status is not Status.OK:
                        # the visible citation leads, as the writer sees it in the document
                        match = match._replace(message=f"{piece.text}: {match.message}")
                    text = (
                        piece.text if len(piece.items) == 1 else f"{piece.text}: {_item_name(item)}"
                    )
                    record(report, source, piece.line, text, match, paragraph=piece.paragraph)
                    if match.key:
                        cited.add(match.key)
            else:
                report.problems.append(_notice_problem(piece, source))
            gc.tick()
    finally:
        gc.resume()
    return cited


def check_nocite(
    nocite: Nocite, bib: Bibliography, report: Report, tools: Mapping[str, str] | None = None
) -> set[str]:
    """The entries a document's ``nocite`` cites (``@*``: every one; pandoc puts them in the
    references, or writes them into ``\\nocite{}`` for natbib and biblatex); each key not in
    the bibliography is a ``nocite-unknown-key`` warning at its line. pandoc's citeproc leaves
    it out silently (2.17 and 3.9: no "citation not found" for a nocite key); BibTeX and biber
    warn of it. ``tools``: the tools the document is built with, as ``check_manuscript``'s."""
    if nocite.every:
        return set(bib.entries)
    cited: set[str] = set()
    bibtex = tools is not None and set(tools) == {"bibtex"}
    folded: dict[str, str] | None = None
    source = display_path(nocite.source)
    for key, line in nocite.keys:
        if key in bib.entries:
            cited.add(key)
            continue
        if bibtex:
            # BibTeX finds a key whatever its case
            if folded is None:
                folded = {k.lower(): k for k in bib.entries}
            found = folded.get(key.lower())
            if found is not None:
                cited.add(found)
                continue
        from argmap.base.suggest import did_you_mean

        near = did_you_mean(key, list(bib.entries)) if bib.entries else None
        report.problems.append(
            Problem(
                "nocite-unknown-key",
                Severity.WARNING,
                source,
                line,
                f"nocite names '{key}', which the bibliography does not hold: "
                + _nocite_words(key, tools),
                key,
                (f"{near}; " if near else "") + "correct the key or add the entry",
            )
        )
    return cited


def duplicates_for_tools(bib: Bibliography, tools: Sequence[str]) -> None:
    """Say in each ``duplicate-key`` problem of ``bib`` which copy the ``tools`` that build its
    documents print: BibTeX 0.99d and biber 2.18 the first ("Repeated entry", "Duplicate entry
    key ... skipping"), pandoc 2.17 and 3.9 the last, silently (tests/data/tools/duplicate)."""
    words = {
        "bibtex": 'BibTeX prints the first ("Repeated entry")',
        "biber": 'biber prints the first ("Duplicate entry key")',
        "pandoc": "pandoc's citeproc prints this one, the last, silently",
    }
    said = "; ".join(words[tool] for tool in tools if tool in words)
    if not said:
        return
    bib.problems[:] = [
        p._replace(
            message=f"{p.message.removesuffix(', which is used)')}"
            f"{')' if p.message.endswith(', which is used)') else ''}: {said}"
        )
        if p.kind == "duplicate-key"
        else p
        for p in bib.problems
    ]


def _nocite_words(key: str, tools: Mapping[str, str] | None) -> str:
    """What the tools that build a document do with a ``nocite`` key they do not find."""
    said = {
        "pandoc": "pandoc's citeproc leaves it out of the references without a word",
        "bibtex": f'BibTeX warns "I didn\'t find a database entry for "{key}""',
        "biber": f"biber warns \"I didn't find a database entry for '{key}'\"",
    }
    names = [t for t in ("pandoc", "bibtex", "biber") if t in (tools or {"pandoc": ""})]
    parts = []
    for name in names:
        output = (tools or {}).get(name, "")
        parts.append(said[name] + (f" (for {output})" if output and len(names) > 1 else ""))
    return "; ".join(parts)


class _PausedCollector:
    """Python's cyclic garbage collector paused while a manuscript is checked, run on the young
    objects once every ``EVERY`` citations (also when the caller had paused it: ``run_check``
    pauses it for the whole check), and resumed as it was.

    With a large bibliography loaded, the collector's passes over the index and the records
    cost a tenth of checking a 2,000-citation manuscript (measured on the bench's), and a check
    makes almost no cycles (a few per name decoded from LaTeX for a message).
    """

    EVERY = 100_000

    def __init__(self, report: Report) -> None:
        import gc

        self.collector = gc
        self.report = report
        self.paused = gc.isenabled()
        self.next = len(report.citations) + self.EVERY
        if self.paused:
            gc.disable()

    def tick(self) -> None:
        """Collect the young objects when ``EVERY`` more citations were checked."""
        if len(self.report.citations) >= self.next:
            self.collector.collect(0)
            self.next = len(self.report.citations) + self.EVERY

    def resume(self) -> None:
        """Turn the collector back on if it was on."""
        if self.paused:
            self.collector.enable()


def _check_span(
    span: Span,
    founds: list[Found],
    source: str,
    matcher: Matcher,
    report: Report,
    key_forms: dict[str, str],
    tools: Mapping[str, str] | None = None,
) -> set[str]:
    """Resolve and record the citations found in one span (``tools``: see
    ``check_manuscript``)."""
    cited: set[str] = set()
    built: Mapping[str, str]
    if tools and span.syntax is Syntax.MARKDOWN:
        built = tools
    else:
        built = _READER_TOOL[
            "biber"
            if span.biber
            else "bibtex"
            if span.bibtex
            else "pandoc"
            if span.syntax is Syntax.MARKDOWN
            else None
        ]
    for tool in built:
        report.tools.setdefault(tool, {})[source] = None
    bibtex = "bibtex" in built
    # a Markdown document whose citations pandoc writes into LaTeX (\citep, \autocite) as they
    # are, for BibTeX or biber to resolve
    latex = (
        {t: o for t, o in built.items() if t in ("bibtex", "biber")}
        if tools and span.syntax is Syntax.MARKDOWN
        else None
    )
    # the tools that match keys in their case, beside BibTeX: a key BibTeX finds in another
    # case is still not found by them (the strictest of the outputs is reported)
    exact = {t: o for t, o in built.items() if t != "bibtex"} if bibtex else {}
    for found in founds:
        match = matcher.resolve(found)
        if bibtex and found.key is not None:
            strict = match
            match = _as_bibtex_reads(found.key, match, matcher, key_forms)
            if exact and strict.status is Status.UNKNOWN_KEY and match.status is Status.OK:
                match = _not_found_by_others(strict, match, exact, built["bibtex"])
        if found.tentative and match.status is Status.MISSING:
            # prose before the names ("released by Microsoft, 2015") and no entry of them:
            # a remark, not a citation
            continue
        text = found.text
        if match.skipped:
            # drop the words before the names that the narrative phrase caught
            text = text[max(text.find(found.authors[match.skipped]), 0) :]
        line = None if span.line is None else span.line + found.line - 1
        record(report, source, line, text, match, found.column, found.key, span.paragraph)
        if latex and found.key is not None and _LATEX_SPECIAL.search(found.key):
            report.problems.append(_key_breaks_latex(found.key, latex, source, line, found.column))
        if match.key:
            cited.add(match.key)
    return cited


# The tool a span's reader supposes (a LaTeX document's, or pandoc's for Markdown), made once.
_READER_TOOL: dict[str | None, Mapping[str, str]] = {
    None: {},
    "biber": {"biber": ""},
    "bibtex": {"bibtex": ""},
    "pandoc": {"pandoc": ""},
}
# Characters of a pandoc citation key that LaTeX cannot read in \citep{} or \autocite{}:
# % opens a comment, # is a macro parameter, ~ an active character (pdfLaTeX, natbib and
# biblatex, checked: "File ended while scanning use of \@citex", "Illegal parameter number",
# "Missing \endcsname", or the key undefined)
_LATEX_SPECIAL = re.compile(r"[%#~]")


def _key_breaks_latex(
    key: str, tools: Mapping[str, str], source: str, line: int | None, column: int | None
) -> Problem:
    """The error for a key pandoc writes into LaTeX unchanged that LaTeX cannot read."""
    names = {"bibtex": "natbib and BibTeX", "biber": "biblatex and biber"}
    how = ", ".join(f"{names[t]} (for {o})" if o else names[t] for t, o in tools.items())
    char = _LATEX_SPECIAL.search(key)
    what = {"%": "a comment", "#": "a macro parameter", "~": "a non-breaking space"}
    found = char.group(0) if char else "%"
    return Problem(
        kind="key-latex-special",
        severity=Severity.ERROR,
        source=source,
        line=line,
        message=f"key '{key}' is written into LaTeX as it is (the document is built with {how}), "
        f"where '{found}' is {what[found]}: LaTeX stops on the citation or leaves it undefined",
        key=key,
        suggestion="rename the key without %, # or ~ (in the bibliography and the document)",
        column=column,
    )


def _not_found_by_others(
    strict: Match, bibtex: Match, exact: Mapping[str, str], bibtex_output: str
) -> Match:
    """A key BibTeX finds in another case, in a document also built by a tool that does not
    (pandoc's citeproc for HTML, biber): unknown to that output, which the message names."""
    names = {"pandoc": "pandoc's citeproc", "biber": "biber"}
    others = ", ".join(
        f"{names.get(t, t)} (for {o})" if o else names.get(t, t) for t, o in exact.items()
    )
    where = f" (for {bibtex_output})" if bibtex_output else ""
    return strict._replace(
        message=f"{strict.message}: {others} does not find it; BibTeX{where} finds "
        f"'{bibtex.key}' regardless of case",
        suggestion=f"write it '{bibtex.key}'",
    )


def _as_bibtex_reads(key: str, match: Match, matcher: Matcher, forms: dict[str, str]) -> Match:
    """A key citation of a document built with BibTeX, as BibTeX 0.99d reads it: a key is found
    whatever its case (a warning says biber and pandoc would not find it), but a key cited
    before in another case is BibTeX's "Case mismatch error between cite keys", and that
    citation stays undefined."""
    from argmap.bib.keys import bibtex_fold

    first = forms.setdefault(bibtex_fold(key), key)
    if first != key:
        return Match(
            Status.UNKNOWN_KEY,
            None,
            (first,),
            f"BibTeX: \"Case mismatch error between cite keys {first} and {key}\" ('{first}' is "
            f"cited before), so \\cite{{{key}}} stays undefined",
            f"write it '{first}' as cited before",
        )
    if match.status is not Status.UNKNOWN_KEY:
        return match
    entries = matcher.keys_but_for_case(key)
    if len(entries) != 1:
        return match
    [entry] = entries
    return Match(
        Status.OK,
        entry,
        note=(
            "key-case",
            f"'{key}' is '{entry}' in the bibliography: BibTeX, which builds this document, "
            "matches keys regardless of case, but biber and pandoc would not find it",
            f"write it '{entry}'",
        ),
    )


def _item_name(item: CslItem) -> str:
    """A short name of a reference manager's item, for a citation of several items."""
    who = item.surnames[0] if item.surnames else (item.title or "?")[:40]
    return f"{who} {item.year or 'n.d.'}"


def _notice_problem(notice: Notice, source: str) -> Problem:
    """A reader's notice as a problem of the check."""
    return Problem(
        kind=notice.kind,
        severity=Severity.ERROR if notice.error else Severity.WARNING,
        source=source,
        line=notice.line,
        message=notice.message,
        suggestion=notice.hint,
        paragraph=notice.paragraph,
        column=notice.column,
    )


@lru_cache(maxsize=256)
def _required(entry_type: str, schema: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The required fields of an entry type, each as its message names it ("date or year") and
    as the fields any of which satisfies it: read once per type, not once per cited entry.
    ``schema`` "bst": as BibTeX reads the entry (``_bibtex_spec``); "bst-crossref": an entry
    BibTeX prints as part of its crossref'd whole; "bst:SPEC,SPEC": the fields the document's
    .bst warns of ("empty publisher in KEY"), read from its code (``Build.required``)."""
    if schema.startswith("bst:"):
        specs = tuple(spec for spec in schema[4:].split(",") if spec)
        return tuple((spec.replace("|", " or "), tuple(spec.split("|"))) for spec in specs)
    specs = required_fields(entry_type, "bibtex" if schema.startswith("bst") else schema)
    if schema.startswith("bst"):
        specs = tuple(_bibtex_spec(entry_type, spec) for spec in specs)
    if schema == "bst-crossref":
        specs = tuple(spec for spec in specs if spec in ("author", "title"))
    return tuple((spec.replace("|", " or "), tuple(spec.split("|"))) for spec in specs)


# biblatex's names that BibTeX does not read for the field it requires: an entry with a
# ``date`` and no ``year`` is BibTeX's "empty year" (checked with plain.bst on
# biblatex-examples.bib)
_BIBTEX_NAMES = {"date|year": "year", "journaltitle|journal": "journal"}


# The types whose part in a crossref'd whole BibTeX's standard styles print as "In \\cite{...}"
_CROSSREF_PARTS = frozenset({"article", "incollection", "inproceedings", "conference"})


# BibTeX 0.99d's default min_crossrefs: a parent crossref'd by this many cited entries is
# printed (and its crossref kept by them) though not cited itself
MIN_CROSSREFS = 2


def _bibtex_parents(
    bib: Bibliography, cited: set[str], every: bool = False
) -> tuple[dict[str, BibEntry], dict[str, BibEntry], list[Problem]]:
    """The parent of each cited entry whose crossref BibTeX keeps, and of each whose crossref
    finds one (BibTeX reads them all), by the entry's key; the errors of the crossrefs BibTeX
    does not find for the parent's place (``_placed_before``; ``every``: the document has
    ``\\nocite{*}``). A crossref is kept
    when the parent (found whatever the case, as BibTeX finds it) is cited, or is the crossref
    of at least ``MIN_CROSSREFS`` cited entries. BibTeX drops any other crossref, after the entry
    inherited the parent's fields (its ``.bbl`` prints the entry whole, with no "In \\cite")."""
    if not bib.crossrefs:
        return {}, {}, []
    from argmap.bib.keys import bibtex_fold

    folded: dict[str, str] | None = None
    found: dict[str, BibEntry] = {}
    for key in cited:
        entry = bib.get(key)
        if entry is None or entry.schema == "csl" or not entry.has("crossref"):
            continue
        name = (entry.fields.get("crossref") or "").strip()
        parent = bib.get(name) if name else None
        if parent is None and name:
            if folded is None:
                folded = {}
                for other in bib.entries:
                    folded.setdefault(bibtex_fold(other), other)
            at = folded.get(bibtex_fold(name))
            parent = bib.entries.get(at) if at is not None else None
        if parent is not None:
            found[entry.key] = parent
    folded_cited = {bibtex_fold(key) for key in cited}
    bad = [] if every else _placed_before(bib, found, folded_cited)
    for problem in bad:
        del found[str(problem.key)]
    counts = Counter(parent.key for parent in found.values())
    kept = {
        key: parent
        for key, parent in found.items()
        if counts[parent.key] >= MIN_CROSSREFS or bibtex_fold(parent.key) in folded_cited
    }
    return kept, found, bad


def _placed_before(
    bib: Bibliography, found: dict[str, BibEntry], folded_cited: set[str]
) -> list[Problem]:
    """An error for each cited entry (by key in ``found``, with the parent its crossref names)
    whose parent BibTeX 0.99d does not find. BibTeX reads the files in order and keeps only the
    entries on its list of citations when it reaches them; a cited entry's crossref puts its
    parent on the list. A parent not cited itself and placed before every cited entry that
    crossrefs it (in the same file, or in a file read earlier: ``\\bibliography{a,b}`` is one
    list) is skipped, and each such entry gets "A bad cross reference" and inherits nothing
    (checked with BibTeX 0.99d and plain.bst; biber and pandoc read the whole file first)."""
    from argmap.bib.keys import bibtex_fold

    order = {path: number for number, path in enumerate(bib.paths)}

    def place(entry: BibEntry) -> tuple[int, int]:
        return order.get(bib.path_of(entry.key), 0), entry.line

    first: dict[str, tuple[int, int]] = {}  # of each parent, the place of its first child
    for key, parent in found.items():
        at = place(bib.entries[key])
        if parent.key not in first or at < first[parent.key]:
            first[parent.key] = at
    out: list[Problem] = []
    for key in sorted(found):
        parent = found[key]
        if bibtex_fold(parent.key) in folded_cited or first[parent.key] < place(parent):
            continue
        entry = bib.entries[key]
        name = (entry.fields.get("crossref") or "").strip()
        there = bib.path_of(parent.key)
        where = (
            f"line {parent.line}"
            if there == bib.path_of(key)
            else f"{display_path(there)}:{parent.line}, a file read before"
        )
        out.append(
            Problem(
                kind="missing-crossref",
                severity=Severity.ERROR,
                source=display_path(bib.path_of(key)),
                line=entry.line,
                message=f"'{key}' has crossref '{name}', whose entry is placed before it "
                f"({where}) and is not cited: BibTeX, which builds the document, has passed it "
                f'when it reads the crossref ("A bad cross reference---entry "{key}" refers to '
                f"entry \"{name}\", which doesn't exist\"), so '{key}' inherits nothing of it",
                key=key,
                suggestion=f"move '{parent.key}' after the entries that crossref it (BibTeX's "
                "rule; biber and pandoc accept either order), or cite it too",
            )
        )
    return out


# BibTeX's place for an entry on its list of citations: (0, n) for the n-th key the document
# cites; (1, its place in the files) for one \\nocite{*} adds as it reads it; None for a parent
# a crossref puts on the list, which comes after the entry that crossrefs it
CitePlace = tuple[int, int, int] | None


def _bibtex_cite_order(
    bib: Bibliography, report: Report, cited: set[str], every: bool
) -> Callable[[BibEntry], CitePlace]:
    """Where BibTeX 0.99d puts each entry on its list of citations: the keys the documents cite
    in the order they cite them (the order of the ``.aux``; several documents of a group in
    turn), then, under ``\\nocite{*}``, every other entry in the order of the files; a parent
    only a crossref puts there comes after its child (it is added when the child is read)."""
    from argmap.bib.keys import bibtex_fold

    order: dict[str, int] = {}
    for record in report.citations:
        if record.key is not None and record.key in cited:
            order.setdefault(bibtex_fold(record.key), len(order))
    files = {path: number for number, path in enumerate(bib.paths)}

    def place(entry: BibEntry) -> CitePlace:
        at = order.get(bibtex_fold(entry.key))
        if at is not None:
            return (0, at, 0)
        if every:
            return (1, files.get(bib.path_of(entry.key), 0), entry.line)
        return None

    return place


def _precedes(parent: CitePlace, child: CitePlace) -> bool:
    """Whether BibTeX handles ``parent`` before ``child`` on its list of citations."""
    return parent is not None and (child is None or parent < child)


def _inherit_through_chains(
    bib: Bibliography,
    found: dict[str, BibEntry],
    place: Callable[[BibEntry], CitePlace],
    orphans: set[str],
) -> None:
    """Give each entry of ``found`` (by key, with its parent) what its parent inherited from
    a crossref of its own, where BibTeX 0.99d does: it fills in each entry's empty fields from
    its parent's in the order of its list of citations, so a parent handled before its child
    has its own parent's fields by then, and passes them on (checked with plain.bst: a cited
    @incollection whose @collection, cited before it, crossrefs a @book, gets the book's year
    and editor; cited after it, or put on the list by the crossref alone, it gets neither).
    Not from a parent in ``orphans``, whose own parent BibTeX did not find."""
    chained = [
        (key, parent)
        for key, parent in found.items()
        if parent.key not in orphans
        and parent.inherited
        and _precedes(place(parent), place(bib.entries[key]))
    ]
    # the list's order, so that a parent is filled in before the child that reads it
    for key, parent in sorted(chained, key=lambda pair: _sort_place(place(bib.entries[pair[0]]))):
        entry = bib.entries[key]
        own = entry.fields
        inherited = dict(entry.inherited)
        for name, value in parent.inherited.items():
            if name != "crossref" and name not in own and name not in inherited:
                inherited[name] = value
        entry._inherited = inherited


def _sort_place(place: CitePlace) -> tuple[int, int, int]:
    """A place on BibTeX's list as a sort key (a crossref's parent last)."""
    return (2, 0, 0) if place is None else place


def _nested_crossrefs(
    bib: Bibliography,
    parents: dict[str, BibEntry],
    place: Callable[[BibEntry], CitePlace],
    listed: set[str],
    every: bool,
) -> list[Problem]:
    """A warning (BIB105) for each cited entry (by key in ``parents``, with the parent its
    crossref finds) whose parent has a
    crossref of its own: BibTeX 0.99d warns "you've nested cross references--entry KEY refers
    to entry PARENT, which also refers to something" and the entry inherits nothing of the
    grandparent (biber follows the chain). Not where BibTeX has dropped the parent's crossref
    before it reaches the entry: the parent comes first on its list, and its own parent is
    neither cited nor crossref'd by ``MIN_CROSSREFS`` entries of the list (``listed``): the
    entry then inherits the grandparent's fields through it, silently."""
    from argmap.bib.keys import bibtex_fold

    out: list[Problem] = []
    refs: Counter[str] | None = None
    for key in sorted(parents):
        entry, parent = bib.get(key), parents[key]
        grand = (parent.fields.get("crossref") or "").strip()
        if entry is None or not grand:
            continue
        if not every and _precedes(place(parent), place(entry)):
            if refs is None:
                refs = Counter(
                    bibtex_fold((e.fields.get("crossref") or "").strip())
                    for e in (bib.get(k) for k in listed | {p.key for p in parents.values()})
                    if e is not None and e.has("crossref")
                )
            grand_entry = bib.get(grand)
            cited_grand = grand_entry is not None and place(grand_entry) is not None
            if not cited_grand and refs[bibtex_fold(grand)] < MIN_CROSSREFS:
                continue
        out.append(
            Problem(
                kind="missing-crossref",
                severity=Severity.WARNING,
                source=display_path(bib.path_of(entry.key)),
                line=entry.line,
                message=f"'{entry.key}' has crossref '{parent.key}', which has crossref "
                f"'{grand}' of its own: BibTeX, which builds the document, does not follow it "
                f'("you\'ve nested cross references--entry "{entry.key}" refers to entry '
                f'"{parent.key}", which also refers to something"), so \'{entry.key}\' '
                f"inherits nothing of '{grand}'",
                key=entry.key,
                suggestion=f"give '{parent.key}' the fields it takes from '{grand}', or make "
                f"'{entry.key}' crossref '{grand}'",
            )
        )
    return out


# What BibTeX's standard styles (plain.bst and its kin) ask of an entry printed as part of its
# crossref'd parent, among its own and inherited fields: the names, one of which must be there
# (an editor the same as the author counts for none), and the warning said without them. Each
# is said only where the document's .bst holds that warning's text.
_CROSSREF_NEEDS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "article": ((("key", "journal"), "need key or journal for {key} to crossref {parent}"),),
    **{
        kind: (
            (
                ("editor", "key", "booktitle"),
                "need editor, key, or booktitle for {key} to crossref {parent}",
            ),
        )
        for kind in ("incollection", "inproceedings", "conference")
    },
    **{
        kind: (
            (("volume",), "empty volume in {key}'s crossref of {parent}"),
            (
                ("editor", "key", "series"),
                "need editor, key, or series for {key} to crossref {parent}",
            ),
        )
        for kind in ("book", "inbook")
    },
}


# The names BibTeX's sorting styles (plain.bst, abbrv.bst, alpha.bst, plainnat.bst, apalike.bst
# and their kin; their ``presort``) sort an entry of each type by, one of which it needs, and the
# warning said without any: "to sort, need author or key in KEY". Where a type has several, the
# first whose warning's text the .bst holds is its style's (apalike.bst sorts a @proceedings by
# editor or key); none is said where the .bst holds none (unsrt.bst does not sort).
_SORT_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "book": (("author", "editor", "key"),),
    "inbook": (("author", "editor", "key"),),
    "proceedings": (("editor", "organization", "key"), ("editor", "key")),
    "manual": (("author", "organization", "key"), ("author", "key")),  # apalike: the latter
}
_SORT_BY_AUTHOR = (("author", "key"),)


def _sort_words(names: tuple[str, ...]) -> str:
    """BibTeX's warning for an entry sorted by ``names``, up to the key it names."""
    listed = ", ".join(names[:-1]) + ("," if len(names) > 2 else "") + f" or {names[-1]}"
    return f"to sort, need {listed} in "


def _bibtex_sort_needs(
    entry: BibEntry, source: str, bsts: list[Build], orphan: bool = False
) -> list[Problem]:
    """BIB101 for an entry BibTeX's style cannot sort: none of the fields it sorts that type
    by (its own or inherited under their own names; its own alone for an ``orphan``, whose
    parent BibTeX did not find), and the .bst warns "to sort, need ... in KEY"."""
    for names in _SORT_NEEDS.get(entry.type, _SORT_BY_AUTHOR):
        words = _sort_words(names)
        if all(b.bst_says(words) for b in bsts):
            break
    else:
        return []
    has = entry.present().__contains__ if orphan else entry.has
    if any(has(name) for name in names):
        return []
    return [
        Problem(
            kind="missing-field",
            severity=Severity.WARNING,
            source=source,
            line=entry.line,
            message=f"@{entry.type} '{entry.key}' has no {' or '.join(names)}: BibTeX, which "
            f'builds the document, warns "{words}{entry.key}" and sorts it without a name',
            key=entry.key,
            suggestion=f"add {' or '.join(names[:-1])}, or a key to sort it by",
        )
    ]


def _bibtex_all_empty(
    entry: BibEntry, source: str, bsts: list[Build], orphan: bool, blank: set[str] | None
) -> list[Problem]:
    """BIB101 for an entry BibTeX's style prints as a @misc (its own type, or the style's
    default for a type it does not define) with none of the fields its check reads: plain.bst
    warns "all relevant fields are empty in KEY" where the entry has no author, title,
    howpublished, month, year or note but has a key (unsrt.bst whether or not it has one).
    The fields as BibTeX reads them (its own alone for an ``orphan``; an undefined @string is
    empty)."""
    checks = {b.all_empty() for b in bsts}
    if len(checks) != 1:
        return []  # no style with the check, or documents whose styles differ on it
    [check] = checks
    if check is None:
        return []
    fields, with_key, callers = check
    for build in bsts:
        accepted = build.accepts(entry.type)
        if accepted is None or (entry.type if accepted else "default.type") not in callers:
            return []
    has = entry.present().__contains__ if orphan else entry.has
    if any(has(name) and not (blank and name in blank) for name in fields):
        return []
    if with_key and not has("key"):
        return []
    return [
        Problem(
            kind="missing-field",
            severity=Severity.WARNING,
            source=source,
            line=entry.line,
            message=f"@{entry.type} '{entry.key}' has none of {', '.join(fields)}: BibTeX, "
            f'which builds the document, warns "all relevant fields are empty in {entry.key}" '
            "and prints an empty item",
            key=entry.key,
            suggestion=f"add its {' or '.join(fields[:2])}, or remove the entry",
        )
    ]


def _bibtex_crossref_needs(
    entry: BibEntry, parent: BibEntry, source: str, bsts: list[Build]
) -> list[Problem]:
    """BIB101 for what BibTeX's style asks of an entry printed as part of its crossref'd
    ``parent`` ("need editor, key, or booktitle for KEY to crossref PARENT"), as BibTeX
    inherited the fields: under their own names (a @proceedings' title is no booktitle)."""
    out: list[Problem] = []
    for names, words in _CROSSREF_NEEDS.get(entry.type, ()):
        said = words.format(key=entry.key, parent=parent.key)
        pattern = words.split("{key}")[0]
        if not all(b.bst_says(pattern) for b in bsts):
            continue
        editor = entry.get("editor")
        if any(
            entry.has(name)
            and not (name == "editor" and editor is not None and editor == entry.get("author"))
            for name in names
        ):
            continue
        out.append(
            Problem(
                kind="missing-field",
                severity=Severity.WARNING,
                source=source,
                line=entry.line,
                message=f"@{entry.type} '{entry.key}' is printed as part of its crossref "
                f"'{parent.key}', and neither has {' or '.join(names)}: BibTeX, which builds "
                f'the document, warns "{said}" (it inherits fields under their own names '
                "only: a title is no booktitle or journal)",
                key=entry.key,
                suggestion=f"add {' or '.join(names)} to '{parent.key}'",
            )
        )
    return out


def _undefined_fields(bib: Bibliography) -> dict[str, set[str]]:
    """The fields of each entry whose whole value is an undefined @string (BIB206)."""
    found: dict[str, set[str]] = {}
    for problem in bib.problems:
        if problem.kind != "unresolved-string" or problem.key is None:
            continue
        m = re.match(r"field '([^']+)' of .* uses undefined @string '([^']*)'$", problem.message)
        entry = bib.entries.get(problem.key)
        if m is None or entry is None:
            continue
        if (entry.get(m[1]) or "").strip().lower() == m[2].strip().lower():
            found.setdefault(problem.key, set()).add(m[1])
    return found


def _without(entry: BibEntry, blank: set[str]) -> Callable[[str], bool]:
    """``entry.has``, but for the ``blank`` fields, which it has not."""
    return lambda name: name not in blank and entry.has(name)


def _bst_schema(
    entry: BibEntry, bsts: list[Build], kept: BibEntry | None, source: str, report: Report
) -> str:
    """The schema an entry of a type the documents' .bst files define is judged by (see
    ``_required``), the style's crossref warnings added to ``report``. The fields as BibTeX
    reads them; with a crossref BibTeX keeps (``kept``, the parent), its standard styles print
    "In \\cite{parent}" for an article's, a collection's or a proceedings' part and ask it for
    its author and title alone (plain.bst); a crossref it drops (a parent printed for no other
    entry) leaves the entry with the fields it inherited under their own names, judged as any
    other."""
    schema = "bst-crossref" if kept and entry.type in _CROSSREF_PARTS else "bst"
    if kept is not None:
        report.problems.extend(_bibtex_crossref_needs(entry, kept, source, bsts))
    derived = _bst_specs(entry.type, bsts, kept is not None)
    if derived is not None:
        # what the .bst itself warns of when empty (plain.bst: a book's publisher;
        # abnTeX2's: a title, not an author), in place of the data model's
        schema = "bst:" + ",".join(derived)
    return schema


def _bst_specs(entry_type: str, bsts: list[Build], crossref: bool) -> tuple[str, ...] | None:
    """The fields the documents' .bst files warn of when an entry of ``entry_type`` lacks
    them (any of them: each document's BibTeX run warns of its own), or None when a .bst's
    function for the type cannot be read."""
    specs: list[str] = []
    for build in bsts:
        found = build.required(entry_type, crossref)
        if found is None:
            return None
        specs.extend(spec for spec in found if spec not in specs)
    return tuple(specs)


def _bibtex_spec(entry_type: str, spec: str) -> str:
    """A required field as BibTeX's standard styles ask for it (``schema="bst"``): ``year``,
    ``journal``, a thesis's ``school``, a report's ``institution``."""
    if spec == "institution|school":
        return "institution" if entry_type in ("techreport", "report") else "school"
    return _BIBTEX_NAMES.get(spec, spec)


@lru_cache(maxsize=4096)
def _missing(entry_type: str, schema: str, present: tuple[str, ...]) -> tuple[str, ...]:
    """The required fields (as messages name them) an entry of ``entry_type`` whose non-empty
    fields are ``present`` (and that inherits nothing) lacks."""
    return tuple(
        spec
        for spec, names in _required(entry_type, schema)
        if not any(name in present for name in names)
    )


def check_bibliography(
    bib: Bibliography,
    cited: set[str],
    article_key: str | None,
    report: Report,
    *,
    owned_by_map: bool,
    list_unused: bool = False,
    builds: Sequence[Build] = (),
) -> None:
    """Problems of the files themselves, required fields of cited entries (warnings, as biber
    gives them), and entries never cited: counted in one line when the bibliography belongs to
    the map or ``list_unused`` asks, listed one by one only when ``list_unused`` asks.
    ``builds``: how the documents checked with it are built, which decides whether an entry
    type is unknown (BIB104) to their style."""
    # the reader keeps paths as given; reports show them relative to the working directory
    report.problems.extend(
        p._replace(source=display_path(p.source))
        for p in _typed_for_styles(bib, bib.problems, builds, cited)
    )
    if "biber" in report.tools:
        report.problems.extend(_lost_to_biber(bib, list(report.tools["biber"]), report))
        report.problems.extend(_junk_for_biber(bib, list(report.tools["biber"])))
    report.problems.extend(_keys_differing_in_case(bib, "bibtex" in report.tools))
    if "pandoc" in report.tools:
        report.problems.extend(_refused_by_pandoc(bib, list(report.tools["pandoc"]), report))
    shown: dict[Path, str] = {}  # each file's name as reports show it, worked out once
    bsts = _bst_builds(builds)
    bbxs = [b for b in builds if b.files == "bbx" and b.types is not None]
    judged = cited
    parents: dict[str, BibEntry] = {}
    orphans: set[str] = set()
    if bsts:
        # BibTeX keeps a crossref, and prints its parent, when the parent is cited or is the
        # crossref of at least min_crossrefs (2) cited entries; it then judges the parent too
        every = any(b.all_entries for b in bsts)
        if every:
            # \nocite{*}: BibTeX formats every entry, and its style warns of each (not one it
            # skips as a repeated entry)
            judged = cited | (set(bib.entries) - _bibtex_repeats(bib))
        parents, found, bad = _bibtex_parents(bib, judged, every)
        judged = judged | {parent.key for parent in parents.values()}
        report.problems.extend(bad)
        # an entry whose parent BibTeX passed inherits nothing: judged by its own fields
        orphans = {str(problem.key) for problem in bad}
        # BibTeX fills in each entry from its parent in the order of its list of citations
        cite_place = _bibtex_cite_order(bib, report, cited, every)
        _inherit_through_chains(bib, found, cite_place, orphans)
        report.problems.extend(_nested_crossrefs(bib, found, cite_place, judged, every))
        for parent in {p.key: p for p in found.values()}.values():
            if parent.key not in judged:
                # BibTeX reads a crossref'd parent it does not print, and warns of its type
                place = display_path(bib.path_of(parent.key))
                report.problems.extend(_type_not_in_bst(parent, place, bsts))
    # the fields (by entry) that are nothing but an undefined @string (BIB206): argmap keeps
    # the name as the value, BibTeX reads them empty
    undefined = _undefined_fields(bib) if bsts else {}
    for key in sorted(judged):
        entry = bib.get(key)
        if entry is None:
            continue
        path = bib.path_of(entry.key)
        source = shown.get(path)
        if source is None:
            source = shown[path] = display_path(path)
        if entry.schema != "csl":
            report.problems.extend(crowded_name_problems(entry, path, source, report.tools))
            if bsts:
                report.problems.extend(_type_not_in_bst(entry, source, bsts))
                if not entry.incomplete:
                    report.problems.extend(
                        _bibtex_sort_needs(entry, source, bsts, entry.key in orphans)
                    )
                    report.problems.extend(
                        _bibtex_all_empty(
                            entry, source, bsts, entry.key in orphans, undefined.get(entry.key)
                        )
                    )
            elif bbxs:
                report.problems.extend(_type_not_in_bbx(entry, source, bbxs))
        if entry.incomplete:
            report.problems.append(
                Problem(
                    kind="known-incomplete",
                    severity=Severity.INFO,
                    source=source,
                    line=entry.line,
                    message=f"'{entry.key}' is marked incomplete: {entry.incomplete}",
                    key=entry.key,
                )
            )
            continue
        schema = entry.schema
        if bsts and schema != "csl":
            if not all(b.accepts(entry.type) for b in bsts):
                # BibTeX prints it with the style's default type (BIB104 says so), and asks
                # it what that type's function asks (nothing in plain.bst's misc, a year in
                # apalike.bst's)
                default = (
                    None
                    if any(b.accepts(entry.type) for b in bsts)
                    else _bst_specs("default.type", bsts, False)
                )
                if not default:
                    continue
                schema = "bst:" + ",".join(default)
            else:
                schema = _bst_schema(entry, bsts, parents.get(entry.key), source, report)
        known = entry.known_present()
        if known is None:
            # an entry whose fields were read (by matching, by BIB110): its non-empty fields
            # listed once, where each required name was asked of it (1,060 entries of the
            # benchmark's lean check)
            known = entry.present_alone()
        blank = undefined.get(entry.key) if bsts else None
        if entry.key in orphans:
            known = tuple(n for n in entry.present() if not blank or n not in blank)
        elif blank:
            # a field that is only an undefined @string is empty to BibTeX ("empty school")
            known = None
        if known is not None:
            # entries share their lists of field names: each list is judged once per type
            missing = _missing(entry.type, schema, known)
        else:
            has: Callable[[str], bool] = _without(entry, blank) if blank else entry.has
            missing = tuple(
                spec
                for spec, names in _required(entry.type, schema)
                if not any(has(name) for name in names)
            )
        if not missing:
            continue
        if entry.schema == "csl":
            names = ["issued" if m == "date or year" else m for m in missing]
            message = (
                f"CSL item '{entry.key}' has no {' and no '.join(names)} "
                "(citeproc prints it without)"
            )
            suggestion = "add it in Zotero (or the file) and export again"
        else:
            message = f"@{entry.type} '{entry.key}' lacks required field(s): {', '.join(missing)}"
            if schema.startswith("bst"):
                message += " (as BibTeX, which builds the document, reads the entry)"
            suggestion = "add them, or mark the entry x-incomplete with the reason"
        report.problems.append(
            Problem(
                kind="missing-field",
                severity=Severity.WARNING,
                source=source,
                line=entry.line,
                message=message,
                key=entry.key,
                suggestion=suggestion,
            )
        )
    # a document with \nocite{*} cites every entry (BibTeX and biblatex print them all)
    if (owned_by_map or list_unused) and not any(b.all_entries for b in builds):
        unused_entries(bib, cited, article_key, report, list_unused)


def _typed_for_styles(
    bib: Bibliography, problems: list[Problem], builds: Sequence[Build], cited: Collection[str]
) -> Iterator[Problem]:
    """``problems``, each ``unknown-type`` (BIB104) judged by the styles of the documents that
    tell how they are built: dropped when every one of them accepts the type (a type the style
    defines, as biblatex-apa's ``@presentation`` or IEEEtran.bst's ``@webpage``), else saying
    which style does not, or which style argmap could not read. Where every document is built
    with BibTeX, an undefined @string (BIB206) is dropped in an entry not ``cited`` or a field
    no .bst declares (BibTeX reads only those fields of those entries) and where the .bst
    defines the name as a ``MACRO``; a repeated
    field (BIB205) is said in BibTeX's words."""
    told = [b for b in builds if b.tool is not None]
    bibtex = bool(told) and all(b.tool == "bibtex" for b in told)
    macros: frozenset[str] | None = None
    read: frozenset[str] | None = None  # the fields BibTeX reads, when every style is known
    cited_folded = {key.lower() for key in cited} if bibtex else set()
    # a document with \nocite{*} has BibTeX read every entry, cited or not
    every = any(b.all_entries for b in told)
    repeats: set[str] | None = None  # the entries BibTeX skips as repeated, when asked
    if bibtex:
        declared = [b.entry_fields for b in told]
        if all(f is not None for f in declared):
            read = frozenset().union(*(f for f in declared if f is not None))
        # the @strings every document's .bst defines (its MACROs): BibTeX reads the .bib with
        # them, so a field using one is no undefined @string to it
        found = [b.macros for b in told]
        if all(m is not None for m in found):
            macros = frozenset.intersection(*(m for m in found if m is not None))
    for problem in problems:
        if problem.kind == "duplicate-field" and bibtex:
            yield _repeat_for_bibtex(problem)
            continue
        if problem.kind == "unresolved-string" and bibtex:
            if not every and problem.key is not None and problem.key.lower() not in cited_folded:
                # BibTeX reads the fields of the entries cited alone: it says nothing of an
                # undefined @string in another ("string name ... is undefined" is for those)
                continue
            field = _UNDEFINED_FIELD().match(problem.message)
            if read is not None and field is not None and field[1] not in read:
                continue  # a field no style declares (ENTRY): BibTeX does not read it
            names = _UNDEFINED().search(problem.message)
            if (
                macros
                and names
                and {n.lower() for n in re.findall(r"'([^']*)'", names[1])} <= macros
            ):
                continue
        if problem.kind == "unresolved-string":
            yield _undefined_said(bib, problem, {b.tool for b in told if b.tool})
            continue
        if problem.kind != "unknown-type" or not told or problem.key is None:
            yield problem
            continue
        if bibtex:
            if repeats is None:
                repeats = _bibtex_repeats(bib)
            if problem.key in repeats:
                continue  # BibTeX skips the entry as repeated: it reads no type of it
        entry = bib.entries.get(problem.key)
        if entry is None:
            yield problem
            continue
        answers = [(build, build.accepts(entry.type)) for build in told]
        if all(accepted for _, accepted in answers):
            continue
        said: list[str] = []
        stops = False  # a biblatex style with no fallback driver: LaTeX stops with an error
        for build, accepted in answers:
            if accepted:
                continue
            stops = stops or (accepted is False and build.files == "bbx" and not build.fallback)
            text = _style_answer(build, entry.type, accepted)
            if text not in said:
                said.append(text)
        yield problem._replace(
            message=f"{problem.message}: {'; '.join(said)}",
            severity=Severity.ERROR if stops else problem.severity,
        )


def _undefined_said(bib: Bibliography, problem: Problem, tools: set[str]) -> Problem:
    """An undefined @string (BIB206) as a warning saying what the documents' tools make of it
    (checked with BibTeX 0.99d, biber 2.18, pandoc 2.17 and 3.9: tests/data/tools/undefined):
    BibTeX and biber warn and leave the name out, so a field that is nothing else prints
    empty (BibTeX's "empty journal"; biber's .bbl has no journaltitle) and one joined with #
    prints without it ("J. Letters"); pandoc prints the name as text ("J. Jgr Letters"),
    silently. None stops: the document builds."""
    field = _UNDEFINED_FIELD().match(problem.message)
    names = _UNDEFINED().search(problem.message)
    entry = bib.entries.get(problem.key) if problem.key else None
    whole = False
    if field is not None and names is not None and entry is not None:
        value = (entry.fields.get(field[1]) or "").strip().lower()
        # (read for BibTeX or biber, the field is empty already: argmap.bib.undefined)
        whole = not value or value in {n.lower() for n in re.findall(r"'([^']*)'", names[1])}
    name = field[1] if field is not None else "field"
    left_out = (
        f"'{problem.key}' prints without its {name}"
        if whole
        else f"its {name} prints without the name"
    )
    first = re.findall(r"'([^']*)'", names[1])[0] if names is not None else "..."
    words = {
        "BibTeX": f'"string name "{first}" is undefined"',
        "biber": f'"undefined macro "{first}""',
    }
    warn = [name for name in words if name.lower() in tools] or ([] if tools else list(words))
    told: list[str] = []
    if warn:
        said = ", ".join(words[name] for name in warn)
        verbs = ("warns", "leaves") if len(warn) == 1 else ("warn", "leave")
        told.append(f"{' and '.join(warn)} {verbs[0]} ({said}) and {verbs[1]} it out: {left_out}")
    if "pandoc" in tools or not tools:
        told.append("pandoc prints the name as the text, silently")
    return problem._replace(
        severity=Severity.WARNING, message=f"{problem.message}: {'; '.join(told)}"
    )


# the names of an unresolved-string problem (BIB206): "... uses undefined @string 'set', 'x'"
_UNDEFINED_FIELD = lazy(r"field '([^']+)' of ")
_UNDEFINED = lazy(r"uses undefined @string ((?:'[^']*'(?:, )?)+)$")


def _bst_builds(builds: Sequence[Build]) -> list[Build]:
    """The builds, when every document that tells its tool is built with BibTeX and a .bst
    argmap read (else none): BibTeX warns of a cited entry whose type the style lacks."""
    from argmap.project.styles import BIBLATEX_BST

    told = [b for b in builds if b.tool is not None]
    # (not biblatex.bst, with backend=bibtex: it reads biblatex's fields, date and journaltitle)
    if told and all(
        b.files == "bst" and b.style != BIBLATEX_BST and b.types is not None for b in told
    ):
        return told
    return []


def _type_not_in_bst(entry: BibEntry, source: str, bsts: list[Build]) -> list[Problem]:
    """BIB104 for a cited entry of a type argmap knows (biblatex's ``@online``, ``@commentary``)
    that a document's .bst does not define: BibTeX 0.99d warns "entry type for KEY isn't
    style-file defined" and prints it with the style's default type. (A type argmap does not
    know is reported by the reader already.)"""
    from argmap.bib.datamodel import known_type

    if not known_type(entry.type):
        return []
    lacking = sorted({b.style or "" for b in bsts if not b.accepts(entry.type)})
    if not lacking:
        return []
    styles = ", ".join(f"{name}.bst" for name in lacking)
    return [
        Problem(
            kind="unknown-type",
            severity=Severity.WARNING,
            source=source,
            line=entry.line,
            message=f"entry type '@{entry.type}' of '{entry.key}' is biblatex's, but BibTeX's "
            f'style {styles} does not define it ("entry type for "{entry.key}" isn\'t '
            "style-file defined\"; the entry is printed as the style's default type)",
            key=entry.key,
            suggestion="use a type the style defines, such as @misc, @article or @book",
        )
    ]


_REPEATED = lazy(
    r"(?P<head>entry '(?P<key>.*)' gives field '(?P<name>[^']+)' \d+ different values): biber "
    r"and pandoc use the last \((?P<last>.*)\), BibTeX the first \((?P<first>.*)\) and warns; "
    r"argmap uses the last$",
    re.DOTALL,
)


def _repeat_for_bibtex(problem: Problem) -> Problem:
    """A repeated field (BIB205) in a bibliography only documents built with BibTeX use: said
    as BibTeX 0.99d says it, which prints the first value ("I'm ignoring KEY's extra "NAME"
    field"); argmap matches citations with the first too (``argmap.bib.repeats``)."""
    m = _REPEATED().match(problem.message)
    if m is None:
        return problem
    return problem._replace(
        message=f"{m['head']}: BibTeX, which builds the document, prints the first "
        f'({m["first"]}) and warns ("I\'m ignoring {m["key"]}\'s extra "{m["name"]}" '
        f'field"); argmap matches citations with the first too (biber and pandoc use the '
        f"last, {m['last']})",
    )


def _type_not_in_bbx(entry: BibEntry, source: str, bbxs: list[Build]) -> list[Problem]:
    """BIB104 for a cited entry of a type of biblatex's data model (``@standard``, ``@movie``,
    ``@software`` in biblatex-chicago) that a document's biblatex style has no driver for:
    biblatex warns "No driver for 'T'" and prints it with the style's fallback driver, or stops
    with the error "No driver for 'T' found" where the style has none (a type argmap does not
    know is reported by the reader already)."""
    from argmap.bib.datamodel import UNCITABLE_TYPES, known_type

    if not known_type(entry.type) or entry.type in UNCITABLE_TYPES or entry.type == "set":
        return []
    lacking = [b for b in bbxs if not b.accepts(entry.type)]
    if not lacking:
        return []
    said = "; ".join(dict.fromkeys(_style_answer(b, entry.type, False) for b in lacking))
    return [
        Problem(
            kind="unknown-type",
            severity=Severity.WARNING if all(b.fallback for b in lacking) else Severity.ERROR,
            source=source,
            line=entry.line,
            message=f"entry type '@{entry.type}' of '{entry.key}' is biblatex's, but {said}",
            key=entry.key,
            suggestion="use a type the style has a driver for, such as @misc, @article or @book",
        )
    ]


def _style_answer(build: Build, entry_type: str, accepted: bool | None) -> str:
    """What one document's style makes of a type it does not accept (``accepted`` False) or
    that argmap cannot judge (None)."""
    if build.typst:
        formats = ", ".join(build.typst)
        return (
            f"Typst (format {formats}) reads it as a misc entry, silently (Hayagriva's BibTeX "
            "import takes a type it does not know for misc)"
        )
    if build.tool == "pandoc":
        return "pandoc reads it as an item of no type, silently"
    if accepted is None:
        if build.style is None:
            return f"{build.why}, so argmap cannot tell whether its style defines @{entry_type}"
        return (
            f"the style '{build.style}' is unknown to argmap ({build.why}), so argmap cannot "
            f"tell whether it defines @{entry_type}"
        )
    if build.files == "bst":
        return (
            f"BibTeX's style {build.style}.bst does not define it (\"entry type ... isn't "
            "style-file defined\"; the entry is printed as the style's default type)"
        )
    if build.fallback:
        return (
            f"biblatex's style '{build.style}' has no driver for it (\"No driver for "
            f"'{entry_type}'. Using fallback driver\": the entry is printed as the style's "
            "fallback, @misc in biblatex's standard styles)"
        )
    return (
        f"biblatex's style '{build.style}' has no driver for it and no fallback driver: LaTeX "
        f"stops with biblatex's error \"No driver for '{entry_type}' found\""
    )


def _bibtex_repeats(bib: Bibliography) -> set[str]:
    """The keys BibTeX 0.99d skips as a "Repeated entry" (BIB223 says so): equal but for case
    to an earlier entry's. It reads neither their type nor their fields."""
    from argmap.bib.columns import keys_apart
    from argmap.bib.keys import bibtex_fold

    repeats: set[str] = set()
    if keys_apart(bib):
        return repeats
    seen: set[str] = set()
    for key in bib.entries:
        folded = bibtex_fold(key)
        if folded in seen:
            repeats.add(key)
        seen.add(folded)
    return repeats


def _keys_differing_in_case(bib: Bibliography, bibtex: bool) -> list[Problem]:
    """Two keys equal but for case (Chen_2017, chen_2017): BibTeX 0.99d takes the second for a
    "Repeated entry" and prints the first work for both (an error in a document built with
    BibTeX); biber keeps both and warns "Possible typo (case mismatch)" (a warning otherwise)."""
    from argmap.bib.columns import keys_apart
    from argmap.bib.keys import bibtex_fold

    # BibTeX lowers ASCII letters only (Ärger2001 and ärger2001 are two entries to it), biber
    # every letter ("Possible typo (case mismatch)" for them too); both checked by hand
    fold = bibtex_fold if bibtex else str.lower
    first: dict[str, str] = {}
    out: list[Problem] = []
    # the common case, no two keys alike but for case, told at C speed (the loop below cost
    # ~10 ms a warm check of 20,000 keys), or read from the cache with the file's columns:
    # keys that BibTeX's fold makes one differ in ASCII case alone, so str.lower makes them
    # one too
    if keys_apart(bib):
        return out
    # by key alone: an entry read from the cache is made only for a pair found
    for key in bib.entries:
        seen_key = first.setdefault(fold(key), key)
        if seen_key == key:
            continue
        entry, seen = bib.entries[key], bib.entries[seen_key]
        if entry.schema == "csl" or seen.schema == "csl":
            continue  # CSL items reach pandoc alone, which tells keys by case
        there = f"{display_path(bib.path_of(seen.key))}:{seen.line}"
        out.append(
            Problem(
                kind="key-case-clash",
                severity=Severity.ERROR if bibtex else Severity.WARNING,
                source=display_path(bib.path_of(entry.key)),
                line=entry.line,
                message=(
                    f"key '{entry.key}' differs only in case from '{seen.key}' ({there}): "
                    f"BibTeX takes it for a repeated entry and prints '{seen.key}' for "
                    f"\\cite{{{entry.key}}}; biber keeps both and warns of a case mismatch"
                ),
                key=entry.key,
                suggestion="give the two works keys that differ in more than case",
            )
        )
    return out


def _refused_by_pandoc(bib: Bibliography, documents: list[str], report: Report) -> list[Problem]:
    """An error for each BibTeX file pandoc refuses whole, when manuscripts (``documents``) are
    built with pandoc: no citation of its entries resolves. The opening (the first of the file)
    was found while the file was indexed, so no file is read here."""
    built = set(documents)
    out: list[Problem] = []
    for path in bib.paths or [bib.path]:
        if path.suffix.lower() not in (".bib", ".bibtex", ".biblatex"):
            continue
        # found while the file was indexed (argmap.bib.index.pandoc_refusal): no file is read
        refusal = bib.pandoc_refusals.get(path)
        if refusal is not None:
            line, name, bracket = refusal
            block = name.lower() in ("string", "preamble")
            if block:
                what = f"'@{name}{{': braces, not round brackets"
            elif name.isalpha() and bracket == "(":
                what = f"'@{name}(': an entry in braces, not round brackets"
            else:
                what = f"'@{name}': an entry type of letters only"
            shown = display_path(path)
            cited = sum(
                1
                for c in report.citations
                if c.source in built
                and c.key is not None
                and c.key in bib
                and bib.path_of(c.key) == path
            )
            out.append(
                Problem(
                    kind="pandoc-refuses-file",
                    severity=Severity.ERROR,
                    source=shown,
                    line=line,
                    message=(
                        f"{documents[0]} is built with pandoc, which refuses all of {shown} "
                        f"at this {'@' + name.lower() if block else 'entry'}: its reader wants "
                        f"{what} (pandoc 2.11 and later), so {cited} citation(s) of the file's "
                        "entries resolve to nothing"
                    ),
                    suggestion=(
                        f"write it as @{name.lower()}{{...}}"
                        if block
                        else "write the entry as @type{key, ...} with a standard type"
                    ),
                )
            )
    return out


# What makes biber 2.18 stop reading a file with an ERROR, keeping none of its entries.
_BIBER_STOPS = {
    "key-apostrophe": "an entry key with an apostrophe",
    "unbraced-comment": "a @comment without braces",
    "no-key": "an entry without a key",
}


def _junk_for_biber(bib: Bibliography, documents: list[str]) -> list[Problem]:
    """A warning where biber warns "N characters of junk seen at toplevel" (text between
    entries: ``argmap.bib.junk``), for manuscripts (``documents``) built with biber; each
    BibTeX file's text is read again for it (BibTeX and pandoc say nothing of such text, so
    no other check reads it)."""
    from argmap.base.textio import read_bytes
    from argmap.bib.junk import toplevel_junk
    from argmap.bib.parallel import PartDecodeError, decode_bib
    from argmap.bib.sources import BibFormat, detect_format
    from argmap.errors import BibliographyError

    # biber stops at the first entry it cannot read (BIB222): it warns of no junk after it
    stops: dict[str, int] = {}
    for problem in bib.problems:
        if problem.kind in _BIBER_STOPS and problem.line is not None:
            stops[problem.source] = min(problem.line, stops.get(problem.source, problem.line))
    out: list[Problem] = []
    for path in bib.paths or [bib.path]:
        try:
            if detect_format(path) is not BibFormat.BIBTEX:
                continue
            text = decode_bib(read_bytes(path, BibliographyError, "bibliography"))
        except (BibliographyError, PartDecodeError, OSError):
            continue  # changed or gone since it was read (its reading said what is wrong)
        shown = display_path(path)
        last = stops.get(str(path))
        for line, count, starts in toplevel_junk(text):
            if last is not None and line > last:
                break
            out.append(
                Problem(
                    kind="toplevel-junk",
                    severity=Severity.WARNING,
                    source=shown,
                    line=line,
                    message=f"text outside the entries (from line {starts}) that is no entry "
                    f"and no % "
                    f'comment: biber, which builds {documents[0]}, warns "{count} characters '
                    f'of junk seen at toplevel" here (it keeps every entry; BibTeX and pandoc '
                    "ignore it)",
                    suggestion="delete it (a stray brace), or begin each of its lines with % "
                    "to keep it as a comment",
                )
            )
    return out


def _stop_words(cause: Problem) -> str:
    """What biber stops at, said of the problem ``cause``: an apostrophe in a key, or (in the
    same warning, BIB210) an equals sign."""
    if cause.kind == "key-apostrophe" and "'" not in str(cause.key):
        return "an entry key with an equals sign"
    return _BIBER_STOPS[cause.kind]


def _lost_to_biber(bib: Bibliography, documents: list[str], report: Report) -> list[Problem]:
    """An error for each bibliography file biber cannot read, when manuscripts (``documents``)
    are built with biber: every citation they make of the file's entries comes out undefined,
    whatever argmap resolved it to."""
    first: dict[str, Problem] = {}
    for problem in bib.problems:
        if problem.kind in _BIBER_STOPS and problem.source not in first:
            first[problem.source] = problem
    if not first:
        return []
    counts: Counter[str] = Counter()
    built = set(documents)
    for citation in report.citations:
        if citation.source in built and citation.key is not None and citation.key in bib:
            counts[str(bib.path_of(citation.key))] += 1
    out = []
    for source, cause in first.items():
        shown = display_path(source)
        out.append(
            Problem(
                kind="tool-loses-file",
                severity=Severity.ERROR,
                source=shown,
                line=cause.line,
                message=(
                    f"{documents[0]} is built with biber, which stops here "
                    f"({_stop_words(cause)}) and reads no entry of {shown}: "
                    + (
                        f"its {counts[source]} citation(s) of entries of this file come out "
                        "undefined"
                        if counts[source]
                        else "none of its entries will be in the bibliography"
                    )
                ),
                suggestion=(
                    f"rename '{cause.key}' without the "
                    f"{'apostrophe' if chr(39) in str(cause.key) else 'equals sign'} (and every "
                    "key like it)"
                    if cause.kind == "key-apostrophe"
                    else cause.suggestion
                ),
            )
        )
    return out


def crowded_name_problems(
    entry: BibEntry, path: Path, source: str, tools: Collection[str] = ()
) -> list[Problem]:
    """A name of a name-list field with more than two commas: BibTeX stops ("Too many commas in
    name"), biber drops the entry; most often names separated by commas instead of "and".
    Reported at the field's line in ``path`` (shown as ``source``). A name in biblatex's
    extended format (``family=..., given=...``), which biber and pandoc read, is judged by
    ``tools``, the bibliography tools of the documents checked (see ``_extended_name``)."""
    problems = []
    for field_name in entry.present():
        # an author or editor list the index found with two commas at most is not read again
        if field_name not in NAME_FIELD_SET or entry.few_commas(field_name):
            continue
        crowded = crowded_names(entry.get(field_name) or "")
        # the field's own line: it may be many lines below the entry's
        line = field_line(path, entry.line, field_name) if crowded else None
        for name in crowded:
            if _EXTENDED_NAME().fullmatch(name.name):
                extended = _extended_name(entry, field_name, name, tools, source, line)
                problems.extend([extended] if extended else [])
                continue
            if name.commas - name.trailing <= MAX_COMMAS:
                problems.append(_trailing_commas(entry, field_name, name, tools, source, line))
                continue
            problems.append(
                Problem(
                    kind="too-many-commas",
                    severity=Severity.ERROR,
                    source=source,
                    line=line or entry.line,
                    message=(
                        f"@{entry.type} '{entry.key}' field {field_name}: name {name.position} "
                        f"'{name.name}' has {name.commas} commas (BibTeX allows 2: "
                        "'von Last, Jr, First'); BibTeX stops and biber drops the entry"
                    ),
                    key=entry.key,
                    suggestion='separate the names with " and " (Slaughter, Peter and Jones, '
                    "Matthew B.), and brace a corporate name ({Acme, Inc.})",
                )
            )
    return problems


def _trailing_commas(
    entry: BibEntry,
    field_name: str,
    name: CrowdedName,
    tools: Collection[str],
    source: str,
    line: int | None,
) -> Problem:
    """A name crowded only by commas at its end ("J. Zlatev, T. P. Racine, C. Sinha,"): BibTeX
    0.99d drops those and reads the name without an error (as one garbled name) and pandoc reads
    it, while biber 2.18 drops the entry ("has too many commas, skipping entry"). An error when a
    document checked is built with biber, or when none tells its tool; a warning otherwise."""
    biber = not tools or "biber" in tools
    return Problem(
        kind="too-many-commas",
        severity=Severity.ERROR if biber else Severity.WARNING,
        source=source,
        line=line or entry.line,
        message=(
            f"@{entry.type} '{entry.key}' field {field_name}: name {name.position} "
            f"'{name.name}' has {name.commas} commas, {name.trailing} at its end: BibTeX drops "
            "those and reads it without an error (as one name, garbled), pandoc reads it, "
            "biber drops the entry"
        ),
        key=entry.key,
        suggestion='separate the names with " and " (Slaughter, Peter and Jones, '
        "Matthew B.), and brace a corporate name ({Acme, Inc.})",
    )


# biblatex's extended name format: every comma-separated part is "key=value" ("family=Pina-
# Cabral, given=João, prefix=de, useprefix=true"), read by biber 2.18 and pandoc 2.17 alike.
_EXTENDED_NAME = lazy(r"\s*[A-Za-z-]+\s*=[^,]*(?:,\s*[A-Za-z-]+\s*=[^,]*)*")


def _extended_name(
    entry: BibEntry,
    field_name: str,
    name: CrowdedName,
    tools: Collection[str],
    source: str,
    line: int | None,
) -> Problem | None:
    """A name in biblatex's extended format: nothing when every document checked is built with
    biber or pandoc; an error when one is built with BibTeX, which stops ("Too many commas in
    name"); a warning saying so when no document tells its tool."""
    if tools and "bibtex" not in tools:
        return None
    where = f"@{entry.type} '{entry.key}' field {field_name}: name {name.position} '{name.name}'"
    bibtex = "bibtex" in tools
    return Problem(
        kind="too-many-commas",
        severity=Severity.ERROR if bibtex else Severity.WARNING,
        source=source,
        line=line or entry.line,
        message=f"{where} is in biblatex's extended name format, which BibTeX (building "
        "this document) cannot read: it stops with 'Too many commas in name'"
        if bibtex
        else f"{where} is in biblatex's extended name format: biber and pandoc read it, "
        "BibTeX stops with 'Too many commas in name'",
        key=entry.key,
        suggestion="write it 'von Last, First' for BibTeX, or build with biber"
        if bibtex
        else "nothing if the document is built with biber or pandoc; for BibTeX write "
        "it 'von Last, First'",
    )


def used_keys(bib: Bibliography, cited: set[str]) -> set[str]:
    """The keys of the entries ``cited`` names (aliases resolved) and of those they draw on:
    crossref parents, xdata sources and set members."""
    from argmap.bib.inherit import key_list

    used: set[str] = set()
    pending = list(cited)
    while pending:
        entry = bib.get(pending.pop())
        if entry is None or entry.key in used:
            continue
        used.add(entry.key)
        pending.extend(key_list(entry.get("crossref")))
        present = entry.present()
        for name in ("xdata", "entryset"):
            if name in present:
                pending.extend(key_list(entry.fields.get(name)))
    return used


def unused_entries(
    bib: Bibliography, cited: set[str], article_key: str | None, report: Report, listed: bool
) -> None:
    """One summary line of the entries never cited, and each of them when ``listed``."""
    from argmap.bib.datamodel import UNCITABLE_TYPES

    used = used_keys(bib, cited)
    unused = [
        entry
        for key, entry in bib.entries.items()
        if key not in used and key != article_key and entry.type not in UNCITABLE_TYPES
    ]
    if not unused:
        return
    names = ", ".join(display_path(p) for p in bib.paths or [bib.path])
    more = "" if listed else " (--unused lists them)"
    report.problems.append(
        Problem(
            kind="never-cited-summary",
            severity=Severity.WARNING,
            source=display_path(bib.path),
            line=None,
            message=f"{len(unused)} of {len(bib.entries)} entries of {names} are never cited{more}",
            suggestion="cite them or remove them",
        )
    )
    if listed:
        for entry in unused:
            report.problems.append(
                Problem(
                    kind="never-cited",
                    severity=Severity.WARNING,
                    source=display_path(bib.path_of(entry.key)),
                    line=entry.line,
                    message=f"'{entry.key}' is never cited",
                    key=entry.key,
                    suggestion="cite it or remove it",
                )
            )


def map_problems(error: MapError) -> list[Problem] | None:
    """A map that does not load, as findings (one per failed check, with its file and line), or
    None when it is not a map's content at fault (a path that is not there: a usage error)."""
    errors: list[MapError] = list(getattr(error, "errors", None) or [error])
    if not all(e.path is not None and Path(e.path).is_file() for e in errors):
        return None
    return [
        Problem(
            kind=e.kind,
            severity=Severity.ERROR,
            source=display_path(e.path or ""),
            line=e.line,
            message=f"{e.field}: {e.message}" if e.field else e.message,
            suggestion=e.hint,
        )
        for e in errors
    ]


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems by file, line, column and code."""
    return sorted(problems, key=lambda p: (p.source, p.line or 0, p.column or 0, p.code, p.kind))
