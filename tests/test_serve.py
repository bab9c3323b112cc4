"""``credpath serve`` over HTTP: the pages, the overlay, the event stream, and what it refuses.

The server runs in this process (port 0, a thread) on a project in a temporary folder;
the tests edit its files on disk, as an author's editor does, and read what a browser
would: pages, ``/_credpath/findings.json``, the event stream of an open page. Waits are
generous (a shared machine): nothing here is timed (bench/bench_serve.py is).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import Files, credpath, write_files
from credpath.checks.context import Options
from credpath.preview.live import Live
from credpath.preview.server import PreviewServer, allowed_hosts, close, site_name, start
from credpath.preview.site import PreviewPages

WAIT = 30.0
"""Seconds a test waits for what a save makes happen before it fails."""

HOSTILE = '<img src=x onerror=alert(1)> & "quotes"'

PROJECT = {
    "credpath.yaml": "name: Small college\nassumed: [reading]\n",
    "catalog.yaml": """\
        competencies:
          - {id: reading, title: Reading}
          - {id: sql, title: SQL}
        credentials:
          - id: sql-basics
            title: SQL Basics
            type: course
            provider: Small college
            description: Queries.
            workload: {hours: 40}
            grants: [sql]
        outcomes:
          - {id: analyst, title: Analyst, description: Reads data., requires: [sql]}
        """,
}
CATALOG = "catalog.yaml"


@dataclass
class Served:
    server: PreviewServer
    root: Path

    @property
    def port(self) -> int:
        return self.server.port

    def request(
        self, path: str, *, method: str = "GET", host: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request as a browser sends it (the path as given, not normalised)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host != "":
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    def page(self, path: str) -> str:
        status, _, body = self.request(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def findings(self) -> dict[str, object]:
        return json.loads(self.page("/_credpath/findings.json"))  # type: ignore[no-any-return]

    def edit(self, name: str, change: Callable[[str], str]) -> None:
        """Save as editors do: the new text in a file beside it, renamed over it."""
        path = self.root / name
        saved = path.with_name(f".{name}.saving")
        saved.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        os.replace(saved, path)

    def generation(self) -> int:
        return int(self.findings()["generation"])  # type: ignore[call-overload]

    def after_edit(self, before: int) -> dict[str, object]:
        """The findings once a save after generation ``before`` has been checked."""
        until(lambda: self.generation() > before)
        return self.findings()


def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "what the save should make happen did not"
        time.sleep(0.05)


@contextmanager
def serving(tmp_path: Path, files: Files = PROJECT, *, diagrams: bool = False) -> Iterator[Served]:
    """The preview of ``files``, written under ``tmp_path``, served on a free port of
    127.0.0.1 until the block ends."""
    root = tmp_path / "project"
    write_files(root, files)
    live = Live(root, tmp_path, Options(), diagrams=diagrams)
    server = start(live, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(server, root)
    finally:
        server.shutdown()
        close(server)
        thread.join(timeout=WAIT)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as running:
        yield running


class Stream:
    """The event stream of one open page, read as the page's script reads it."""

    def __init__(self, served: Served, page: str) -> None:
        html = served.page("/" + page)
        found = re.search(r'data-page="([^"]*)" data-digest="([^"]*)"', html)
        assert found is not None, "the page has no overlay script"
        self.connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=WAIT)
        query = f"page={found[1]}&digest={found[2]}"
        self.connection.request("GET", f"/_credpath/events?{query}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"

    def next(self) -> tuple[str, str]:
        """The next event, (name, data); keep-alive comments skipped."""
        name, data = "", ""
        while True:
            line = self.response.readline().decode("utf-8")
            assert line, "the stream ended"
            if line.startswith("event: "):
                name = line.removeprefix("event: ").rstrip("\n")
            elif line.startswith("data: "):
                data = line.removeprefix("data: ").rstrip("\n")
            elif line == "\n" and name:
                return name, data

    def close(self) -> None:
        self.connection.close()


# -- the pages ----------------------------------------------------------------------------


def test_every_page_carries_the_overlay_and_the_static_site_does_not(
    served: Served, tmp_path: Path
) -> None:
    for path in ("/", "/index.html", "/credentials/sql-basics.html", "/outcomes/analyst.html"):
        html = served.page(path)
        assert html.count('<aside id="credpath-overlay"') == 1, path
        assert html.rstrip().endswith("</body>\n</html>") or html.rstrip().endswith("</html>")
    assert "<h1>SQL Basics</h1>" in served.page("/credentials/sql-basics.html")
    built = tmp_path / "built"
    assert credpath("site", str(served.root), "-o", str(built), "--no-diagrams").exit_code == 0
    for page in built.rglob("*.html"):
        assert "credpath-overlay" not in page.read_text(encoding="utf-8"), page


def test_the_site_assets_are_served_with_their_types(served: Served) -> None:
    status, headers, body = served.request("/assets/data.js")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert body.startswith(b"window.credpathData = ")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    status, headers, _ = served.request("/assets/site.css")
    assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")


def test_head_answers_the_headers_without_the_body(served: Served) -> None:
    status, headers, body = served.request("/index.html", method="HEAD")
    assert status == 200
    assert int(headers["Content-Length"]) > 0
    assert body == b""


# -- a save -------------------------------------------------------------------------------


def test_a_new_title_reloads_the_page_and_the_page_shows_it(served: Served) -> None:
    stream = Stream(served, "credentials/sql-basics.html")
    try:
        assert stream.next()[0] == "findings"
        served.edit(CATALOG, lambda t: t.replace("title: SQL Basics", "title: Better SQL"))
        name, _ = stream.next()
        assert name == "reload"
    finally:
        stream.close()
    assert "<h1>Better SQL</h1>" in served.page("/credentials/sql-basics.html")


def test_an_edit_that_changes_nothing_shown_reloads_nothing(served: Served) -> None:
    """A comment changes no page and no data: the page is told only of the next edit that
    changes it (the reload names the check it comes from)."""
    stream = Stream(served, "credentials/sql-basics.html")
    try:
        assert stream.next()[0] == "findings"
        quiet = served.generation()
        served.edit(CATALOG, lambda t: t + "# a note for the authors\n")
        served.after_edit(quiet)
        shown = served.generation()
        served.edit(CATALOG, lambda t: t.replace("title: SQL Basics", "title: SQL Two"))
        name, data = stream.next()
        assert name == "reload"
        assert int(data) > shown
    finally:
        stream.close()


def test_a_finding_shows_in_the_overlay_in_place_and_clears_when_fixed(served: Served) -> None:
    """A file that does not parse changes no page: the overlay changes, the page stays."""
    stream = Stream(served, "credentials/sql-basics.html")
    try:
        name, data = stream.next()
        assert (name, json.loads(data)["count"]) == ("findings", 0)
        write_files(served.root, {"extra.yaml": "credentials: [\n"})
        name, data = stream.next()
        assert name == "findings"
        update = json.loads(data)
        assert update["count"] == 1
        assert re.search(
            r'<span class="credpath-where">[^<]*extra\.yaml:\d+:\d+</span>', update["html"]
        )
        assert '<span class="credpath-severity">error</span>' in update["html"]
        assert '<span class="credpath-rule">[yaml-syntax]</span>' in update["html"]
        (served.root / "extra.yaml").unlink()
        name, data = stream.next()
        assert (name, json.loads(data)["count"]) == ("findings", 0)
    finally:
        stream.close()


def test_the_findings_json_and_page_name_file_line_severity_message_rule(served: Served) -> None:
    before = served.generation()
    served.edit(CATALOG, lambda t: t.replace("grants: [sql]", "grants: [sql, nope]"))
    found = served.after_edit(before)["findings"]
    assert isinstance(found, list)
    unknown = [f for f in found if f["rule"] == "unknown-reference"]
    assert unknown, found
    where = unknown[0]["where"]
    assert re.fullmatch(r".*project/catalog\.yaml:\d+:\d+", where), where
    assert unknown[0]["severity"] == "error"
    assert "nope" in unknown[0]["message"]
    page = served.page("/findings")
    assert f'<td class="credpath-where">{where}</td>' in page
    assert '<td class="credpath-rule">unknown-reference</td>' in page


def test_a_yaml_syntax_error_shows_and_the_server_goes_on(served: Served) -> None:
    before = served.generation()
    served.edit(CATALOG, lambda t: t.replace("title: SQL Basics", "title: [SQL Basics"))
    found = served.after_edit(before)["findings"]
    assert isinstance(found, list)
    assert [f["rule"] for f in found if f["rule"] == "yaml-syntax"] == ["yaml-syntax"]
    assert "catalog.yaml:" in served.page("/index.html").split("credpath-overlay", 1)[1]
    status, _, body = served.request("/credentials/sql-basics.html")
    assert status == 404  # its file does not parse: the page says so, with the overlay
    assert b"yaml-syntax" in body
    before = served.generation()
    served.edit(CATALOG, lambda t: t.replace("title: [SQL Basics", "title: SQL Basics"))
    assert served.after_edit(before)["findings"] == []
    assert "<h1>SQL Basics</h1>" in served.page("/credentials/sql-basics.html")


def test_an_error_in_credpath_yaml_shows_and_the_pages_stay(served: Served) -> None:
    before = served.generation()
    served.edit("credpath.yaml", lambda t: t + "max_file_mib: lots\n")
    found = served.after_edit(before)["findings"]
    assert isinstance(found, list)
    assert [f["rule"] for f in found] == ["config"]
    assert "credpath.yaml" in found[0]["message"]
    assert "<h1>SQL Basics</h1>" in served.page("/credentials/sql-basics.html")
    before = served.generation()
    served.edit("credpath.yaml", lambda t: t.replace("max_file_mib: lots\n", ""))
    assert served.after_edit(before)["findings"] == []


def test_text_from_yaml_is_escaped_in_the_page_the_overlay_and_the_findings_page(
    served: Served,
) -> None:
    before = served.generation()
    served.edit(
        CATALOG,
        lambda t: t.replace("title: SQL Basics", f"title: '{HOSTILE}'").replace(
            "grants: [sql]", "grants: [sql, '<script>alert(2)</script>']"
        ),
    )
    served.after_edit(before)
    for path in ("/credentials/sql-basics.html", "/index.html", "/findings"):
        html = served.page(path)
        assert "<img src=x" not in html, path
        assert "<script>alert(2)" not in html, path
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in served.page("/findings")
    assert "&lt;img src=x onerror=alert(1)&gt;" in served.page("/credentials/sql-basics.html")


def test_a_page_that_fails_to_draw_gets_500_and_one_line(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(served.server.live, "say", said.append)

    def broken(self: object, credential_id: str) -> tuple[str, bytes]:
        raise ValueError("planted")

    monkeypatch.setattr(PreviewPages, "credential", broken)
    status, _, body = served.request("/credentials/sql-basics.html")
    assert (status, body) == (500, b"internal error\n")
    assert said == [
        "credpath: internal error drawing credentials/sql-basics.html: ValueError: planted "
        "(please report this)"
    ]
    assert served.request("/index.html")[0] == 200


# -- what it refuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../credpath.yaml",
        "/credentials/../../credpath.yaml",
        "/%2e%2e/credpath.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/credentials%2f..%2f..%2fcatalog.yaml",
        "/credentials%2Fsql-basics.html",
        "/..%5ccatalog.yaml",
        "/credentials\\..\\..\\catalog.yaml",
        "/%252e%252e/catalog.yaml",
        "//etc/passwd",
        "/./index.html",
        "/catalog.yaml",
        "/credpath.yaml",
        "/leak/secret.txt",
        "/assets/../../../credpath.yaml",
        "/%ff%fe",
        "/credentials/%00.html",
    ],
)
def test_only_the_sites_files_are_served(served: Served, path: str) -> None:
    (served.root.parent / "outside").mkdir()
    (served.root.parent / "outside" / "secret.txt").write_text("SECRET", encoding="utf-8")
    (served.root / "leak").symlink_to(served.root.parent / "outside")
    status, _, body = served.request(path)
    assert status == 404
    assert b"SECRET" not in body
    assert b"Small college" not in body.split(b"<aside")[0]  # no file of the project
    assert b"assumed:" not in body


