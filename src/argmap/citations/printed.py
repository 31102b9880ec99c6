"""Author phrases as printed in running text ("Brown Grossman y Domínguez Villalobos",
"Pedersen el al.") split into surnames."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Connectors between authors, Spanish and English; "~" is an OCR rendering of "y".
# A serial comma may precede the last connector: "Rossi, Bauer, and Kim", "Rossi, Bauer, y Kim".
_CONNECTOR = re.compile(
    r"\s*(?:,\s*(?:(?:y|and|e|und)\s|&|~)?|;|\s(?:y|and|e|&|~|und|et)\s|&|~)\s*", re.IGNORECASE
)
# Initials before a surname ("K. E. Rossi", "B. Rossi", "J.-P. Dupont") are not part of it.
_INITIALS = re.compile(r"^(?:[A-ZÁÉÍÓÚÑÜ]\.(?:\s*-\s*[A-Z]\.)?\s*)+(?=[A-ZÁÉÍÓÚÑÜ][^\W\d_]{1,})")
# "et al." and the ways print and OCR damage it, and Spanish, German ("u. a."), Dutch ("e.a."),
# French and Italian ("et coll.") and English ("and colleagues") equivalents.
_ET_AL = re.compile(
    r"\s*,?\s*(?:\b(?:et|el|ct)\s*\.?\s*al\b\.?|\by\s+(?:otros|otras|cols?)\b\.?|"
    r"\band\s+others\b|\bet\s+alii\b|\bu\.\s*a\.|\be\.\s*a\.|\bet\s+coll?\b\.?|"
    r"\band\s+(?:colleagues|co-?workers|collaborators)\b)\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AuthorPhrase:
    """The surnames of a printed author phrase, and whether it ends in "et al." or a like form."""

    surnames: tuple[str, ...]
    et_al: bool


@lru_cache(maxsize=1 << 12)
def split_authors(phrase: str) -> AuthorPhrase:
    """Split "Bensusan, García y Von Bulow" into ("Bensusan", "García", "Von Bulow")."""
    text = " ".join(phrase.split())
    et_al = False
    match = _ET_AL.search(text)
    if match:
        et_al = True
        text = text[: match.start()]
    parts = [_INITIALS.sub("", p.strip(" .,")) for p in _CONNECTOR.split(f" {text} ")]
    return AuthorPhrase(tuple(p for p in parts if p), et_al)
