"""The LaTeX reader (.tex, .ltx, and .Rnw with its code chunks): comments, verbatim-like
environments, ``\\verb``, chunks and the bibliography blanked; ``\\input``, ``\\include`` and
``\\subfile`` followed relative to the file (then to the main file), loops refused, and every
one not followed reported."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from argmap.errors import ManuscriptError
from argmap.manuscripts.commands import CITE_COMMANDS, MULTICITE_COMMANDS
from argmap.manuscripts.references import looks_like_entry, opens_references
from argmap.manuscripts.spans import Notice, Piece, Syntax
from argmap.manuscripts.text import SpanBuilder, iter_lines, quoted_passage

# Environments whose content is code or not typeset, never citations.
_SKIPPED_ENVIRONMENTS = (
    "verbatim verbatim* Verbatim Verbatim* BVerbatim LVerbatim lstlisting minted comment "
    "filecontents filecontents* alltt spverbatim thebibliography".split()
)
_BEGIN = re.compile(
    r"\\begin\s*\{(" + "|".join(re.escape(e) for e in _SKIPPED_ENVIRONMENTS) + r")\}"
)
_VERB = re.compile(r"\\(?:verb|lstinline|mintinline)\*?(?:\{[^}]{0,40}\})?([^\sA-Za-z{])")
_SEXPR = re.compile(r"\\Sexpr\s*\{")
_CHUNK_START = re.compile(r"^\s*<<.*>>=\s*$")
_CHUNK_END = re.compile(r"^\s*@(?:\s|$)")
# In the text \iffalse skips, TeX still pairs conditionals: a nested \ifx … \fi is skipped
# whole, and the \else (or \fi) of the \iffalse itself is the one at depth 0. Names of the
# form \ifname{ are etoolbox/ifthen macros (\iftoggle{x}{…}{…}, \ifthenelse{…}), which take
# arguments and no \fi; a name after \newif is being defined, not opened.
_CONDITIONAL = re.compile(
    r"(?<!\\newif)\\(?:(if[A-Za-z@]*)(?![A-Za-z@])(?!\s*\{)|(fi|else)(?![A-Za-z@]))"
)
# The state of a skipped \iffalse branch: "\\fi" and the depth of conditionals open inside it
_SKIPPING_IF = "\\fi"
# The state of a skipped \else branch of a conditional known true (\iftrue, a \newif flag set
# true): "\\else" and the depth; only its \fi ends it
_SKIPPING_ELSE = "\\else"
# A \newif flag (``\newif\ifdraft``, false when made) and the setting of one (``\draftfalse``,
# ``\drafttrue``): a conditional on it is evaluated as TeX does while its value is known
_NEWIF = re.compile(r"\\newif\s*\\if([A-Za-z@]+)")
_SETTER = re.compile(r"\\([A-Za-z@]+)(true|false)(?![A-Za-z@])")
# A line where a setter may not run as read: in a definition, an option, or a conditional's
# argument (``\DeclareOption{draft}{\drafttrue}``, ``\ifthenelse{…}{\drafttrue}{}``)
_NOT_RUN = re.compile(r"def|command|Option|\\if|\\let|\\AtEndOfClass")
# ``\let\ifpdf\iftrue``: the conditional is given a meaning, not opened
_LET_BEFORE = re.compile(r"\\let\s*\\[A-Za-z@]+\s*=?\s*$")
# A comment package's \excludecomment{name} makes ``name`` an environment skipped like comment
_EXCLUDECOMMENT = re.compile(r"\\excludecomment\s*\{([^{}\s]{1,60})\}")
# An environment a document or its own package defines as a code listing (listings, tcolorbox,
# fancyvrb, minted): its content is code, as verbatim's (jmrplens/TFG-TFM_EPS's
# \newtcblisting{codigosimple} shows "\input{figuras/figura.tex}" as an example). minted's
# \newminted{python}{…} defines pythoncode, \newminted[name]{python}{…} name.
_LISTING_DEFINED = re.compile(
    r"\\(lstnewenvironment|(?:re)?newtcblisting|(?:Declare|New|Provide)TCBListing|"
    r"(?:Define|Custom|Recustom)VerbatimEnvironment|newminted)\*?\s*(?:\[([^\]]*)\])?"
    r"\s*\{([^{}\s]{1,60})\}"
)
# LaTeX's search path for \input (``\def\input@path{{cls/}{sty/}}``): files are found there too
_INPUT_PATH = re.compile(
    r"\\(?:[gex]?def|renewcommand\*?)\s*\{?\\input@path\}?\s*\{((?:\s*\{[^{}]*\})+)"
)
# A package or class the document loads: its own .sty or .cls (beside the root file, or on
# \input@path) is read for the listing environments and \excludecomment names it defines
_USEPACKAGE = re.compile(
    r"\\(usepackage|RequirePackage|documentclass|LoadClass)\s*(?:\[[^\]]*\])?\s*\{([^{}]{1,300})\}"
)


class Shared:
    """What a LaTeX document's files set for the files read after them: the environments
    skipped as code (\\excludecomment, listing environments defined), \\input@path's folders,
    and the document's own packages already read."""

    def __init__(self) -> None:
        self.excluded: set[str] = set()
        self.search: list[str] = []
        self.packages: set[Path] = set()
        # the document's \newif flags: True or False while known, None once set where the
        # reading cannot tell (``\DeclareOption{draft}{\drafttrue}``)
        self.flags: dict[str, bool | None] = {}


