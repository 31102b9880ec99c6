"""argmap's benchmark: start-up and show after an edit, lean and rich bibliographies (cold, warm,
against bibtexparser's bare parse and the peers pandoc --citeproc and bibtool when on PATH), four
files against one, scaling and scanning.

Run it with the interpreter of a regular (not editable) install, so that argmap's modules are
compiled as a user's are:

    python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/python bench/run.py

Every case is a whole process, timed several times alternating with its baseline in the same
run; the table gives medians, the peak memory of the whole process tree (argmap's parse workers
included, sampled from /proc) and the ratio to the baseline. Inputs are generated
deterministically into bench/.data/ (kept between runs; delete it to regenerate).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PYTHON = sys.executable
ARGMAP = str(Path(sys.executable).with_name("argmap"))
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes: resident memory, pages shared with other
    processes (forked workers share the parent's) counted in proportion, so a tree's total is
    not inflated by sharing. Falls back to RSS where smaps_rollup is missing."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _tree_rss(root: int) -> int:
    """Memory of ``root`` and all its descendants, in bytes (PSS, summed)."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss(pid)
        stack.extend(_children(pid))
    return total


LAST_CPU = 0.0


def measure(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, sample: bool = False
) -> tuple[float, int]:
    """Wall time of ``cmd`` as a whole process and (when ``sample``) its tree's peak RSS; its CPU
    time (user + system, workers included) is left in ``LAST_CPU``."""
    global LAST_CPU
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    if sample:
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.004)
    err = proc.communicate()[1]
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode not in (0, 1):
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        raise SystemExit(f"bench: {' '.join(cmd)} exited {proc.returncode}: {' / '.join(tail)}")
    return elapsed, peak


@dataclass
class Row:
    """One line of the result table."""

    name: str
    times: list[float]
    base_name: str
    base: list[float]
    target: str
    peak: int = 0
    base_peak: int = 0
    notes: list[str] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    base_cpu: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.times) / statistics.median(self.base)

    @property
    def cpu_ratio(self) -> float:
        """The ratio of CPU times: on a machine shared with other work, the steadier figure."""
        if not self.cpu or not self.base_cpu or not statistics.median(self.base_cpu):
            return 0.0
        return statistics.median(self.cpu) / statistics.median(self.base_cpu)


def compare(
    name: str,
    cmd: list[str],
    base_name: str,
    base_cmd: list[str],
    reps: int,
    target: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    fresh_cache: bool = False,
    sample: bool = False,
    fresh_base: bool = False,
    before: Callable[[], None] | None = None,
) -> Row:
    """Time ``cmd`` against ``base_cmd``, alternating, ``reps`` times each; then, if ``sample``,
    measure the peak memory of each in runs of their own (sampling /proc costs CPU, which
    would slow a command that uses every core, so it is kept out of the timed runs).
    ``before`` runs (untimed) before each run of ``cmd``, e.g. to edit a file."""
    row = Row(name, [], base_name, [], target)

    def run(command: list[str], is_base: bool, with_sampling: bool) -> tuple[float, int]:
        run_env = dict(env or os.environ)
        tmp = None
        if (fresh_cache and not is_base) or (fresh_base and is_base):
            tmp = tempfile.mkdtemp(prefix="argmap-bench-cache-")
            run_env["XDG_CACHE_HOME"] = tmp
        try:
            return measure(command, run_env, cwd, with_sampling)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)

    for _ in range(reps):
        row.base.append(run(base_cmd, True, False)[0])
        row.base_cpu.append(LAST_CPU)
        if before is not None:
            before()
        row.times.append(run(cmd, False, False)[0])
        row.cpu.append(LAST_CPU)
    if sample:
        for _ in range(2):
            row.base_peak = max(row.base_peak, run(base_cmd, True, True)[1])
            if before is not None:
                before()
            row.peak = max(row.peak, run(cmd, False, True)[1])
    return row


