"""`credpath drift`: every count on hand-made records, worked out here; readers; bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import credpath

PROJECT = {
    "credpath.yaml": "name: Drift\nbase_uri: https://example.org/drift/\n",
    "credentials.yaml": """\
        credentials:
          - {id: a, title: A, type: course, url: "https://example.org/courses/a"}
          - {id: b, title: B, type: course, requires: [a]}
          - {id: c, title: C, type: course, requires: [b]}
          - {id: d, title: "=HYPERLINK(1)", type: badge, requires: [a]}
        outcomes:
          - {id: job, title: Job, requires: [c]}
        """,
}

SECRET = "alice.secret@example.org"
"""A learner id that must never be shown."""

# Worked out by hand, window 30 days, as of 2024-12-31:
# - alice earns A on 01-01 and starts B on 01-10 (9 days: continued), earns B on 03-01
#   and C on 03-20 (19 days: continued); C meets the outcome, nothing follows: drifted.
# - bob started B on 2023-12-01 and never finished it: when he earns A on 02-01 that
#   enrolment is open (continued, 0 days).
# - carol earns A on 01-01 and starts D on 06-01, 152 days later: drifted.
# - dave earns A on 12-20: 20 + 30 days ends after the as-of date: censored at 11 days.
RECORDS = f"""\
learner,credential,date,event
{SECRET},A,2024-01-01,earned
{SECRET},b,2024-01-10,started
{SECRET},b,2024-03-01,earned
{SECRET},b,2024-03-01,earned
{SECRET},c,2024-03-20,earned
bob,b,2023-12-01,started
bob,https://example.org/courses/a,2024-02-01,earned
carol,a,2024-01-01,earned
carol,d,2024-06-01,started
dave,a,2024-12-20,earned
"""


@pytest.fixture
def drift_project(project: Callable[..., str], tmp_path: Path) -> Path:
    project(PROJECT)
    return tmp_path


def _json(*args: str) -> dict[str, object]:
    run = credpath("drift", *args, "--project", "project", "-f", "json")
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def _credential(document: dict[str, object], id_: str) -> dict[str, object]:
    credentials = document["credentials"]
    assert isinstance(credentials, list)
    return next(c for c in credentials if c["id"] == id_)


def test_counts_on_hand_made_records(drift_project: Path) -> None:
    (drift_project / "records.csv").write_text(RECORDS, encoding="utf-8")
    document = _json("records.csv", "--window", "30", "--as-of", "2024-12-31", "--min-group", "0")
    a = _credential(document, "a")
    assert (a["earnings"], a["continued"], a["drifted"], a["censored"]) == (4, 2, 1, 1)
    assert a["continuation"] == {"value": 0.6667, "low": 0.2077, "high": 0.9385}
    assert a["went_next"] == [{"id": "b", "learners": 2, "offered": True}]
    b, c = _credential(document, "b"), _credential(document, "c")
    assert (b["earnings"], b["continued"], b["drifted"], b["censored"]) == (1, 1, 0, 0)
    assert (c["earnings"], c["continued"], c["drifted"], c["censored"]) == (1, 0, 1, 0)
    # A's times to the next step: 0 (bob), 9 (alice), 152 (carol), 11 censored (dave):
    # the curve falls to 3/4 at 0 and to 1/2 at 9, so the median is 9 days.
    assert a["median_days"]["value"] == 9  # type: ignore[index]
    structure = document["structure_test"]
    assert isinstance(structure, dict)
    # A (4) and B (1) had a next door toward the outcome; C had reached it.
    assert structure["next_door"]["earnings"] == 5
    assert structure["next_door"]["continued"] == 3
    assert structure["no_next_door"]["earnings"] == 0
    records = document["records"]
    assert isinstance(records, dict)
    assert (records["rows"], records["events"], records["duplicates"]) == (10, 9, 1)
    funnel = document["funnels"][0]  # type: ignore[index]
    assert funnel["met"] == 1
    assert [s["learners"] for s in funnel["stages"]] == [4, 1, 1]


def test_columns_and_events_are_mapped(drift_project: Path) -> None:
    (drift_project / "export.csv").write_text(
        "student_id,course_code,completed_on,result\n"
        "s1,A,2024-01-01,Pass\ns1,B,2024-01-05,Enrolled\ns2,A,2024-01-02,Distinction\n",
        encoding="utf-8",
    )
    document = _json(
        "export.csv",
        "--columns",
        "learner=student_id,credential=course_code,date=completed_on,event=result",
        "--events",
        "Pass=earned,Distinction=earned,Enrolled=started",
        "--min-group",
        "0",
    )
    a = _credential(document, "a")
    assert (a["earnings"], a["continued"]) == (2, 1)


def test_missing_columns_name_those_found_and_expected(drift_project: Path) -> None:
    (drift_project / "export.csv").write_text("who,what,when\nx,a,2024-01-01\n", encoding="utf-8")
    run = credpath("drift", "export.csv", "--project", "project")
    assert run.exit_code == 2
    assert run.stderr == (
        "credpath: export.csv: no column 'learner', 'credential', 'date'; the columns are "
        "'who', 'what', 'when'. Expected learner, credential, date and (optional) event: "
        "name yours with --columns learner=...,credential=...,date=...,event=...\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "credpath: empty.csv: an empty file\n"),
        (b"learner,credential,date\n", "credpath: empty.csv: no records (only a header)\n"),
        (
            b"learner,credential,date\nx,a,2024-01-01\ny,caf\xe9,2024-01-01\n",
            "credpath: empty.csv:3: not valid utf-8 text; name the file's encoding with "
            "--encoding (utf-8, utf-16, latin-1)\n",
        ),
    ],
)
def test_unreadable_records_exit_2_saying_why(
    drift_project: Path, content: bytes, message: str
) -> None:
    (drift_project / "empty.csv").write_bytes(content)
    run = credpath("drift", "empty.csv", "--project", "project")
    assert (run.exit_code, run.stderr) == (2, message)


def test_latin_1_reads_with_encoding(drift_project: Path) -> None:
    (drift_project / "l.csv").write_bytes(b"learner,credential,date\nJos\xe9,a,2024-01-01\n")
    run = credpath("drift", "l.csv", "--project", "project", "--encoding", "latin-1")
    assert run.exit_code == 0, run.stderr
    assert "Jos" not in run.stdout + run.stderr


def test_a_folder_with_no_records_exits_2(drift_project: Path) -> None:
    (drift_project / "empty").mkdir()
    run = credpath("drift", "empty", "--project", "project")
    assert run.exit_code == 2
    assert "a folder with no records" in run.stderr


def test_bad_rows_are_skipped_counted_and_located(drift_project: Path) -> None:
    (drift_project / "r.csv").write_text(
        "learner,credential,date\n"
        "x,a,2024-01-01\n"
        "x,sql-fundations,2024-01-02\n"
        "y,a,01/02/2024\n"
        "z,a,2024-01-03,extra\n"
        "w,a,2025-01-01\n",
        encoding="utf-8",
    )
    run = credpath("drift", "r.csv", "--project", "project", "--as-of", "2024-12-31")
    assert run.exit_code == 0, run.stderr
    tail = run.lines[-5:]
    assert tail == [
        "Read 5 rows: 1 events kept, 0 duplicates counted once, 1 after the as-of date left out.",
        "Skipped 1 rows that are not CSV rows of the header's width: r.csv:5",
        "Skipped 1 rows whose date is not an ISO 8601 date: r.csv:4",
        "Skipped 1 rows whose credential matches nothing in the project: r.csv:3",
        "credential 'sql-fundations' (1 row) matches nothing",
    ]
    strict = credpath("drift", "r.csv", "--project", "project", "--strict")
    assert strict.exit_code == 1


def test_did_you_mean_on_a_credential_value(drift_project: Path) -> None:
    (drift_project / "r.csv").write_text(
        "learner,credential,date\nx,a,2024-01-01\nx,dd,2024-01-02\n", encoding="utf-8"
    )
    run = credpath("drift", "r.csv", "--project", "project")
    assert run.lines[-1] == "credential 'dd' (1 row) matches nothing (did you mean 'd'?)"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv"])
def test_no_learner_id_in_any_output(drift_project: Path, fmt: str) -> None:
    (drift_project / "records.csv").write_text(
        RECORDS + f"{SECRET},nope,2024-01-01\n{SECRET},a,bad-date\n", encoding="utf-8"
    )
    run = credpath("drift", "records.csv", "--project", "project", "-f", fmt, "--min-group", "1")
    assert run.exit_code == 0
    assert SECRET not in run.stdout + run.stderr
    assert "alice" not in (run.stdout + run.stderr).lower()


def test_a_learner_column_named_as_the_credential_quotes_no_value(drift_project: Path) -> None:
    rows = "".join(f"learner-{i},a,2024-01-01\n" for i in range(30))
    (drift_project / "r.csv").write_text(f"learner,credential,date\n{rows}", encoding="utf-8")
    run = credpath("drift", "r.csv", "--project", "project", "--columns", "credential=learner")
    assert run.exit_code == 2  # nothing could be read
    assert "learner-" not in run.stdout + run.stderr


def test_csv_output_neutralises_formulas(drift_project: Path) -> None:
    (drift_project / "records.csv").write_text(RECORDS, encoding="utf-8")
    run = credpath("drift", "records.csv", "--project", "project", "-f", "csv", "--min-group", "1")
    line = next(line for line in run.lines if line.startswith("d,"))
    assert line.startswith("d,'=HYPERLINK(1),")


def test_the_records_are_never_overwritten(drift_project: Path) -> None:
    (drift_project / "records.csv").write_text(RECORDS, encoding="utf-8")
    run = credpath("drift", "records.csv", "--project", "project", "-o", "records.csv")
    assert run.exit_code == 2
    assert (drift_project / "records.csv").read_text(encoding="utf-8") == RECORDS
    assert sorted(p.name for p in drift_project.iterdir()) == ["project", "records.csv"]


def test_small_counts_are_suppressed_in_json(drift_project: Path) -> None:
    (drift_project / "records.csv").write_text(RECORDS, encoding="utf-8")
    document = _json("records.csv", "--window", "30", "--as-of", "2024-12-31")
    a = _credential(document, "a")
    assert a["earnings"] is None
    assert a["suppressed"] == ["earnings", "continued", "drifted", "censored"]
    assert a["continuation"] is None
    assert a["went_next"] == []


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "text",
            [
                "a                                           4 fewer than 2 fewer than 2 "
                "fewer than 2  -                        9 (0-152)",
                "'fewer than 2': a count below 2, or one hidden so that such a count cannot "
                "be worked out from the others; both read the same, and no rate is computed "
                "from either.",
            ],
        ),
        (
            "markdown",
            ["| A (`a`) | 4 | fewer than 2 | fewer than 2 | fewer than 2 | - | 9 (0-152) |  |"],
        ),
        ("csv", ["a,A,4,fewer than 2,fewer than 2,fewer than 2,,,,9,0,152,,"]),
    ],
)
def test_suppressed_counts_read_fewer_than_the_minimum(
    drift_project: Path, fmt: str, expected: list[str]
) -> None:
    """A: 4 earners, 2 continued, 1 drifted, 1 censored. With --min-group 2, drifted and
    censored are below 2 and continued goes with them (else it would be 4 - 1 - 1); every
    hidden count reads the same, so the reader cannot tell which ones were small."""
    (drift_project / "records.csv").write_text(RECORDS, encoding="utf-8")
    run = credpath(
        "drift", "records.csv", "--project", "project", "--window", "30",
        "--as-of", "2024-12-31", "--min-group", "2", "-f", fmt,
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    for line in expected:
        assert line in run.lines


def test_the_minimum_is_the_one_given(drift_project: Path) -> None:
    (drift_project / "records.csv").write_text(RECORDS, encoding="utf-8")
    run = credpath("drift", "records.csv", "--project", "project", "--min-group", "5")
    assert run.lines[0] == (
        "Drift of fewer than 5 learners in 1 record file, as of 2024-12-20, window 180 days"
    )
    assert run.lines[3] == (
        "a                                fewer than 5 fewer than 5 fewer than 5 fewer than 5  "
        "-                        -"
    )


def test_running_out_of_memory_is_an_answer_not_a_traceback(
    drift_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from functools import partial

    from credpath.analytics import drift

    monkeypatch.setattr(drift, "database", partial(drift.database, "1MB"))
    (drift_project / "records.csv").write_text(RECORDS * 200, encoding="utf-8")
    run = credpath("drift", "records.csv", "--project", "project")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "credpath: out of memory: these records needed more than the 1MB DuckDB may use, "
        "and more than it could spill to a temporary folder\n"
    )


def _python_peak(records: str) -> int:
    """The most memory Python itself held (tracemalloc: not DuckDB's) during one drift."""
    import tracemalloc

    tracemalloc.start()
    try:
        run = credpath("drift", records, "--project", "project", "-f", "json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert run.exit_code == 0, run.stderr
    return peak


@pytest.mark.slow
def test_csv_records_never_pass_through_python_memory(drift_project: Path) -> None:
    """Ten times the records (2 MB, then 21 MB) and Python holds no more memory: the rows
    stay in DuckDB, whose memory is capped (``database``: it spills to disk, and says so
    when it cannot). A 2 GB file is timed in bench/bench_drift.py."""
    import duckdb

    for learners, name in [(15000, "small.csv"), (150000, "large.csv")]:
        duckdb.sql(
            "COPY (SELECT 'learner-' || i AS learner, c AS credential, "
            "DATE '2023-01-01' + CAST(i % 500 + 40 * k + 30 * CAST(e = 'earned' AS INTEGER) "
            f"AS INTEGER) AS date, e AS event FROM range({learners}) r(i), "
            "(VALUES (0, 'a'), (1, 'b'), (2, 'c')) s(k, c), (VALUES ('started'), ('earned')) "
            f"v(e) WHERE k <= i % 3) TO '{name}' (HEADER)"
        )
    grown = (drift_project / "large.csv").stat().st_size - Path("small.csv").stat().st_size
    assert grown > 18_000_000
    _python_peak("small.csv")  # the first run imports what drift needs
    assert _python_peak("large.csv") - _python_peak("small.csv") < grown / 100


def test_parquet_records(drift_project: Path) -> None:
    import duckdb

    (drift_project / "records.csv").write_text(RECORDS, encoding="utf-8")
    duckdb.sql(
        "COPY (SELECT * FROM read_csv('records.csv', all_varchar=true)) TO 'records.parquet'"
    )
    from_csv = _json("records.csv", "--min-group", "1", "--as-of", "2024-12-31")
    from_parquet = _json("records.parquet", "--min-group", "1", "--as-of", "2024-12-31")
    assert from_parquet["credentials"] == from_csv["credentials"]


def test_open_badges_and_xapi_records(drift_project: Path) -> None:
    achievement = "https://example.org/drift/achievements/a"
    badge = {
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "validFrom": "2024-01-01T10:00:00Z",
        "credentialSubject": {"id": f"mailto:{SECRET}", "achievement": {"id": achievement}},
    }
    (drift_project / "badges.jsonl").write_text(json.dumps(badge) + "\n", encoding="utf-8")
    statement = {
        "actor": {"mbox": f"mailto:{SECRET}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/registered"},
        "object": {"id": "B"},
        "timestamp": "2024-01-05T09:00:00Z",
    }
    (drift_project / "lrs.json").write_text(json.dumps([statement]), encoding="utf-8")
    document = _json("badges.jsonl", "lrs.json", "--min-group", "0")
    a = _credential(document, "a")
    assert (a["earnings"], a["continued"]) == (1, 1)
    assert a["went_next"] == [{"id": "b", "learners": 1, "offered": True}]


def test_bad_json_records_exit_2_with_the_line(drift_project: Path) -> None:
    (drift_project / "x.jsonl").write_text('{"actor": {}, "verb": {}}\n[[[\n', encoding="utf-8")
    run = credpath("drift", "x.jsonl", "--project", "project")
    assert run.exit_code == 2
    assert run.stderr.startswith("credpath: x.jsonl:2: not JSON")