class Conditionals:
    """The conditionals of a file whose branch is known, as TeX takes them: \\iffalse, \\iftrue
    and the document's \\newif flags while known; and, for each known branch being read, the
    depth of the conditionals opened inside it (its own \\else or \\fi is met at depth 0)."""

    def __init__(self, flags: dict[str, bool | None] | None = None) -> None:
        self.flags = {} if flags is None else flags
        self.open: list[int] = []
        # conditionals open whose branch argmap cannot tell (``\ifx\pdfoutput\undefined``): a
        # flag set inside one may or may not be set, so it is no longer known
        self.unknown = 0
        self._known: tuple[str, ...] | None = None
        self._pattern = _KNOWN_IF

    def pattern(self) -> re.Pattern[str]:
        """The opening of a conditional whose branch is known."""
        known = tuple(sorted(name for name, value in self.flags.items() if value is not None))
        if known != self._known:
            names = "".join(f"|{re.escape(name)}" for name in known)
            self._pattern = re.compile(rf"(?<!\\newif)\\if(false|true{names})(?![A-Za-z@])")
            self._known = known
        return self._pattern

    def is_true(self, name: str) -> bool:
        """Whether the conditional ``\\if<name>`` takes its first branch."""
        return name == "true" or (name != "false" and bool(self.flags.get(name)))

    def remember(self, line: str) -> None:
        """Remember the flags ``line`` (comments and skipped branches blanked) makes or sets."""
        if "newif" in line:
            for m in _NEWIF.finditer(line):
                self.flags[m.group(1)] = False
        if self.flags and ("true" in line or "false" in line):
            run = not self.unknown and _NOT_RUN.search(line) is None
            for m in _SETTER.finditer(line):
                if m.group(1) in self.flags and not line[: m.start()].endswith("newif\\if"):
                    self.flags[m.group(1)] = (m.group(2) == "true") if run else None
        if "\\if" in line or "\\fi" in line:
            for token in _CONDITIONAL.finditer(line):
                if token.group(1):
                    # (\let\ifpdf\iftrue gives a meaning, and opens nothing)
                    if not _LET_NAMES.search(line, 0, token.start()):
                        self.unknown += 1
                elif token.group(2) == "fi":
                    # (a known branch's own \fi is kept in the line: never below 0)
                    self.unknown = max(0, self.unknown - 1)


_KNOWN_IF = re.compile(r"(?<!\\newif)\\if(false|true)(?![A-Za-z@])")
# A conditional's name given a meaning, not opened: ``\let\ifpdf\iftrue`` (both names),
# ``\def\ifmine``, ``\newcommand{\ifmine}``
_LET_NAMES = re.compile(
    r"\\(?:let\s*(?:\\[A-Za-z@]+\s*=?\s*)?|[gex]?def\s*|(?:re|provide)?newcommand\*?\s*\{?\s*)$"
)


def _definitions(line: str, shared: Shared) -> bool:
    """Remember what ``line`` (comments and verbatim blanked) defines for the document; whether
    it named an environment to skip."""
    before = len(shared.excluded)
    if "excludecomment" in line:
        shared.excluded.update(m.group(1) for m in _EXCLUDECOMMENT.finditer(line))
    if "isting" in line or "Verbatim" in line or "newminted" in line or "newenvironment" in line:
        for m in _LISTING_DEFINED.finditer(line):
            if m.group(1) == "newminted":
                shared.excluded.add(m.group(2) or f"{m.group(3)}code")
            else:
                shared.excluded.add(m.group(3))
    if "input@path" in line:
        found = _INPUT_PATH.search(line)
        if found:
            for folder in re.findall(r"\{([^{}]*)\}", found.group(1)):
                if folder.strip() and folder.strip() not in shared.search:
                    shared.search.append(folder.strip())
    return len(shared.excluded) != before


def _read_packages(line: str, root: Path, shared: Shared) -> bool:
    """Read the document's own packages and class ``line`` loads (and those they load) for
    their definitions; whether one named an environment to skip."""
    named = False
    for m in _USEPACKAGE.finditer(line):
        suffix = ".cls" if m.group(1) in ("documentclass", "LoadClass") else ".sty"
        for name in (n.strip() for n in m.group(2).split(",")):
            if not name or "\\" in name or "#" in name:
                continue
            for base in (root.parent, *(root.parent / folder for folder in shared.search)):
                sty = base / f"{name}{suffix}"
                if not sty.is_file():
                    continue
                key = sty.resolve()
                if key in shared.packages:
                    break
                shared.packages.add(key)
                try:
                    text = sty.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    break  # a package argmap cannot read defines nothing it reads
                for raw in iter_lines(text):
                    cut = _comment_start(raw, 0)
                    code = raw if cut < 0 else raw[:cut]
                    if "\\" in code:
                        named = _definitions(code, shared) or named
                        if "ackage" in code or "Class" in code:
                            named = _read_packages(code, root, shared) or named
                break
    return named


