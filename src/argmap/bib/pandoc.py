"""Reference lists by pandoc's citeproc: finding a pandoc, feeding it the entries, and reading
back one formatted reference per key.

pandoc's citeproc is a complete CSL processor (it passes nearly all of the CSL test suite) and
its BibTeX reader is biblatex-aware: LaTeX, name parts, ``langid`` and title case are handled
as biber would. argmap hands it the chosen entries, as BibTeX, and asks for every one of them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

from argmap.bib.model import BibEntry
from argmap.bib.writer import entry_text
from argmap.errors import ArgmapError

# pandoc 2.11 brought the built-in citeproc (--citeproc); older ones cannot format at all.
MINIMUM_VERSION = (2, 11)

# A Lua filter, run after citeproc: each reference's div becomes a marker line with its key,
# the reference itself and an end marker, so that one run gives every reference with its key.
_MARK = "@@argmap-reference@@"
_END = "@@argmap-end@@"
_FILTER = f"""
function Div(div)
  local key = div.identifier:match("^ref%-(.+)$")
  if key and div.classes:includes("csl-entry") then
    local blocks = {{pandoc.RawBlock(FORMAT, "{_MARK}" .. key .. "{_MARK}")}}
    for _, block in ipairs(div.content) do table.insert(blocks, block) end
    table.insert(blocks, pandoc.RawBlock(FORMAT, "{_END}"))
    return blocks
  end
