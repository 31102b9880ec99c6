"""Plain-text and Markdown readers (Quarto .qmd and R Markdown .Rmd are Markdown with code
chunks): paragraphs as spans, code, front matter and comments blanked, typed reference lists
apart."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from argmap.base.patterns import lazy
from argmap.manuscripts.blocks import IndentedCode
from argmap.manuscripts.references import closes_references, looks_like_entry, opens_references
from argmap.manuscripts.spans import Notice, Piece, Span, Syntax
from argmap.manuscripts.tables import table_lines

# A span is a paragraph, cut at this many characters so no single piece of a huge file is held
# (a citation is never cut: the cut falls at a line end, and citations rarely span lines).
MAX_SPAN = 1 << 16


def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (newlines normalised), one at a time, without copying the text."""
    start = 0
    end = len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            yield text[start:]
            return
        yield text[start:stop]
        start = stop + 1


class SpanBuilder:
    """Gathers masked lines into paragraph spans of one kind (running text or reference list)."""

    def __init__(
        self, source: Path, syntax: Syntax, bibtex: bool = False, biber: bool = False
    ) -> None:
        self.source = source
        self.syntax = syntax
        self.bibtex = bibtex
        self.biber = biber
        self.lines: list[str] = []
        self.first = 1
        self.size = 0
        self.depth = 0  # parentheses open in the span so far
        self.running = True

    def add(
        self, number: int, line: str, running: bool = True, masked: bool = False
    ) -> Iterator[Span]:
        """Add line ``number``; yield the span it completes, if any. A ``masked`` line (a
        comment, say) is blank but does not end the paragraph."""
        blank = not line.strip()
        # Text extracted from PDF may cut a citation with a blank line: "(Hendrycks et al.,",
        # "", "2020)". A parenthesis still open carries the span over one blank line.
        carried = blank and self.depth > 0 and bool(self.lines) and bool(self.lines[-1].strip())
        if self.lines and (
            running != self.running
            or (blank and not masked and not carried)
            or self.size + len(line) > MAX_SPAN
        ):
            yield from self.flush()
        if not self.lines:
            if blank:
                return
            self.first = number
            self.running = running
        self.lines.append(line)
        self.size += len(line) + 1
        if "(" in line or ")" in line:
            self.depth = max(0, self.depth + line.count("(") - line.count(")"))

    def flush(self) -> Iterator[Span]:
        """Yield the span gathered so far, if any."""
        if self.lines:
            yield Span(
                self.source,
                "\n".join(self.lines),
                self.syntax,
                line=self.first,
                running_text=self.running,
                bibtex=self.bibtex,
                biber=self.biber,
            )
        self.lines = []
        self.size = 0
        self.depth = 0


def read_plain(path: Path, text: str) -> Iterator[Span]:
    """Plain text: every line scanned, except a typed reference list and lines like entries."""
    builder = SpanBuilder(path, Syntax.PLAIN)
    in_refs = False
    for number, line in enumerate(iter_lines(text), start=1):
        if opens_references(line):
            in_refs = True
        elif in_refs and closes_references(line):
            in_refs = False
        yield from builder.add(number, line, not in_refs and not looks_like_entry(line))
    yield from builder.flush()