# (``\\input@path``, LaTeX's search path set after ``\\makeatletter``, is another macro's name)
_INPUT = re.compile(
    r"\\(input|include|subfile|subfileinclude)(?![A-Za-z@])\s*(?:\{([^{}]{1,300})\}|([^\s{}\\%]{1,300}))"
)
# A macro of the writer's own that cites its argument: ``\newcommand{\posscite}[1]{\citeauthor{#1}'s
# (\citeyear{#1})}``; its uses are read as ``\cite`` (a cite command applied to ``#1``).
_CITE_MACRO = re.compile(
    r"\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?\s*\[1\]\s*\{(.{0,300})$|"
    r"\\(?:g|e|x)?def\s*\\([A-Za-z]+)#1\s*\{(.{0,300})$"
)
# A cite of the argument in the macro's body; the key may be built around it (``\\cite{rfc#1}``)
_CITE_OF_ARGUMENT = re.compile(
    r"\\[A-Za-z]*cite[a-z]*\*?(?:\s*\[[^\]]*\])*\s*\{([^{}#,\s]*)#1([^{}#,\s]*)\}"
)
# A macro's use with its one argument, when the key is built around the argument
_MACRO_ARGUMENT = r"\s*\{([^{}]{0,300})\}"
# The writer's cite macros met so far: name -> (its use's pattern, the cite command it stands
# for, and the key's prefix and suffix around the argument); a command of "" marks a macro that
# shows its argument as code
CiteMacros = dict[str, tuple[re.Pattern[str], str, str, str]]
# A macro of the writer's own that prints its argument as code, ``\newcommand*{\code}[1]{%``
# ``\detokenize\expandafter{\string#1}}`` (biblatex's own examples): a \cite in its argument is
# shown, not cited, so its uses are blanked. The body may start on the next line.
_SHOWS_ARGUMENT = re.compile(r"\\(?:detokenize|string|meaning)(?![A-Za-z@])[^#]{0,40}#1")
# Its use's argument, which may hold one level of braces (``\code{\cite{a1}}``)
_CODE_ARGUMENT = r"\s*\{(?:[^{}]|\{[^{}]*\}){0,300}\}"
# A cite command biblatex's \DeclareCiteCommand defines takes a cite command's arguments
# (``[pre][post]{keys}``); one \DeclareMultiCiteCommand defines, a multicite's. Their uses are
# read as ``\cite`` and ``\cites``. A standard command declared again (a style's
# ``\DeclareCiteCommand{\parencite}``) keeps its name: the scanner reads it as it stands.
_DECLARED_CITE = re.compile(r"\\Declare(Multi)?CiteCommand\*?\s*\{?\s*\\([A-Za-z@]+)\s*\}?")
_STANDARD_CITES = frozenset(CITE_COMMANDS)
_STANDARD_MULTICITES = frozenset(MULTICITE_COMMANDS)
# A standard cite command defined again (``\\renewcommand\\cite{\\citep}``, as
# thammegowda/dissertation's header.tex sets natbib's form): the name after \\renewcommand is
# the one defined, no use of it, and what follows is its body, no key. The name is blanked.
_REDEFINED = re.compile(
    r"\\(?:(?:re|provide)?newcommand|DeclareRobustCommand|[gex]?def|let)(?![A-Za-z@])\*?"
    r"\s*\{?\s*\\([A-Za-z]+)(?![A-Za-z@])"
)


# A name given to a standard cite command (``\\newcommand\\newcite{\\citet}``,
# ``\\let\\newcite\\citet``, ``\\def\\newcite{\\citet}``): its uses take that command's
# arguments and are read as it (when the name is shorter, the columns after a use on its line
# are off by the difference).
_ALIAS = re.compile(
    r"\\(?:(?:re|provide)?newcommand\*?\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*\{\s*\\([A-Za-z]+)\s*\}"
    r"|let\s*\\([A-Za-z]+)\s*=?\s*\\([A-Za-z]+)(?![A-Za-z@])"
    r"|[gex]?def\s*\\([A-Za-z]+)\s*\{\s*\\([A-Za-z]+)\s*\})"
)


def _aliases(line: str, macros: CiteMacros) -> None:
    """Remember each name the line gives to a standard cite command, as a cite macro."""
    for m in _ALIAS.finditer(line):
        groups = m.groups()
        name, target = next(
            (a, b) for a, b in zip(groups[::2], groups[1::2], strict=True) if a is not None
        )
        standard = _STANDARD_CITES | _STANDARD_MULTICITES
        if target in standard and name not in standard:
            macros[name] = (_use_of(name), "\\" + target, "", "")


