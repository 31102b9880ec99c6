"""tools/compare_reports.py: cutting a .bib into files, mapping a report back, finding the first
differences, and a whole run of the tool on a small case against the installed argmap."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from tool_scripts import load_tool

tool = load_tool("compare_reports")

BIB = (
    "% a comment before the first block\n"
    "@string{cup = {Cambridge University Press}}\n"
    "@book{a, title = {A}}\n"
    "\n"
    "  @article{b,\n  title = {B}}\n"
    "@misc{c, note = {an @ inside a value}}\n"
    "@Book(d, title = {D})\n"
)


def test_split_is_contiguous_at_block_lines_with_true_offsets() -> None:
    pieces = tool.split_bib(BIB, 3)
    assert "".join(p for p, _ in pieces) == BIB
    assert len(pieces) == 3
    for piece, offset in pieces:
        assert BIB.split("\n")[offset].strip().startswith(("%", "@"))
        assert piece.lstrip().startswith(("%", "@"))
    assert pieces[0][0].startswith("% a comment")  # the preamble stays with the first block


def test_split_of_one_block_is_the_file() -> None:
    assert tool.split_bib("@book{a, title = {A}}\n", 4) == [("@book{a, title = {A}}\n", 0)]


def test_map_back_gives_the_original_file_and_line() -> None:
    report = {
        "problems": [
            {"source": "p2.bib", "line": 3, "message": "duplicate key 'x' at p2.bib:3"},
            {"source": "ms.md", "line": 7, "message": "unknown key"},
        ]
    }
    mapped = tool.map_back(report, [("p1.bib", 0), ("p2.bib", 40)], "all.bib")
    assert mapped["problems"][0] == {
        "source": "all.bib",
        "line": 43,
        "message": "duplicate key 'x' at all.bib:43",
    }
    assert mapped["problems"][1] == report["problems"][1]


def test_differences_name_the_json_path_and_both_values() -> None:
    ref = {"summary": {"errors": 1}, "problems": [{"code": "A"}, {"code": "B"}]}
    other = {"summary": {"errors": 2}, "problems": [{"code": "A"}]}
    assert tool.differences(ref, other) == [
        "$.summary.errors: 1 in the reference, 2 here",
        "$.problems: 2 items in the reference, 1 here",
    ]
    assert tool.differences(ref, ref) == []


def test_by_design_keeps_every_other_message() -> None:
    report = {
        "problems": [
            {"kind": "duplicate-key", "message": "duplicate key 'x' (first defined at line 3)"},
            {"kind": "unresolved-string", "message": "uses undefined @string 'cup'"},
        ]
    }
    out = tool.by_design(report)
    assert out["problems"][0]["message"] == "duplicate-key"
    assert out["problems"][1] == report["problems"][1]


def test_a_whole_run_agrees_with_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argmap = shutil.which("argmap", path=str(Path(sys.executable).parent))
    assert argmap, "argmap is installed beside this interpreter"
    (tmp_path / "refs.bib").write_text(
        BIB.replace("{a,", "{rossi2000, author = {Rossi, Ana}, year = 2000,")
    )
    (tmp_path / "ms.md").write_text("As (Rossi, 2000) and [@b] say.\n")
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps([{"name": "tiny", "bib": ["refs.bib"], "manuscript": ["ms.md"]}]))
    code = tool.main(["--install", f"one={argmap}", "--cases", str(cases), "--modes", "warm,split"])
    out = capsys.readouterr().out
    assert code == 0, out
    rows = [line for line in out.splitlines() if line.startswith("tiny |")]
    assert len(rows) == 1
    assert rows[0].split(" | ")[3:7] == ["one", "=", "=", "="]  # w1, warm, split
    assert rows[0].split(" | ")[1:3] == ["4", "2"]  # entries (no @string), citations