# A fence at any indentation: pandoc reads one indented 4 or more spaces as a code block of a
# list item, an indented code block or (inside a paragraph) inline code, and knitr runs a chunk
# at any indentation; in none of them does pandoc see a citation.
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = lazy(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_TICK_RUN = re.compile(r"`+")


def _ticks(run: str) -> re.Pattern[str]:
    """A run of exactly as many backticks as ``run`` (what closes a code span it opens)."""
    return re.compile(rf"(?<!`){run}(?!`)")


_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*)$")
# Quarto's include shortcode and a knitr chunk's ``child`` option bring another file in.
_QUARTO_INCLUDE = lazy(r"^\s*\{\{<\s*include\s+(\S+?)\s*>\}\}\s*$")
_CHILD = lazy(r"\bchild\s*=\s*(?:([\"'])(.+?)\1|(\S+))")
# A chunk's caption, which the document prints under its figure or table: knitr's ``fig.cap``
# in the chunk's header ("```{r, fig.cap = "Fuente: Erikson y Goldthorpe (1992)"}"), its
# ``fig.subcap`` (kauebraga/dissertacao credits a figure's source so: "Adaptada de Wessel
# (2019)") and ``fig.scap`` (the list of figures'), Quarto's ``#| fig-cap:`` and ``#| tbl-cap:``
# in its body (a string literal only; R code is not run). nsacco/clases-arg's chapters cite so
# in 39 captions, keys and author–year text. Compiled when a chunk's line may hold one.
_CAPTION = lazy(
    r"""(?:\b(?:fig|tbl)\.(?:sub|s)?cap\s*=\s*|^[ \t]*#\|[ \t]*(?:fig|tbl)-s?cap:[ \t]*)"""
    r"""(?:(["'])(.{1,2000}?)\1|(?<=:)[ \t]*([^"'\s|>].{0,2000}))"""
)
# Included files nested deeper than this are not followed (and said so).
MAX_INCLUDE_DEPTH = 32
# A top-level key of YAML front matter, and the keys whose values pandoc renders as Markdown
# with citations that argmap checks (never bibliography, authors or their e-mail addresses).
_YAML_KEY = lazy(r"([A-Za-z_][\w-]*)[ \t]*:(?=\s|$)")
# The line that closes a YAML block (pandoc: "---" or "..." then only spaces)
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_YAML_TEXT_KEYS = frozenset({"title", "subtitle", "abstract", "thanks"})
# A block quotation's line (``> …``), and its author–year parentheses: the works a quoted passage
# cites are its author's, out of the writer's reference list (APA 7, 8.32). Real documents quote
# abstracts whole: CEHS-research/eBook_multilevel quotes Cui and Qian (2007) with "(Hardin and
# Hilbe, 2003)", biostats-r/biostats quotes Wickham with "(Wilkinson, 2005)". The writer's own
# citation of the quotation follows its final punctuation ("… final words. (Smith, 2009, p. 4)"),
# and is read; pandoc's [@key] citations are read anywhere, as pandoc reads them.
_BLOCK_QUOTE = re.compile(r"^ {0,3}>")
# A GitHub alert (``> [!NOTE]``): the writer's own note set as a block quote, read as text
_ALERT = lazy(r"^ {0,3}>\s*\[!\w+\]")
_QUOTE_PAREN = re.compile(r"\(([^()]{1,400})\)")
# An attribution line under the quotation ("> --- Hadley Wickham, *ggplot2* (2016)"), the writer's
_ATTRIBUTION = lazy(r"^ {0,3}>[\s>]*(?:---?|—|―|–)")
# (after the final punctuation, or alone on the quotation's last line: "> (Smith, 2009, p. 4)",
# as a writer sets it under the quoted words; or after the closing quotation mark, before a
# final period, as Spanish writers close a quotation: "…'' (Wright, 1995, p. 59).", in
# nsacco/clases-arg's chapters, which LaTeX's quote environment and Markdown's ">" share)
_CLOSING_CITATION = lazy(
    r"(?:[.!?…\"”»][*_]*\s*|''\s*|^[\s>]*)(\([^()]{1,400}\)[*_]*\s*)$"
    r"|(?:[\"”»]|'')[*_]*\s*(\([^()]{1,400}\)[*_]*[.;]?\s*)$"
)
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"


