"""The fast index agrees with bibtexparser's parse of the whole file on every entry (key, type,
line, every field, surnames) and every problem: on generated text, on the benchmark's
bibliographies and on every .bib of the test data."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from bench_inputs import bench_generator
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from argmap.bib import index
from argmap.bib.index import index_text, read_strings_fast
from argmap.bib.model import Bibliography
from argmap.bib.namelists import crowded_names
from argmap.bib.reader import assemble, bibliography_from_text, load_bibliography, resolve_runs
from argmap.errors import BibliographyError

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def one_match_reading_at_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-match reading is used from 256 KiB of text; here on every file, small too."""
    from argmap.bib import index

    monkeypatch.setattr(index, "FAST_FROM", 0)


def test_a_small_text_is_read_without_the_one_match_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from argmap.bib import index

    monkeypatch.setattr(index, "FAST_FROM", 1 << 18)
    monkeypatch.setattr(index._FAST_ENTRY, "_compiled", None)
    text = "@misc{k, title = {T}, year = {2001}}\n"
    items = index_text(text, {})
    assert items[0][0][0][0] == "k"  # type: ignore[index]
    assert index._FAST_ENTRY._compiled is None  # not compiled for it


def full_parse(path: Path) -> Bibliography | str:
    """bibtexparser's parse of the whole file (the reference), or the error it gives."""
    from argmap.base.textio import read_bytes
    from argmap.bib.parallel import decode_bib

    try:
        text = decode_bib(read_bytes(path, BibliographyError, "bibliography"))
    except BibliographyError as error:
        return str(error)
    except Exception as error:  # PartDecodeError: the reader turns it into a message
        return type(error).__name__
    return bibliography_from_text(text, path)


def indexed(path: Path, workers: int = 1) -> Bibliography | str:
    try:
        return load_bibliography(path, use_cache=False, workers=workers)
    except BibliographyError as error:
        return "PartDecodeError" if "not valid UTF-8" in str(error) else str(error)


def assert_same(got: Bibliography | str, want: Bibliography | str) -> None:
    if isinstance(want, str) or isinstance(got, str):
        assert isinstance(got, str) and isinstance(want, str)
        return
    assert list(got.entries) == list(want.entries)
    for key, entry in want.entries.items():
        other = got.entries[key]
        assert (other.key, other.type, other.line, other.surnames) == (
            entry.key,
            entry.type,
            entry.line,
            entry.surnames,
        ), key
        assert tuple(other._present or ()) == tuple(entry._present or ()), key
        assert other.fields == entry.fields, key
        assert list(other.fields) == list(entry.fields), key
        for name in ("author", "editor"):
            # what the index knows of its commas holds for the field bibtexparser reads
            if other.few_commas(name):
                assert crowded_names(entry.fields.get(name) or "") == [], (key, name)
    assert got.problems == want.problems
    # found by the index in the runs it left to bibtexparser (or the whole text, when a type
    # is not letters alone): the same as a search of the whole text
    assert got.pandoc_refusals == want.pandoc_refusals


@pytest.mark.parametrize(
    "path", sorted(DATA.rglob("*.bib")), ids=lambda p: str(p.relative_to(DATA))
)
def test_every_test_bibliography(path: Path) -> None:
    assert_same(indexed(path), full_parse(path))


@pytest.mark.parametrize("kind", ["rich", "lean"])
def test_benchmark_bibliographies_are_read_by_the_index_alone(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate = bench_generator()
    make = generate.bibliography if kind == "rich" else generate.lean_bibliography
    text, _ = make(1500)
    path = tmp_path / f"{kind}.bib"
    path.write_text(text, encoding="utf-8")
    strings = read_strings_fast(text)
    assert strings is not None
    items = index_text(text, strings[0])
    # no chunk was left to bibtexparser: the fast path is the one taken
    assert all(not isinstance(item[0], int) for item in items)
    assert sum(len(item[0]) for item in items) == 1500  # type: ignore[arg-type]
    want = full_parse(path)
    assert_same(indexed(path), want)
    from argmap.bib import reader

    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)  # cut in pieces, on several cores
    for workers in (2, 3, 7):
        assert_same(indexed(path, workers=workers), want)


