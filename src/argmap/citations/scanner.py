"""Finding in-text citations in manuscripts: LaTeX \\cite commands, pandoc [@key] citations, and
running-text author–year citations in Spanish and English, OCR noise included.

Every pattern is bounded (no nested quantifiers over the same characters), so scanning stays
linear in the size of the text whatever it holds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import lru_cache

from argmap.base.patterns import lazy
from argmap.bib.names import PARTICLES
from argmap.citations.found import IN_PRESS, UNDATED, Found
from argmap.citations.printed import (
    as_printed,
    ends_in_et_al,
    et_al_at_end,
    plain_et_al,
    split_authors,
)
from argmap.manuscripts.commands import CITE_COMMANDS, MULTICITE_COMMANDS
from argmap.manuscripts.spans import Span, Syntax

YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_YEAR_TOKEN = re.compile(rf"^({YEAR})([a-z])?$")
_NAME_YEAR = re.compile(rf"^(.*?\S)\s+({YEAR})([a-z])?(?:\s*:\s*(\S.{{0,40}}))?$")
_LOCATOR = re.compile(
    r"^(?:p|pp|pág|págs|pag|cap|chap|ch|sec|secc|§|n|nota|vol|fig)\.?\s*[\dIVXLCivxlc][\w\s–-]*$",
    re.IGNORECASE,
)
# The words that may open a parenthetical citation before its authors, as APA and Chicago
# author-date usage writes them: "(see Smith, 2015)", "(reviewed in Smith et al., 2015)",
# "(adapted from Smith, 2015)".
_LEADING_WORDS = re.compile(
    r"^(?:(?:véase|vease|ver|cf|see|e\.g|i\.e|por ejemplo|also|también|tambien|además|"
    r"citado en|as cited in|cited in|reviewed in|reviewed by|for a review,? see|for reviews,? see|"
    r"adapted from|modified from|data from|en|in)\b\.?,?\s*)+",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _latex_cite() -> re.Pattern[str]:
    """The pattern of every cite command, compiled the first time a text has a backslash (about
    0.6 ms, which a Markdown manuscript without one need not pay)."""
    return re.compile(
        r"\\("
        + "|".join(sorted(MULTICITE_COMMANDS + CITE_COMMANDS, key=len, reverse=True))
        + r")(?![A-Za-z@])\*?"
    )


_MULTICITE = frozenset(MULTICITE_COMMANDS)
# An optional argument: brackets hold no ']' (nor a blank line); bounded so scanning is linear.
_OPT_ARG = lazy(r"\s{0,40}\[([^\]]{0,400})\]")
_PAREN_ARG = lazy(r"\s{0,40}\(([^()]{0,400})\)")
# The keys: braces cannot occur in them, so the bounded class keeps the search linear.
_KEYS_ARG = lazy(r"\s{0,40}\{([^{}]{1,20000})\}")
# Quarto cross-reference prefixes (``@fig-x``): labels of the document, never bibliography keys.
_CROSSREF_PREFIXES = (
    "fig tbl sec eq lst thm lem cor prp cnj def exm exr sol rem tip nte wrn imp cau".split()
)
# (in any case: Quarto's ``refType`` lowers the prefix, so ``@Fig-x`` prints "Figure 1")
_CROSSREF = re.compile(r"^(?:" + "|".join(_CROSSREF_PREFIXES) + r")-", re.IGNORECASE)
# Pandoc citations, as ``(?<![\w@.+\\-])(-?)@(key)`` finds them, found from their "@" (a
# literal, searched at C speed, where the look-behind made the engine try every position);
# ``_pandoc_matches`` applies the look-behind by hand.
# A key begins with a letter, digit or "_", Unicode letters included (pandoc's MANUAL; 2.17
# and 3.9 read ``@пункт3`` and ``[@Ångström1990]``): ``\w`` for the first character is
# the class of pandoc's ``isAlphaNum`` or "_" (it was ``[A-Za-z0-9_]``).
_PANDOC_AT = re.compile(r"@(?:(\w[\w:.#$%&+?<>~/-]{0,200})|\{)")
_PANDOC_BEFORE = re.compile(r"[\w@.+\\-]")
_PAREN = re.compile(r"\(([^()]{1,400})\)")
_YEARS_ONLY = re.compile(
    rf"^\s*{YEAR}[a-z]?(?:\s*,\s*{YEAR}[a-z]?)*(?:\s*[,:]\s*[^()]{{1,40}})?\s*$"
)
_HAS_YEAR = re.compile(rf"\b{YEAR}[a-z]?\b")
# Works without a date, as the styles print them in place of the year: APA's "n.d." and "in
# press" (and their "-a" suffixes, "n.d.-a"), Spanish "s.f.", "en prensa", Portuguese "s.d.",
# "no prelo", German "o.J.", "im Druck", French "s.d.", "sous presse", "à paraître", English
# "forthcoming". Read as the year "n.d." or "in press", each matched against entries with no
# year or with that state (``argmap.citations.matcher``).
_UNDATED_WORDS = (
    r"(?:(?:s\.\s?f|n\.\s?d|s\.\s?d|o\.\s?j)\.|sin fecha|no date|sem data|sans date|ohne jahr)"
)
_IN_PRESS_WORDS = (
    r"in press|en prensa|forthcoming|no prelo|im druck|sous presse|à paraître|a paraître"
)
_UNDATED_TOKEN = lazy(
    rf"^(?:({_UNDATED_WORDS})|({_IN_PRESS_WORDS}))(?:\s?-\s?([a-z]))?$", re.IGNORECASE
)
_HAS_UNDATED = re.compile(rf"(?<!\w)(?:{_UNDATED_WORDS}|{_IN_PRESS_WORDS})", re.IGNORECASE)
# "(Pérez o. J.)", "(Smith n.d.)": names and the mark without a comma, as Chicago and German
# styles (Citavi's) print them
_NAME_UNDATED = lazy(
    rf"^(.*?\S)\s+((?:{_UNDATED_WORDS}|{_IN_PRESS_WORDS})(?:\s?-\s?[a-z])?)$", re.IGNORECASE
)
_UNDATED_ONLY = re.compile(
    rf"^\s*(?:{_UNDATED_WORDS}|{_IN_PRESS_WORDS})(?:\s?-\s?[a-z])?(?:\s*[,:]\s*[^()]{{1,40}})?\s*$",
    re.IGNORECASE,
)
_HYPHEN_BREAK = lazy(r"(\w)-[ \t]*\n[ \t]*(\w)")
# Quoted passages of a paragraph: curly, German, French/Spanish and LaTeX quotation marks, and
# \enquote{}; straight double quotes where the syntax has no other use for them (not LaTeX,
# where babel's German shorthands write "a and "`). A typed author–year citation inside one is
# the quoted author's, or an example of wording ("don't say 'In Smith et. al. (2009) we
# showed'"): APA 7 (8.32) leaves the works cited in a quotation out of the reference list.
_QUOTED = lazy(
    r"“[^“”]{1,600}”|„[^„“”]{1,600}[“”]|«[^«»]{1,600}»|``(?:(?!'')[^`]){1,600}''"
    r"|\\(?:enquote|textquote)\*?\s*\{[^{}]{1,600}\}"
)
_STRAIGHT_QUOTED = lazy(r'(?<![\w"])"(?=[^\s"])[^"]{1,600}(?<=[^\s"])"(?!\w)')
# What may stand between a citation and the closing quotation mark for the citation to be the
# writer's own, closing the quotation ("… as we know (Smith, 2009).”)
_CLOSES_QUOTE = lazy(r"[\s.,;:!?]*(?:”|“|»|''|\}|\")")
# What a hyphen break starts with: a literal, so a text without one is ruled out at C speed.
_HYPHEN_NEWLINE = re.compile(r"-[ \t]*\n")
_CAPITAL = re.compile(r"[A-ZÁÉÍÓÚÑÜ]")
_DIGIT = re.compile(r"\d")
_YEAR_AND_SUFFIX = lazy(rf"({YEAR})([a-z])?")
_LOCATOR_SPLIT = re.compile(r"[,:]")
# The words of a narrative phrase, read from the year backwards (its "et al." form, if any,
# is cut off first).
# (French "et" and German "und" too: "Dupont et Martin (2005)", "Müller und Schmidt (2004)")
_CONNECTOR_WORDS = frozenset("y and e & ~ et und".split())
_PARTICLE_WORDS = frozenset("de del la las los von van der den di da dei du le".split())
_NAME_WORD = re.compile(r"[A-ZÁÉÍÓÚÑÜ][\w'’.-]*,?")
# The words that may stand between a narrative citation's names and its year: the author
# himself ("Perulli mismo (1992)"). Any other word there makes it prose: "the Castro code
# (2015)" is no citation of Castro; APA and Chicago put nothing between names and year.
_BETWEEN_WORDS = frozenset("mismo misma mismos mismas himself herself themselves".split())
# A LaTeX tie between words ("Smith et~al.~(2015)") is a space; a "~" standing alone is an
# OCR rendering of "y" and stays.
_TIE = lazy(r"(?<=[\w.}*])~(?=[\w(\\{*])")
# Lower-case words that may open a surname: "van der Berg", "de la Cruz", "dos Santos" — the
# surname reader's particles ("y" is a connector here) and a few it does not fold away.
_PARTICLES = (PARTICLES - {"y"}) | frozenset("dei ten ter".split())
# Connectors between names, and the lower-case words an organisation's name may hold ("Food
# and Agriculture Organization of the United Nations").
_CONNECTORS = frozenset("and y e & und".split())
_IN_NAMES = _PARTICLES | _CONNECTORS | frozenset("of the for on".split())
_TRAILING_WORDS = frozenset("y and e & ~ , de del la las los dei".split())
# Dates are not authors: "(December 2019)", "(primavera de 2019)".
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre "
    "diciembre primavera verano otoño invierno".split()
)
_OTHER_DATE_WORDS = frozenset(
    # Spanish, Portuguese, French and German months and their abbreviations ("Ene-Jun 2025",
    # "(jan.-jun. 2020)"), and the Spanish and Portuguese words for a year or term of accounts
    # ("(Gestión 2025)", Bolivia and Peru's fiscal year: a real thesis's table captions); not
    # "Mai" and "Mars", which are surnames too; others are surnames as well (Avril, Maio,
    # Marco, Juin), read as such before a comma ("(Avril, 2011)": _surname_before_comma)
    "ene abr ago dic janeiro fevereiro março marco maio junho julho setembro outubro novembro "
    "dezembro fev out dez janvier février fevrier avril juin juillet août aout "
    "septembre octobre novembre décembre decembre januar februar märz maerz juni juli oktober "
    "dezember okt dez gestión gestion año ejercicio periodo período semestre trimestre "
    "cuatrimestre bimestre ano exercício exercicio".split()
)
_DATE_WORDS |= _OTHER_DATE_WORDS
# Words that say a year is a date, not a work's: "(Expected 2024)" in a CV, "(Est. 2019)"
# (none is a surname in a bibliography argmap was tried on); and the prefixes of a month
# joined by a hyphen, "(pre-Mar 2023)", "(mid-May 2021)" (a methods section's batches), which
# alone ("Post", "Early") are surnames too
_DATE_QUALIFIERS = frozenset("expected anticipated projected estimated est circa".split())
_MONTH_PREFIXES = frozenset("pre post mid early late end".split())
_PREFIXED_DATE = _DATE_WORDS | _MONTH_PREFIXES
# Sentence adverbs and connectives that open a sentence with a comma ("Similarly, Saffari
# (2010)", "Notably, Bolme (2010)"): a narrative phrase stops at them.
_SENTENCE_ADVERBS = frozenset(
    "Similarly Notably Additionally Consequently Recently Finally Interestingly Importantly "
    "Specifically Alternatively Conversely Subsequently Accordingly Previously Originally "
    "Initially Generally Typically Usually Clearly Unfortunately Fortunately Essentially "
    "Ultimately Particularly Especially Moreover Furthermore However Nevertheless Nonetheless "
    "Indeed Therefore Meanwhile Likewise Instead Otherwise Hence Thus Later Earlier Here First "
    "Second Third Next Lastly Overall Again Still Further Secondly Thirdly Firstly".split()
)
# The last words of software whose version is a year ("LuaLaTeX (TeX Live 2024)", "(Windows
# 2000)", "Visual Studio 2022", "(Excel 2019)"): such a phrase is read as a citation only if it
# names an entry (a company or program may be an author), as words alone cannot tell it from
# "(Smith 2024)".
_PRODUCT_WORDS = frozenset(
    "Live MacTeX Windows Office Studio Server Excel Word PowerPoint Outlook Access AutoCAD "
    "Revit".split()
)
# A form of "to be" before a single name: "the movie used is Inception (2010)" names a thing
# its year dates; such a phrase counts only if it names an entry.
_COPULAS = frozenset("is was are were be been".split())
# Text before names with no space after a comma ("Yang,Jiang, Hauptmann and Ngo (2007)")
_COMMA_BEFORE_NAME = re.compile(r",(?=[A-ZÁÉÍÓÚÑÜ])")
# The English possessive after the last surname of a narrative citation: "Cohen's (1988)",
# "Cohen’s", "Jones' (2015)"; the surname is Cohen, Jones.
_POSSESSIVE = re.compile(r"(?<=\w)['’]s$|(?<=s)['’]$")
# Capitalised words that open sentences, not names: a narrative phrase stops at them.
_SENTENCE_WORDS = frozenset(
    "Según Como Ya En Para Por Pero Sin Con Así Aunque Cuando Desde Donde Tanto También "
    "Incluso Mientras Finalmente Además Embargo Luego Entonces Asimismo As In According "
    "For But And Since While Also Following Unlike Like See Cf Both Even Yet Thus Hence "
    # Portuguese, French and German: "Segundo Freire (1987)", "Selon Dupont (2005)", "Laut
    # Müller (2004)" name Freire, Dupont, Müller
    "Segundo Conforme Também Porém Contudo Entretanto Assim Portanto Selon Pour Dans Comme "
    "Mais Ainsi Aussi Laut Gemäß Nach Und Aber Auch Wie "
    # a figure's source, as captions credit it: "Adaptada de Wessel (2019)" names Wessel
    "Adaptado Adaptada Adaptados Adaptadas Tomado Tomada Basado Basada Baseado Baseada "
    "Extraído Extraída Modificado Modificada Elaborado Elaborada Adapted Modified "
    "Reproduced".split()
)
# A work cited through another inside a narrative citation's parentheses: "García (2015,
# citado en Pérez, 2016)", "Smith (2015, as cited in Jones, 2016)": the later year is Pérez's.
_CITED_IN = lazy(
    r",\s*(?=(?:citado (?:en|por)|cit\. (?:en|por)|as cited in|cited in|apud|cité (?:par|dans)|"
    r"zitiert nach)\s)",
    re.IGNORECASE,
)


class _Lines:
    """Maps offsets in a dehyphenated text back to line numbers of the original."""

    def __init__(self, text: str) -> None:
        self.removed: list[tuple[int, int]] = []  # (offset in output, newlines removed before it)
        if _HYPHEN_NEWLINE.search(text) is not None:
            out: list[str] = []
            pos = 0
            shift = 0
            newlines = 0
            for m in _HYPHEN_BREAK().finditer(text):
                out.append(text[pos : m.start() + 1])
                newlines += text.count("\n", m.start(), m.end())
                shift += m.end() - 1 - (m.start() + 1)
                out_offset = m.end() - 1 - shift
                self.removed.append((out_offset, newlines))
                pos = m.end() - 1
            out.append(text[pos:])
            text = "".join(out)
        self.text = text
        offsets = []
        at = text.find("\n")
        while at >= 0:
            offsets.append(at)
            at = text.find("\n", at + 1)
        self.newline_offsets = offsets
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


def scan(
    text: str,
    *,
    latex: bool = True,
    pandoc: bool = True,
    author_year: bool = True,
) -> list[Found]:
    """Every citation in ``text``, in order of appearance: LaTeX cite commands, pandoc
    ``@key`` citations (never Quarto cross-references such as ``@fig-x``) and running-text
    author–year citations, each as asked."""
    lines = _Lines(text)
    flat = lines.text
    found: list[tuple[int, Found]] = []
    if latex and "\\" in flat:
        found.extend(_latex_cites(flat, lines))
    if pandoc and "@" in flat:
        for at, minus, raw, end in _pandoc_matches(flat):
            braced = raw.startswith("{")
            # a braced key is taken whole, its final punctuation too (pandoc's manual)
            key = raw[1:-1] if braced else raw.rstrip(".:;,?!")
            if not key or flat[end : end + 1] == "@" or _CROSSREF.match(key):
                # ``@user@host`` (a fediverse handle) is not a citation; e-mails the
                # look-behind excludes
                continue
            found.append(
                (
                    at,
                    Found(
                        lines.line_of(at),
                        f"{minus}@{raw if braced else key}",
                        key=key,
                        column=lines.column_of(at),
                    ),
                )
            )
    if author_year and "(" in flat:
        quoted = _quoted(flat, straight=pandoc or not latex) if _has_quote_mark(flat) else []
        for m in _PAREN.finditer(flat):
            content = m.group(1)
            if "@" in content or (
                not _HAS_YEAR.search(content) and not _HAS_UNDATED.search(content)
            ):
                continue
            if quoted and _in_quotation(flat, quoted, m.start(), m.end()):
                continue
            if _YEARS_ONLY.match(content) or _UNDATED_ONLY.match(content):
                cited_in = _CITED_IN().search(content) if "," in content else None
                if cited_in is None:
                    found.extend((m.start(), f) for f in _narrative(flat, m, lines))
                else:
                    own, through = content[: cited_in.start()], content[cited_in.end() :]
                    found.extend((m.start(), f) for f in _narrative(flat, m, lines, own))
                    at = m.start() + 1 + cited_in.end()
                    found.extend(
                        (at, f)
                        for f in _parenthetical(through, lines.line_of(at), lines.column_of(at))
                    )
            else:
                at = m.start()
                found.extend(
                    (at, f) for f in _parenthetical(content, lines.line_of(at), lines.column_of(at))
                )
    found.sort(key=lambda pair: pair[0])
    return [f for _, f in found]


def _has_quote_mark(text: str) -> bool:
    """Whether ``text`` may hold a quotation (tests of literals, at C speed: a pattern of the
    marks scanned each span whole and cost a fifth of the scanning time)."""
    return (
        '"' in text or "“" in text or "„" in text or "«" in text or "``" in text or "quote" in text
    )


def _quoted(text: str, *, straight: bool) -> list[tuple[int, int]]:
    """The (start, end) of every quoted passage of ``text``, in order (straight double quotes
    too when ``straight``)."""
    spans = [m.span() for m in _QUOTED().finditer(text)]
    if straight and '"' in text:
        spans += [m.span() for m in _STRAIGHT_QUOTED().finditer(text)]
        spans.sort()
    return spans


def _in_quotation(text: str, quoted: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the parenthesis at ``start``–``end`` stands inside a quoted passage, and does
    not close it (a citation just before the closing mark is the writer's own)."""
    i = bisect.bisect_right(quoted, (start, len(text))) - 1
    if i < 0:
        return False
    q_start, q_end = quoted[i]
    if not q_start < start or end > q_end:
        return False
    return _CLOSES_QUOTE().match(text, end) is None


