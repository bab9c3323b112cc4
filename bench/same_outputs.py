"""Do validate, compile, plan and next still print byte for byte what an earlier commit printed?

Speed work must not change an answer. This checks out ``--rev`` (default: the previous
commit) into a temporary git worktree, runs the same commands with that code and with
this checkout's, from the same folder, on the shipped curricula and the benchmark
catalogs, and compares stdout, stderr and the exit code. Prints one line per command;
exits 1 when any differs.

``--save DIR`` instead writes what ``--rev`` prints for the curricula and every test
fixture project (``tests/fixtures/outputs``, which tests/test_outputs_unchanged.py
compares this checkout's outputs with, in every test run).

    python bench/same_outputs.py [--rev REV] [--sizes 1000,10000]
    python bench/same_outputs.py --rev 717b4b9 --save tests/fixtures/outputs
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from run import generate, generate_mixed
from snapshots import fixture_projects

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


def snapshot_commands(source: Path, projects: list[Path]) -> list[list[str]]:
    """validate, compile and next on each project; plan for each of its outcomes (the
    ids read from what ``compile`` prints), from nothing and from its first credential."""
    import json

    found = []
    for project in projects:
        where = project.relative_to(ROOT).as_posix()
        found += [
            ["validate", where, "--format", "json", "--no-cache"],
            ["compile", where],
            ["next", where, "--format", "json"],
        ]
        code, out, _ = run(source, ["compile", where])
        if code != 0 or not out:
            continue
        compiled = json.loads(out)
        first = sorted(compiled.get("credentials", {}))[:1]
        for outcome in sorted(compiled.get("outcomes", {})):
            found.append(["plan", outcome, where, "--format", "json"])
            if first:
                found.append(["plan", outcome, where, "--have", first[0], "--format", "json"])
    return found


def save(source: Path, folder: Path, rev: str) -> None:
    """Write each command's exit code, stdout and stderr under ``folder``, with an index."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    index = []
    for number, command in enumerate(snapshot_commands(source, fixture_projects())):
        code, out, err = run(source, command)
        name = f"{number:04d}"
        (folder / f"{name}.out").write_bytes(out)
        (folder / f"{name}.err").write_bytes(err)
        index.append({"command": command, "exit": code, "output": name})
    document = {"revision": rev, "commands": index}
    (folder / "index.json").write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {len(index)} outputs of {rev} to {folder}")


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
    parser.add_argument("--save", type=Path, help="write --rev's outputs here instead")
    args = parser.parse_args()
    projects = [ROOT / "curricula" / "data-careers", ROOT / "curricula" / "cybersecurity"]
    sizes = [] if args.save is not None else [int(s) for s in args.sizes.split(",") if s]
    for n in sizes:
        projects += [generate(n), generate_mixed(n, 7)]
    with tempfile.TemporaryDirectory() as folder:
        before = Path(folder) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(before), args.rev],
            cwd=ROOT,
            check=True,
        )
        try:
            if args.save is not None:
                save(before / "src", args.save.resolve(), args.rev)
                return
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