def test_pieces_cut_anywhere_give_the_same_entries(tmp_path: Path) -> None:
    """A file of plain and other entries, indexed in pieces cut at every block line."""
    from argmap.bib.index import chunks

    text = (DATA / "check" / "refs.bib").read_text(encoding="utf-8") + "".join(
        f"@misc{{odd{i}, note = {{a\\{{b}}}}\n@misc{{plain{i}, year = {{2000}}}}\n"
        for i in range(30)
    )
    path = tmp_path / "mixed.bib"
    path.write_text(text, encoding="utf-8")
    want = full_parse(path)
    strings = read_strings_fast(text)
    assert strings is not None
    starts = [start for start, _ in chunks(text)]
    for cut in starts[1::7]:
        items = index_text(text, strings[0], 0, cut) + index_text(text, strings[0], cut)
        parts = resolve_runs(items, text, strings[0], path, 1)
        assert_same(assemble(parts, path, strings[1]), want)


# Pieces from which generated files are made: the shapes reference managers write, and the
# corners where bibtexparser's splitter decides differently from a naive reading.
USUAL_VALUES = [
    '{Smith, John and M{\\"u}ller, Karl}',
    "{Slaughter, Peter, Jones, Matthew}",
    "{Roe, Jane and Doe, John, Jr}",
    '"Roe, Jane and Doe, John, Jr, Poe"',
    "{{NASA} and {de la Garza}, Enrique}",
    "{A {nested {deep {deeper}}} title}",
    '"Quoted, with comma"',
    '"Quoted {with} braces"',
    '"M{\\"u}ller, Ana"',
    "1999",
    "jan",
    "j # { suffix}",
    '"a" # "b"',
    "{C\\# and = and , inside}",
    "{email me@example.org}",
    "{}",
    '""',
    "{ }",
    "{line\none}",
]
ODD_VALUES = [
    '"{"}quote"',
    "undefinedmacro",
    "q",
    "s # r",
    "{a\\{b}",
    "{x \\}",
    '"a\\" b"',
    '"x \\\\"',
    "{x \\\\}",
    "{back\\\\slash}",
    "{a {b {c {d {e {f}}}}}}",
    "2001 2002",
    "1999a",
    "{unbalanced",
    "{{Acme, Inc., Ltd.}, Jane and X}",
    "{x}y",
    "{at line\n@misc{start}",
    "{ff line\n\x0c@misc{start}",
]
VALUES = st.sampled_from(USUAL_VALUES * 4 + ODD_VALUES)
NAMES = st.sampled_from(
    ["author", "editor", "title", "year", "date", "crossref", "Author", "YEAR", "x-incomplete"]
)


