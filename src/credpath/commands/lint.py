"""CLI commands: lint. Registered on the app by credpath.cli; imports the core lazily."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
