"""BibTeX entries as CSL-JSON items, the input of citation processors (citeproc-py, pandoc,
Zotero). Values are decoded from LaTeX; argmap's own ``x-`` fields and ``note`` stay out."""

from __future__ import annotations

import re
from typing import Any

from argmap.bib.latex import latex_to_text, sentence_case
from argmap.bib.model import BibEntry, Bibliography
from argmap.bib.names import Person, split_names

TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "misc": "document",
    "proceedings": "book",
    "collection": "book",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "thesis": "thesis",
    "dataset": "dataset",
    "software": "software",
    # biblatex's other types
    "mvbook": "book",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "mvcollection": "book",
    "suppcollection": "chapter",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry-encyclopedia",
    "mvproceedings": "book",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "patent": "patent",
    "electronic": "webpage",
    "www": "webpage",
    "artwork": "graphic",
    "audio": "song",
    "image": "graphic",
    "jurisdiction": "legal_case",
    "legislation": "legislation",
    "legal": "legislation",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "video": "motion_picture",
    "music": "song",
    "review": "review",
    "standard": "standard",
}

# Title fields (with their subtitle field) -> CSL variable: sentence case for English.
TITLE_FIELDS = [
    ("title", "subtitle", "title"),
    ("booktitle", "booksubtitle", "container-title"),
]

# BibTeX field -> CSL variable, for plain text fields.
TEXT_FIELDS = {
    "journal": "container-title",
    "journaltitle": "container-title",
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "volume": "volume",
    "edition": "edition",
    "series": "collection-title",
    "chapter": "chapter-number",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "abstract": "abstract",
}
# Identifiers and addresses, copied as they are.
VERBATIM = {"DOI", "URL", "ISBN", "ISSN"}

VERBATIM_FIELDS = frozenset({"url", "doi", "isbn", "issn"})


def verbatim(value: str) -> str:
    """An identifier's value as written, without braces; ``\\_``, ``\\%``, ``\\&`` and ``\\#``,
    escaped by habit for plain BibTeX, lose the backslash."""
    value = re.sub(r"\\([_%&#])", r"\1", value)
    return " ".join(value.replace("{", "").replace("}", "").split())


# biblatex ``langid``/``language`` names -> the codes CSL expects (title case is for English only).
LANGUAGES = {
    "english": "en",
    "american": "en-US",
    "british": "en-GB",
    "spanish": "es",
    "french": "fr",
    "german": "de",
    "ngerman": "de",
    "italian": "it",
    "portuguese": "pt",
    "brazilian": "pt-BR",
    "catalan": "ca",
    "dutch": "nl",
}

# biblatex's localisation keys for the ``type`` field, as they print in English.
BIBLATEX_TYPE_KEYS = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "software": "Software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
}

GENRES = {"mastersthesis": "Master's thesis", "phdthesis": "PhD thesis"}


def person(p: Person) -> dict[str, str]:
    """A CSL name: family and given parts, or a literal for an institution (no given name)."""
    if not p.first and not p.von:
        return {"literal": typographic(p.last)}
    name = {"family": typographic(p.last)}
    if p.first:
        name["given"] = typographic(p.first)
    if p.von:
        # biblatex (useprefix=false) and pandoc print "Bülow, M. von": the particle drops.
        name["dropping-particle"] = p.von
    if p.jr:
        name["suffix"] = p.jr
    return name


def issued(entry: BibEntry) -> dict[str, Any] | None:
    """The CSL date of an entry, from ``date`` (ISO) or ``year`` (and a numeric ``month``)."""
    raw = entry.get("date")
    if raw:
        parts = [int(p) for p in re.findall(r"\d+", raw.split("/")[0])[:3]]
        if parts and parts[0] >= 1000:
            return {"date-parts": [parts]}
    year = entry.get("year")
    if not year:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*", year)
    if not match:
        return {"literal": entry.text("year") or year}
    parts = [int(match.group(1))]
    month = (entry.get("month") or "").strip()
    if month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    return {"date-parts": [parts]}


