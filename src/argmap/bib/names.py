"""People in BibTeX name lists: split by BibTeX's rules (a quick split for surnames, the full one
decoded from LaTeX for display), and surnames folded (case, accents, LaTeX) for comparison."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from argmap.bib.latex import latex_to_text

# Connectors between authors, Spanish and English; "~" is an OCR rendering of "y".
PARTICLES = frozenset(
    {
        "de",
        "del",
        "la",
        "las",
        "los",
        "von",
        "van",
        "der",
        "den",
        "di",
        "da",
        "du",
        "dos",
        "das",
        "le",
        "y",
    }
)


_LETTERS = {
    "i": "i",
    "j": "j",
    "o": "o",
    "O": "O",
    "l": "l",
    "L": "L",
    "ss": "ss",
    "ae": "ae",
    "AE": "AE",
    "oe": "oe",
    "OE": "OE",
    "aa": "a",
    "AA": "A",
    "dh": "d",
    "th": "th",
}
_UNDECOMPOSED = str.maketrans(
    {"ß": "ss", "ø": "o", "ł": "l", "æ": "ae", "ı": "i", "đ": "d", "ð": "d", "þ": "th", "œ": "oe"}
)
_COMMAND = re.compile(r"\\([a-zA-Z]+)\s*|\\.")


def _latex_letter(match: re.Match[str]) -> str:
    return _LETTERS.get(match.group(1) or "", "")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, accents and LaTeX braces or accent commands removed, spaces collapsed."""
    if "\\" in text or "{" in text:
        text = _COMMAND.sub(_latex_letter, text).replace("{", "").replace("}", "")
    if text.isascii():
        # ASCII has no decomposition and no combining mark: the common case, without a walk
        # over the characters (tests/bib/test_names.py holds it equal to the general way)
        stripped = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        stripped = stripped.lower()
        if not stripped.isascii():
            # letters NFKD does not decompose: "Aksın" is "Aks{\\i}n", as _LETTERS reads it
            stripped = stripped.translate(_UNDECOMPOSED)
    return " ".join(_NOT_NAME.sub(" ", stripped).split())


_NOT_NAME = re.compile(r"[^\w\s'-]")


@lru_cache(maxsize=1 << 14)
def surname_variants(surname: str) -> tuple[str, ...]:
    """A folded surname, then shorter forms without leading words or particles (longest first).

    "Ya Perulli" (a sentence-initial word caught before a name) and "de Schmitz" (a preposition)
    both come down to "perulli" and "schmitz"; the full form is always tried first.
    """
    words = fold(surname).split()
    return tuple(
        " ".join(words[i:]) for i in range(len(words)) if words[i] not in PARTICLES or i == 0
    )


# BibTeX separates the names of a list by "and" between blanks, in any case (outside braces).
AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_FIRST_LETTER = re.compile(r"[^\W\d_]")
# BibTeX's own reading of a name list (bibtex.web, num.names$ and format.name$; checked against
# BibTeX 0.99d in tests/bib/test_namelists.py): its white space is space, tab and the line ends,
# not a no-break space or a form feed; "and" is a separator with white space on both sides, and
# one blank may serve two, so "X and and Y" is X, an empty name and Y.
_BIBTEX_WHITE = " \t\n\r"
_AND_WORD = re.compile(r"(?<=[ \t\n\r])and(?=[ \t\n\r])", re.IGNORECASE)
_AND_WORD_OR_BRACE = re.compile(r"[{}]|(?<=[ \t\n\r])and(?=[ \t\n\r])", re.IGNORECASE)
_COMMA_OR_BRACE = re.compile(r"[{},]")


def name_list(raw: str) -> list[str]:
    """The names of a BibTeX name list as BibTeX counts them: split on "and" at brace level 0,
    empty names kept (BibTeX numbers them), each trimmed of white space.

    BibTeX trims the value first (so an "and" at its start or end is part of a name) and ignores
    a "}" with no "{" open (after saying the braces are unbalanced).
    """
    value = raw.strip(_BIBTEX_WHITE)
    if "{" not in value:
        parts = _AND_WORD.split(value)
    else:
        parts = _split_outside(value, _AND_WORD_OR_BRACE)
    return [part.strip(_BIBTEX_WHITE) for part in parts]


def _split_outside(text: str, separator_or_brace: re.Pattern[str]) -> list[str]:
    """``text`` cut at the separators ``separator_or_brace`` finds at brace level 0 (its other
    matches are single braces); a "}" with no "{" open is ignored, as BibTeX does."""
    out, depth, start = [], 0, 0
    for match in separator_or_brace.finditer(text):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(text[start : match.start()])
            start = match.end()
    out.append(text[start:])
    return out


def split_people(raw: str) -> list[str]:
    """The names of a BibTeX name list (``name_list``), white space collapsed, empty ones
    dropped."""
    return [" ".join(p.split()) for p in name_list(raw) if p.strip()]


def _top_level(name: str, sep: str) -> list[str]:
    """``name`` split on ``sep`` (a comma, or " " for any whitespace) outside braces; a "}" with
    no "{" open is ignored, as BibTeX does."""
    if sep == ",":
        return name.split(",") if "{" not in name else _split_outside(name, _COMMA_OR_BRACE)
    pieces = name.split()
    if "{" not in name:
        return pieces
    out: list[str] = []
    depth = 0
    for piece in pieces:
        if depth > 0:
            out[-1] += " " + piece
        else:
            out.append(piece)
        depth += piece.count("{") - piece.count("}")
    return out


