"""The released wheel, installed as a user installs it, answers as the source tree does.

Every other test imports credpath from src/, so a wheel that lost the site's templates, its
script or any other file the commands read at run time would pass them and fail every
user. Here the sdist and the wheel are built as the release workflow builds them
(``python -m build``, the wheel from the sdist), the wheel is installed into a fresh
virtual environment outside the source tree, and the commands run from there, in a folder
outside the tree, on a copy of curricula/data-careers: each must print and write byte for
byte what the source tree's credpath prints and writes.

The wheel's dependencies come from the package index, pinned to the versions this
environment runs, so that both sides run the same libraries. ``CREDPATH_TEST_DIST=DIR``
tests the distributions already built into DIR instead (the release workflow tests the
very files it publishes).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pytest

import credpath

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "curricula" / "data-careers"

# Left out of the copy the build works from: version control, environments, caches and
# earlier builds, none of which a release build reads.
NOT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "*.py[cod]", ".*_cache",
    ".hypothesis", "node_modules",
)  # fmt: skip


@dataclass(frozen=True)
class Installed:
    """A virtual environment holding the wheel, and a folder outside the source tree."""

    venv: Path
    outside: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def credpath(self) -> Path:
        return self.venv / "bin" / "credpath"


def run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run a setup step; its output is shown only when it fails."""
    done = subprocess.run(command, cwd=cwd, env=user_env(), capture_output=True, timeout=300)
    output = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{output}"
    return done


