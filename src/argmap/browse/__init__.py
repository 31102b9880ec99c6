"""The interactive terminal browser of `argmap browse`: ``content`` builds what the panes show
(claim details with formatted references, search, traces) from the map and the bibliography
without Textual; ``app`` is the Textual application, with its CSS in ``browse.tcss``.

May import: ``argmap.exporters`` and everything below it, and Textual (only here, and only
when the command runs); never typer.
"""
