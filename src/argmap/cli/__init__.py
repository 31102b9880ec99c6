"""The command line: a thin Typer layer over the core. ``app`` builds the application, ``common``
holds the shared options and helpers, and each command has a module of its own.

The only package that imports typer. May import every package below it.
"""
