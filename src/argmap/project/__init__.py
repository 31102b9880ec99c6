"""A writer's project on disk: its configuration (``config``: ``[tool.argmap]`` or
``argmap.toml``), finding the map and bibliographies (or the shipped seed), and creating a new
project (``argmap init``).

May import: ``argmap.map``, ``argmap.bib``, ``argmap.base``, ``argmap.errors``.
"""
