"""Matching author–year citations to bibliography entries through a (surname, year) index, with
fuzzy matching (rapidfuzz) for OCR and typing errors only when the exact index finds nothing;
each citation gets exactly one status.

A citation is compared only with the entries filed under its surname and year (and, when none
fits, under its surname in other years, to tell a wrong year from a missing work), and only
with those with at least as many authors as it prints. A citation, or an unknown key, that a
manuscript repeats is resolved once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.names import PARTICLES, fold, surname_variants
from argmap.citations.scanner import Found

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


@dataclass(frozen=True)
class Match:
    """What a citation resolved to: status, the entry key (or None), candidates, and the fix."""

    status: Status
    key: str | None
    candidates: tuple[str, ...] = ()
    message: str = ""
    suggestion: str | None = None
    skipped: int = 0  # leading words of a narrative phrase that were not names


@dataclass(frozen=True)
class _Indexed:
    """An entry's folded surnames and year, kept in the index."""

    entry: BibEntry
    surnames: tuple[str, ...]
    year: str | None
    suffix: str | None


_YEAR_SUFFIX = re.compile(r"\d{4}([a-z])$")


def _suffix(entry: BibEntry) -> str | None:
    """The a/b suffix of an entry's year, from its year field or its key."""
    for value in (entry.get("year") or "", entry.key):
        m = _YEAR_SUFFIX.search(value)
        if m:
            return m.group(1)
    return None