def _latex_cites(flat: str, lines: _Lines) -> list[tuple[int, Found]]:
    """Every key of every natbib/biblatex cite command; ``\\nocite{*}`` cites no key."""
    out: list[tuple[int, Found]] = []
    for m in _latex_cite().finditer(flat):
        command = m.group(1)
        pos = m.end()
        groups: list[tuple[str, int]] = []
        if command in _MULTICITE:
            for _ in range(2):
                paren = _PAREN_ARG().match(flat, pos)
                if paren is None:
                    break
                pos = paren.end()
        while True:
            for _ in range(2):
                opt = _OPT_ARG().match(flat, pos)
                if opt is None:
                    break
                pos = opt.end()
            keys = _KEYS_ARG().match(flat, pos)
            if keys is None:
                break
            groups.append((keys.group(1), keys.start(1)))
            pos = end = keys.end()
            if command not in _MULTICITE:
                break
        if not groups:
            continue
        written = " ".join(flat[m.start() : end].split())
        for group, start in groups:
            names = [k.strip() for k in group.split(",")]
            # "#1" is a macro's parameter (\\newcommand\\mycite[1]{\\citep{#1}}), not a key.
            names = [k for k in names if k and k != "*" and "#" not in k]
            at = start
            for raw in group.split(","):
                key = raw.strip()
                # Each key is placed (line and column) where it stands, so that of \\cite{a,b}
                # the one that is wrong is pointed at, on its own line if the list runs over.
                where = at + len(raw) - len(raw.lstrip())
                at += len(raw) + 1
                if key not in names:
                    continue
                # the command as written, on one line; a row names its key apart
                shown = written
                out.append(
                    (
                        where,
                        Found(
                            lines.line_of(where),
                            " ".join(shown.split()),
                            key=key,
                            column=lines.column_of(where),
                        ),
                    )
                )
    return out


