#!/usr/bin/env python3
"""Do argmap installs agree, whatever the workers, the cache and the number of files?

Runs one or more argmap installs (each a console script, e.g. a venv of ``main`` and one of a
branch) on a list of cases — bibliographies and the manuscripts that cite them — as
``argmap check-citations --format json``, in several modes, and compares the JSON reports: each
mode of the first install (the reference, e.g. ``main``) with its own ``w1`` run (one worker, a
cold cache), and each mode of every other install with the same mode of the first — so a branch
is charged only with what it changes, and a difference the reference already has is shown once,
on the reference's row.

    python3 tools/compare_reports.py --install main=/tmp/main/bin/argmap \\
        --install b16=/tmp/b16/bin/argmap --cases cases.json [--bench bench/.data] \\
        [--modes w1,wN,warm,warm2,no-cache,split,shared] [--workers 2] [--split 4] [--reps 1] \\
        [--peers] [--keep DIR]

``cases.json`` is a list of ``{"name": ..., "bib": [paths], "manuscript": [paths], "cwd":
folder, "args": [extra argmap options]}``; relative paths are taken from ``cwd`` (default: the
folder of the JSON file). argmap is given them as absolute paths and runs in an empty folder
outside any project, so that a case inside a project (``tests/fixtures/real/cases.json``, the
kept samples, lies in argmap's own repository) does not also check that project's map.
``--bench DIR`` adds the benchmark's generated inputs found there (``lean-20000.bib`` with
``ms-lean.md``, ``big-20000.bib`` with ``ms-rich.md``, the four ``lean-20000-part*of4.bib``).

Modes, each a whole process with a fresh cache folder (``XDG_CACHE_HOME``) unless said:

- ``w1``: ``ARGMAP_WORKERS=1``, cold cache — the reference mode;
- ``wN``: ``ARGMAP_WORKERS=N`` (``--workers``), cold cache (argmap only forks workers for files
  above about 1 MiB, so on small files this equals ``w1`` by construction);
- ``warm``: ``wN`` again on the cache the previous run filled;
- ``warm2``: ``warm`` once more, on the cache both runs before it filled (what a warm run
  leaves for the next, such as the compiled patterns of ``argmap.cache.patterns``, is read);
- ``no-cache``: ``wN`` with ``--no-cache``;
- ``shared``: ``wN`` in one cache folder that every install of the case uses in turn (the
  first install fills it; later ones find its records beside their own, as after an upgrade);
- ``split``: a case with one bibliography, cut at block lines into ``--split`` contiguous files
  (the preamble, ``@string``s and entries keep their order, so their concatenation is the
  original file, as BibTeX reads ``\\bibliography{a,b}``) passed as that many ``--bib``; the
  report's file names and lines are mapped back to the original file before comparing, and the
  messages that name the files by design (``WORDED_BY_FILES``, and an unknown key's hint) are
  compared by kind only.

Reports are compared as parsed JSON: equal, or the first differences as JSON paths with both
values. The table gives, per case and install, the entries (``@``-blocks other than
``@string``, ``@preamble`` and ``@comment``), the citations, the verdict of every mode, and
wall and CPU seconds and peak memory (of the process and the workers it waited for) of the
cold ``wN`` and ``warm`` runs (medians of ``--reps``). With ``--peers``, each case also gets the
bare ``bibtexparser.parse_file`` (with the first install's interpreter), ``pandoc --citeproc``
and ``bibtool`` on the same bibliography (several files joined into one) when on PATH.

Exit status: 0 when every report equals the one it is compared with, 1 when any differs or a
run failed (exit code 2 or no JSON), 2 for bad arguments. Nothing here imports argmap: each
install is driven as a user would drive it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODES = ("w1", "wN", "warm", "warm2", "no-cache", "split", "shared")

# A block starts at a line whose first non-blank character is "@" followed by a type and a
# brace or parenthesis (what bibtexparser's splitter and BibTeX itself treat as a block).
BLOCK_LINE = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]\w*)[ \t]*[{(]", re.MULTILINE)
NOT_ENTRIES = {"string", "preamble", "comment"}


@dataclass
class Case:
    """Bibliographies and manuscripts checked together, run from ``cwd``."""

    name: str
    bibs: list[str]
    manuscripts: list[str]
    cwd: Path
    args: list[str] = field(default_factory=list)


@dataclass
class Run:
    """One argmap process: its report (None when it gave no JSON), exit code and costs."""

    report: Any
    code: int
    wall: float
    cpu: float
    peak_kb: int
    stderr: str


def count_entries(paths: list[Path]) -> int:
    """Entries of the .bib files (``@``-blocks other than strings, preambles and comments)."""
    total = 0
    for path in paths:
        if path.suffix.lower() != ".bib":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        total += sum(1 for m in BLOCK_LINE.finditer(text) if m.group(1).lower() not in NOT_ENTRIES)
    return total


def split_bib(text: str, parts: int) -> list[tuple[str, int]]:
    """``text`` cut at block lines into at most ``parts`` contiguous pieces of about equal
    numbers of blocks, each with the number of lines before it; joined, they are ``text``."""
    starts = [m.start() for m in BLOCK_LINE.finditer(text)]
    if len(starts) < 2 or parts < 2:
        return [(text, 0)]
    size = -(-len(starts) // parts)
    cuts = [0] + [starts[i] for i in range(size, len(starts), size)] + [len(text)]
    out: list[tuple[str, int]] = []
    for begin, end in itertools.pairwise(cuts):
        out.append((text[begin:end], text.count("\n", 0, begin)))
    return out


def map_back(report: Any, parts: list[tuple[str, int]], original: str) -> Any:
    """The report of a split run with every part's name and line given as the original file's:
    ``source``/``line`` pairs and ``name:line`` or bare names inside messages."""
    by_name = {name: offset for name, offset in parts}

    def text(value: str) -> str:
        for name, offset in parts:
            value = re.sub(
                re.escape(name) + r":(\d+)",
                lambda m, o=offset: f"{original}:{int(m.group(1)) + o}",
                value,
            )
            value = value.replace(name, original)
        return value

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            source = node.get("source")
            if isinstance(source, str) and source in by_name:
                if isinstance(node.get("line"), int):
                    out["line"] = node["line"] + by_name[source]
                out["source"] = original
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str):
            return text(node)
        return node

    return walk(report)


# Problems whose wording names the files when there are several, by design: a duplicate key
# says where both copies are ("at a.bib:3 (first defined in b.bib:9, which is used)" against
# "(first defined at line 9)" within one file), a dangling crossref says "in no bibliography
# read" rather than "not in the file", an alias clash names the other entry's file when it is
# another; a file a tool refuses or loses whole (tool-loses-file, pandoc-refuses-file) is named,
# with the count of its citations, and each part is such a file. The split mode compares their
# kind, place and key only.
WORDED_BY_FILES = {
    "duplicate-key",
    "missing-crossref",
    "alias-clash",
    "tool-loses-file",
    "pandoc-refuses-file",
}


# The hint of an unknown key names the files to add it to ("add it to one of part1.bib, ..."):
# compared as "add it to" alone.
ADD_HINT = "add it to "


def by_design(report: Any) -> Any:
    """``report`` with the messages of ``WORDED_BY_FILES`` problems replaced by their kind, and
    an unknown key's "add it to FILES" hint by its first words."""
    if not isinstance(report, dict) or not isinstance(report.get("problems"), list):
        return report
    problems = [
        dict(p, message=p.get("kind")) if p.get("kind") in WORDED_BY_FILES else p
        for p in report["problems"]
    ]
    problems = [
        dict(p, suggestion=ADD_HINT) if str(p.get("suggestion") or "").startswith(ADD_HINT) else p
        for p in problems
    ]
    return dict(report, problems=problems)


