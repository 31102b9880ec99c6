"""Manuscripts as writers have them, one reader per format — plain text, Markdown (Quarto .qmd,
R Markdown .Rmd), LaTeX (.Rnw too, following \\input and \\include), Word .docx and OpenDocument
.odt — turned into text spans to scan (code, comments and typed reference lists masked; Markdown's
indented code and tables read as pandoc reads them: ``blocks``, ``tables``), the items of
Zotero, Mendeley and EndNote citations, and notices of what could not be followed.

May import: ``argmap.base``, ``argmap.errors``.
"""
