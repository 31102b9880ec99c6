#!/usr/bin/env python3
"""Do two argmap installs print the same `argmap show`, byte for byte?

Runs a matrix of `argmap show` commands — the shipped map, the repository's and the test data's
maps, every hostile map file, and edge-case maps written here (values Pydantic converts, text
with whitespace it strips, YAML merge keys and tags, wrong types) — with every format, both
languages, --focus, --depth, --no-evidence and several widths, through two installs (e.g. a
venv of ``main`` and one of a branch), and compares stdout, stderr and the exit code of each.
Each command runs three times per install: with --no-cache, then twice on a fresh cache (the
first fills it, the second reads it).

    python3 tools/compare_show.py --base /tmp/main/bin/argmap --new .venv/bin/argmap \\
        [--repo .] [--expect-different NAME ...]

Prints one line per difference and a summary; exits 1 when any command differs. Cases named
with ``--expect-different`` are reported but do not fail (a deliberate change of behaviour).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ARTICLE = """article:
  key: roe1998
  title: "Un artículo"
  language: es
  sections:
    - {id: "1", title: "Uno"}
"""

CLAIM = """  - id: D1
    kind: diagnosis
    text:
      es: {es}
      en: "The diagnosis"
    locator: {{section: "1", paragraph: {paragraph}}}
{extra}    evidence:
      - id: E1
        kind: literature
        description: {{es: "Obras", en: "Works"}}
        citations:
          - {{key: piore1984, printed: "Piore y Sabel, 1984"}}
  - id: R1
    kind: recommendation
    text: {{es: "Recomendación", en: "Recommendation"}}
    locator: {{section: "1", paragraph: 2}}
    relations: [{{type: supports, target: D1}}]