def read_markdown(
    path: Path,
    text: str,
    read: Callable[[Path], str] | None = None,
    stack: tuple[Path, ...] = (),
) -> Iterator[Piece]:
    """Markdown, Quarto and R Markdown: code chunks, inline code (`` `r x` `` too), YAML front
    matter and HTML comments are not scanned; a References section is not running text.

    With ``read``, Quarto's ``{{< include file >}}`` and knitr's ``child="file"`` chunks are
    followed relative to the file, loops refused; every one not followed is reported.
    """
    stack = (*stack, path.resolve())
    builder = SpanBuilder(path, Syntax.MARKDOWN)
    fence: str | None = None
    chunk = False  # the open fence is an executable chunk, whose caption the document prints
    front_matter = False
    yaml_lines: list[str] = []  # the front matter, checked as pandoc reads it once closed
    yaml_key = ""  # the front matter's top-level key whose value the line belongs to
    # A YAML block later in the document, as pandoc reads one: "---" after a blank line, not
    # followed by one, closed by "---" or "..."; its text is read as the document's meanwhile.
    block_start: int | None = None
    block_lines: list[str] = []
    in_nocite = False  # within a later block's nocite field
    closers: list[int] | None = None  # the lines "---" and "...", found for a nocite field
    blank_before = False
    in_comment = False
    refs_level = 0  # the heading level of the open reference section, 0 when none
    quoting: str | None = None  # "quote" or "alert" from a "> " line to a blank line
    code = IndentedCode()
    ticks: str | None = None  # the backticks of a code span the line before left open
    tables = table_lines(text)  # the lines of pandoc's tables: where pandoc cuts them
    examples = _example_labels(text)  # "@label" of a numbered example is no citation
    lines = iter_lines(text)
    following = next(lines, None)
    number = 0
    while following is not None:
        line, following = following, next(lines, None)
        number += 1
        if number == 1 and line.rstrip() == "---" and following and following.strip():
            if _YAML_CLOSE.search(text, len(line) + 1):
                front_matter = True
                yield from builder.add(number, "")
                continue
            # pandoc reads an unclosed block as a rule and text: so is it read here
            if _YAML_KEY().match(following):
                yield Notice(
                    "front-matter-unclosed",
                    path,
                    1,
                    "the '---' on line 1 opens YAML front matter but no line '---' or '...' "
                    "closes it: pandoc reads the '---' as a horizontal rule and the YAML as "
                    "text, so its bibliography and title are not set",
                    "close the front matter with a line '---'",
                )
        if front_matter:
            if line.rstrip() in ("---", "..."):
                front_matter = False
                line = ""
                if yaml_lines and yaml_lines[0].strip():
                    # pandoc reads "---" then a blank line as a rule, not a metadata block
                    yield from _yaml_notice(path, 1, yaml_lines, "front matter")
            else:
                yaml_lines.append(line)
                line, yaml_key = _front_matter_line(line, yaml_key)
            yield from builder.add(number, line, running=False)
            continue
        if block_start is not None:
            if line.rstrip() in ("---", "..."):
                yield from _yaml_notice(path, block_start, block_lines, "metadata block")
                block_start = None
            elif not block_lines and not line.strip():
                block_start = None  # "---" and a blank line: a rule
            else:
                block_lines.append(line)
                in_nocite = (in_nocite and line[:1] in (" ", "\t", "-")) or line.replace(
                    " ", ""
                ).startswith("nocite:")
                if in_nocite and closers is None:
                    closers = [
                        n
                        for n, text_line in enumerate(text.split("\n"), 1)
                        if text_line.rstrip() in ("---", "...")
                    ]
                if in_nocite and closers and closers[-1] > number:
                    # a later block's nocite: its keys are no citations of the text, but
                    # entries it adds to the references (``argmap.checks.citations``); a
                    # block no line closes is text to pandoc, its keys citations
                    yield from builder.add(number, "", running=False)
                    continue
        elif blank_before and fence is None and not in_comment and line.rstrip() == "---":
            block_start, block_lines = number, []
        blank_before = not line.strip()
        if fence is not None:
            m = _FENCE.match(line)
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= len(fence)
                and not line.strip().lstrip(fence[0])
            ):
                fence = None
                code.close_paragraph()
            yield from builder.add(number, _caption(line) if chunk and "cap" in line else "")
            continue
        if not in_comment and code.is_code(line, following or ""):
            # an indented code block: pandoc reads no citation in it
            yield from builder.add(number, "")
            continue
        m = _FENCE.match(line)
        if m and not in_comment:
            fence = m.group(1)
            # an executable chunk ("```{r}", "```{python}"), not code shown ("```markdown")
            chunk = line[m.end() :].lstrip().startswith("{")
            code.close_paragraph()
            yield from builder.add(number, _caption(line) if chunk and "cap" in line else "")
            child = _CHILD().search(line) if "child" in line and "{" in line else None
            if child:
                yield from builder.flush()
                target = child.group(2) or child.group(3).rstrip("},")
                yield from _include(path, number, f"child={target!r}", target, read, stack)
            continue
        include = _QUARTO_INCLUDE().match(line) if "{{<" in line else None
        if include and not in_comment:
            yield from builder.flush()
            target = include.group(1)
            yield from _include(path, number, f"{{{{< include {target} >}}}}", target, read, stack)
            continue
        line, in_comment = _strip_comments(line, in_comment)
        if ticks is not None:
            # the code span the line before opened closes on this line
            close = _ticks(ticks).search(line)
            end = close.end() if close else 0
            line, ticks = " " * end + line[end:], None
        if "`" in line:
            # blanked by as many spaces, so that the columns of what follows stay true
            line = _INLINE_CODE().sub(lambda m: " " * len(m.group()), line)
            opened = _TICK_RUN.search(line)
            if (
                opened
                and following
                and following.strip()
                and not _FENCE.match(following)
                and _ticks(opened.group()).search(following)
            ):
                # a code span running over to the next line of the paragraph, as pandoc reads it
                line = line[: opened.start()] + " " * (len(line) - opened.start())
                ticks = opened.group()
        if "@" in line:
            line = _mask_at_in_markup(line)
            if examples is not None:
                line = examples.sub(lambda m: " " + m.group()[1:], line)
        cuts = tables.get(number) if tables else None
        if cuts is not None:
            line, cut_keys = _cut_cells(line, cuts)
            yield from _cut_notices(path, number, cut_keys)
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if opens_references(heading.group(2)):
                refs_level = level
            elif refs_level and level <= refs_level:
                refs_level = 0
        elif not refs_level and opens_references(line):
            refs_level = (
                7  # a bare "References" line, as some exports write it: any heading ends it
            )
        if quoting or (">" in line and _BLOCK_QUOTE.match(line)):
            if not line.strip():
                quoting = None
            elif quoting is None:
                quoting = "alert" if _ALERT().match(line) else "quote"
            if quoting == "quote" and "(" in line and not _ATTRIBUTION().match(line):
                last = following is None or not following.strip()
                line = quoted_passage(line, last)
        running = not refs_level and not looks_like_entry(line)
        yield from builder.add(number, line, running)
    yield from builder.flush()


