"""Matching author–year citations to bibliography entries through a (surname, year) index, with
fuzzy matching (rapidfuzz) for OCR and typing errors only when the exact index finds nothing;
each citation gets exactly one status.

A citation is compared only with the entries filed under its surname and year (and, when none
fits, under its surname in other years, to tell a wrong year from a missing work). A citation,
or an unknown key, that a manuscript repeats is resolved once.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple, cast

from argmap.base.patterns import lazy
from argmap.bib.model import BibEntry, Bibliography, LazyEntries
from argmap.bib.names import PARTICLES, fold, surname_variants
from argmap.citations.found import IN_PRESS, UNDATED, Found

# rapidfuzz ratio (0-100) from which two surnames count as one misspelt: "Rabelloti" and
# "Rabellotti" score 95, "Otatti" and "Ottati" 83, "Pederson" and "Pedersen" 88.
NAME_SIMILARITY = 80.0
# Matching levels, tried in this order.
EXACT, PARTIAL, FUZZY = 0, 1, 2


class Status(StrEnum):
    """The outcome of matching one citation."""

    OK = "ok"
    NAME_MISMATCH = "name-mismatch"
    YEAR_MISMATCH = "year-mismatch"
    AMBIGUOUS = "ambiguous"
    MISSING = "missing"
    UNKNOWN_KEY = "unknown-key"


class Match(NamedTuple):
    """What a citation resolved to: status, the entry key (or None), candidates, and the fix."""

    status: Status
    key: str | None
    candidates: tuple[str, ...] = ()
    message: str = ""
    suggestion: str | None = None
    skipped: int = 0  # leading words before the names (narrative phrase, software name)
    # A warning that goes with a resolved citation: (kind, message, suggestion).
    note: tuple[str, str, str] | None = None


class _Indexed:
    """A candidate entry with its folded surnames and year, as the year and count tests read
    them; the a/b suffixes are read only when a citation prints one."""

    __slots__ = ("entry", "surnames", "year")

    def __init__(self, entry: BibEntry, year: str | None) -> None:
        self.entry = entry
        self.surnames: tuple[str, ...] = entry.surnames
        self.year = year

    @property
    def suffix(self) -> str | None:
        """The suffix of the entry's year field ("1997a")."""
        return _suffix(self.entry.get("year"))

    @property
    def key_suffix(self) -> str | None:
        """The suffix letter of the key ("saravi1997a")."""
        return _suffix(self.entry.key)


# A @set (its author and year are its first member's) and an @xdata container are cited by key
# only: as author–year candidates they would double their members.
_KEY_ONLY_TYPES = frozenset({"set", "xdata"})

_YEAR_SUFFIX = re.compile(r"\d{4}([a-z])$")


def _suffix(value: str | None) -> str | None:
    """The a/b suffix of a year (or a key that ends in one)."""
    m = _YEAR_SUFFIX.search(value or "")
    return m.group(1) if m else None


# An entry's publication state, as biblatex's pubstate keys and CSL's status write it, that APA
# (8.5) and biblatex-apa print as "in press" in place of the year.
_IN_PRESS_STATES = frozenset("inpress forthcoming enprensa noprelo imdruck souspresse".split())
# A year field that says the same in words ("year = {en prensa}")
_IN_PRESS_YEAR = lazy(r"press|prensa|forthcoming|prelo|druck|presse|paraître", re.IGNORECASE)


def date_state(entry: BibEntry, year: str | None) -> str | None:
    """What an entry of ``year`` is cited with in place of a year: "in press" when its pubstate
    (or year) says so, "n.d." when it has no year (or one in words, ``year = {s.f.}``), else
    None."""
    pubstate = entry.get("pubstate")
    if pubstate and "".join(pubstate.lower().split()) in _IN_PRESS_STATES:
        return IN_PRESS
    if year is not None and any(c.isdigit() for c in year):
        return None
    return IN_PRESS if year and _IN_PRESS_YEAR().search(year) else UNDATED


def entry_year(entry: BibEntry) -> str | None:
    """``entry.year``, read without its regular expression when the year field is four ASCII
    digits (as nearly every entry's is): the year index reads the year of every entry of each
    surname cited."""
    value = entry.get("year")
    if value is not None and len(value) == 4 and value.isascii() and value.isdigit():
        return value
    return entry.year


def _no_entry(place: int) -> BibEntry:
    raise LookupError("the index is not built")


