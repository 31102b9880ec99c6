"""`check-citations --manuscript` on papers as writers have them: Quarto with a Zotero BibLaTeX
file, LaTeX with natbib and \\input, typed APA text, Word with Zotero fields; clean papers exit 0,
a wrong key or year exits 1 naming it and its line (or paragraph)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

DATA = Path(__file__).parents[1] / "data" / "manuscripts"
runner = CliRunner()


@pytest.fixture(autouse=True)
def outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no arguments/ is found, so only what a test names is checked."""
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["check-citations", "--format", "json", *args])
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, data, result.stderr


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in data["problems"] if p["severity"] == "error"]


@pytest.mark.parametrize(
    ("folder", "manuscript", "bib", "citations"),
    [
        ("quarto", "paper.qmd", "zotero.bib", 5),
        ("natbib", "paper.tex", "refs.bib", 13),
        ("apa", "paper.txt", "refs.bib", 6),
    ],
)
def test_a_correct_paper_checks_clean(
    folder: str, manuscript: str, bib: str, citations: int
) -> None:
    code, data, stderr = run(
        "--bib", str(DATA / folder / bib), "--manuscript", str(DATA / folder / manuscript)
    )
    assert errors(data) == []
    assert code == 0, stderr
    assert data["summary"]["citations"] == citations
    assert {c["status"] for c in data["citations"]} == {"ok"}


def test_a_wrong_key_in_an_included_file_names_key_file_and_line(tmp_path: Path) -> None:
    paper = copy("natbib", tmp_path)
    results = paper / "sections" / "results.tex"
    results.write_text(
        results.read_text(encoding="utf-8").replace("\\Citet{kim2018}", "\\Citet{kim2081}"),
        encoding="utf-8",
    )
    code, data, _ = run("--bib", str(paper / "refs.bib"), "--manuscript", str(paper / "paper.tex"))
    assert code == 1
    [problem] = errors(data)
    assert (problem["kind"], problem["source"], problem["line"]) == (
        "unknown-key",
        "natbib/sections/results.tex",
        4,
    )
    assert "kim2081" in problem["message"] and "kim2018" in problem["suggestion"]


def test_a_wrong_key_in_an_optional_argument_over_two_lines_is_caught(tmp_path: Path) -> None:
    paper = copy("natbib", tmp_path)
    main = paper / "paper.tex"
    main.write_text(
        main.read_text(encoding="utf-8").replace("][p.~12]{kim2018}", "][p.~12]{kimm2018}"),
        encoding="utf-8",
    )
    code, data, _ = run("--bib", str(paper / "refs.bib"), "--manuscript", str(main))
    assert code == 1
    # placed at the key itself, on the line after the command's
    assert [(p["kind"], p["line"], p["column"]) for p in errors(data)] == [("unknown-key", 11, 18)]


def test_a_wrong_key_in_quarto_names_key_and_line(tmp_path: Path) -> None:
    paper = copy("quarto", tmp_path)
    qmd = paper / "paper.qmd"
    qmd.write_text(
        qmd.read_text(encoding="utf-8").replace("[see @kimLearning2018", "[see @kimLearning2019"),
        encoding="utf-8",
    )
    code, data, _ = run("--bib", str(paper / "zotero.bib"), "--manuscript", str(qmd))
    assert code == 1
    in_paper = [p for p in errors(data) if p["source"].endswith("paper.qmd")]
    assert [(p["kind"], p["key"], p["line"]) for p in in_paper] == [("unknown-key", None, 11)]
    assert "kimLearning2019" in in_paper[0]["message"]


def test_a_wrong_year_in_typed_text_names_the_line(tmp_path: Path) -> None:
    paper = copy("apa", tmp_path)
    txt = paper / "paper.txt"
    txt.write_text(
        txt.read_text(encoding="utf-8").replace("Kim (2015)", "Kim (2016)"), encoding="utf-8"
    )
    code, data, _ = run("--bib", str(paper / "refs.bib"), "--manuscript", str(txt))
    assert code == 1
    assert [(p["kind"], p["line"]) for p in errors(data)] == [("year-mismatch", 4)]


