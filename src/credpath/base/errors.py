"""The errors a user can fix by changing how they call credpath: exit code 2, one line."""

from __future__ import annotations


class UsageError(Exception):
    """A usage, configuration, path or I/O problem: one line for the user, exit code 2."""
