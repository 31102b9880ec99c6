"""LaTeX in field values decoded to plain Unicode (pylatexenc), cheaply when there is none."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from argmap.base.patterns import lazy

# What sends a value through pylatexenc: commands, math, ties, TeX quotes and dashes. Anything
# else only loses its braces.
_MARKUP = re.compile(r"[\\$~`]|''|--")


def latex_to_text(value: str) -> str:
    """Decode LaTeX (accents, braces, commands, quotes, dashes) to plain Unicode; no backslash,
    brace or backquote is left; cheap when there is no markup, or none but accented letters."""
    if not _MARKUP.search(value):
        return " ".join(value.replace("{", "").replace("}", "").split())
    if "\\" in value and "$" not in value:
        plain = _ACCENTED.sub(_accented, value)
        if _PLAIN.fullmatch(plain):
            return " ".join(plain.replace("{", "").replace("}", "").split())
    return _pylatexenc_to_text(value)


# Accented letters as .bib files write their names ({\'e}, \"u, {\c{c}}, {\o}), decoded without
# pylatexenc (whose import and macro tables cost ~30 ms, for a few labels): each is the letter
# and its combining mark, composed (NFC), exactly as pylatexenc gives it -- tests/bib/test_latex.py
# holds the two equal for every form below and on generated values around them.
_MARKS = {
    **{"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303"},
    **{"=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306"},
    **{"H": "\u030b", "k": "\u0328", "r": "\u030a", "d": "\u0323"},
}
_LETTERS = {
    **{"o": "ø", "O": "Ø", "ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ"},
    **{"oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"},
}
# (\i and \j are commands: pylatexenc reads a letter after them, any letter, as part of the
# command's name, and drops the blanks after it; those go to it)
_LETTER = r"([A-Za-z]|\\[ij](?![\w\s]))"
_ACCENTED = re.compile(
    "|".join(
        (
            # {\'e} {\' e} {\'{e}} and \'e \'{e}: an accent written with a symbol
            r"\{\\([.'`^\"~=]) ?(?:" + _LETTER + r"|\{" + _LETTER + r"\})\}",
            r"\\([.'`^\"~=])(?:" + _LETTER + r"|\{" + _LETTER + r"\})",
            # {\c c} {\c{c}} and \c{c}: an accent written with a letter
            r"\{\\([cvuHkrd])(?: " + _LETTER + r"| ?\{" + _LETTER + r"\})\}",
            r"\\([cvuHkrd])\{" + _LETTER + r"\}",
            # {\o} {\ss}: a letter of its own
            r"\{\\(oe|OE|ss|aa|AA|ae|AE|[oOlLij])\}",
        )
    )
)
# What may stay around them for the value to be decoded so: no other command, no math, tie,
# TeX quote, dash, comment or special character that pylatexenc would read.
_PLAIN = re.compile(r"(?:[^\\$~`%&#^_<>'!?-]|'(?!')|-(?!-))*")


def _accented(match: re.Match[str]) -> str:
    """One accented letter of ``_ACCENTED``, composed."""
    groups = match.groups()
    if groups[-1] is not None:
        return _LETTERS[groups[-1]]
    accent = next(g for g in groups if g is not None)
    letter = next(g for g in groups[groups.index(accent) + 1 :] if g is not None)
    return unicodedata.normalize("NFC", letter[-1] + _MARKS[accent])


def _pylatexenc_to_text(value: str) -> str:
    """``value`` decoded by pylatexenc (with the macros of .bib files taught to it)."""
    converter, walker_context = _latex_converter()
    from pylatexenc.latexwalker import LatexWalker

    try:
        walker = LatexWalker(value, latex_context=walker_context, tolerant_parsing=True)
        text = converter.nodelist_to_text(walker.get_latex_nodes()[0])
    except Exception:  # pylatexenc parses any text; odd markup must not become a traceback
        # Markup it cannot read still goes: commands' names here, braces below.
        text = re.sub(r"\\[a-zA-Z]+\*?\s*|\\(.)", r"\1", value)
    # pylatexenc turns ``...'' into curly quotes but leaves a lone `...' (TeX's single quotes),
    # and an unknown command's stray braces or backslash, as they were.
    text = text.replace("`", "‘").replace("{", "").replace("}", "").replace("\\", "")
    return " ".join(text.split())


def _argument(before: str, after: str) -> Any:
    """A pylatexenc replacement giving a macro's first argument between two strings (nothing
    when the macro has no argument, as at the end of a value)."""

    def replace(node: Any, l2tobj: Any) -> str:
        args = node.nodeargd.argnlist if node.nodeargd is not None else []
        if not args or args[0] is None:
            return ""
        return before + str(l2tobj.nodelist_to_text([args[0]])) + after

    return replace


@lru_cache(maxsize=1)
def _latex_converter() -> tuple[Any, Any]:
    """One pylatexenc converter and parsing context (building their macro tables costs more
    than a conversion), taught the macros of .bib files pylatexenc would drop with their text:
    ``\\TeX``, ``\\LaTeX``, biblatex's ``\\hyphen`` and ``\\mkbibquote`` and the like."""
    from pylatexenc import latexwalker, macrospec
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    with_argument = ["mkbibquote", "mkbibemph", "mkbibitalic", "mkbibbold", "mkbibacro"]
    texts = [
        MacroTextSpec("TeX", "TeX"),
        MacroTextSpec("LaTeX", "LaTeX"),
        MacroTextSpec("LaTeXe", "LaTeX2e"),
        MacroTextSpec("BibTeX", "BibTeX"),
        MacroTextSpec("hyphen", "-"),
        MacroTextSpec("hyph", "-"),
        MacroTextSpec("mkbibquote", _argument("“", "”")),
        *(MacroTextSpec(name, _argument("", "")) for name in with_argument[1:]),
    ]
    text_db = get_default_latex_context_db()
    text_db.add_context_category("argmap-bib", prepend=True, macros=texts)
    walker_db = latexwalker.get_default_latex_context_db()
    specs = [macrospec.MacroSpec(name, "{") for name in with_argument]
    walker_db.add_context_category("argmap-bib", prepend=True, macros=specs)
    return LatexNodes2Text(math_mode="verbatim", latex_context=text_db), walker_db


