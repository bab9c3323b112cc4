"""``serve``: the learner site and every finding, live, while the author edits.

The one command that goes on: it says where it listens on standard error as it starts
(a server's address is needed while it runs, not after), then serves until Ctrl-C,
which ends it normally (exit 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from credpath.base.errors import UsageError
from credpath.checks.context import Options
from credpath.commands import Document

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    path: Path = Path(".")
    port: int = 8000
    host: str = "127.0.0.1"
    open_browser: bool = False
    no_drafts: bool = False


def _say(line: str) -> None:
    from credpath.base.text import escape

    typer.echo(escape(line), err=True)


def serve(options: ServeOptions) -> Document:
    """Serve the site of the project at ``options.path`` until Ctrl-C."""
    import errno

    from credpath.preview.live import Live
    from credpath.preview.server import close, start
    from credpath.publish.render import has_dot

    diagrams = has_dot()
    live = Live(
        options.path, Path.cwd(), Options(no_drafts=options.no_drafts), diagrams=diagrams, say=_say
    )
    try:
        server = start(live, options.host, options.port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"{options.host}:{options.port} is in use: give another port with --port"
            ) from None
        raise
    if options.host not in LOOPBACK:
        _say(
            f"credpath: warning: listening on {options.host}, not on this machine alone: "
            "whoever reaches it on this port can read the site and its findings"
        )
    if not diagrams:
        _say("credpath: Graphviz 'dot' is missing: the outcome pages have no diagram")
    _say(f"credpath: serving {live.root} at {server.url} (Ctrl-C to stop)")
    if options.open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        close(server)
    return Document("", notes=("credpath: stopped",))
