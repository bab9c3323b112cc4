"""The file is not safe, valid YAML in UTF-8.

Reported at the parser's line and column. Also: custom tags (``!!python/object``),
aliases that expand beyond 100,000 values, nesting deeper than 1,000, files
over ``max_file_mib`` (10 MiB by default), bytes that are not UTF-8, NUL bytes.
Always an error.

Failing::

    credentials:
      - id: sql-foundations
        title: [SQL Foundations

Gives::

    curriculum.yaml:3:12: error: the '[' opened here is not closed: end it with ']', and separate
      its items with ',' [yaml-syntax]

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
"""

from __future__ import annotations

from collections.abc import Iterator

from credpath.base.diagnostics import Diagnostic, Severity
from credpath.checks.context import Context
from credpath.checks.rules.base import Rule
from credpath.compiler.loader import Unparsable

ID = "yaml-syntax"


def check(ctx: Context) -> Iterator[Diagnostic]:
    sources = [ctx.catalog.config_source, *ctx.catalog.files]
    for source in sources:
        for problem in source.problems if source is not None else ():
            if isinstance(problem, Unparsable):
                yield diagnostic(problem)


def diagnostic(problem: Unparsable) -> Diagnostic:
    """The finding for a file that cannot be read, at the line where the author fixes it."""
    line, column, message = explain(problem)
    return Diagnostic(
        path=problem.source.display,
        line=line + 1,
        column=column + 1,
        rule=ID,
        message=message,
        severity=Severity.ERROR,
    )


def explain(problem: Unparsable) -> tuple[int, int, str]:
    """(0-based line, column, message): the parser's complaint in the author's words.

    libyaml finds an unclosed quote or bracket at the end of the file, and a
    missing ':' on the line after the key; the author fixes them where the quote,
    bracket or key began, so that is where these are reported.
    """
    if not problem.yaml:
        return problem.line, problem.column, problem.reason
    reason, context = problem.reason, problem.context
    lines = problem.source.text.splitlines()
    begun = problem.context_at or (problem.line, problem.column)

    def text_at(line: int) -> str:
        return lines[line] if 0 <= line < len(lines) else ""

    here = text_at(problem.line)
    char = here[problem.column] if problem.column < len(here) else ""
    if "tab" in reason or (char == "\t" and "cannot start any token" in reason):
        return (
            problem.line,
            problem.column,
            "a tab character in the indentation: YAML indents with spaces only; "
            "replace the tab with spaces",
        )
    if "nesting" in reason or "depth" in reason:
        return (
            problem.line,
            problem.column,
            f"{reason}: no curriculum nests this deep; flatten this part of the file",
        )
    if "quoted scalar" in context:
        quote = text_at(begun[0])[begun[1] : begun[1] + 1] or '"'
        return (
            *begun,
            f"the quote {quote} opened here is never closed: end the text with {quote}",
        )
    if "flow" in context:
        opened = _unclosed(lines, problem.line, problem.column)
        if opened is not None:
            line, column, opener = opened
            closer = "]" if opener == "[" else "}"
            return (
                line,
                column,
                f"the '{opener}' opened here is not closed: end it with '{closer}', "
                "and separate its items with ','",
            )
    if "simple key" in context and "':'" in reason:
        key_line = text_at(begun[0])
        word = key_line[begun[1] :].split(" #")[0].strip()
        if ":" in word:
            return (
                *begun,
                f"'{word}' needs a space after its ':' (write 'key: value'), or quotes "
                "if it is text",
            )
        return (*begun, f"'{word}' is not a 'key: value' pair: add ':' after the key")
    if "mapping values are not allowed" in reason:
        return (
            problem.line,
            problem.column,
            "a ':' that YAML cannot read here: if it is part of the text, put the whole "
            'value in quotes (title: "SQL: the basics"); otherwise indent this line like '
            "the keys above it",
        )
    if "expected '-' indicator" in reason or (
        "block mapping" in context and "expected key" in reason
    ):
        if here.lstrip().startswith("-"):
            return (
                problem.line,
                problem.column,
                "a list item ('- ...') where a 'key: value' is expected: indent it under "
                "a key that holds a list, or line it up with the items above",
            )
        return (
            problem.line,
            problem.column,
            f"this line is indented differently from the lines above it (from line "
            f"{begun[0] + 1}): line up each key of a mapping, and each '- ' item of a list",
        )
    if "cannot start any token" in reason and char:
        return (
            problem.line,
            problem.column,
            f"'{char}' cannot start a value: put the value in quotes",
        )
    hint = "check the indentation and quoting of this line and the one above it"
    said = f"{reason} ({context})" if context else reason
    return problem.line, problem.column, f"{said}: {hint}" if context else said


def _unclosed(lines: list[str], line: int, column: int) -> tuple[int, int, str] | None:
    """The last '[' or '{' still open at (line, column), skipping quotes and comments."""
    stack: list[tuple[int, int, str]] = []
    for number, text in enumerate(lines[: line + 1]):
        end = column if number == line else len(text)
        quote = ""
        for index, char in enumerate(text[:end]):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'" and (index == 0 or text[index - 1] in " [{,:"):
                quote = char
            elif char == "#" and (index == 0 or text[index - 1] in " \t"):
                break
            elif char in "[{":
                stack.append((number, index, char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


RULE = Rule(ID, __doc__ or "", check, Severity.ERROR, fixed=True)
