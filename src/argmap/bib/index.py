"""A fast index of a .bib file: every entry's key, type, line, span and core fields, read with the
standard library's ``re`` where an entry has the plain shape reference managers write, and with
bibtexparser where it has not — so that the result is the same as bibtexparser's, entry by entry.

The file is cut into *chunks* at the lines where bibtexparser starts a block (a chunk parses
exactly as it does within the whole file: bibtexparser ends any open block at such a line). A
chunk that matches ``_SIMPLE_ENTRY`` — one ``@type{key, name = value, ...}`` whose values are
braced (nested four deep; a backslash only before a character that is no brace, backslash or
newline), quoted (no ``{"}``, no backslash before a backslash), bare words or numbers, or ``#``
concatenations of these, followed by text without ``@`` — is tokenized by regular expressions:
bibtexparser's splitter, which ends a value at the first ``,`` or ``}`` outside braces and
quotes, reads such a chunk into the same key, type and fields (``tests/bib/test_index.py``
holds the two equal on generated files full of the corners where they could differ, on the
benchmark's files and on every test bibliography). Every other chunk (comments, preambles,
failed or unusual entries) is handed to bibtexparser, in runs of adjacent chunks. Of a
tokenized entry only its key, type, line, folded surnames, year and the names of its non-empty
fields are kept; its fields stay in the text until one is asked for.
"""

from __future__ import annotations

import marshal
import re
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from argmap.bib.namelists import MAX_COMMAS, may_crowd
from argmap.bib.names import quick_surnames
from argmap.bib.parallel import CoreEntry, Problem
from argmap.bib.store import CORE_FIELDS
from argmap.bib.strings import resolve_strings, resolve_value


