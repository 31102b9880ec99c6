"""Citations in running text: finding them in manuscripts (LaTeX, pandoc, author–year), splitting
printed author phrases, and matching them to bibliography entries.

May import: ``argmap.bib``, ``argmap.base``, ``argmap.errors``.
"""
