"""Which problems a run reports: ``--select`` and ``--ignore`` by code or prefix, warnings made
errors by ``--warn-as-error`` (``--strict`` for all), and inline suppressions in manuscripts and
map files (``% argmap: ignore[CIT201]``, ``<!-- argmap: ignore[CIT2] -->``, ``# argmap: ...``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from argmap.base.patterns import lazy
from argmap.base.problems import Severity
from argmap.base.rules import matches, unknown_patterns
from argmap.errors import ArgmapError

if TYPE_CHECKING:
    from argmap.checks.citations import Report

# A LaTeX comment (an unescaped %), an HTML comment, or a YAML/shell comment, holding
# "argmap: ignore[CODES]" with codes or prefixes separated by commas or spaces.
SUPPRESSION = lazy(r"(?:(?<!\\)%|<!--|#)\s*argmap:\s*ignore\[\s*([A-Za-z0-9,\s]*?)\s*\]")


class Selection(NamedTuple):
    """The codes (or prefixes) selected, ignored and made errors; empty ``select`` is all."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    warn_as_error: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls, select: list[str], ignore: list[str], warn_as_error: list[str], strict: bool
    ) -> Selection:
        """A selection from option values (each may hold several codes split by commas); a
        pattern that names no rule is a usage error."""
        chosen = cls(
            split_codes(select),
            split_codes(ignore),
            ("ALL",) if strict else split_codes(warn_as_error),
        )
        for option, patterns in (
            ("--select", chosen.select),
            ("--ignore", chosen.ignore),
            ("--warn-as-error", chosen.warn_as_error),
        ):
            unknown = unknown_patterns(patterns)
            if unknown:
                raise ArgmapError(
                    f"{option}: no rule has the code or prefix {', '.join(map(repr, unknown))}",
                    hint="argmap rules lists the codes",
                )
        return chosen

    def keeps(self, code: str) -> bool:
        """Whether a problem with ``code`` is reported."""
        selected = not self.select or matches(code, self.select)
        return selected and not matches(code, self.ignore)

    def apply(self, report: Report, suppressed: dict[str, dict[int, tuple[str, ...]]]) -> None:
        """Drop the problems not selected or suppressed on their line (counted as ignored);
        make the warnings named by ``warn_as_error`` errors."""
        kept = []
        for problem in report.problems:
            code = problem.code
            on_line = suppressed.get(problem.source, {}).get(problem.line or 0, ())
            if not self.keeps(code) or matches(code, on_line):
                report.ignored += 1
                continue
            if problem.severity is Severity.WARNING and matches(code, self.warn_as_error):
                problem = problem._replace(severity=Severity.ERROR)
            kept.append(problem)
        report.problems = kept


def split_codes(values: list[str]) -> tuple[str, ...]:
    """``["CIT2,BIB101", "MAP"]`` as ``("CIT2", "BIB101", "MAP")``, upper-cased."""
    return tuple(part.upper() for value in values for part in re.split(r"[,\s]+", value) if part)


def suppressions(text: str) -> dict[int, tuple[str, ...]]:
    """The codes suppressed on each line (1-based) of ``text`` by an inline comment."""
    found: dict[int, tuple[str, ...]] = {}
    if "argmap:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "argmap:" in line:
            codes = [c for m in SUPPRESSION().finditer(line) for c in split_codes([m.group(1)])]
            if codes:
                found[number] = tuple(codes)
    return found
