"""The rule registry: every problem kind produced anywhere in src/ and every citation status has
a stable code, a name, a default severity and a fix, and the README's table lists them all."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from argmap.base.problems import Problem, Severity
from argmap.base.rules import BY_CODE, BY_NAME, RULES, matches, rule_for, unknown_patterns
from argmap.citations.matcher import Status

SRC = Path(__file__).parents[2] / "src" / "argmap"
README = Path(__file__).parents[2] / "README.md"


KEBAB = re.compile(r"[a-z]+(?:-[a-z]+)+")


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_message(node: ast.AST) -> bool:
    text = _literal(node)
    return isinstance(node, ast.JoinedStr) or (text is not None and " " in text)


def produced_kinds() -> dict[str, str]:
    """Every problem kind written as a literal in src/, wherever a producer writes it:
    ``kind="..."`` keywords (conditional ones too), the kebab-case literals passed to any call
    whose name ends in ``problem`` (``Problem(...)``, ``self.problem(...)``, ``_problem(bib,
    entry, "kind", ...)``), and tuples that open with a kebab-case literal and carry a message
    (the parse's ``(kind, line, message, ...)`` and the matcher's ``(kind, message, fix)``).
    Maps each kind to where it was found."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for kind, line in kinds_in(path.read_text(encoding="utf-8")).items():
            found.setdefault(kind, f"{path.relative_to(SRC)}:{line}")
    return found


def kinds_in(source: str) -> dict[str, int]:
    """The problem kinds a module's source writes as literals, with the line of each."""
    found: dict[str, int] = {}

    def add(node: ast.AST | None, where: int) -> None:
        if isinstance(node, ast.IfExp):
            add(node.body, where)
            add(node.orelse, where)
        elif (value := _literal(node)) is not None:
            found.setdefault(value, where)

    for node in ast.walk(ast.parse(source)):
        where = getattr(node, "lineno", 0)
        if isinstance(node, ast.Tuple) and len(node.elts) >= 3:
            first = _literal(node.elts[0])
            if first and KEBAB.fullmatch(first) and any(map(_is_message, node.elts[1:])):
                found.setdefault(first, where)
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "kind":
                add(keyword.value, where)
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name.lower().endswith("problem"):
            for arg in node.args:
                value = _literal(arg)
                if value and KEBAB.fullmatch(value):
                    found.setdefault(value, where)
    return found


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ('Problem(kind="new-kind", severity=E, source=s, line=1, message="m")', "new-kind"),
        ('Problem("new-kind", E, s, 1, "m")', "new-kind"),
        ('p = Problem(kind="a-b" if x else "new-kind", severity=E)', "new-kind"),
        ('self.problem("new-kind", line, f"x {y}")', "new-kind"),
        ('_problem(bib, entry, "new-kind", "a message", "a fix")', "new-kind"),
        ('problems.append(("new-kind", line, f"entry {key}", key, "fix", "error"))', "new-kind"),
        ('return ("new-kind", f"{found.text} is odd", "do this")', "new-kind"),
    ],
    ids=["keyword", "positional", "conditional", "method", "helper", "parse-tuple", "note-tuple"],
)
def test_the_collector_sees_every_way_of_writing_a_kind(source: str, kind: str) -> None:
    assert kind in kinds_in(source)


def test_the_collector_ignores_other_kebab_case_strings() -> None:
    source = 'TYPES = {"article": "article-journal"}\nitem["date-parts"] = [1]\nf("csl-json")'
    assert kinds_in(source) == {}


def test_the_collector_finds_the_kinds_of_every_producer() -> None:
    # if the collector went blind, the next test would pass for nothing
    kinds = produced_kinds()
    assert {"missing-field", "printed-differs", "printed-misspelt", "duplicate-field"} <= set(kinds)
    assert {"parse-failed", "string-cycle", "no-key", "never-cited"} <= set(kinds)


def test_every_kind_produced_in_src_has_a_rule() -> None:
    missing = {k: where for k, where in produced_kinds().items() if k not in BY_NAME}
    assert not missing, f"kinds without a code in argmap.base.rules.RULES: {missing}"


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_every_citation_status_has_a_rule(status: Status) -> None:
    assert str(status) in BY_NAME
    assert BY_NAME[str(status)].code.startswith("CIT")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    assert len(BY_CODE) == len(RULES) and len(BY_NAME) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"[A-Z]{3}\d{3}", rule.code), rule
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name), rule
        assert rule.meaning and rule.fix


def test_only_ok_is_not_a_problem() -> None:
    assert [r.name for r in RULES if r.severity is None] == ["ok"]


def test_an_unregistered_kind_is_shown_not_lost() -> None:
    problem = Problem("no-such-kind", Severity.ERROR, "a.bib", 3, "message")
    assert problem.code == "ARG000"
    assert rule_for("no-such-kind").name == "no-such-kind"


@pytest.mark.parametrize(
    ("code", "patterns", "expected"),
    [
        ("CIT201", ["CIT201"], True),
        ("CIT201", ["CIT2"], True),
        ("CIT201", ["CIT"], True),
        ("CIT201", ["ALL"], True),
        ("CIT101", ["CIT2"], False),
        ("BIB101", [], False),
    ],
    ids=["code", "prefix", "family", "all", "other-prefix", "none"],
)
def test_patterns_match_by_code_or_prefix(code: str, patterns: list[str], expected: bool) -> None:
    assert matches(code, patterns) is expected


def test_unknown_patterns_are_named() -> None:
    assert unknown_patterns(["CIT2", "XYZ", "BIB1", "CIT9"]) == ["XYZ", "CIT9"]


def test_readme_table_lists_every_rule_with_its_name_and_severity() -> None:
    text = README.read_text(encoding="utf-8")
    for rule in RULES:
        severity = str(rule.severity) if rule.severity else "—"
        row = re.search(rf"^\| `{rule.code}` \| `{rule.name}` \| {severity} \|", text, re.M)
        assert row, f"README lacks the row of {rule.code} {rule.name} ({severity})"


def test_bib105_says_what_a_run_that_mixes_tools_reports() -> None:
    # checked against the command: a crossref in another case, with a.tex built with BibTeX and
    # b.tex with biber, is one error whose message says both; the nested-crossref warning is
    # made only when every document that tells its tool is built with BibTeX
    meaning = BY_CODE["BIB105"].meaning
    assert "in a run that mixes them with BibTeX, the message says what each tool does" in meaning
    assert "when every document that tells its tool is built with BibTeX, a warning" in meaning