end
"""


def find_pandoc() -> Path | None:
    """The pandoc to use: the one pypandoc_binary ships (``argmap[pandoc]``), else the first
    on ``PATH``; None when there is neither or it is older than 2.11."""
    candidates: list[Path] = []
    spec = find_spec("pypandoc")
    if spec is not None and spec.origin is not None:
        name = "pandoc.exe" if sys.platform == "win32" else "pandoc"
        candidates.append(Path(spec.origin).parent / "files" / name)
    on_path = shutil.which("pandoc")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK) and _recent(candidate):
            return candidate
    return None


def _recent(pandoc: Path) -> bool:
    """Whether ``pandoc`` runs and is 2.11 or newer."""
    try:
        first = subprocess.run(
            [str(pandoc), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.split("\n", 1)[0]
    except (OSError, subprocess.SubprocessError):
        return False
    match = re.search(r"(\d+)\.(\d+)", first)
    return match is not None and (int(match[1]), int(match[2])) >= MINIMUM_VERSION


# What pandoc's BibTeX reader accepts as an entry type and as a field name; anything else makes
# it refuse the whole file.
_TYPE = re.compile(r"[A-Za-z]+")
_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_+:-]*")


def bibliography_text(entries: list[BibEntry]) -> str:
    """The entries as BibTeX for pandoc, without argmap's own ``x-`` fields or ``note`` (as in
    the CSL conversion: notes in argmap's bibliographies are about the entry, not part of it).

    An entry type pandoc cannot read (Mendeley's ``@book_section``) is written ``@misc``, as
    biblatex treats an unknown type, and a field whose name it cannot read is left out: else
    pandoc would refuse the whole file. (check-citations reports unknown entry types.)
    """
    parts = []
    for entry in entries:
        fields = {
            name: value
            for name, value in entry.fields.items()
            if not name.startswith("x-") and name != "note" and _FIELD.fullmatch(name)
        }
        fields = {name: _shallow(value) for name, value in fields.items()}
        kind = entry.type if _TYPE.fullmatch(entry.type) else "misc"
        parts.append(entry_text(BibEntry(key=entry.key, type=kind, line=0, fields=fields)))
    return "\n\n".join(parts) + "\n"


# Braces nested deeper than this protect nothing more; pandoc's reader takes minutes over
# thousands of levels (a hostile .bib), so the deeper ones are not handed on.
MAX_BRACE_DEPTH = 8


def _shallow(value: str) -> str:
    """``value`` without the braces nested deeper than ``MAX_BRACE_DEPTH``."""
    if value.count("{") <= MAX_BRACE_DEPTH:
        return value
    out, depth = [], 0
    for char in value:
        if char == "{":
            depth += 1
            if depth > MAX_BRACE_DEPTH:
                continue
        elif char == "}":
            depth -= 1
            if depth >= MAX_BRACE_DEPTH:
                continue
        out.append(char)
    return "".join(out)


def pandoc_references(
    pandoc: Path,
    entries: list[BibEntry],
    style: Path,
    locale: str,
    writer: str,
    parents: list[BibEntry] | None = None,
    csl_files: dict[Path, str] | None = None,
    as_bibtex: list[BibEntry] | None = None,
) -> list[tuple[str, str]]:
    """(key, reference) for every entry, in the style's order, as pandoc's ``writer`` (plain,
    markdown or html) formats them; ``parents`` are crossref'd entries pandoc reads fields
    from but does not list. Entries read from CSL-JSON or CSL-YAML files are left to pandoc to
    read from ``csl_files`` (path -> ``json`` or ``yaml``) themselves: their text is not LaTeX
    and must not be written as BibTeX; ``as_bibtex`` are the others (default: all). A key
    pandoc does not give back is an error, never a gap.
    """
    if not entries:
        return []
    csl_files = csl_files or {}
    with tempfile.TemporaryDirectory(prefix="argmap-refs-") as tmp:
        folder = Path(tmp)
        written = entries if as_bibtex is None else as_bibtex
        bib_text = bibliography_text([*written, *(parents or [])])
        bibliographies = [folder / "refs.bib"]
        bibliographies[0].write_text(bib_text, encoding="utf-8")
        for number, (path, suffix) in enumerate(csl_files.items()):
            # pandoc knows a CSL file by its suffix, whatever the user's file is called
            copy = folder / f"csl{number}.{suffix}"
            copy.write_bytes(path.read_bytes())
            bibliographies.append(copy)
        (folder / "keys.lua").write_text(_FILTER, encoding="utf-8")
        # @{key} takes any characters a key may hold; only these entries are listed.
        wanted = " ".join(f"@{{{entry.key}}}" for entry in entries)
        document = f"---\nnocite: |\n  {wanted}\nlang: {locale}\n---\n"
        command = [
            str(pandoc),
            "--from=markdown",
            f"--to={writer}",
            "--wrap=none",
            "--citeproc",
            f"--lua-filter={folder / 'keys.lua'}",
            *(f"--bibliography={path}" for path in bibliographies),
            f"--csl={style}",
        ]
        try:
            done = subprocess.run(
                command, input=document, capture_output=True, text=True, timeout=300
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise ArgmapError(f"pandoc could not run: {exc}", path=pandoc) from None
    if done.returncode != 0:
        message = " ".join(done.stderr.split())[:500] or f"exit status {done.returncode}"
        raise ArgmapError(
            f"pandoc failed to format the references: {message}",
            hint="check the style, the locale and the entries it names; or try --engine "
            "citeproc-py",
        )
    pattern = re.compile(f"{_MARK}(.*?){_MARK}(.*?){_END}", re.DOTALL)
    pairs = [(m[1], _one_line(m[2], writer)) for m in pattern.finditer(done.stdout)]
    lost = sorted({entry.key for entry in entries} - {key for key, _ in pairs})
    if lost:
        raise ArgmapError(
            f"pandoc left out {len(lost)} entr{'y' if len(lost) == 1 else 'ies'}: "
            f"{', '.join(lost[:10])}",
            hint="try --engine citeproc-py, and check these keys and entries",
        )
    return pairs


def _one_line(text: str, writer: str) -> str:
    """A reference as one line: whitespace collapsed, and HTML's paragraph tags dropped."""
    text = " ".join(text.split())
    if writer == "html":
        text = re.sub(r"^<p>(.*)</p>$", r"\1", text)
    return text
