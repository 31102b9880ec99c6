"""How BibTeX 0.99d folds a citation key's case: ASCII letters only."""

from __future__ import annotations

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def bibtex_fold(key: str) -> str:
    """``key`` as BibTeX compares keys regardless of case: its ASCII capitals lowered, any
    other letter kept (BibTeX reads bytes: it finds ``\\cite{Müller2020}`` as ``müller2020``
    but not ``MÜLLER2020`` nor ``ångström1990`` as ``Ångström1990``; checked with 0.99d)."""
    return key.lower() if key.isascii() else key.translate(_ASCII_LOWER)
