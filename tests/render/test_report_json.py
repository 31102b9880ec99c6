"""The check report's JSON is written piece by piece and equals one json.dumps of the whole."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.base.problems import Problem, Severity
from argmap.base.sanitize import json_safe
from argmap.checks.citations import CitationRecord, Report
from argmap.citations.matcher import Status
from argmap.render.json import report_json


def test_streamed_json_equals_the_whole_document() -> None:
    reports = [
        Report(),
        Report(
            [
                CitationRecord("a.md", 1, 't "q"\n', Status.OK, "k", ("x",)),
                CitationRecord("b.docx", None, "(Rossi, 2009)", Status.MISSING, None, (), 3),
                CitationRecord("c.tex", 7, "\\cite{a, b}: b", Status.AMBIGUOUS, None, ("x", "ü")),
            ],
            [
                Problem("missing", Severity.ERROR, "b.docx", None, "no entry", paragraph=3),
                Problem("x", Severity.INFO, "s", 1, "tab\t, \x1b, \x9b", key="k", suggestion="«s»"),
            ],
        ),
    ]
    for report in reports:
        expected = json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)) + "\n"
        assert report_json(report) == expected


def test_a_report_longer_than_a_batch_equals_the_whole_document() -> None:
    from argmap.render.json import _BATCH, report_json_chunks

    records = [
        CitationRecord(f"m{i % 3}.md", i, f"(R\u202e{i}, 2001)", Status.OK, f"k{i}", (f"k{i}",))
        for i in range(2 * _BATCH + 7)
    ]
    problems = [
        Problem("missing", Severity.ERROR, "m.md", i, f"no \x85 entry {i}", key=None)
        for i in range(_BATCH + 1)
    ]
    report = Report(records, problems)
    expected = json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)) + "\n"
    chunks = list(report_json_chunks(report))
    assert "".join(chunks) == expected
    assert len(chunks) > 5  # written in pieces, never as one string
    assert "\\u202e" in expected and "\u202e" not in expected


@pytest.mark.parametrize(
    "odd",
    ["\x7f", "\x85", "\u2028", "\u202e", "\u2066", "é\x7f"],
    ids=["del", "c1", "line-separator", "bidi", "isolate", "accent-and-del"],
)
def test_each_citation_string_is_made_safe_where_it_stands(odd: str) -> None:
    """Citation strings are made json_safe one by one (not the batch's text): whichever of
    source, text, key, candidates or cited key holds a character json leaves raw, the report
    is still json_safe of the whole document."""
    records = [
        CitationRecord(f"m{odd}.md", 1, f"(R{odd}, 2001)", Status.OK, f"k{odd}", (f"k{odd}",)),
        CitationRecord("m.md", 2, "(Plain, 2001)", Status.MISSING, None, ("a", f"b{odd}"), 4),
        CitationRecord("m.md", 3, "(Key)", Status.UNKNOWN_KEY, None, (), None, f"c{odd}"),
    ]
    report = Report(records, [])
    expected = json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)) + "\n"
    assert report_json(report) == expected
    assert odd[-1] not in expected


def test_citations_of_another_shape_are_written_the_general_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fast writer of citation records is used only while ``to_json`` has its fields: a
    record given another field still comes out as json.dumps writes it."""
    from argmap.render import json as json_render

    def to_json(self: CitationRecord) -> dict[str, object]:
        return {"source": self.source, "extra": [1, None], "text": self.text}

    monkeypatch.setattr(CitationRecord, "to_json", to_json)
    monkeypatch.setattr(json_render, "_citations_json", None)  # would fail if called
    report = Report([CitationRecord("a.md", 1, "t", Status.OK, "k")], [])
    expected = json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)) + "\n"
    assert report_json(report) == expected


def test_flat_object_falls_back_for_nested_values() -> None:
    from argmap.render.json import _flat_object

    item = {"a": [1, [2, {"b": None}]], "c": {"d": [True]}, "e": 1.5, "f": []}
    assert _flat_object(item, "") == json.dumps(item, indent=2)
    assert _flat_object({}, "") == json.dumps({}, indent=2)


def test_scalars_are_written_as_json_writes_them() -> None:
    from argmap.render.json import _flat_object

    item = {
        "s": 'quote " back \\ nl \n tab \t ctl \x01 ñ « 😀',
        "n": None,
        "t": True,
        "f": False,
        "i": -3,
        "big": 10**30,
        "x": 1.5e-7,
        "l": ["a", None, 2, False],
    }
    assert _flat_object(item, "  ") == json.dumps(item, ensure_ascii=False, indent=2).replace(
        "\n", "\n  "
    )


def test_citation_records_take_the_fast_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    from argmap.render import json as json_render

    calls: list[int] = []
    fast = json_render._citations_json

    def counted(records):  # type: ignore[no-untyped-def]
        calls.append(len(records))
        return fast(records)

    monkeypatch.setattr(json_render, "_citations_json", counted)
    report = Report([CitationRecord("a.md", 1, "t", Status.OK, "k", ("k",))], [])
    assert report_json(report) == (
        json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)) + "\n"
    )
    assert calls == [1]


_WORDS = st.sampled_from(["a.md", "k1", "k2", "ü", 't "q"', "\x1b", "\u202e", "\\", "", "b.docx"])
_RECORDS = st.builds(
    CitationRecord,
    _WORDS,
    st.none() | st.integers(1, 10**6),
    _WORDS,
    st.sampled_from(list(Status)),
    st.none() | _WORDS,
    st.lists(_WORDS, max_size=3).map(tuple),
    st.none() | st.integers(1, 500),
    st.none() | _WORDS,
    st.none() | st.integers(1, 99),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_RECORDS, max_size=12))
def test_any_citation_records_are_written_as_json_dumps_writes_them(
    records: list[CitationRecord],
) -> None:
    # repeated files, keys and candidate lists are escaped once and reused: never mixed up
    report = Report(records, [])
    expected = json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)) + "\n"
    assert report_json(report) == expected


def test_one_list_of_citation_fields_for_record_schema_and_writer() -> None:
    """A record's fields, the schema's and the fast writer's are one list (issue 22: the writer
    kept its own copy of the schema's)."""
    from argmap.render import json as json_module
    from argmap.render.report_schema import CITATION_FIELDS, report_schema

    record = CitationRecord("a.md", 1, "(Roe, 2018)", Status.OK, "roe2018", ())
    assert tuple(record.to_json()) == CITATION_FIELDS
    items = report_schema()["properties"]["citations"]["items"]
    assert tuple(items["properties"]) == CITATION_FIELDS
    assert tuple(items["required"]) == CITATION_FIELDS
    assert not hasattr(json_module, "_CITATION_NAMES")
