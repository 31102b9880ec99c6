"""The bibliography: the entry model and its data model (biblatex and BibTeX types, required fields,
biber's inheritance table), links between entries (crossref, xdata, sets, ids), keys compared as
BibTeX compares them, names and LaTeX decoded, ``@string`` resolution, the readers — BibTeX through
an index that reads plain entries with ``re`` (agreeing with bibtexparser) and bibtexparser's parse
of the rest on all cores (several files at once), with the store of non-core fields and the columns
a parsed file is cached as (its entries made from them when looked up); CSL-JSON and CSL-YAML —
chosen per file and merged across files, CSL-JSON conversion and reference lists formatted by
pandoc's citeproc (run as a program) or citeproc-py.

May import: ``argmap.cache``, ``argmap.base``, ``argmap.errors``.
"""
