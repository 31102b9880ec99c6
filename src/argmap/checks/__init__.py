"""The checks: pure functions from a map, a bibliography and manuscripts to a report of citations
and problems.

May import: ``argmap.citations``, ``argmap.project``, ``argmap.map``, ``argmap.bib``, and below.
"""
