"""A writer's project on disk: its configuration (``config``: ``[tool.argmap]`` or
``argmap.toml``), finding the map and bibliographies (or the shipped seed), creating a new
project (``argmap init``), and what a manuscript's build names: its bibliography
(``documents``), the output formats and tools of a Quarto or R Markdown document (``builds``),
and a pandoc run's defaults and metadata files (``pandocrun``).

May import: ``argmap.manuscripts``, ``argmap.map``, ``argmap.bib``, ``argmap.base``,
``argmap.errors``.
"""
