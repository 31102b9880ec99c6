"""A baseline for a manuscript that adopts argmap late: the problems a JSON report recorded
(``check-citations --output-format json > argmap-baseline.json``) are not reported again, new
ones are. A problem is the same problem when its file, code, key and message are (the line
numbers in the message left out, and its own line not counted: text added above it moves it);
as ESLint's bulk suppressions count violations per file and rule, a baseline holds a count of
each, and when a file has more of one than recorded, all of them are reported (which is the new
one cannot be told)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from argmap.errors import ArgmapError

if TYPE_CHECKING:
    from argmap.checks.citations import Report

# Line numbers a message quotes (``refs.bib:12``, ``(line 4)``, ``lines 3 and 9``, ``¶2``) move
# with an edit above them, and are left out of a problem's identity.
_PLACE = re.compile(r"(?<=\S):\d+(?::\d+)?\b|\blines? \d+(?:(?:, | and |–|-)\d+)*|¶\d+")
_WRITE = "write it with: argmap check-citations --output-format json > argmap-baseline.json"


def problem_identity(code: str, path: str, key: str | None, message: str) -> str:
    """What makes a problem the same problem after an edit: its code, file, key and message,
    without the line numbers the message quotes."""
    text = _PLACE.sub("", " ".join(message.split()))
    return "\0".join((code, path, key or "", text))


class Baseline(NamedTuple):
    """The problems a baseline file recorded: how many of each identity, by file."""

    path: Path
    counts: Counter[str]
    sources: dict[str, set[str]]  # file -> the identities recorded in it


def read_baseline(path: Path) -> Baseline:
    """The baseline in ``path``, a JSON report of ``check-citations``; an unreadable file or one
    that is not such a report is an error naming it (exit 2)."""
    from argmap.base.textio import read_text

    text = read_text(path, ArgmapError, "baseline")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArgmapError(
            f"not JSON: {error.msg} (column {error.colno})",
            path=path,
            line=error.lineno,
            hint=_WRITE,
        ) from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ArgmapError(
            'not a JSON report of argmap check-citations (no "version": 1)', path=path, hint=_WRITE
        )
    problems = data.get("problems")
    if not isinstance(problems, list):
        raise ArgmapError('no "problems" list', path=path, field="problems", hint=_WRITE)
    counts: Counter[str] = Counter()
    sources: dict[str, set[str]] = {}
    for index, problem in enumerate(problems):
        fields = _fields(problem)
        if fields is None:
            raise ArgmapError(
                "not a problem of argmap's JSON report (code, source and message are strings, "
                "key a string or null)",
                path=path,
                field=f"problems[{index}]",
                hint=_WRITE,
            )
        identity = problem_identity(*fields)
        counts[identity] += 1
        sources.setdefault(fields[1], set()).add(identity)
    return Baseline(path, counts, sources)


def _fields(problem: object) -> tuple[str, str, str | None, str] | None:
    """A JSON problem's code, source, key and message, or None when it has not their types."""
    if not isinstance(problem, dict):
        return None
    code, source, key, message = (problem.get(f) for f in ("code", "source", "key", "message"))
    if not (isinstance(code, str) and isinstance(source, str) and isinstance(message, str)):
        return None
    if key is not None and not isinstance(key, str):
        return None
    return code, source, key, message


class BaselineResult(NamedTuple):
    """What a baseline did to a report: problems not reported, and recorded ones now gone."""

    dropped: int
    gone: int


def apply_baseline(report: Report, baseline: Baseline) -> BaselineResult:
    """Drop the problems the baseline recorded (counted as ignored), unless a file now has more
    of one than recorded; count the recorded problems of the files checked that are gone."""
    identities = [problem_identity(p.code, p.source, p.key, p.message) for p in report.problems]
    current = Counter(identities)
    kept = []
    for problem, identity in zip(report.problems, identities, strict=True):
        if current[identity] <= baseline.counts.get(identity, 0):
            continue
        kept.append(problem)
    dropped = len(report.problems) - len(kept)
    report.problems = kept
    report.ignored += dropped
    # only the files this run checked: a run of a few staged files has not fixed the others
    checked = {c.source for c in report.citations} | {source for source in _sources(identities)}
    gone = sum(
        max(0, baseline.counts[identity] - current.get(identity, 0))
        for source in checked
        for identity in baseline.sources.get(source, ())
    )
    return BaselineResult(dropped, gone)


def _sources(identities: list[str]) -> set[str]:
    """The files of problem identities."""
    return {identity.split("\0", 2)[1] for identity in identities}
