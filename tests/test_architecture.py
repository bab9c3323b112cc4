"""The shape of the code: layers, each importing only those below it (docs/architecture.md).

Every import between credpath's own modules is seen, wherever it is written: at module
level, inside a function (imported when a command needs it), or under
``if TYPE_CHECKING:``. None may go up a layer or across to another package of the same
layer, none may form a cycle, and the core never imports the command-line libraries.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SOURCE = Path(__file__).parent.parent / "src" / "credpath"

LAYERS: dict[str, int] = {
    "base": 0,
    "compiler": 1,
    "checks": 2,
    "publish": 3,
    "analytics": 4,
    "exchange": 4,
    "editor": 5,
    "preview": 5,
    "commands": 6,
    "cli": 7,
    "__main__": 8,
}
"""Each package (or top-level module) of credpath and its rank: a module may import from
its own package and from lower ranks only."""

TOP = {"credpath", "credpath.__init__"}
"""The package itself: its version, importable from anywhere."""


def _module(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module, *, top_level_only: bool = False) -> set[str]:
    """Modules imported in ``tree``: everywhere, type-checking imports included (or only
    at module level, outside ``if TYPE_CHECKING:``)."""
    nodes: list[ast.AST] = list(ast.walk(tree))
    if top_level_only:
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        nodes = [node for node in tree.body if id(node) not in typing_only]
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _sources() -> dict[str, ast.Module]:
    return {
        _module(path): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(SOURCE.rglob("*.py"))
    }


def _graph(sources: dict[str, ast.Module]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, tree in sources.items():
        graph.add_node(name)
        for imported in _imports(tree):
            if imported in sources and imported != name:
                graph.add_edge(name, imported)
    return graph


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def violations(sources: dict[str, ast.Module]) -> list[str]:
    """Every import that goes up a layer or across to a sibling package, as
    ``importer -> imported``; and every module that belongs to no layer."""
    found = []
    for name in sorted(sources):
        if name in TOP:
            continue
        layer = _layer(name)
        if layer not in LAYERS:
            found.append(f"{name}: in no layer (add its package to LAYERS and the docs)")
            continue
        for imported in sorted(_imports(sources[name]) & sources.keys()):
            target = _layer(imported)
            if target is None or target == layer or target not in LAYERS:
                continue
            if LAYERS[target] >= LAYERS[layer]:
                found.append(f"{name} -> {imported}")
    return found


def test_every_import_goes_down_the_layers() -> None:
    assert violations(_sources()) == []


@pytest.mark.parametrize(
    ("module", "code", "expected"),
    [
        (
            "credpath.compiler.planted",
            "def f() -> None:\n    from credpath.checks.rules import RULES\n",
            ["credpath.compiler.planted -> credpath.checks.rules"],
        ),
        (
            "credpath.publish.planted",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from credpath.analytics.drift import Report\n",
            ["credpath.publish.planted -> credpath.analytics.drift"],
        ),
        (
            "credpath.analytics.planted",
            "import credpath.exchange.esco\n",
            ["credpath.analytics.planted -> credpath.exchange.esco"],
        ),
        (
            "credpath.stray",
            "x = 1\n",
            ["credpath.stray: in no layer (add its package to LAYERS and the docs)"],
        ),
    ],
)
def test_a_planted_violation_is_caught(module: str, code: str, expected: list[str]) -> None:
    """Inside a function, under TYPE_CHECKING, to a sibling: each is seen."""
    sources = _sources()
    sources[module] = ast.parse(code)
    assert violations(sources) == expected


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(_graph(_sources())))
    assert cycles == []


def test_the_core_never_imports_the_command_line_libraries() -> None:
    for name, tree in _sources().items():
        if name == "credpath.cli" or name.startswith("credpath.commands"):
            continue
        assert not {"typer", "rich", "click"} & _imports(tree, top_level_only=True), name


def test_the_architecture_doc_names_every_package() -> None:
    doc = (SOURCE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in LAYERS:
        if package != "__main__":
            assert f"`{package}" in doc, package
