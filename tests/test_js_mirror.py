"""The site's scripts and the Python code they repeat are marked on both sides.

``assets/credpath.js`` (and ``assets/learner.js``) answer in the browser what ``credpath
next`` and ``credpath plan`` answer in a terminal, by repeating Python functions step for
step. Each repeating JS function carries ``// mirrors credpath.<module>.<name>`` on the
line above it, and that Python function's docstring says ``Mirrored in credpath.js by
``<jsName>``: change both together``. These tests fail when either mark is lost or when
the Python function a script names no longer exists, so a change on one side cannot go
unnoticed; tests/test_site_semantics.py then checks that both give the same answers.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from credpath.compiler.pathways import EXACT_LIMIT, SEARCH_BUDGET

ASSETS = Path(__file__).parents[1] / "src" / "credpath" / "publish" / "site" / "assets"
SCRIPTS = ("credpath.js", "learner.js")
MARK = re.compile(r"^\s*// mirrors (credpath(?:\.\w+)+)\s*$")
DEFINITION = re.compile(
    r"^(?:function (?P<function>\w+)\(|class (?P<class>\w+) |const (?P<const>\w+) = \("
    r"|  (?P<method>\w+)\(.*\) \{$)"
)
MIRRORED = re.compile(r"Mirrored in (credpath\.js|learner\.js) by ``([\w.]+)``: change both")

JS_ONLY = {
    "credpath.js": {
        "readRequirement",  # the data's arrays as objects
        "byId",
        "compareStrings",
        "sumHours",
        "Semantics",  # the container; its methods are marked one by one
        "Semantics.constructor",
        "Semantics.start",
        "Semantics.reached",  # a cache of the fixpoint per learner state
        "State.constructor",
        "State.copy",
        "State.level",
        "State.raise",
        "State.earn",
        "State.has",
        "Heap",  # Python's heapq
        "Heap.constructor",
        "Heap.push",
        "Heap.pop",
        "entryLess",  # Python's tuple order
        "Estimator.constructor",
        "subset",
    },
}
"""Functions of the semantics part of a script that repeat no Python function: anything
else there must carry its mark."""


def definitions(script: str) -> list[tuple[str, str | None]]:
    """(JS name, the Python path its mark names or None) for every function, class,
    method and arrow function of the script's semantics part (before "2. The page")."""
    text = (ASSETS / script).read_text(encoding="utf-8")
    semantics = text.split("\n * 2. The page", 1)[0] if script == "credpath.js" else text
    lines = semantics.splitlines()
    found: list[tuple[str, str | None]] = []
    owner = ""
    for number, line in enumerate(lines):
        match = DEFINITION.match(line)
        if match is None:
            continue
        if match["class"]:
            owner = match["class"]
        if match["function"] or match["const"]:
            owner = ""
        name = next(n for n in match.groups() if n is not None)
        if match["method"]:
            if not owner or name in {"if", "for", "while", "switch"}:
                continue
            name = f"{owner}.{name}"
        mark = MARK.match(lines[number - 1]) if number else None
        found.append((name, mark[1] if mark else None))
    return found


