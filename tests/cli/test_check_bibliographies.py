"""`argmap check-citations` on BibLaTeX, CSL-JSON and CSL-YAML bibliographies, several at once:
statuses and lines of citations, problems of the files, and entries never cited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

DATA = Path(__file__).parents[1] / "data"
BIBS = DATA / "biblatex"
runner = CliRunner()


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    assert result.stdout, result.stderr
    return result.exit_code, json.loads(result.stdout)


def all_bibs() -> list[str]:
    out: list[str] = []
    for name in ("zotero.bib", "refs.json", "refs.yaml"):
        out += ["--bib", str(BIBS / name)]
    return out


def rows(data: dict[str, Any]) -> dict[tuple[int, str], tuple[str, str | None]]:
    return {(c["line"], c["text"]): (c["status"], c["key"]) for c in data["citations"]}


def test_every_status_and_line_against_three_bibliographies() -> None:
    code, data = run_json(*all_bibs(), "--manuscript", str(BIBS / "manuscript.md"))
    assert code == 1  # Rossi, 2019c is missing
    assert rows(data) == {
        (3, "Rossi, 2010"): ("ok", "rossi2010"),
        (3, "Rossi and Bauer, 2010"): ("ok", "rossi2010a"),
        (4, "Rossi, 2019a"): ("ok", "rossi2019"),
        (4, "Rossi, 2019b"): ("ok", "rossi2019a"),
        (4, "Rossi, 2019c"): ("missing", None),
        (5, "De la Garza y Bouzas (2000)"): ("ok", "delagarza2000"),
        (6, "@kim2015ch"): ("ok", "kim2015ch"),
        (6, "@garza2000"): ("ok", "delagarza2000"),
        (7, "Piore and Sabel, 1984"): ("ok", "piore1984"),
        (7, "Humphrey, 1995"): ("ok", "humphrey1995"),
        (7, "Schmitz, 1995"): ("ok", "schmitz1995"),
        (8, "Pyke and Sengenberger, 1990"): ("ok", "pyke1990"),
        (8, "Weber (2018)"): ("ok", "weber2018"),
        (9, "@lacking2020"): ("ok", "lacking2020"),
        (9, "@rossiset"): ("ok", "rossiset"),
        (10, "Brown, 2001"): ("ok", "brown2001"),
        (10, "Smith, 2005"): ("ok", "smith2005"),
        (10, "INEGI, 2019"): ("ok", "inegi2019"),
    }
    problems = {(p["kind"], p["line"]): p for p in data["problems"]}
    assert set(problems) == {
        ("suffix-by-order", 4),
        ("missing", 4),
        ("partial-surname", 5),
        ("missing-field", 158),
    }
    assert problems[("missing-field", 158)]["severity"] == "warning"
    assert problems[("missing-field", 158)]["source"].endswith("zotero.bib")
    assert "journaltitle or journal" in problems[("missing-field", 158)]["message"]
    partial = problems[("partial-surname", 5)]
    assert partial["severity"] == "warning"
    assert "De la Garza Toledo & Bouzas 2000" in partial["message"]
    assert data["summary"]["errors"] == 1


def test_suffix_letters_follow_citeproc_order_with_a_warning() -> None:
    _, data = run_json(*all_bibs(), "--manuscript", str(BIBS / "manuscript.md"))
    notes = [p for p in data["problems"] if p["kind"] == "suffix-by-order"]
    assert [(n["key"], n["severity"]) for n in notes] == [
        ("rossi2019", "warning"),
        ("rossi2019a", "warning"),
    ]
    assert "a = rossi2019, b = rossi2019a" in notes[0]["message"]


def test_a_correct_paper_exits_0(tmp_path: Path) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text(
        "Credit (Rossi, 2010) and clusters (Rossi & Bauer, 2010; Piore and Sabel, 1984).\n"
        "Chapters [@kim2015ch; @lopez2012] and Weber (2018), Humphrey (1995).\n",
        encoding="utf-8",
    )
    code, data = run_json(*all_bibs(), "--manuscript", str(paper))
    assert code == 0, data["problems"]
    assert data["summary"]["errors"] == 0 and data["summary"]["warnings"] == 0
    assert {c["status"] for c in data["citations"]} == {"ok"}


def test_a_wrong_key_in_a_cite_command_is_named(tmp_path: Path) -> None:
    code, data = run_json(*all_bibs(), "--manuscript", str(BIBS / "paper.tex"))
    assert code == 1
    wrong = [c for c in data["citations"] if c["status"] != "ok"]
    assert [(c["line"], c["cited_key"], c["status"]) for c in wrong] == [
        (3, "nosuchkey", "unknown-key")
    ]
    table = runner.invoke(
        app,
        ["check-citations", *all_bibs(), "--manuscript", str(BIBS / "paper.tex")],
        env={"COLUMNS": "200", "NO_COLOR": "1"},
    )
    # the problem names the key and points at its column in \cite{kim2015ch,nosuchkey}
    assert "paper.tex:3:43: error CIT204 unknown key 'nosuchkey'" in table.stdout
    full = runner.invoke(
        app,
        [
            "check-citations",
            *all_bibs(),
            "--manuscript",
            str(BIBS / "paper.tex"),
            "--format",
            "full",
            "--all",
        ],
        env={"COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert "\\cite{kim2015ch,nosuchkey} › kim2015ch → kim2015ch" in full.stdout
    alias = next(c for c in data["citations"] if c["cited_key"] == "dlg2000")
    assert (alias["status"], alias["key"]) == ("ok", "delagarza2000")


def test_duplicates_across_files_and_missing_commas_are_errors_with_places() -> None:
    code, data = run_json(
        "--bib",
        str(BIBS / "refs.json"),
        "--bib",
        str(BIBS / "other.bib"),
        "--manuscript",
        str(BIBS / "manuscript.md"),
    )
    assert code == 1
    kinds = {(p["kind"], Path(p["source"]).name, p["line"]) for p in data["problems"]}
    assert ("duplicate-key", "other.bib", 1) in kinds
    assert ("missing-comma", "other.bib", 12) in kinds


def test_a_bibliography_in_another_format_is_one_line_and_exit_2(tmp_path: Path) -> None:
    ris = tmp_path / "library.ris"
    ris.write_text("TY  - JOUR\nAU  - Rossi, Ana\nER  -\n")
    result = runner.invoke(
        app, ["check-citations", "--bib", str(ris), "--manuscript", str(BIBS / "manuscript.md")]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "library.ris: RIS is not a bibliography format argmap reads" in lines[0]
    assert "pandoc library.ris -f ris -t csljson" in lines[0]


def test_bad_csl_json_is_file_and_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "refs.json"
    bad.write_text('[\n  {"id": "a",\n   "title": "A",,\n  }\n]\n')
    result = runner.invoke(
        app, ["check-citations", "--bib", str(bad), "--manuscript", str(BIBS / "manuscript.md")]
    )
    assert result.exit_code == 2
    assert "refs.json:3: not valid CSL-JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_unused_entries_of_a_personal_library_only_when_asked() -> None:
    args = ["--bib", str(BIBS / "zotero.bib"), "--manuscript", str(BIBS / "manuscript.md")]
    _, quiet = run_json(*args)
    assert not [p for p in quiet["problems"] if p["kind"].startswith("never-cited")]
    _, asked = run_json(*args, "--unused")
    summary = [p for p in asked["problems"] if p["kind"] == "never-cited-summary"]
    listed = {p["key"]: p["line"] for p in asked["problems"] if p["kind"] == "never-cited"}
    # the set's members, the crossref parents of kim2015ch and weber2018's xdata count as used
    assert listed == {
        "bauer2012col": 68,
        "lopez2012": 76,
        "jsb2011": 99,
        "oecd2021": 106,
        "argmap2024": 114,
        "garcia1999": 142,
        "ilo2003": 150,
        "unused2001": 164,
    }
    assert len(summary) == 1
    assert summary[0]["message"].startswith("8 of 23 entries of")


def test_the_maps_own_bibliography_gets_one_summary_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(DATA / "mini", project)
    with open(project / "refs.bib", "a", encoding="utf-8") as bib:
        bib.write("\n@book{spare2001, author = {Spare, S.}, title = {S}, year = {2001}}\n")
    _, data = run_json("--map", str(project / "arguments"))
    never = [p for p in data["problems"] if p["kind"].startswith("never-cited")]
    assert [(p["kind"], p["severity"]) for p in never] == [("never-cited-summary", "warning")]
    assert "--unused lists them" in never[0]["message"]
    _, listed = run_json("--map", str(project / "arguments"), "--unused")
    assert "spare2001" in {p["key"] for p in listed["problems"] if p["kind"] == "never-cited"}


def test_a_bibliography_given_alone_is_checked(tmp_path: Path) -> None:
    """`check-citations --bib FILE` with no manuscript and no map checks the file: a broken
    entry is reported, exit 1 (after the groups by named bibliography, main reported nothing
    and exited 0 — corpus 23's 157 bibliography-alone runs, stop 26)."""
    bib = tmp_path / "broken.bib"
    bib.write_text(
        "@article{ok2020, author={Rossi, A.}, title={T}, journal={J}, year={2020}}\n"
        "@article{bad2021, author={Bauer, K.}, title={T}, journal={J} year={2021}}\n",
        encoding="utf-8",
    )
    code, data = run_json("--bib", str(bib))
    assert code == 1
    assert [(p["code"], p["line"]) for p in data["problems"] if p["severity"] == "error"] == [
        ("BIB209", 2)
    ]


def _reports(
    bibs: list[Path], manuscript: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The JSON reports of a check against ``bibs``: cold then warm (the cache filled by the
    cold run read back), on one worker then two (workers forked however small the files)."""
    from argmap.bib import columns, reader

    monkeypatch.setattr(reader, "INDEX_PARALLEL_FROM", 0)
    read_back: list[object] = []
    from_records = columns.from_records

    def counted(*args: Any) -> Any:
        read_back.append(from_records(*args))
        return read_back[-1]

    monkeypatch.setattr(columns, "from_records", counted)
    args = ["check-citations", "--format", "json", "--manuscript", str(manuscript)]
    for bib in bibs:
        args += ["--bib", str(bib)]
    out = []
    for workers in ("1", "2"):
        monkeypatch.setenv("ARGMAP_WORKERS", workers)
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache / f"{len(bibs)}-{workers}"))
        for warm in (False, True):
            del read_back[:]
            result = runner.invoke(app, args)
            assert result.exit_code == 1, result.output  # some citations are missing
            # the warm run read every file from the cache, the cold one none
            assert sum(bib is not None for bib in read_back) == (len(bibs) if warm else 0)
            out.append(result.stdout)
    return out


def test_four_files_give_one_files_report_cold_warm_on_one_worker_or_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's lean bibliography (small) as one file and cut into four --bib: the same
    report, byte for byte, cold and warm, on one worker and two; and with a key defined in two
    of the files, the same report in every mode, the definition pandoc prints used (the last, as
    in one file holding both) and the later one a duplicate naming both places."""
    from bench_inputs import bench_generator

    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    generate = bench_generator()
    text, cited = generate.lean_bibliography(240)
    whole = tmp_path / "lean.bib"
    whole.write_text(text, encoding="utf-8")
    parts = generate.split_files(whole, 4)
    manuscript = tmp_path / "ms.md"
    manuscript.write_text(generate.manuscript(cited, 100), encoding="utf-8")
    one = _reports([whole], manuscript, tmp_path / "cache", monkeypatch)
    four = _reports(parts, manuscript, tmp_path / "cache", monkeypatch)
    assert len(json.loads(one[0])["citations"]) > 80
    assert set(one) == set(four) == {one[0]}

    # the first file's first entry given again, later in the third file, with another year
    key, surname, year = cited[0]
    again = f"\n@misc{{{key}, author = {{{surname}, Ann}}, year = {{1888}}}}\n"
    with parts[2].open("a", encoding="utf-8") as handle:
        handle.write(again)
    with whole.open("a", encoding="utf-8") as handle:
        handle.write(again)
    manuscript.write_text(
        manuscript.read_text(encoding="utf-8")
        + f"\nThat work [@{key}], ({surname}, {year}) and ({surname}, 1888).\n",
        encoding="utf-8",
    )
    one = _reports([whole], manuscript, tmp_path / "cache-dup", monkeypatch)
    four = _reports(parts, manuscript, tmp_path / "cache-dup", monkeypatch)
    assert set(one) == {one[0]} and set(four) == {four[0]}
    whole_report, split_report = json.loads(one[0]), json.loads(four[0])
    assert split_report["citations"] == whole_report["citations"]
    last = split_report["citations"][-3:]
    # a Markdown document: pandoc's citeproc uses the last copy (1888), as argmap matches it
    assert [(c["status"], c["key"]) for c in last] == [
        ("ok", key),
        ("year-mismatch", None),
        ("ok", key),
    ]
    (dup,) = [p for p in split_report["problems"] if p["kind"] == "duplicate-key"]
    lines = parts[2].read_text(encoding="utf-8").count("\n")
    assert (dup["source"], dup["line"]) == (parts[2].name, lines)  # (the cwd holds it)
    assert f"{parts[0].name}:" in dup["message"] and "the last" in dup["message"]