@pytest.mark.parametrize(
    "name", ["../x", "a/../b", "a//b", "a\\b", "%2e%2e", "a%2fb", "%00", "a/./b"]
)
def test_site_name_refuses_what_no_link_of_the_site_is(name: str) -> None:
    assert site_name("/" + name) is None


def test_site_name_keeps_what_a_link_is() -> None:
    assert site_name("/") == "index.html"
    assert site_name("/credentials/sql-basics.html?x=1#top") == "credentials/sql-basics.html"
    assert site_name("/credentials/caf%C3%A9.html") == "credentials/café.html"


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1",
        "localhost:1",
        "",
        "127.0.0.1.nip.io:{port}",
    ],
)
def test_a_host_header_naming_another_server_gets_403(served: Served, host: str) -> None:
    status, _, body = served.request("/index.html", host=host.format(port=served.port))
    assert status == 403
    assert b"Small college" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_the_loopback_names_with_the_port_are_served(served: Served, host: str) -> None:
    assert served.request("/index.html", host=host.format(port=served.port))[0] == 200


def test_the_host_given_is_allowed_too() -> None:
    assert allowed_hosts("192.168.1.5", 8000) == {
        "localhost:8000",
        "127.0.0.1:8000",
        "[::1]:8000",
        "192.168.1.5:8000",
    }
    assert "[fe80::1]:8000" in allowed_hosts("fe80::1", 8000)
    assert "localhost" in allowed_hosts("127.0.0.1", 80)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"])
