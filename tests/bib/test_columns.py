"""The cache's columns give back exactly the Bibliography a fresh parse gives (entries, lines,
surnames, every field, the names of the non-empty fields, links and problems): on every .bib of
the test data and on the benchmark's bibliographies; and a record that does not fit is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_inputs import bench_generator

from argmap.bib import columns
from argmap.bib.model import Bibliography
from argmap.bib.namelists import crowded_names
from argmap.bib.reader import bibliography_from_text, load_bibliography
from argmap.cache import records as cache
from argmap.errors import BibliographyError

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    return tmp_path / "cache-home"


def assert_same(got: Bibliography, want: Bibliography) -> None:
    assert list(got.entries) == list(want.entries)
    for key, entry in want.entries.items():
        other = got.entries[key]
        assert (other.key, other.type, other.line, other.surnames) == (
            entry.key,
            entry.type,
            entry.line,
            entry.surnames,
        ), key
        assert other.present() == entry.present(), key
        assert other.inherited == entry.inherited, key
        assert other.fields == entry.fields and list(other.fields) == list(entry.fields), key
        for name in ("author", "editor"):
            # what the index knows of its commas holds for the field bibtexparser reads
            if other.few_commas(name):
                assert crowded_names(entry.fields.get(name) or "") == [], (key, name)
    assert got.aliases == want.aliases
    assert got.problems == want.problems
    assert got.pandoc_refusals == want.pandoc_refusals


def warm(path: Path, monkeypatch: pytest.MonkeyPatch) -> Bibliography:
    """The file read twice: the second time from the cache alone (indexing it again fails)."""
    load_bibliography(path)
    assert cache.path_for("bib", cache.key_for(path.read_bytes())).exists()
    from argmap.bib import reader

    def never(*args: object) -> object:
        raise AssertionError("indexed again: the cache was not used")

    with monkeypatch.context() as patch:
        patch.setattr(reader, "_index_all", never)
        return load_bibliography(path)


def readable(path: Path) -> bool:
    try:
        load_bibliography(path, use_cache=False)
    except BibliographyError:
        return False
    return True


@pytest.mark.parametrize(
    "path", sorted(DATA.rglob("*.bib")), ids=lambda p: str(p.relative_to(DATA))
)
def test_every_test_bibliography_from_the_cache(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not readable(path):
        return  # an unreadable file is refused before anything is cached (tested elsewhere)
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    if columns.SEP in text:
        load_bibliography(path)
        assert not cache.path_for("bib", cache.key_for(path.read_bytes())).exists()
        return
    assert_same(warm(path, monkeypatch), bibliography_from_text(text, path))


@pytest.mark.parametrize("kind", ["rich", "lean"])
def test_benchmark_bibliographies_from_the_cache(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate = bench_generator()
    make = generate.bibliography if kind == "rich" else generate.lean_bibliography
    text, _ = make(1200)
    path = tmp_path / f"{kind}.bib"
    path.write_text(text, encoding="utf-8")
    assert_same(warm(path, monkeypatch), bibliography_from_text(text, path))


def test_links_are_made_again_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@book{parent, title = {Volume}, year = 2001, publisher = {P}}\n"
        "@incollection{child, author = {Doe, J}, title = {Chapter}, crossref = {parent},"
        " ids = {oldkey}}\n"
        "@misc{orphan, crossref = {nowhere}, year = 2000}\n",
        encoding="utf-8",
    )
    bib = warm(path, monkeypatch)
    assert bib.get("oldkey") is bib.entries["child"]
    assert bib.entries["child"].get("publisher") == "P"
    assert [p.kind for p in bib.problems] == [
        p.kind for p in bibliography_from_text(path.read_text(), path).problems
    ]


def good_records(tmp_path: Path) -> tuple[list[object], Path, str]:
    path = tmp_path / "refs.bib"
    text = "@misc{a, author = {Roe, A}, year = 2001}\n@misc{b, author = {Poe, B}, year = 2002}\n"
    path.write_text(text, encoding="utf-8")
    load_bibliography(path)
    found = cache.read("bib", cache.key_for(path.read_bytes()))
    assert found is not None
    assert columns.from_records(found, path, text) is not None
    return found, path, text


@pytest.mark.parametrize(
    "damage",
    [
        "a record missing",
        "a key twice",
        "an empty key",
        "a key more than entries",
        "a type index out of the table",
        "a line of zero",
        "a span beyond the text",
        "a span backwards",
        "a position beyond its part",
        "integers cut short",
        "a surname more",
        "not UTF-8",
        "a head of the wrong shape",
        "a year index out of the table",
        "a completeness flag other than 0 or 1",
        "an entry kept in the text in a part of fields",
        "a comma flag other than 0 or 1",
        "the integers of format 5 (no comma column)",
        "a surname moved to the entry before",
        "the head of format 7 (no keys_apart)",
        "a keys_apart other than true or false",
    ],
)
def test_records_that_do_not_fit_are_refused(tmp_path: Path, damage: str) -> None:
    from array import array

    records, path, text = good_records(tmp_path)
    head, _keys, names, _values, ints_bytes, spans_bytes = records
    ints = array("q")
    ints.frombytes(ints_bytes)  # type: ignore[arg-type]
    spans = array("q")
    spans.frombytes(spans_bytes)  # type: ignore[arg-type]
    n = 2
    if damage == "a record missing":
        records = records[:-1]
    elif damage == "a key twice":
        records[1] = b"a\x00a"
    elif damage == "an empty key":
        records[1] = b"a\x00"
    elif damage == "a key more than entries":
        records[1] = b"a\x00b\x00c"
    elif damage == "a type index out of the table":
        ints[0] = 99
    elif damage == "a line of zero":
        ints[n] = 0
    elif damage == "a span beyond the text":
        spans[-1] = len(text) + 1
    elif damage == "a span backwards":
        spans[0], spans[1] = spans[1], spans[0]
    elif damage == "a position beyond its part":
        ints[5 * n + 1] = 7
    elif damage == "integers cut short":
        ints = ints[:-1]
    elif damage == "a surname more":
        records[2] = bytes(names) + b"\x00extra"  # type: ignore[call-overload]
    elif damage == "not UTF-8":
        records[1] = b"\xff\x00b"
    elif damage == "a head of the wrong shape":
        records[0] = {**head, "types": [1]}  # type: ignore[dict-item]
    elif damage == "a year index out of the table":
        ints[7 * n] = 99
    elif damage == "a completeness flag other than 0 or 1":
        ints[8 * n] = 2
    elif damage == "a comma flag other than 0 or 1":
        ints[9 * n] = 2
    elif damage == "the integers of format 5 (no comma column)":
        del ints[9 * n :]
    elif damage == "a surname moved to the entry before":
        assert bytes(names) == b"roe\x00poe"  # type: ignore[call-overload]
        records[2] = b"roe\x01poe\x00"
    elif damage == "the head of format 7 (no keys_apart)":
        records[0] = {k: v for k, v in head.items() if k != "keys_apart"}
    elif damage == "a keys_apart other than true or false":
        records[0] = {**head, "keys_apart": 1}  # type: ignore[dict-item]
    elif damage == "an entry kept in the text in a part of fields":
        # its core fields would be looked for in a text it does not point into
        fields = [[["author", "year"], {}], [["author", "year"], {}]]
        records[0] = {**head, "parts": [["fields", fields]]}  # type: ignore[dict-item]
        records[5] = b""
    if damage in (
        "a type index out of the table",
        "a line of zero",
        "a position beyond its part",
        "a year index out of the table",
        "a completeness flag other than 0 or 1",
        "a comma flag other than 0 or 1",
        "the integers of format 5 (no comma column)",
    ):
        records[4] = ints.tobytes()
    if damage == "integers cut short":
        records[4] = ints.tobytes()
    if damage.startswith("a span"):
        records[5] = spans.tobytes()
    assert columns.from_records(records, path, text) is None


def test_plain_entries_from_the_cache_are_read_without_the_general_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm run that reads the fields of a few entries of the plain shape does not compile
    the general entry pattern (milliseconds at every such run), and reads them as a fresh parse
    does."""
    from argmap.bib import index

    generate = bench_generator()
    text, _ = generate.lean_bibliography(300)
    path = tmp_path / "lean.bib"
    path.write_text(text, encoding="utf-8")
    got = warm(path, monkeypatch)
    monkeypatch.setattr(index._SIMPLE_ENTRY, "_compiled", None)  # (the cold read compiled it)
    want = bibliography_from_text(text, path)
    for key, entry in want.entries.items():
        assert got.entries[key].fields == entry.fields, key
    assert index._SIMPLE_ENTRY._compiled is None


