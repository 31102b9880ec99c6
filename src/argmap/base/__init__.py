"""The foundation every package may use: problems as data (``problems``, ``severity``), the rule
registry of their codes (``rules``), reading user files and writing output files whole
(``textio``), nearest-name suggestions (``suggest``).

May import: ``argmap.errors`` only.
"""
