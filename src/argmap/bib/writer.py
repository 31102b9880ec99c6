"""Bibliography entries written back as BibTeX text."""

from __future__ import annotations

from argmap.bib.model import BibEntry


def entry_text(entry: BibEntry) -> str:
    """One entry as BibTeX, fields aligned, values in braces."""
    width = max((len(name) for name in entry.fields), default=0)
    lines = [f"@{entry.type}{{{entry.key},"]
    lines += [f"  {name:<{width}} = {{{value}}}," for name, value in entry.fields.items()]
    lines.append("}")
    return "\n".join(lines)
