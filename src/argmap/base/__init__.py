"""The foundation every package may use: problems as data (``problems``), reading user files and
writing output files whole (``textio``), nearest-name suggestions (``suggest``).

May import: ``argmap.errors`` only.
"""
