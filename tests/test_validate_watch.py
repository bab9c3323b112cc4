"""``credpath validate --watch``: the findings again after each save, until Ctrl-C.

The loop itself (``commands.check.watch``) is driven by lists of changed paths; one test
runs the real command with watchfiles in a subprocess, edits a file, reads the findings
printed again, and stops it with SIGINT.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import credpath
from credpath.base.errors import UsageError
from credpath.commands import Findings, ReportOptions
from credpath.commands.check import CheckOptions, PlainScreen, watch

CLEAN = (
    "competencies:\n  - id: sql\n    title: SQL\n    levels: [Basic, Advanced]\n"
    "credentials:\n  - id: a\n    title: A\n    type: course\n    grants: [sql@1]\n"
)
GAP = CLEAN + "    requires: [sql@2]\n"
GAP_LINE = (
    "c.yaml:10:16: error: 'sql@2' is not granted by any credential (highest granted: sql@1 "
    "by 'a'); this makes 1 credential unreachable [gap]"
)
DEAD_END_LINE = (
    "c.yaml:6:9: warning: 'a' leads to no outcome: it grants sql@1, but no outcome or "
    "credential on the way to one requires it; a learner who finishes this sees no next "
    "door [dead-end]"
)
WATCHING = "; watching for changes (Ctrl-C to stop)"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "credpath.yaml").write_text("name: watched\n")
    (tmp_path / "c.yaml").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


class Recorder:
    """A screen that keeps what each run showed."""

    def __init__(self) -> None:
        self.runs: list[list[str]] = []

    def show(self, run: Findings | UsageError) -> None:
        if isinstance(run, UsageError):
            self.runs.append([f"problem: {run}"])
        else:
            self.runs.append([d.format() for d in run.diagnostics])


def options(path: Path) -> CheckOptions:
    return CheckOptions(paths=[path], report=ReportOptions())


def test_each_relevant_save_shows_the_findings_again(project: Path) -> None:
    curriculum = project / "c.yaml"

    def saves() -> Iterator[list[Path]]:
        curriculum.write_text(GAP)
        yield [curriculum]
        (project / "notes.txt").write_text("not a curriculum file")
        yield [project / "notes.txt"]  # no run: nothing the findings depend on
        (project / "broken.yaml").write_text("credentials:\n  - id: [\n")
        yield [project / "broken.yaml"]
        (project / "broken.yaml").unlink()
        curriculum.write_text(CLEAN)
        yield [project / "broken.yaml", curriculum]

    screen = Recorder()
    code = watch(options(project), saves(), screen)
    assert screen.runs == [
        [DEAD_END_LINE],
        [GAP_LINE],
        [
            "broken.yaml:2:9: error: the '[' opened here is not closed: end it with ']', and "
            "separate its items with ',' [yaml-syntax]",
            GAP_LINE,
        ],
        [DEAD_END_LINE],
    ]
    assert code == 0  # the last run's: a warning fails nothing


def test_a_broken_configuration_is_shown_and_the_watch_goes_on(project: Path) -> None:
    config = project / "credpath.yaml"

    def saves() -> Iterator[list[Path]]:
        config.write_text("levels: [\n")
        yield [config]
        config.write_text("name: watched\n")
        (project / "c.yaml").write_text(GAP)
        yield [config, project / "c.yaml"]
        raise KeyboardInterrupt  # Ctrl-C: the last run's code

    screen = Recorder()
    code = watch(options(project), saves(), screen)
    assert len(screen.runs) == 3
    assert screen.runs[1][0].startswith("problem: credpath.yaml:1:")
    assert screen.runs[2] == [GAP_LINE]
    assert code == 1


def test_a_plain_screen_prints_each_run_after_the_last(project: Path) -> None:
    printed: list[str] = []

    class Out:
        def write(self, text: str) -> None:
            printed.append(text)

        def flush(self) -> None:
            pass

    screen = PlainScreen(Out())  # type: ignore[arg-type]
    watch(options(project), [[project / "c.yaml"]], screen)
    assert "".join(printed).splitlines() == [
        DEAD_END_LINE,
        f"0 errors, 1 warning in 2 files{WATCHING}",
        DEAD_END_LINE,
        f"0 errors, 1 warning in 2 files{WATCHING}",
    ]


def test_watch_refuses_other_formats(project: Path) -> None:
    refused = credpath("validate", "--watch", "--format", "json", str(project))
    assert refused.exit_code == 2
    assert refused.stderr == "credpath: --watch prints text findings: drop --format and --output\n"


@pytest.mark.slow  # a subprocess and a file watcher
def test_the_command_prints_again_after_a_save_and_ctrl_c_exits_with_the_last_code(
    project: Path,
) -> None:
    command = [sys.executable, "-m", "credpath", "validate", "--watch", str(project)]
    environment = {**os.environ, "COLUMNS": "400"}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout
        threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()

        def next_run(timeout: float, save: Path | None = None, text: str = "") -> list[str]:
            """The lines of the next run; ``save`` is written again until it comes (the
            watcher may start a moment after the first run is printed)."""
            run: list[str] = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if save is not None:
                    save.write_text(text)
                try:
                    line = lines.get(timeout=1.0).rstrip("\n")
                except queue.Empty:
                    continue
                run.append(line)
                if line.endswith(WATCHING):
                    return run
            raise AssertionError(f"no run within {timeout} s; so far {run}")

        try:
            assert next_run(60) == [DEAD_END_LINE, f"0 errors, 1 warning in 2 files{WATCHING}"]
            assert next_run(60, project / "c.yaml", GAP) == [
                GAP_LINE,
                f"1 error, 0 warnings in 2 files{WATCHING}",
            ]
            time.sleep(0.5)  # let the last save's events pass before stopping
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 1
            assert "Traceback" not in process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
