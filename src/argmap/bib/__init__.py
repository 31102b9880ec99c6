"""The bibliography: the entry model and its data model (types, required fields), names and LaTeX
decoded, ``@string`` resolution, the index that reads plain entries with ``re`` (agreeing with
bibtexparser), the reader with bibtexparser's parse of the rest on all cores and the store of
non-core fields, CSL-JSON conversion and reference lists formatted by citeproc-py.

May import: ``argmap.cache``, ``argmap.base``, ``argmap.errors``.
"""