def test_a_warm_read_makes_an_entry_only_when_it_is_looked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries from the cache are made one at a time as they are looked up (each once: the same
    object every time), and all at once, in file order, when they are gone through."""
    from argmap.bib.model import LazyEntries

    generate = bench_generator()
    text, _ = generate.lean_bibliography(500)
    path = tmp_path / "lean.bib"
    path.write_text(text, encoding="utf-8")
    bib = warm(path, monkeypatch)
    entries = bib.entries
    assert isinstance(entries, LazyEntries)
    keys = list(entries)
    assert len(entries) == 500 and keys == list(bibliography_from_text(text, path).entries)
    assert not any(map(entries.is_made, range(500)))
    first = entries[keys[7]]
    assert entries.get(keys[7]) is first and bib.get(keys[7]) is first
    assert entries.get("no-such-key") is None and "no-such-key" not in entries
    assert [entries.is_made(i) for i in (6, 7, 8)] == [False, True, False]
    assert list(entries.values())[7] is first  # going through them keeps the one made
    assert [key for key, _ in entries.items()] == keys
    assert all(map(entries.is_made, range(500)))
    assert_same(bib, bibliography_from_text(text, path))


def test_matching_from_the_cache_makes_only_the_entries_it_compares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The matcher indexes a warm bibliography's columns (keys, types, first surnames, years)
    without making its entries, makes those a citation is compared with, and resolves every
    citation as it does on a freshly parsed bibliography."""
    from argmap.citations.matcher import Matcher
    from argmap.citations.scanner import scan

    generate = bench_generator()
    text, cited = generate.lean_bibliography(3000)
    path = tmp_path / "lean.bib"
    path.write_text(text, encoding="utf-8")
    found = scan(generate.manuscript(cited[:40], 60))
    assert len(found) >= 50
    lazy = Matcher(warm(path, monkeypatch))
    fresh = Matcher(bibliography_from_text(text, path))
    assert [lazy.resolve(f) for f in found] == [fresh.resolve(f) for f in found]
    made = sum(map(lazy.bib.entries.is_made, range(3000)))  # type: ignore[attr-defined]
    assert 0 < made < 300
    # once every entry is made (as when files are merged), a matcher indexes the entries
    assert len(lazy.bib.entries.values()) == 3000
    assert lazy.bib.entries.source is None  # type: ignore[attr-defined]
    again = Matcher(lazy.bib)
    assert [again.resolve(f) for f in found] == [fresh.resolve(f) for f in found]


