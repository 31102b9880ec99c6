"""Hostile input: every file of tests/data/hostile (and a few generated ones) gets a clear
message and the right exit code — never a traceback, a hang, code execution or a lost file.

Each case names the command it runs, the exit code expected, and a fragment of the message
(on stderr for errors, or in the JSON report for problems found in a readable file).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli.app import app

HOSTILE = Path(__file__).parent / "data" / "hostile"
runner = CliRunner()


@dataclass(frozen=True)
class Case:
    """One hostile input: the command (``{H}`` is the corpus), exit code, message fragment."""

    name: str
    args: tuple[str, ...]
    code: int
    fragment: str
    where: str = "stderr"  # or "report": a problem in check-citations' JSON output


def show(name: str, code: int, fragment: str) -> Case:
    """Read a map file (or directory) with show."""
    return Case(
        name,
        ("show", "--map", f"{{H}}/{name}", "--no-evidence", "--format", "text"),
        code,
        fragment,
    )


def bib(name: str, code: int, fragment: str, where: str = "report") -> Case:
    """Check a bibliography against a small manuscript."""
    args = (
        "check-citations",
        "--bib",
        f"{{H}}/{name}",
        "--manuscript",
        "{H}/ms-ok.md",
        "--format",
        "json",
    )
    return Case(name, args, code, fragment, where)


def manuscript(name: str, code: int, fragment: str, where: str = "stderr") -> Case:
    """Check a manuscript against a good bibliography."""
    args = (
        "check-citations",
        "--bib",
        "{H}/bib-ok.bib",
        "--manuscript",
        f"{{H}}/{name}",
        "--format",
        "json",
    )
    return Case(name, args, code, fragment, where)


CASES = [
    # maps: syntax, structure, types, graph
    show("map-ok.yaml", 0, ""),
    show("map-bom-crlf.yaml", 0, ""),
    show("map-syntax.yaml", 2, "map-syntax.yaml:"),
    show("map-truncated.yaml", 2, "map-truncated.yaml:"),
    show("map-tab-indent.yaml", 2, "map-tab-indent.yaml:"),
    show("map-claims-string.yaml", 2, "expected a list of claims"),
    show("map-paragraph-type.yaml", 2, "paragraph"),
    show("map-unknown-field.yaml", 2, "colour: unknown field"),
    show("map-unknown-top.yaml", 2, "notes: unknown top-level field"),
    show("map-dup-id.yaml", 2, "duplicate claim id 'F1'"),
    show("map-dup-across", 2, "duplicate claim id 'R1'"),
    show("map-dup-key.yaml", 2, "duplicate key 'kind'"),
    show("map-dangling.yaml", 2, "unknown claim id 'D9'"),
    show("map-cycle.yaml", 2, "support cycle"),
    show("map-empty.yaml", 2, "file is empty"),
    show("map-comments-only.yaml", 2, "file is empty"),
    show("map-empty-dir", 2, "no YAML files"),
    show("map-scalar.yaml", 2, "expected a mapping"),
    show("map-no-article.yaml", 2, "no 'article' metadata"),
    show("map-two-roots.yaml", 2, "2 root claims"),
    show("map-unreachable.yaml", 2, "not reachable"),
    show("map-reported-no-source.yaml", 2, "reported_from"),
    show("map-unknown-section.yaml", 2, "unknown section '9'"),
    show("map-no-english.yaml", 2, "no text in 'en'"),
    show("map-python-tag.yaml", 2, "tag not allowed"),
    show("map-custom-tag.yaml", 2, "tag not allowed"),
    show("map-alias.yaml", 2, "anchors and aliases are not supported"),
    show("map-alias-bomb.yaml", 2, "anchors and aliases are not supported"),
    show("map-deep.yaml", 2, "nesting deeper than"),
    show("map-latin1.yaml", 2, "not valid UTF-8"),
    show("map-utf16.yaml", 2, "encoded as UTF-16"),
    show("map-binary.yaml", 2, "looks binary"),
    show("missing-map", 2, "map not found"),
    show(
        "map-escape-control.yaml",
        2,
        "map-escape-control.yaml:17 claims[2].text.es: control character \\x1b in the text",
    ),
    show("map-raw-control.yaml", 2, "map-raw-control.yaml:13: control character \\x1b not allowed"),
    show("map-nul-late.yaml", 2, "map-nul-late.yaml:21: map file has a NUL byte (column 3)"),
    show("map-markup.yaml", 0, "[bold]Prueba[/] <img src=x onerror=alert(1)>"),
    # bibliographies
    bib("bib-ok.bib", 0, ""),
    bib("bib-crlf-bom.bib", 0, ""),
    bib("bib-unbalanced.bib", 1, "could not be parsed"),
    bib("bib-unterminated.bib", 1, "could not be parsed"),
    bib("bib-dup-keys.bib", 1, "duplicate key 'roe2018' (first defined at line 1)"),
    bib("bib-dup-fields.bib", 1, "gives field 'year' 2 different values"),
    bib("bib-string-cycle.bib", 1, "refers to itself"),
    bib("bib-crossref-missing.bib", 1, "crossref 'nowhere2000'"),
    bib("bib-no-key.bib", 1, "entry has no key"),
    bib("bib-bad-key.bib", 1, "invalid entry key 'has space'"),
    # a warning: no tool stops on it (BibTeX and biber leave the name out, pandoc prints it)
    bib("bib-undefined-string.bib", 0, "undefined @string 'sp'"),
    bib("bib-unknown-type.bib", 0, "unknown entry type '@weirdtype'"),
    bib("bib-missing-fields.bib", 0, "lacks required field(s): title"),
    bib("bib-empty.bib", 1, "no entry for Roe (2018)"),
    bib("bib-garbage.bib", 1, "no entry for Roe (2018)"),
    bib("bib-latin1.bib", 2, "bib-latin1.bib:7: bibliography is not valid UTF-8", "stderr"),
    bib("bib-utf16.bib", 2, "encoded as UTF-16", "stderr"),
    bib("bib-binary.bib", 2, "looks binary", "stderr"),
    bib("missing.bib", 2, "bibliography not found", "stderr"),
    bib("map-empty-dir", 2, "is a directory, not a file", "stderr"),
    bib("bib-nul-late.bib", 2, "bib-nul-late.bib:8: bibliography has a NUL byte", "stderr"),
    bib("bib-backslash-lines.bib", 1, "line 14: duplicate key 'poem' (first defined at line 7)"),
    bib("bib-lone-cr.bib", 1, "line 10: duplicate key 'mac' (first defined at line 8)"),
    bib("bib-missing-comma.bib", 1, "no comma between field 'publisher' and field 'year'"),
    bib("bib-csl-syntax.json", 2, "bib-csl-syntax.json:4: not valid CSL-JSON", "stderr"),
    bib("bib-csl-object.json", 2, "not a CSL-JSON bibliography", "stderr"),
    bib("bib-csl-no-id.json", 1, "item has no 'id'"),
    bib("bib-csl-syntax.yaml", 2, "not valid CSL-YAML", "stderr"),
    bib("bib-csl-alias.yaml", 2, "bib-csl-alias.yaml:4: CSL-YAML with anchors", "stderr"),
    bib("bib-refs.ris", 2, "RIS is not a bibliography format argmap reads", "stderr"),
    # manuscripts
    manuscript("ms-ok.md", 0, ""),
    manuscript("ms-empty.md", 0, ""),
    manuscript("ms-parens.md", 0, ""),
    manuscript("ms-digits.txt", 0, ""),
    # thousands of names ending "... de la von (2000)": a particle, no name, stands by the year,
    # and a word between names and year makes prose (issue 22), so no citation
    manuscript("ms-names.txt", 0, '"citations": 0', "report"),
    manuscript("ms-latex.tex", 1, "unknown key", "report"),
    manuscript("ms-pandoc.md", 1, "nobody", "report"),
    manuscript("ms-control.tex", 1, "unknown key 'poe\x1b[31m2018'", "report"),
    manuscript("ms-binary.md", 2, "looks binary"),
    manuscript("ms-latin1.txt", 2, "ms-latin1.txt:1: manuscript is not valid UTF-8"),
    manuscript("ms-utf16.md", 2, "encoded as UTF-16"),
    manuscript("ms-unsupported.pdf", 2, "unsupported manuscript type '.pdf'"),
    manuscript("ms-corrupt.docx", 2, "ms-corrupt.docx: not a readable Word .docx file"),
    manuscript("ms-text-named.docx", 2, "not a readable Word .docx file"),
    manuscript("ms-corrupt.odt", 2, "ms-corrupt.odt: not a readable OpenDocument .odt file"),
    manuscript("ms-loop-a.tex", 1, "a loop, not followed", "report"),
    manuscript("ms-loop-b.tex", 1, "a loop, not followed", "report"),
    manuscript("ms-input-missing.tex", 0, "names no file argmap can resolve", "report"),
    # never closed: pandoc reads a rule and text, so [@nobody] is cited (and unknown), with a
    # warning that the front matter is not closed (argmap blanked the file to its end before)
    manuscript("ms-front-matter-open.qmd", 1, "no line '---' or '...' closes it", "report"),
    manuscript("ms-fence-open.Rmd", 0, ""),
    manuscript("ms-verbatim-open.tex", 0, ""),
    manuscript("missing.md", 2, "manuscript not found"),
    manuscript("map-empty-dir", 2, "is a directory"),
]


def run(args: tuple[str, ...], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    # An exception escaping the command would print a traceback to a user: never acceptable.
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {result.exception!r}"
    )
    return result.exit_code, result.stdout, result.stderr


def test_corpus_is_large_and_every_file_is_used() -> None:
    files = {p.name for p in HOSTILE.iterdir()}
    used = {part.split("/", 1)[1] for c in CASES for part in c.args if part.startswith("{H}/")}
    assert len(files) >= 40
    assert files <= used, f"corpus files without a case: {sorted(files - used)}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = tuple(a.replace("{H}", str(HOSTILE)) for a in case.args)
    started = time.monotonic()
    code, out, err = run(args, tmp_path, monkeypatch)
    elapsed = time.monotonic() - started
    assert code == case.code, f"exit {code}; stdout: {out[:500]} stderr: {err[:500]}"
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert "Traceback" not in out + err
    if case.code == 2:
        # one message per problem, each naming the file it is about
        lines = err.strip().splitlines()
        assert lines and all(line.startswith("argmap: error: ") for line in lines), err
        target = Path(args[args.index("--manuscript") + 1] if "missing.md" in args else "")
        assert case.fragment in err, err
        assert target.name in err or any(Path(a).name in err for a in args if a.startswith("/"))
    elif case.where == "report":
        report = json.loads(out)
        messages = [f"line {p['line']}: {p['message']}" for p in report["problems"]] + [
            c["text"] + " " + c["status"] for c in report["citations"]
        ]
        assert any(case.fragment in m for m in messages) or case.fragment in out, out[:2000]
        for problem in report["problems"]:
            assert problem["source"] and problem["message"]
    if case.code == 0 and case.args[0] == "show":
        assert "D1" in out
        assert case.fragment in out


def generated(kind: str, tmp: Path) -> tuple[tuple[str, ...], int, str]:
    """Inputs too large to keep in the repository, written at test time."""
    if kind == "yaml-10mb-line":
        path = tmp / "big.yaml"
        path.write_text("article: {title: " + "x" * 10_000_000 + "}\n", encoding="utf-8")
        return ("show", "--map", str(path), "--no-evidence"), 2, "article.key: Field required"
    if kind == "yaml-deep":
        path = tmp / "deep.yaml"
        path.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
        return ("show", "--map", str(path), "--no-evidence"), 2, "maximum nesting depth"
    if kind == "bib-10mb-line":
        path = tmp / "big.bib"
        path.write_text(
            "@misc{long, note = {" + "word " * 2_000_000 + "}, year = 2000}" + "@misc{x",
            encoding="utf-8",
        )
        args = ("check-citations", "--bib", str(path), "--manuscript", str(HOSTILE / "ms-ok.md"))
        return (*args, "--format", "json"), 1, ""
    if kind == "ms-10mb-line":
        path = tmp / "big.md"
        # one line of 10 MB: unclosed parentheses, years and names, and a few real citations
        text = "lorem (ipsum 1999, Dolor " * 400_000 + "(Roe, 2018) " * 1_000 + "((((" * 50_000
        path.write_text(text, encoding="utf-8")
        args = ("check-citations", "--bib", str(HOSTILE / "bib-ok.bib"), "--manuscript", str(path))
        return (*args, "--format", "json"), 0, ""
    if kind == "ms-initials":
        # a surname, then a run of initials and no year: the reference-entry pattern read
        # "A. " two ways, and took 5 s at 22 initials, doubling every 1.5 more (stop 25)
        path = tmp / "initials.md"
        path.write_text(("Rossi, " + "A. " * 60 + "x\n\n") * 20, encoding="utf-8")
        args = ("check-citations", "--bib", str(HOSTILE / "bib-ok.bib"), "--manuscript", str(path))
        return (*args, "--format", "json"), 0, ""
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["yaml-10mb-line", "yaml-deep", "bib-10mb-line", "ms-10mb-line", "ms-initials"]
)
def test_huge_generated_input(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args, expected, fragment = generated(kind, tmp_path)
    started = time.monotonic()
    code, out, err = run(args, tmp_path, monkeypatch)
    assert code == expected, err[:500]
    assert fragment in err
    assert time.monotonic() - started < 30
    assert "Traceback" not in out + err


def test_yaml_tags_execute_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(
        ("show", "--map", str(HOSTILE / "map-python-tag.yaml"), "--no-evidence"),
        tmp_path,
        monkeypatch,
    )
    assert code == 2 and "tag not allowed" in err
    assert not (tmp_path / "argmap-pwned").exists()
    assert list(tmp_path.iterdir()) == []


def test_alias_bomb_is_rejected_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.monotonic()
    code, _, err = run(
        ("show", "--map", str(HOSTILE / "map-alias-bomb.yaml")), tmp_path, monkeypatch
    )
    assert code == 2 and "aliases are not supported" in err
    assert time.monotonic() - started < 1.0


def special_file(kind: str, tmp: Path) -> Path:
    """A path that is not a regular file: a FIFO (nobody writes to it), a device or a directory."""
    if kind == "fifo":
        path = tmp / "pipe.md"
        os.mkfifo(path)
        return path
    if kind == "device":
        return Path("/dev/zero")
    path = tmp / "folder.md"
    path.mkdir()
    return path


SPECIAL_ARGS = {
    "--map": ("show", "--map", "{P}", "--no-evidence"),
    "--bib": ("check-citations", "--bib", "{P}", "--manuscript", str(HOSTILE / "ms-ok.md")),
    "--manuscript": (
        "check-citations",
        "--bib",
        str(HOSTILE / "bib-ok.bib"),
        "--manuscript",
        "{P}",
    ),
}
SPECIAL_MESSAGES = {
    "fifo": "a FIFO (named pipe)",
    "device": "a character device",
    "directory": "",  # --map takes a directory: it is read (and has no YAML files)
}


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
@pytest.mark.parametrize("option", list(SPECIAL_ARGS))
def test_non_regular_input_gets_one_line(
    option: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = special_file(kind, tmp_path)
    args = tuple(a.replace("{P}", str(path)) for a in SPECIAL_ARGS[option])
    started = time.monotonic()
    code, _, err = run(args, tmp_path, monkeypatch)
    assert time.monotonic() - started < 10  # no hang on the FIFO, no read of /dev/zero
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("argmap: error: "), err
    assert path.name in err
    if kind == "directory":
        expected = "no YAML files" if option == "--map" else "is a directory, not a file"
    else:
        expected = SPECIAL_MESSAGES[kind] + (
            ", not a YAML file or a directory" if option == "--map" else ", not a regular file"
        )
    assert expected in err


@pytest.mark.parametrize("what", ["map file", "bibliography", "manuscript"])
def test_input_over_the_size_limit_is_refused(
    what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argmap.base import textio

    monkeypatch.setitem(textio.LIMITS, what, 1024)
    big = tmp_path / "big.md"
    big.write_text("x " * 1000, encoding="utf-8")
    args = {
        "map file": ("show", "--map", str(HOSTILE / "map-ok.yaml"), "--no-evidence"),
        "bibliography": ("check-citations", "--bib", str(big), "--manuscript", str(big)),
        "manuscript": (
            "check-citations",
            "--bib",
            str(HOSTILE / "bib-ok.bib"),
            "--manuscript",
            str(big),
        ),
    }[what]
    if what == "map file":
        monkeypatch.setitem(textio.LIMITS, what, 100)
    code, _, err = run(args, tmp_path, monkeypatch)
    assert code == 2
    assert f"{what} is larger than 0 MiB" not in err  # the limit is named in a readable unit
    assert f"{what} is larger than" in err and "split it into smaller files" in err


def test_fifo_inside_the_map_directory_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "00-ok.yaml").write_text((HOSTILE / "map-ok.yaml").read_text(encoding="utf-8"))
    os.mkfifo(maps / "10-pipe.yaml")
    code, _, err = run(("show", "--map", str(maps), "--no-evidence"), tmp_path, monkeypatch)
    assert code == 2
    assert "10-pipe.yaml: map file is a FIFO (named pipe), not a regular file" in err


def test_symlinked_directory_in_the_map_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    maps = tmp_path / "arguments"
    elsewhere = tmp_path / "shared"
    maps.mkdir()
    elsewhere.mkdir()
    text = (HOSTILE / "map-ok.yaml").read_text(encoding="utf-8")
    (maps / "00-article.yaml").write_text(text.split("claims:")[0], encoding="utf-8")
    (elsewhere / "claims.yaml").write_text("claims:" + text.split("claims:")[1], encoding="utf-8")
    (maps / "linked").symlink_to(elsewhere, target_is_directory=True)
    code, out, err = run(
        ("show", "--map", str(maps), "--no-evidence", "--format", "text"), tmp_path, monkeypatch
    )
    assert code == 0, err
    assert "[D1]" in out and "[F1]" in out


@pytest.mark.parametrize("link", ["loop", "twice", "dangling"])
def test_symlinks_in_the_map_that_cannot_be_read_are_named(
    link: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    maps = tmp_path / "arguments"
    (maps / "sub").mkdir(parents=True)
    (maps / "00-ok.yaml").write_text((HOSTILE / "map-ok.yaml").read_text(encoding="utf-8"))
    if link == "loop":
        (maps / "sub" / "back").symlink_to(maps, target_is_directory=True)
        expected = "back: symbolic link loop"
    elif link == "twice":
        (maps / "again").symlink_to(maps / "sub", target_is_directory=True)
        expected = "symbolic link to a directory already read"
    else:
        (maps / "10-gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
        expected = "10-gone.yaml: map file is a symbolic link to a missing file"
    code, _, err = run(("show", "--map", str(maps), "--no-evidence"), tmp_path, monkeypatch)
    assert code == 2 and expected in err, err


def test_editor_lock_link_in_the_map_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "00-ok.yaml").write_text((HOSTILE / "map-ok.yaml").read_text(encoding="utf-8"))
    (maps / ".#00-ok.yaml").symlink_to("user@host.1234:1700000000")  # what Emacs leaves
    code, _, err = run(("show", "--map", str(maps), "--no-evidence"), tmp_path, monkeypatch)
    assert code == 0, err


@pytest.mark.parametrize(
    "args",
    [
        ("check-citations", "--manuscript", str(HOSTILE / "ms-ok.md"), "--format", "json"),
        ("refs",),
        ("export", "-f", "csl-json", "--map", str(HOSTILE.parent / "mini" / "arguments")),
        ("export", "-f", "bibtex", "--map", str(HOSTILE.parent / "mini" / "arguments")),
    ],
    ids=["check", "refs", "csl-json", "bibtex"],
)
def test_fifty_thousand_deep_braces_in_a_bib(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = 50_000
    path = tmp_path / "deep.bib"
    path.write_text(
        "@book{roe2018, author = {Roe, Jane}, publisher = {P}, year = {2018},\n"
        f"  title = {{{'{' * deep}Small Credit{'}' * deep}}}}}\n"
        f"@misc{{other, author = {{{'{' * deep}Poe{'}' * deep}, Ed}}, year = {{1999}}}}\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    code, out, err = run((*args, "--bib", str(path)), tmp_path, monkeypatch)
    assert time.monotonic() - started < 30
    assert "Traceback" not in out + err and "RecursionError" not in out + err
    assert code in (0, 1), err  # 1: the map cites a key the .bib lacks
    assert "Small Credit" in out or args[0] == "check-citations"


@pytest.mark.parametrize("option", ["--map", "--bib", "--manuscript"])
def test_dangling_symlink_given_as_input_is_named(
    option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "moved-away.md")
    args = tuple(a.replace("{P}", str(link)) for a in SPECIAL_ARGS[option])
    code, _, err = run(args, tmp_path, monkeypatch)
    assert code == 2
    assert "gone.md:" in err and "symbolic link to a missing" in err and "moved-away.md" in err


@pytest.mark.parametrize(
    "args",
    [
        ("show", "--no-evidence"),
        ("show", "--no-evidence", "--format", "text"),
        ("trace", "D1"),
        ("export", "-f", "markdown"),
    ],
    ids=["tree", "text", "trace", "markdown"],
)
def test_markup_in_map_text_is_shown_as_written(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(
        (*args, "--map", str(HOSTILE / "map-markup.yaml"), "--bib", str(HOSTILE / "bib-ok.bib")),
        tmp_path,
        monkeypatch,
    )
    assert code == 0, err
    flat = " ".join(out.split())
    if args[0] == "export":
        assert "\\[/\\] \\[sic\\] \\<script\\>alert(1)\\</script\\>" in flat
    else:
        assert "[/] [sic] <script>alert(1)</script>" in flat
    if args[0] == "show":
        assert "[bold]Prueba[/] <img src=x onerror=alert(1)>" in flat


@pytest.mark.parametrize("fmt", ["full", "concise", "github", "json", "sarif"])
def test_control_characters_from_a_manuscript_never_reach_the_output(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = (
        "check-citations", "--bib", str(HOSTILE / "bib-ok.bib"),
        "--manuscript", str(HOSTILE / "ms-control.tex"), "--output-format", fmt,
    )  # fmt: skip
    code, out, err = run(args, tmp_path, monkeypatch)
    assert code == 1, err
    assert "\x1b" not in out
    # as a code: \x1b (in JSON, its backslash escaped too) or JSON's own \u001b
    assert "x1b[31m2018" in out or "u001b[31m2018" in out
