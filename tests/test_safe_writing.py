"""Every file argmap writes goes to a temporary file renamed into place: an existing file is
never replaced without --force, and a failed or interrupted write leaves it as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.base import textio
from argmap.base.textio import write_atomic
from argmap.cli.app import app
from argmap.errors import OutputError

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def test_new_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "héllo\n" * 1000)
    assert target.read_text(encoding="utf-8") == "héllo\n" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(OutputError, match="file exists"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "precious"
    write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failed_or_interrupted_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise failure

    monkeypatch.setattr(textio.os, "fsync", broken_fsync)
    with pytest.raises(OutputError if isinstance(failure, OSError) else KeyboardInterrupt):
        write_atomic(target, "half-written " * 10_000, force=True)
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # the temporary file is gone


def test_failed_rename_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(textio.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_file_appearing_during_the_write_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    real_fsync = os.fsync

    def someone_else_writes(fd: int) -> None:
        real_fsync(fd)
        target.write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(textio.os, "fsync", someone_else_writes)
    with pytest.raises(OutputError, match="file exists"):
        write_atomic(target, "ours")
    assert target.read_text(encoding="utf-8") == "theirs"


def test_export_failure_keeps_old_file_and_says_why(
    export_fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "map.md"
    target.write_text("my edited export", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(textio.os, "fsync", broken_fsync)
    code, err = invoke(
        "export",
        "-f",
        "markdown",
        "-o",
        str(target),
        "--force",
        "--map",
        str(export_fixture / "arguments"),
        "--bib",
        str(export_fixture / "refs.bib"),
    )
    assert code == 2 and "map.md: cannot write: No space left on device" in err
    assert target.read_text(encoding="utf-8") == "my edited export"
    assert [p.name for p in tmp_path.iterdir()] == ["map.md"]


def test_init_failure_part_way_keeps_every_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "paper"
    assert invoke("init", str(project))[0] == 0
    originals = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for path in originals:
        path.write_text(f"# my own edits to {path.name}\n", encoding="utf-8")
    edited = {p: p.read_bytes() for p in originals}
    calls = {"n": 0}
    real_replace = os.replace

    def fail_second(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(textio.os, "replace", fail_second)
    code, err = invoke("init", str(project), "--force")
    assert code == 2 and "cannot write: Input/output error" in err
    after = {p: p.read_bytes() for p in edited}
    changed = [p for p in after if after[p] != edited[p]]
    # each file is whole: either the user's edit or init's full content, never a mix
    for path in after:
        assert after[path] in (edited[path], originals[path])
    assert len(changed) == 1
    assert not [p for p in project.rglob(".*.tmp")]


def test_output_path_that_is_a_directory(tmp_path: Path, export_fixture: Path) -> None:
    code, err = invoke(
        "export",
        "-f",
        "json",
        "-o",
        str(tmp_path),
        "--force",
        "--map",
        str(export_fixture / "arguments"),
    )
    assert code == 2 and "is a directory" in err


def test_unreadable_input_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini: Path
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, year = 2000}\n", encoding="utf-8")
    bib.chmod(0)
    if os.geteuid() == 0:
        # root reads any file: make reading fail as it does for a user without permission
        real = os.open

        def denied(path: str | Path, flags: int, *args: int) -> int:
            if Path(path) == bib:
                raise PermissionError(13, "Permission denied")
            return real(path, flags, *args)

        monkeypatch.setattr(textio.os, "open", denied)
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    code, err = invoke("show", "--map", str(mini / "arguments"), "--bib", str(bib))
    bib.chmod(0o644)
    assert code == 2
    assert "refs.bib: cannot read bibliography: permission denied (give yourself read" in err


def test_binary_output_is_written_whole(tmp_path: Path) -> None:
    # svg and png exports are bytes
    from argmap.base.textio import write_atomic

    target = tmp_path / "x.png"
    data = bytes(range(256)) * 4
    write_atomic(target, data)
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["x.png"]


def export_to(export_fixture: Path, target: Path, *extra: str) -> tuple[int, str]:
    """`argmap export -f json -o target` of the fixture map."""
    return invoke(
        "export", "-f", "json", "-o", str(target), *extra,
        "--map", str(export_fixture / "arguments"),
    )  # fmt: skip


def test_symlink_output_writes_its_target_and_keeps_the_link(
    tmp_path: Path, export_fixture: Path
) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "map.json"
    link.symlink_to(real)
    code, err = export_to(export_fixture, link)
    assert code == 2 and "map.json: file exists" in err
    assert real.read_text(encoding="utf-8") == "old"
    code, err = export_to(export_fixture, link, "--force")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.json", "real.json"]


def test_dangling_symlink_counts_as_existing(tmp_path: Path, export_fixture: Path) -> None:
    link = tmp_path / "map.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    code, err = export_to(export_fixture, link)
    assert code == 2 and "map.json: file exists (a symbolic link to" in err
    assert link.is_symlink() and not (tmp_path / "elsewhere.json").exists()
    code, err = export_to(export_fixture, link, "--force")
    assert code == 0, err
    assert link.is_symlink() and (tmp_path / "elsewhere.json").read_text().startswith("{")


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("kind", ["directory", "device", "fifo"])
def test_output_that_is_not_a_regular_file_is_refused(
    kind: str, force: bool, tmp_path: Path, export_fixture: Path
) -> None:
    if kind == "directory":
        target, says = tmp_path / "out", "is a directory, not a regular file"
        target.mkdir()
    elif kind == "device":
        target, says = Path("/dev/null"), "is a character device, not a regular file"
    else:
        target, says = tmp_path / "pipe", "is a FIFO (named pipe), not a regular file"
        os.mkfifo(target)
    before = os.stat(target)
    code, err = export_to(export_fixture, target, *(["--force"] if force else []))
    assert code == 2 and says in err, err
    after = os.stat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_path_with_a_newline_is_reported_on_one_line(tmp_path: Path, export_fixture: Path) -> None:
    target = tmp_path / "two\nlines.json"
    target.write_text("old", encoding="utf-8")
    code, err = export_to(export_fixture, target)
    assert code == 2
    assert err.count("\n") == 1 and "two\\nlines.json: file exists" in err
    code, err = export_to(export_fixture, target, "--force")
    assert code == 0 and err.count("\n") == 1 and "wrote " in err and "two\\nlines.json" in err


@pytest.mark.parametrize("obstacle", ["dangling-link", "directory", "arguments-file"])
def test_init_refuses_before_writing_anything(tmp_path: Path, obstacle: str) -> None:
    project = tmp_path / "paper"
    project.mkdir()
    if obstacle == "dangling-link":
        (project / "refs.bib").symlink_to(tmp_path / "missing.bib")
        says = "refs.bib: file exists (a symbolic link to"
    elif obstacle == "directory":
        (project / "refs.bib").mkdir()
        says = "refs.bib: is a directory, not a regular file"
    else:
        (project / "arguments").write_text("not a directory", encoding="utf-8")
        says = "arguments: exists and is not a directory"
    before = sorted(str(p) for p in project.rglob("*"))
    code, err = invoke("init", str(project))
    assert code == 2 and says in err, err
    assert sorted(str(p) for p in project.rglob("*")) == before
    assert not (tmp_path / "missing.bib").exists()


def test_init_writes_through_a_symlinked_file_with_force(tmp_path: Path) -> None:
    project = tmp_path / "paper"
    project.mkdir()
    shared = tmp_path / "shared.bib"
    shared.write_text("% mine\n", encoding="utf-8")
    (project / "refs.bib").symlink_to(shared)
    code, err = invoke("init", str(project), "--force")
    assert code == 0, err
    assert (project / "refs.bib").is_symlink()
    assert "saravi1998sociologica" in shared.read_text(encoding="utf-8")


def test_init_into_a_dangling_symlink_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "paper"
    project.symlink_to(tmp_path / "nowhere")
    code, err = invoke("init", str(project))
    assert code == 2 and "paper: exists and is not a directory (a symbolic link" in err
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("target", ["bib", "bib-link", "map-file"])
def test_output_never_replaces_an_input_even_with_force(
    tmp_path: Path, export_fixture: Path, target: str
) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(export_fixture, project)
    inputs = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    if target == "bib":
        output = project / "refs.bib"
    elif target == "bib-link":
        output = tmp_path / "subset.bib"
        output.symlink_to(project / "refs.bib")
    else:
        output = project / "arguments" / "10-claims.yaml"
    code, err = invoke(
        "export", "-f", "bibtex", "-o", str(output), "--force",
        "--map", str(project / "arguments"), "--bib", str(project / "refs.bib"),
    )  # fmt: skip
    assert code == 2 and "which this command reads: argmap never writes over its input" in err
    assert {p: p.read_bytes() for p in inputs} == inputs


def test_a_file_in_the_way_of_a_path_is_named(tmp_path: Path, export_fixture: Path) -> None:
    blocker = tmp_path / "refs.bib"
    blocker.write_text("% a file, not a directory\n", encoding="utf-8")
    code, err = export_to(export_fixture, blocker / "out.json")
    assert code == 2 and f"cannot write: {blocker} is a file, not a directory" in err
    code, err = invoke(
        "check-citations", "--bib", str(export_fixture / "refs.bib"),
        "--manuscript", str(blocker / "paper.md"),
    )  # fmt: skip
    assert code == 2 and f"manuscript not found: {blocker} is a file, not a directory" in err
    code, err = invoke("init", str(blocker / "paper"))
    assert code == 2 and f"{blocker} is a file, not a directory" in err
    assert blocker.read_text(encoding="utf-8") == "% a file, not a directory\n"
