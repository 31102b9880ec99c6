"""BibTeX export: the subset of the bibliography the map (or its focused part) uses.

Entries are written with ``@string`` names already resolved, so the file stands alone; every
field is kept, argmap's ``x-provenance`` and ``x-incomplete`` included. Entries a used entry
crossrefs come along.
"""

from __future__ import annotations

from argmap.bib.model import subset
from argmap.bib.writer import entry_text
from argmap.exporters import ExportContext
from argmap.map.scope import cited_keys


def export(ctx: ExportContext) -> str:
    """The used entries, sorted by key, under a comment saying where they came from."""
    assert ctx.bib is not None, "bibtex needs the bibliography"
    entries, missing = subset(ctx.bib, cited_keys(ctx.map))
    scope = f"the part beneath {ctx.focus}" if ctx.focus else "the map"
    head = [
        f"% The {len(entries)} entries of {ctx.bib.path.name} that {scope} of "
        f"{ctx.map.article.key} uses, exported by argmap.",
    ]
    if missing:
        head.append(f"% Cited but not in {ctx.bib.path.name}: {', '.join(missing)}.")
    return "\n".join(head) + "\n\n" + "\n\n".join(entry_text(e) for e in entries) + "\n"
