"""Typed reference lists: the headings that open them and the lines that look like entries, so
their author–year forms are not read as citations in running text."""

from __future__ import annotations

import re

from argmap.base.patterns import lazy

_HEADING_WORDS = {
    " ".join(h.split())
    for h in "references|reference list|list of references|bibliography|works cited|"
    "literature cited|cited literature|referencias|referencias bibliográficas|"
    "referencias bibliograficas|bibliografía|bibliografia|bibliografía citada|obras citadas|"
    "literatura citada|fuentes citadas".split("|")
}
# Headings after a reference list that return to running text (appendices, notes).
_BACK_MATTER = lazy(
    r"^(?:appendix|appendices|apéndice|apendice|anexo|anexos|annex|notes|notas|"
    r"supplementary|supplemental|acknowledg|agradecimiento|tables?\b|figures?\b|cuadros?\b)",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^(?:[#*=\s]+|\d+(?:\.\d+)*\.?\s+|[IVX]+\.\s+)")
_DECORATION = re.compile(r"[\s:.*_#=]+$|\{[^}]*\}\s*$")
_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?"
_NAME = r"[A-ZÁÉÍÓÚÑÜ][\w'’-]+(?:\s+(?:[A-ZÁÉÍÓÚÑÜ][\w'’-]+|de|del|la|las|los|van|von|der|y))*"
# "Rossi, A. (2000). Title", "Rossi, Ana (2000), «Título»", "Rossi, A. B., Bauer, C., and Kim,
# D. 2015. Title", "ROSSI, Ana y Alfonso Bouzas (2000)": a surname and comma at the start, given
# names or initials, and a year closed by a period, comma or parenthesis before a title (which
# LaTeX may set in a style: "Doe, John (2000). \emph{Book}", "{\em Book}").
# APA dates a conference paper, a talk or a magazine article to the month or day, "(2021,
# August)", "(2019, November 12)"; initials may be hyphenated, "Singamaneni, P-T." (both in
# AmandineMa/thesis's list of publications). Between initials stands one separator, a hyphen
# or spaces, so that a run of initials is read one way only: "\s*[-\s]?" read "A. " two ways,
# and a line of 22 initials took 5 s.
_DAY = r"(?:,\s*[A-Za-zÀ-ÿ]{3,12}\.?(?:\s+\d{1,2})?)?"
# A Markdown block quote may hold one ("please cite it as follows: > Dorman, M., ... (2025).
# Geocomputation with Python", geocompx/geocompy's index.qmd), and a link's text may be one
# ("- [Wickham, H., & Grolemund, G. (2016). R para Ciencia de Datos](url)", a list of
# resources in nsacco/clases-arg's chapter 9).
_ENTRY = re.compile(
    rf"^\s*(?:>[ \t]*)*(?:[-*•]\s+|\[\d+\]\s*|\d+\.\s+)?\[?{_NAME},\s+"
    rf"(?:(?:[A-ZÁÉÍÓÚÑÜ](?:\.|-(?=[A-ZÁÉÍÓÚÑÜ]))(?:\s*-\s*|\s+)?)+|[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+)"
    rf"[^()\n]{{0,200}}?(?:\(\s*{_YEAR}{_DAY}\s*\)\s*[.,:]|[.,]\s+{_YEAR}\s*[.,])\s*"
    r"(?:\\[A-Za-z]+\{|\{\\[a-z]+\s+)?"
    r"[«\"“'‘*_`]?[A-ZÁÉÍÓÚÑÜ¿¡]"
)


def heading_text(line: str) -> str:
    """A line as a heading's words: numbering, Markdown marks and trailing attributes gone."""
    text = _NUMBERING.sub("", line.strip())
    text = _DECORATION.sub("", text)
    return " ".join(text.split()).casefold()


def opens_references(line: str) -> bool:
    """Whether ``line`` is the heading of a reference list ("References", "7. Bibliografía")."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return False
    return heading_text(stripped) in _HEADING_WORDS


def closes_references(line: str) -> bool:
    """Whether ``line`` is a back-matter heading that ends a reference list (an appendix)."""
    stripped = line.strip()
    return 0 < len(stripped) <= 60 and bool(_BACK_MATTER().match(heading_text(stripped)))


def looks_like_entry(line: str) -> bool:
    """Whether ``line`` starts a typed reference-list entry rather than running text."""
    return bool(_ENTRY.match(line))
