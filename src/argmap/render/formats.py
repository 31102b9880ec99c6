"""The output formats of check reports, one module each, behind one function. Light to import:
each format's module is imported only when it is asked for."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argmap.checks.citations import Report


class ReportFormat(StrEnum):
    """How a check report is written (``table`` is the old name of ``full``)."""

    FULL = "full"
    CONCISE = "concise"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"
    GITLAB = "gitlab"
    TABLE = "table"


def default_format(stdout_is_terminal: bool) -> ReportFormat:
    """The full view on a terminal; concise lines when piped, as editors and grep read them."""
    return ReportFormat.FULL if stdout_is_terminal else ReportFormat.CONCISE


def write_report(
    report: Report, fmt: ReportFormat, show_all: bool = False, width: int | None = None
) -> None:
    """Write ``report`` to stdout in ``fmt``; ``show_all`` adds info notes (and, in the full
    view, ok citations) to the human formats; the machine formats always hold everything."""
    if fmt is ReportFormat.FULL or fmt is ReportFormat.TABLE:
        from rich.console import Console

        from argmap.render.report import print_report

        print_report(report, Console(width=width), show_all)
        return
    if fmt is ReportFormat.CONCISE:
        from argmap.render.concise import render_concise

        text = render_concise(report, show_all)
    elif fmt is ReportFormat.JSON:
        from argmap.render.json import report_json_chunks

        # written object by object: a report of half a million citations is never one string
        sys.stdout.writelines(report_json_chunks(report))
        return
    elif fmt is ReportFormat.GITHUB:
        from argmap.render.github import render_github

        text = render_github(report, show_all)
    elif fmt is ReportFormat.GITLAB:
        from argmap.render.gitlab import render_gitlab

        text = render_gitlab(report, show_all)
    elif fmt is ReportFormat.SARIF:
        from argmap.render.sarif import render_sarif

        text = render_sarif(report)
    else:  # pragma: no cover - the exhaustiveness test iterates the enum
        raise AssertionError(fmt)
    sys.stdout.write(text)
