"""Renderings of results for people and scripts: the outline as a Rich tree or plain text, the
check report in every output format (``formats``: full, concise, JSON and its schema, GitHub
annotations, SARIF, GitLab Code Quality; ``identity``: paths from the repository's root and
fingerprints), traces, JSON.

May import: ``argmap.checks`` and everything below it; never typer.
"""