def _caption(line: str) -> str:
    """A code chunk's line with only its caption's text kept, at its columns (blank when it
    has none)."""
    kept = [" "] * len(line)
    for m in _CAPTION().finditer(line):
        start, end = m.span(2) if m.group(2) is not None else m.span(3)
        kept[start:end] = line[start:end]
    return "".join(kept).rstrip()


def quoted_passage(line: str, last: bool) -> str:
    """A block quotation's line (Markdown's ``>``, LaTeX's quote environments) with its
    author–year parentheses blanked (by as many spaces), but the writer's citation that closes
    the quotation on its ``last`` line; key citations (``@key``, ``\\cite``) are kept."""
    keep = _CLOSING_CITATION().search(line) if last else None
    end = (keep.start(1) if keep.group(1) is not None else keep.start(2)) if keep else len(line)

    def blank(m: re.Match[str]) -> str:
        content = m.group(1)
        if "@" in content or "cite" in content or not any(c.isdigit() for c in content):
            return m.group()
        return " " * len(m.group())

    return _QUOTE_PAREN.sub(blank, line[:end]) + line[end:]


# A numbered example's marker, "(@label)" at a line's start (pandoc's example_lists): pandoc
# reads "@label" anywhere in the document, before or after it, as a reference to the example,
# never as a citation.
_EXAMPLE_MARKER = lazy(r"^[ \t]{0,3}\(@([\w-]+)\)[ \t]", re.MULTILINE)


def _example_labels(text: str) -> re.Pattern[str] | None:
    """A pattern of the "@label"s of the document's numbered examples, or None when it has
    none; each matches as the citation scanner would read the key (trailing punctuation
    aside)."""
    if "(@" not in text:
        return None
    labels = {m.group(1) for m in _EXAMPLE_MARKER().finditer(text)}
    if not labels:
        return None
    names = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    return re.compile(rf"@(?:{names})(?=[.:;,?!]*(?:[^\w:.#$%&+?<>~/-]|$))")


def _cut_notices(path: Path, number: int, cut_keys: list[tuple[int, str, str]]) -> Iterator[Notice]:
    """A table-cut warning for each citation a table's column boundary cuts on this line."""
    for column, before, after in cut_keys:
        yield Notice(
            "table-cut",
            path,
            number,
            f"column {column}: the table's column boundary cuts '{before}{after}' after "
            f"'{before}', so pandoc reads the citation {before.rstrip('.:;,?!')}",
            "widen the table's columns (its dashed line) so each citation stands in one column",
        )


def _cut_cells(row: str, cuts: list[int]) -> tuple[str, list[tuple[int, str, str]]]:
    """A simple table's row as pandoc reads its cells: what stands before the first column is
    dropped, and a word running over a column's start is two (``@Gaitan2016`` cut after
    ``@Gait`` cites ``Gait``, as pandoc warns); a space is put in at each such cut, so the
    columns after it on the line move by one. Also each citation so cut: its column and its
    parts before and after the cut."""
    chars = list(row)
    for i in range(min(cuts[0], len(chars))):
        chars[i] = " "
    cut_keys = []
    for cut in reversed(cuts[1:]):
        if 0 < cut < len(chars) and not chars[cut - 1].isspace() and not chars[cut].isspace():
            start = cut
            while start > 0 and not chars[start - 1].isspace():
                start -= 1
            end = cut
            while end < len(chars) and not chars[end].isspace():
                end += 1
            word = "".join(chars[start:cut])
            if "@" in word and word.index("@") < cut - start - 1:
                at = start + word.index("@")
                cut_keys.append((at + 1, "".join(chars[at:cut]), "".join(chars[cut:end])))
            chars.insert(cut, " ")
    cut_keys.reverse()
    return "".join(chars), cut_keys