# A macro of no argument whose body cites fixed keys (``\newcommand{\stdrefs}{\cite{a,b}}``):
# TeX cites them where the macro is used, not where it is defined (pdflatex's .aux has them only
# if it is used), so its uses are read as its cites and its body is not.
_PLAIN_MACRO = re.compile(
    r"\\(?:(?:re|provide)?newcommand\*?\s*\{?\s*\\([A-Za-z]+)\s*\}?|[gex]?def\s*\\([A-Za-z]+))\s*\{"
)


@lru_cache(maxsize=1)
def _body_cite() -> re.Pattern[str]:
    """A cite command with its keys, as a macro's body holds it."""
    names = "|".join(sorted(CITE_COMMANDS + MULTICITE_COMMANDS, key=len, reverse=True))
    return re.compile(
        rf"\\(?:{names})(?![A-Za-z@])\*?(?:\s*\[[^\]]*\]){{0,2}}(?:\s*\{{[^{{}}#]+\}})+"
    )


class _Body(NamedTuple):
    """The body of a macro of no argument that runs over to the lines after its definition
    (``\\newcommand{\\mycites}{%`` then ``\\cite{a,b}}``): its name, the depth of braces
    open, the cites met so far and how many more lines it may take."""

    name: str
    depth: int
    cites: tuple[str, ...]
    left: int


# A body is followed this many lines at most (a group never closed is a broken document).
_BODY_LINES = 40


def _macro_cites(line: str, macros: CiteMacros) -> tuple[str, _Body | None]:
    """The line with the cites in the body of a macro of no argument it defines blanked (by as
    many spaces); the macro remembered, so that its uses are read as those cites; and the body
    that runs over to the next lines, if one does."""
    body = None
    for m in _PLAIN_MACRO.finditer(line):
        name = m.group(1) or m.group(2)
        if name in _STANDARD_CITES or name in _STANDARD_MULTICITES:
            continue
        end, depth = _group_end(line, m.end(), 1)
        cites = list(_body_cite().finditer(line, m.end(), len(line) if end < 0 else end))
        if end < 0:
            body = _Body(name, depth, tuple(c.group() for c in cites), _BODY_LINES)
        elif cites:
            macros[name] = (_use_of(name), " ".join(c.group() for c in cites), "", "")
        for c in cites:
            line = line[: c.start()] + " " * (c.end() - c.start()) + line[c.end() :]
    return line, body


def _macro_body(line: str, body: _Body, macros: CiteMacros) -> tuple[str, _Body | None]:
    """A line of a macro's body begun on a line before: its cites blanked and kept for the
    macro's uses, the macro remembered once its body closes."""
    end, depth = _group_end(line, 0, body.depth)
    cites = list(_body_cite().finditer(line, 0, len(line) if end < 0 else end))
    for c in cites:
        line = line[: c.start()] + " " * (c.end() - c.start()) + line[c.end() :]
    found = body.cites + tuple(c.group() for c in cites)
    if end < 0 and body.left > 1:
        return line, body._replace(depth=depth, cites=found, left=body.left - 1)
    if found:
        macros[body.name] = (_use_of(body.name), " ".join(found), "", "")
    return line, None


def _blank_redefined(line: str) -> str:
    """The line with the name of a standard cite command it defines again blanked."""

    def blank(m: re.Match[str]) -> str:
        if m.group(1) not in _STANDARD_CITES and m.group(1) not in _STANDARD_MULTICITES:
            return m.group()
        start, end = m.span(1)
        return m.group()[: start - m.start() - 1] + " " * (end - start + 1)

    return _REDEFINED.sub(blank, line)


# A sectioning command and its title: a typed reference list runs from one titled "References"
# (or "Bibliografía", ...) to the next.
_SECTION = re.compile(
    r"\\(?:part|chapter|section|subsection|subsubsection)\*?\s*(?:\[[^\]]*\])?\{([^{}]*)\}"
)
# A block quotation: the works its text cites are the quoted author's, out of the reference list
# (APA 7, 8.32) or, in a manual, the examples of a norm (abnTeX2's manual quotes ABNT's
# "(FONSECA; PAIVA; SILVA, 1997)"): its author–year text is not read, but the writer's citation
# of the quotation itself closing its last line ("… final words. (Smith, 2009, p. 4)", "…''
# (Wright, 1995, p. 59)."), as in a Markdown block quote. abnTeX2's ``citacao`` is ABNT's
# environment for a long quotation.
_QUOTE_ENV = re.compile(r"\\(begin|end)\s*\{(?:quote|quotation|displayquote|quoting|citacao)\}")
# Files nested deeper than this are not followed (and said so): a guard, not a LaTeX limit.
MAX_DEPTH = 32

Reader = Callable[[Path], str]