def differences(ref: Any, other: Any, path: str = "$", limit: int = 3) -> list[str]:
    """Up to ``limit`` places where ``other`` differs from ``ref``, as JSON paths with both
    values (lists of different lengths are named once, then compared item by item)."""
    found: list[str] = []

    def short(value: Any) -> str:
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 160 else text[:157] + "..."

    def walk(a: Any, b: Any, where: str) -> None:
        if len(found) >= limit or a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(a) + [k for k in b if k not in a]:
                if key not in b:
                    found.append(f"{where}.{key}: only in the reference")
                elif key not in a:
                    found.append(f"{where}.{key}: not in the reference")
                else:
                    walk(a[key], b[key], f"{where}.{key}")
                if len(found) >= limit:
                    return
            return
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                found.append(f"{where}: {len(a)} items in the reference, {len(b)} here")
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                walk(x, y, f"{where}[{i}]")
                if len(found) >= limit:
                    return
            return
        found.append(f"{where}: {short(a)} in the reference, {short(b)} here")

    walk(ref, other, path)
    return found


TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time: a small parent, so true peaks


def run(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: float | None = None
) -> tuple[int, str, str, float, float, int]:
    """Run ``cmd``; exit code, stdout, stderr, wall and CPU seconds and peak RSS in KiB of the
    process and the children it waited for (its parse workers). Measured through GNU time when
    present: a child forked from this Python would start its high-water mark at our size."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "time"
        full = [TIME, "-f", "%e %U %S %M", "-o", str(stats), *cmd] if TIME else cmd
        start = time.perf_counter()
        try:
            proc = subprocess.run(full, cwd=cwd, env=env, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return 124, "", f"timed out after {timeout:.0f} s", float(timeout or 0), 0.0, 0
        wall = time.perf_counter() - start
        cpu, peak = 0.0, 0
        if TIME and stats.exists():
            fields = stats.read_text().split()[-4:]  # after any "Command exited..." line
            wall, cpu, peak = float(fields[0]), float(fields[1]) + float(fields[2]), int(fields[3])
        return (
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
            wall,
            cpu,
            peak,
        )


def check(argmap: str, case: Case, bibs: list[str], env: dict[str, str], extra: list[str]) -> Run:
    """One ``check-citations --format json`` of the case with these bibliographies."""
    cmd = [argmap, "check-citations", "--format", "json", *case.args, *extra]
    for bib in bibs:
        cmd += ["--bib", str(case.cwd / bib)]
    for manuscript in case.manuscripts:
        cmd += ["--manuscript", str(case.cwd / manuscript)]
    code, out, err, wall, cpu, peak = run(cmd, NEUTRAL, env)
    try:
        report = json.loads(out) if code in (0, 1) else None
    except json.JSONDecodeError:
        report = None
    return Run(report, code, wall, cpu, peak, err.strip().splitlines()[-1] if err.strip() else "")


def run_modes(
    argmap: str,
    case: Case,
    modes: list[str],
    workers: int,
    split: int,
    scratch: Path,
    shared: Path,
) -> dict[str, list[Run]]:
    """Every mode of one install on one case (``wN`` and ``warm`` once per repetition);
    ``shared`` is the cache folder every install of the case runs in, in turn."""
    base = dict(os.environ, COLUMNS="100")
    base.pop("ARGMAP_NO_CACHE", None)
    out: dict[str, list[Run]] = {}

    def env_for(n: int, cache: Path) -> dict[str, str]:
        return dict(base, ARGMAP_WORKERS=str(n), XDG_CACHE_HOME=str(cache))

    def fresh() -> Path:
        return Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))

    if "w1" in modes:
        out["w1"] = [check(argmap, case, case.bibs, env_for(1, fresh()), [])]
    if "wN" in modes or "warm" in modes or "warm2" in modes:
        cold, warm, again = [], [], []
        for _ in range(REPS):
            cache = fresh()
            cold.append(check(argmap, case, case.bibs, env_for(workers, cache), []))
            if "warm" in modes or "warm2" in modes:
                warm.append(check(argmap, case, case.bibs, env_for(workers, cache), []))
            if "warm2" in modes:
                again.append(check(argmap, case, case.bibs, env_for(workers, cache), []))
        if "wN" in modes:
            out["wN"] = cold
        if "warm" in modes:
            out["warm"] = warm
        if "warm2" in modes:
            out["warm2"] = again
    if "shared" in modes:
        out["shared"] = [check(argmap, case, case.bibs, env_for(workers, shared), [])]
    if "no-cache" in modes:
        out["no-cache"] = [
            check(argmap, case, case.bibs, env_for(workers, fresh()), ["--no-cache"])
        ]
    if "split" in modes and len(case.bibs) == 1 and case.bibs[0].lower().endswith(".bib"):
        original = str(case.cwd / case.bibs[0])
        text = Path(original).read_bytes().decode("utf-8", "surrogateescape")
        pieces = split_bib(text, split)
        if len(pieces) > 1:
            folder = Path(tempfile.mkdtemp(prefix="split-", dir=scratch))
            names: list[tuple[str, int]] = []
            for i, (piece, offset) in enumerate(pieces, 1):
                path = folder / f"{Path(original).stem}-part{i}of{len(pieces)}.bib"
                path.write_bytes(piece.encode("utf-8", "surrogateescape"))
                names.append((str(path), offset))
            result = check(argmap, case, [n for n, _ in names], env_for(workers, fresh()), [])
            if result.report is not None:
                result.report = map_back(result.report, names, original)
            out["split"] = [result]
    return out


REPS = 1
# argmap runs here, an empty folder outside any project: run inside one (these fixtures are in
# argmap's own repository), it would also check the project's map and its citations
NEUTRAL = Path(tempfile.gettempdir())
PEER_TIMEOUT = 120.0  # seconds; a peer past it is shown as timed out


def verdict(ref: Run, runs: list[Run], split: bool = False) -> tuple[str, list[str]]:
    """``=`` when every run's report equals the reference's (for a split run, up to the
    wording ``by_design``), else ``DIFF`` or ``FAIL`` and the first differences."""
    for item in runs:
        if item.report is None:
            return "FAIL", [f"exit {item.code}: {item.stderr}"]
        mine, theirs = item.report, ref.report
        if split:
            mine, theirs = by_design(mine), by_design(theirs)
        if theirs is not None and mine != theirs:
            return "DIFF", differences(theirs, mine)
    return "=", []


def peers(python: str, case: Case, scratch: Path) -> list[tuple[str, float, float, int, int]]:
    """The bare parse, pandoc --citeproc and bibtool on the case's bibliography, when present:
    (name, wall, CPU, peak KiB, worst exit code) medians of ``REPS``."""
    bibs = [case.cwd / b for b in case.bibs if b.lower().endswith(".bib")]
    if not bibs:
        return []
    if len(bibs) == 1:
        bib = bibs[0]
    else:
        bib = scratch / f"{case.name}-joined.bib"
        bib.write_bytes(b"\n".join(p.read_bytes() for p in bibs))
    commands = [
        ("bare parse_file", [python, "-c", f"import bibtexparser as b; b.parse_file({str(bib)!r})"])
    ]
    if shutil.which("pandoc"):
        # pandoc reads the whole bibliography whatever cites it; a LaTeX manuscript would time
        # pandoc's LaTeX reader instead (a book's macros took it minutes), so only Markdown
        ms = next((m for m in case.manuscripts if m.lower().endswith(".md")), None)
        doc = case.cwd / ms if ms else scratch / "empty.md"
        if not ms:
            doc.write_text("A text citing nothing.\n", encoding="utf-8")
        pandoc = ["pandoc", str(doc), "--citeproc", "--bibliography", str(bib), "-t", "plain"]
        commands.append(("pandoc --citeproc", [*pandoc, "-o", os.devnull]))
    if shutil.which("bibtool"):
        commands.append(("bibtool", ["bibtool", "-q", "-i", str(bib), "-o", os.devnull]))
    out = []
    for name, cmd in commands:
        times = [run(cmd, case.cwd, dict(os.environ), PEER_TIMEOUT) for _ in range(REPS)]
        out.append(
            (
                name,
                statistics.median(t[3] for t in times),
                statistics.median(t[4] for t in times),
                max(t[5] for t in times),
                max(t[0] for t in times),
            )
        )
    return out


def load_cases(path: Path) -> list[Case]:
    """The cases of a JSON file; paths relative to its folder."""
    folder = path.resolve().parent
    cases = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        cases.append(
            Case(
                item["name"],
                list(item["bib"]),
                list(item.get("manuscript", [])),
                folder / item.get("cwd", "."),
                list(item.get("args", [])),
            )
        )
    return cases


def bench_cases(data: Path) -> list[Case]:
    """The benchmark's generated inputs present in ``data``."""
    out = []
    for name, bib, ms in (
        ("lean-20k", "lean-20000.bib", "ms-lean.md"),
        ("rich-20k", "big-20000.bib", "ms-rich.md"),
    ):
        if (data / bib).exists() and (data / ms).exists():
            out.append(Case(name, [bib], [ms], data.resolve()))
    parts = sorted(p.name for p in data.glob("lean-20000-part*of4.bib"))
    if len(parts) == 4 and (data / "ms-lean.md").exists():
        out.append(Case("lean-20k-four", parts, ["ms-lean.md"], data.resolve()))
    return out


