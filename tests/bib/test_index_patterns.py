"""The index's costly patterns are compiled only when a file needs them: a warm check of plain
entries never compiles the general shape's field pattern (~1 ms at every start before)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from argmap.bib import index

PLAIN = (
    "@article{smith2001,\n  author = {Smith, John},\n  title = {A Title},\n  year = {2001},\n}\n"
)
# a value joined with '#' is not of the plain shape: its fields need the general pattern
GENERAL = (
    '@string{j = "J"}\n'
    '@article{jones2002,\n  author = {Jones, Ann},\n  journal = j # "x",\n  year = {2002},\n}\n'
)

CODE = """
import re, sys
from pathlib import Path
from argmap.bib import index
from argmap.bib.reader import load_bibliography
general = index._FIELD + r"[,}]"
bib = load_bibliography(Path(sys.argv[1]), use_cache=True)
for entry in bib.entries.values():
    entry.get("title"); entry.get("journal")
print(any(key[1] == general for key in re._cache))
"""


def _compiled_general(bib: Path, cache: Path) -> list[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", CODE, str(bib)], capture_output=True, text=True, env=env
        )
        for _ in range(2)  # cold, then warm
    ]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    return [run.stdout.strip() for run in runs]


def test_plain_entries_never_compile_the_general_field_pattern(tmp_path: Path) -> None:
    bib = tmp_path / "plain.bib"
    bib.write_text(PLAIN, encoding="utf-8")
    assert _compiled_general(bib, tmp_path / "cache") == ["False", "False"]


def test_an_entry_of_the_general_shape_compiles_it(tmp_path: Path) -> None:
    bib = tmp_path / "general.bib"
    bib.write_text(GENERAL, encoding="utf-8")
    assert _compiled_general(bib, tmp_path / "cache") == ["True", "True"]


def test_the_lazy_pattern_finds_what_the_compiled_one_does() -> None:
    text = GENERAL.split("\n", 1)[1]
    start = text.index(",") + 1
    expected = [m.span() for m in index.general_fields_pattern().finditer(text, start)]
    assert [m.span() for m in index._FIELDS.finditer(text, start)] == expected
    assert index._FIELDS.findall(text, start) == index.general_fields_pattern().findall(text, start)
    assert len(expected) == 3