def read_latex(
    path: Path,
    text: str,
    read: Reader,
    *,
    chunks: bool = False,
    stack: tuple[Path, ...] = (),
    root: Path | None = None,
    macros: CiteMacros | None = None,
    bibtex: bool | None = None,
    biber: bool = False,
    shared: Shared | None = None,
) -> Iterator[Piece]:
    """Spans of LaTeX text to scan, and the files it inputs, in order of appearance.

    ``read`` reads an included file (raising argmap's ManuscriptError when it cannot);
    ``chunks`` blanks Sweave/knitr chunks (``<<>>=`` to ``@``) and ``\\Sexpr{}``; ``macros``
    holds the writer's own cite macros met so far (shared with included files); ``bibtex``
    whether the document is built with BibTeX (found from the root file when None, and
    ``biber`` with it); ``biber`` whether it is built with biblatex and biber; ``shared``
    what the files read so far set for the rest (``Shared``).
    """
    macros = {} if macros is None else macros
    shared = Shared() if shared is None else shared
    if "\\iftoggle" in text or "\\nottoggle" in text or "\\ifthenelse" in text:
        # \iftoggle / \ifthenelse the file decides: the branch not taken is blanked (the
        # module is imported for such a text only)
        from argmap.manuscripts.branches import taken_branches

        text = taken_branches(text)
    opens_excluded = _opening_of(shared.excluded)
    here = path.resolve()
    if bibtex is None:
        # the included files the tool is looked for in are read once, for both readings
        read = _remembering(read)
        tool = bibliography_tool(path, text, read)
        bibtex, biber = tool == "bibtex", tool == "biber"
    stack = (*stack, here)
    root = root or path
    builder = SpanBuilder(path, Syntax.LATEX, bibtex, biber)
    skipping: str | None = None  # the environment (or "\\fi", "@") being skipped
    in_refs = False  # under a heading such as \section*{References}: a typed reference list
    shows: str | None = None  # a one-argument macro whose body starts on the next line
    quoting = 0  # block quotations open
    body: _Body | None = None  # a macro's body running over from a line before
    conditionals = Conditionals(shared.flags)
    for number, (raw, following) in enumerate(_with_next(iter_lines(text)), start=1):
        if skipping == "@":
            if _CHUNK_END.match(raw):
                skipping = None
            yield from builder.add(number, "")
            continue
        if chunks and _CHUNK_START.match(raw):
            skipping = "@"
            yield from builder.add(number, "")
            continue
        line, skipping = _mask(raw, skipping, chunks, opens_excluded, conditionals)
        if "\\" in line:
            conditionals.remember(line)
        if "\\" in line and (
            _definitions(line, shared)
            or (("ackage" in line or "class" in line) and _read_packages(line, root, shared))
        ):
            opens_excluded = _opening_of(shared.excluded)
        if body is not None:
            line, body = _macro_body(line, body, macros)
        elif "\\" in line:
            line = _cite_macros(line, macros)
            if "command" in line or "def" in line or "let" in line:
                _aliases(line, macros)
                line = _blank_redefined(line)
                if "{" in line:
                    line, body = _macro_cites(line, macros)
        if shows is not None:
            # the line after a one-argument macro's opening: its body
            if _SHOWS_ARGUMENT.search(line):
                macros[shows] = (re.compile(_use_of(shows).pattern + _CODE_ARGUMENT), "", "", "")
            shows = None
        defined = _CITE_MACRO.search(line) if "newcommand" in line else None
        if defined and defined.group(1):
            if _SHOWS_ARGUMENT.search(defined.group(2)):
                macros[defined.group(1)] = (
                    re.compile(_use_of(defined.group(1)).pattern + _CODE_ARGUMENT),
                    "",
                    "",
                    "",
                )
            elif not defined.group(2).strip():
                shows = defined.group(1)
        inputs = list(_INPUT.finditer(line)) if "\\" in line else []
        heading = _SECTION.search(line) if "\\" in line else None
        if heading:
            in_refs = opens_references(heading.group(1))
        typed = line.lstrip()
        for lead in ("\\noindent", "\\item", "\\par"):
            typed = typed.removeprefix(lead).lstrip()
        running = not in_refs and not looks_like_entry(typed)
        if quoting or "quot" in line or "citacao" in line:
            inside, last = quoting > 0, False
            for m in _QUOTE_ENV.finditer(line):
                opening = m.group(1) == "begin"
                quoting = quoting + 1 if opening else max(0, quoting - 1)
                inside, last = True, last or not opening
            ahead = _QUOTE_ENV.search(following) if following and "\\end" in following else None
            last = last or (ahead is not None and ahead.group(1) == "end")
            running = running and not (inside and not last)
            if running and inside and "(" in line:
                line = _quotation_closed(line)
        yield from builder.add(number, line, running, masked=bool(raw.strip()))
        for m in inputs:
            yield from builder.flush()
            target = (m.group(2) or m.group(3) or "").strip()
            yield from _follow(
                path,
                number,
                m.group(1),
                target,
                read,
                chunks,
                stack,
                root,
                macros,
                bibtex,
                biber,
                shared,
            )
            opens_excluded = _opening_of(shared.excluded)
    yield from builder.flush()