def _pandoc_matches(text: str) -> Iterator[tuple[int, str, str, int]]:
    """What ``(?<![\\w@.+\\\\-])(-?)@(key)`` finds, as (start, "-" or "", key, end): each "@"
    and its key, kept when the character before it (before its "-", if one stands there) is
    none that the look-behind refuses and was not taken by the match before. A braced key
    (``@{key}``) is given with its braces."""
    taken = 0  # the end of the last match: the pattern scans on from there
    before = _PANDOC_BEFORE.match
    for m in _PANDOC_AT.finditer(text):
        at = m.start()
        key = m.group(1)
        end = m.end()
        if key is None:
            end = _braced_key_end(text, end)
            if end < 0:
                continue
            key = text[m.start() + 1 : end]
        minus = ""
        if at and text[at - 1] == "-":
            # "-@key" (pandoc's author-suppressed form) starts at its "-"; "@" after a "-"
            # that cannot start it is refused by the look-behind
            at -= 1
            minus = "-"
            if at < taken:
                continue
        if at and before(text, at - 1):
            continue
        taken = end
        yield at, minus, key, taken


def _braced_key_end(text: str, start: int) -> int:
    """The end of pandoc's braced key whose "{" ends at ``start`` (just after its closing
    brace), or -1: pandoc takes non-space characters in balanced braces (``@{a{b}c}`` is
    ``a{b}c``), and a space or line break inside makes it no citation."""
    depth = 1
    for i in range(start, min(len(text), start + 400)):
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if not depth:
                return i + 1
        elif char.isspace():
            return -1
    return -1


