"""The shape of the code: data flows one way through the pipeline.

Imports between credpath's own modules form no cycle, wherever they are written (at
module level or inside a function, imported when a command needs it; only imports for
type checking are left out), and the core never imports the command-line libraries.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SOURCE = Path(__file__).parent.parent / "src" / "credpath"


def _module(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Modules imported anywhere in ``path`` (or only at module level), outside
    ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(inner) for inner in ast.walk(node))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> nx.DiGraph:
    modules = {_module(p): p for p in SOURCE.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for imported in _imports(path):
            if imported in modules and imported != name:
                graph.add_edge(name, imported)
    return graph


def test_no_import_cycle() -> None:
    cycles = list(nx.simple_cycles(_graph()))
    assert cycles == []


def test_the_core_never_imports_the_command_line_libraries() -> None:
    for path in SOURCE.rglob("*.py"):
        module = _module(path)
        if module == "credpath.cli" or module.startswith("credpath.commands"):
            continue
        imported = _imports(path, top_level_only=True)
        assert not {"typer", "rich", "click"} & imported, module
