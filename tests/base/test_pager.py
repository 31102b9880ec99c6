"""Choosing the pager and when to page, as git does."""

from __future__ import annotations

import pytest

from argmap.base import pager


@pytest.mark.parametrize(
    ("argmap_pager", "pager_env", "expected"),
    [
        (None, None, "less"),
        (None, "cat", None),
        ("more", "less", "more"),
        ("no-such-pager-xyz", None, None),
        ("'unbalanced", None, None),
    ],
    ids=[
        "default-less",
        "pager-cat-means-none",
        "argmap-pager-wins",
        "not-installed",
        "bad-quoting",
    ],
)
def test_pager_command(
    monkeypatch: pytest.MonkeyPatch,
    argmap_pager: str | None,
    pager_env: str | None,
    expected: str | None,
) -> None:
    for name, value in (("ARGMAP_PAGER", argmap_pager), ("PAGER", pager_env)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(
        pager.shutil, "which", lambda cmd: f"/usr/bin/{cmd}" if cmd in {"less", "more"} else None
    )
    argv = pager.pager_command()
    assert (argv[0] if argv else None) == expected


@pytest.mark.parametrize(
    ("requested", "terminal", "lines", "expected"),
    [
        (None, True, 100, True),
        (None, True, 10, False),
        (True, True, 1, True),
        (False, True, 100, False),
        (True, False, 100, False),
        (None, False, 100, False),
    ],
    ids=["tall", "short", "asked", "refused", "asked-but-piped", "piped"],
)
def test_should_page(
    monkeypatch: pytest.MonkeyPatch,
    requested: bool | None,
    terminal: bool,
    lines: int,
    expected: bool,
) -> None:
    monkeypatch.setattr(pager, "stdout_is_terminal", lambda: terminal)
    monkeypatch.setattr(pager, "terminal_height", lambda: 24)
    assert pager.should_page(requested, "x\n" * lines) is expected
