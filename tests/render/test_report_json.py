"""The check report's JSON is written piece by piece and equals one json.dumps of the whole."""

from __future__ import annotations

import json

from argmap.base.problems import Problem, Severity
from argmap.checks.citations import CitationRecord, Report
from argmap.citations.matcher import Status
from argmap.render.json import report_json


def test_streamed_json_equals_the_whole_document() -> None:
    reports = [
        Report(),
        Report(
            [
                CitationRecord("a.md", 1, 't "q"\n', Status.OK, "k", ("x",)),
                CitationRecord("b.docx", None, "(Rossi, 2009)", Status.MISSING, None, (), 3),
            ],
            [Problem("missing", Severity.ERROR, "b.docx", None, "no entry", paragraph=3)],
        ),
    ]
    for report in reports:
        expected = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
        assert report_json(report) == expected