def _quotation_closed(line: str) -> str:
    """A block quotation's last line with the quoted text's author–year parentheses blanked, as
    a Markdown block quote's are: what stands after ``\\end{quote}`` is the writer's again."""
    ends = [m for m in _QUOTE_ENV.finditer(line) if m.group(1) == "end"]
    begins = [m for m in _QUOTE_ENV.finditer(line) if m.group(1) == "begin"]
    start = begins[0].end() if begins else 0
    end = ends[-1].start() if ends else len(line)
    if start > end:  # "\end{quote} … \begin{quote}": a quotation closes and another opens
        start = 0
    return line[:start] + quoted_passage(line[start:end], True) + line[end:]


def _with_next(lines: Iterator[str]) -> Iterator[tuple[str, str | None]]:
    """Each line with the one after it (None after the last)."""
    previous: str | None = None
    first = True
    for line in lines:
        if not first:
            yield previous or "", line
        previous, first = line, False
    if not first:
        yield previous or "", None


def _follow(
    path: Path,
    number: int,
    command: str,
    target: str,
    read: Reader,
    chunks: bool,
    stack: tuple[Path, ...],
    root: Path,
    macros: CiteMacros,
    bibtex: bool,
    biber: bool = False,
    shared: Shared | None = None,
) -> Iterator[Piece]:
    """The pieces of an included file, or a notice saying why it was not followed."""
    written = f"\\{command}{{{target}}}"
    if not target or "#" in target or "\\" in target:
        yield Notice(
            "input-not-followed",
            path,
            number,
            f"{written} names no file argmap can resolve (a macro or parameter)",
            "check the included file as a manuscript of its own",
        )
        return
    candidates = _input_candidates(path, root, target, shared.search if shared else ())
    found = next((c for c in candidates if c.is_file()), None)
    if found is None and in_tex_distribution(target):
        return  # LaTeX reads the distribution's file, which holds none of the writer's text
    if found is None:
        looked = ", ".join(str(c) for c in candidates)
        yield Notice(
            "input-not-followed",
            path,
            number,
            f"{written}: no such file (looked for {looked})",
            "give the path relative to the including file, or check it as a manuscript",
        )
        return
    if found.resolve() in stack:
        yield Notice(
            "input-loop",
            path,
            number,
            f"{written} includes a file already being read ({found}): a loop, not followed",
            "remove the circular \\input",
            error=True,
        )
        return
    if len(stack) >= MAX_DEPTH:
        yield Notice(
            "input-not-followed",
            path,
            number,
            f"{written}: files nested more than {MAX_DEPTH} deep are not followed",
            "check the deeper file as a manuscript of its own",
        )
        return
    text = read(found)
    yield from read_latex(
        found,
        text,
        read,
        chunks=chunks,
        stack=stack,
        root=root,
        macros=macros,
        bibtex=bibtex,
        biber=biber,
        shared=shared,
    )


def _opening_of(excluded: set[str]) -> re.Pattern[str] | None:
    """The opening of any environment in ``excluded`` (None when there is none)."""
    if not excluded:
        return None
    names = "|".join(re.escape(name) for name in sorted(excluded))
    return re.compile(r"\\begin\s*\{(" + names + r")\}")


def _input_candidates(
    path: Path, root: Path, target: str, search: Sequence[str] = ()
) -> list[Path]:
    """Where an ``\\input{target}`` of ``path`` may be: beside it or beside the root file (or in
    a folder of ``search``, \\input@path's, relative to the root file), with ``.tex`` added when
    the name has none."""
    candidates = []
    folders = (path.parent, root.parent, *(root.parent / folder for folder in search))
    for base in dict.fromkeys(folders):
        for name in (target, f"{target}.tex") if not target.endswith(".tex") else (target,):
            candidates.append(base / name)
    return candidates


@lru_cache(maxsize=256)
def in_tex_distribution(target: str) -> bool:
    """Whether ``\\input{target}`` names a file of the TeX distribution, as ``kpsewhich``
    finds it (``glyphtounicode.tex``, l3build's ``regression-test.tex``); False when kpsewhich
    is not installed (the include is then reported as not found)."""
    from argmap.manuscripts.kpathsea import kpsewhich

    names = [target] if target.endswith(".tex") else [f"{target}.tex", target]
    return bool(kpsewhich(names))


# How a document names its bibliography tool: biblatex loaded (as a package, through
# \addbibresource, or as a class option), its backend, and BibTeX's \bibliography{}.
_BIBLATEX = re.compile(
    r"\\(?:usepackage|RequirePackage)\s*(?:\[[^\]]*\])?\s*\{[^}]*\bbiblatex\b"
    r"|\\addbibresource(?![A-Za-z])|\\documentclass\s*\[[^\]]*\bbiblatex\b"
)
_BACKEND_BIBTEX = re.compile(r"\bbackend\s*=\s*bibtex")
_BIBLIOGRAPHY = re.compile(r"\\(?:no)?bibliography\s*\{")
# Files read to find the tool, at most (a thesis inputs a few dozen)
MAX_TOOL_FILES = 200


