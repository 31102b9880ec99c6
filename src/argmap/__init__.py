"""argmap: argument maps of scholarly papers, and their citations checked against BibTeX."""

__version__ = "0.1.0"
