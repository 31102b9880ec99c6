"""Where an entry's fields live until they are read: in the .bib text itself for entries the index
tokenized (all of them but the year), as compact marshal blobs of the non-core fields for parts
bibtexparser parsed, or as lists read from the cache — decoded only when asked for."""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from typing import Any

from argmap.bib.datamodel import INCOMPLETE_FIELD

# Fields every entry keeps in memory: what matching, labels and messages need. The others
# (abstracts, notes, URLs, ...) stay compact until asked for; see RestStore.
CORE_FIELDS = frozenset({"author", "editor", "year", "date", "crossref", INCOMPLETE_FIELD})

# One part's rest: a marshal blob of [(field order, other fields), ...], or any sequence of
# those pairs (the index's lazy view of the text, or a list read from the cache).
Rest = bytes | Sequence[Any]


class RestStore:
    """The non-core fields of a parsed file, one item per part, decoded on demand.

    A 20,000-entry file holds most of its bytes in abstracts and notes no check reads; left in
    the text or kept as blobs they cost little.
    """

    def __init__(self) -> None:
        self.parts: list[Rest] = []
        self._decoded: dict[int, Sequence[Any]] = {}

    def add(self, rest: Rest) -> int:
        """Keep a part's rest; its index."""
        self.parts.append(rest)
        return len(self.parts) - 1

    def decode(self, index: int) -> Sequence[Any]:
        """The rest of part ``index``: (field order, the other fields) per entry."""
        item = self.parts[index]
        if isinstance(item, bytes):
            return list(marshal.loads(item))
        return item

    def part(self, index: int) -> Sequence[Any]:
        """``decode``, with the last two parts kept (loading a whole file is preload's job)."""
        found = self._decoded.get(index)
        if found is None:
            if len(self._decoded) >= 2:
                self._decoded.pop(next(iter(self._decoded)))
            found = self.decode(index)
            self._decoded[index] = found
        return found
