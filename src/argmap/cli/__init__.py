"""The command line: a thin Typer layer over the core. ``app`` builds the application, ``common``
holds the shared options, ``core`` the helpers that need no Typer, and each command has a module
of its own. ``quick`` reads a plainly written ``argmap show`` without Typer (the entry point
uses it) and ``drawing`` does show's work for both; ``usage`` runs the Typer application with
click's usage errors said in one line.

The only package that imports typer. May import every package below it.
"""
