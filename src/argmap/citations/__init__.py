"""Citations in running text: finding them in the spans of manuscripts (LaTeX, pandoc,
author–year), splitting printed author phrases, and matching them — and the items of
Zotero/Mendeley fields — to bibliography entries.

May import: ``argmap.manuscripts``, ``argmap.bib``, ``argmap.base``, ``argmap.errors``.
"""
