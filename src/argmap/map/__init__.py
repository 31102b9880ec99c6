"""The argument map: its Pydantic models, the YAML loader with file:line errors, the graph and its
load-time checks, the part a command works on (``scope``), traces through the argument, the words
for its kinds in each language, its JSON Schema, validated files as cacheable data
(``stored``), and plainly valid data made into models without Pydantic's validators
(``plain``).

May import: ``argmap.cache``, ``argmap.base``, ``argmap.errors``.
"""
