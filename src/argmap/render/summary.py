"""The one summary line every human-readable report ends with."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argmap.checks.citations import Report


# Each status counted in words, singular and plural: "1 missing, 2 unknown keys", not the
# codes' "1 missing, 2 unknown-key" (the JSON report keeps the codes).
STATUS_WORDS = {
    "ok": ("ok", "ok"),
    "name-mismatch": ("name mismatch", "name mismatches"),
    "year-mismatch": ("year mismatch", "year mismatches"),
    "ambiguous": ("ambiguous", "ambiguous"),
    "missing": ("missing", "missing"),
    "unknown-key": ("unknown key", "unknown keys"),
}


def summary_line(report: Report, show_info: bool = True) -> str:
    """`56 citations: 50 ok, 6 name mismatches · 0 errors, 6 warnings, 21 info`, and how to see
    the info notes when they are hidden."""
    s = report.summary()
    statuses = ", ".join(f"{n} {STATUS_WORDS[k][n != 1]}" for k, n in s["by_status"].items() if n)
    line = (
        f"{_count(s['citations'], 'citation')}: {statuses or 'none'} · "
        f"{_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')}, {s['info']} info"
    )
    if s.get("ignored"):
        line += f", {s['ignored']} ignored"
    if not show_info and s["info"]:
        line += " (--all lists them)"
    return line


def _count(number: int, noun: str) -> str:
    """``1 error``, ``2 errors``, ``0 errors``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
