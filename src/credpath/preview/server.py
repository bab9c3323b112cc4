"""The preview's HTTP server: the latest snapshot's site, each page with the findings
overlay, a page of every finding, and the stream that tells open pages of an edit.

The standard library's ``ThreadingHTTPServer``: a preview serves one author's browser on
their own machine, and answers only GET and HEAD with files it holds in memory, so a
framework would add a dependency and nothing it needs. A thread per connection lets the
event streams stay open beside the page requests.

What it guards against, since any web page the author visits can make their browser
send requests here:

- it serves the site's files only, by name from the snapshot (nothing on disk is read
  for a request): ``..``, ``.``, empty segments, backslashes, NUL, encoded slashes and
  double encoding get 404 before any look-up;
- the ``Host`` header must name this server (``localhost``, ``127.0.0.1``, ``[::1]`` or
  the ``--host`` given, with the port), else 403: a DNS-rebinding page cannot read it;
- nothing writes: methods other than GET and HEAD get 405;
- every text from YAML is escaped by the templates (jinja2 autoescape).
"""

from __future__ import annotations

import json
import socket
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from credpath.preview.site import DATA, MISSING

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment

    from credpath.preview.live import Live
    from credpath.preview.site import Snapshot

OWN = "/_credpath/"
"""Where the server's own files and streams are: no page of the site starts with it."""
FINDINGS = "findings"
"""The name the findings page goes by in the event stream."""
SHOWN = 50
"""Findings the overlay lists; the findings page lists them all."""
PING = 15.0
"""Seconds between keep-alive comments on an idle event stream."""

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}
SAFE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@cache
def _environment() -> Environment:
    from credpath.base.templates import environment

    return environment("credpath.preview")


@cache
def own_file(name: str) -> bytes:
    return resources.files("credpath.preview").joinpath("assets", name).read_bytes()


def site_name(target: str) -> str | None:
    """The site's file a request path names (``/`` is the home page), or None for a path
    no link of the site can be: dot segments, empty segments, backslashes, control
    characters, encoded slashes, or anything still encoded after one decoding."""
    raw = urlsplit(target).path
    if not raw.startswith("/") or "%2f" in raw.lower() or "%5c" in raw.lower():
        return None
    try:
        path = unquote(raw, errors="strict") if "%" in raw else raw
    except UnicodeDecodeError:
        return None
    name = path[1:] or "index.html"
    parts = name.split("/")
    unsafe = "\\" in name or "%" in name or any(ord(c) < 32 or ord(c) == 127 for c in name)
    if unsafe or any(part in ("", ".", "..") for part in parts):
        return None
    return name


def page_digest(snapshot: Snapshot, page: str) -> str:
    return snapshot.findings_digest if page == FINDINGS else snapshot.digest(page)


def overlay(snapshot: Snapshot) -> str:
    """The overlay's content for this snapshot's findings."""
    template = _environment().get_template("overlay.html")
    return template.render(findings=snapshot.findings, shown=SHOWN)


def inject(html: bytes, snapshot: Snapshot, page: str) -> bytes:
    """The page with the overlay and its script, before ``</body>``."""
    added = _injected(snapshot, page).encode("utf-8")
    end = html.rfind(b"</body>")
    return html[:end] + added + html[end:] if end >= 0 else html + added


def _injected(snapshot: Snapshot, page: str) -> str:
    from markupsafe import Markup

    template = _environment().get_template("inject.html")
    return template.render(
        overlay=Markup(overlay(snapshot)),
        count=len(snapshot.findings),
        page=page,
        digest=page_digest(snapshot, page),
    )


class PreviewServer(ThreadingHTTPServer):
    """Serves one ``Live`` project to browsers on ``host``."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, live: Live, host: str, port: int) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), Handler)
        self.live = live
        self.host = host
        self.port = int(self.server_address[1])
        self.hosts = allowed_hosts(host, self.port)

    def handle_error(self, request: object, client_address: object) -> None:
        """One line on the terminal for a request that failed, never a traceback; a
        browser that went away is no error."""
        import sys

        error = sys.exc_info()[1]
        if error is None or isinstance(error, ConnectionError | TimeoutError):
            return
        self.live.say(
            f"credpath: internal error answering a request: {type(error).__name__}: {error} "
            "(please report this)"
        )

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}/"


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers a browser sends for this server: its loopback names and the
    host it was told to listen on, with the port (without, on port 80)."""
    names = {"localhost", "127.0.0.1", "[::1]", f"[{host}]" if ":" in host else host}
    with_port = {f"{name}:{port}" for name in names}
    return frozenset(with_port | (names if port == 80 else set()))