def show(rows: list[Row]) -> None:
    """Print the table."""
    print()
    print(
        f"{'case':<44} {'median':>9} {'baseline':>26} {'ratio':>7} {'target':>8} {'peak MB':>8}"
        f" {'cpu ratio':>9}"
    )
    for r in rows:
        med = statistics.median(r.times)
        base = statistics.median(r.base)
        peak = f"{r.peak / 2**20:.0f}" if r.peak else ""
        base_label = f"{r.base_name} {base * 1000:.0f} ms"
        cpu = f"{r.cpu_ratio:8.2f}x" if r.cpu_ratio else ""
        print(
            f"{r.name:<44} {med * 1000:7.0f}ms {base_label:>26} {r.ratio:6.2f}x"
            f" {r.target:>8} {peak:>8} {cpu:>9}"
        )
        if r.base_peak:
            print(
                f"{'':<44} {'':>9} {'baseline peak':>26} {'':>7} {'':>8} {r.base_peak / 2**20:8.0f}"
            )
            print(f"{'':<44} {'':>9} {'peak ratio':>26} {r.peak / r.base_peak:6.2f}x")
        for note in r.notes:
            print(f"    {note}")


_SCRATCH: list[Path] = []


def scratch(prefix: str) -> Path:
    """A temporary directory, removed when the benchmark ends (interrupted or not)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _SCRATCH.append(folder)
    return folder


def remove_scratch() -> None:
    """Remove every directory ``scratch`` made."""
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def edited_project() -> tuple[Path, Callable[[], None]]:
    """A copy of the shipped project, and an edit that changes one claim's text at each call
    (so no run sees the map of the run before)."""
    project = scratch("argmap-bench-edit-")
    shutil.copytree(HERE.parent / "arguments", project / "arguments")
    shutil.copy(HERE.parent / "refs.bib", project / "refs.bib")
    target = sorted((project / "arguments").glob("*.yaml"))[-1]
    original = target.read_text(encoding="utf-8")
    marker = "    text:\n      es: >-\n        "
    if marker not in original:
        raise SystemExit(f"bench: cannot find a claim text to edit in {target.name}")
    count = [0]

    def edit() -> None:
        count[0] += 1
        target.write_text(
            original.replace(marker, f"{marker}(edit {count[0]}) ", 1), encoding="utf-8"
        )

    return project, edit


def peers(bib: Path, ms: Path) -> list[tuple[str, list[str]]]:
    """The tools writers already run that read the same bibliography, when on PATH."""
    out = []
    pandoc = shutil.which("pandoc")
    if pandoc:
        cmd = [pandoc, str(ms), "--citeproc", "--bibliography", str(bib), "-t", "plain"]
        out.append(("pandoc --citeproc", [*cmd, "-o", os.devnull]))
    bibtool = shutil.which("bibtool")
    if bibtool:
        out.append(("bibtool", [bibtool, "-q", "-i", str(bib), "-o", os.devnull]))
    return out


def bib_cases(
    kind: str,
    entries: int,
    data: Path,
    env: dict[str, str],
    warm_env: dict[str, str],
    cwd: Path,
    reps: int,
) -> list[Row]:
    """A cold and a warm check of a 2,000-citation manuscript against a 20k bibliography of
    ``kind`` (lean: author, title, year, journal or publisher, volume, pages; rich: abstracts,
    notes, bookkeeping fields), against the bare parse and the peers."""
    print(f"{kind} bib ({entries} entries) ...", flush=True)
    if kind == "lean":
        big, cited = generate.write_lean(data, entries)
    else:
        big, cited = generate.write(data, entries)
    ms = data / f"ms-{kind}.md"
    if not ms.exists():
        ms.write_text(generate.manuscript(cited, 2000), encoding="utf-8")
    size = big.stat().st_size / 2**20
    cmd = [
        ARGMAP,
        "check-citations",
        "--bib",
        str(big),
        "--manuscript",
        str(ms),
        "--format",
        "json",
    ]
    parse = [PYTHON, "-c", f"import bibtexparser; bibtexparser.parse_file({str(big)!r})"]
    label = f"{kind} {entries // 1000}k"
    cold = compare(
        f"check-citations {label} cold",
        cmd,
        "bare parse_file",
        parse,
        reps,
        "<= 0.3x",
        env,
        cwd,
        fresh_cache=True,
        sample=True,
    )
    cold.notes.append(f"{big.name}: {size:.1f} MB; {ms.name}: 2000 citations; peak target <= 0.6x")
    rows = [cold]
    for name, peer in peers(big, ms):
        row = compare(
            f"check-citations {label} cold",
            cmd,
            name,
            peer,
            reps,
            "<= 0.3x" if name.startswith("pandoc") else "<= 1x",
            env,
            cwd,
            fresh_cache=True,
            sample=True,
        )
        rows.append(row)
    measure(cmd, warm_env, cwd)  # fills the parsed-bibliography cache
    rows.append(
        compare(
            f"check-citations {label} warm (bib cache)",
            cmd,
            "bare parse_file",
            parse,
            reps,
            "<= 0.15x",
            warm_env,
            cwd,
        )
    )
    return rows


def many_bibs_supported() -> bool:
    """Whether this argmap reads several --bib (issue 9): both keys of two files resolve."""
    folder = Path(tempfile.mkdtemp(prefix="argmap-bench-bibs-"))
    try:
        (folder / "a.bib").write_text("@misc{onlya, year = 2000}\n", encoding="utf-8")
        (folder / "b.bib").write_text("@misc{onlyb, year = 2000}\n", encoding="utf-8")
        (folder / "ms.md").write_text("[@onlya] [@onlyb]\n", encoding="utf-8")
        result = subprocess.run(
            [
                ARGMAP,
                "check-citations",
                "--bib",
                "a.bib",
                "--bib",
                "b.bib",
                "--manuscript",
                "ms.md",
                "--no-cache",
            ],
            cwd=folder,
            capture_output=True,
        )
        return result.returncode == 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def four_files(entries: int, data: Path, env: dict[str, str], cwd: Path, reps: int) -> list[Row]:
    """The lean bibliography as four files passed as four --bib, against the one file."""
    if not many_bibs_supported():
        print("    (skipped: this argmap reads one --bib; four files need issue 9)", flush=True)
        return []
    big, _ = generate.write_lean(data, entries)
    ms = data / "ms-lean.md"
    parts = generate.split_files(big, 4)
    tail = ["--manuscript", str(ms), "--format", "json"]
    four = [ARGMAP, "check-citations", *[a for p in parts for a in ("--bib", str(p))], *tail]
    one = [ARGMAP, "check-citations", "--bib", str(big), *tail]
    return [
        compare(
            f"lean {entries // 1000}k as four --bib, cold",
            four,
            "one file, cold",
            one,
            reps,
            "<= 1.1x",
            env,
            cwd,
            fresh_cache=True,
            fresh_base=True,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, no 100k case")
    parser.add_argument("--only", choices=["startup", "bib", "scaling", "scan"], action="append")
    parser.add_argument("--entries", type=int, default=20_000, help="size of the large bib")
    args = parser.parse_args()
    only = set(args.only or ["startup", "bib", "scaling", "scan"])
    reps_start, reps_bib, reps_scale = (7, 3, 1) if args.quick else (15, 5, 3)

    data = HERE / ".data"
    data.mkdir(exist_ok=True)
    empty = scratch("argmap-bench-cwd-")  # no arguments/: the shipped map
    env = dict(os.environ, COLUMNS="100")
    cache_home = scratch("argmap-bench-warm-")
    warm_env = dict(env, XDG_CACHE_HOME=str(cache_home))
    version = subprocess.run([ARGMAP, "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"{version} · Python {platform.python_version()} · {platform.machine()} · "
        f"{os.cpu_count()} cores · {platform.platform()}"
    )
    rows: list[Row] = []
    bare = [PYTHON, "-c", "pass"]

    if "startup" in only:
        print("start-up ...", flush=True)
        measure([ARGMAP, "show"], warm_env, empty)  # first run fills the cache
        measure([ARGMAP, "check-citations"], warm_env, empty)
        rows.append(
            compare(
                "argmap --version",
                [ARGMAP, "--version"],
                "python -c pass",
                bare,
                reps_start,
                "<= 5x",
                warm_env,
                empty,
            )
        )
        rows.append(
            compare(
                "argmap show (shipped map)",
                [ARGMAP, "show"],
                "python -c pass",
                bare,
                reps_start,
                "<= 15x",
                warm_env,
                empty,
            )
        )
        project, edit = edited_project()
        rows.append(
            compare(
                "argmap show after an edit to the map",
                [ARGMAP, "show"],
                "python -c pass",
                bare,
                reps_start,
                "<= 15x",
                warm_env,
                project,
                before=edit,
            )
        )
        rows.append(
            compare(
                "argmap show, empty cache",
                [ARGMAP, "show"],
                "python -c pass",
                bare,
                reps_start,
                "<= 15x",
                env,
                empty,
                fresh_cache=True,
            )
        )
        rows.append(
            compare(
                "argmap check-citations (shipped map)",
                [ARGMAP, "check-citations"],
                "python -c pass",
                bare,
                reps_start,
                "",
                warm_env,
                empty,
            )
        )
        rows.append(
            compare(
                "argmap show --format json, empty cache",
                [ARGMAP, "show", "--format", "json"],
                "python -c pass",
                bare,
                reps_start,
                "",
                env,
                empty,
                fresh_cache=True,
            )
        )

    if "bib" in only:
        for kind in ("lean", "rich"):
            rows.extend(bib_cases(kind, args.entries, data, env, warm_env, empty, reps_bib))
        rows.extend(four_files(args.entries, data, env, empty, reps_bib))

    if "scaling" in only and not args.quick:
        print("scaling 20k -> 100k ...", flush=True)
        base, cited = generate.write(data, args.entries)
        large, _ = generate.write(data, 100_000)
        ms = data / "ms-rich.md"
        if not ms.exists():
            ms.write_text(generate.manuscript(cited, 2000), encoding="utf-8")

        def check(bib: Path) -> list[str]:
            return [ARGMAP, "check-citations", "--bib", str(bib), "--manuscript", str(ms),
                    "--format", "json"]  # fmt: skip

        rows.append(
            compare(
                "check-citations 100k cold",
                check(large),
                f"{args.entries // 1000}k cold",
                check(base),
                reps_scale,
                "<= 6x",
                env,
                empty,
                fresh_cache=True,
                fresh_base=True,
            )
        )

    if "scan" in only:
        print("scanning 1 MB ...", flush=True)
        _, cited = generate.write(data, 1000)
        text_path = data / "ms-1mb.md"
        if not text_path.exists():
            text_path.write_text(generate.sized_manuscript(cited, 2**20), encoding="utf-8")
        code = (
            "import sys, time; from argmap.citations.scanner import scan; "
            f"text = open({str(text_path)!r}, encoding='utf-8').read(); "
            "t = time.perf_counter(); found = scan(text); "
            "print(time.perf_counter() - t, len(found))"
        )
        times, count = [], 0
        for _ in range(5 if not args.quick else 3):
            out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
            seconds, n = out.stdout.split()
            times.append(float(seconds))
            count = int(n)
        row = Row("scan a 1 MB manuscript (in-process)", times, "1 s", [1.0], "<= 1x")
        row.notes.append(f"{text_path.stat().st_size / 2**20:.2f} MB, {count} citations found")
        rows.append(row)

        # A dense manuscript (issue 17): six parenthetical citations a line, 10 MB, checked
        # end to end with the JSON report; manuscripts are read a paragraph at a time and the
        # report written object by object, so the peak follows the citations, not the text.
        print("checking a dense 10 MB manuscript ...", flush=True)
        bib_path, cited = generate.write(data, 1000)
        dense = data / "ms-dense-10mb.txt"
        if not dense.exists():
            dense.write_text(generate.dense_manuscript(cited, 10 * 2**20), encoding="utf-8")
        cmd = [ARGMAP, "check-citations", "--no-cache", "--format", "json"]
        cmd += ["--bib", str(bib_path), "--manuscript", str(dense)]
        seconds, peak = measure(cmd, sample=True)
        row = Row("check a dense 10 MB manuscript, JSON", [seconds], "itself", [seconds], "-")
        row.peak = peak
        row.notes.append("peak before the streamed scan and report: 1,380 MB (maximum RSS)")
        rows.append(row)

    show(rows)


if __name__ == "__main__":
    try:
        main()
    finally:
        remove_scratch()