# The leading words an ASCII token of letters alone can be, whole (``_LEADING_WORDS`` needs a
# word boundary after each, so it takes such a token whole or not at all).
_LEADING_ASCII_WORDS = frozenset("vease ver cf see also tambien en in".split())


@lru_cache(maxsize=1 << 12)
def _clean_name(token: str) -> str:
    """A name token without leading "véase", "cf." and the like."""
    if token.isascii() and token.isalpha():
        # one plain word, the commonest token: the pattern's answer without running it
        return "" if token.lower() in _LEADING_ASCII_WORDS else token
    return _clean_name_by_pattern(token)


def _clean_name_by_pattern(token: str) -> str:
    """``_clean_name`` by its pattern, whatever the token."""
    return " ".join(_LEADING_WORDS.sub("", token.strip()).strip(" ,;:").split())


@lru_cache(maxsize=1 << 12)
def _is_name(token: str) -> bool:
    """Whether a token can be an author phrase: it has a capitalised word and is not a date."""
    if token.isalpha() and "A" <= token[0] <= "Z":
        # one word of letters with an ASCII capital first: a name unless a date word (or "De",
        # "Of"), the answer of the tests below without running them
        lowered = token.lower()
        return (
            lowered not in _DATE_WORDS
            and lowered not in ("de", "of")
            and lowered not in _DATE_QUALIFIERS
        )
    return _is_name_by_patterns(token)


