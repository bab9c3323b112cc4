"""credpath.yaml: finding the project root and reading its configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from credpath.base.errors import UsageError
from credpath.compiler.files import (
    CONFIG_NAME,
    DEFAULT_MAX_FILE_MIB,
    MAX_IGNORE_PATTERNS,
    BadPattern,
    display_path,
    has_config,
    ignore_spec,
    pattern_count,
    read_file,
)
from credpath.compiler.loader import SourceFile

if TYPE_CHECKING:
    from credpath.compiler.loader import DuplicateKey, Unparsable
    from credpath.compiler.model import Config


class RuleBook(Protocol):
    """What credpath.yaml is checked against: the rules it may name, those always errors,
    and the rules' words for a file that cannot be read. The rules (``checks.rules``)
    provide it, so that the compiler names no rule itself."""

    @property
    def known(self) -> frozenset[str]: ...

    @property
    def fixed(self) -> frozenset[str]: ...

    def unreadable(self, problem: Unparsable | DuplicateKey) -> str:
        """The finding line (``file:line:col: error: ... [rule]``) for ``problem``."""
        ...


class ConfigError(UsageError):
    """A problem in credpath.yaml or with the path given: exit code 2, one line for the user."""


def find_root(target: Path) -> tuple[Path, tuple[Path, ...]]:
    """The project holding ``target``, and the files named (none for a folder).

    The root is the nearest folder, from ``target`` up, with a credpath.yaml; without
    one, the folder itself (or the file's folder). So a file or a sub-folder of a
    project is checked with the whole project around it. A credpath.yaml that is a link
    or a FIFO still marks the root: reading it then says what is wrong.
    """
    if not target.exists():
        raise ConfigError(f"{target}: no such file or folder")
    if not target.is_dir() and target.suffix.lower() not in {".yaml", ".yml"}:
        raise ConfigError(
            f"{target}: not a curriculum file: give a .yaml or .yml file, or a folder"
        )
    # Absolute, so that a relative path named from a sub-folder finds credpath.yaml above it.
    absolute = target.absolute()
    folder = absolute if absolute.is_dir() else absolute.parent
    root = next((f for f in [folder, *folder.parents] if has_config(f)), folder)
    return root, () if absolute.is_dir() else (absolute,)


def load_config(root: Path, cwd: Path, rules: RuleBook) -> tuple[Config, SourceFile | None]:
    """Read ``root/credpath.yaml``; any problem is a ConfigError naming file:line:col."""
    from pydantic import ValidationError

    from credpath.compiler.model import Config

    path = root / CONFIG_NAME
    if not has_config(root):
        return Config(), None
    source = read_file(
        path, display_path(path, cwd), int(DEFAULT_MAX_FILE_MIB * 2**20), inside=root
    )
    if source.problems:
        raise ConfigError(rules.unreadable(source.problems[0]))
    documents = [d for d in source.documents if d is not None]
    if len(documents) > 1:
        line = source.locate((1,))[0]
        raise ConfigError(
            f"{source.display}:{line}:1: credpath.yaml holds one YAML document, not several"
        )
    raw = documents[0] if documents else {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source.display}:1:1: credpath.yaml must be a mapping of settings")
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        from credpath.compiler.model_errors import describe_error

        error = exc.errors()[0]
        path_ = (0, *error["loc"])
        at_key = error["type"] == "extra_forbidden"
        line, column, _, _ = source.locate(path_, key=at_key)
        raise ConfigError(
            f"{source.display}:{line}:{column}: {describe_error(error, Config)}"
        ) from None
    _check_exclude(config.exclude, source)
    from credpath.base.text import suggest

    for rule in config.rules:
        if rule not in rules.known:
            line, column, _, _ = source.locate((0, "rules", rule), key=True)
            raise ConfigError(
                f"{source.display}:{line}:{column}: unknown rule '{rule}' under rules:"
                f"{suggest(rule, rules.known)}"
            )
        if rule in rules.fixed and config.rules[rule] != "error":
            line, column, _, _ = source.locate((0, "rules", rule))
            raise ConfigError(
                f"{source.display}:{line}:{column}: '{rule}' is always an error: a file that "
                "cannot be read cannot be checked; remove it from rules:"
            )
    return config, source


def _check_exclude(exclude: list[str], source: SourceFile) -> None:
    """The ``exclude`` patterns must compile to a linear-time matcher (files.ignore_spec),
    and stay within the project's budget of ignore patterns."""
    if pattern_count(exclude) > MAX_IGNORE_PATTERNS:
        line, column, _, _ = source.locate((0, "exclude"))
        raise ConfigError(
            f"{source.display}:{line}:{column}: more than {MAX_IGNORE_PATTERNS:,} patterns "
            "under exclude: credpath does not match them"
        )
    try:
        ignore_spec(exclude)
    except BadPattern as exc:
        at = (0, "exclude", exc.number - 1) if exc.number else (0, "exclude")
        line, column, _, _ = source.locate(at)
        raise ConfigError(exc.describe(f"{source.display}:{line}:{column}", exclude)) from None