def commas_outside_braces(name: str) -> int:
    """The commas of one name at brace level 0, as BibTeX counts them ("Too many commas in
    name" past two)."""
    return len(_top_level(name, ",")) - 1


def _starts_lower(word: str) -> bool:
    """Whether BibTeX (as bibtexparser implements it) reads ``word`` as lower case: the first
    letter outside braces decides, or the first letter after an accent command at the start
    of a brace ("{\\'E}mile" is upper case); a brace opened by a letter command ("{\\O}") and
    plain braced text ("{van}") do not count."""
    level, special, command, brace_start = 0, False, False, False
    i = 0
    while i < len(word):
        ch = word[i]
        if ch == "\\" and i + 1 < len(word):
            escaped = word[i + 1]
            if brace_start:
                brace_start, command, special = False, escaped.isalpha(), True
            elif level == 0 and escaped.isalpha():
                return escaped.islower()
            i += 2
            continue
        if ch == "{":
            level, brace_start, command, special = level + 1, True, False, False
        elif ch == "}":
            brace_start = False
            level, command, special = max(level - 1, 0), False, False
        elif level:
            brace_start = False
            if command:
                command = ch.isalpha()
            elif special and ch.isalpha():
                return ch.islower()
        else:
            brace_start = False
            if ch.isalpha():
                return ch.islower()
        i += 1
    return False


def person_surname(name: str) -> str:
    """The surname (particle and last name) of one BibTeX name, as BibTeX splits it:
    "von Last, First", "Last, Jr, First" or "First von Last"."""
    parts = _top_level(name, ",")
    if len(parts) > 1:
        return parts[0].strip()
    words = _top_level(name, " ")
    if len(words) <= 1:
        return name.strip()
    start = len(words) - 1
    for i, word in enumerate(words[:-1]):
        # As bibtexparser splits: of two words, a lower-case first one is a first name.
        if _starts_lower(word) and not (i == 0 and len(words) == 2):
            start = i
            break
    return " ".join(words[start:])


def quick_surnames(raw: str) -> tuple[str, ...]:
    """The folded surnames of a BibTeX author field, without decoding the rest of each name.

    This is what the matcher indexes: cheap enough to run on every entry of a large file, and
    the same as folding the surnames of the fully split and decoded names.
    """
    if not raw:
        return ()
    names = _split_and(raw)
    braces = "{" in raw
    out: list[str] = []
    append = out.append
    # (``in`` and ``partition`` rather than ``find`` and ``count``, which parse their arguments
    # from a tuple in Python 3.11: ~1,000 instructions a call, on each name of every entry)
    for name in names:
        head, comma, _ = name.partition(",")
        if braces:
            if ("{" in name or "}" in name) and name.count("{") != name.count("}"):
                # an "and" within braces: split by the general machinery
                return tuple(fold(person_surname(name)) for name in split_people(raw))
            if comma and "{" in head and head.count("{") != head.count("}"):
                comma = ""  # that comma is within braces
        # The usual export form, "Last, First": the surname is what stands before the first
        # comma, when that comma is outside braces.
        if comma:
            append(fold(head.strip()))
        elif name and not name.isspace():
            append(fold(person_surname(" ".join(name.split()))))
    return tuple(out)


def _split_and(raw: str) -> list[str]:
    """``AND.split(raw)``, by ``str.split`` when that gives the same (the pattern's scan of
    every position was a third of the surnames' cost): when the only blank is a single space
    (``isprintable`` is false for every other one) and every "and" is lower case, the
    pattern's matches are exactly the " and " that ``str.split`` cuts at, left to right."""
    # (every "and" lower case: none is left, in any case, once the lower-case ones are blanked
    # out, which replace and ``in`` tell without count's parse of its arguments from a tuple)
    if raw.isprintable() and "  " not in raw and "and" not in raw.replace("and", "\0").lower():
        return raw.split(" and ")
    return AND.split(raw)


class Person(NamedTuple):
    """One author or editor, split as BibTeX splits names and decoded from LaTeX."""

    first: str
    von: str
    last: str
    jr: str = ""

    @property
    def surname(self) -> str:
        """The surname as cited: particle and last name ("von Bülow")."""
        return f"{self.von} {self.last}".strip()

    def __str__(self) -> str:
        return ", ".join(p for p in (self.surname, self.jr, self.first) if p)


# Fields every entry keeps in memory: what matching, labels and messages need. The others


def split_names(raw: str) -> list[Person]:
    """Split an author field into people, each decoded from LaTeX."""
    if not raw.strip():
        return []
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    people = []
    for name in split_multiple_persons_names(raw):
        try:
            parts = parse_single_name_into_parts(name, strict=False)
        except Exception:  # a malformed name still names someone: keep it whole
            people.append(Person(first="", von="", last=latex_to_text(name)))
            continue
        people.append(
            Person(
                first=latex_to_text(" ".join(parts.first)),
                von=latex_to_text(" ".join(parts.von)),
                last=latex_to_text(" ".join(parts.last)),
                jr=latex_to_text(" ".join(parts.jr)),
            )
        )
    return people
