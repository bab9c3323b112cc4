"""A key is repeated in one mapping; only the first one is used.

Always an error: YAML loaders disagree about which value wins.

Failing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        title: SQL Basics
        type: course

Gives::

    curriculum.yaml:4:5: error: duplicate key 'title' in this mapping; only the first one is used
      [duplicate-key]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context
from credpath.checks.rules.base import Rule
from credpath.compiler.loader import DuplicateKey

ID = "duplicate-key"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for source in [ctx.catalog.config_source, *ctx.catalog.files]:
        for problem in source.problems if source is not None else ():
            if isinstance(problem, DuplicateKey):
                yield diagnostic(problem)


def diagnostic(problem: DuplicateKey) -> Diagnostic:
    return Diagnostic(
        path=problem.source.display,
        line=problem.line + 1,
        column=problem.column + 1,
        rule=ID,
        message=f"duplicate key '{problem.key}' in this mapping; only the first one is used",
        severity=Severity.ERROR,
        end_line=problem.end_line + 1,
        end_column=problem.end_column + 1,
    )


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR, fixed=True)