def _word_places(
    keys: list[str], types: list[str], firsts: list[str | None], excluded: set[str]
) -> dict[str, list[int]]:
    """Each word of the entries' first surnames (particles left out) -> the places of its
    entries, in file order; the words in the order their first entry comes (as a loop over
    the entries inserting them would). An entry without surnames, of a type cited by key only,
    or whose key is excluded, is left out.

    Grouped at C speed (such a loop over 20,000 entries cost ~12 ms of a warm check): each
    place is appended to its first surname's list by ``map``; only the few first surnames of
    several words or a particle are then split, their places merged into their words'.
    """
    n = len(firsts)
    if excluded or not _KEY_ONLY_TYPES.isdisjoint(types):
        firsts = list(firsts)  # the caller's list is left as it is
        left_out = _KEY_ONLY_TYPES.__contains__
        for place in compress(range(n), map(left_out, types)):
            firsts[place] = None
        for place in compress(range(n), map(excluded.__contains__, keys)):
            firsts[place] = None
    by_first: dict[str | None, list[int]] = {first: [] for first in dict.fromkeys(firsts)}
    deque(map(list.append, map(by_first.__getitem__, firsts), range(n)), maxlen=0)
    by_first.pop(None, None)
    groups = cast("dict[str, list[int]]", by_first)
    particles = PARTICLES
    split = [first for first in groups if " " in first or first in particles]
    if not split:
        return groups
    # A first surname of several words (or a particle): its places go to each of its words but
    # the particles (twice to a word it holds twice), and each word then comes where its first
    # entry does (the words of one first surname in their order).
    order = {first: (group[0], 0) for first, group in groups.items()}
    merged: set[str] = set()
    for first in split:
        group = groups.pop(first)
        del order[first]
        for position, word in enumerate(first.split()):
            if word in particles:
                continue
            mine = groups.setdefault(word, [])
            mine.extend(group)
            merged.add(word)
            here = (group[0], position)
            if order.get(word, here) >= here:
                order[word] = here
    for word in merged:
        groups[word].sort()
    return {word: groups[word] for word in sorted(order, key=order.__getitem__)}


class _WordEntries(Mapping[str, list[BibEntry]]):
    """The index's surname words and, for each, its entries in file order: made (see
    ``LazyEntries``) the first time the word is asked for."""

    def __init__(self, places: dict[str, list[int]], entry_at: Callable[[int], BibEntry]) -> None:
        self._places = places
        self._entry_at = entry_at
        self._made: dict[str, list[BibEntry]] = {}

    def __getitem__(self, word: str) -> list[BibEntry]:
        made = self._made.get(word)
        if made is None:
            made = self._made[word] = list(map(self._entry_at, self._places[word]))
        return made

    def __contains__(self, word: object) -> bool:
        return word in self._places

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)


class _YearGroups:
    """The entries of one surname word by year (file order kept), each year's made when a
    citation asks for it: a citation reads the entries of its year, seldom the others."""

    __slots__ = ("_entry_at", "_made", "_places")

    def __init__(
        self, places: dict[str | None, list[int]], entry_at: Callable[[int], BibEntry]
    ) -> None:
        self._places = places
        self._entry_at = entry_at
        self._made: dict[str | None, list[BibEntry]] = {}

    def get(self, year: str | None, default: Sequence[BibEntry] = ()) -> Sequence[BibEntry]:
        """The entries of ``year``, or ``default``."""
        made = self._made.get(year)
        if made is None:
            places = self._places.get(year)
            if places is None:
                return default
            made = self._made[year] = list(map(self._entry_at, places))
        return made


_DOCUMENTS = (".md", ".markdown", ".qmd", ".rmd")


def _file_kind(path: Path) -> str:
    """A bibliography file as the unknown-key hint names it: its name, and its kind when it is
    not BibTeX (its format read as the reader read it, by its first bytes)."""
    from argmap.errors import ArgmapError, display_path

    name = display_path(path)
    if path.suffix.lower() in _DOCUMENTS:
        return f"the references: of {name}"  # a document's inline CSL-YAML items
    from argmap.bib.sources import BibFormat, detect_format

    try:
        fmt = detect_format(path)
    except ArgmapError:
        return name
    if fmt is BibFormat.CSL_JSON:
        return f"{name} (CSL-JSON)"
    if fmt is BibFormat.CSL_YAML:
        return f"{name} (CSL-YAML)"
    return name


