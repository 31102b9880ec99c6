"""Which Markdown lines pandoc reads as an indented code block: a line indented four columns
(a tab counts to the next multiple of four) past its list item's content, unless it continues
an open paragraph; list items, definitions, footnotes and block quotes followed as pandoc
follows them."""

from __future__ import annotations

import re

# A list item's marker as pandoc's Markdown reads one (bullets, numbers, letters, roman
# numerals, "#.", example lists, with "." or ")" or in parentheses) or a definition's ":" or
# "~", then the spaces up to its content; a capital letter with "." needs two spaces.
_LIST_MARKER = re.compile(
    r"(?:[-+*]|(?:\(?(?:\d{1,9}|#|[a-z]|[ivxlcdm]+|@[\w-]*)[.)])|\((?:\d{1,9}|#|[a-zA-Z]"
    r"|[ivxlcdmIVXLCDM]+|@[\w-]*)\)|[A-Z]\)|[IVXLCDM]+\)|(?:[A-Z]|[IVXLCDM]+)\.(?= )|[:~])"
    r"(?:( +)|$)"
)
_HRULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
# pandoc reads a line followed by one of these as a setext heading, before it would read the
# line as indented code, and only at a block's start (a paragraph's later lines stay text)
_SETEXT = re.compile(r"^(?:=+|-+) *$")
_DIV_OPEN = re.compile(r"^ {0,3}:{3,} *[^\s:]")
_DIV_CLOSE = re.compile(r"^ {0,3}:{3,} *$")
_HTML_LINE = re.compile(r"^ {0,3}</?[A-Za-z][^>]*>\s*$|^ {0,3}<!--.*-->\s*$")
# A footnote's definition, ``[^label]:``: pandoc takes the lines after it indented four columns
# (from the margin, wherever the marker stands) as the note's text, not as code
_NOTE = re.compile(r"\[\^[^\]\s]+\]:")


class _Context:
    """One reading context (the document, or the inside of a block quote): the content
    columns of the list items open, and whether a paragraph is open to take a continuation."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.paragraph = False  # a paragraph is open (its lines so far: paragraph_lines)
        self.paragraph_lines = 0
        self.blank_before = True
        self.in_code = False
        self.divs = 0  # fenced divs open

    def is_code(self, line: str, following: str) -> bool:
        """Whether ``line`` (tabs expanded; ``following`` is the next line) is a line of an
        indented code block; the context moves past it."""
        if not line.strip():
            self.paragraph = False
            self.blank_before = True
            return False
        blank_before, self.blank_before = self.blank_before, False
        code, self.in_code = self.in_code, False
        indent = len(line) - len(line.lstrip(" "))
        if blank_before or not self.paragraph:
            while self.items and indent < self.items[-1]:
                self.items.pop()
        base = self.items[-1] if self.items else 0
        if indent - base >= 4 and not self.paragraph and (code or not _SETEXT.match(following)):
            self.in_code = True
            return True
        if self.paragraph and self.divs and _DIV_CLOSE.match(line):
            self.divs -= 1
            self.paragraph = False
            return False
        if self.paragraph and not self.items:
            self.paragraph_lines += 1
            if self.paragraph_lines == 2 and _SETEXT.match(line):
                self.paragraph = False
            return False  # a continuation line (a list needs a blank line before it)
        rest = line[indent:]
        note = _NOTE.match(rest) if indent - base < 4 and rest[:2] == "[^" else None
        if note:
            self.items.append(base + 4)
            if rest[note.end() :].strip():
                self._open_paragraph()
            else:
                self.paragraph = False
            return False
        marker = _LIST_MARKER.match(rest) if indent - base < 4 else None
        if marker and not _HRULE.match(line):
            spaces = len(marker.group(1) or "")
            width = marker.end() - spaces
            if marker.group(1) is None:
                # an empty item: its content starts a column after the marker
                self.items.append(indent + width + 1)
                self.paragraph = False
                return False
            if spaces > 4:
                # four columns or more after the marker's space: the item opens with code
                self.items.append(indent + width + 1)
                self.paragraph = False
                return True
            self.items.append(indent + width + spaces)
            self._open_paragraph()
            return False
        if self.paragraph:
            # a continuation line, lazy or not; a setext underline closes a one-line heading
            self.paragraph_lines += 1
            if self.paragraph_lines == 2 and _SETEXT.match(line):
                self.paragraph = False
            return False
        if _DIV_OPEN.match(line):
            self.divs += 1
        elif self.divs and _DIV_CLOSE.match(line):
            self.divs -= 1
        elif not (_ATX.match(line) or _HRULE.match(line) or _HTML_LINE.match(line)):
            self._open_paragraph()
        return False

    def _open_paragraph(self) -> None:
        self.paragraph = True
        self.paragraph_lines = 1

    def close_paragraph(self) -> None:
        """A line read elsewhere (a fence, a YAML block) closes any open paragraph."""
        self.paragraph = False
        self.blank_before = False
        self.in_code = False


_QUOTE = re.compile(r"^ {0,3}>")


class IndentedCode:
    """Follows a Markdown document line by line and says which lines are indented code."""

    def __init__(self) -> None:
        self.document = _Context()
        self.quote: _Context | None = None

    def is_code(self, line: str, following: str) -> bool:
        """Whether ``line`` (followed by ``following``) is a line of an indented code block,
        as pandoc reads it."""
        document = self.document
        if not line or line.isspace():
            self.quote = None
            document.paragraph = False
            document.blank_before = True
            return False
        if (
            self.quote is None
            and document.paragraph
            and not document.items
            and not document.divs
            and line[:1] not in ("", " ", "\t")
        ):
            # most lines: one more line of an open paragraph at the margin, outside lists
            document.blank_before = document.in_code = False
            document.paragraph_lines += 1
            if document.paragraph_lines == 2 and _SETEXT.match(line):
                document.paragraph = False
            return False
        expanded = line.expandtabs(4) if "\t" in line else line
        if self.quote is not None or not document.paragraph:
            quoted = _QUOTE.match(expanded) if ">" in expanded[:4] else None
            if quoted and not (
                len(expanded) - len(expanded.lstrip(" ")) - self._base() >= 4
                and not self.document.paragraph
            ):
                if self.quote is None:
                    self.quote = _Context()
                inner = expanded
                while True:
                    m = _QUOTE.match(inner)
                    if not m:
                        break
                    inner = inner[m.end() :]
                    inner = inner[1:] if inner.startswith(" ") else inner
                code = self.quote.is_code(inner, "")
                self.document.paragraph = self.quote.paragraph
                self.document.blank_before = False
                return code
        if self.quote is not None and not (self.quote.paragraph and expanded.strip()):
            self.quote = None
        return self.document.is_code(expanded, following)

    def _base(self) -> int:
        return self.document.items[-1] if self.document.items else 0

    def close_paragraph(self) -> None:
        """A line read elsewhere (a fence, a YAML block) closes any open paragraph."""
        self.document.close_paragraph()
        self.quote = None