def _is_name_by_patterns(token: str) -> bool:
    """``_is_name`` by its patterns, whatever the token."""
    if not _CAPITAL.search(token) or _DIGIT.search(token):
        return False
    if "$" in token:
        return False  # TeX math in it ("AZ$^\\circledR$ 1518", a product): no author's name
    words = token.lower().replace(",", " ").replace(".", " ").replace("-", " ").split()
    if words and all(w in _DATE_WORDS or w in {"de", "of"} for w in words):
        return False
    # (set operations, not generators: this runs for each new author phrase of the check)
    if words and _DATE_QUALIFIERS.issuperset(words):
        return False  # "(Est. 2019)"
    if "-" in token and not _DATE_WORDS.isdisjoint(words) and _PREFIXED_DATE.issuperset(words):
        return False  # "(pre-Mar 2023)"
    return not _is_prose(token)


def _is_prose(token: str) -> bool:
    """Whether a phrase with a capital is prose, not authors: it ends in a word all in lower
    case ("added to Microphysics in" 2015; a name ends in a name, "d'Alembert" included, or in
    "et al."), or its only capitalised words are months or seasons ("as of January" 2015)."""
    words = token.replace(",", " ").split()
    last = words[-1].strip(".;:") if words else ""
    if last.islower() and not ends_in_et_al(token):
        return True
    capitalised = [w.strip(".;:").lower() for w in words if w[:1].isupper()]
    return bool(capitalised) and all(w in _DATE_WORDS for w in capitalised)


@lru_cache(maxsize=1 << 12)
def _after_prose(name: str) -> tuple[str, bool]:
    """A name token's author phrase, and whether prose stood before it: "released by Microsoft"
    is Microsoft after "released by", "the method described by Carpenter et al." is Carpenter
    et al.; "de la Cruz", "d'Alembert", "R Core Team", "Food and Agriculture Organization of
    the United Nations" and "contributors and Martin" (a lower-case surname before a
    connector) are names as they stand."""
    cut = et_al_at_end(name)
    et_al = name[cut.start() :] if cut else ""
    words = (name[: cut.start()] if cut else name).split()
    if len(words) < 2:
        return name, False  # one word (and its "et al."): no prose before it
    first = next((i for i, w in enumerate(words) if not w.islower()), 0)
    while first and words[first - 1] in _PARTICLES:
        first -= 1
    if first and words[first - 1].lower() in _CONNECTORS:
        if first == 1:  # "(...; and Dony 2018)": a list's last "and"
            return " ".join(words[1:]) + et_al, False
        first = 0  # "contributors and Martin": a lower-case surname, then another
    # a lower-case word no name holds ends the prose: "the Stan project and described by"
    for i in range(first + 1, len(words)):
        if words[i].islower() and words[i] not in _IN_NAMES:
            first = i + 1
    if not first or first >= len(words):
        return name, False
    return " ".join(words[first:]) + et_al, True


