"""Author phrases as printed ("Brown Grossman y Domínguez Villalobos", "Pedersen el al.") split
into surnames, and surnames folded (case, accents, LaTeX) for comparison."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Connectors between authors, Spanish and English; "~" is an OCR rendering of "y".
_CONNECTOR = re.compile(r"\s*(?:,|;|\s(?:y|and|e|&|~|und|et)\s|&|~)\s*", re.IGNORECASE)
# "et al." and the ways print and OCR damage it, and Spanish equivalents.
_ET_AL = re.compile(
    r"\s*,?\s*(?:\b(?:et|el|ct)\s*\.?\s*al\b\.?|\by\s+(?:otros|otras|cols?)\b\.?|"
    r"\band\s+others\b|\bet\s+alii\b)\s*",
    re.IGNORECASE,
)
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


@dataclass(frozen=True)
class AuthorPhrase:
    """The surnames of a printed author phrase, and whether it ends in "et al." or a like form."""

    surnames: tuple[str, ...]
    et_al: bool


def fold(text: str) -> str:
    """Lower case, accents and LaTeX braces or accent commands removed, spaces collapsed."""
    if "\\" in text or "{" in text:
        text = re.sub(r"\\[a-zA-Z]+\s*|\\.", "", text).replace("{", "").replace("}", "")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("æ", "ae")
    return " ".join(re.sub(r"[^\w\s'-]", " ", stripped.lower()).split())


def split_authors(phrase: str) -> AuthorPhrase:
    """Split "Bensusan, García y Von Bulow" into ("Bensusan", "García", "Von Bulow")."""
    text = " ".join(phrase.split())
    et_al = False
    match = _ET_AL.search(text)
    if match:
        et_al = True
        text = text[: match.start()]
    parts = [p.strip(" .,") for p in _CONNECTOR.split(f" {text} ")]
    return AuthorPhrase(tuple(p for p in parts if p), et_al)


def surname_variants(surname: str) -> list[str]:
    """A folded surname, then shorter forms without leading words or particles (longest first).

    "Ya Perulli" (a sentence-initial word caught before a name) and "de Schmitz" (a preposition)
    both come down to "perulli" and "schmitz"; the full form is always tried first.
    """
    words = fold(surname).split()
    return [" ".join(words[i:]) for i in range(len(words)) if words[i] not in PARTICLES or i == 0]