def seconds(runs: list[Run]) -> str:
    """Median wall and CPU seconds and the highest peak of some runs."""
    if not runs:
        return "-"
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    peak = max(r.peak_kb for r in runs) / 1024
    return f"{wall:.2f}/{cpu:.2f}s {peak:.0f}MB"


def main(argv: list[str] | None = None) -> int:
    """Run the installs on the cases, print the table, return the exit status."""
    global REPS, NEUTRAL
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="append", required=True, metavar="NAME=ARGMAP")
    parser.add_argument("--cases", type=Path, action="append", default=[])
    parser.add_argument("--bench", type=Path, help="folder of the benchmark's generated inputs")
    parser.add_argument("--only", action="append", help="run only the cases so named")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--split", type=int, default=4)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--peers", action="store_true")
    parser.add_argument(
        "--keep", type=Path, help="write every report to DIR/CASE/INSTALL-MODE.json"
    )
    args = parser.parse_args(argv)
    REPS = max(1, args.reps)
    installs: list[tuple[str, str]] = []
    for spec in args.install:
        name, _, path = spec.partition("=")
        if not path or not os.access(path, os.X_OK):
            parser.error(f"--install {spec}: give NAME=PATH to an argmap console script")
        installs.append((name, path))
    modes = [m for m in args.modes.split(",") if m]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(unknown)}; choose from {', '.join(MODES)}")
    if "w1" not in modes:
        modes.insert(0, "w1")  # the reference
    cases: list[Case] = []
    for path in args.cases:
        try:
            cases += load_cases(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            parser.error(f"{path}: not a list of cases ({exc})")
    if args.bench:
        cases += bench_cases(args.bench)
    if args.only:
        cases = [c for c in cases if c.name in args.only]
    if not cases:
        parser.error("no cases: give --cases FILE or --bench DIR")
    python = str(Path(installs[0][1]).with_name("python"))

    failed = False
    scratch = Path(tempfile.mkdtemp(prefix="argmap-compare-"))
    NEUTRAL = scratch / "cwd"
    NEUTRAL.mkdir()
    header = ["case", "entries", "citations", "install", *modes, "cold wN wall/cpu peak", "warm"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    notes: list[str] = []
    try:
        for case in cases:
            entries = count_entries([case.cwd / b for b in case.bibs])
            first: dict[str, list[Run]] = {}
            shared = Path(tempfile.mkdtemp(prefix="shared-", dir=scratch))
            for install, argmap in installs:
                results = run_modes(argmap, case, modes, args.workers, args.split, scratch, shared)
                if not first:
                    first = results
                ref = first["w1"][0]
                cells = []
                for mode in modes:
                    if mode not in results:
                        cells.append("n/a")
                        continue
                    # the first install's modes against its w1; the others' against the same
                    # mode of the first (so a difference main already has is not charged again)
                    base = ref if results is first or mode not in first else first[mode][0]
                    mark, diffs = verdict(base, results[mode], mode == "split")
                    cells.append(mark)
                    if mark != "=":
                        failed = True
                        against = "w1" if results is first else f"{installs[0][0]} {mode}"
                        notes.append(
                            f"{case.name} · {install} · {mode} (against {against}): "
                            + "; ".join(diffs)
                        )
                    if args.keep:
                        folder = args.keep / case.name
                        folder.mkdir(parents=True, exist_ok=True)
                        report = results[mode][0].report
                        (folder / f"{install}-{mode}.json").write_text(
                            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
                        )
                cited = "-"
                if ref.report is not None:
                    cited = str(ref.report.get("summary", {}).get("citations", "-"))
                row = [case.name, str(entries), cited, install, *cells]
                row += [seconds(results.get("wN", [])), seconds(results.get("warm", []))]
                print(" | ".join(row), flush=True)
            if args.peers:
                for name, wall, cpu, peak, code in peers(python, case, scratch):
                    cells = ["" for _ in modes]
                    if code:  # a peer that fails (pandoc refuses some real files) is not timed
                        name += f" FAILED (exit {code})"
                    row = [case.name, str(entries), "", name, *cells]
                    row += [f"{wall:.2f}/{cpu:.2f}s {peak / 1024:.0f}MB", ""]
                    print(" | ".join(row), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if notes:
        print("\nDifferences (the first install against its w1, the others against its same mode):")
        for note in notes:
            print(f"- {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