def _parenthetical(content: str, line: int, column: int) -> list[Found]:
    """Citations in "(Piore y Sabel, 1984; Capecchi, 1990)", or separated by commas in bad print.

    Works of one author come in chronological order, so a four-digit number after a year
    that is not later than it is a page: "(Rossi and Kim 2009, 1978)" is one citation.
    """
    out: list[Found] = []
    for group in _groups(content):
        names: list[str] = []
        last_author: tuple[str, tuple[str, ...], bool, bool] | None = None
        after_prose = False  # prose stood before the names being read
        # prose stood before an earlier citation of the group: the later names may continue
        # its list ("(como el Congreso ... en Argentina 2018, OpenCon LatAm Colombia 2019)")
        prose_before = False
        prose_names = False  # that prose named something in capitals of its own
        separator = ", "  # between the author phrase and the year, as printed
        for raw in group.split(","):
            token = raw.strip()
            if not token:
                continue
            if token[0] in "-–•" and "\n" in raw:
                # a list mark that text extraction put before a line's first word
                token = token[1:].strip()
            year_match = _YEAR_TOKEN.match(token)
            name_year = None if year_match else _NAME_YEAR.match(token)
            dated = (year_match.group(1), year_match.group(2)) if year_match else None
            printed = token  # the date as printed, for an undated work
            name_undated = None
            if dated is None and name_year is None:
                if names or (
                    # "(Smith, n.d.-a, n.d.-b)"; not "(Smith, 2020, in press)", one work
                    last_author is not None and out and not (out[-1].year or "0")[:1].isdigit()
                ):
                    dated = _undated(token)
                if dated is None and _HAS_UNDATED.search(token):
                    name_undated = _NAME_UNDATED().match(token)
            locator = None
            if name_undated and _is_name(cleaned := _clean_name(name_undated.group(1))):
                if not names:
                    cleaned, after_prose = _after_prose(cleaned)
                names.append(cleaned)
                dated, printed = _undated(name_undated.group(2)), name_undated.group(2)
            elif name_year and _is_name(cleaned := _clean_name(name_year.group(1))):
                if name_year.group(1)[:1].islower() and _opens_citation(name_year.group(1)):
                    names = []  # "(for Brazil, see Chiappa 2021)": what came before is prose
                    prose_before = False
                if not names:
                    whole = cleaned
                    cleaned, after_prose = _after_prose(cleaned)
                    prose_names = after_prose and _prose_names_things(whole, cleaned)
                    after_prose = after_prose or cleaned.rsplit(None, 1)[-1] in _PRODUCT_WORDS
                names.append(cleaned)
                year_match = _YEAR_AND_SUFFIX().match(
                    name_year.group(2) + (name_year.group(3) or "")
                )
                dated = (year_match.group(1), year_match.group(2)) if year_match else None
                locator = name_year.group(4)
            elif name_year and not names and last_author is None:
                # "(December 2019)", "(Table 3 2019)": a date or a label, not a citation.
                continue
            if dated:
                if names:
                    separator = " " if name_year or name_undated else ", "
                    phrase = as_printed(", ".join(names))
                    parsed = split_authors(phrase)
                    tentative = after_prose or prose_before
                    last_author = (phrase, parsed.surnames, parsed.et_al, tentative)
                    # only prose that names things of its own continues ("como el Encuentro
                    # ... en Chile 2017, DataCon Andina Lima 2019"); after "for example" or "as
                    # in" the names are the works cited, each a citation
                    prose_before = prose_before or prose_names
                    names = []
                elif (
                    out
                    and last_author is not None
                    and year_match is not None
                    and year_match.group(2) is None
                    and out[-1].year is not None
                    and out[-1].year[:1].isdigit()
                    and out[-1].locator is None
                    and year_match.group(1) <= out[-1].year
                ):
                    out[-1] = _with_locator(out[-1], token)
                    continue
                if last_author is None:
                    continue
                phrase, surnames, et_al, tentative = last_author
                year, suffix = dated
                if surnames:
                    out.append(
                        Found(
                            line,
                            f"{phrase}{separator}"
                            + (f"{year}{suffix or ''}" if year[:1].isdigit() else printed),
                            authors=surnames,
                            et_al=et_al,
                            year=year,
                            suffix=suffix,
                            locator=locator,
                            column=column,
                            tentative=tentative,
                        )
                    )
            elif _LOCATOR.match(token) and out and last_author is not None:
                out[-1] = _with_locator(out[-1], token)
            elif _is_name(cleaned := _clean_name(token)) or _surname_before_comma(cleaned):
                if last_author is not None and not names:
                    last_author = None
                if token[:1].islower() and _opens_citation(token):
                    names = []  # "(for Brazil, see Chiappa & Finardi, 2021)": "for Brazil" is prose
                    prose_before = False
                if not names:
                    whole = cleaned
                    cleaned, after_prose = _after_prose(cleaned)
                    prose_names = after_prose and _prose_names_things(whole, cleaned)
                    # "(March, 2019)" may still be a date: a citation if March is an author
                    after_prose = after_prose or cleaned.lower() in _SURNAME_MONTHS
                names.append(cleaned)
            else:
                names = []
    return out


def _prose_names_things(whole: str, name: str) -> bool:
    """Whether the prose ``_after_prose`` cut from ``whole`` before the author phrase ``name``
    holds a capitalised word ("como el Encuentro de Datos Abiertos en" Chile): prose that names
    things of its own, whose list the later names of the group may continue; not "for example"
    or "as in", after which the names are the works cited."""
    words = whole.split()
    prose = words[: max(len(words) - len(name.split()), 0)]
    return any(word[:1].isupper() for word in prose)


def _opens_citation(token: str) -> bool:
    """Whether a later token of a parenthetical opens with the words a citation opens with
    ("see", "véase", "cf."): the names before it were prose ("for Brazil, see Chiappa &
    Finardi, 2021", "para Chile, véase Pérez, 2020"), and the citation starts here."""
    # those words are written in lower case, names are not: the pattern runs on few tokens
    return token[:1].islower() and _LEADING_WORDS.match(token) is not None