def test_an_input_loop_is_an_error_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "a.tex").write_text("\\input{b}\n", encoding="utf-8")
    (tmp_path / "b.tex").write_text("\\cite{rossi2009}\n\\input{a}\n", encoding="utf-8")
    code, data, _ = run(
        "--bib", str(DATA / "natbib" / "refs.bib"), "--manuscript", str(tmp_path / "a.tex")
    )
    assert code == 1
    assert [(p["kind"], p["source"], p["line"]) for p in errors(data)] == [
        ("input-loop", "b.tex", 2)
    ]


def make_zotero_docx(path: Path, doi: str, title: str) -> None:
    import docx
    from office_files import add_field, zotero_code

    item = {
        "type": "article-journal",
        "title": title,
        "author": [{"family": "Rossi", "given": "Ana"}],
        "issued": {"date-parts": [[2009]]},
        "DOI": doi,
    }
    document = docx.Document()
    document.add_paragraph("Intro.")
    p = document.add_paragraph("Clusters ")
    add_field(p, zotero_code([item], "(Rossi et al., 2009)"), "(Rossi et al., 2009)")
    p.add_run(" and Bauer (2015).")
    document.save(str(path))


@pytest.mark.parametrize(
    ("doi", "title", "status", "key"),
    [
        pytest.param(
            "https://doi.org/10.1234/JRS.2009.31.4.211", "Anything", "ok", "rossi2009", id="doi"
        ),
        pytest.param(None, "Small firms in industrial clusters", "ok", "rossi2009", id="title"),
        pytest.param(None, "Another paper entirely", "missing", None, id="other-title"),
    ],
)
def test_word_zotero_items_are_checked_by_doi_then_title(
    tmp_path: Path, doi: str | None, title: str, status: str, key: str | None
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        (DATA / "natbib" / "refs.bib")
        .read_text(encoding="utf-8")
        .replace("year = {2009},", "year = {2009},\n  doi = {10.1234/jrs.2009.31.4.211},"),
        encoding="utf-8",
    )
    path = tmp_path / "paper.docx"
    make_zotero_docx(path, doi or "", title)
    code, data, _ = run("--bib", str(bib), "--manuscript", str(path))
    rows = [
        (c["text"], c["status"], c["key"], c["line"], c["paragraph"]) for c in data["citations"]
    ]
    assert rows == [
        ("(Rossi et al., 2009)", status, key, None, 2),
        ("Bauer (2015)", "ok", "bauer2015", None, 2),
    ]
    assert code == (0 if status == "ok" else 1)


def test_word_paragraph_shown_in_the_table(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    make_zotero_docx(path, "", "Unknown work")
    result = runner.invoke(
        app,
        ["check-citations", "--bib", str(DATA / "natbib" / "refs.bib"), "--manuscript", str(path)],
    )
    assert result.exit_code == 1
    assert "¶2" in result.stdout and "(Rossi et al., 2009)" in result.stdout


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_corrupt_office_file_is_one_line_and_exit_2(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"paper{suffix}"
    path.write_bytes(b"PK\x03\x04garbage")
    result = runner.invoke(
        app,
        ["check-citations", "--bib", str(DATA / "natbib" / "refs.bib"), "--manuscript", str(path)],
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"paper{suffix}" in lines[0] and "save it again" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("suffix", [".qmd", ".Rmd", ".Rnw", ".md", ".tex", ".txt"])
def test_every_text_format_is_accepted(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"p{suffix}"
    cite = "\\citep{rossi2009}" if suffix in (".Rnw", ".tex") else "[@rossi2009]"
    path.write_text(f"Text {cite}.\n", encoding="utf-8")
    code, data, _ = run("--bib", str(DATA / "natbib" / "refs.bib"), "--manuscript", str(path))
    assert code == 0
    assert [(c["key"], c["line"]) for c in data["citations"]] == [("rossi2009", 1)]


def test_pandoc_written_odt_gives_parseable_json_and_its_citations() -> None:
    folder = DATA / "pandoc_odt"
    code, data, err = run("--bib", str(folder / "refs.bib"), "--manuscript", str(folder / "s.odt"))
    assert (code, err) == (0, "")
    assert [(c["text"], c["status"]) for c in data["citations"]] == [
        ("Glashow, 1961", "ok"),
        ("Worman (2002)", "ok"),
    ]
