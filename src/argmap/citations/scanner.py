"""Finding in-text citations in manuscripts: LaTeX \\cite commands, pandoc [@key] citations, and
running-text author–year citations in Spanish and English, OCR noise included.

Every pattern is bounded (no nested quantifiers over the same characters), so scanning stays
linear in the size of the text whatever it holds.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from argmap.citations.printed import split_authors

YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_YEAR_TOKEN = re.compile(rf"^({YEAR})([a-z])?$")
_NAME_YEAR = re.compile(rf"^(.*?\S)\s+({YEAR})([a-z])?$")
_LOCATOR = re.compile(
    r"^(?:p|pp|pág|págs|pag|cap|chap|ch|sec|secc|§|n|nota|vol|fig)\.?\s*[\dIVXLCivxlc][\w\s–-]*$",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(
    r"^(?:(?:véase|vease|ver|cf|see|e\.g|i\.e|por ejemplo|also|también|tambien|además|"
    r"citado en|cited in|en|in)\b\.?,?\s*)+",
    re.IGNORECASE,
)
_LATEX_CITE = re.compile(
    r"\\(?:cite|citep|citet|parencite|textcite|autocite|footcite|citeauthor|citeyear|nocite)"
    # The keys may run over several lines and be many; braces cannot occur in them, so the
    # bounded class keeps the search linear.
    r"\*?(?:\s*\[[^\]\n]{0,200}\]){0,2}\s*\{([^{}]{1,20000})\}"
)
_PANDOC = re.compile(r"(?<![\w@.+-])(-?)@([A-Za-z0-9_][\w:.#$%&+?<>~/-]{0,200})")
_PAREN = re.compile(r"\(([^()]{1,400})\)")
_YEARS_ONLY = re.compile(
    rf"^\s*{YEAR}[a-z]?(?:\s*,\s*{YEAR}[a-z]?)*(?:\s*[,:]\s*[^()]{{1,40}})?\s*$"
)
_HAS_YEAR = re.compile(rf"\b{YEAR}[a-z]?\b")
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n[ \t]*(\w)")
# Capitalised words that open sentences, not names: a narrative phrase stops at them.
_SENTENCE_WORDS = frozenset(
    "Según Como Ya En Para Por Pero Sin Con Así Aunque Cuando Desde Donde Tanto También "
    "Incluso Mientras Finalmente Además Embargo Luego Entonces Asimismo As In According "
    "For But And Since While Also Following Unlike Like See Cf Both Even Yet Thus Hence".split()
)


@dataclass(frozen=True)
class Found:
    """A citation found in a text: a key citation or an author–year one, with its line."""

    line: int
    text: str
    key: str | None = None
    authors: tuple[str, ...] = ()
    et_al: bool = False
    year: str | None = None
    suffix: str | None = None
    locator: str | None = None
    narrative: bool = False
    column: int = 1


class _Lines:
    """Maps offsets in a dehyphenated text back to line numbers of the original."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.removed: list[tuple[int, int]] = []  # (offset in output, newlines removed before it)
        out: list[str] = []
        pos = 0
        shift = 0
        newlines = 0
        for m in _HYPHEN_BREAK.finditer(text):
            out.append(text[pos : m.start() + 1])
            newlines += text.count("\n", m.start(), m.end())
            shift += m.end() - 1 - (m.start() + 1)
            out_offset = m.end() - 1 - shift
            self.removed.append((out_offset, newlines))
            pos = m.end() - 1
        out.append(text[pos:])
        self.text = "".join(out)
        self.newline_offsets = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self._removed_offsets = [o for o, _ in self.removed]

    def line_of(self, offset: int) -> int:
        """The 1-based line in the original text of ``offset`` in the dehyphenated text."""
        line = bisect.bisect_right(self.newline_offsets, offset - 1) + 1
        i = bisect.bisect_right(self._removed_offsets, offset)
        return line + (self.removed[i - 1][1] if i else 0)

    def column_of(self, offset: int) -> int:
        """The 1-based column of ``offset`` in its line of the original text (a line joined to
        the one before at a hyphen break starts where the break was)."""
        before = bisect.bisect_right(self.newline_offsets, offset - 1)
        start = self.newline_offsets[before - 1] + 1 if before else 0
        i = bisect.bisect_right(self._removed_offsets, offset)
        if i and self._removed_offsets[i - 1] > start:
            start = self._removed_offsets[i - 1]
        return offset - start + 1


def scan(text: str) -> list[Found]:
    """Every citation in ``text``, in order of appearance."""
    lines = _Lines(text)
    flat = lines.text
    found: list[tuple[int, Found]] = []
    for m in _LATEX_CITE.finditer(flat):
        at = m.start(1)
        for key in m.group(1).split(","):
            if key.strip():
                # Each key is placed (line and column) where it stands, so that of
                # \cite{a,b} the one that is wrong is pointed at.
                where = at + len(key) - len(key.lstrip())
                found.append(
                    (
                        where,
                        Found(
                            lines.line_of(where),
                            m.group(0),
                            key=key.strip(),
                            column=lines.column_of(where),
                        ),
                    )
                )
            at += len(key) + 1
    for m in _PANDOC.finditer(flat):
        key = m.group(2).rstrip(".:;,?!")
        if not key or _looks_like_email_or_handle(flat, m):
            continue
        at = m.start()
        found.append(
            (
                at,
                Found(
                    lines.line_of(at), f"{m.group(1)}@{key}", key=key, column=lines.column_of(at)
                ),
            )
        )
    for m in _PAREN.finditer(flat):
        content = m.group(1)
        if "@" in content or not _HAS_YEAR.search(content):
            continue
        if _YEARS_ONLY.match(content):
            found.extend((m.start(), f) for f in _narrative(flat, m, lines))
        else:
            at = m.start()
            found.extend(
                (at, f) for f in _parenthetical(content, lines.line_of(at), lines.column_of(at))
            )
    found.sort(key=lambda pair: pair[0])
    return [f for _, f in found]


