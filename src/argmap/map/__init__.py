"""The argument map: its kinds and rule patterns without Pydantic (``kinds``), its Pydantic models,
the map as plain objects `argmap show` draws (``data``) and their making into the models
(``convert``), the YAML loader with file:line errors, the graph and its load-time checks, the
part a command works on (``scope``), traces through the argument, the words for its kinds in
each language, its JSON Schema, validated files as cacheable data (``stored``), and plainly valid
data made into plain objects without Pydantic (``plain``).

May import: ``argmap.cache``, ``argmap.base``, ``argmap.errors``.
"""