class _LazyPattern:
    """A regular expression compiled the first time it is used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.fullmatch``."""
        return self._get().fullmatch(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        """``re.Pattern.findall``."""
        return self._get().findall(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self._get().finditer(text, pos, endpos)

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return self._get()


def _braced(depth: int) -> str:
    """A balanced ``{...}`` up to ``depth`` levels, as bibtexparser's splitter counts braces:
    a backslash keeps the next character from being a mark, so a backslash before a brace, a
    backslash or a newline goes to bibtexparser (within braces, quotes, commas and equals
    signs are text either way)."""
    inner = r"[^{}\\]++|\\[^{}\\\n]"
    if depth > 1:
        inner += "|" + _braced(depth - 1)
    return r"\{(?:" + inner + r")*+\}"


# Within quotes bibtexparser ignores braces and ends the value at the next `"` that no backslash
# precedes; `{"}` (its escaped quote) and a backslash before a backslash go to bibtexparser.
_QUOTED = r'"(?:[^"\\{]++|\{(?!")|\\[^\n\\])*+"'
_PIECE = r"(?:" + _braced(4) + "|" + _QUOTED + r"|[\w.:+/-]++)"
_VALUE = _PIECE + r"(?:\s*+\#\s*+" + _PIECE + r")*+"
_NAME = r"[\w.:+/-]++"
_FIELD = r"\s*+(" + _NAME + r")\s*+=\s*+(" + _VALUE + r")\s*+"
_KEY = r'[^\s,{}"=@\\]++'
# One plain entry, then text without `@` (implicit comments) up to the next chunk. The patterns
# only some files need are compiled on first use (compiling costs milliseconds at every start).
_SIMPLE_ENTRY = _LazyPattern(
    r"[ \t]*+@(\w++)[ \t]*+\{\s*+(" + _KEY + r")\s*+,(?:" + _FIELD + r",)*+(?:" + _FIELD + r")?"
    r"\s*+\}(?P<tail>[^@]*+)"
)
# The fields of an entry of the general shape: a warm check, which reads the fields of its cited
# entries of the plain shape (``SpanRest``), need not compile it (1.1 ms, best of 7).
_FIELDS = _LazyPattern(_FIELD + r"[,}]")


# The commonest shape, read without a loop over fields: lower-case field names, each value one
# braced or quoted piece, a number or a bare word — so that no value needs resolving but core
# ones, and none can be undefined once every bare word is a known @string or month.
_PLAIN_FIELD = r"\s*+([a-z0-9_.:+/-]++)\s*+=\s*+(" + _PIECE + r")\s*+"
# (compiled on first use, ~1.5 ms: a large file's entries are read by _FAST_ENTRY, and a
# check of the benchmark's lean file never needs this one)
_PLAIN_ENTRY = _LazyPattern(
    r"[ \t]*+@(\w++)[ \t]*+\{\s*+("
    + _KEY
    + r")\s*+,(?:"
    + _PLAIN_FIELD
    + r",)*+(?:"
    + _PLAIN_FIELD
    + r")?\s*+\}(?P<tail>[^@]*+)"
)
# The fields of an entry _PLAIN_ENTRY matched (the same tokens as _FIELDS, found faster).
_PLAIN_FIELDS = _LazyPattern(_PLAIN_FIELD + r"[,}]")
# The commonest shape of all, read in one match: lower-case field names, each value one
# non-blank braced or quoted piece, a number or a bare word (a @string or a month, captured
# apart to be looked up), at most _FAST_FIELDS fields. ``re`` keeps only the last capture of a
# repeated group, so the fields are nested optional groups, each with its own: one match gives
# every name and value (the general shapes need a second pass for them). Such an entry has no
# empty value, so every field is present unless a bare word names a blank @string.
_FAST_PIECE = (
    r"(?:\{(?!\s*+\})"  # a braced piece, not blank
    + _braced(4)[2:]
    + r'|"(?!\s*+")(?:[^"\\{]++|\{(?!")|\\[^\n\\])*+"'  # a quoted one, not blank
    + r"|[0-9]++(?![\w.:+/-])"  # a number
    + r"|([^\W\d][\w.:+/-]*+))"  # a bare word
)
# Per field three groups: its name, its value and (within the value) the bare word it is.
_FAST_FIELD = r"\s*+([a-z0-9_.:+/-]++)\s*+=\s*+(" + _FAST_PIECE + r")\s*+"
_FAST_FIELDS = 16


def _fast_entry() -> str:
    """The pattern of an entry of the commonest shape (see ``_FAST_FIELD``)."""
    fields = _FAST_FIELD
    for _ in range(_FAST_FIELDS - 1):
        fields = _FAST_FIELD + "(?:," + fields + ")?"
    return r"[ \t]*+@(\w++)[ \t]*+\{\s*+(" + _KEY + r")\s*+,(?:" + fields + r",?)?\s*+\}[^@]*+"


_FAST_ENTRY = _LazyPattern(_fast_entry())
FAST_FROM = 1 << 18  # the text (or piece) size from which entries are read in one match


def fast_entry_pattern() -> re.Pattern[str]:
    """The one-match pattern, compiled (~7 ms) the first time it is asked for: a process that
    forks index workers compiles it before, and they inherit it."""
    return _FAST_ENTRY.compiled()


def general_fields_pattern() -> re.Pattern[str]:
    """The pattern of a general-shape entry's fields, compiled (~1 ms) the first time it is
    asked for: a process that forks index workers compiles it before, and they inherit it."""
    return _FIELDS.compiled()


def _no_match(text: str, pos: int, endpos: int) -> None:
    """No one-match reading (a small text: the pattern is not compiled)."""
    return None


# Where a bare word may stand as a value; inside a braced value this finds words that are not
# values too, which only sends the entry to the careful reading.
# A bare value that is not a number ("1999a", "2nd") is one too: bibtexparser reads it as an
# undefined @string.
_BARE_WORDS = re.compile(r"=\s*+(?!\d++\s*+[,}])([\w.:+/-]++)\s*+[,}]")
# An empty value (or what looks like one inside a braced value: then the names of the
# non-empty fields are found the careful way).
_EMPTY_VALUE = re.compile(r'=\s*+(?:\{\s*+\}|"\s*+")\s*+[,}]')


# An @string block ends at its closing brace counted with quotes ignored (bibtexparser tracks
# quotes only in `(`-delimited blocks): its quoted pieces must hold balanced braces.
_STRING_QUOTED = r'"(?:[^"{}\\]++|\\[^{}\\\n]|' + _braced(4) + r')*+"'
_STRING_PIECE = r"(?:" + _braced(4) + "|" + _STRING_QUOTED + r"|[\w.:+/-]++)"
_SIMPLE_STRING = _LazyPattern(
    r"[ \t]*+@string[ \t]*+\{\s*+("
    + _NAME
    + r")\s*+=\s*+("
    + _STRING_PIECE
    + r"(?:\s*+\#\s*+"
    + _STRING_PIECE
    + r")*+)\s*+\}[^@]*+",
    re.IGNORECASE,
)
# A line that starts a block, as bibtexparser's splitter sees one (see argmap.bib.parallel).
_BLOCK_LINE = re.compile(r"\n(?=[ \t]*@\w*[ \t]*[{(])")
# What follows the blanks of a block line (chunks finds its line's start before it).
_OPENING = re.compile(r"@\w*[ \t]*[{(]")
# The blocks that are no entries, by their whole name: BibTeX 0.99d and biber 2.18 read
# ``@commentary{`` (biblatex's type) and jurabib's ``@COMMENTED{`` as entries.
_NOT_ENTRIES = frozenset(("comment", "preamble", "string"))
# (the brace may follow on another line, as an entry's may: then bibtexparser's reading is used)
_STRING_MARK = re.compile(r"@[sS][tT][rR][iI][nN][gG]\s*[{(]")
# Where bibtexparser starts a block outside any other: anywhere in a line; or where an entry
# with a type bibtexparser does not take stands (``@book-section{``, which BibTeX and biber
# read: argmap.bib.parallel shows it to bibtexparser with "_" for "-"), or one whose brace
# follows on another line or after a "%" comment (``@FAKE-ENTRY`` then ``{key,``: shown with
# the brace moved up).
_ANY_BLOCK = re.compile(r"@[^\s\"#%'(),={}@]*(?:\s++|%[^\n]*+)*+[{(]")
# A block start after a newline and whitespace other than spaces and tabs (a form feed, a
# no-break space): bibtexparser ends an open block there, though no chunk starts there.
_ODD_BLOCK_LINE = re.compile(r"\n[ \t]*[^\S\n \t]\s*@\w*[ \t]*[{(]")
# Every character ``[^\S\n \t]`` matches (a test holds the two equal), the first seven ASCII.
ODD_SPACES = (
    "\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def odd_block_lines(text: str, begin: int, stop: int) -> list[int]:
    """Where ``_ODD_BLOCK_LINE`` matches in ``text[begin:stop]``: none without one of the
    ``ODD_SPACES``, which a search for each tells at C speed (1.2 ms for the lean 20k file,
    where the pattern's search from every newline took 17 ms)."""
    spaces = ODD_SPACES[:7] if text.isascii() else ODD_SPACES
    if all(text.find(space, begin, stop) < 0 for space in spaces):
        return []
    return [m.start() for m in _ODD_BLOCK_LINE.finditer(text, begin, stop)]


def chunks(text: str, begin: int = 0, stop: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each chunk of ``text[begin:stop]`` (``begin`` is 0 or a block line): the
    first from ``begin``, the others from a block line."""
    stop = len(text) if stop is None else stop
    start = begin
    # Searched from each opening ("@type{"), then its line's start found before it: a search
    # for _BLOCK_LINE tries its look-ahead at every newline (~9 to an entry), which took 6 % of
    # a cold check's instructions; the openings are about one to an entry. The cuts are the
    # same (a test holds them equal to _BLOCK_LINE's).
    for match in _OPENING.finditer(text, begin, stop):
        at = match.start() - 1
        while at >= begin and text[at] in " \t":
            at -= 1
        if at < begin or text[at] != "\n":
            continue  # not at a line's start, or that line starts before ``begin``
        cut = at + 1
        if cut > start:
            yield start, cut
        start = cut
    if start < stop:
        yield start, stop


def next_block_line(text: str, pos: int) -> int:
    """The first block line of ``text`` at or after ``pos`` (where a chunk starts), else the
    text's end: a place to cut it into pieces that index as the whole does."""
    match = _BLOCK_LINE.search(text, pos)
    return len(text) if match is None else match.end()


def read_strings_fast(
    text: str, inherited: dict[str, str] | None = None
) -> tuple[dict[str, str], list[Any]] | None:
    """The file's ``@string``s (with the ``inherited`` ones of earlier files), when every one has
    the plain shape; else None (bibtexparser's reading in ``argmap.bib.parallel.read_strings``
    is then used)."""
    defs: list[tuple[str, str, int]] = []
    lines = counted = 0
    for found in _STRING_MARK.finditer(text):
        # only at a line's start, after spaces or tabs (the search for "@string" is the fast
        # part; a multi-line ``^`` pattern is ten times slower)
        start = text.rfind("\n", 0, found.start()) + 1
        if text[start : found.start()].strip(" \t"):
            continue
        match = found
        lines += text.count("\n", counted, start)
        counted = start
        end_match = _BLOCK_LINE.search(text, match.end())
        end = end_match.end() if end_match else len(text)
        simple = _SIMPLE_STRING.fullmatch(text, start, end)
        if simple is None:
            return None
        defs.append((simple.group(1).lower(), simple.group(2), lines + 1))
    return resolve_strings(defs, inherited)


# An opening pandoc's BibTeX reader (2.11 and later; checked with 2.17 and 3.9) refuses, and with
# it the whole file ("Error reading bibliography file ... unexpected '('"): a type that is not
# letters alone (Mendeley's @book_section, @article2) or a round bracket (@techreport(key, ...),
# @string(...), @preamble(...)). The search starts at each "@" (at C speed); an opening of
# ASCII letters and a brace, the common case, is skipped by the lookahead.
_PANDOC_OPENING = re.compile(r"@(?![A-Za-z]+[ \t]*\{)([^\s{(]*)\s*([{(])")
_PANDOC_BLOCKS = ("string", "preamble")  # blocks that are no entries, refused with "("
PandocRefusal = tuple[int, str, str]  # (line, type as written, bracket)


def pandoc_refusal(
    text: str,
    runs: Sequence[tuple[int, int, int]],
    types: Iterable[str],
    entry_lines: Callable[[], set[int]],
) -> PandocRefusal | None:
    """The first opening of ``text`` that pandoc refuses, at the start of a line: an entry's
    (at one of ``entry_lines``, so never text inside a field value) or a ``@string(`` or
    ``@preamble(``. Only the ``runs`` the index left to bibtexparser can hold one, unless an
    entry's type (``types``: those of the file's entries) is not letters alone: then the whole
    text is searched. Pandoc takes any letter, not only ASCII ones (``@ärticle{`` is read)."""
    if any(not name.isalpha() for name in types):
        spans: Sequence[tuple[int, int, int]] = ((0, len(text), 0),)
    else:
        spans = runs
    lines: set[int] | None = None
    line, counted = 1, 0  # the runs are in file order: lines are counted once, onwards
    for begin, stop, _ in spans:
        for m in _PANDOC_OPENING.finditer(text, begin, stop):
            start = text.rfind("\n", 0, m.start()) + 1
            if text[start : m.start()].strip(" \t"):
                continue  # not at a line's start
            name, bracket = m.groups()
            if bracket == "{" and name.isalpha():
                continue
            line += text.count("\n", counted, start)
            counted = start
            if name.lower() in _PANDOC_BLOCKS:
                if bracket == "(":
                    return (line, name, bracket)
                continue
            if lines is None:
                lines = entry_lines()
            if line in lines:
                return (line, name, bracket)
    return None


Run = tuple[int, int, int]  # a run of chunks for bibtexparser: start, end, lines before it
IndexPart = tuple[list[CoreEntry], Any, list[Problem]]


def index_text(
    text: str, strings: dict[str, str], begin: int = 0, stop: int | None = None
) -> list[IndexPart | Run]:
    """The entries of ``text`` (decoded, newlines normalised), in file order: parts for the
    reader's builder — (core entries, a ``SpanRest``, problems) for a run of tokenized
    entries — and, between them, the runs of other chunks that bibtexparser must parse.
    ``begin`` and ``stop`` (from ``next_block_line``) index a piece of the text only."""
    out: list[IndexPart | Run] = []
    core: list[CoreEntry] = []
    spans = array(SPAN_INT)  # start and end of each tokenized entry, flat
    problems: list[Problem] = []
    pending: Run | None = None
    lines, counted = text.count("\n", 0, begin), begin
    simple_entry = _SIMPLE_ENTRY.fullmatch
    from argmap.bib.strings import MONTHS

    bare_words = _BARE_WORDS.findall
    known = set(strings) | set(MONTHS)
    blank_strings = {name for name, value in strings.items() if not value.strip()}
    intern = sys.intern
    odd = odd_block_lines(text, max(begin - 1, 0), stop or len(text))
    odd.append(len(text) + 1)
    odd_at = 0
    # compiling the one-match pattern costs ~7 ms: paid back from about a thousand entries
    size = (len(text) if stop is None else stop) - begin
    fast_entry = _FAST_ENTRY.compiled().fullmatch if size >= FAST_FROM else _no_match
    # the plain shape: the reading of most entries of a small text, of few of a large one
    plain_entry = _PLAIN_ENTRY.fullmatch if size >= FAST_FROM else _PLAIN_ENTRY.compiled().fullmatch
    for start, end in chunks(text, begin, stop):
        lines += text.count("\n", counted, start)
        counted = start
        while odd[odd_at] < start:
            odd_at += 1
        if odd[odd_at] < end:
            match = None
        else:
            match = fast_entry(text, start, end)
            if match is not None:
                record = _fast_core(text, match, lines, intern, strings, known, blank_strings)
                if record is not None:
                    if pending is not None:
                        out.append(pending)
                        pending = None
                    core.append(record)
                    spans.append(start)
                    spans.append(end)
                    continue
            elif text.find("@", start, end) < 0:
                # text before the first entry (a reference manager's header): every pattern
                # below starts at an "@", so it is an implicit comment, told without compiling
                # them (~4 ms)
                continue
            match = plain_entry(text, start, end)
            words = bare_words(text, match.end(2), match.start("tail")) if match else ()
            if match is not None and (not words or all(word.lower() in known for word in words)):
                entry_type = match.group(1).lower()
                if entry_type not in _NOT_ENTRIES:
                    blank = (
                        bool(words)
                        and bool(blank_strings)
                        and any(w.lower() in blank_strings for w in words)
                    )
                    record = _plain_core(
                        text, match, intern(entry_type), lines, strings, intern, blank
                    )
                    if record is not None:
                        if pending is not None:
                            out.append(pending)
                            pending = None
                        core.append(record)
                        spans.append(start)
                        spans.append(end)
                        continue
            match = simple_entry(text, start, end)
        entry_type = match.group(1).lower() if match else ""
        record = None
        if match is not None and entry_type not in _NOT_ENTRIES:
            record = _core(text, match, entry_type, lines, strings, problems, intern)
        if record is None:
            if match is None and (
                not _ANY_BLOCK.search(text, start, end)
                or _SIMPLE_STRING.fullmatch(text, start, end)
            ):
                continue  # an implicit comment, or a string read by read_strings_fast
            if pending is None:
                if core:
                    out.append((core, SpanRest(text, spans, strings), problems))
                    core, spans, problems = [], array(SPAN_INT), []
                pending = (start, end, lines)
            else:
                pending = (pending[0], end, pending[2])
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        core.append(record)
        spans.append(start)
        spans.append(end)
    if pending is not None:
        out.append(pending)
    if core:
        out.append((core, SpanRest(text, spans, strings), problems))
    return out


def _fast_core(
    text: str,
    match: re.Match[str],
    lines: int,
    intern: Any,
    strings: dict[str, str],
    known: set[str],
    blank_strings: set[str],
) -> CoreEntry | None:
    """The core record of an entry ``_FAST_ENTRY`` matched, from that one match; None when it
    is no entry (a comment, preamble or string block), repeats a field name, or has a bare
    word that is no known @string or month or names a blank one (the general reading reports
    or weighs those)."""
    raw_type = match.group(1)
    entry_type = _TYPES.get(raw_type)
    if entry_type is None:
        if len(_TYPES) > 1 << 10:
            _TYPES.clear()  # a file of many odd types: bounded, as a cache
        low = raw_type.lower()
        entry_type = _TYPES[raw_type] = "" if low in _NOT_ENTRIES else intern(low)
    if not entry_type:
        return None
    groups = match.groups()
    # the value of the last field (a field's value closes after its bare word, and a nested
    # field after the one it follows): with 3 groups a field after type and key, k fields
    # end at group 3k + 1, which is groups[3k]
    last = match.lastindex or 0
    key = groups[1]
    line = lines + 1  # the type stands on the chunk's first line (only blanks before the @)
    if last <= 2:
        return (key, entry_type, line, (), _NO_FIELDS, ())
    bare = groups[4 : last + 1 : 3]  # (groups[last] is the last field's bare word)
    if any(bare):
        for word in bare:
            if word is not None and ((low := word.lower()) not in known or low in blank_strings):
                return None
    names = groups[2:last:3]
    layout = _LAYOUTS.get(names)
    if layout is None:
        if len(_LAYOUTS) > 1 << 14:
            _LAYOUTS.clear()  # a file of many odd layouts: bounded, as a cache
        layout = _LAYOUTS[names] = _layout(names, intern)
    if layout is None:
        return None
    present, year_at, author_at, editor_at = layout
    year = author = editor = None
    # (``_fast_value`` and ``many_commas`` inlined for a braced or quoted value and a list of
    # two commas at most: their calls were 0.7 % of a cold lean check's instructions)
    if year_at >= 0:
        year = groups[3 + 3 * year_at]
        year = year[1:-1] if year[0] in _ENCLOSED else _fast_value(groups, year_at, strings)
        if len(year) <= 8:
            year = intern(year)
    if author_at >= 0:
        author = groups[3 + 3 * author_at]
        author = author[1:-1] if author[0] in _ENCLOSED else _fast_value(groups, author_at, strings)
    if editor_at >= 0:
        editor = _fast_value(groups, editor_at, strings)
    commas = (author is not None and author.count(",") > MAX_COMMAS and may_crowd(author)) or (
        editor is not None and editor.count(",") > MAX_COMMAS and may_crowd(editor)
    )
    lazy = _LAZY.get((year, commas))
    if lazy is None:
        if len(_LAZY) > 1 << 14:
            _LAZY.clear()  # a file of many odd years: bounded, as a cache
        lazy = _LAZY[year, commas] = (year, True, commas)
    people = author or editor
    return (key, entry_type, line, quick_surnames(people) if people else (), lazy, present)


def _fast_value(groups: tuple[Any, ...], at: int, strings: dict[str, str]) -> str:
    """The value of the field ``at`` of a one-match entry: a braced or quoted piece is its
    text, a number itself, a bare word its @string or month (as resolve_value gives them)."""
    raw: str = groups[3 + 3 * at]
    if raw[0] in _ENCLOSED:
        return raw[1:-1]
    if groups[4 + 3 * at] is None:
        return raw
    return resolve_value(raw, strings)[0]


# Each entry type as written -> lower case and interned, or "" for a block that is no entry.
_TYPES: dict[str, str] = {}
# (year, every field named, many commas) of the entries read from one match, one triple per
# year: held for each entry until the entries are made, one of its own was 56 bytes at the peak.
_LAZY: dict[tuple[str | None, bool], tuple[str | None, bool, bool]] = {}
_NO_FIELDS = (None, True, False)


def many_commas(author: str | None, editor: str | None) -> bool:
    """Whether a name of the author or the editor list may have more than two commas (BIB110),
    so that a check reads the field again only for such an entry (``BibEntry.few_commas``):
    answered as ``namelists.crowded_names`` answers its common case (``may_crowd``), once per
    entry when the index reads it: only a list of more than two commas in all is looked at
    further."""
    # the count first, here: most lists have two commas at most
    return (author is not None and author.count(",") > MAX_COMMAS and may_crowd(author)) or (
        editor is not None and editor.count(",") > MAX_COMMAS and may_crowd(editor)
    )


def _plain_core(
    text: str,
    match: re.Match[str],
    entry_type: str,
    lines: int,
    strings: dict[str, str],
    intern: Any,
    blank: bool,
) -> CoreEntry | None:
    """The core record of an entry of the plain shape, or None when a field name repeats.
    ``blank``: a bare word of it names an empty @string."""
    body, tail = match.end(2), match.start("tail")
    pairs = _PLAIN_FIELDS.findall(text, body, tail)
    line = lines + 1 + text.count("\n", match.start(), match.start(1))
    if not pairs:
        return (match.group(2), entry_type, line, (), _NO_FIELDS, ())
    names, raws = zip(*pairs, strict=True)
    # What depends only on the field names (a library has a few dozen lists of them): whether
    # one repeats, the names interned and shared, where the core fields stand.
    layout = _LAYOUTS.get(names)
    if layout is None:
        if len(_LAYOUTS) > 1 << 14:
            _LAYOUTS.clear()  # a file of many odd layouts: bounded, as a cache
        layout = _LAYOUTS[names] = _layout(names, intern)
    if layout is None:
        return None
    present = layout[0]
    complete = True
    if blank or _EMPTY_VALUE.search(text, body, tail):
        present = tuple(intern(n) for n, raw in pairs if resolve_value(raw, strings)[0].strip())
        present = _SHARED.setdefault(present, present)
        complete = len(present) == len(names)
    # Only the year (which matching reads for thousands of entries) and the surnames are kept:
    # the other fields are read from the text when one is asked for (see BibEntry._own).
    year = author = editor = None
    for name, at in zip(_KEPT_ORDER, layout[1:], strict=True):
        if at >= 0:
            raw = raws[at]
            # one braced or quoted piece is its text, as resolve_value gives it
            value = raw[1:-1] if raw[0] in _ENCLOSED else resolve_value(raw, strings)[0]
            if name == "year":
                year = intern(value) if len(value) <= 8 else value
            elif name == "author":
                author = value
            else:
                editor = value
    surnames = quick_surnames(author or editor or "")
    lazy = (year, complete, many_commas(author, editor))
    return (match.group(2), entry_type, line, surnames, lazy, present)


# The names of the fields (interned, shared), then where the year, the author and the editor
# stand among them (-1: absent).
_Layout = tuple[tuple[str, ...], int, int, int]
_LAYOUTS: dict[tuple[str, ...], _Layout | None] = {}
_KEPT_ORDER = ("year", "author", "editor")  # the fields of a layout's places, in order


def _layout(names: tuple[str, ...], intern: Any) -> _Layout | None:
    """The names of the fields (interned, shared) and where the kept ones stand; None when a
    name repeats (bibtexparser reports that: the entry goes to it)."""
    if len(set(names)) != len(names):
        return None
    # Field names are interned: a name kept for each of 20,000 entries would cost megabytes.
    present = tuple(map(intern, names))  # no field is empty: all of them, in file order
    present = _SHARED.setdefault(present, present)
    year, author, editor = (names.index(n) if n in names else -1 for n in _KEPT_ORDER)
    return present, year, author, editor


_SHARED: dict[tuple[str, ...], tuple[str, ...]] = {}
_ENCLOSED = frozenset('{"')


def _core(
    text: str,
    match: re.Match[str],
    entry_type: str,
    lines: int,
    strings: dict[str, str],
    problems: list[Problem],
    intern: Any,
) -> CoreEntry | None:
    """The core record of a tokenized entry (as ``parse_part`` makes it), or None when the
    entry repeats a field name (bibtexparser reports those: the chunk goes to it)."""
    line = lines + 1 + text.count("\n", match.start(), match.start(1))
    key = match.group(2)
    fields = _FIELDS.findall(text, match.end(2), match.start("tail"))
    core_fields: dict[str, str] = {}
    lows: set[str] = set()
    present: list[str] = []
    unresolved = False
    for name, raw in fields:
        low = name.lower()
        if low in lows:
            return None  # a repeated field, in any case: bibtexparser's reading reports it
        lows.add(low)
        value, missing = resolve_value(raw, strings)
        if low in CORE_FIELDS:
            core_fields[low] = value
        unresolved = unresolved or bool(missing)
        if value and not value.isspace():
            present.append(intern(low))
    if unresolved:
        problems.extend(_unresolved(text, match, key, strings, lines))
    names = core_fields.get("author") or core_fields.get("editor") or ""
    # the rest stays in the text
    commas = many_commas(core_fields.get("author"), core_fields.get("editor"))
    lazy = (core_fields.get("year"), len(present) == len(lows), commas)
    return (key, intern(entry_type), line, quick_surnames(names), lazy, tuple(present))


def _unresolved(
    text: str, match: re.Match[str], key: str, strings: dict[str, str], lines: int
) -> list[Problem]:
    """Undefined-@string problems of a tokenized entry, with each field's line (that of its
    ``=``, as bibtexparser counts)."""
    out: list[Problem] = []
    seen: set[str] = set()
    for field in _FIELDS.finditer(text, match.end(2), match.start("tail")):
        name = field.group(1).lower()
        if name in seen:
            continue
        seen.add(name)
        _, unresolved = resolve_value(field.group(2), strings)
        if unresolved:
            equals = text.index("=", field.start(1))
            out.append(
                (
                    "unresolved-string",
                    lines + 1 + text.count("\n", match.start(), equals),
                    f"field '{name}' of '{key}' uses undefined @string "
                    f"{', '.join(repr(u) for u in unresolved)}",
                    key,
                    "define it with @string or enclose the value in braces",
                    "warning",
                )
            )
    return out


SPAN_INT = "Q"  # spans are kept as machine integers: a tuple of two ints costs 120 bytes


class SpanRest(Sequence[Any]):
    """The fields of a run of tokenized entries, read from the text when asked for: item ``i``
    is (field order, every field) of the run's ``i``-th entry, whose text is
    ``text[spans[2 * i] : spans[2 * i + 1]]``."""

    def __init__(self, text: str, spans: array[int], strings: dict[str, str]) -> None:
        self.text = text
        self.spans = spans
        self.strings = strings

    def __len__(self) -> int:
        return len(self.spans) // 2

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, int):
            raise TypeError("SpanRest is indexed by entry number")
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self.spans[2 * index], self.spans[2 * index + 1]
        # The plain shape first (its pattern is compiled at import, and is faster: a run that
        # reads a few hundred entries need not compile the general one); its tokens are the
        # general pattern's, each value one braced or quoted piece, a number or a bare word.
        plain = _PLAIN_ENTRY.fullmatch(self.text, start, end)
        if plain is not None:
            fields: dict[str, str] = {}
            strings = self.strings
            for name, raw in _PLAIN_FIELDS.findall(self.text, plain.end(2), plain.start("tail")):
                if name not in fields:  # lower case already: the first of a repeated name
                    fields[sys.intern(name)] = (
                        raw[1:-1] if raw[0] in _ENCLOSED else resolve_value(raw, strings)[0]
                    )
            return tuple(fields), fields
        match = _SIMPLE_ENTRY.fullmatch(self.text, start, end)
        if match is None:
            # Only a cache record that does not fit its file gets here: read the span as
            # bibtexparser does rather than fail.
            from argmap.bib.parallel import parse_part

            core, blob, _ = parse_part(self.text[start:end], 0, self.strings)
            rest = marshal.loads(blob)
            if not rest:
                return (), {}
            names, others = rest[0]
            own = core[0][4]
            return names, {n: own[n] if n in own else others[n] for n in names}
        fields = {}
        for name, raw in _FIELDS.findall(self.text, match.end(2), match.start("tail")):
            low = sys.intern(name.lower())
            # as parse_part reads it: the last of a field repeated in any case, in its place
            fields.pop(low, None)
            fields[low] = resolve_value(raw, self.strings)[0]
        return tuple(fields), fields
