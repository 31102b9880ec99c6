"""CSL-JSON export: the references the map (or its focused part) uses, for Zotero, pandoc or any
citation processor. Entries a used entry crossrefs are included too."""

from __future__ import annotations

import json

from argmap.base.sanitize import json_safe
from argmap.bib.csl import entry_to_csl, inherit
from argmap.bib.model import subset
from argmap.bib.refs import csl_sources
from argmap.exporters import ExportContext
from argmap.map.scope import cited_keys


def export(ctx: ExportContext) -> str:
    """The used entries as a CSL-JSON array, sorted by key."""
    assert ctx.bib is not None, "csl-json needs the bibliography"
    entries, _missing = subset(ctx.bib, cited_keys(ctx.map))
    # Untagged entries are taken to be in the language the Markdown export declares (lang:).
    # an entry read from a CSL file is copied as written (its text is not LaTeX)
    from_csl = csl_sources(entries, ctx.bib)
    items = [
        entry_to_csl(
            inherit(entry, ctx.bib), ctx.lang, latex=ctx.bib.path_of(entry.key) not in from_csl
        )
        for entry in entries
    ]
    return json_safe(json.dumps(items, ensure_ascii=False, indent=2)) + "\n"
