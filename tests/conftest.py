"""Shared helpers: run credpath the way a user does, and write small projects to disk."""

from __future__ import annotations

import functools
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Imported before any test: a run with no property test (one module, say) would otherwise
# first import hypothesis in its plugin's end-of-run summary, where a plugin that hypothesis
# loads (trio's) warns, and the warnings-as-errors filter ends the run in a traceback.
import hypothesis  # noqa: F401
import pytest
import typer.testing
from typer.testing import CliRunner

from credpath.cli import app

# typer's CliRunner builds the click command from the app at every invoke, reading the
# signature and type hints of each of its commands: three quarters of a typical test's
# time. Nothing changes the app during a run, so it is built once.
typer.testing._get_command = functools.cache(typer.testing._get_command)

FIXTURES = Path(__file__).parent / "fixtures"

Files = dict[str, str | bytes]
"""Relative path -> content; text is dedented and written as UTF-8, bytes as they are."""


@dataclass(frozen=True)
class Run:
    """What a user sees after one command: exit code, stdout, stderr."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    def rules(self) -> list[str]:
        """The rule id at the end of each finding line, in output order."""
        return [line.rsplit("[", 1)[1].rstrip("]") for line in self.lines]


def credpath(*args: str) -> Run:
    """Run the CLI in-process; an exception that escapes a command fails the test."""
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def assert_golden(golden: Path, actual: str) -> None:
    """``actual`` must equal the golden file.

    With ``CREDPATH_UPDATE_GOLDEN=1`` the file is rewritten and the test fails all
    the same, so that a run can never pass by rewriting what it compares against:
    review the diff, then run again without it.
    """
    if os.environ.get("CREDPATH_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        pytest.fail(f"rewrote {golden.name}: review the diff, then run without the variable")
    assert actual == golden.read_text(encoding="utf-8")


def write_files(root: Path, files: Files) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Write a project folder under tmp_path, chdir to tmp_path, return the folder's name.

    Findings then print as ``<name>/<file>:line:col: ...``, as a user running
    ``credpath validate <name>`` would see them.
    """
    monkeypatch.chdir(tmp_path)

    def write(files: Files, name: str = "project") -> str:
        write_files(tmp_path / name, files)
        return name

    return write


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests assert the text format; on GitHub Actions the default format would be github."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test checks for real; tests/test_cache.py turns the cache on where it is the subject."""
    monkeypatch.setenv("CREDPATH_NO_CACHE", "1")


SLOW_MODULES = frozenset(
    {
        "test_wheel",  # builds and installs the wheel
        "test_site_browser",  # a real browser
        "test_drift_browser",
        "test_every_command_survives",  # every command on many broken and planted projects
        "test_bounded_work",  # hostile inputs that once took minutes
        "test_drift_simulate",  # thousands of simulated learners
        "test_site_semantics",  # the site's script under Node, on random projects
        "test_lsp",  # a language server process per test
        "test_lsp_client",
        "test_validate_watch",  # a watching process, edited and interrupted
        # Slow as a whole for now: most of their tests are quick, and each file leaves this
        # list once its slow tests carry @pytest.mark.slow themselves.
        "test_serve",  # each test waits up to 0.5 s for its server thread to stop
        "test_trust",  # a process per command, with different hash seeds; two site builds
        "test_hostile",  # chains of 10,000 credentials
        "test_site_pages",  # whole sites, some drawn by forked workers
    }
)
"""Test files whose every test is slow; every hypothesis property test is slow too."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what ``make test-fast`` leaves out for the edit loop: ``make test`` runs all."""
    for item in items:
        module = item.module.__name__ if isinstance(item, pytest.Function) else ""
        is_property = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        if module in SLOW_MODULES or is_property:
            item.add_marker(pytest.mark.slow)
