"""Every way a user's input can be bad, run through the installed ``argmap`` as a user runs it
(tools/bad_inputs.py): no traceback, no hang, an exit code of 0, 1, 2 or 130, and a message that
names the file — for each kind of input spoilt each way (one command each), the cache, the
outputs, Ctrl-C and a closed pipe. As root, the runs are made as nobody (setpriv), so that a file
of mode 000 is unreadable to them."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tool_scripts import load_tool

bad_inputs = load_tool("bad_inputs")

if os.geteuid() == 0 and shutil.which("setpriv") is None:
    pytest.skip(
        "run as root without setpriv: a file of mode 000 would be readable to the runs",
        allow_module_level=True,
    )

# Written once, when the tests are collected (the cases are the files), removed after them.
ROOT = Path(tempfile.mkdtemp(prefix="argmap-bad-inputs-"))
CASES: dict[str, Any] = {
    # the name and the last two arguments, file names without their (temporary) directories: the
    # same ids in every process that collects them (pytest-xdist's workers must agree)
    f"{case.name} [{' '.join(Path(a).name for a in case.args[-2:])}]".replace(
        str(ROOT), "TMP"
    ): case
    for case in bad_inputs.cheap(bad_inputs.build(ROOT / "tree"))
}
bad_inputs.open_up(ROOT)


@pytest.fixture(scope="module", autouse=True)
def _remove_tree() -> Iterator[None]:
    """Remove the inputs once the module's tests have run (the unreadable ones made readable)."""
    yield
    for path in ROOT.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o777 if path.is_dir() else 0o666)
    shutil.rmtree(ROOT, ignore_errors=True)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gets_one_clear_message(name: str) -> None:
    case = CASES[name]
    result = bad_inputs.run(case, bad_inputs.as_user())
    assert result.wrong == [], f"argmap {' '.join(case.args)}\n{result.stderr}"


def test_every_kind_of_input_is_spoilt_every_way() -> None:
    groups = {name.split(":")[0] for name in CASES}
    for kind in ("map", "bib", "csljson", "cslyaml", "tex", "md"):
        for way in ("truncated", "binary", "utf16-bom", "latin1", "empty", "directory", "fifo"):
            assert f"{kind} {way}" in groups
        for way in ("unreadable", "symlink-loop", "huge-line", "missing", "windows-path"):
            assert f"{kind} {way}" in groups
    for kind in ("qmd", "rmd"):
        assert f"{kind} truncated" in groups and f"{kind} latin1" in groups
    for kind in ("docx", "odt"):
        assert f"{kind} text-named-so" in groups and f"{kind} truncated" in groups
    assert {"ctrl-c", "| head -1", "output nodir", "output readonly", "output existing"} <= groups
    # round 26's inputs: pandoc's defaults and metadata files, a baseline, Quarto's and R
    # Markdown's project files, Quarto's pre-render list of files
    for kind in (
        "defaults",
        "metadata",
        "baseline",
        "quarto-yml",
        "quarto-profile",
        "output-yml",
        "quarto-inputs",
    ):
        for way in ("truncated", "binary", "empty", "directory", "fifo", "symlink-loop"):
            assert f"{kind} {way}" in groups, f"{kind} {way}"
    for kind, way in (
        ("defaults", "cite-method-unknown"),
        ("metadata", "bibliography-dot-variable"),
        ("baseline", "sarif"),
        ("_quarto.yml", "yaml-syntax"),
        ("_output.yml", "yaml-syntax"),
        ("format", "gitlab broken-bib"),
        ("format", "sarif broken-map"),
    ):
        assert f"{kind} {way}" in groups, f"{kind} {way}"
