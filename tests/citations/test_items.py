"""Matching a reference manager's stored items (Zotero, Mendeley) to bibliography entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from argmap.bib.sources import read_bibliographies
from argmap.citations.items import ItemMatcher
from argmap.citations.matcher import Matcher, Status
from argmap.manuscripts.spans import CslItem

# the shape of a real Zotero item (elliotjohnson-hall/ContraceptionPaper, Manuscript.docx): a
# web page with an organisation as author, a URL, and neither title nor date
ZOTERO_EXPORT = [
    {
        "id": "nationalrecordsofscotland",
        "type": "post-weblog",
        "URL": "https://www.nrscotland.gov.uk/statistics-and-data/statistics",
        "author": [{"family": "National Records of Scotland", "given": ""}],
    },
    {
        "id": "rossi2009",
        "type": "article-journal",
        "title": "Small Firms in Industrial Clusters",
        "author": [{"family": "Rossi", "given": "Ana"}],
        "issued": {"date-parts": [[2009]]},
    },
]


@pytest.fixture
def items(tmp_path: Path) -> ItemMatcher:
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps(ZOTERO_EXPORT), encoding="utf-8")
    return ItemMatcher(Matcher(read_bibliographies([path], use_cache=False)))


def test_an_undated_item_is_its_authors_undated_entry(items: ItemMatcher) -> None:
    # it was "no entry for National Records of Scotland n.d.", the work being in the export
    item = CslItem(None, ("National Records of Scotland",), None, None)
    match = items.resolve(item, "[25]")
    assert (match.status, match.key) == (Status.OK, "nationalrecordsofscotland")


@pytest.mark.parametrize(
    ("item", "status"),
    [
        pytest.param(CslItem(None, ("Rossi",), None, None), Status.YEAR_MISMATCH, id="dated-entry"),
        pytest.param(CslItem(None, ("Kim",), None, None), Status.MISSING, id="no-such-author"),
        pytest.param(CslItem(None, (), None, None), Status.MISSING, id="nothing-to-match"),
    ],
)
def test_an_undated_item_fits_no_dated_work(
    items: ItemMatcher, item: CslItem, status: Status
) -> None:
    assert items.resolve(item, "[1]").status is status
