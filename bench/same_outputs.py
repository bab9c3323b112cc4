"""Do validate, compile, plan and next still print byte for byte what an earlier commit printed?

Speed work must not change an answer. This checks out ``--rev`` (default: the previous
commit) into a temporary git worktree, runs the same commands with that code and with
this checkout's, from the same folder, on the shipped curricula and the benchmark
catalogs, and compares stdout, stderr and the exit code. Prints one line per command;
exits 1 when any differs.

    python bench/same_outputs.py [--rev REV] [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import generate, generate_mixed

ROOT = Path(__file__).parents[1]


def commands(projects: list[Path]) -> list[list[str]]:
    found = []
    for project in projects:
        where = str(project.relative_to(ROOT))
        found += [
            ["validate", where, "--format", "json", "--no-cache"],
            ["compile", where],
            ["next", where, "--format", "json"],
        ]
    for outcome in ("junior-data-analyst", "bi-developer", "junior-data-scientist"):
        found.append(["plan", outcome, "curricula/data-careers", "--format", "json"])
        found.append(
            [
                "plan",
                outcome,
                "curricula/data-careers",
                "--have",
                "sql-foundations",
                "--format",
                "json",
            ]
        )
    return found


def run(source: Path, command: list[str]) -> tuple[int, bytes, bytes]:
    environment = {**os.environ, "PYTHONPATH": str(source), "CREDPATH_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "credpath", *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rev", default="HEAD~1")
    parser.add_argument("--sizes", default="1000")
    args = parser.parse_args()
    projects = [ROOT / "curricula" / "data-careers", ROOT / "curricula" / "cybersecurity"]
    for n in [int(s) for s in args.sizes.split(",") if s]:
        projects += [generate(n), generate_mixed(n, 7)]
    with tempfile.TemporaryDirectory() as folder:
        before = Path(folder) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(before), args.rev],
            cwd=ROOT,
            check=True,
        )
        try:
            differing = 0
            for command in commands(projects):
                same = run(before / "src", command) == run(ROOT / "src", command)
                differing += not same
                print(f"{'same' if same else 'DIFFERENT'}: credpath {' '.join(command)}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT)
    print(f"{differing} of {len(commands(projects))} commands differ from {args.rev}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