# Accent commands: a brace group that starts with one of these is part of a word ({\"u}),
# not a protected span.
_ACCENTS = set("\"'`^~=.") | {
    "c",
    "v",
    "u",
    "H",
    "k",
    "r",
    "d",
    "b",
    "t",
    "i",
    "j",
    "o",
    "O",
    "l",
    "L",
    "ss",
    "ae",
    "AE",
    "oe",
    "OE",
    "aa",
    "AA",
}
_SENTENCE_END = lazy(r"[:?!.][”’\"')\]]*$")
_SPACES = lazy(r"(\s+)")
_FIRST_COMMAND = lazy(r"\\([a-zA-Z]+|.)")
_LAST_COMMAND = lazy(r"\\[a-zA-Z]+\s*$")


def sentence_case(value: str) -> str:
    """A title-cased BibTeX value in sentence case, decoded: as pandoc (and CSL, which expects
    sentence case in its data) does for English titles.

    Each word written Capitalised (its first letter upper case, the rest lower, hyphenated
    parts alike) is lowered, except the first word and the first after ``:``, ``?``, ``!`` or
    ``.``, which are capitalised; words with other capitals (SME, McDonald, iPhone) and spans
    in braces stay as written.
    """
    out: list[str] = []
    start = True
    for raw, protected in _brace_spans(value):
        text = _decode_keeping_edges(raw)
        if protected:
            out.append(text)
            start = start and not text.strip()
            continue
        pieces = _SPACES().split(text)
        for index, piece in enumerate(pieces):
            if index % 2 or not piece:
                out.append(piece)
                continue
            if start:  # the first part capitalised, the rest of a hyphenated word as usual
                first, hyphen, rest = piece.partition("-")
                out.append(_capitalise(first) + hyphen + _lower_capitalised(rest))
            else:
                out.append(_lower_capitalised(piece))
            start = bool(_SENTENCE_END().search(piece))
    return " ".join("".join(out).split())


def _capitalise(word: str) -> str:
    """``word`` with its first letter in upper case (a sentence's first word)."""
    for i, char in enumerate(word):
        if char.isalpha():
            return word[:i] + char.upper() + word[i + 1 :]
    return word


def _lower_capitalised(word: str) -> str:
    """``word`` with each hyphen-separated part lowered if it is merely Capitalised."""
    parts = word.split("-")
    for i, part in enumerate(parts):
        letters = [c for c in part if c.isalpha()]
        if letters and letters[0].isupper() and not any(c.isupper() for c in letters[1:]):
            parts[i] = part.lower()
    return "-".join(parts)


def _brace_spans(value: str) -> list[tuple[str, bool]]:
    """``value`` cut into (text, protected) spans: a top-level brace group is protected unless
    it is an accented letter such as ``{\\"u}``, which stays inside its word, or a command's
    argument (``\\emph{...}``)."""
    spans: list[tuple[str, bool]] = []
    depth, begin, run_begin = 0, 0, 0
    for i, char in enumerate(value):
        if char == "{":
            if depth == 0:
                begin = i
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                inner = value[begin + 1 : i]
                command = _FIRST_COMMAND().match(inner)
                argument = _LAST_COMMAND().search(value[run_begin:begin])
                if argument is None and (command is None or command[1] not in _ACCENTS):
                    spans.append((value[run_begin:begin], False))
                    spans.append((value[begin : i + 1], True))
                    run_begin = i + 1
    spans.append((value[run_begin:], False))
    return [(text, protected) for text, protected in spans if text]


def _decode_keeping_edges(raw: str) -> str:
    """``raw`` decoded, with the whitespace at its two ends kept (spans are decoded apart)."""
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()) :]
    core = latex_to_text(raw)
    return f"{lead and ' '}{core}{trail and ' '}" if core else (" " if lead or trail else "")