def test_a_citation_by_title_makes_only_the_authorless_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first citation by title (a work without author or editor, as CSL styles cite it)
    makes from the cache's columns only the entries without surnames, where it made every entry
    of the file; it resolves as on a freshly parsed bibliography."""
    from argmap.citations.matcher import Matcher, Status
    from argmap.citations.scanner import scan

    generate = bench_generator()
    text, _ = generate.lean_bibliography(400)
    authorless = (
        "@manual{cms,\n  title = {The Chicago Manual of Style},\n  year = {2003}\n}\n"
        "@online{ctan,\n  title = {CTAN},\n  year = {2006}\n}\n"
    )
    path = tmp_path / "lean.bib"
    path.write_text(text + authorless, encoding="utf-8")
    found = scan("Style (The Chicago Manual of Style 2003) and (“CTAN” 2007).", latex=False)
    assert len(found) == 2
    lazy = Matcher(warm(path, monkeypatch))
    fresh = Matcher(bibliography_from_text(text + authorless, path))
    got = [lazy.resolve(f) for f in found]
    assert got == [fresh.resolve(f) for f in found]
    assert [(m.status, m.key) for m in got] == [(Status.OK, "cms"), (Status.MISSING, None)]
    entries = lazy.bib.entries
    made = [entries.is_made(i) for i in range(len(entries))]  # type: ignore[attr-defined]
    assert made == [False] * 400 + [True, True]


CASES = """\
@article{Chen_2017, author = {Chen, Li}, title = {T}, journal = {J}, year = {2017}}
@article{chen_2017, author = {Chen, Wei}, title = {U}, journal = {J}, year = {2017}}
@article{other, author = {Roe, Jane}, title = {V}, journal = {J}, year = {2018}}
"""


@pytest.mark.parametrize("clash", [True, False], ids=["keys-alike-but-for-case", "keys-apart"])
def test_whether_keys_are_apart_in_case_is_kept_with_the_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clash: bool
) -> None:
    """Whether two keys are one in lower case is worked out when the cache is written and read
    back with the columns (a warm check does not lower every key), for the file's own bytes:
    the file edited is another key, and the answer for it is worked out afresh. The key-case
    problems are the same cold and warm, under either tool's reading."""
    from argmap.checks.citations import Report, check_bibliography

    path = tmp_path / "cases.bib"
    path.write_text(CASES if clash else CASES.replace("chen_2017", "chen_2017b"), encoding="utf-8")
    cold = load_bibliography(path, use_cache=False)
    assert cold.keys_apart is None  # not worked out until asked
    hot = warm(path, monkeypatch)
    assert hot.keys_apart is (not clash)
    for tool in ("bibtex", "biber"):
        found = []
        for bib in (cold, hot):
            report = Report(tools={tool: {"doc.tex": None}})
            check_bibliography(bib, set(), None, report, owned_by_map=False)
            found.append([(p.kind, p.severity, p.key) for p in report.problems])
        assert found[0] == found[1]
        assert bool(found[0]) is clash
    # the file saved with the clash taken out: its own answer, not the cached one's
    path.write_text(CASES.replace("chen_2017", "wei_2017"), encoding="utf-8")
    assert warm(path, monkeypatch).keys_apart is True


