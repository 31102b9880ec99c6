"""Renderings of results for people and scripts: the outline as a Rich tree or plain text, the
check report, traces, JSON.

May import: ``argmap.checks`` and everything below it; never typer.
"""