def _first_values(
    bib: Bibliography,
    keys: list[str],
    firsts: list[str | None],
    plain_years: Callable[[], list[str | None]],
) -> tuple[list[str | None], Callable[[], list[str | None]]]:
    """The cache's first surnames with those of ``bib.firsts`` (entries that now hold the first
    value of each repeated field) taken from the entries, and a reader of the year column that
    leaves their years to be read from the entries."""
    places = [at for at, key in enumerate(keys) if key in bib.firsts]
    firsts = list(firsts)
    for at in places:
        entry = bib.entries[keys[at]]
        firsts[at] = entry.surnames[0] if entry.surnames else None

    def years() -> list[str | None]:
        found = plain_years()
        for at in places:
            found[at] = None
        return found

    return firsts, years


class Matcher:
    """Resolves citations against one bibliography through a (surname word, year) index."""

    def __init__(self, bib: Bibliography, exclude: Iterable[str] = ()) -> None:
        self.bib = bib
        self.excluded = set(exclude)
        # surname word -> its entries, made (see LazyEntries) the first time the word is asked
        # for; the index itself holds places in the bibliography
        self.by_word: Mapping[str, list[BibEntry]] = {}
        self._places: dict[str, list[int]] = {}
        self._entry_at: Callable[[int], BibEntry] = _no_entry
        # the plain years of the entries (see LazyEntries), read when a word is first cited
        self._plain_years: Callable[[], list[str | None]] | None = None
        self._plain: list[str | None] | None = None
        self._blocks: dict[str, list[str]] | None = None
        self._near: dict[str, list[str]] = {}
        # (surname word -> year -> entries), filled a word at a time as citations name it, and
        # the year of each entry of by_word[word]
        self._year_index: dict[str, _YearGroups] = {}
        self._years: dict[str, list[str | None]] = {}
        self._words: dict[tuple[str, bool], list[str]] = {}
        self._resolved: dict[tuple[object, ...], Match] = {}
        self._keys: dict[str, Match] = {}
        self._lowered: dict[str, str] | None = None
        self._case_forms: dict[str, list[str]] | None = None
        self._titles: dict[str, list[BibEntry]] | None = None
        self._hint: str | None = None  # where to add an unknown key, worked out once
        self._built = False

    def prepare(self) -> None:
        """Make now what matching needs of the bibliography alone, which it would make at the
        first citation: the surname index and the years of the cache's year column."""
        self._build()
        if self._plain is None and self._plain_years is not None:
            self._plain = self._plain_years()

    def prepare_fuzzy(self) -> None:
        """Make now what the first misspelt surname would make: rapidfuzz imported (~10 ms)
        and the index's words in blocks. For a wait that would otherwise be idle (the helper
        still scanning): a check whose every citation is found exactly never needs them."""
        self._build()
        import rapidfuzz.fuzz
        import rapidfuzz.process  # noqa: F401 - imported for _near_words

        if self._blocks is None:
            self._blocks = self._fuzzy_blocks()

    def _build(self) -> None:
        """Index entries by each word of their first author's folded surname.

        Built on first use from the surnames computed at parse time (and cached with the
        parse: a bibliography from the cache is indexed from its columns, without making its
        entries), so no name is decoded here; an entry's year is read only when a citation
        names one of its words. The index holds each entry's place in the bibliography.
        """
        if self._built:
            return
        entries = self.bib.entries
        if isinstance(entries, LazyEntries) and entries.source is not None:
            # read from the cache's columns: no entry is made to be indexed
            keys, types, firsts = entries.source.index_columns()
            self._entry_at = entries.at
            self._plain_years = entries.source.plain_years
            if self.bib.firsts:
                # entries read again with the first value of a repeated field (a document
                # built with BibTeX): their surname and year are theirs, not the columns'
                firsts, self._plain_years = _first_values(
                    self.bib, keys, firsts, entries.source.plain_years
                )
        else:
            listed = list(entries.values())
            keys = list(map(attrgetter("key"), listed))
            types = list(map(attrgetter("type"), listed))
            # the first surname or None, by C-level maps
            firsts = list(map(next, map(iter, map(attrgetter("surnames"), listed)), repeat(None)))
            self._entry_at = listed.__getitem__
        places = self._places = _word_places(keys, types, firsts, self.excluded)
        self.by_word = _WordEntries(places, self._entry_at)
        self._built = True

    def _near_words(self, word: str) -> list[str]:
        """Index words within NAME_SIMILARITY of ``word`` (at most five, best first).

        Only words that share its first letter or its last two letters are compared — a
        misspelt surname rarely differs at both ends — so a citation is never compared with
        every name of a large file. Results are kept: a manuscript repeats its misspellings.
        """
        found = self._near.get(word)
        if found is None:
            from rapidfuzz import fuzz, process

            blocks = self._blocks
            if blocks is None:
                # made on the first misspelling only: exact citations never need it
                blocks = self._blocks = self._fuzzy_blocks()
            first = word[:1]
            # Each block scored as it is (the two joined without repeats cost a list and a dict
            # of hundreds of words for every misspelling), then ranked as one list of the first
            # block and the words of the second not in it would be: by score, then place. A word
            # of the second block is in the first when it begins with the same letter.
            hits = [
                (-score, 0, place, near)
                for near, score, place in process.extract(
                    word,
                    blocks.get(first, ()),
                    scorer=fuzz.ratio,
                    score_cutoff=NAME_SIMILARITY,
                    limit=None,
                )
            ]
            hits += [
                (-score, 1, place, near)
                for near, score, place in process.extract(
                    word,
                    blocks.get("~" + word[-2:], ()),
                    scorer=fuzz.ratio,
                    score_cutoff=NAME_SIMILARITY,
                    limit=None,
                )
                if near[:1] != first
            ]
            hits.sort()
            found = [near for _, _, _, near in hits[:5]]
            self._near[word] = found
        return found

    def _fuzzy_blocks(self) -> dict[str, list[str]]:
        """The index words by first letter and (keyed "~" and them) by last two letters, each
        block in index order: grouped at C speed (a stable sort keeps that order), where a
        Python loop over the thousands of words cost milliseconds."""
        from itertools import groupby
        from operator import itemgetter

        words = list(self.by_word)
        blocks: dict[str, list[str]] = {}
        first = itemgetter(slice(None, 1))
        for letter, group in groupby(sorted(words, key=first), first):
            blocks[letter] = list(group)
        tilde = blocks.get("~")  # words that begin with "~": their key is the empty word's
        last = itemgetter(slice(-2, None))
        for end, group in groupby(sorted(words, key=last), last):
            blocks["~" + end] = list(group)
        if tilde is not None and "" in self.by_word:
            blocks["~"] = [word for word in words if not word or word[0] == "~"]
        return blocks

    def _year_groups(self, word: str) -> _YearGroups:
        """The entries filed under ``word``, by year (file order kept): made the first time a
        citation names the word, so years are read only for the entries of surnames cited."""
        groups = self._year_index.get(word)
        if groups is None:
            places = self._places.get(word, [])
            entry_at = self._entry_at
            plain = self._plain
            if plain is None and self._plain_years is not None:
                plain = self._plain = self._plain_years()
            if plain is None:
                years = [entry_year(entry_at(p)) for p in places]
            else:
                # the year column answers for an entry whose year is plain digits; the others
                # are made and read
                years = list(map(plain.__getitem__, places))
                if None in years:
                    years = [
                        entry_year(entry_at(p)) if y is None else y
                        for p, y in zip(places, years, strict=True)
                    ]
            # grouped at C speed, years in the order first met, places in file order
            by_year: dict[str | None, list[int]] = {year: [] for year in dict.fromkeys(years)}
            deque(map(list.append, map(by_year.__getitem__, years), places), maxlen=0)
            groups = self._year_index[word] = _YearGroups(by_year, entry_at)
            self._years[word] = years
        return groups

    def resolve_key(self, key: str) -> Match:
        """A key citation: ok if the bibliography has the key (an unknown key is looked up
        among the keys once, however often it is cited)."""
        if key in self.bib.entries:
            return Match(Status.OK, key)
        if key in self.bib.aliases:
            # biblatex resolves an ``ids`` alias to its entry without a word
            return Match(Status.OK, self.bib.aliases[key])
        found = self._keys.get(key)
        if found is None:
            found = self._keys[key] = self._unknown_key(key)
        return found

    def keys_but_for_case(self, key: str) -> list[str]:
        """The bibliography's keys that are ``key`` but for case (BibTeX finds any of them),
        from a table made once for all look-ups."""
        from argmap.bib.keys import bibtex_fold

        if self._case_forms is None:
            forms: dict[str, list[str]] = {}
            for name in self.bib.entries:
                forms.setdefault(bibtex_fold(name), []).append(name)
            self._case_forms = forms
        return self._case_forms.get(bibtex_fold(key), [])

    def _unknown_key(self, key: str) -> Match:
        from argmap.base.suggest import closest, lowered

        if self._lowered is None:
            self._lowered = lowered(list(self.bib.entries))  # once for all unknown keys
        near = closest(key, self._lowered)
        return Match(
            Status.UNKNOWN_KEY,
            None,
            tuple(near),
            f"unknown key '{key}'",
            f"did you mean {' or '.join(repr(n) for n in near)}?" if near else self._add_hint(),
        )

    def _add_hint(self) -> str:
        """Where to add a key no entry has: the bibliography's files by name, each of another
        format than BibTeX with its kind (CSL-JSON, CSL-YAML, a document's ``references:``)."""
        if self._hint is None:
            files = self.bib.paths or [self.bib.path]
            named = [_file_kind(path) for path in files if str(path) not in ("", ".")]
            if not named:
                self._hint = "add it to the bibliography"
            elif len(named) == 1:
                self._hint = f"add it to {named[0]}"
            else:
                self._hint = f"add it to one of {', '.join(named)}"
        return self._hint

    def resolve(self, found: Found) -> Match:
        """An author–year citation matched to entries: exact surnames first, then partial
        compound surnames ("Pérez" for "Pérez Sáinz"), then fuzzy (a misspelling)."""
        if found.key is not None:
            return self.resolve_key(found.key)
        # The same citation anywhere else in the manuscripts resolves the same way: what it
        # resolves to depends on these alone (not on its place or locator).
        memo = (found.text, found.authors, found.et_al, found.year, found.suffix, found.narrative)
        match = self._resolved.get(memo)
        if match is None:
            match = self._resolved[memo] = self._resolve(found)
        return match

    def _resolve(self, found: Found) -> Match:
        self._build()
        # (the surnames to look up, how many printed names before them are skipped)
        author_lists = [(found.authors, 0)]
        if len(found.authors) > 1 and (" y " in found.text or " e " in found.text):
            author_lists += [(joined, 0) for joined in _joined_at_y(found)]
        if found.narrative:
            # Narrative phrases may catch words before the names ("León, Guanajuato, Brown ...");
            # not the names of a list a connector closes: "Ganzeboom, Treiman y de Graaf
            # (1992)" is no citation of "de Graaf (1992)"
            last = len(found.authors) - (1 if _closed_list(found) else 0)
            author_lists += [(found.authors[i:], i) for i in range(1, last)]
        for level in (EXACT, PARTIAL, FUZZY):
            for authors, skipped in author_lists:
                # First the entries of the cited year; all years only if none fits there.
                undated = found.year in (UNDATED, IN_PRESS)
                items = [] if undated else self._candidates(authors, level, (found.year,))
                if not items:
                    items = self._candidates(authors, level)
                if items:
                    match = self._by_year(found, items, fuzzy=level == FUZZY)
                    if skipped and match.status in (Status.YEAR_MISMATCH, Status.MISSING):
                        # names dropped and the year wrong too: "Johnstone and Mantua (2014)"
                        # beside Mantua's works of 1997 and 2002 is no Mantua with a wrong
                        # year (a real manuscript's citation of a work its bibliography lacks)
                        continue
                    if level == PARTIAL and match.key is not None and match.note is None:
                        match = match._replace(note=self._partial_note(found, authors, match.key))
                    return match._replace(skipped=skipped) if skipped else match
        if not found.narrative and len(found.authors) > 1:
            named = self._after_leading_names(found)
            if named is not None:
                return named
        if not found.narrative:
            titled = self._by_title(found)
            if titled is not None:
                return titled
        return Match(
            Status.MISSING,
            None,
            (),
            f"no entry for {found.text}",
            "add the work to the .bib or correct the citation",
        )

    def _by_title(self, found: Found) -> Match | None:
        """A parenthetical citation of a work without author or editor, which CSL styles
        (Chicago, APA) cite by its title: "(The Chicago Manual of Style 2003)", "(“CTAN” 2006)".
        It resolves to the one such entry of the cited year whose title (with or without its
        subtitle, or its short title) is the cited text; else None (the work is missing)."""
        cited = _title_form(_YEAR_AT_END.sub("", found.text))
        if not cited:
            return None
        if self._titles is None:
            self._titles = {}
            for entry in self._authorless():
                if entry.surnames or entry.type in _KEY_ONLY_TYPES:
                    continue
                for form in _title_forms(entry):
                    self._titles.setdefault(form, []).append(entry)
        fits = [e for e in self._titles.get(cited, ()) if entry_year(e) == found.year]
        if found.suffix and len(fits) > 1:
            fits = [e for e in fits if _suffix(e.get("year")) == found.suffix] or fits
        if len(fits) != 1:
            return None
        return Match(Status.OK, fits[0].key, (fits[0].key,))

    def _authorless(self) -> Iterable[BibEntry]:
        """The entries that may lack surnames, in file order: of a bibliography read from the
        cache's columns only those the surname column leaves empty are made (going through all
        of them made every entry of the file at the first citation by title)."""
        entries = self.bib.entries
        if isinstance(entries, LazyEntries) and entries.source is not None:
            return map(entries.at, entries.source.authorless())
        return entries.values()

    def _after_leading_names(self, found: Found) -> Match | None:
        """A parenthetical citation that fits no entry as printed, read without its leading
        names: "(JAX, Bradbury et al. 2018)" names the software, then its authors.

        Only a leading name that is no first author's surname in the bibliography is dropped
        (else "(Smith, Jones 2015)" is two authors, a work that is missing), and the reading
        counts only when it resolves to one entry of the cited year (a misspelt name is a
        name-mismatch, as anywhere) whose number of authors fits what is left exactly; anything
        less keeps the citation missing, as printed.
        """
        for skipped in range(1, len(found.authors)):
            if self._index_words(found.authors[skipped - 1], False):
                return None
            authors = found.authors[skipped:]
            for level in (EXACT, PARTIAL, FUZZY):
                items = self._candidates(authors, level, (found.year,))
                if not items:
                    continue
                fuzzy = level == FUZZY
                match = self._by_year(found._replace(authors=authors), items, fuzzy=fuzzy)
                if match.key is None:  # ambiguous, or no work of that letter
                    return None
                entry = self.bib.entries[match.key]
                if not _count_fits(len(authors), found.et_al, entry.surnames):
                    return None
                if level == PARTIAL and match.note is None:
                    match = match._replace(note=self._partial_note(found, authors, match.key))
                return match._replace(skipped=skipped)
        return None

    def _index_words(self, cited: str, fuzzy: bool) -> list[str]:
        """The index words a cited first surname is looked up under: each word of each of its
        variants, or (``fuzzy``) the index words near each."""
        words = self._words.get((cited, fuzzy))
        if words is None:
            words = []
            for variant in surname_variants(cited):
                for word in variant.split():
                    if fuzzy:
                        words.extend(self._near_words(word))
                    elif word in self.by_word:
                        words.append(word)
            self._words[(cited, fuzzy)] = words
        return words

    def _candidates(
        self, authors: tuple[str, ...], level: int, year: tuple[str | None] | None = None
    ) -> list[_Indexed]:
        """Entries whose authors fit the cited surnames at ``level`` (of ``year`` only, when
        given), in the order of the surname index."""
        if not authors:
            return []
        out: list[_Indexed] = []
        seen: set[str] = set()
        cited = _cited_forms(authors)
        fits = _authors_fit
        for word in self._index_words(authors[0], level == FUZZY):
            groups = self._year_groups(word)
            if year is not None:
                wanted = year[0]
                for entry in groups.get(wanted, ()):
                    key = entry.key
                    if key not in seen:
                        seen.add(key)
                        if fits(cited, entry.surnames, level):
                            out.append(_Indexed(entry, wanted))
                continue
            for entry, entry_year_ in zip(self.by_word[word], self._years[word], strict=True):
                key = entry.key
                if key not in seen:
                    seen.add(key)
                    if fits(cited, entry.surnames, level):
                        out.append(_Indexed(entry, entry_year_))
        return out

    def _partial_note(
        self, found: Found, authors: tuple[str, ...], key: str
    ) -> tuple[str, str, str]:
        """The warning for a citation that names a compound surname by a part of it."""
        entry = self.bib.entries[key]
        return (
            "partial-surname",
            f"{found.text} names {' & '.join(authors)} for {entry.label()} ({key}): "
            "part of a compound surname",
            f"the full form is {entry.label()}; keep the short one if the style wants it",
        )

    def _by_year(self, found: Found, items: list[_Indexed], fuzzy: bool) -> Match:
        """Narrow author matches by year, by the number of authors printed, and by the a/b
        suffix, to one status."""
        if found.year in (UNDATED, IN_PRESS):
            same_year = [i for i in items if date_state(i.entry, i.year) == found.year]
        else:
            same_year = [i for i in items if i.year == found.year]
        if not same_year:
            keys = tuple(i.entry.key for i in items)
            labels = ", ".join(f"{i.entry.key} ({i.entry.label()})" for i in items[:5])
            if fuzzy:
                return Match(
                    Status.MISSING,
                    None,
                    keys,
                    f"no entry for {found.text}",
                    f"nearest by name: {labels}",
                )
            return Match(
                Status.YEAR_MISMATCH,
                None,
                keys,
                f"{found.text}: the authors fit but no entry "
                + (
                    f"has year {found.year}{found.suffix or ''}"
                    if found.year not in (UNDATED, IN_PRESS)
                    else "is undated"
                    if found.year == UNDATED
                    else "is in press"
                ),
                f"check the year; entries: {labels}",
            )
        if len(same_year) > 1:
            same_year = _by_count(found, same_year)
        note = None
        if found.suffix:
            # Keys lettered by hand (saravi1997a, saravi1997b) letter the works; a reference
            # manager's keys (rossi2019, rossi2019a) only keep keys apart.
            keyed = all(i.key_suffix for i in same_year)
            lettered = [
                i
                for i in same_year
                if (i.suffix or (i.key_suffix if keyed else None)) == found.suffix
            ]
            if lettered:
                same_year = lettered
            else:
                chosen, note = _by_citeproc_order(found, same_year)
                if chosen is None:
                    cands = tuple(i.entry.key for i in same_year)
                    return Match(
                        Status.MISSING,
                        None,
                        cands,
                        f"no entry for {found.text}: the bibliography has {len(cands)} such "
                        f"work(s) of {found.year} ({', '.join(cands)}), which citeproc letters "
                        f"a–{'abcdefghijklmnopqrstuvwxyz'[len(cands) - 1]}",
                        "add the missing work to the bibliography or correct the letter",
                    )
                same_year = [chosen]
        if len(same_year) > 1:
            cands = tuple(i.entry.key for i in same_year)
            return Match(
                Status.AMBIGUOUS,
                None,
                cands,
                f"{found.text} fits {len(cands)} entries: {', '.join(cands)}",
                "add a year suffix (1997a, 1997b) or cite by key",
            )
        item = same_year[0]
        if fuzzy:
            correct = item.entry.label()
            return Match(
                Status.NAME_MISMATCH,
                item.entry.key,
                (item.entry.key,),
                f"{found.text}: surname spelt differently from the entry",
                f"write it as {correct}",
            )
        return Match(Status.OK, item.entry.key, (item.entry.key,), note=note)


