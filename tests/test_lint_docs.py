"""Generated docs stay in step with the code; the CI integrations stay well-formed."""

from __future__ import annotations

from pathlib import Path

import yaml

from credpath.checks.report import REPORTERS
from credpath.checks.rules import RULES
from credpath.checks.rules._docs import markdown, to_markdown

ROOT = Path(__file__).parent.parent


def test_rules_md_is_up_to_date() -> None:
    """Regenerate with: .venv/bin/python -m credpath.checks.rules docs/rules.md"""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == markdown()


def test_rules_md_documents_every_rule() -> None:
    text = markdown()
    for rule_id in RULES:
        assert f"\n## {rule_id}\n" in text
        assert f"[`{rule_id}`](#{rule_id})" in text


def test_docstring_examples_become_yaml_blocks() -> None:
    doc = "Summary.\n\nFailing::\n\n    a: 1\n      b: 2\n\nPassing::\n\n    a: 2\n"
    assert to_markdown(doc) == (
        "Summary.\n\nFailing:\n\n```yaml\na: 1\n  b: 2\n```\n\nPassing:\n\n```yaml\na: 2\n```\n"
    )


def test_every_example_in_the_docs_is_yaml() -> None:
    for rule in RULES.values():
        blocks = [b.split("```")[0] for b in to_markdown(rule.doc).split("```yaml\n")[1:]]
        assert len(blocks) == 2, rule.id
        if rule.id == "yaml-syntax":
            blocks = blocks[1:]  # its failing example is broken YAML on purpose
        for block in blocks:
            yaml.safe_load(block)


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"credpath-validate", "credpath-lint"}
    assert by_id["credpath-validate"]["entry"] == "credpath validate"
    assert by_id["credpath-validate"]["pass_filenames"] is False
    assert by_id["credpath-lint"]["entry"] == "credpath lint"
    assert by_id["credpath-lint"].get("pass_filenames", True) is True
    for hook in hooks:
        assert hook["language"] == "python"
        assert {"name", "files"} <= set(hook)


def test_github_action() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"path", "command", "args", "sarif", "version", "diff-base"} <= set(action["inputs"])
    steps = action["runs"]["steps"]
    script = "\n".join(step.get("run", "") for step in steps)
    assert "--format github" in script
    assert "--format sarif" in script
    assert (
        'credpath diff "git:$BASE" "$TARGET" --format markdown >> "$GITHUB_STEP_SUMMARY"' in script
    )
    assert "graphviz" in script
    assert any(
        step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps
    )
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"


def test_ci_docs_name_every_format() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for name in REPORTERS:
        assert f"**{name}**" in text
    for hook in ("credpath-lint", "credpath-validate"):
        assert hook in text


def test_python_m_credpath_rules_writes_the_docs(tmp_path: Path) -> None:
    from credpath.checks.rules.__main__ import main

    assert main([str(tmp_path / "rules.md")]) == 0
    assert (tmp_path / "rules.md").read_text(encoding="utf-8") == markdown()
