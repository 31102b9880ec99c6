"""The names of the LaTeX cite commands natbib, biblatex, apacite, jurabib, bibentry and abnTeX2
define:
the scanner reads their uses; the LaTeX reader keeps the name of one a document declares again,
reads a definition of one as no citation, and a new name given to one as that command."""

from __future__ import annotations

# The natbib and biblatex citation commands whose mandatory argument is a list of keys (apacite's
# and jurabib's common forms too, and the bibentry package's \\bibentry, which BibTeX resolves
# as a \\cite). Each may be starred; optional arguments may run over lines.
CITE_COMMANDS = (
    "cite Cite citet Citet citep Citep citealt Citealt citealp Citealp citeauthor Citeauthor "
    "citefullauthor Citefullauthor citeyear citeyearpar citenum citedate citeurl citetitle "
    "Citetitle parencite Parencite footcite Footcite footcitetext textcite Textcite smartcite "
    "Smartcite supercite autocite Autocite fullcite footfullcite notecite pnotecite fnotecite "
    "nocite citeA citeNP citeANP citeyearNP shortcite shortciteA shortciteNP Shortcite "
    "bibentry "
    # abnTeX2's abntex2cite (Brazilian ABNT theses): each writes \\citation{key} to the .aux
    # (abntex2cite.sty; its \\citetext is left out, natbib's of the name takes text)
    "citeonline citeauthoronline footciteref Idem Ibidem opcit passim loccit cfcite "
    "etseq".split()
)
# biblatex's multicite commands: ``\cites(pre)(post)[pre][post]{a}[pre][post]{b}``.
MULTICITE_COMMANDS = (
    "cites Cites parencites Parencites footcites footcitetexts smartcites Smartcites textcites "
    "Textcites supercites autocites Autocites "
    # abntex2cite's \\apud[p.~3]{cited}{citing} and \\apudonline: two groups of keys
    "apud apudonline".split()
)