def bibliography_tool(path: Path, text: str, read: Reader) -> str | None:
    """ "bibtex" or "biber", as the document (the file and those it inputs; comments, verbatim
    and \\iffalse branches left out) builds its bibliography; None when it names none (a
    chapter checked on its own)."""
    biblatex = backend_bibtex = bibliography = False
    for line in document_lines(path, text, read):
        biblatex = biblatex or bool(_BIBLATEX.search(line))
        backend_bibtex = backend_bibtex or bool(_BACKEND_BIBTEX.search(line))
        bibliography = bibliography or bool(_BIBLIOGRAPHY.search(line))
    if biblatex:
        return "bibtex" if backend_bibtex else "biber"
    return "bibtex" if bibliography else None


def document_lines(path: Path, text: str, read: Reader) -> Iterator[str]:
    """The lines holding a command (a backslash) of the document ``path`` and of the files it
    inputs (at most ``MAX_TOOL_FILES``; comments, verbatim and \\iffalse branches left out):
    where its bibliography tool and style are named."""
    root = path
    seen: set[Path] = set()
    queue: list[tuple[Path, str]] = [(path, text)]
    flags: dict[str, bool | None] = {}  # the document's \newif flags, as its files set them
    while queue and len(seen) < MAX_TOOL_FILES:
        file, body = queue.pop(0)
        seen.add(file.resolve())
        skipping: str | None = None
        conditionals = Conditionals(flags)
        for raw in iter_lines(body):
            if "\\" not in raw and skipping is None:
                continue
            line, skipping = _mask(raw, skipping, False, None, conditionals)
            conditionals.remember(line)
            if "\\" not in line:
                continue
            yield line
            for m in _INPUT.finditer(line):
                target = (m.group(2) or m.group(3) or "").strip()
                if not target or "#" in target or "\\" in target:
                    continue
                found = next(
                    (c for c in _input_candidates(file, root, target) if c.is_file()), None
                )
                if found is None or found.resolve() in seen:
                    continue
                try:
                    queue.append((found, read(found)))
                except ManuscriptError:
                    continue  # the reading proper reports it


def _remembering(read: Reader) -> Reader:
    """``read``, giving a file's text again without reading it twice (a failure is not kept:
    the reading proper meets it again and reports it)."""
    texts: dict[Path, str] = {}

    def remembered(path: Path) -> str:
        key = path.resolve()
        if key not in texts:
            texts[key] = read(path)
        return texts[key]

    return remembered


def _cite_macros(line: str, macros: CiteMacros) -> str:
    """The line with uses of the writer's cite macros read as ``\\cite``; a definition of one
    is remembered (its own body cites ``#1``, which is no key)."""
    for pattern, command, prefix, suffix in macros.values():
        if not command:
            # a macro that shows its argument as code: the use is blanked, columns kept
            line = pattern.sub(lambda m: " " * len(m.group()), line)
        elif prefix or suffix:
            # ``\\rfc{826}`` is ``\\cite{rfc826}``: longer, so the columns after it on this
            # line move by the prefix's length and a character
            built = f"{_escape(command)}{{{_escape(prefix)}\\1{_escape(suffix)}}}"
            line = pattern.sub(built, line)
        else:
            # padded to the macro's length where it is longer, so that columns stay true
            line = pattern.sub(_padded(command), line)
    if "Declare" in line:
        for declared in _DECLARED_CITE.finditer(line):
            command = "\\cites" if declared.group(1) else "\\cite"
            if declared.group(2) in (
                _STANDARD_MULTICITES if declared.group(1) else _STANDARD_CITES
            ):
                continue
            macros[declared.group(2)] = (_use_of(declared.group(2)), command, "", "")
    m = _CITE_MACRO.search(line)
    if m:
        name, body = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        cites = _CITE_OF_ARGUMENT.search(body or "")
        if cites and not name.lower().startswith("cite"):
            prefix, suffix = cites.group(1), cites.group(2)
            use = _use_of(name)
            if prefix or suffix:
                use = re.compile(use.pattern + _MACRO_ARGUMENT)
            macros[name] = (use, "\\cite", prefix, suffix)
    return line


def _escape(text: str) -> str:
    """``text`` as literal text in a replacement template of ``re.sub``."""
    return text.replace("\\", "\\\\")


def _padded(command: str) -> Callable[[re.Match[str]], str]:
    """A replacement of a macro's use by ``command``, padded to the use's length."""
    return lambda m: command.ljust(len(m.group()))


def _use_of(name: str) -> re.Pattern[str]:
    """A use of the command ``\\name`` (starred or not), not of a longer name it begins."""
    return re.compile(r"\\" + re.escape(name) + r"(?![A-Za-z@])\*?")