def _undated(token: str) -> tuple[str, str | None] | None:
    """The year a citation of an undated or forthcoming work is read with ("n.d." or "in
    press") and its letter ("n.d.-a"), if ``token`` is such a date."""
    m = _UNDATED_TOKEN().match(token)
    if m is None:
        return None
    return (UNDATED if m.group(1) else IN_PRESS), m.group(3)


# English and Spanish months that are common surnames too ("(May, 2010)", Robert May;
# "(Mayo, 1933)", Elton Mayo; "(March, 1991)", James March): read before a comma as a
# citation that counts if the surname names an entry ("(March, 2019)" may be a date; dates
# are mostly written without the comma, "(May 2010)", "mayo de 2019"); other months stay dates.
_SURNAME_MONTHS = frozenset("may march june april august mayo marzo abril".split())


def _surname_before_comma(token: str) -> bool:
    """Whether a one-word token followed by a comma is a surname though a month or a term in
    another language ("(Avril, 2011)", "(Maio, 2012)", "(Marco, 2015)", "(May, 2010)"): "Name,
    year" is how a citation is written; those words are dates where no comma follows
    ("(Outubro 2021)", "(May 2010)")."""
    if not (token.isalpha() and token[:1].isupper()):
        return False
    lowered = token.lower()
    return lowered in _OTHER_DATE_WORDS or lowered in _SURNAME_MONTHS


def _groups(content: str) -> list[str]:
    """The citations of a parenthetical, parted at ";" — but a part of names alone before one
    with a year holds co-authors, as ABNT (Brazil) parts them: "(SILVA; SOUZA, 2010)" is one
    work of Silva and Souza."""
    groups = content.split(";")
    if len(groups) == 1:
        return groups
    out: list[str] = []
    names: list[str] = []  # parts of names alone waiting for the part with the year
    for group in groups:
        if not _HAS_YEAR.search(group):
            if _is_name(_clean_name(group)):
                names.append(group)
                continue
            out.extend(names)
            names = []
            out.append(group)
        elif names:
            out.append(";".join([*names, group]))
            names = []
        else:
            out.append(group)
    out.extend(names)
    return out


def _with_locator(found: Found, locator: str) -> Found:
    """``found`` with ``locator``."""
    return found._replace(locator=locator)


# Names set in italics or bold just before the year: LaTeX's "\emph{Smith et al.} (2015)",
# "\textit{…}", Markdown's "*Smith et al.* (2015)", "_…_", "**…**": read without the markup.
_EMPHASIS_AT_END = lazy(
    r"(?:\\(?:emph|textit|textbf|textsl|textsc)\{([^{}\n]{1,120})\}"
    r"|(?P<d>\*\*|\*|__|_)(?=\S)([^*_\n]{1,120}?)(?<=\S)(?P=d))\s*$"
)


def _narrative(
    text: str, m: re.Match[str], lines: _Lines, content: str | None = None
) -> list[Found]:
    """Citations in "Schmitz (1995)", "Pedersen y otros (1994)", "Perulli mismo (1992)"
    (``content``: what of the parentheses is theirs, when not all of it)."""
    window = text[max(0, m.start() - 160) : m.start()]
    emphasis = None
    if window.rstrip()[-1:] in ("}", "*", "_"):
        emphasis = _EMPHASIS_AT_END().search(window)
        if emphasis:
            window = f"{window[: emphasis.start()]}{emphasis.group(1) or emphasis.group(3)} "
    if "~" in window:
        window = _TIE().sub(" ", window)
    if "\\&" in window:
        window = window.replace("\\&", "&")  # LaTeX's "&", as printed
    if "," in window:
        window = _COMMA_BEFORE_NAME.sub(", ", window)
    et_al = ""  # the phrase's "et al." form, as printed
    cut = et_al_at_end(window)
    if cut is not None:
        et_al = plain_et_al(cut.group())
        et_al = et_al if et_al.startswith(",") else f" {et_al}"
        window = window[: cut.start()]
    words = window.split()  # str.split and \S+ cut at the same characters
    taken: list[str] = []
    between = ""  # the word between name and year, kept for the citation as printed
    stop = ""  # the word before the names
    while words:
        word = words.pop()
        bare = word.rstrip(",")
        if taken and bare in _CONNECTOR_WORDS:
            taken.append(word)
            continue
        if taken and bare in _PARTICLE_WORDS:
            taken.append(word)
            continue
        if word in _SENTENCE_WORDS or (word.endswith(",") and bare in _SENTENCE_ADVERBS):
            break
        if word[:1] == "[" and _NAME_WORD.fullmatch(word[1:]) and not _DIGIT.search(word):
            # a link's text opens at the phrase: "[Kuhn and Johnson (2019)](url)"
            taken.append(word[1:])
            break
        if _NAME_WORD.fullmatch(word) and not _DIGIT.search(word):
            if word.endswith(",") and not taken and not et_al:
                break
            if word[-1] == "." and taken and _ends_sentence(word):
                # "… de la CIUO. Ganzeboom, Treiman y de Graaf (1992)": a sentence ended
                stop = word
                break
            taken.append(word)
            continue
        if not taken and not between and not et_al and word.lower() in _BETWEEN_WORDS:
            # the author himself: "Perulli mismo (1992)"
            between = f" {word}"
            continue
        stop = word
        break
    while taken and taken[-1].rstrip(",") in _TRAILING_WORDS:
        taken.pop()
    if not taken or not any(_CAPITAL.match(w) for w in taken):
        return []
    names = " ".join(reversed(taken)).strip(" ,")
    phrase = f"{names}{et_al}{between}"
    parsed = split_authors(_POSSESSIVE.sub("", names) + et_al)
    if not parsed.surnames:
        return []
    line = lines.line_of(m.start())
    column = lines.column_of(m.start())
    # one word in italics is as often a title ("*Nature* (2015)") as an author: it counts
    # only if it names an entry
    tentative = (
        (len(taken) == 1 and not et_al and (stop.lower() in _COPULAS or bool(emphasis)))
        or (not et_al and taken[0].rstrip(",") in _PRODUCT_WORDS)
        # (the character after the parenthesis rules out prose before the call is paid)
        or (text[m.end() : m.end() + 1] in _LINE_ENDS and _is_entry_line(text, m.start(), m.end()))
    )
    out = []
    parts = [p.strip() for p in _LOCATOR_SPLIT.split(m.group(1) if content is None else content)]
    locator = None
    for part in parts:
        ym = _YEAR_TOKEN.match(part)
        dated = (ym.group(1), ym.group(2)) if ym else _undated(part) if part else None
        if dated:
            out.append(
                Found(
                    line,
                    f"{phrase} ({part})",
                    authors=parsed.surnames,
                    et_al=parsed.et_al,
                    year=dated[0],
                    suffix=dated[1],
                    narrative=True,
                    column=column,
                    tentative=tentative,
                )
            )
        elif part:
            locator = part
    if locator and out:
        out[-1] = _with_locator(out[-1], locator)
    return out


