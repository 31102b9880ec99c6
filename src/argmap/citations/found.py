"""A citation as the scanner finds it: kept apart from the scanner, so that a process that
only matches citations found elsewhere (by a helper, see ``argmap.checks.ahead``) does not
import the scanner and compile its patterns."""

from __future__ import annotations

from typing import NamedTuple

# The year a citation of a work without a date is read with ("(Pérez, s.f.)", "(Smith, n.d.)",
# "(Müller, o.J.)"), and of a work not yet published ("(García, en prensa)", "(Smith,
# forthcoming)"): matched against entries with no year, or in press (``citations.matcher``).
UNDATED = "n.d."
IN_PRESS = "in press"


class Found(NamedTuple):
    """A citation found in a text: a key citation or an author–year one, with its line."""

    line: int
    text: str
    key: str | None = None
    authors: tuple[str, ...] = ()
    et_al: bool = False
    year: str | None = None
    suffix: str | None = None
    locator: str | None = None
    narrative: bool = False
    column: int = 1
    # Prose stood before the authors ("released by Microsoft, 2015"): a citation only if its
    # authors name an entry, as the words alone cannot tell a remark from a citation.
    tentative: bool = False
