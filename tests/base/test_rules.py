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


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def produced_kinds() -> dict[str, str]:
    """Every problem kind written as a literal in src/: ``kind="..."`` keywords, the first
    argument of ``Problem(...)`` and of ``*.problem(...)``, the first item of tuples appended to
    a ``problems`` list (the BibTeX parse's form), and conditional kinds (``"a" if c else "b"``).
    Maps each kind to where it was found."""
    found: dict[str, str] = {}

    def add(node: ast.AST | None, where: str) -> None:
        if isinstance(node, ast.IfExp):
            add(node.body, where)
            add(node.orelse, where)
        elif (value := _literal(node)) is not None:
            found.setdefault(value, where)

    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            for keyword in node.keywords:
                if keyword.arg == "kind":
                    add(keyword.value, where)
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ("Problem", "problem") and node.args:
                add(node.args[0], where)
            if (
                name == "append"
                and isinstance(func, ast.Attribute)
                and "problems" in ast.unparse(func.value)
                and node.args
                and isinstance(node.args[0], ast.Tuple)
                and node.args[0].elts
            ):
                add(node.args[0].elts[0], where)
    return found


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
