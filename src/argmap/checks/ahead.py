"""Manuscripts read and scanned ahead by a helper process while this one reads the
bibliography: finding a manuscript's citations needs nothing of the bibliography, and on two
cores the two take about as long (README, *The warm check, two cores*).

This module is what the command imports before the helper is forked: it imports neither the
scanner nor the manuscript readers (the helper does, and this process only if the helper
fails), nor the bibliography's modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.citations.found import Found
from argmap.manuscripts.spans import Notice, Piece, Span, Syntax

if TYPE_CHECKING:
    from argmap.base.helper import Helper


def open_manuscripts(paths: list[Path]) -> list[tuple[Path, Iterator[Piece]]]:
    """Each manuscript opened for reading (its type checked, its text read and decoded, a Word
    file opened), so unreadable input fails before the bibliography is parsed; the pieces are
    produced lazily, a paragraph at a time."""
    from argmap.manuscripts.read import open_manuscript

    return [(path, open_manuscript(path)) for path in paths]


# A manuscript's pieces as a helper read them, each span with the citations it found (its text
# left out: it has been scanned).
Scanned = list[tuple[Piece, list[Found] | None]]

# Manuscripts are read and scanned by a helper from this size on (all of them together).
# Forking, sending the citations found and making them again here cost 3-5 ms, and the helper
# imports the reader and the scanner (about 8 ms) that this process then does not; reading and
# scanning cost about 0.15 ms per KiB of the benchmark's manuscript. Measured whole processes
# (README, *The warm check, two cores*) gained nothing below 64 KiB on a busy machine.
SHARE_FROM_BYTES = 64 * 1024


def shares_work(paths: Iterable[Path]) -> bool:
    """Whether manuscripts are long enough, and two cores free enough, for a helper to pay:
    ``ARGMAP_WORKERS=1`` or a process allowed one core never forks one, nor argmap anywhere but
    on Linux (as its index workers)."""
    import os
    import sys

    from argmap.bib.parallel import default_workers

    size = 0
    for path in paths:
        try:
            size += os.stat(path).st_size
        except OSError:
            return False
    return size >= SHARE_FROM_BYTES and sys.platform == "linux" and default_workers() >= 2


class ScanAhead:
    """A helper process reading and scanning the manuscripts while this process reads the
    bibliography (scanning needs nothing of it): its answer is each manuscript's ``Scanned``,
    or None for a manuscript this process is to read itself (one with a reference manager's
    field codes, whose items are not sent; or every manuscript, if the helper failed)."""

    def __init__(self, opened: list[tuple[Path, Iterator[Piece]]]) -> None:
        from argmap.base.helper import start

        self.count = len(opened)
        self.helper: Helper | None = start(lambda: _scan_all(opened))

    def answered(self) -> bool:
        """Whether the helper has begun its answer (or ended): reading it would not wait."""
        import select

        if self.helper is None or self.helper.done:
            return True
        ready, _, _ = select.select([self.helper.fd], [], [], 0)
        return bool(ready)

    def results(self) -> list[Scanned | None]:
        """Each manuscript's pieces and citations, as the helper sent them."""
        answer = None if self.helper is None else self.helper.answer()
        decoded = _decode_scans(answer, self.count)
        return decoded if decoded is not None else [None] * self.count

    def cancel(self) -> None:
        """End the helper if it is still at work."""
        if self.helper is not None:
            self.helper.cancel()


def _scan_all(opened: list[tuple[Path, Iterator[Piece]]]) -> list[object]:
    """What the helper sends (in the helper): each manuscript's pieces as plain tuples, spans
    with the citations found in them, or None for a manuscript with a field code."""
    from argmap.citations.scanner import scan_span

    out: list[object] = []
    for _, pieces in opened:
        encoded: list[object] = []
        for piece in pieces:
            if isinstance(piece, Span):
                founds = [tuple(found) for found in scan_span(piece)]
                encoded.append(("S", str(piece.source), piece.syntax.value, *piece[3:], founds))
            elif isinstance(piece, Notice):
                encoded.append(("N", str(piece.source), piece.kind, *piece[2:]))
            else:
                break
        else:
            out.append(encoded)
            continue
        out.append(None)
    return out


_FOUND_FIELDS = len(Found._fields)
# A span is sent as "S" and its fields but the text, then its citations; a notice as "N" and
# its fields: both one more than the fields of a span and of a notice.
_ENCODED_FIELDS = len(Span._fields) + 1
_found = partial(tuple.__new__, Found)


def _decode_scans(answer: object, count: int) -> list[Scanned | None] | None:
    """The helper's answer as pieces, or None unless it is exactly of the shape it sends."""
    if not isinstance(answer, list) or len(answer) != count:
        return None
    paths: dict[str, Path] = {}
    out: list[Scanned | None] = []
    try:
        for manuscript in answer:
            if manuscript is None:
                out.append(None)
                continue
            pieces: Scanned = []
            for encoded in manuscript:
                if len(encoded) != _ENCODED_FIELDS:
                    return None
                source = paths.get(encoded[1])
                if source is None:
                    if not isinstance(encoded[1], str):
                        return None
                    source = paths[encoded[1]] = Path(encoded[1])
                if encoded[0] == "S":
                    *fields, founds = encoded[2:]
                    span = Span(source, "", Syntax(fields[0]), *fields[1:])
                    # made at C speed (``Found._make`` is Python code), after a check that
                    # each has all its fields
                    if not all(map(_FOUND_FIELDS.__eq__, map(len, founds))):
                        return None
                    pieces.append((span, list(map(_found, founds))))
                elif encoded[0] == "N":
                    notice = Notice(encoded[2], source, *encoded[3:])
                    pieces.append((notice, None))
                else:
                    return None
            out.append(pieces)
    except (TypeError, ValueError, IndexError):
        return None
    return out


def scan_ahead(paths: list[Path], opened: list[tuple[Path, Iterator[Piece]]]) -> ScanAhead | None:
    """A helper reading and scanning the opened manuscripts (not read yet), when it pays
    (``shares_work``); else None, and each is read here when checked."""
    if not opened or not shares_work(paths):
        return None
    return ScanAhead(opened)