def mostly(usual: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    """One of ``usual`` most of the time, else one of ``odd``."""
    return st.sampled_from(usual * 6 + odd)


@st.composite
def entry(draw: st.DrawFn) -> str:
    kind = draw(
        mostly(
            ["article", "Book", "misc"],
            ["comment", "preamble", "string", "book_section", "article2", "ärticle"],
        )
    )
    key = draw(mostly(["k1", "k2", "key:3", "k(5)"], ["a b", "", "{x}"]))
    fields = draw(st.lists(st.tuples(NAMES, VALUES), max_size=5))
    sep = draw(mostly([",\n  ", ", "], [",", "\n  ", " ,\n"]))
    body = draw(mostly(["\n  ", " "], ["", "\n"])) + sep.join(
        f"{name} = {value}" for name, value in fields
    )
    close = draw(mostly(["}", "\n}", ",\n}"], ["", ")", "}}"]))
    lead = draw(mostly([""], ["  ", "\t", "\x0c", "junk @ ", "\u00a0"]))
    # a brace on the next line, or after a "%" comment: BibTeX and biber read the entry
    opener = draw(mostly(["{"], ["(", " {", "\n{", "\n\n  {", " % c\n{", "\n("]))
    return f"{lead}@{kind}{opener}{key},{body}{close}"


@st.composite
def bib_text(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                entry(),
                st.sampled_from(
                    [
                        '@string{j = "Journal"}',
                        "@string{j = {Other}}",
                        "@String{k = j # { X}}",
                        '@string{q = "a}b"}',
                        '@string{r = "a {b} c"}',
                        '@string{s = {M{\\"u}ller}}',
                        "% a comment with { brace",
                        "@comment{anything}",
                        "text between entries",
                    ]
                ),
            ),
            max_size=8,
        )
    )
    joiner = draw(mostly(["\n", "\n\n"], [" ", "\n\x0c", "\n \u00a0"]))
    return joiner.join(parts) + draw(st.sampled_from(["", "\n"]))


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=bib_text())
@example(text='@string{q = "a}b"}\n@misc{k1, title = q}\n')  # a string ends at its first }
@example(text="@misc{k1, title = {x \\}, year = 1999}\n@misc{k2, year = 2000}\n")
# a bare value that starts with a digit but is no number is an undefined @string
@example(text="@misc{k1, title = {T}, year = 1999a}\n\n@misc{k2, year = 2nd}\n")
# an entry left open by a quoted value whose second quote is escaped: bibtexparser starts again
# at the next "@" on a line of its own, and the quotes after it are a value's own
@example(
    text='@article{k1,\n  author = "a\\" b"\n@article{k2,\n  }\n'
    '@article{k1,\n  author = "Roe, Jane and Doe, John, Jr, Poe"}'
)
@example(
    text='@article{k1,\n  }\n@article{k1,\n  author = "a\\" b"\n'
    '@article{k1,\n  author = "Roe, Jane and Doe, John, Jr, Poe"}'
)
def test_index_agrees_with_bibtexparser_on_generated_files(text: str, tmp_path: Path) -> None:
    # A backslash before a newline hides that newline from bibtexparser's line count (a
    # separate issue: it reports a wrong line there); the index counts true lines.
    if "\\\n" in text:
        return
    path = tmp_path / "gen.bib"
    path.write_text(text, encoding="utf-8")
    assert_same(indexed(path), full_parse(path))


def test_one_file_or_four_give_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's lean bibliography as one file or as four --bib, with and without the cache
    and on one core or three: every citation gets the same status and entry."""
    import json

    from typer.testing import CliRunner

    from argmap.cli.app import app

    generate = bench_generator()
    text, cited = generate.lean_bibliography(2000)
    whole = tmp_path / "lean.bib"
    whole.write_text(text, encoding="utf-8")
    parts = generate.split_files(whole, 4)
    manuscript = tmp_path / "ms.md"
    manuscript.write_text(generate.manuscript(cited, 600), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from argmap.bib import reader

    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)
    answers = []
    for bibs, workers, extra in (
        ([whole], "1", ["--no-cache"]),
        (parts, "1", ["--no-cache"]),
        (parts, "3", []),
        (parts, "2", []),  # from the cache
        ([whole], "2", []),
    ):
        monkeypatch.setenv("ARGMAP_WORKERS", workers)
        args = ["check-citations", "--manuscript", str(manuscript), "--format", "json", *extra]
        for bib in bibs:
            args += ["--bib", str(bib)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code in (0, 1), result.output
        report = json.loads(result.stdout)
        answers.append(
            [(c["line"], c["status"], c["key"], c["candidates"]) for c in report["citations"]]
        )
    assert len(answers[0]) > 500
    assert all(a == answers[0] for a in answers)


def test_a_real_bibliography_is_read_by_the_index(tmp_path: Path) -> None:
    """The IRIDIA sample (see tests/data/real/README.md): 1,700 @strings, authors built with #."""
    path = DATA / "real" / "iridia-sample.bib"
    bib = indexed(path)
    assert not isinstance(bib, str)
    assert len(bib.entries) == 120 and bib.problems == []
    text = path.read_text(encoding="utf-8")
    strings = read_strings_fast(text)
    assert strings is not None and len(strings[0]) > 1500
    items = index_text(text, strings[0])
    assert sum(len(i[0]) for i in items if not isinstance(i[0], int)) == 120  # type: ignore[arg-type]
    entry = bib.entries["AbdGad2012dynamic"]
    assert entry.surnames and entry.year == "2012"