def _looks_like_email_or_handle(text: str, m: re.Match[str]) -> bool:
    """``@user@host`` (a fediverse handle) is not a citation; e-mails the pattern excludes."""
    end = m.end()
    return end < len(text) and text[end : end + 1] == "@"


def _clean_name(token: str) -> str:
    """A name token without leading "véase", "cf." and the like."""
    return " ".join(_LEADING_WORDS.sub("", token.strip()).strip(" ,;:").split())


def _is_name(token: str) -> bool:
    """Whether a token can be an author phrase: it has a capitalised word."""
    return bool(re.search(r"[A-ZÁÉÍÓÚÑÜ]", token)) and not re.search(r"\d", token)


def _parenthetical(content: str, line: int, column: int) -> list[Found]:
    """Citations in "(Piore y Sabel, 1984; Capecchi, 1990)", or separated by commas in bad print."""
    out: list[Found] = []
    for group in content.split(";"):
        names: list[str] = []
        last_author: tuple[str, tuple[str, ...], bool] | None = None
        for raw in group.split(","):
            token = raw.strip()
            if not token:
                continue
            year_match = _YEAR_TOKEN.match(token)
            name_year = None if year_match else _NAME_YEAR.match(token)
            if name_year and _is_name(_clean_name(name_year.group(1))):
                names.append(_clean_name(name_year.group(1)))
                year_match = re.match(
                    rf"({YEAR})([a-z])?", name_year.group(2) + (name_year.group(3) or "")
                )
            if year_match:
                if names:
                    phrase = ", ".join(names)
                    parsed = split_authors(phrase)
                    last_author = (phrase, parsed.surnames, parsed.et_al)
                    names = []
                if last_author is None:
                    continue
                phrase, surnames, et_al = last_author
                year, suffix = year_match.group(1), year_match.group(2)
                if surnames:
                    out.append(
                        Found(
                            line,
                            f"{phrase}, {year}{suffix or ''}",
                            authors=surnames,
                            et_al=et_al,
                            year=year,
                            suffix=suffix,
                            column=column,
                        )
                    )
            elif _LOCATOR.match(token) and out and last_author is not None:
                out[-1] = replace(out[-1], locator=token)
            elif _is_name(_clean_name(token)):
                if last_author is not None and not names:
                    last_author = None
                names.append(_clean_name(token))
            else:
                names = []
    return out


def _narrative(text: str, m: re.Match[str], lines: _Lines) -> list[Found]:
    """Citations in "Schmitz (1995)", "Pedersen y otros (1994)", "Perulli mismo (1992)"."""
    window = text[max(0, m.start() - 160) : m.start()]
    words = re.findall(r"\S+", window.replace("\n", " "))
    taken: list[str] = []
    filler_used = False
    while words:
        word = words.pop()
        bare = word.rstrip(",")
        if re.fullmatch(r"(?:et|el|ct)\.?|al\.?|otros|otras|cols?\.?|others", bare, re.IGNORECASE):
            taken.append(word)
            continue
        if re.fullmatch(r"y|and|e|&|~", bare) and taken:
            taken.append(word)
            continue
        if re.fullmatch(r"de|del|la|las|los|von|van|der|den|di|da|dei|du|le", bare) and taken:
            taken.append(word)
            continue
        if word in _SENTENCE_WORDS:
            break
        if re.fullmatch(r"[A-ZÁÉÍÓÚÑÜ][\w'’.-]*,?", word) and not re.search(r"\d", word):
            if word.endswith(",") and not taken:
                break
            taken.append(word)
            continue
        if not taken and not filler_used and re.fullmatch(r"[a-záéíóúñ]{3,10}", word):
            # one word between name and year: "Perulli mismo (1992)"
            filler_used = True
            taken.append("\0")
            continue
        break
    taken = [w for w in taken if w != "\0"]
    while taken and re.fullmatch(r"y|and|e|&|~|,|de|del|la|las|los|dei", taken[-1].rstrip(",")):
        taken.pop()
    if not taken or not any(re.match(r"[A-ZÁÉÍÓÚÑÜ]", w) for w in taken):
        return []
    phrase = " ".join(reversed(taken)).strip(" ,")
    parsed = split_authors(phrase)
    if not parsed.surnames:
        return []
    line = lines.line_of(m.start())
    column = lines.column_of(m.start())
    out = []
    parts = [p.strip() for p in re.split(r"[,:]", m.group(1))]
    locator = None
    for part in parts:
        ym = _YEAR_TOKEN.match(part)
        if ym:
            out.append(
                Found(
                    line,
                    f"{phrase} ({ym.group(0)})",
                    authors=parsed.surnames,
                    et_al=parsed.et_al,
                    year=ym.group(1),
                    suffix=ym.group(2),
                    narrative=True,
                    column=column,
                )
            )
        elif part:
            locator = part
    if locator and out:
        out[-1] = replace(out[-1], locator=locator)
    return out