def python_object(path: str) -> object | None:
    """The object ``credpath.module.name[.attribute]`` names, or None when it does not exist."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for name in parts[split:]:
            found = inspect.getattr_static(found, name, None)
            if found is None:
                return None
        return found
    return None


def docstring(thing: object) -> str:
    inner = getattr(thing, "fget", thing)  # a property's docstring is its getter's
    return inspect.getdoc(inner) or ""


def marks() -> dict[tuple[str, str], str]:
    """(script, JS name) -> the Python path its mark names."""
    return {
        (script, name): path
        for script in SCRIPTS
        for name, path in definitions(script)
        if path is not None
    }


def test_each_marked_js_function_names_a_python_function_that_exists_and_says_so() -> None:
    found = marks()
    assert len(found) >= 25  # the semantics part of credpath.js
    for (script, name), path in sorted(found.items()):
        thing = python_object(path)
        assert thing is not None, f"{script} {name}: {path} no longer exists"
        said = MIRRORED.findall(docstring(thing))
        assert (script, name) in said, f"{path}: its docstring does not name {script} {name}"


MODULES = (
    "credpath.compiler.requirements",
    "credpath.compiler.semantics",
    "credpath.compiler.pathways",
    "credpath.commands.pathways",
    "credpath.publish.site",
)
"""Where the Python functions the scripts repeat live (with their submodules)."""


def modules() -> list[ModuleType]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        found.append(module)
        for inner in pkgutil.iter_modules(getattr(module, "__path__", []), f"{name}."):
            found.append(importlib.import_module(inner.name))
    return found


def python_mirrored() -> dict[str, tuple[object, str, str]]:
    """Where it is defined -> (the function or class, script, JS name), for every one in
    ``MODULES`` whose docstring says a script mirrors it."""
    found: dict[str, tuple[object, str, str]] = {}
    for module in modules():
        for attribute, thing in vars(module).items():
            if getattr(thing, "__module__", None) != module.__name__:
                continue
            members = [(attribute, thing)]
            if inspect.isclass(thing):
                members += [(f"{attribute}.{k}", v) for k, v in vars(thing).items()]
            for qualified, member in members:
                for script, js in MIRRORED.findall(docstring(member)):
                    found[f"{module.__name__}.{qualified}"] = (member, script, js)
    return found


def test_each_python_function_said_to_be_mirrored_has_its_marked_js_function() -> None:
    found = marks()
    mirrored = python_mirrored()
    named = {js for _, _, js in mirrored.values()}
    assert {"Semantics.derive", "Semantics.nextDoors", "Semantics.whyNot", "planAnswer"} <= named
    for where, (thing, script, js) in sorted(mirrored.items()):
        mark = found.get((script, js))
        assert mark is not None, f"{script} {js} lost its mark '// mirrors' ({where})"
        assert python_object(mark) is thing, f"{script} {js}: its mark names {mark}, not {where}"


def test_every_function_of_the_scripts_semantics_is_marked_or_known_to_be_the_scripts_own() -> None:
    for script in SCRIPTS:
        own = JS_ONLY.get(script, set())
        for name, path in definitions(script):
            if script == "credpath.js":
                assert path is not None or name in own, f"{script} {name}: no '// mirrors' mark"


def test_the_limits_of_the_plans_search_come_with_the_data_not_a_copy() -> None:
    from credpath.checks.context import Options
    from credpath.checks.engine import check
    from credpath.publish.site.data import catalog_data

    root = Path(__file__).parents[1] / "curricula" / "data-careers"
    data = catalog_data(check(root, root, Options()).context.semantics)
    assert data["limits"] == {"exact": EXACT_LIMIT, "searchBudget": SEARCH_BUDGET}
    script = (ASSETS / "credpath.js").read_text(encoding="utf-8")
    assert f"{EXACT_LIMIT};" not in script
    assert re.search(r"\b(EXACT_LIMIT|SEARCH_BUDGET) =", script) is None


def test_the_marks_are_read_as_expected_from_a_script() -> None:
    """The reader of marks finds a marked method and an unmarked one."""
    found = dict(definitions("credpath.js"))
    assert found["Semantics.nextDoors"] == "credpath.compiler.semantics.Semantics.next_doors"
    assert found["search"] == "credpath.compiler.pathways._search"
    assert found["Heap.push"] is None
    assert python_object("credpath.compiler.pathways.no_such_function") is None


def test_node_runs_the_scripts_where_tests_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JavaScript tests never skip silently in CI: Node is installed by ``make install``,
    and a CI run without it fails here (outside CI, they skip and say why)."""
    import os

    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing: the JavaScript tests cannot run (make install)")
        pytest.skip("needs node (make install installs it)")
    for script in SCRIPTS:
        done = subprocess.run(
            [node, "--check", str(ASSETS / script)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
