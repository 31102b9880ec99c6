"""Matching author–year citations to bibliography entries through a (surname, year) index, with
fuzzy matching (rapidfuzz) for OCR and typing errors only when the exact index finds nothing;
each citation gets exactly one status.

A citation is compared only with the entries filed under its surname and year (and, when none
fits, under its surname in other years, to tell a wrong year from a missing work). A citation,
or an unknown key, that a manuscript repeats is resolved once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

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
    # A warning that goes with a resolved citation: (kind, message, suggestion).
    note: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class _Indexed:
    """An entry's folded surnames and year, kept in the index."""

    entry: BibEntry
    surnames: tuple[str, ...]
    year: str | None
    suffix: str | None  # from the year field ("1997a")
    key_suffix: str | None  # from the key ("saravi1997a"), a letter only if all are lettered


# A @set (its author and year are its first member's) and an @xdata container are cited by key
# only: as author–year candidates they would double their members.
_KEY_ONLY_TYPES = frozenset({"set", "xdata"})

_YEAR_SUFFIX = re.compile(r"\d{4}([a-z])$")


def _suffix(value: str | None) -> str | None:
    """The a/b suffix of a year (or a key that ends in one)."""
    m = _YEAR_SUFFIX.search(value or "")
    return m.group(1) if m else None


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
        self._resolved: dict[Found, Match] = {}
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
            if not surnames or key in excluded or entry.type in _KEY_ONLY_TYPES:
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
            item = _Indexed(
                entry, entry.surnames, entry.year, _suffix(entry.get("year")), _suffix(entry.key)
            )
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
        if key in self.bib.aliases:
            # biblatex resolves an ``ids`` alias to its entry without a word
            return Match(Status.OK, self.bib.aliases[key])
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
        # The same citation anywhere else in the manuscripts resolves the same way.
        memo = replace(found, line=0, column=0, locator=None)
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
                # First the entries of the cited year; all years only if none fits there.
                items = self._candidates(authors, level, (found.year,))
                if not items:
                    items = self._candidates(authors, level)
                if items:
                    match = self._by_year(found, items, fuzzy=level == FUZZY)
                    if level == PARTIAL and match.key is not None and match.note is None:
                        match = replace(match, note=self._partial_note(found, authors, match.key))
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
        words: list[str] = []
        for variant in surname_variants(authors[0]):
            for word in variant.split():
                if level == FUZZY:
                    words.extend(self._near_words(word))
                else:
                    words.append(word)
        pool: list[BibEntry] = []
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

    @staticmethod
    def _same(cited: str, surname: str, level: int, first: bool) -> bool:
        """Whether a cited surname names the entry's surname at ``level``.

        Only the first cited name may carry stray leading words ("Ya Perulli"): later names
        sit between connectors, where no such words are caught.
        """
        variants = surname_variants(cited) if first else (fold(cited),)
        if surname in variants or without_particles(surname) in variants:
            # biblatex cites "von Bülow" as "Bülow" (useprefix=false), APA as "von Bülow"
            return True
        if level == EXACT:
            return False
        if level == PARTIAL:
            return partial_surname(variants, surname)
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

    def _by_year(self, found: Found, items: list[_Indexed], fuzzy: bool) -> Match:
        """Narrow author matches by year, by the number of authors printed, and by the a/b
        suffix, to one status."""
        same_year = [i for i in items if i.year == found.year]
        keys = tuple(i.entry.key for i in items)
        if not same_year:
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
    Rossi & Bauer 2010, "Rossi et al." has more than one — when that leaves any."""
    printed = len(found.authors)
    if found.et_al:
        fit = [i for i in items if len(i.surnames) > printed]
    else:
        fit = [i for i in items if len(i.surnames) == printed]
    return fit or items


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