"""

# name -> (es text, paragraph, extra lines under the first claim)
EDGES: dict[str, tuple[str, str, str]] = {
    "plain": ('"El diagnóstico"', "1", ""),
    "paragraph-string": ('"El diagnóstico"', '"3"', ""),
    "paragraph-bool": ('"El diagnóstico"', "true", ""),
    "paragraph-float": ('"El diagnóstico"', "2.0", ""),
    "paragraph-zero": ('"El diagnóstico"', "0", ""),
    "text-folded-newline": (">\n        El diagnóstico\n", "1", ""),
    "text-nbsp": ('"\\u00a0El diagnóstico\\u00a0"', "1", ""),
    "text-em-space": ('"El diagnóstico\\u2003"', "1", ""),
    "text-info-separator": ('"El diagnóstico\\x1c"', "1", ""),
    "text-blank": ('"   "', "1", ""),
    "text-int": ("12", "1", ""),
    "note-date": ('"x"', "1", "    note: 2001-12-14\n"),
    "note-bad-date": ('"x"', "1", "    note: 2001-13-45\n"),
    "note-int": ('"x"', "1", "    note: 7\n"),
    "note-tagged-str": ('"x"', "1", "    note: !!str 7\n"),
    "reported-without-source": ('"x"', "1", "    attribution: reported\n"),
    "asserted-with-source": ('"x"', "1", "    reported_from: [piore1984]\n"),
    "kind-case": ('"x"', "1", "    attribution: Asserted\n"),
    "unknown-field": ('"x"', "1", "    colour: red\n"),
    "merge-key": ('"x"', "1", "    <<: {note: merged}\n"),
    "relations-tuple-ish": ('"x"', "1", "    relations: !!set {a}\n"),
    "binary-note": ('"x"', "1", "    note: !!binary aGVsbG8=\n"),
    "int-key": ('"x"', "1", "    1: one\n"),
}


def edge_maps(folder: Path) -> list[tuple[str, Path]]:
    """One map file per edge case, written into ``folder``."""
    out = []
    for name, (es, paragraph, extra) in EDGES.items():
        path = folder / f"edge-{name}.yaml"
        claims = CLAIM.format(es=es, paragraph=paragraph, extra=extra)
        path.write_text(f"{ARTICLE}claims:\n{claims}", encoding="utf-8")
        out.append((f"edge-{name}", path))
    return out


def option_sets(focus: str | None) -> list[list[str]]:
    """The option combinations tried on each map."""
    sets: list[list[str]] = [
        [],
        ["--format", "text"],
        ["--format", "json"],
        ["--lang", "en"],
        ["--lang", "en", "--format", "text"],
        ["--depth", "1"],
        ["--depth", "2", "--format", "json"],
        ["--no-evidence"],
        ["--no-evidence", "--format", "json"],
        ["--format", "json", "--lang", "es"],  # refused: JSON holds every language
    ]
    if focus is not None:
        sets += [["--focus", focus], ["--focus", focus, "--format", "json"]]
    sets.append(["--focus", "NO-SUCH-CLAIM"])
    return sets


def run(argmap: str, args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    proc = subprocess.run([argmap, "show", *args], cwd=cwd, env=env, capture_output=True)
    return proc.returncode, proc.stdout, proc.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="argmap console script of the reference")
    parser.add_argument("--new", required=True, help="argmap console script to compare")
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--expect-different", action="append", default=[])
    args = parser.parse_args()
    repo = args.repo.resolve()
    scratch = Path(tempfile.mkdtemp(prefix="argmap-compare-show-"))
    try:
        empty = scratch / "empty"
        empty.mkdir()
        edges = scratch / "edges"
        edges.mkdir()
        shutil.copy(repo / "refs.bib", edges / "refs.bib")
        data = repo / "tests" / "data"
        # every option on the real maps; the main three on the hostile and edge-case ones
        maps: list[tuple[str, list[str], str | None, bool]] = [
            ("shipped", [], "D1", True),
            ("repo", ["--map", str(repo / "arguments")], "D1", True),
            ("mini", ["--map", str(data / "mini" / "arguments")], None, True),
            ("trace", ["--map", str(data / "trace" / "arguments")], None, True),
            ("export", ["--map", str(data / "export" / "arguments")], None, True),
        ]
        maps += [
            (path.stem, ["--map", str(path)], None, False)
            for path in sorted((data / "hostile").glob("map-*"))
        ]
        maps += [
            (name, ["--map", str(path), "--bib", str(edges / "refs.bib")], "D1", False)
            for name, path in edge_maps(edges)
        ]
        widths = ["40", "100", "157"]
        commands = 0
        differ: list[str] = []
        expected: list[str] = []
        for name, base_args, focus, every in maps:
            sets = option_sets(focus) if every else [[], ["--format", "text"], ["--format", "json"]]
            for options in sets:
                full = every and (not options or options == ["--lang", "en"])
                for width in widths if full else ["100"]:
                    outputs = []
                    for argmap in (args.base, args.new):
                        cache = scratch / "cache"
                        shutil.rmtree(cache, ignore_errors=True)
                        env = dict(os.environ, COLUMNS=width, XDG_CACHE_HOME=str(cache))
                        for var in ("ARGMAP_NO_CACHE", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
                            env.pop(var, None)
                        cmd = [*base_args, *options]
                        outputs.append(
                            [
                                run(argmap, [*cmd, "--no-cache"], empty, env),
                                run(argmap, cmd, empty, env),
                                run(argmap, cmd, empty, env),
                            ]
                        )
                    commands += 1
                    label = f"{name} {' '.join(options)} COLUMNS={width}".strip()
                    if outputs[0] != outputs[1]:
                        (expected if name in args.expect_different else differ).append(label)
                        for mode, one, other in zip(
                            ("no-cache", "cold", "warm"), outputs[0], outputs[1], strict=True
                        ):
                            if one != other:
                                print(f"DIFFERS [{mode}] {label}")
                                print(f"  base: {one[0]} {one[2][-300:]!r}")
                                print(f"  new:  {other[0]} {other[2][-300:]!r}")
                                break
        print(
            f"{commands} commands x 3 runs each: {commands - len(differ) - len(expected)} "
            f"identical, {len(expected)} different as expected, {len(differ)} different"
        )
        return 1 if differ else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