class Handler(BaseHTTPRequestHandler):
    """One request: a page, the findings, the server's own files or an event stream."""

    server: PreviewServer
    server_version = "credpath-serve"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is the author's."""

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Every method but GET and HEAD (``do_POST``, ``do_PUT``, ...): 405."""
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _not_allowed(self) -> None:
        if self._host_allowed():
            self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"GET and HEAD only\n", ".txt", True)

    def _host_allowed(self) -> bool:
        """False (after answering 403) when the Host header names another server: a page
        on another site, its name rebound to this address, may not read this one."""
        if self.headers.get("Host", "").lower() in self.server.hosts:
            return True
        self._send(HTTPStatus.FORBIDDEN, b"unknown Host header\n", ".txt", True)
        return False

    def _answer(self, *, body: bool) -> None:
        if not self._host_allowed():
            return
        live = self.server.live
        target = urlsplit(self.path)
        if target.path == OWN + "events":
            self._events(parse_qs(target.query), body)
        elif target.path in (OWN + "overlay.js", OWN + "overlay.css"):
            name = target.path.removeprefix(OWN)
            self._send(HTTPStatus.OK, own_file(name), name[name.rfind(".") :], body)
        elif target.path == OWN + "findings.json":
            self._send(HTTPStatus.OK, findings_json(live.snapshot), ".json", body)
        elif target.path == "/" + FINDINGS:
            self._send(HTTPStatus.OK, findings_page(live.snapshot), ".html", body)
        else:
            self._site_file(site_name(self.path), body)

    def _site_file(self, name: str | None, body: bool) -> None:
        snapshot = self.server.live.snapshot
        try:
            data = snapshot.file(name) if name is not None else None
        except Exception as exc:  # a bug drawing this page: said, and the others go on
            message = f"internal error drawing {name}: {type(exc).__name__}: {exc}"
            self.server.live.say(f"credpath: {message} (please report this)")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"internal error\n", ".txt", body)
            return
        if name is None or data is None:
            page = missing_page(snapshot, name or "")
            self._send(HTTPStatus.NOT_FOUND, page, ".html", body)
            return
        suffix = name[name.rfind(".") :]
        if suffix == ".html":
            data = inject(data, snapshot, name)
        self._send(HTTPStatus.OK, data, suffix, body)

    def _send(self, status: HTTPStatus, data: bytes, suffix: str, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", TYPES.get(suffix, "text/plain; charset=utf-8"))
        self.send_header("Content-Length", str(len(data)))
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, HEAD")
        for header, value in SAFE_HEADERS.items():
            self.send_header(header, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, query: dict[str, list[str]], body: bool) -> None:
        """The stream of one open page: "findings" when they change (the overlay's new
        content), "reload" once the page, or the data it reads, shows something else
        than what the browser holds (its ``digest``). Ends with the reload, when the
        browser goes, or when the server stops."""
        page = query.get("page", [""])[0]
        shown = query.get("digest", [""])[0]
        live = self.server.live
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        for header, value in SAFE_HEADERS.items():
            self.send_header(header, value)
        self.end_headers()
        if not body:
            return
        live.opened(page)
        try:
            self._follow(live, page, shown)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the browser went
        finally:
            live.closed(page)

    def _follow(self, live: Live, page: str, shown: str) -> None:
        told: str | None = None  # the findings the page's overlay shows, once sent
        data: str | None = None  # the data the page read
        generation: int | None = None
        while True:
            snapshot = live.wait(generation, PING)
            if snapshot is None:
                if live.closing:
                    return
                self._event(None, "")  # a comment: finds a browser that has gone
                continue
            generation = snapshot.generation
            if snapshot.findings_digest != told:
                told = snapshot.findings_digest
                update = {"html": overlay(snapshot), "count": len(snapshot.findings)}
                self._event("findings", json.dumps(update))
            now = page_digest(snapshot, page)
            if now != shown:
                self._event("reload", generation)
                return
            if now != MISSING and page != FINDINGS:
                read = snapshot.digest(DATA)
                if data is not None and read != data:
                    self._event("reload", generation)
                    return
                data = read

    def _event(self, name: str | None, data: object) -> None:
        text = f"event: {name}\ndata: {data}\n\n" if name is not None else ": ping\n\n"
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()


def findings_json(snapshot: Snapshot) -> bytes:
    findings = [
        {"where": f.where, "severity": f.severity, "message": f.message, "rule": f.rule}
        for f in snapshot.findings
    ]
    document = {"generation": snapshot.generation, "findings": findings}
    return (json.dumps(document, ensure_ascii=True, indent=2) + "\n").encode("ascii")


def findings_page(snapshot: Snapshot) -> bytes:
    pages = snapshot.pages
    return (
        _environment()
        .get_template("findings.html")
        .render(
            findings=snapshot.findings,
            site_name=pages.catalog.name if pages is not None else "credpath serve",
            page=FINDINGS,
            digest=snapshot.findings_digest,
        )
        .encode("utf-8")
    )


def missing_page(snapshot: Snapshot, name: str) -> bytes:
    from markupsafe import Markup

    template = _environment().get_template("missing.html")
    html = template.render(name=name, injected=Markup(_injected(snapshot, name)))
    return html.encode("utf-8")


def start(live: Live, host: str, port: int) -> PreviewServer:
    """Listen on ``host:port`` (raises OSError when taken), check the project, and
    watch it; the caller then serves (``serve_forever``) and, at the end, ``close``s."""
    server = PreviewServer(live, host, port)
    try:
        live.refresh()
        live.start()
    except BaseException:
        server.server_close()
        raise
    return server


def close(server: PreviewServer) -> None:
    """Stop watching, end the event streams, free the port (after ``serve_forever`` ends)."""
    server.live.stop()
    server.server_close()
