"""Shared escaping: control characters as codes, Markdown special characters escaped."""

from __future__ import annotations

import json

import pytest

from argmap.base.sanitize import (
    escape_controls,
    escape_markdown,
    find_control,
    json_safe,
    one_line,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain [sic] text", "plain [sic] text"),
        ("red \x1b[31mtext", "red \\x1b[31mtext"),
        ("bell\x07 and DEL\x7f", "bell\\x07 and DEL\\x7f"),
        ("C1 \x9b2J", "C1 \\x9b2J"),
        ("bidi \u202eevil", "bidi \\u202eevil"),
        ("lines\nand\ttabs kept", "lines\nand\ttabs kept"),
        ("carriage\rreturn", "carriage\\rreturn"),
    ],
    ids=["plain", "esc", "bel-del", "c1", "bidi", "newline-tab", "cr"],
)
def test_escape_controls(raw: str, shown: str) -> None:
    assert escape_controls(raw) == shown


def test_one_line_escapes_newlines_too() -> None:
    assert one_line("two\nlines\tand \x1b") == "two\\nlines\\tand \\x1b"


@pytest.mark.parametrize(
    ("text", "at"),
    [("fine\ttext\n", None), ("a\x1bb", 1), ("\x00", 0), ("x\ry", 1), ("é\x85", 1)],
    ids=["tab-newline", "esc", "nul", "cr", "nel"],
)
def test_find_control(text: str, at: int | None) -> None:
    assert find_control(text) == at


def test_escape_markdown_neutralises_html_and_markup() -> None:
    out = escape_markdown("<img src=x onerror=alert(1)> *a* [b](c) @key $x$ &amp; \\cmd\x1b")
    assert "<" not in out.replace("\\<", "")
    assert out == (
        "\\<img src=x onerror=alert(1)\\> \\*a\\* \\[b\\](c) \\@key \\$x\\$ \\&amp; \\\\cmd\\\\x1b"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": "plain ascii"}', '{"a": "plain ascii"}'),
        ('{"a": "DEL\x7f in ascii"}', '{"a": "DEL\\u007f in ascii"}'),
        ('{"a": "Müller\u2028next"}', '{"a": "Müller\\u2028next"}'),
        ('{"a": "C1\x85 and \u202e"}', '{"a": "C1\\u0085 and \\u202e"}'),
        ('{"a": "Müller"}', '{"a": "Müller"}'),
    ],
    ids=["ascii", "ascii-del", "line-separator", "c1-bidi", "non-ascii-clean"],
)
def test_json_safe_escapes_what_json_leaves_raw(text: str, expected: str) -> None:
    # the ASCII fast path must still catch DEL, the one such character below 128
    assert json_safe(text) == expected
    assert json.loads(json_safe(text)) == json.loads(text)
