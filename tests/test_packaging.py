"""Packaging: every third-party package argmap imports is declared, and the licence ships."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

REPO = Path(__file__).parents[1]


def imported_top_level_names() -> set[str]:
    """Top-level modules imported anywhere under src/argmap (at any depth of the code)."""
    names: set[str] = set()
    for path in (REPO / "src" / "argmap").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"argmap", "__future__"}


def declared_distributions() -> set[str]:
    """The distributions named in argmap's installed metadata (core, not extras)."""
    requires = metadata.requires("argmap") or []
    core = [r for r in requires if "extra ==" not in r]
    return {re.split(r"[<>=!~; \[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in core}


def test_every_imported_package_is_declared() -> None:
    owners = metadata.packages_distributions()
    declared = declared_distributions()
    undeclared = {
        name: owners.get(name, ["?"])
        for name in imported_top_level_names()
        if not {d.lower().replace("_", "-") for d in owners.get(name, [])} & declared
    }
    assert undeclared == {}
    assert "pylatexenc" in declared


def test_licence_and_classifiers_ship() -> None:
    meta = metadata.metadata("argmap")
    assert meta["License-File"] == "LICENSE" or "LICENSE" in (meta.get_all("License-File") or [])
    assert "License :: OSI Approved :: MIT License" in (meta.get_all("Classifier") or [])
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "the argmap authors" in text
