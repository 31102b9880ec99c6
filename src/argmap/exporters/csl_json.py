"""CSL-JSON export: the references the map (or its focused part) uses, for Zotero, pandoc or any
citation processor. Entries a used entry crossrefs are included too."""

from __future__ import annotations

import json

from argmap.base.sanitize import json_safe
from argmap.bib.csl import entry_to_csl, inherit
from argmap.bib.model import subset
from argmap.exporters import ExportContext
from argmap.map.scope import cited_keys


def export(ctx: ExportContext) -> str:
    """The used entries as a CSL-JSON array, sorted by key."""
    assert ctx.bib is not None, "csl-json needs the bibliography"
    entries, _missing = subset(ctx.bib, cited_keys(ctx.map))
    items = [entry_to_csl(inherit(entry, ctx.bib)) for entry in entries]
    return json_safe(json.dumps(items, ensure_ascii=False, indent=2)) + "\n"
