"""``credpath new``: append a template entry to a curriculum file, as text.

The file is never re-dumped through a YAML writer: comments, key order and
quoting stay exactly as the author wrote them. The entry goes at the end of the
last document's list for its kind (or into a new list at the end of the file),
indented like the entries before it, and the new text is parsed again before it
is written. The template's placeholders (TODO) are what ``placeholder-text``
looks for, so ``credpath lint`` keeps reminding the author until they are filled.

The file is added to only when it is a regular file, read with the project's size
limit: a ``credentials.yaml`` committed as a symlink to a file outside the project
(an editor's token file) would otherwise be read and replaced by a copy of that
file's content plus the entry, ready to be committed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credpath.base.output import rewrite
from credpath.compiler.files import CONFIG_NAME, Unreadable, read_bytes
from credpath.compiler.loader import Positions, YamlError, parse
from credpath.compiler.model import ID_PATTERN

if TYPE_CHECKING:
    from credpath.compiler.model import Config

KEYS = {"credential": "credentials", "competency": "competencies", "outcome": "outcomes"}

TEMPLATES = {
    "credential": """\
- id: {id}
  title: TODO title of {id}
  type: micro-credential  # or course, badge, certificate, certification, degree, ...
  status: draft  # active once it is published
  provider: TODO provider
  description: TODO what a learner can do after earning it
  # url: https://...
  # workload: {{hours: 50, ects: 2}}
  # eqf: 4
  # assessment: how learning is assessed
  # participation: online  # online | in-person | blended
  # quality_assurance: who assures its quality
  requires: []  # what a learner must hold first, e.g. [sql-foundations, python@1]
  grants: []  # the competencies it certifies, e.g. [sql@1]
""",
    "competency": """\
- id: {id}
  title: TODO title of {id}
  description: TODO what someone with this competency can do
  # kind: skill  # skill | knowledge | competence
  # levels: [Foundational, Intermediate, Advanced]
""",
    "outcome": """\
- id: {id}
  title: TODO title of {id}
  description: TODO the role and what it involves
  requires: []  # what the job needs, e.g. [sql@2, data-visualisation@1]