def user_env() -> dict[str, str]:
    """This process's environment as a user's shell would have it: nothing pointing at src/,
    not inside GitHub Actions (which changes the default format), no result cache."""
    left_out = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "GITHUB_ACTIONS"}
    env = {name: value for name, value in os.environ.items() if name not in left_out}
    env["CREDPATH_NO_CACHE"] = "1"
    return env


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the sdist and the wheel, built from a copy of the source tree so
    that the build leaves nothing in it."""
    given = os.environ.get("CREDPATH_TEST_DIST")
    if given:
        return Path(given).resolve()
    work = tmp_path_factory.mktemp("release")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_IN_A_CHECKOUT, symlinks=True)
    run([sys.executable, "-m", "build", "--outdir", work / "dist", source], cwd=work)
    return work / "dist"


@pytest.fixture(scope="session")
def wheel(dist: Path) -> Path:
    (built,) = dist.glob("credpath-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("user")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=work)
    pins = work / "constraints.txt"
    pins.write_text("".join(f"{name}=={version}\n" for name, version in _versions().items()))
    # This environment's pip installs into the new one (ensurepip would take longer).
    target = ["--python", venv / "bin" / "python"]
    run([sys.executable, "-m", "pip", *target, "install", "--quiet", "-c", pins, wheel], cwd=work)
    outside = work / "outside"
    outside.mkdir()
    return Installed(venv, outside)


def _versions() -> dict[str, str]:
    """Every distribution this environment runs, by name, except credpath itself."""
    found: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = re.sub(r"[-_.]+", "-", distribution.metadata["Name"] or "").lower()
        if name and name != "credpath":
            found.setdefault(name, distribution.version)
    return found


def test_the_distributions_pass_twine_check(dist: Path) -> None:
    built = sorted(dist.glob("credpath-*"))
    version = credpath.__version__
    names = [f"credpath-{version}-py3-none-any.whl", f"credpath-{version}.tar.gz"]
    assert [path.name for path in built] == names
    run([sys.executable, "-m", "twine", "check", "--strict", *built], cwd=dist)


def test_the_wheel_holds_every_file_of_the_package_and_nothing_else(wheel: Path) -> None:
    package = ROOT / "src" / "credpath"
    expected = {
        "credpath/" + path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert sorted(expected - names) == []
    version = credpath.__version__
    assert {name.split("/")[0] for name in names} == {"credpath", f"credpath-{version}.dist-info"}
    assert wheel.name == f"credpath-{version}-py3-none-any.whl"


def test_the_installed_credpath_is_the_wheel_not_the_source_tree(installed: Installed) -> None:
    where = run(
        [installed.python, "-c", "import credpath; print(credpath.__file__)"],
        cwd=installed.outside,
    )
    module = Path(where.stdout.decode().strip()).resolve()
    assert module.is_relative_to(installed.venv.resolve())
    assert not module.is_relative_to(ROOT)
    version = run([installed.credpath, "--version"], cwd=installed.outside)
    assert version.stdout.decode() == f"credpath {credpath.__version__}\n"


# Each case runs its commands in turn in a folder holding a copy of curricula/data-careers,
# once with the source tree's credpath and once with the installed one.
@pytest.mark.parametrize(
    "commands",
    [
        pytest.param([["validate", "data-careers"]], id="validate"),
        pytest.param([["render", "data-careers", "--format", "dot"]], id="render-dot"),
        pytest.param(
            [["render", "data-careers", "-o", "map.svg"]],
            id="render-svg",
            marks=pytest.mark.skipif(not shutil.which("dot"), reason="needs Graphviz's dot"),
        ),
        pytest.param([["site", "data-careers", "-o", "site"]], id="site"),
        pytest.param(
            [
                ["export", "ctdl", "data-careers", "-o", "registry.json"],
                ["import", "ctdl", "registry.json", "-o", "imported"],
            ],
            id="export-ctdl-and-import",
        ),
        pytest.param([["export", "ob3", "data-careers", "-o", "badges"]], id="export-ob3"),
    ],
)
def test_the_installed_commands_answer_as_the_source_tree(
    installed: Installed, tmp_path: Path, commands: list[list[str]]
) -> None:
    answers: dict[str, list[tuple[int, bytes, bytes]]] = {}
    trees: dict[str, dict[str, bytes]] = {}
    for side, (program, env) in _sides(installed).items():
        folder = tmp_path / side
        shutil.copytree(PROJECT, folder / "data-careers")
        answers[side] = [_answer([*program, *command], folder, env) for command in commands]
        trees[side] = _tree(folder)
    for command, source, wheel in zip(commands, answers["source"], answers["wheel"], strict=True):
        shown = "credpath " + " ".join(command)
        assert source[0] == 0, f"{shown} from the source tree: {source[2].decode()}"
        assert wheel == source, f"{shown} from the wheel: exit {wheel[0]}, {wheel[2].decode()}"
    assert sorted(trees["wheel"]) == sorted(trees["source"])
    differing = [name for name in trees["source"] if trees["wheel"][name] != trees["source"][name]]
    assert differing == []


def _sides(installed: Installed) -> dict[str, tuple[list[str], dict[str, str]]]:
    """How to run credpath from the source tree (its src/ first on the path) and from the
    installed wheel, each with its environment."""
    from_source = {**user_env(), "PYTHONPATH": str(ROOT / "src")}
    return {
        "source": ([sys.executable, "-m", "credpath"], from_source),
        "wheel": ([str(installed.credpath)], user_env()),
    }


def _answer(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes, bytes]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_installed_language_server_answers_as_the_source_tree(
    installed: Installed, tmp_path: Path
) -> None:
    sessions = {}
    for side, (program, env) in _sides(installed).items():
        folder = tmp_path / side / "data-careers"
        shutil.copytree(PROJECT, folder)
        # The root's URI stands for either copy, so that the two sessions compare.
        text = json.dumps(_lsp_session([*program, "lsp"], env, folder))
        sessions[side] = json.loads(text.replace(folder.as_uri(), "file:///data-careers"))
    assert sessions["wheel"] == sessions["source"]
    initialized, published = sessions["source"]
    assert initialized["serverInfo"] == {"name": "credpath", "version": credpath.__version__}
    assert published["uri"] == "file:///data-careers/credentials/advanced.yaml"
    assert [(d["code"], d["range"]["start"]) for d in published["diagnostics"]] == [
        ("unknown-reference", {"line": 17, "character": 15})
    ]


def _lsp_session(command: list[str], env: dict[str, str], project: Path) -> list[dict[str, Any]]:
    """Initialize, open a file that names a credential that does not exist, shut down:
    the initialize result and the first findings published for that file."""
    opened = project / "credentials" / "advanced.yaml"
    text = opened.read_text(encoding="utf-8").replace(
        "requires: [sql-intermediate]", "requires: [sql-intermedate]", 1
    )
    received: queue.Queue[dict[str, Any] | None] = queue.Queue()
    with subprocess.Popen(
        command, cwd=project.parent, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as server:
        assert server.stdin is not None
        assert server.stdout is not None
        reader = threading.Thread(target=_read_messages, args=(server.stdout, received))
        reader.start()
        try:
            _send(server.stdin, id=1, method="initialize", params={
                "processId": None, "rootUri": project.as_uri(), "capabilities": {}
            })  # fmt: skip
            while (initialize := _next(received)).get("id") != 1:
                pass
            _send(server.stdin, method="initialized", params={})
            _send(server.stdin, method="textDocument/didOpen", params={"textDocument": {
                "uri": opened.as_uri(), "languageId": "yaml", "version": 1, "text": text
            }})  # fmt: skip
            while not (published := _findings_of(opened, _next(received))):
                pass
            _send(server.stdin, id=2, method="shutdown")
            while _next(received).get("id") != 2:
                pass
            _send(server.stdin, method="exit")
            assert server.wait(timeout=30) == 0
        finally:
            server.kill()
            server.wait()
            reader.join(timeout=30)
    return [initialize["result"], published]


def _findings_of(path: Path, message: dict[str, Any]) -> dict[str, Any] | None:
    """The params of a message publishing findings for ``path``, else None (a server may
    publish a file's findings as they were on disk before those of the opened text)."""
    params = message.get("params", {})
    publishes = message.get("method") == "textDocument/publishDiagnostics"
    if publishes and params["uri"] == path.as_uri() and params["diagnostics"]:
        return params
    return None


def _send(stream: IO[bytes], **message: Any) -> None:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    stream.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    stream.flush()


def _read_messages(stream: IO[bytes], into: queue.Queue[dict[str, Any] | None]) -> None:
    """Each message the server writes, then None when its output ends."""
    for message in _frames(stream):
        into.put(message)
    into.put(None)


def _frames(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    while True:
        headers = {}
        while (line := stream.readline()).strip():
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        if not headers:
            return
        yield json.loads(stream.read(int(headers["content-length"])))


def _next(received: queue.Queue[dict[str, Any] | None]) -> dict[str, Any]:
    message = received.get(timeout=60)
    assert message is not None, "the language server stopped answering"
    return message
