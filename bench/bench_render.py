"""Time `credpath render` of a whole-project map on synthetic catalogs.

Run with ``.venv/bin/python bench/bench_render.py [--sizes 500,2000] [--catalog tracks|mixed]
[--keep DIR]``. Prints figures beside the goals of issue 16 (the map in at most 6 times a
cold ``validate``, 2,000 credentials in under 30 s, ``render --all`` in at most twice the
map); the tests hold the correctness checks.

Each catalog is clean and shaped like a real one: eight levels of credentials with
readable titles; each credential needs one to three competency levels granted at
lower levels (a third of them as an ``any``), every tenth is a certificate stacked
from three of five credentials of the level below, and one outcome per 25
credentials needs top-level competencies. The phases timed: loading and checking the
project (``engine.check``), building the map model, writing DOT and Mermaid text, and
Graphviz laying it out as SVG (the ``dot`` program, which is most of the cost).
``--keep DIR`` also writes each map as DOT, SVG and PNG there, to look at.
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).parent))

from credpath.checks.context import Options
from credpath.checks.engine import Result, check
from credpath.publish.render import export, has_dot, project_map
from credpath.publish.render.dot import to_dot
from credpath.publish.render.mermaid import to_mermaid
from run import generate_mixed, median_run

T = TypeVar("T")
LEVELS = 8
WORDS = (
    "Applied",
    "Data",
    "Cloud",
    "Network",
    "Secure",
    "Digital",
    "Business",
    "Advanced",
    "Practical",
    "Modern",
    "Analytics",
    "Systems",
    "Design",
    "Operations",
    "Engineering",
    "Management",
    "Foundations",
    "Studio",
    "Methods",
    "Programming",
    "Infrastructure",
    "Governance",
    "Research",
    "Visual",
    "Quality",
)
TYPES = ("micro-credential", "course", "badge", "assessment", "course", "micro-credential")


def title(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(2, 5)))


def catalog(n: int, seed: int = 11) -> dict[str, str]:
    """File name -> YAML text of a clean project of ``n`` credentials.

    Credentials come in tracks (about 30 credentials each) of ``LEVELS`` levels; a
    credential mostly needs what its own track grants one level below, sometimes
    (one in six) something from another track, as a real catalog does.
    """
    rng = random.Random(seed)
    tracks = max(n // 30, 2)
    per_level = -(-n // (tracks * LEVELS))
    files = {
        "credpath.yaml": f"name: Synthetic catalog of {n} credentials\n"
        "levels: [Basic, Intermediate, Advanced]\n",
    }
    skills: list[str] = []
    grants: dict[tuple[int, int], list[str]] = {}  # (track, level) -> competency levels
    ids: dict[tuple[int, int], list[str]] = {}
    lines = ["credentials:"]
    count = 0
    for level in range(LEVELS):
        for track in range(tracks):
            for k in range(per_level):
                if count == n:
                    break
                count += 1
                cid = f"t{track}-l{level}-{k}"
                below = ids.get((track, level - 1), [])
                stack = level > 0 and k == per_level - 1 and len(below) >= 3
                skill = f"t{track}-s{level // 3}-{k % 2}"
                if skill not in skills:
                    skills.append(skill)
                grant = f"{skill}@{level % 3 + 1}"
                lines += [
                    f"  - id: {cid}",
                    f"    title: {title(rng)}",
                    f"    type: {'certificate' if stack else rng.choice(TYPES)}",
                    f"    workload: {{hours: {rng.choice((10, 25, 50, 75, 100))}}}",
                    f"    url: https://example.edu/{cid}",
                    f"    grants: [{grant}]",
                ]
                if stack:
                    options = ", ".join(below[:5])
                    lines.append(
                        f"    requires: {{choose: {min(3, len(below))}, from: [{options}]}}"
                    )
                elif level > 0:
                    pool = grants.get((track, level - 1), [])
                    if rng.random() < 1 / 6:
                        other = rng.randrange(tracks)
                        pool = pool + grants.get((other, level - 1), [])
                    needs = sorted(set(rng.sample(pool, min(len(pool), rng.randint(1, 2)))))
                    if len(needs) > 1 and rng.random() < 0.3:
                        lines.append(f"    requires: {{any: [{', '.join(needs)}]}}")
                    elif needs:
                        lines.append(f"    requires: [{', '.join(needs)}]")
                ids.setdefault((track, level), []).append(cid)
                grants.setdefault((track, level), []).append(grant)
    files["competencies.yaml"] = "competencies:\n" + "".join(
        f"  - {{id: {s}, title: {title(rng)}}}\n" for s in skills
    )
    files["credentials.yaml"] = "\n".join(lines) + "\n"
    outcomes = ["outcomes:"]
    for j in range(max(n // 25, 1)):
        track = j % tracks
        top = grants.get((track, LEVELS - 1), []) + grants.get((track, LEVELS - 2), [])
        needs = ", ".join(sorted(set(rng.sample(top, min(len(top), 3)))))
        outcomes.append(f"  - {{id: job-{j}, title: {title(rng)} Specialist, requires: [{needs}]}}")
    files["outcomes.yaml"] = "\n".join(outcomes) + "\n"
    return files


def timed(action: Callable[[], T], repeats: int) -> tuple[float, T]:
    times: list[float] = []
    result: T | None = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result


def run(n: int, keep: Path | None, repeats: int, kind: str, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "catalog"
        if kind == "mixed":
            shutil.copytree(generate_mixed(n, seed), root)
        else:
            root.mkdir()
            for name, text in catalog(n).items():
                (root / name).write_text(text, encoding="utf-8")

        def checked() -> Result:
            found = check(root, root, Options())
            _ = found.diagnostics  # check() reads; the catalog and rules run on demand
            return found

        t_check, result = timed(checked, repeats)
        errors = [d for d in result.diagnostics if d.severity.label == "error"]
        assert not errors, errors[:3]
        sem = result.context.semantics
        t_model, diagram = timed(lambda: project_map(sem), repeats)
        t_dot, dot_text = timed(lambda: to_dot(diagram), repeats)
        t_mermaid, _ = timed(lambda: to_mermaid(diagram), repeats)
        edges = len(diagram.edges)
        print(
            f"{n:>5} credentials: {len(diagram.nodes)} nodes, {edges} edges, "
            f"{len(diagram.columns)} columns"
        )
        print(f"       check (load, resolve, rules)  {t_check * 1000:9.1f} ms")
        print(f"       map model                     {t_model * 1000:9.1f} ms")
        size = f"{len(dot_text):,} bytes"
        print(f"       DOT text                      {t_dot * 1000:9.1f} ms  ({size})")
        print(f"       Mermaid text                  {t_mermaid * 1000:9.1f} ms")
        if not has_dot():
            print("       svg: skipped, Graphviz 'dot' is not installed")
            return
        t_svg, svg = timed(lambda: export(diagram, "svg"), 1)
        print(f"       SVG (dot -Tsvg)               {t_svg * 1000:9.1f} ms  ({len(svg):,} bytes)")
        credpath = [sys.executable, "-m", "credpath"]
        t_validate = median_run([*credpath, "validate", str(root), "--no-cache", "--quiet"], 3)[0]
        print(f"       credpath validate --no-cache  {t_validate * 1000:9.1f} ms  (median of 3)")
        start = time.perf_counter()
        process = subprocess.run(
            [*credpath, "render", str(root), "-o", str(Path(tmp) / "map.svg")],
            capture_output=True,
            check=False,
        )
        t_cli = time.perf_counter() - start
        code = process.returncode
        goal = "goal < 30 s" if n >= 2000 else "goal <= 6x validate"
        print(
            f"       credpath render -o map.svg    {t_cli * 1000:9.1f} ms  (exit {code}; "
            f"{t_cli / t_validate:.2f}x validate, {goal})"
        )
        start = time.perf_counter()
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "credpath",
                "render",
                str(root),
                "--all",
                "-o",
                str(Path(tmp) / "all"),
            ],
            capture_output=True,
            check=False,
        )
        t_all = time.perf_counter() - start
        code = process.returncode
        ratio = f"{t_all / t_cli:.2f}x the map, goal <= 2"
        print(
            f"       credpath render --all -o DIR  {t_all * 1000:9.1f} ms  (exit {code}; {ratio})"
        )
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"map-{n}.dot").write_text(dot_text, encoding="utf-8")
            (keep / f"map-{n}.svg").write_bytes(svg)
            (keep / f"map-{n}.png").write_bytes(export(diagram, "png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="120,500", help="catalog sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the fast phases")
    parser.add_argument("--keep", type=Path, help="write each map as DOT, SVG and PNG here")
    parser.add_argument(
        "--catalog",
        choices=["tracks", "mixed"],
        default="tracks",
        help="this file's generator (tracks of levels, one file) or bench/run.py's mixed one",
    )
    parser.add_argument("--seed", type=int, default=7, help="the mixed catalog's random seed")
    args = parser.parse_args()
    dot_version = "none"
    if has_dot():
        dot_version = subprocess.run(
            ["dot", "-V"], capture_output=True, text=True, check=False
        ).stderr.strip()
    print(f"Python {platform.python_version()} on {platform.machine()}; {dot_version}")
    seed = f", seed {args.seed}" if args.catalog == "mixed" else ""
    print(f"catalog: {args.catalog}{seed}")
    for n in (int(s) for s in args.sizes.split(",")):
        run(n, args.keep, args.repeat, args.catalog, args.seed)


if __name__ == "__main__":
    main()
