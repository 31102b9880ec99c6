"""Where a problem is, for a CI service, and which problem it is across edits: its path from the
repository's root (code scanning and GitLab resolve paths from there, not from where argmap
ran), and a fingerprint that does not move when lines are added above it."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argmap.base.problems import Problem


def repository_root(cwd: Path | None = None) -> Path:
    """The root the CI service resolves paths from: ``GITHUB_WORKSPACE`` or ``CI_PROJECT_DIR``
    when the working directory is inside it, else the nearest folder above with a ``.git``,
    else the working directory."""
    here = (cwd or Path.cwd()).absolute()
    for variable in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        value = os.environ.get(variable)
        if value and here.is_relative_to(Path(value).absolute()):
            return Path(value).absolute()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def from_root(source: str, root: Path, cwd: Path | None = None) -> str | None:
    """``source`` (as argmap shows it: relative to the working directory, or absolute) as a
    POSIX path relative to ``root``; None when it lies outside it."""
    path = PurePath(source)
    absolute = Path(path) if path.is_absolute() else (cwd or Path.cwd()).absolute() / path
    try:
        relative = Path(os.path.normpath(absolute)).relative_to(root)
    except ValueError:
        return None
    return relative.as_posix()


def fingerprints(problems: Iterable[Problem], paths: Iterable[str]) -> list[str]:
    """A stable fingerprint per problem — its identity as a baseline knows it (file, code, key,
    message without line numbers) and, for the same problem twice in a file, its first,
    second, ... occurrence in file order — as hex digests."""
    from argmap.checks.baseline import problem_identity

    seen: Counter[str] = Counter()
    out = []
    for problem, path in zip(problems, paths, strict=True):
        key = problem_identity(problem.code, path, problem.key, problem.message)
        seen[key] += 1
        out.append(hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()[:32])
    return out
