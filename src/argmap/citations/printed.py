"""Author phrases as printed in running text ("Brown Grossman y Domínguez Villalobos",
"Pedersen el al.") split into surnames, and the one vocabulary of "et al." forms that both the
parenthetical and the narrative reader use."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from argmap.base.patterns import lazy

# Connectors between authors, Spanish and English; "~" is an OCR rendering of "y".
# A serial comma may precede the last connector: "Rossi, Bauer, and Kim", "Rossi, Bauer, y Kim".
_CONNECTOR = re.compile(
    r"\s*(?:,\s*(?:(?:y|and|e|und)\s|&|~)?|;|\s(?:y|and|e|&|~|und|et)\s|&|~)\s*", re.IGNORECASE
)
# The words of letters alone that the connector pattern takes for one: such a phrase has no
# surname ("Y", "and").
_CONNECTOR_WORDS = frozenset("y and e und et".split())
# Initials before a surname ("K. E. Rossi", "B. Rossi", "J.-P. Dupont") are not part of it.
_INITIALS = re.compile(r"^(?:[A-ZÁÉÍÓÚÑÜ]\.(?:\s*-\s*[A-Z]\.)?\s*)+(?=[A-ZÁÉÍÓÚÑÜ][^\W\d_]{1,})")

# Every way an author phrase says "and others", as one list: "et al." (with or without its
# dot, "et. al.", and the OCR damage "el al.", "ct al."), Latin "et alii", Spanish "y otros",
# "y otras", "y col(s).", "y colaboradores", English "and others", "and colleagues", "and
# co-workers", "and collaborators", German "u. a.", Dutch "e. a.", French and Italian "et
# coll.". Words may be joined by a LaTeX tie ("et~al.").
_GAP = r"[\s~]"
ET_AL_FORMS = (
    rf"(?:et|el|ct){_GAP}*\.?{_GAP}*al\b\.?",
    rf"et{_GAP}+alii\b\.?",
    rf"y{_GAP}+(?:otros|otras|colaboradores|cols?\b\.?)",
    rf"and{_GAP}+(?:others|colleagues|co-?workers|collaborators)\b",
    rf"u\.{_GAP}*a\.",
    rf"e\.{_GAP}*a\.",
    rf"et{_GAP}+coll?\b\.?",
)
_FORM = "(?:" + "|".join(ET_AL_FORMS) + ")"
# A form as a manuscript may set it in italics: LaTeX \emph{et al.}, \textit{...}, {\em ...},
# {\it ...}; Markdown *et al.*, _et al._ (the markup around one copy of the forms: compiling
# the forms once per kind of markup cost 3 ms at start-up).
_OPEN = rf"(?:\\(?:emph|textit|textsl){_GAP}*\{{|\{{\\(?:em|it|sl)\s|[*_])?{_GAP}*"
_CLOSE = rf"(?:{_GAP}*[}}*_])?"
_MARKED = f"{_OPEN}{_FORM}{_CLOSE}"
# Anywhere in a phrase (from a comma before it on), as ``split_authors`` cuts it off.
_ET_AL = re.compile(rf"{_GAP}*,?{_GAP}*(?<![\w\\]){_MARKED}{_GAP}*", re.IGNORECASE)
# At the end of the words before a narrative citation's year, with an English possessive
# ("Smith et al.'s (2015)"); what stands before it is the names.
ET_AL_AT_END = re.compile(rf"{_GAP}*,?{_GAP}*(?<![\w\\]){_MARKED}(?:['’]s)?{_GAP}*$", re.IGNORECASE)
# The italics a form was set in, dropped when it is quoted as printed.
_MARKUP = lazy(r"\\(?:emph|textit|textsl)[\s~]*\{|\{\\(?:em|it|sl)\s+|[{}*_]")
_TIE = re.compile(r"~")
_MARKUP_CHAR = re.compile(r"[\\{*_~]")


def plain_et_al(written: str) -> str:
    """An "et al." form as it prints: without its italics markup, a tie as a space."""
    return " ".join(_TIE.sub(" ", _MARKUP().sub("", written)).split())


# The last character of every form, its markup or its possessive ("al", "al.", "alii", "otros",
# "col", "u. a.", "}", "*", "_", "al.'s"): a phrase ending otherwise is not searched.
_FORM_END = frozenset("lLiIsS.}*_")


def et_al_at_end(phrase: str) -> re.Match[str] | None:
    """The form of "et al." an author phrase ends in, if any (a form is a few words: only the
    phrase's end is searched, its look-behind still seeing what stands before)."""
    end = phrase.rstrip(" \t\n~")
    if not end or end[-1] not in _FORM_END:
        return None
    return ET_AL_AT_END.search(phrase, max(0, len(phrase) - 64))


def ends_in_et_al(phrase: str) -> bool:
    """Whether an author phrase ends in a form of "et al."."""
    return et_al_at_end(phrase) is not None


@lru_cache(maxsize=1 << 12)
def as_printed(phrase: str) -> str:
    """An author phrase as it prints: each form of "et al." in it without its markup."""
    if _MARKUP_CHAR.search(phrase) is None:
        return phrase
    return _ET_AL.sub(lambda m: _spaced(m.group(), plain_et_al(m.group())), phrase)


def _spaced(written: str, plain: str) -> str:
    """``plain`` with the comma and the spaces around ``written`` kept."""
    lead = written[: len(written) - len(written.lstrip(" \t\n~,"))].replace("~", " ")
    trail = " " if written[-1:].isspace() or written.endswith("~") else ""
    return f"{lead}{plain.lstrip(',').strip()}{trail}"


class AuthorPhrase(NamedTuple):
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
    if text.isalpha() and text.lower() not in _CONNECTOR_WORDS:
        # one word of letters, the commonest phrase: nothing to split at, no initials to cut
        return AuthorPhrase((text,), et_al)
    return AuthorPhrase(split_surnames(text), et_al)


def split_surnames(text: str) -> tuple[str, ...]:
    """The surnames of a phrase without its "et al.": split at the connectors, initials cut."""
    parts = [_INITIALS.sub("", p.strip(" .,")) for p in _CONNECTOR.split(f" {text} ")]
    return tuple(p for p in parts if p)
