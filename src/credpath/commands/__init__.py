"""CLI command groups, one module each, so that each stays small and imports lazily.

The two helpers here are what every command shares: one way to stop with a usage
error, and one way to load a project that turns a configuration error into it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from credpath.engine import Result

EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """One line on stderr, then exit (2 for a usage or configuration error)."""
    typer.echo(f"credpath: {message}", err=True)
    raise typer.Exit(code)


def load(path: Path, *, no_drafts: bool = False) -> Result:
    """Check the project holding ``path``; a configuration error exits 2."""
    from credpath.config import ConfigError
    from credpath.context import Options
    from credpath.engine import check

    try:
        return check(path, Path.cwd(), Options(no_drafts=no_drafts))
    except ConfigError as exc:
        fail(str(exc))