""",
}

_ID = re.compile(ID_PATTERN)
_BREAK = re.compile("(\r\n|[\r\n\x85\u2028\u2029])")
"""Line breaks as libyaml counts them, kept so that the file can be put back together."""


class NewError(Exception):
    """The entry cannot be added: a bad id, one already taken, or a file to fix first."""


def add_to_file(path: Path, kind: str, entry_id: str, cwd: Path) -> int:
    """Append a ``kind`` template with ``entry_id`` to ``path``; return the line of its id."""
    if not _ID.fullmatch(entry_id) or len(entry_id) > 80:
        raise NewError(
            f"'{entry_id}' is not a valid id: use lowercase letters, digits and single "
            "'-', '_' or '.' between them (at most 80 characters)"
        )
    folder = path.parent
    if not folder.is_dir():
        raise NewError(f"{folder}: no such folder")
    if path.is_symlink():
        raise NewError(
            f"{path}: is a symbolic link; credpath new adds only to a regular file, "
            "never through a link: give the file it points at with --file if you mean it"
        )
    config = _check_unused(folder, entry_id, cwd)
    try:
        data = (
            read_bytes(path, int(config.max_file_mib * 2**20), inside=folder)
            if path.exists()
            else b""
        )
        text = data.decode("utf-8-sig")
    except Unreadable as exc:
        raise NewError(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise NewError(f"{path}: cannot read it as UTF-8 text ({exc})") from None
    try:
        updated, line = add_entry(text, kind, entry_id)
    except NewError as exc:
        raise NewError(f"{path}: {exc}") from None
    rewrite(path, updated.encode("utf-8"))
    return line


def _check_unused(folder: Path, entry_id: str, cwd: Path) -> Config:
    """Ids are unique across the project: refuse one that is taken. Returns the project's
    configuration (its file size limit applies to the file added to)."""
    from credpath.checks.rules import RULE_BOOK
    from credpath.compiler.project import open_project
    from credpath.compiler.resolve import build_catalog

    root = next((f for f in [folder, *folder.parents] if (f / CONFIG_NAME).is_file()), folder)
    project = open_project(root, cwd, RULE_BOOK, require_files=False)
    catalog = build_catalog(project.config, project.config_source, project.parse())
    existing = catalog.entry(entry_id)
    if existing is not None:
        raise NewError(f"id '{entry_id}' is already used at {existing.origin.locate('id')}")
    return project.config


def add_entry(text: str, kind: str, entry_id: str) -> tuple[str, int]:
    """``text`` with a ``kind`` template appended, and the 1-based line of the new id."""
    key = KEYS[kind]
    if text and not _BREAK.search(text[-2:]):
        text += "\r\n" if "\r\n" in text else "\n"
    positions = Positions()
    try:
        documents = parse(text, positions).documents
    except YamlError as exc:
        raise NewError(
            f"line {exc.line + 1}: {exc.message}; fix the file before adding to it"
        ) from None
    parts = _BREAK.split(text)
    lines, breaks = parts[0::2], parts[1::2]
    newline = "\r\n" if "\r\n" in breaks else "\n"
    template = TEMPLATES[kind].format(id=f'"{entry_id}"' if entry_id == "null" else entry_id)
    index = len(documents) - 1
    document = documents[-1] if documents else None
    if document is not None and not isinstance(document, dict):
        raise NewError("its last document is not a mapping of outcomes, competencies, ...")
    if document is None or key not in document:
        places = [_at_end(lines, key, template)]
    else:
        places = _in_list(lines, positions, (index, key), document[key], template)
    for at, block in places:
        new_lines = lines[:at] + block + lines[at:]
        new_breaks = [*breaks[:at], *[newline] * len(block), *breaks[at:], ""]
        updated = "".join(line + brk for line, brk in zip(new_lines, new_breaks, strict=True))
        line = _verify(updated, key, entry_id, documents)
        if line is not None:
            return updated, line
    raise NewError("could not add the entry without changing the entries before it; add it by hand")


def _at_end(lines: list[str], key: str, template: str) -> tuple[int, list[str]]:
    """A new ``key:`` list at the end of the file (which ends with a line break)."""
    end = len(lines) - 1
    block = [] if end == 0 or not lines[end - 1].strip() else [""]
    block += [f"{key}:"] + ["  " + line for line in template.splitlines()]
    return end, block


def _in_list(
    lines: list[str], positions: Positions, path: tuple[int, str], value: Any, template: str
) -> list[tuple[int, list[str]]]:
    """Where, and how indented, the template can go at the end of an existing list.

    Right after the last entry's text, else after the blank lines that follow it
    (they belong to a ``|+`` block scalar, which keeps its trailing blank lines).
    """
    key_line = positions.keys[path][0]
    if value is None:
        rest = lines[key_line].split(":", 1)[1].strip() if ":" in lines[key_line] else ""
        if rest and not rest.startswith("#"):
            raise NewError(f"'{path[1]}' has no list to add to: write '{path[1]}:' on its own")
        return [(key_line + 1, ["  " + line for line in template.splitlines()])]
    if not isinstance(value, list):
        raise NewError(f"'{path[1]}' is not a list")
    start = positions.values[path]
    if lines[start[0]][start[1] :].startswith("["):
        raise NewError(
            f"'{path[1]}' is written as a flow list [...]: write it as a block list "
            "(one '- ' entry a line) to add to it"
        )
    last = len(value) - 1
    item = positions.values[(*path, last)]
    dash = lines[item[0]][: item[1]].rfind("-")
    indent = " " * (dash if dash >= 0 else positions.keys[path][1] + 2)
    end = _last_line(lines, positions, (*path, last))
    above = item[0] - 1
    block = [""] if above > key_line and not lines[above].strip() else []
    block += [indent + line for line in template.splitlines()]
    after_blanks = end
    while after_blanks + 1 < len(lines) - 1 and not lines[after_blanks + 1].strip():
        after_blanks += 1
    return [(end + 1, block), (after_blanks + 1, block)]


def _last_line(lines: list[str], positions: Positions, prefix: tuple[int | str, ...]) -> int:
    """The last line (0-based) holding text of the entry at ``prefix``.

    A block mapping's end is where the next token starts, so only the leaves
    (scalars, and flow collections) tell where an entry's text really ends; and
    a block scalar's end takes in the blank lines after it.
    """
    inside = [p for p in positions.values if p[: len(prefix)] == prefix]
    parents = {p[:-1] for p in inside}
    last = positions.values[prefix][0]
    for p in inside:
        if p in parents:
            continue
        _, _, end_line, end_column = positions.values[p]
        last = max(last, end_line if end_column > 0 else end_line - 1)
    while last > 0 and not lines[last].strip():
        last -= 1
    return last


def _verify(text: str, key: str, entry_id: str, before: list[Any]) -> int | None:
    """The line of the new id in ``text``, or None unless every earlier value is unchanged."""
    positions = Positions()
    try:
        documents = parse(text, positions).documents
    except YamlError:
        return None
    for index in range(len(documents) - 1, -1, -1):
        document = documents[index]
        entries = document.get(key) if isinstance(document, dict) else None
        if isinstance(entries, list) and entries:
            last = entries[-1]
            if isinstance(last, dict) and last.get("id") == entry_id:
                line: int = positions.values[(index, key, len(entries) - 1, "id")][0] + 1
                entries.pop()
                if not entries:  # the list is new, or was written as 'key:' with nothing
                    earlier = before[index] if index < len(before) else None
                    if isinstance(earlier, dict) and key in earlier:
                        document[key] = earlier[key]
                    else:
                        del document[key]
                    if not document and earlier is None:
                        documents[index : index + 1] = [None] if index < len(before) else []
                return line if documents == before else None
    return None
