"""Commands for authors: ``rules``, ``explain``, ``schema`` and ``new``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from credpath.base.errors import UsageError
from credpath.commands import Document


def rules(_: None) -> Document:
    """Every rule: its id, default severity, which commands run it, what it finds."""
    from credpath.checks.rules import RULES
    from credpath.checks.rules._docs import default_text, runs_in

    width = max(len(rule_id) for rule_id in RULES)
    lines = [
        f"{rule.id:<{width}}  {default_text(rule):<14}  {runs_in(rule):<14}  "
        + rule.summary.replace("``", "`")
        for rule in RULES.values()
    ]
    return Document("".join(line + "\n" for line in lines))


def explain(rule_id: str) -> Document:
    """A rule's documentation, with a failing and a passing example."""
    from credpath.base.text import suggest
    from credpath.checks.rules import RULES
    from credpath.checks.rules._docs import default_text, runs_in, to_text

    found = RULES.get(rule_id.strip().strip("[]"))
    if found is None:
        raise UsageError(
            f"unknown rule '{rule_id}'{suggest(rule_id, RULES)}; `credpath rules` lists them"
        )
    return Document(
        f"{found.id}: {default_text(found)}, runs in {runs_in(found)}\n\n" + to_text(found.doc)
    )


def schema(kind: str) -> Document:
    """The JSON Schema of curriculum files or of credpath.yaml."""
    from credpath.compiler.schema import json_schema

    return Document(json_schema(kind))


@dataclass(frozen=True, kw_only=True)
class NewOptions:
    kind: str
    entry_id: str
    file: Path | None = None


def new(options: NewOptions) -> Document:
    """Append a template entry to a curriculum file, leaving the rest of it as it was."""
    from credpath.editor.new import KEYS, NewError, add_to_file

    target = options.file or Path(f"{KEYS[options.kind]}.yaml")
    try:
        line = add_to_file(target, options.kind, options.entry_id, Path.cwd())
    except NewError as exc:
        raise UsageError(str(exc)) from None
    return Document(
        f"{target}:{line}: added {options.kind} '{options.entry_id}'; fill in its TODOs, "
        f"then run `credpath lint {target}`\n"
    )