def _closed_list(found: Found) -> bool:
    """Whether a phrase lists three names or more with commas and closes the list with a
    connector ("A, B y C"): its names are all authors, none is a word caught before them (a
    capitalised word before "and B" may be: "… in Clusters and Bauer (2015)")."""
    text = found.text
    return (
        len(found.authors) > 2
        and "," in text
        and not found.et_al
        and (" y " in text or " and " in text or " & " in text or " e " in text or " und " in text)
    )


def _joined_at_y(found: Found) -> list[tuple[str, ...]]:
    """The cited surnames with two neighbours joined where the text prints them with "y" or
    "e" between: a Spanish compound surname ("Ortega y Gasset", "Ramón y Cajal") is one
    author, which the scanner's split at the connector made two. Tried after the printed
    reading, so that "Schmitz y Nadvi" stays two authors where an entry has them."""
    out = []
    authors = found.authors
    for i in range(len(authors) - 1):
        for connector in (" y ", " e "):
            joined = f"{authors[i]}{connector}{authors[i + 1]}"
            if joined in found.text:
                out.append((*authors[:i], joined, *authors[i + 2 :]))
    return out


@lru_cache(maxsize=1 << 12)
def _cited_forms(authors: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each cited surname as an entry's surname in its place is compared with it, folded once
    per citation rather than once per candidate: the first with its shorter forms ("Ya Perulli"
    is also "perulli": only the first cited name may carry stray leading words, later ones sit
    between connectors), the others as they are."""
    return (surname_variants(authors[0]), *((fold(cited),) for cited in authors[1:]))


def _authors_fit(cited: tuple[tuple[str, ...], ...], entry: tuple[str, ...], level: int) -> bool:
    """Each cited surname (``_cited_forms``) names the entry's author in the same position at
    ``level``."""
    if len(cited) > len(entry):
        return False
    for variants, surname in zip(cited, entry, strict=False):
        if surname in variants or (" " in surname and without_particles(surname) in variants):
            # biblatex cites "von Bülow" as "Bülow" (useprefix=false), APA as "von Bülow"
            continue
        if level == EXACT:
            return False
        if level == PARTIAL:
            if not partial_surname(variants, surname):
                return False
            continue
        from rapidfuzz import fuzz

        if not any(fuzz.ratio(v, surname) >= NAME_SIMILARITY for v in variants):
            return False
    return True


_YEAR_AT_END = re.compile(r"[\s,]*\d{4}[a-z]?\s*$")
_NOT_WORD = re.compile(r"[\W_]+")


def _title_form(text: str) -> str:
    """A title as compared with a citation: folded, its quotes and punctuation dropped."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def _title_forms(entry: BibEntry) -> set[str]:
    """The forms a style may cite an authorless entry by: its title, title and subtitle (as
    CSL joins them), its short title."""
    title = entry.text("title") or ""
    subtitle = entry.text("subtitle") or ""
    forms = {title, f"{title}: {subtitle}" if subtitle else title}
    forms.update(entry.text(name) or "" for name in ("shorttitle", "title-short"))
    return {f for f in map(_title_form, forms) if f}


@lru_cache(maxsize=1 << 14)
def without_particles(surname: str) -> str:
    """A folded surname without its leading particles ("de la garza toledo" -> "garza toledo")."""
    words = surname.split()
    while len(words) > 1 and words[0] in PARTICLES:
        words = words[1:]
    return " ".join(words)


def partial_surname(variants: tuple[str, ...], surname: str) -> bool:
    """Whether a cited (folded) surname names a compound surname by a part of it, as Spanish
    usage does: its first surname ("Pérez" for "Pérez Sáinz", "De la Garza" for "De la Garza
    Toledo") or, less often, its last word."""
    words = surname.split()
    if len(words) < 2:
        return False
    core = words
    while len(core) > 1 and core[0] in PARTICLES:
        core = core[1:]
    single = variants[-1]
    if len(single.split()) == 1 and single in (core[0], words[-1]) and len(core) > 1:
        return True
    first = variants[0].split()
    return (
        0 < len(first) < len(words)
        and words[: len(first)] == first
        and first[-1] not in PARTICLES  # "Van" alone names no one
    )


def _by_count(found: Found, items: list[_Indexed]) -> list[_Indexed]:
    """The entries whose number of authors fits what is printed — "(Rossi, 2010)" is not
    Rossi & Bauer 2010, "Rossi et al." has three or more (a work of two is cited by both
    names), else at least more than printed — when that leaves any."""
    printed = len(found.authors)
    fit = [i for i in items if _count_fits(printed, found.et_al, i.surnames)]
    if found.et_al:
        fit = fit or [i for i in items if len(i.surnames) > printed]
    return fit or items


def _count_fits(printed: int, et_al: bool, surnames: tuple[str, ...]) -> bool:
    """Whether an entry's number of authors is what ``printed`` names (and *et al.*) stand
    for: "Rossi et al." three or more (a work of two is cited by both names), else as many."""
    if et_al:
        # A list that BibTeX ends with "and others" is printed with "et al." whatever its length.
        return len(surnames) >= max(printed + 1, 3) or surnames[-1:] == ("others",)
    return len(surnames) == printed and surnames[-1:] != ("others",)


def _by_citeproc_order(
    found: Found, items: list[_Indexed]
) -> tuple[_Indexed | None, tuple[str, str, str] | None]:
    """The entry a printed suffix letter names among same-author, same-year works that the
    bibliography does not letter: citeproc letters them in the bibliography's order (author,
    then date, then title)."""
    index = ord(found.suffix or "a") - ord("a")
    if len(items) == 1:
        entry = items[0].entry
        if index == 0:
            return items[0], None
        return items[0], (
            "suffix-unmatched",
            f"{found.text}: the bibliography has one such work of {found.year} "
            f"({entry.key}), so citeproc prints no letter; '{found.suffix}' implies another",
            "check that the work meant is in the bibliography",
        )
    ordered = sorted(items, key=_citeproc_key)
    if index >= len(ordered):
        return None, None
    chosen = ordered[index]
    order = ", ".join(
        f"{'abcdefghijklmnopqrstuvwxyz'[n]} = {i.entry.key}" for n, i in enumerate(ordered)
    )
    return chosen, (
        "suffix-by-order",
        f"{found.text}: the bibliography does not letter its {len(ordered)} works of "
        f"{found.year}; in citeproc's order ({order}) it is {chosen.entry.key}",
        "check that this is the work meant, or cite it by key",
    )


def _citeproc_key(item: _Indexed) -> tuple[str, str]:
    """The order citeproc sorts an author–date bibliography in, within one author and year:
    the full date, then the title without a leading article."""
    entry = item.entry
    date = entry.get("date") or entry.get("year") or ""
    title = fold(entry.text("title") or "")
    title = re.sub(r"^(?:the|a|an|el|la|los|las|un|una)\s+", "", title)
    return date, title