def _mask(
    line: str,
    skipping: str | None,
    chunks: bool,
    excluded: re.Pattern[str] | None = None,
    conditionals: Conditionals | None = None,
) -> tuple[str, str | None]:
    """The line with comments, verbatim text, skipped environments (and those ``excluded``
    opens, the writer's \\excludecomment ones) and the branches of known conditionals TeX
    skips (``conditionals``: \\iffalse's first, \\iftrue's \\else, a \\newif flag's) blanked (by
    as many spaces, so that columns stay true), and what is still being skipped at its end."""
    conditionals = Conditionals() if conditionals is None else conditionals
    known = conditionals.pattern()
    out: list[str] = []
    pos = 0
    n = len(line)
    while pos < n:
        if skipping is not None and skipping.startswith((_SKIPPING_IF, _SKIPPING_ELSE)):
            else_branch = skipping.startswith(_SKIPPING_ELSE)
            depth = int(skipping[len(_SKIPPING_ELSE if else_branch else _SKIPPING_IF) :])
            cut = _comment_start(line, pos)
            closed = None
            for token in _CONDITIONAL.finditer(line, pos, n if cut < 0 else cut):
                if token.group(1):
                    depth += 1
                elif not depth and not (else_branch and token.group(2) == "else"):
                    closed = token  # the conditional's own \else or \fi: what follows is read
                    break
                elif token.group(2) == "fi":
                    depth -= 1
            if closed is None:
                state = _SKIPPING_ELSE if else_branch else _SKIPPING_IF
                return "".join(out), f"{state}{depth}"
            if closed.group(2) == "else":
                conditionals.open.append(0)  # its \else branch is read, to its \fi
            out.append(" " * (closed.end() - pos))
            pos = closed.end()
            skipping = None
            continue
        if skipping is not None:
            closing = re.compile(r"\\end\s*\{" + re.escape(skipping) + r"\}")
            m = closing.search(line, pos)
            if m is None:
                return "".join(out), skipping
            out.append(" " * (m.end() - pos))
            pos = m.end()
            skipping = None
            continue
        # the earliest of: a comment, \verb, a skipped environment, \iffalse, \Sexpr
        cut = _comment_start(line, pos)
        end = n if cut < 0 else cut
        events: list[tuple[int, str, re.Match[str]]] = []
        for name, pattern in (
            ("verb", _VERB),
            ("env", _BEGIN),
            ("if", known),
            ("env", excluded),
            ("cond", _CONDITIONAL if conditionals.open else None),
        ):
            m = pattern.search(line, pos, end) if pattern is not None else None
            if m and name == "if" and _LET_BEFORE.search(line, 0, m.start()):
                m = None  # \let\ifpdf\iftrue gives a meaning, opens nothing
            if m:
                events.append((m.start(), name, m))
        if chunks:
            m = _SEXPR.search(line, pos, end)
            if m:
                events.append((m.start(), "sexpr", m))
        if not events:
            out.append(line[pos:end])
            break
        # (at one place, a known conditional before the same token read as any conditional)
        start, name, m = min(events, key=lambda e: (e[0], e[1] == "cond"))
        out.append(line[pos:start])
        if name == "cond":
            # a conditional inside a known branch being read: kept; its own \else or \fi
            # (at depth 0) ends the branch
            if m.group(1):
                conditionals.open[-1] += 1
            elif conditionals.open[-1]:
                conditionals.open[-1] -= 1 if m.group(2) == "fi" else 0
            elif m.group(2) == "fi":
                conditionals.open.pop()
            else:
                conditionals.open.pop()
                out.append(" " * (m.end() - start))
                pos, skipping = m.end(), f"{_SKIPPING_ELSE}0"
                continue
            out.append(m.group())
            pos = m.end()
            continue
        if name == "if" and conditionals.is_true(m.group(1)):
            conditionals.open.append(0)
            out.append(" " * (m.end() - start))
            pos = m.end()
            continue
        if name == "verb":
            close = line.find(m.group(1), m.end())
            stop = n if close < 0 else close + 1
        elif name in ("env", "if"):
            skipping = m.group(1) if name == "env" else f"{_SKIPPING_IF}0"
            stop = m.end()
        else:
            stop = _closing_brace(line, m.end())
        out.append(" " * (stop - start))
        pos = stop
    return "".join(out), skipping


def _group_end(line: str, pos: int, depth: int) -> tuple[int, int]:
    """The offset after the brace that closes a group ``depth`` braces deep at ``pos`` (-1 when
    the line ends first), and the depth at the line's end."""
    for i in range(pos, len(line)):
        ch = line[i]
        if (ch == "{" or ch == "}") and i and line[i - 1] == "\\":
            continue  # \{ and \} print braces
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1, 0
    return -1, depth


def _closing_brace(line: str, pos: int) -> int:
    """The offset after the brace that closes the group opened just before ``pos`` (R code in
    ``\\Sexpr{}`` may hold braces), or the end of the line."""
    depth = 1
    for i in range(pos, len(line)):
        ch = line[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(line)


def _comment_start(line: str, pos: int) -> int:
    """The offset of the first unescaped ``%`` from ``pos``, or -1."""
    i = line.find("%", pos)
    while i >= 0:
        backslashes = 0
        j = i - 1
        while j >= 0 and line[j] == "\\":
            backslashes += 1
            j -= 1
        if backslashes % 2 == 0:
            return i
        i = line.find("%", i + 1)
    return -1
