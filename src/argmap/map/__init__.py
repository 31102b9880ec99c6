"""The argument map: its Pydantic models, the YAML loader with file:line errors, the graph and its
load-time checks, the part a command works on (``scope``), traces through the argument, the words
for its kinds in each language, and its JSON Schema.

May import: ``argmap.base``, ``argmap.errors``.
"""