# Where pandoc sees no citation though an "@" stands there: a link's or image's destination
# (``[text](https://fosstodon.org/@user)``), an autolink (``<https://x.org/@user>``), a link
# reference definition (not a footnote's, ``[^1]: @key``, whose text pandoc reads), and the
# braced arguments of a raw LaTeX command (``\index{x@y}``,
# ``\textbf{@k}``), which pandoc passes on as raw TeX. A bare URL in prose is a citation to
# pandoc (``medium.com/@user``) and stays.
_LINK_DESTINATION = re.compile(r"\]\(")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*\S+")
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?(?:\[[^\]]*\])?\{")


def _mask_at_in_markup(line: str) -> str:
    """The line with each "@" where pandoc reads no citation replaced by a space."""
    chars = list(line)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] == "@":
                chars[i] = " "

    definition = _LINK_DEFINITION.match(line)
    if definition:
        blank(0, definition.end())
    for m in _AUTOLINK.finditer(line):
        blank(m.start(), m.end())
    for m in _LINK_DESTINATION.finditer(line):
        blank(m.end(), _closing(line, m.end(), "(", ")"))
    for m in _TEX_COMMAND.finditer(line):
        blank(m.end(), _closing(line, m.end(), "{", "}"))
    return "".join(chars)


def _closing(line: str, start: int, opening: str, closing: str) -> int:
    """Where the bracket opened just before ``start`` closes (nested ones counted), or the
    line's end."""
    depth = 1
    for i in range(start, len(line)):
        ch = line[i]
        if ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth == 0:
                return i
    return len(line)


def _yaml_notice(path: Path, first_line: int, lines: list[str], block: str) -> Iterator[Notice]:
    """The problem of a YAML block pandoc would stop on, if it has one."""
    from argmap.manuscripts.frontmatter import front_matter_notice

    notice = front_matter_notice(path, first_line, lines, block)
    if notice is not None:
        yield notice


def _front_matter_line(line: str, key: str) -> tuple[str, str]:
    """A line of YAML front matter as scanned, and the top-level key it belongs to: the text of
    ``title``, ``subtitle``, ``abstract`` and ``thanks`` (pandoc renders their citations), the
    key itself blanked so that columns stay true; every other line (``bibliography``, authors'
    e-mail addresses) blank."""
    m = _YAML_KEY().match(line)
    if m:
        key = m.group(1)
        return (" " * m.end() + line[m.end() :] if key in _YAML_TEXT_KEYS else ""), key
    if not line[:1].isspace():
        # a comment or a list item at the margin: no key's text
        return "", key
    return (line if key in _YAML_TEXT_KEYS else ""), key


def _include(
    path: Path,
    number: int,
    written: str,
    target: str,
    read: Callable[[Path], str] | None,
    stack: tuple[Path, ...],
) -> Iterator[Piece]:
    """The pieces of a file a Quarto or R Markdown document includes, or why not."""
    found = path.parent / target
    reason = None
    if read is None:
        reason = "included files are not followed here"
    elif any(ch in target for ch in "`$(") or not target:
        reason = "it names no file argmap can resolve (R code)"
    elif not found.is_file():
        reason = f"no such file ({found})"
    elif found.resolve() in stack:
        yield Notice(
            "input-loop",
            path,
            number,
            f"{written} includes a file already being read ({found}): a loop, not followed",
            "remove the circular include",
            error=True,
        )
        return
    elif len(stack) >= MAX_INCLUDE_DEPTH:
        reason = f"files nested more than {MAX_INCLUDE_DEPTH} deep are not followed"
    if reason is not None or read is None:
        yield Notice(
            "input-not-followed",
            path,
            number,
            f"{written}: {reason}",
            "check the included file as a manuscript of its own",
        )
        return
    yield from read_markdown(found, read(found), read, stack)


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line with HTML comments blanked, and whether a comment is still open at its end."""
    if not in_comment and _COMMENT_OPEN not in line:
        return line, False  # nearly every line: kept as it is, not copied
    out: list[str] = []
    pos = 0
    while pos < len(line):
        if in_comment:
            end = line.find(_COMMENT_CLOSE, pos)
            if end < 0:
                return "".join(out), True
            out.append(" " * (end + len(_COMMENT_CLOSE) - pos))
            pos = end + len(_COMMENT_CLOSE)
            in_comment = False
        else:
            start = line.find(_COMMENT_OPEN, pos)
            if start < 0:
                out.append(line[pos:])
                break
            out.append(line[pos:start])
            out.append(" " * len(_COMMENT_OPEN))
            pos = start + len(_COMMENT_OPEN)
            in_comment = True
    return "".join(out), in_comment
