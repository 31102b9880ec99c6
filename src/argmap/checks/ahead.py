"""Manuscripts read and scanned ahead by a helper process while this one reads the
bibliography: finding a manuscript's citations needs nothing of the bibliography, and on two
cores the two take about as long (README, *The warm check, two cores*).

This module is what the command imports before the helper is forked: it imports neither the
scanner nor the manuscript readers (the helper does, and this process only if the helper
fails), nor the bibliography's modules.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from time import monotonic
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
# left out: it has been scanned); None for a piece this process reads and scans itself.
Scanned = Iterable[tuple[Piece, list[Found] | None]]

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
    bibliography (scanning needs nothing of it), and sending each manuscript's pieces, with the
    citations found in them, a few at a time as it goes (``pieces``): this process matches the
    first while the helper scans the next. What the helper did not send — the rest of a
    manuscript with a reference manager's field codes (whose items are not sent), or of every
    manuscript after the helper failed — this process reads and scans itself, from the first
    piece not sent: the pieces are the same, read from the same text, in the same order."""

    def __init__(self, opened: list[tuple[Path, Iterator[Piece]]]) -> None:
        from argmap.base.helper import stream

        self.count = len(opened)
        self.started = monotonic()
        self.helper: Helper | None = stream(lambda: _scan_frames(opened))
        self._frames: Generator[object, None, None] | None = None
        # each manuscript's pieces received and not yet taken, and whether the helper sent
        # them all ("E"), left the rest to this process ("R") or failed before the end (None
        # while it is at work, "F" once it failed)
        self._queued: list[list[tuple[Piece, list[Found] | None]]] = [[] for _ in opened]
        self._state: list[str | None] = [None] * self.count
        self._at = 0  # the manuscript the helper's frames are about
        self._paths: dict[str, Path] = {}
        if self.helper is None:
            self._state = ["F"] * self.count

    def answered(self) -> bool:
        """Whether the helper has begun its answer (or ended): reading it would not wait."""
        import select

        if self.helper is None or self.helper.done or self._frames is not None:
            return True
        ready, _, _ = select.select([self.helper.fd], [], [], 0)
        return bool(ready)

    def scanning(self) -> bool:
        """Whether the helper is still at work: reading its answer now would wait."""
        return self.helper is not None and self.helper.running()

    def drain(self) -> None:
        """Take every frame the helper has still to send, so that it ends now: after a long
        read of the bibliography (a cold parse) its scan is long done and it only waits on the
        pipe, and a helper left waiting through the matching would add its memory to this
        process's peak."""
        while self._at < self.count and self._pull():
            pass
        self.cancel()  # every frame taken: the helper is reaped (killed, were it still there)

    def pieces(self, index: int, own: Iterator[Piece]) -> Scanned:
        """The pieces of the manuscript ``index`` (opened as ``own``) with their citations: the
        helper's as they come (waiting for them), then, if it did not send them all, the others
        of ``own`` for this process to scan, from the first it did not send."""
        sent = 0
        while True:
            queued = self._queued[index]
            if queued:
                self._queued[index] = []
                sent += len(queued)
                yield from queued
                continue
            if self._state[index] == "E":
                return
            if self._state[index] is not None or not self._pull():
                break
        yield from ((piece, None) for piece in islice(own, sent, None))

    def _pull(self) -> bool:
        """Take the helper's next frame (waiting for it); False when there is none (the helper
        ended or failed: every manuscript it had not finished is then this process's)."""
        helper = self.helper
        if helper is None or self._at >= self.count:
            return False
        if self._frames is None:
            self._frames = helper.frames()
        frame = next(self._frames, None)
        if frame is None or not self._take(frame):
            self.cancel()
            for index in range(self._at, self.count):
                self._state[index] = "F"
            self._at = self.count
            return False
        return True

    def _take(self, frame: object) -> bool:
        """File one frame — ("P", manuscript, pieces), ("E", manuscript) or ("R", manuscript),
        about the manuscript the helper is at, or ("K", manuscript, patterns) before the last
        one's end (the patterns it compiled afresh: ``argmap.cache.compiled.heard``) — or False
        when it is not exactly of that shape."""
        if not isinstance(frame, tuple) or len(frame) < 2 or frame[1] != self._at:
            return False
        kind = frame[0]
        if kind == "P" and len(frame) == 3:
            decoded = _decode_pieces(frame[2], self._paths)
            if decoded is None:
                return False
            self._queued[self._at].extend(decoded)
        elif kind == "K" and len(frame) == 3:
            from argmap.cache.compiled import heard

            return heard(frame[2])
        elif (kind == "E" or kind == "R") and len(frame) == 2:
            self._state[self._at] = kind
            self._at += 1
        else:
            return False
        return True

    def cancel(self) -> None:
        """End the helper if it is still at work."""
        if self._frames is not None:
            self._frames.close()  # (the helper is killed and reaped if it was not done)
        if self.helper is not None:
            self.helper.cancel()


