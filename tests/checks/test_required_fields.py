"""Required fields of cited entries: entries that share a list of field names are judged alike
unless one inherits the missing field, cold and from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.bib.reader import load_bibliography
from argmap.checks.citations import Report, check_bibliography

# Three @incollection entries with the same field names (no booktitle): one gets
# it from its crossref parent. And an @article missing its journal.
BIB = """\
@book{parent, title = {The Book}, booktitle = {The Book}, publisher = {P}, year = {2000},
  author = {Roe, Jane}, editor = {Roe, Jane}}

@incollection{alone, author = {Doe, John}, title = {A}, year = {2001}}

@incollection{also, author = {Poe, Edgar}, title = {B}, year = {2002}}

@incollection{child, author = {Moe, Ann}, title = {C}, year = {2003}, crossref = {parent}}

@article{nojournal, author = {Doe, John}, title = {D}, year = {2004}}
"""


@pytest.mark.parametrize("reads", [1, 2], ids=["parsed", "warm-cache"])
def test_required_fields_of_entries_sharing_their_field_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: int
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    for _ in range(reads):
        bib = load_bibliography(path, use_cache=True)
    report = Report()
    check_bibliography(
        bib, {"alone", "also", "child", "nojournal"}, None, report, owned_by_map=False
    )
    found = [(p.key, p.message) for p in report.problems if p.kind == "missing-field"]
    assert found == [
        ("alone", "@incollection 'alone' lacks required field(s): booktitle"),
        ("also", "@incollection 'also' lacks required field(s): booktitle"),
        ("nojournal", "@article 'nojournal' lacks required field(s): journaltitle or journal"),
    ]
