"""A writer's project on disk: finding the map and bibliography (or the shipped seed) and creating
a new project (``argmap init``).

May import: ``argmap.map``, ``argmap.bib``, ``argmap.base``, ``argmap.errors``.
"""
