"""The bibliography: the entry model and its data model (types, required fields), names and LaTeX
decoded, ``@string`` resolution, the BibTeX reader with its parse in parts on all cores and its
blob store of non-core fields, CSL-JSON conversion and reference lists formatted by pandoc's citeproc (run as a program)
or citeproc-py.

May import: ``argmap.cache``, ``argmap.base``, ``argmap.errors``.
"""