# A list item's marker, and a CV line's opening: the marker, then a quoted title and its comma
# ("- "Talk,"  Western Political Science Association (2023)").
_LIST_ITEM = lazy(r"[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]")
_LINE_OPENING = lazy(r"[ \t]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?(?:[\"“][^\"“”]{0,200}[\"”][ \t]*)?")


# What may follow a list or CV line's year: its end, a space or a hard line break.
_LINE_ENDS = frozenset(("", "\n", " ", "\\"))


def _is_entry_line(text: str, start: int, end: int) -> bool:
    """Whether a narrative citation at ``text[start:end]`` (its parenthesis) is a line of a list
    or a CV, not a sentence: the line holds nothing but capitalised words before it (after a
    list marker and a quoted title) and nothing after it, and is a block of its own —
    "University of Nevada, Las Vegas (2022)" under a degree's heading, "- Graduate College
    Research Award, UNLV (2023)". Such a line names an institution, an award or a meeting and a
    year; it counts as a citation only if its names fit an entry (a real thesis's CV chapter
    gave six false "missing" at stop 28)."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    tail = text[end:line_end]
    line_start = text.rfind("\n", 0, start) + 1
    if tail.strip() not in ("", "\\") or ":" in text[line_start:start]:
        return False  # "Source: World Bank (2020)", a caption's credit, is a citation
    opening = _LINE_OPENING().match(text, line_start, start)
    words = text[opening.end() if opening else line_start : start].split()
    if not words or not all(w.strip(",")[:1].isupper() or w in _IN_NAMES for w in words):
        return False  # a lower-case word: a sentence ("as argued by World Bank (2020)")
    if _names_people(words):
        return False  # "- Putnam and Goss (2002)" in a reading list: a citation
    # a block of its own: it opens the text, follows a blank line, a heading or a hard line
    # break, or is a list item; and it ends the text, is followed by a blank line or a list
    # item, or ends in a hard line break
    previous = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
    opens = (
        not line_start
        or not previous.strip()
        or previous.lstrip().startswith("#")
        or previous.endswith(("  ", "\\"))
        or _LIST_ITEM().match(text, line_start) is not None
    )
    after_end = text.find("\n", line_end + 1)
    following = text[line_end + 1 : len(text) if after_end < 0 else after_end]
    closes = (
        line_end == len(text)
        or not following.strip()
        or tail.endswith(("  ", "\\"))
        or _LIST_ITEM().match(following) is not None
    )
    return opens and closes


def _names_people(words: list[str]) -> bool:
    """Whether the words before a list line's year name two or more people as a citation
    does, each a surname alone (its particles aside) joined by commas, "and" or "&"
    ("Fiorina, Skocpol and Smith", "van Dijk & de Vries"), rather than an institution, an
    award or a meeting ("University of Nevada, Las Vegas", "Dean's List, UNLV")."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word in _CONNECTORS:
            parts.append([])
            continue
        parts[-1].append(word.rstrip(","))
        if word.endswith(","):
            parts.append([])
    parts = [part for part in parts if part]
    return len(parts) >= 2 and all(
        len([w for w in part if w not in _PARTICLES]) == 1 for part in parts
    )


# Words with a period that stand in a name ("Martin Luther King Jr. (1963)").
_NAME_ABBREVIATIONS = frozenset("Jr Sr St Ste Mc Mac".split())


def _ends_sentence(word: str) -> bool:
    """Whether a capitalised word ending in a period ends a sentence ("CIUO.", "Argentina."),
    rather than being an initial ("K.", "J.-P.") or an abbreviation a name holds ("Jr.")."""
    bare = word[:-1]
    return len(bare) > 1 and bare.isalpha() and bare not in _NAME_ABBREVIATIONS


def scan_span(span: Span) -> list[Found]:
    """The citations of one manuscript span, by the forms its syntax may hold: LaTeX never
    gives pandoc keys (``\\@ifnextchar`` is macro code), a typed reference list no author–year
    citations."""
    return scan(
        span.text,
        latex=span.syntax is not Syntax.WORD,
        pandoc=span.syntax in (Syntax.MARKDOWN, Syntax.PLAIN),
        author_year=span.running_text,
    )