# Pieces a frame carries: a few, so that matching starts soon after the helper does; enough
# that the frames' own costs (a write and a read, marshalling) stay small.
_PIECES_PER_FRAME = 16


def _scan_frames(opened: list[tuple[Path, Iterator[Piece]]]) -> Iterator[object]:
    """What the helper sends (in the helper), manuscript after manuscript: its pieces as plain
    tuples, spans with the citations found in them, a few at a time (("P", manuscript,
    pieces)); then ("E", manuscript) when all were sent, or ("R", manuscript) at a piece with a
    field code (the rest is this process's to read); before the last manuscript's, the
    patterns it compiled afresh, if any (("K", manuscript, patterns))."""
    from argmap.citations.scanner import scan_span

    for index, (_, pieces) in enumerate(opened):
        encoded: list[object] = []
        end = "E"
        for piece in pieces:
            if isinstance(piece, Span):
                founds = [tuple(found) for found in scan_span(piece)]
                encoded.append(("S", str(piece.source), piece.syntax.value, *piece[3:], founds))
            elif isinstance(piece, Notice):
                encoded.append(("N", str(piece.source), piece.kind, *piece[2:]))
            else:
                end = "R"
                break
            if len(encoded) == _PIECES_PER_FRAME:
                yield ("P", index, encoded)
                encoded = []
        if encoded:
            yield ("P", index, encoded)
        if index == len(opened) - 1:
            from argmap.cache.compiled import compiled_here

            # the patterns the helper compiled afresh (the scanner's, the reader's), for the
            # parent to keep for the next run with its own (argmap.cache.compiled)
            compiled = compiled_here()
            if compiled:
                yield ("K", index, compiled)
        yield (end, index)


_FOUND_FIELDS = len(Found._fields)
# A span is sent as "S" and its fields but the text, then its citations; a notice as "N" and
# its fields: both one more than the fields of a span and of a notice.
_ENCODED_FIELDS = len(Span._fields) + 1
_found = partial(tuple.__new__, Found)


def _decode_pieces(
    encoded_pieces: object, paths: dict[str, Path]
) -> list[tuple[Piece, list[Found] | None]] | None:
    """A frame's pieces as pieces, or None unless they are exactly of the shape the helper
    sends (``paths``: each source path met, made once)."""
    if not isinstance(encoded_pieces, list):
        return None
    pieces: list[tuple[Piece, list[Found] | None]] = []
    try:
        for encoded in encoded_pieces:
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
                # made at C speed (``Found._make`` is Python code), after a check that each
                # has all its fields
                if not all(map(_FOUND_FIELDS.__eq__, map(len, founds))):
                    return None
                pieces.append((span, list(map(_found, founds))))
            elif encoded[0] == "N":
                notice = Notice(encoded[2], source, *encoded[3:])
                pieces.append((notice, None))
            else:
                return None
    except (TypeError, ValueError, IndexError):
        return None
    return pieces


def scan_ahead(paths: list[Path], opened: list[tuple[Path, Iterator[Piece]]]) -> ScanAhead | None:
    """A helper reading and scanning the opened manuscripts (not read yet), when it pays
    (``shares_work``); else None, and each is read here when checked."""
    if not opened or not shares_work(paths):
        return None
    return ScanAhead(opened)
