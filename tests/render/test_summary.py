"""The summary line every human-readable report ends with."""

from __future__ import annotations

import pytest

from argmap.checks.citations import CitationRecord, Report
from argmap.citations.matcher import Status
from argmap.render.summary import STATUS_WORDS, summary_line


def _report(**counts: int) -> Report:
    citations = [
        CitationRecord("paper.md", 1, "x", Status(status.replace("_", "-")), None)
        for status, n in counts.items()
        for _ in range(n)
    ]
    return Report(citations=citations)


def test_every_status_has_words() -> None:
    assert set(STATUS_WORDS) == {str(s) for s in Status}


@pytest.mark.parametrize(
    ("counts", "said"),
    [
        ({"missing": 1, "unknown_key": 1}, "2 citations: 1 missing, 1 unknown key ·"),
        (
            {"ok": 17, "name_mismatch": 1, "year_mismatch": 2, "unknown_key": 5},
            "25 citations: 17 ok, 1 name mismatch, 2 year mismatches, 5 unknown keys ·",
        ),
        (
            {"ok": 1, "ambiguous": 2, "name_mismatch": 3},
            "6 citations: 1 ok, 3 name mismatches, 2 ambiguous ·",
        ),
    ],
    ids=["one-each", "plurals", "order-of-statuses"],
)
def test_counts_are_words_that_agree_with_them(counts: dict[str, int], said: str) -> None:
    # the codes read as counts beside plain words: "1 missing, 1 unknown-key", "2 year-mismatch"
    assert summary_line(_report(**counts)).startswith(said)