def test_methods_other_than_get_and_head_get_405(served: Served, method: str) -> None:
    status, headers, _ = served.request("/index.html", method=method)
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


# -- the command --------------------------------------------------------------------------


@contextmanager
def _serving(*args: str) -> Iterator[subprocess.Popen[str]]:
    """``credpath serve ARGS`` as its own process, its standard error piped; Ctrl-C at the
    end if it still runs."""
    command = [sys.executable, "-m", "credpath", "serve", *args]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                process.wait(WAIT)


def test_the_command_says_where_it_serves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    write_files(tmp_path / "project", PROJECT)
    with _serving(str(tmp_path / "project"), "--port", "0") as process:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(
            r"serving .*project at (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\)", line
        )
        assert found is not None, line
        connection = http.client.HTTPConnection("127.0.0.1", int(found[2]), timeout=WAIT)
        connection.request("GET", "/credentials/sql-basics.html")
        assert b"<h1>SQL Basics</h1>" in connection.getresponse().read()
        connection.close()
        process.send_signal(signal.SIGINT)
        assert process.wait(WAIT) == 0
        assert process.stderr.read() == "credpath: stopped\n"


def test_another_host_is_warned_about(tmp_path: Path) -> None:
    write_files(tmp_path / "project", PROJECT)
    with _serving(str(tmp_path / "project"), "--port", "0", "--host", "127.0.0.2") as process:
        assert process.stderr is not None
        warning = process.stderr.readline()
        assert warning.startswith("credpath: warning: listening on 127.0.0.2, not on this")
        assert "serving" in process.stderr.readline()


def test_a_path_that_is_not_there_exits_2(tmp_path: Path) -> None:
    run = credpath("serve", str(tmp_path / "nowhere"), "--port", "0")
    assert run.exit_code == 2
    assert run.stderr == f"credpath: {tmp_path / 'nowhere'}: no such file or folder\n"


def test_a_port_in_use_exits_2(served: Served) -> None:
    run = credpath("serve", str(served.root), "--port", str(served.port))
    assert run.exit_code == 2
    assert run.stderr == (
        f"credpath: 127.0.0.1:{served.port} is in use: give another port with --port\n"
    )
