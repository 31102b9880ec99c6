"""Matching the items a reference manager (Zotero, Mendeley) stored in a Word citation field
to bibliography entries: by DOI, else by title, author and year."""

from __future__ import annotations

import re

from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.names import fold
from argmap.citations.found import UNDATED, Found
from argmap.citations.matcher import Match, Matcher, Status
from argmap.manuscripts.spans import CslItem

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# rapidfuzz ratio from which two folded titles name one work (a subtitle or punctuation apart).
TITLE_SIMILARITY = 90.0


def normal_doi(doi: str) -> str:
    """A DOI without resolver prefix, lower case (DOIs are case-insensitive)."""
    return _DOI_PREFIX.sub("", doi.strip()).lower()


def normal_title(title: str) -> str:
    """A title folded for comparison: case, accents, LaTeX braces and punctuation gone."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(title)).split())


class ItemMatcher:
    """Resolves CSL items against one bibliography; the DOI and title indexes are built on first
    use (they read every entry's doi and title, which a plain author–year check never needs)."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.bib: Bibliography = matcher.bib
        self._by_doi: dict[str, list[BibEntry]] | None = None
        self._by_title: dict[str, list[BibEntry]] = {}

    def _build(self) -> dict[str, list[BibEntry]]:
        if self._by_doi is None:
            self._by_doi = {}
            for key, entry in self.bib.entries.items():
                if key in self.matcher.excluded:
                    continue
                doi = entry.get("doi")
                if doi:
                    self._by_doi.setdefault(normal_doi(doi), []).append(entry)
                title = entry.get("title")
                if title:
                    self._by_title.setdefault(normal_title(title), []).append(entry)
        return self._by_doi

    def resolve(self, item: CslItem, text: str) -> Match:
        """One item's status: ok when the bibliography holds the same work."""
        by_doi = self._build()
        label = _label(item)
        if item.doi:
            hits = by_doi.get(normal_doi(item.doi), [])
            if len(hits) == 1:
                return Match(Status.OK, hits[0].key, (hits[0].key,))
            if len(hits) > 1:
                keys = tuple(e.key for e in hits)
                return Match(
                    Status.AMBIGUOUS,
                    None,
                    keys,
                    f"{label}: DOI {item.doi} is on {len(keys)} entries: {', '.join(keys)}",
                    "keep one entry per work",
                )
        if item.title:
            hits = self._by_title.get(normal_title(item.title), [])
            if hits:
                same_year = [e for e in hits if item.year is None or e.year == item.year]
                if len(same_year) == 1:
                    return Match(Status.OK, same_year[0].key, (same_year[0].key,))
                keys = tuple(e.key for e in hits)
                if not same_year:
                    years = ", ".join(f"{e.key} ({e.year})" for e in hits)
                    return Match(
                        Status.YEAR_MISMATCH,
                        None,
                        keys,
                        f"{label}: the title fits but the year differs: {years}",
                        "correct the year in Zotero or in the .bib",
                    )
                keys = tuple(e.key for e in same_year)
                return Match(
                    Status.AMBIGUOUS,
                    None,
                    keys,
                    f"{label}: the title fits {len(keys)} entries: {', '.join(keys)}",
                    "keep one entry per work",
                )
        if item.surnames:
            # an item without a date (a web page: author and URL alone, as a real Zotero field
            # holds one) is the author's undated work, as "(Author, n.d.)" is in running text
            found = Found(0, text, authors=item.surnames[:3], year=item.year or UNDATED)
            match = self.matcher.resolve(found)
            if match.key is not None and item.title:
                entry = self.bib.get(match.key)
                title = entry.get("title") if entry is not None else None
                if title and not _similar(normal_title(title), normal_title(item.title)):
                    return Match(
                        Status.MISSING,
                        None,
                        (match.key,),
                        f"{label}: no entry has this title; '{match.key}' has the same "
                        f"author and year but another title",
                        "add the work to the .bib (export it from the reference manager)",
                    )
            if match.status is Status.MISSING:
                return Match(
                    Status.MISSING,
                    None,
                    match.candidates,
                    f"no entry for {label}",
                    "add the work to the .bib (export it from the reference manager)",
                )
            return match
        return Match(
            Status.MISSING,
            None,
            (),
            f"no entry for {label}",
            "add the work to the .bib, with its DOI or title",
        )


def _similar(a: str, b: str) -> bool:
    """Whether two folded titles name one work (one may add a subtitle)."""
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= TITLE_SIMILARITY


def _label(item: CslItem) -> str:
    """How an item is named in messages: its first author, year and title."""
    who = item.surnames[0] if item.surnames else "?"
    if len(item.surnames) > 2:
        who += " et al."
    elif len(item.surnames) == 2:
        who += f" & {item.surnames[1]}"
    title = f" '{item.title[:60]}'" if item.title else ""
    return f"{who} {item.year or 'n.d.'}{title}"