class Matcher:
    """Resolves citations against one bibliography, looking entries up by folded last word."""

    def __init__(self, bib: Bibliography, exclude: Iterable[str] = ()) -> None:
        self.bib = bib
        self.excluded = set(exclude)
        self.by_word: dict[str, list[BibEntry]] = {}
        self._words: list[str] = []
        self._blocks: dict[str, list[str]] = {}
        self._near: dict[str, list[str]] = {}
        self._indexed: dict[str, _Indexed] = {}
        self._year_index: dict[str, dict[str | None, list[BibEntry]]] = {}
        self._resolved: dict[tuple[object, ...], Match] = {}
        self._keys: dict[str, Match] = {}
        self._lowered: dict[str, str] | None = None
        self._built = False

    def _build(self) -> None:
        """Index entries by each word of their first author's folded surname.

        Built on first use from the surnames computed at parse time (and cached with the
        parse), so no name is decoded here; an entry's year and suffix are read only when it
        is a candidate.
        """
        if self._built:
            return
        by_word = self.by_word
        excluded = self.excluded
        for key, entry in self.bib.entries.items():
            surnames = entry.surnames
            if not surnames or key in excluded:
                continue
            for word in surnames[0].split():
                if word not in PARTICLES:
                    by_word.setdefault(word, []).append(entry)
        self._words = list(by_word)
        for word in self._words:
            self._blocks.setdefault(word[:1], []).append(word)
            self._blocks.setdefault("~" + word[-2:], []).append(word)
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

            block = dict.fromkeys(
                self._blocks.get(word[:1], []) + self._blocks.get("~" + word[-2:], [])
            )
            found = [
                near
                for near, _score, _ in process.extract(
                    word, list(block), scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY, limit=5
                )
            ]
            self._near[word] = found
        return found

    def _item(self, entry: BibEntry) -> _Indexed:
        item = self._indexed.get(entry.key)
        if item is None:
            item = _Indexed(entry, entry.surnames, entry.year, _suffix(entry))
            self._indexed[entry.key] = item
        return item

    def _year_groups(self, word: str) -> dict[str | None, list[BibEntry]]:
        """The entries filed under ``word``, by year (file order kept): made the first time a
        citation names the word, so years are read only for the entries of surnames cited."""
        groups = self._year_index.get(word)
        if groups is None:
            groups = {}
            for entry in self.by_word.get(word, ()):
                groups.setdefault(self._item(entry).year, []).append(entry)
            self._year_index[word] = groups
        return groups

    def resolve_key(self, key: str) -> Match:
        """A key citation: ok if the bibliography has the key (an unknown key is looked up
        among the keys once, however often it is cited)."""
        if key in self.bib.entries:
            return Match(Status.OK, key)
        found = self._keys.get(key)
        if found is None:
            found = self._keys[key] = self._unknown_key(key)
        return found

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
            f"did you mean {' or '.join(repr(n) for n in near)}?" if near else "add it to the .bib",
        )

    def resolve(self, found: Found) -> Match:
        """An author–year citation matched to entries: exact surnames first, then partial
        compound surnames ("Pérez" for "Pérez Sáinz"), then fuzzy (a misspelling)."""
        if found.key is not None:
            return self.resolve_key(found.key)
        memo = (found.authors, found.year, found.suffix, found.narrative, found.text)
        match = self._resolved.get(memo)
        if match is None:
            match = self._resolved[memo] = self._resolve(found)
        return match

    def _resolve(self, found: Found) -> Match:
        self._build()
        author_lists = [found.authors]
        if found.narrative:
            # Narrative phrases may catch words before the names ("León, Guanajuato, Brown ...").
            author_lists += [found.authors[i:] for i in range(1, len(found.authors))]
        for level in (EXACT, PARTIAL, FUZZY):
            for skipped, authors in enumerate(author_lists):
                # First the entries of the cited year; all years only if none fits.
                items = self._candidates(authors, level, (found.year,))
                if not items:
                    items = self._candidates(authors, level)
                if items:
                    match = self._by_year(found, items, level, authors)
                    return replace(match, skipped=skipped) if skipped else match
        return Match(
            Status.MISSING,
            None,
            (),
            f"no entry for {found.text}",
            "add the work to the .bib or correct the citation",
        )

    def _candidates(
        self, authors: tuple[str, ...], level: int, year: tuple[str | None] | None = None
    ) -> list[_Indexed]:
        """Entries whose authors fit the cited surnames at ``level`` (of ``year`` only, when
        given), in the order of the surname index."""
        if not authors:
            return []
        pool: list[BibEntry] = []
        words: list[str] = []
        for variant in surname_variants(authors[0]):
            for word in variant.split():
                if level == FUZZY:
                    words.extend(self._near_words(word))
                else:
                    words.append(word)
        for word in words:
            if year is None:
                pool.extend(self.by_word.get(word, ()))
            else:
                pool.extend(self._year_groups(word).get(year[0], ()))
        seen: set[str] = set()
        out = []
        for entry in pool:
            if entry.key not in seen:
                seen.add(entry.key)
                if self._authors_fit(authors, entry.surnames, level):
                    out.append(self._item(entry))
        return out

    @staticmethod
    def _same(cited: str, surname: str, level: int, first: bool) -> bool:
        """Whether a cited surname names the entry's surname at ``level``.

        Only the first cited name may carry stray leading words ("Ya Perulli"): later names
        sit between connectors, where no such words are caught.
        """
        variants = surname_variants(cited) if first else (fold(cited),)
        if surname in variants:
            return True
        if level == EXACT:
            return False
        if level == PARTIAL:
            # Spanish usage cites a compound surname by either of its parts.
            words = surname.split()
            return (
                len(words) > 1
                and len(variants[-1].split()) == 1
                and variants[-1] in (words[0], words[-1])
            )
        from rapidfuzz import fuzz

        return any(fuzz.ratio(v, surname) >= NAME_SIMILARITY for v in variants)

    def _authors_fit(self, cited: tuple[str, ...], entry: tuple[str, ...], level: int) -> bool:
        """Each cited surname fits the entry's author in the same position."""
        if len(cited) > len(entry):
            return False
        return all(
            self._same(c, e, level, i == 0)
            for i, (c, e) in enumerate(zip(cited, entry, strict=False))
        )

    def _by_year(
        self, found: Found, items: list[_Indexed], level: int, authors: tuple[str, ...]
    ) -> Match:
        """Narrow author matches by year (and a/b suffix) to one status."""
        fuzzy = level == FUZZY
        same_year = [i for i in items if i.year == found.year]
        if found.suffix:
            with_suffix = [i for i in same_year if i.suffix == found.suffix]
            if with_suffix or any(i.suffix for i in same_year):
                same_year = with_suffix
        if not same_year:
            if items and items[0].year == found.year:
                items = self._candidates(authors, level)  # every year, for the message
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
                f"{found.text}: the authors fit but no entry has year "
                f"{found.year}{found.suffix or ''}",
                f"check the year; entries: {labels}",
            )
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
        return Match(Status.OK, item.entry.key, (item.entry.key,))
