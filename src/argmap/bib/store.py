"""Where an entry's non-core fields live: compact marshal blobs per parsed part, in memory or in the
cache's blob file, decoded only when an entry's full fields are asked for."""

from __future__ import annotations

import marshal
from typing import TYPE_CHECKING, Any

from argmap.bib.datamodel import INCOMPLETE_FIELD
from argmap.errors import BibliographyError

if TYPE_CHECKING:
    from argmap.cache.records import BlobFile

# Fields every entry keeps in memory: what matching, labels and messages need. The others
# (abstracts, notes, URLs, ...) stay compact until asked for; see RestStore.
CORE_FIELDS = frozenset({"author", "editor", "year", "date", "crossref", INCOMPLETE_FIELD})


class RestStore:
    """The non-core fields of a parsed file, one marshal blob per part, decoded on demand.

    A 20,000-entry file holds most of its bytes in abstracts and notes no check reads; kept as
    blobs — in the cache's blob file when there is one, else in memory — they cost little.
    """

    def __init__(self, blobs: BlobFile | None = None) -> None:
        self.file = blobs
        self.parts: list[bytes | tuple[int, int, int]] = []
        self._decoded: dict[int, list[Any]] = {}

    def add(self, blob: bytes | tuple[int, int, int]) -> int:
        """Keep a part's blob (or its place in the blob file); its index."""
        self.parts.append(blob)
        return len(self.parts) - 1

    def decode(self, index: int) -> list[Any]:
        """The rest of part ``index``: (field order, the other fields) per entry."""
        item = self.parts[index]
        try:
            if not isinstance(item, bytes):
                assert self.file is not None
                item = self.file.read(item)
            return list(marshal.loads(item))
        except (OSError, ValueError, EOFError, TypeError):
            if self.file is not None:
                self.file.discard()
            raise BibliographyError(
                "the cached copy of this bibliography is damaged (it has been removed)",
                hint="run the command again, or use --no-cache",
            ) from None

    def part(self, index: int) -> list[Any]:
        """``decode``, with the last two parts kept (loading a whole file is preload's job)."""
        found = self._decoded.get(index)
        if found is None:
            if len(self._decoded) >= 2:
                self._decoded.pop(next(iter(self._decoded)))
            found = self.decode(index)
            self._decoded[index] = found
        return found