@pytest.mark.parametrize(
    ("keys", "apart"),
    [
        (["rossi2010", "rossi2010a", "müller_2001", "ćwik:1999"], True),
        (["rossi2010", "Rossi2010"], False),
        (["Rossi2010", "Bauer2011"], True),  # capitals, no clash: told by the lowered set
        (["Ärger2001", "ärger2001"], False),
        (["ΣΟΦΊΑ2001", "σοφία2001"], False),
        (["ΣΟΦΙΑΣ2001", "σοφιασ2001"], True),  # a last capital sigma lowers to "ς"
        (["σοφιας2001", "σοφιασ2001"], True),  # two lower-case keys are two
    ],
    ids=[
        "lower-case",
        "case-clash",
        "capitals-apart",
        "umlaut-clash",
        "sigma",
        "sigma-final",
        "sigmas-lower",
    ],
)
def test_whether_keys_are_apart_in_case_with_and_without_capitals(
    keys: list[str], apart: bool
) -> None:
    """Keys all in lower case are told apart without lowering each; others by their lowered set
    (str.lower, as biber folds them)."""
    bib = Bibliography(path=Path("x.bib"), entries=dict.fromkeys(keys))  # type: ignore[arg-type]
    assert columns.keys_apart(bib) is apart
    assert apart is (len({key.lower() for key in keys}) == len(keys))