# @strings in force for the one-match test: "s" is blank, "q" and "r" are not; "jan" is a month.
ONE_MATCH_STRINGS = {"q": "Q value", "r": "R", "s": " ", "j": "Journal"}


@settings(max_examples=400, deadline=None)
@given(text=entry())
def test_the_one_match_reading_gives_the_record_of_the_general_one(text: str) -> None:
    """An entry of the commonest shape is read from one match (``_FAST_ENTRY``); what that
    gives is exactly what the general reading (``_core``, which every other entry of the
    plain shapes gets) gives for it, and the general reading finds no problem in it."""
    from argmap.bib import index
    from argmap.bib.strings import MONTHS

    intern = sys.intern
    strings = ONE_MATCH_STRINGS
    fast = index._FAST_ENTRY.fullmatch(text)
    if fast is None:
        return
    simple = index._SIMPLE_ENTRY.fullmatch(text)
    assert simple is not None  # the one-match shape is a narrower plain shape
    known = set(strings) | set(MONTHS)
    blank = {name for name, value in strings.items() if not value.strip()}
    got = index._fast_core(text, fast, 0, intern, strings, known, blank)
    entry_type = simple.group(1).lower()
    if entry_type.startswith(("comment", "preamble", "string")):
        assert got is None
        return
    problems: list[object] = []
    want = index._core(text, simple, entry_type, 0, strings, problems, intern)  # type: ignore[arg-type]
    if got is None:
        return  # left to the general reading: an unknown or blank @string, a repeated name
    assert got == want
    assert problems == []


def test_the_one_match_reading_leaves_odd_bare_words_to_the_general_one() -> None:
    from argmap.bib import index
    from argmap.bib.strings import MONTHS

    strings = ONE_MATCH_STRINGS
    known = set(strings) | set(MONTHS)
    for value, taken in [("jan", True), ("q", True), ("s", False), ("undefinedmacro", False)]:
        for text in (
            f"@misc{{k, author = {{A, B}}, journal = {value}, year = 2001}}\n",
            f"@misc{{k, author = {{A, B}}, journal = {value}}}\n",  # the last field
            f"@misc{{k, journal = {value},\n}}\n",  # the only one, a comma after it
        ):
            fast = index._FAST_ENTRY.fullmatch(text)
            assert fast is not None
            got = index._fast_core(text, fast, 0, sys.intern, strings, known, {"s"})
            assert (got is not None) == taken, text


@pytest.mark.parametrize("count", [1, 15, 16, 17, 40])
def test_entries_of_many_fields_read_alike_whichever_reading_takes_them(
    count: int, tmp_path: Path
) -> None:
    """The one-match pattern holds at most 16 fields; a longer entry goes to the general
    reading, with the same result as bibtexparser's."""
    from argmap.bib import index

    fields = ",\n".join(f"  f{i} = {{value {i}}}" for i in range(count - 1))
    text = f"@article{{k{count},\n  author = {{Pérez, Ana and Smith, John}},\n{fields}\n}}\n"
    text = text.replace(",\n\n}", "\n}")
    assert (index._FAST_ENTRY.fullmatch(text) is not None) == (count <= index._FAST_FIELDS)
    path = tmp_path / "many.bib"
    path.write_text(text, encoding="utf-8")
    bib = indexed(path)
    assert_same(bib, full_parse(path))
    assert not isinstance(bib, str) and len(bib.entries[f"k{count}"].fields) == count