def inherit(entry: BibEntry, bib: Bibliography | None) -> BibEntry:
    """``entry`` with the fields it lacks taken from the entry it crossrefs, as biber does:
    the parent's ``title`` becomes the child's ``booktitle``."""
    parent_key = entry.fields.get("crossref", "").strip()
    parent = bib.get(parent_key) if bib is not None and parent_key else None
    if parent is None:
        return entry
    fields = dict(entry.fields)
    for name, value in parent.fields.items():
        if name.startswith("x-") or name in ("crossref", "note"):
            continue
        target = "booktitle" if name == "title" else name
        fields.setdefault(target, value)
    child = BibEntry(key=entry.key, type=entry.type, line=entry.line, fields=fields)
    child._inherited = entry._inherited
    return child


def entry_to_csl(
    entry: BibEntry, default_language: str = "en", latex: bool = True
) -> dict[str, Any]:
    """One entry as a CSL-JSON item.

    English titles are put in sentence case, as CSL expects its data and as pandoc converts
    them; braces protect what must stay as written. Other languages' titles are left as the
    entry writes them. An entry without ``langid``/``language`` is taken to be in
    ``default_language`` (the document's, as pandoc does). ``latex=False`` is for an entry
    read from a CSL file: its text is plain, already as CSL wants it, and is copied as written.
    """
    item: dict[str, Any] = {"id": entry.key, "type": TYPES.get(entry.type, "document")}

    def text(name: str) -> str | None:
        value = entry.get(name)
        if value is None:
            return None
        return latex_to_text(value) if latex else value.strip()

    # its own fields, then what it inherits (crossref, xdata) under biber's names
    fields = {**entry.inherited, **entry.fields} if entry.inherited else entry.fields
    language = (text("langid") or text("language") or "").strip()
    if language:
        item["language"] = LANGUAGES.get(language.lower(), language)
    english = str(item.get("language", default_language)).lower().startswith("en")
    if "author" in fields:
        item["author"] = [person(p) for p in _people("author", entry)]
    if "editor" in fields:
        item["editor"] = [person(p) for p in _people("editor", entry)]
    if "translator" in fields:
        item["translator"] = [person(p) for p in split_names(fields["translator"])]
    for name, subtitle, variable in TITLE_FIELDS:
        if name in fields and variable not in item:
            title = _title(entry, name, english, latex=latex)
            if subtitle in fields:
                title = f"{title}: {_title(entry, subtitle, english, subtitle=True, latex=latex)}"
            if title:
                item[variable] = title
    for name, variable in TEXT_FIELDS.items():
        if name in fields and variable not in item:
            # identifiers are not LaTeX: a "~" in a URL is a tilde, "--" two hyphens
            value = verbatim(fields[name]) if name in VERBATIM_FIELDS else text(name)
            if value:
                item[variable] = value if variable in VERBATIM else typographic(value)
    for name in ("school", "institution", "organization"):
        if name in fields and "publisher" not in item:
            item["publisher"] = typographic(text(name) or "")
    if "number" in fields:
        item["issue" if item["type"] == "article-journal" else "number"] = text("number")
    if "pages" in fields:
        item["page"] = (text("pages") or "").replace("--", "–").replace("—", "–")
    if "type" in fields:
        genre = text("type") or ""
        item["genre"] = BIBLATEX_TYPE_KEYS.get(genre.lower(), genre)
    elif entry.type in GENRES:
        item["genre"] = GENRES[entry.type]
    date = issued(entry)
    if date is not None:
        item["issued"] = date
    return item


def _title(
    entry: BibEntry, name: str, english: bool, subtitle: bool = False, latex: bool = True
) -> str:
    """A title field decoded, in sentence case when English (a subtitle starts a sentence);
    a CSL file's title (``latex=False``) as written."""
    raw = entry.get(name) or ""
    if not latex:
        return raw.strip()
    if not english:
        return typographic(latex_to_text(raw))
    text = typographic(sentence_case(raw))
    return text[:1].upper() + text[1:] if subtitle else text


def typographic(text: str) -> str:
    """Typewriter apostrophes as typographic ones (O’Meara, Hemingway’s), as pandoc prints."""
    return text.replace("'", "’")


def _people(field_name: str, entry: BibEntry) -> list[Person]:
    """Authors or editors of ``entry`` (``BibEntry.authors`` falls back; this does not)."""
    from argmap.bib.names import split_names

    if field_name == "author" or entry.get("author") is None:
        return entry.authors
    return split_names(entry.get(field_name) or "")
