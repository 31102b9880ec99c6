"""The branch LaTeX takes of an etoolbox ``\\iftoggle{name}{...}{...}`` (or ``\\nottoggle``) and
of an ifthen ``\\ifthenelse{\\boolean{name}}{...}{...}``, where the file itself decides it: a
toggle made with ``\\newtoggle`` (false) and set with ``\\toggletrue``, ``\\togglefalse`` or
``\\settoggle`` before the use, a boolean made with ``\\newboolean`` (false) and set with
``\\setboolean``. The branch not taken is blanked (lines and columns kept), so that a citation
in it is no citation of the document (LaTeX never writes it to the ``.aux``). Any other
condition (``\\equal``, ``\\isundefined``, a toggle a package or class sets, a setting inside a
definition or a group, a toggle known before the file reads another with ``\\input``,
``\\include``, ``\\subfile``, ``\\import`` or ``\\usepackage``, which may set it) keeps both
branches, as before.

Only a text holding ``\\iftoggle``, ``\\nottoggle`` or ``\\ifthenelse`` is read here: its braces
are followed across lines, which no other text pays for.
"""

from __future__ import annotations

import re

# What may decide a branch (the text is searched for these first, at C speed)
MARKS = ("\\iftoggle", "\\nottoggle", "\\ifthenelse")

# A control sequence or symbol (``\{`` is no brace), a brace, or a comment to the line's end
_TOKEN = re.compile(r"\\(?:[A-Za-z@]+|.)|[{}]|%[^\n]*", re.DOTALL)
_WORD = re.compile(r"\s*\{\s*([^{}\\\s]+)\s*\}")
_VALUE = re.compile(r"\s*\{\s*(true|false)\s*\}")
# the condition of \ifthenelse that the file can decide: one boolean, perhaps negated
_BOOLEAN = re.compile(r"\s*(\\(?:not|NOT)\s*)?\\boolean\s*\{\s*([^{}\\\s]+)\s*\}\s*")
_MAKERS = frozenset(("newtoggle", "providetoggle", "newboolean", "provideboolean"))
_SETTERS = frozenset(("toggletrue", "togglefalse", "settoggle", "setboolean"))
_CONDITIONALS = frozenset(("iftoggle", "nottoggle", "ifthenelse"))
# What reads another file, which may set a toggle or boolean this file made (\input{settings}
# holding \toggletrue{draft}): past one, no value is known
_READERS = frozenset(
    (
        "input",
        "include",
        "InputIfFileExists",
        "subfile",
        "import",
        "subimport",
        "inputfrom",
        "includefrom",
        "subinputfrom",
        "subincludefrom",
        "usepackage",
        "RequirePackage",
    )
)


def may_branch(text: str) -> bool:
    """Whether ``text`` holds a conditional this module may decide."""
    return any(mark in text for mark in MARKS)


def taken_branches(text: str) -> str:
    """``text`` with the branch not taken of each conditional the file decides blanked (every
    character but a newline made a space)."""
    toggles: dict[str, bool | None] = {}  # a toggle's value (None: not known), by name
    booleans: dict[str, bool | None] = {}
    blank: list[tuple[int, int]] = []
    # the groups open: True for a branch taken (run as the document runs), False for any other
    # (a definition's body, an argument, a TeX group: a setting there is not known to run)
    groups: list[tuple[int, bool]] = []  # (where the group opens, whether it is run)
    taken: set[int] = set()  # the opening braces of the branches taken
    dropped: dict[int, int] = {}  # the opening brace of a branch dropped -> its closing brace
    pos = 0
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        token, pos = m.group(), m.end()
        if token == "{":
            if m.start() in dropped:
                pos = dropped[m.start()] + 1  # LaTeX does not read it: nor is it run here
                continue
            groups.append((m.start(), m.start() in taken))
            continue
        if token == "}":
            if groups:
                groups.pop()
            continue
        if token[0] == "%" or len(token) < 3:
            continue
        name = token[1:]
        run = all(is_run for _, is_run in groups)
        if name in _MAKERS:
            word = _WORD.match(text, pos)
            if word is not None:
                values = toggles if "toggle" in name else booleans
                if name.startswith("new") or word[1] not in values:
                    values[word[1]] = False if run else None
                pos = word.end()
        elif name in _SETTERS:
            pos = _set(text, pos, name, run, toggles, booleans)
        elif name in _READERS:
            toggles = dict.fromkeys(toggles)
            booleans = dict.fromkeys(booleans)
        elif name in _CONDITIONALS:
            decided = _decide(text, pos, name, toggles, booleans)
            if decided is not None:
                (first, second), value = decided
                keep, drop = (first, second) if value else (second, first)
                blank.append((drop[0] + 1, drop[1]))
                taken.add(keep[0])
                dropped[drop[0]] = drop[1]
                pos = first[0]  # the branches are read as they come, the one dropped skipped
    return _blanked(text, blank) if blank else text


def _set(
    text: str,
    pos: int,
    name: str,
    run: bool,
    toggles: dict[str, bool | None],
    booleans: dict[str, bool | None],
) -> int:
    """Apply the setter ``name`` whose arguments start at ``pos``; where it reads up to."""
    word = _WORD.match(text, pos)
    if word is None:
        return pos
    values = booleans if name == "setboolean" else toggles
    if name in ("toggletrue", "togglefalse"):
        value: bool | None = name == "toggletrue"
        end = word.end()
    else:
        given = _VALUE.match(text, word.end())
        value = None if given is None else given[1] == "true"
        end = word.end() if given is None else given.end()
    if word[1] in values:
        # a setting in a group or a definition may not run, or runs elsewhere
        values[word[1]] = value if run else None
    return end


def _decide(
    text: str,
    pos: int,
    name: str,
    toggles: dict[str, bool | None],
    booleans: dict[str, bool | None],
) -> tuple[tuple[tuple[int, int], tuple[int, int]], bool] | None:
    """The two branches (each its braces' places) of the conditional ``name`` whose arguments
    start at ``pos`` and whether the first is taken, when the file decides it; else None."""
    if name == "ifthenelse":
        condition = _group(text, pos)
        if condition is None:
            return None
        test = _BOOLEAN.fullmatch(text, condition[0] + 1, condition[1])
        if test is None:
            return None
        value = booleans.get(test[2])
        if value is not None and test[1]:
            value = not value
        end = condition[1] + 1
    else:
        word = _WORD.match(text, pos)
        if word is None:
            return None
        value = toggles.get(word[1])
        if value is not None and name == "nottoggle":
            value = not value
        end = word.end()
    if value is None:
        return None
    first = _group(text, end)
    second = _group(text, first[1] + 1) if first is not None else None
    if first is None or second is None:
        return None
    return (first, second), value


def _group(text: str, pos: int) -> tuple[int, int] | None:
    """The places of the opening and closing brace of the group starting at ``pos`` (after
    blanks), or None when none starts there or it does not close."""
    at = pos
    while at < len(text) and text[at] in " \t\n":
        at += 1
    if at >= len(text) or text[at] != "{":
        return None
    depth = 0
    for m in _TOKEN.finditer(text, at):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return at, m.start()
    return None


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span's characters but newlines made spaces."""
    chars = list(text)
    for start, end in spans:
        for at in range(start, end):
            if chars[at] != "\n":
                chars[at] = " "
    return "".join(chars)
