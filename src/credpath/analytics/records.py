"""Learner records in: CSV, Parquet, Open Badges 3.0 and xAPI, as one table of events.

Every source becomes rows of (learner, credential, date, event) text in DuckDB, the
learner hashed on the way in, so the identifier itself is never stored, printed or
written. Each distinct credential value is then matched with the project once (its id
without regard to case, its ``url``, its CTID or the achievement id ``export ob3``
writes), each distinct date read once (ISO 8601: ``2024-03-01``, or the date part of a
timestamp as written), each distinct event word mapped once (``EVENT_WORDS`` and
``--events``); one join of the rows with those small tables makes a typed table, from
which the events up to ``--as-of`` go to the table ``events(learner, credential, day,
kind)``, the credential and the kind as DuckDB enums (``credential`` in id order). The
same event twice is left for the analysis's first pass to drop (``ReadSummary.events``
is set there). Rows that cannot be read are skipped and counted, with their first
positions; no message quotes a learner.

DuckDB errors are never shown as they are: their text can quote a row.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credpath.base.errors import UsageError
from credpath.base.json_input import JsonInputError, parse_json, read_json
from credpath.base.text import escape, suggest

if TYPE_CHECKING:
    import duckdb

    from credpath.compiler.resolve import Catalog

FIELDS = ("learner", "credential", "date", "event")
"""What a row holds; ``event`` may be missing (every row is then an earning)."""

EVENT_KINDS = ("earned", "started", "withdrawn", "failed")

EVENT_WORDS = {
    **{kind: kind for kind in EVENT_KINDS},
    "completed": "earned",
    "passed": "earned",
    "registered": "started",
    "launched": "started",
    "initialized": "started",
}
"""Event words understood without ``--events`` (case does not matter): the four kinds,
and the xAPI verbs (the last part of the verb's id)."""

ENCODINGS = ("utf-8", "utf-16", "latin-1")
"""The encodings DuckDB reads CSV in without an extension."""

POSITIONS_SHOWN = 5
HINT_VALUES = 20
"""At most this many distinct unmatched values are quoted (a misnamed column, such as a
learner column given as the credential, would have many: then none are quoted)."""

Step = Callable[[str], None]
"""Told what a long piece of work is about to do (``credpath drift`` shows it on stderr)."""


def no_step(label: str) -> None:
    """The ``Step`` of a caller that shows no progress."""


class RecordsError(UsageError):
    """Records that cannot be read at all (exit 2); the message names the file, never a value
    of the learner column."""


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    columns: Mapping[str, str] = field(default_factory=dict)
    """Field (learner, credential, date, event) -> the column that holds it."""
    events: Mapping[str, str] = field(default_factory=dict)
    """Event word (lower case) -> earned, started, withdrawn or failed."""
    encoding: str = "utf-8"
    as_of: date | None = None


@dataclass(frozen=True)
class Skipped:
    reason: str
    count: int
    positions: tuple[str, ...]


@dataclass(frozen=True)
class ReadSummary:
    files: tuple[str, ...]
    rows: int
    events: int
    """Events kept; ``read_records`` counts every row kept, the analysis the distinct ones."""
    duplicates: int
    after_as_of: int
    as_of: date
    skipped: tuple[Skipped, ...]
    hints: tuple[str, ...]


def parse_columns(text: str) -> dict[str, str]:
    """``learner=student_id,credential=course_code`` as a mapping; a usage error otherwise."""
    mapping = _pairs(text, "--columns")
    for name in mapping:
        if name not in FIELDS:
            raise UsageError(
                f"--columns: unknown field '{name}'{suggest(name, FIELDS)}; "
                f"the fields are {', '.join(FIELDS)}"
            )
    return mapping


def parse_events(text: str) -> dict[str, str]:
    """``Pass=earned,Withdrawn=withdrawn`` as word (lower case) -> event kind."""
    mapping = {}
    for word, kind in _pairs(text, "--events").items():
        if kind not in EVENT_KINDS:
            raise UsageError(
                f"--events: '{kind}' is not an event{suggest(kind, EVENT_KINDS)}; "
                f"the events are {', '.join(EVENT_KINDS)}"
            )
        mapping[word.lower()] = kind
    return mapping


def _pairs(text: str, option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UsageError(f"{option}: '{part}' is not NAME=VALUE")
        pairs[name.strip()] = value.strip()
    return pairs


# -- sources ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Source:
    display: str
    kind: str
    """csv, parquet, lines (JSON lines), items (a JSON array) or document (one JSON file)."""
    rejected: tuple[int, ...] = ()
    """CSV lines DuckDB refused (sorted): the lines of the rows kept step over them."""

    def position(self, record: int, line: bool = False) -> str:
        """Where a row is: its line (from the record number, stepping over refused lines; or
        the line itself), its row in a Parquet file, its item in a JSON array."""
        if line:
            return f"{self.display}:{record}"
        if self.kind == "csv":
            number = record + 2  # the header is line 1
            for refused in self.rejected:
                if refused <= number:
                    number += 1
            return f"{self.display}:{number}"
        if self.kind == "lines":
            return f"{self.display}:{record}"
        if self.kind == "parquet":
            return f"{self.display} (row {record + 1:,})"
        if self.kind == "items":
            return f"{self.display} (item {record + 1:,})"
        return self.display


_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "lines"}
_SUFFIXES[".ndjson"] = "lines"


def _files(paths: Sequence[Path]) -> list[Path]:
    """Each file named, and the record files (by suffix) in each folder named, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES
            )
            if not inside:
                raise RecordsError(
                    f"{escape(str(path))}: a folder with no records "
                    "(.csv, .parquet, .json, .jsonl or .ndjson files)"
                )
            found.extend(inside)
        elif not path.exists():
            raise RecordsError(f"{escape(str(path))}: no such file or folder")
        else:
            found.append(path)
    return found


def read_records(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    catalog: Catalog,
    options: ReadOptions,
    step: Step = no_step,
) -> ReadSummary:
    """Read every record file into the table ``events(learner, credential, day, kind)``."""
    files = _files(paths)
    con.execute(
        "CREATE TABLE raw (src INTEGER, rec BIGINT, learner UBIGINT, credential VARCHAR, "
        "date VARCHAR, event VARCHAR, flaw VARCHAR)"
    )
    sources = []
    for index, path in enumerate(files):
        kind = _SUFFIXES.get(path.suffix.lower(), "csv")
        display = escape(str(path))
        step(f"Reading {display}")
        if kind == "csv":
            sources.append(_read_csv(con, index, path, display, options))
        elif kind == "parquet":
            sources.append(_read_parquet(con, index, path, display, options))
        else:
            sources.append(_read_json(con, index, path, display, kind))
    step("Matching the records with the project")
    return _clean(con, sources, catalog, options)


def _columns(display: str, found: Sequence[str], options: ReadOptions) -> dict[str, str | None]:
    """The column of each field, by its name (or without regard to case); exit 2 naming the
    columns found and those expected when one is missing."""
    chosen: dict[str, str | None] = {}
    missing = []
    for name in FIELDS:
        wanted = options.columns.get(name, name)
        exact = [c for c in found if c == wanted]
        loose = [c for c in found if c.strip().lower() == wanted.lower()]
        column = exact[0] if exact else loose[0] if len(loose) == 1 else None
        if column is None and (name != "event" or "event" in options.columns):
            missing.append(f"'{wanted}' ({name})" if wanted != name else f"'{name}'")
        chosen[name] = column
    if missing:
        shown = ", ".join(f"'{escape(c)}'" for c in found[:20]) + (
            ", ..." if len(found) > 20 else ""
        )
        raise RecordsError(
            f"{display}: no column {', '.join(missing)}; the columns are {shown or 'none'}. "
            "Expected learner, credential, date and (optional) event: name yours with "
            "--columns learner=...,credential=...,date=...,event=..."
        )
    return chosen


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _insert(
    con: duckdb.DuckDBPyConnection,
    index: int,
    rec: str,
    columns: dict[str, str | None],
    source: str,
) -> None:
    """Append a file's rows to ``raw``, straight from its reader (``source``), in file order:
    ``rec`` numbers them (``row_number() OVER ()`` follows the file)."""
    learner, credential, date_, event = (columns[f] for f in FIELDS)
    assert learner is not None
    assert credential is not None
    assert date_ is not None
    event_sql = f"CAST({_quote(event)} AS VARCHAR)" if event is not None else "'earned'"
    con.execute(
        f"INSERT INTO raw SELECT {index}, {rec}, "
        f"CASE WHEN trim(coalesce(CAST({_quote(learner)} AS VARCHAR), '')) = '' THEN NULL "
        f"ELSE hash(trim(CAST({_quote(learner)} AS VARCHAR))) END, "
        f"CAST({_quote(credential)} AS VARCHAR), CAST({_quote(date_)} AS VARCHAR), {event_sql}, "
        "NULL "
        f"FROM {source}"
    )


def _header(path: Path, display: str, encoding: str, hint: str) -> tuple[list[str], bool]:
    """The header's cells, and whether a row follows; only the first line is decoded here
    (DuckDB finds a bad byte further on, with its line)."""
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    with open(path, "rb") as handle:
        if encoding == "utf-16":
            first = handle.read(2**20)
            text = first.decode(codec, errors="replace").splitlines(keepends=True)
            line, rest = (text[0] if text else ""), "".join(text[1:]).strip()
        else:
            raw = handle.readline(2**20)
            try:
                line = raw.decode(codec)
            except UnicodeError:
                raise RecordsError(f"{display}:1: not valid {encoding} text; {hint}") from None
            rest = handle.read(4096).strip().decode("latin-1")
    if not line.strip():
        raise RecordsError(f"{display}: an empty file")
    try:
        header = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        raise RecordsError(f"{display}:1: the header is not a CSV line") from None
    return header, bool(rest)


def _read_csv(
    con: duckdb.DuckDBPyConnection, index: int, path: Path, display: str, options: ReadOptions
) -> _Source:
    import duckdb

    encoding = options.encoding
    hint = f"name the file's encoding with --encoding ({', '.join(ENCODINGS)})"
    header, has_row = _header(path, display, encoding, hint)
    if not has_row:
        raise RecordsError(f"{display}: no records (only a header)")
    if len(set(header)) != len(header):
        twice = sorted({c for c in header if header.count(c) > 1})
        raise RecordsError(f"{display}:1: the column '{escape(twice[0])}' appears twice")
    chosen = _columns(display, header, options)
    names = ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in header)
    rejects, scans = f"rejects_{index}", f"scans_{index}"
    try:
        _insert(
            con,
            index,
            "row_number() OVER () - 1",
            chosen,
            f"read_csv({_literal(str(path))}, "
            f"columns={{{names}}}, header=true, auto_detect=false, delim=',', quote='\"', "
            f"escape='\"', encoding={_literal(encoding)}, store_rejects=true, "
            f"rejects_table='{rejects}', rejects_scan='{scans}', rejects_limit=0)",
        )
        refused = con.execute(
            f"SELECT line, bool_or(error_type = 'INVALID ENCODING') FROM {rejects} "
            "GROUP BY line ORDER BY line"
        ).fetchall()
        bad_text = [line for line, encoding_error in refused if encoding_error]
        if bad_text:
            raise RecordsError(f"{display}:{bad_text[0]}: not valid {encoding} text; {hint}")
        con.execute(
            "INSERT INTO raw SELECT ?, line, NULL, NULL, NULL, NULL, 'malformed' "
            f"FROM (SELECT DISTINCT line FROM {rejects})",
            [index],
        )
    except duckdb.OutOfMemoryException:
        raise  # not the file's fault: ``database`` says what happened
    except duckdb.Error:
        raise RecordsError(f"{display}: not a CSV file credpath can read") from None
    finally:
        for table in (rejects, scans):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return _Source(display, "csv", tuple(line for line, _ in refused))


def _read_parquet(
    con: duckdb.DuckDBPyConnection, index: int, path: Path, display: str, options: ReadOptions
) -> _Source:
    import duckdb

    try:
        described = con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({_literal(str(path))})"
        ).fetchall()
        chosen = _columns(display, [row[0] for row in described], options)
        _insert(
            con,
            index,
            "file_row_number",
            chosen,
            f"read_parquet({_literal(str(path))}, file_row_number=true)",
        )
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error:
        raise RecordsError(f"{display}: not a Parquet file credpath can read") from None
    count = con.execute("SELECT count(*) FROM raw WHERE src = ?", [index]).fetchone()
    if not count or not count[0]:
        raise RecordsError(f"{display}: no records")
    return _Source(display, "parquet")


# -- JSON: Open Badges 3.0 credentials and xAPI statements --------------------------------
def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _get(item: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item


def _xapi_learner(actor: object) -> str | None:
    """The actor's inverse functional identifier (mbox, its hash, openid or account)."""
    for key in ("mbox", "mbox_sha1sum", "openid"):
        found = _text(_get(actor, key))
        if found:
            return found
    home, name = _text(_get(actor, "account", "homePage")), _text(_get(actor, "account", "name"))
    return f"{home}\n{name}" if home and name else None


def _ob3_learner(subject: object) -> str | None:
    found = _text(_get(subject, "id"))
    if found:
        return found
    identifiers = _get(subject, "identifier")
    first = identifiers[0] if isinstance(identifiers, list) and identifiers else identifiers
    return _text(_get(first, "identityHash"))


def _row(item: object) -> tuple[str | None, str | None, str | None, str | None] | None:
    """(learner, credential, date, event) of an xAPI statement or an OB3 credential; None
    for anything else."""
    if isinstance(item, dict) and "actor" in item and "verb" in item:
        return (
            _xapi_learner(item["actor"]),
            _text(_get(item, "object", "id")),
            _text(item.get("timestamp")),
            _text(_get(item, "verb", "id")) or "",
        )
    if isinstance(item, dict) and "credentialSubject" in item:
        subject = item["credentialSubject"]
        return (
            _ob3_learner(subject),
            _text(_get(subject, "achievement", "id")),
            _text(item.get("validFrom")) or _text(item.get("issuanceDate")),
            "earned",
        )
    return None


def _json_items(path: Path, display: str, kind: str) -> tuple[str, Iterator[tuple[int, object]]]:
    """How positions read (lines, items, document) and the items with their numbers."""
    if kind == "lines":
        return "lines", _json_lines(path, display)
    try:
        document = read_json(path)
    except JsonInputError as error:
        raise RecordsError(f"{display}: {error}") from None
    statements = _get(document, "statements")
    items = statements if isinstance(statements, list) else document
    if isinstance(items, list):
        return "items", iter(enumerate(items))
    return "document", iter([(0, items)])


def _json_lines(path: Path, display: str) -> Iterator[tuple[int, object]]:
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield number, parse_json(line)
                except JsonInputError as error:
                    raise RecordsError(f"{display}:{number}: {error}") from None


def _read_json(
    con: duckdb.DuckDBPyConnection, index: int, path: Path, display: str, kind: str
) -> _Source:
    shape, items = _json_items(path, display, kind)
    columns: list[list[Any]] = [[], [], [], [], [], []]
    for number, item in items:
        row = _row(item)
        learner, credential, when, event = row or (None, None, None, None)
        values = (number, learner, credential, when, event, None if row else "record")
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    if not columns[0]:
        raise RecordsError(f"{display}: no records")
    con.execute(
        "INSERT INTO raw SELECT $index, rec, CASE WHEN trim(coalesce(l, '')) = '' THEN NULL "
        "ELSE hash(trim(l)) END, c, d, e, f FROM (SELECT unnest($rec) AS rec, unnest($l) AS l, "
        "unnest($c) AS c, unnest($d) AS d, unnest($e) AS e, unnest($f) AS f)",
        dict(zip(("rec", "l", "c", "d", "e", "f"), columns, strict=True), index=index),
    )
    return _Source(display, shape)


# -- one pass: match, parse, map, count what is skipped ------------------------------------
_REASONS = {
    "malformed": "rows that are not CSV rows of the header's width",
    "record": "items that are neither an xAPI statement nor an Open Badges credential",
    "learner": "rows with no learner",
    "date": "rows whose date is not an ISO 8601 date",
    "credential": "rows whose credential matches nothing in the project",
    "event": "rows whose event is not mapped (--events)",
}


def _names(catalog: Catalog) -> list[tuple[str, str]]:
    """Every value that names a credential (lower case) -> its id: the id, its url, its
    CTID and the achievement id of ``export ob3``."""
    from credpath.publish.ctdl import entity_ctid, settings
    from credpath.publish.ob3 import achievement_id

    base = settings(catalog, True).base
    names: dict[str, str] = {}
    for credential_id in sorted(catalog.credentials, reverse=True):  # the first id wins
        model = catalog.credentials[credential_id].model
        keys = [credential_id, achievement_id(catalog, credential_id)]
        keys.append(entity_ctid(base, "credential", credential_id, model.ctid))
        if model.url:
            keys.append(model.url)
        for key in keys:
            names[key.strip().lower()] = credential_id
    return sorted(names.items())


def _clean(
    con: duckdb.DuckDBPyConnection,
    sources: list[_Source],
    catalog: Catalog,
    options: ReadOptions,
) -> ReadSummary:
    ids = sorted(catalog.credentials)
    con.execute(f"CREATE TYPE credential AS ENUM ({', '.join(map(_literal, ids))})")
    con.execute(f"CREATE TYPE kind AS ENUM ({', '.join(map(_literal, EVENT_KINDS))})")
    names = _names(catalog)
    con.execute(
        "CREATE TABLE credential_values AS SELECT v.text, CAST(n.credential AS credential) "
        "AS credential FROM (SELECT DISTINCT credential AS text FROM raw) v "
        "LEFT JOIN (SELECT unnest($1) AS key, unnest($2) AS credential) n "
        "ON n.key = lower(trim(v.text))",
        [[k for k, _ in names], [c for _, c in names]],
    )
    con.execute(
        r"""
        CREATE TABLE date_values AS SELECT text,
            try_cast(CASE WHEN regexp_matches(trim(text), '^\d{4}-\d{2}-\d{2}([T ].*)?$')
                THEN left(trim(text), 10) END AS DATE) AS day
        FROM (SELECT DISTINCT date AS text FROM raw)
        """
    )
    words = {**EVENT_WORDS, **options.events}
    con.execute(
        r"""
        CREATE TABLE event_values AS SELECT v.text, CAST(coalesce(w.kind, x.kind) AS kind) AS kind
        FROM (SELECT DISTINCT event AS text FROM raw) v
        LEFT JOIN (SELECT unnest($1) AS word, unnest($2) AS kind) w
            ON w.word = lower(trim(v.text))
        LEFT JOIN (SELECT unnest($1) AS word, unnest($2) AS kind) x
            ON x.word = regexp_extract(lower(trim(v.text)), '[^/#]+$')
        """,
        [list(words), list(words.values())],
    )
    con.execute(
        """
        CREATE TABLE checked AS
        SELECT r.src, r.rec, r.learner, c.credential, d.day, e.kind,
            CASE WHEN r.flaw IS NOT NULL THEN r.flaw
                WHEN r.learner IS NULL THEN 'learner'
                WHEN d.day IS NULL THEN 'date'
                WHEN c.credential IS NULL THEN 'credential'
                WHEN e.kind IS NULL THEN 'event' END AS problem
        FROM raw r
        LEFT JOIN credential_values c ON c.text = r.credential
        LEFT JOIN date_values d ON d.text = r.date
        LEFT JOIN event_values e ON e.text = r.event
        """
    )
    found = con.execute(
        """
        SELECT problem, count(*), max(day), count(*) FILTER (day > $as_of),
            list([src, rec] ORDER BY src, rec) FILTER (problem IS NOT NULL)[1:$n]
        FROM checked GROUP BY problem ORDER BY problem NULLS FIRST
        """,
        {"as_of": options.as_of, "n": POSITIONS_SHOWN},
    ).fetchall()
    rows = sum(row[1] for row in found)
    good, latest, after_as_of = next(
        ((n, d, a) for p, n, d, a, _ in found if p is None), (0, None, 0)
    )
    as_of = options.as_of or latest
    if as_of is None:
        raise RecordsError(
            f"{', '.join(s.display for s in sources)}: no row could be read "
            "(see the rows skipped below)"
            if rows
            else f"{', '.join(s.display for s in sources)}: no records"
        )
    skipped = [
        Skipped(
            _REASONS[reason],
            count,
            tuple(sources[src].position(rec, reason == "malformed") for src, rec in first),
        )
        for reason, count, _, _, first in found
        if reason is not None
    ]
    skipped.sort(key=lambda s: list(_REASONS.values()).index(s.reason))
    problems = {reason for reason, *_ in found}
    hints = []
    if "credential" in problems:
        hints += _hints(con, "credential", sorted(catalog.credentials))
    if "event" in problems:
        hints += _hints(con, "event", sorted(words))
    for table in ("raw", "credential_values", "date_values", "event_values"):
        con.execute(f"DROP TABLE {table}")
    con.execute(
        "CREATE TABLE events AS SELECT learner, credential, day, kind FROM checked "
        "WHERE problem IS NULL AND day <= ?",
        [as_of],
    )
    con.execute("DROP TABLE checked")
    return ReadSummary(
        tuple(s.display for s in sources),
        rows,
        good - after_as_of,
        0,
        after_as_of,
        as_of,
        tuple(skipped),
        tuple(hints),
    )


def _hints(con: duckdb.DuckDBPyConnection, what: str, known: list[str]) -> list[str]:
    """A line per unmatched value with a did-you-mean; none when there are so many distinct
    values that the column is likely the wrong one (its values could be personal)."""
    values = con.execute(
        f"SELECT trim(r.{what}) AS value, count(*) AS n "
        "FROM (SELECT src, rec FROM checked WHERE problem = ?) k "
        "JOIN raw r ON r.src = k.src AND r.rec = k.rec AND r.flaw IS NULL "
        f"GROUP BY value ORDER BY n DESC, value LIMIT {HINT_VALUES + 1}",
        [what],
    ).fetchall()
    if len(values) > HINT_VALUES:
        return [
            f"many distinct {what} values match nothing: is the {what} column the right one "
            f"(--columns {what}=...)?"
        ]
    fix = "" if what == "credential" else " (map it with --events VALUE=earned)"
    return [
        f"{what} '{escape(value)}' ({count:,} row{'s' if count != 1 else ''}) matches "
        f"nothing{suggest(value.lower(), known) if what == 'credential' else ''}{fix}"
        for value, count in values[:POSITIONS_SHOWN]
    ]