def test_the_odd_spaces_are_every_character_of_the_odd_block_lines_class() -> None:
    odd_class = re.compile(r"[^\S\n \t]")
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if odd_class.match(chr(c)))
    assert every == index.ODD_SPACES
    assert all(c.isascii() for c in index.ODD_SPACES[:7])
    assert not any(c.isascii() for c in index.ODD_SPACES[7:])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "\n",
                " ",
                "\t",
                "@misc{",
                "@article(",
                "x",
                "é",
                "\f",
                "\x0b",
                "\xa0",
                "\u3000",
                "\r",
                "@",
                "{",
                "\x1c",
            ]
        ),
        max_size=20,
    ).map("".join),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_odd_block_lines_are_those_the_pattern_finds(text: str, begin: int, length: int) -> None:
    stop = min(len(text), begin + length)
    begin = min(begin, stop)
    expected = [m.start() for m in index._ODD_BLOCK_LINE.finditer(text, begin, stop)]
    assert index.odd_block_lines(text, begin, stop) == expected


def _chunks_by_block_lines(text: str, begin: int, stop: int) -> list[tuple[int, int]]:
    """``chunks`` as it read before: a cut after each newline ``_BLOCK_LINE`` finds."""
    out, start = [], begin
    for match in index._BLOCK_LINE.finditer(text, begin, stop):
        if match.end() > start:
            out.append((start, match.end()))
        start = match.end()
    if start < stop:
        out.append((start, stop))
    return out


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["\n", " ", "\t", "@misc{", "@article(", "@ {", "@", "x", "{", "(", "\f", "é", "\xa0"]
        ),
        max_size=24,
    ).map("".join),
    st.integers(0, 60),
    st.integers(0, 60),
)
@example("@misc{a}\n  @misc{b}\n\t@misc (c)\nx@misc{d}\n", 0, 60)
@example("\n @misc{a}", 1, 11)  # the blank line's newline stands before ``begin``
def test_chunks_are_cut_where_the_block_line_pattern_cuts(
    text: str, begin: int, length: int
) -> None:
    stop = min(len(text), begin + length)
    begin = min(begin, stop)
    assert list(index.chunks(text, begin, stop)) == _chunks_by_block_lines(text, begin, stop)


# Pieces a name list is made of: names, separators of every case and blank, braces, commas.
_NAME_PIECES = st.sampled_from(
    [
        "Roe",
        "Jane",
        " and ",
        " AND ",
        "\tand\n",
        " and",
        ", ",
        ",",
        "{",
        "}",
        "{Acme, Inc.}",
        "{Roe and Doe}",
        " ",
        "Jr",
        "von ",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=14).map("".join))
@example("Roe, Jane and Doe, John and Poe, Edgar")
@example("Slaughter, Peter, Jones, Matthew")
@example("Roe, {Jane and Doe}, John, Q")
@example("J. Zlatev, T. P. Racine, C. Sinha,")
def test_many_commas_is_false_only_where_no_name_is_crowded(value: str) -> None:
    """What the index keeps of the commas of an author or editor list (``many_commas``, which
    spares a check reading the field again) is False only for a list of which BIB110 finds no
    name with more than two commas: as author and as editor."""
    if crowded_names(value):
        assert index.many_commas(value, None)
        assert index.many_commas(None, value)


def test_many_commas_lets_a_long_list_of_plain_names_go() -> None:
    """A list of three names or more in "Last, First" form has more than two commas in all but
    none in a name: the index says so, and a check does not read the field again."""
    assert not index.many_commas("Roe, Jane and Doe, John and Poe, Edgar", None)
    assert not index.many_commas(None, "Roe, J. and Doe, J. and Poe, E. and Lee, K.")
    assert index.many_commas("Slaughter, Peter, Jones, Matthew", None)
    # a separator within braces does not separate, commas within braces do not count
    assert not index.many_commas("Roe, Jane and {Doe and Co}, John and Poe, Edgar", None)
    assert index.many_commas("Roe, {Jane and Doe}, John, Q and Poe, Edgar", None)
    # braces that do not nest: the field is read again
    assert index.many_commas("Roe, Jane and {Doe, John and Poe, Edgar", None)
