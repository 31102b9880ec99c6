"""The foundation every package may use: problems as data (``problems``, ``severity``), the rule
registry of their codes (``rules``), reading user files and writing output files whole
(``textio``), nearest-name suggestions (``suggest``), text from users' files made safe to show
or export: control characters as codes, Markdown escaped (``sanitize``), and paging long output
on a terminal (``pager``), pausing the garbage collector around work that makes many
objects and no cycles (``collector``), forked worker processes that a Ctrl-C or a dead
worker ends at once (``workers``), regular expressions compiled when first used
(``patterns``), and large freed blocks given back to the system (``allocator``).

May import: ``argmap.errors`` only.
"""
