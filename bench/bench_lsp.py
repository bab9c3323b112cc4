"""Benchmark ``credpath lsp``: how long after a one-line edit the editor has the findings.

Starts the real server over stdio (pygls's client), opens a file, then makes one-line
edits (a title changed, and back) and times each from ``didChange`` to the publication
of that file's diagnostics (the server publishes the edited file last, so all the
project's findings are in by then). Goals: within 200 ms on the shipped curricula
(issue 17); within 100 ms on the 10,000-credential benchmark catalog (issue 28: the
server keeps the project in the resident engine, ``checks.workspace``). Prints the
median and the slowest beside the goal; asserts nothing.

    python bench/bench_lsp.py [--sizes 10000] [--edits 9]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from run import generate

ROOT = Path(__file__).parents[1]


async def latencies(path: Path, edits: int) -> tuple[float, list[float]]:
    """(seconds to the first findings after opening, seconds per edit)."""
    client = LanguageClient("bench", "1")
    published: dict[str, asyncio.Event] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        event = published.get(params.uri)
        if event is not None:
            event.set()

    await client.start_io(sys.executable, "-m", "credpath", "lsp")
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    published[uri] = asyncio.Event()
    start = time.perf_counter()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, text))
    )
    await published[uri].wait()
    opened = time.perf_counter() - start
    lines = text.splitlines(keepends=True)
    line = next(i for i, t in enumerate(lines) if "title:" in t)
    times = []
    for version in range(2, edits + 2):
        changed = list(lines)
        if version % 2 == 0:
            changed[line] = changed[line].rstrip("\n") + " (edited)\n"
        published[uri] = asyncio.Event()
        start = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [lsp.TextDocumentContentChangeWholeDocument("".join(changed))],
            )
        )
        await published[uri].wait()
        times.append(time.perf_counter() - start)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return opened, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--edits", type=int, default=9)
    args = parser.parse_args()
    targets = [
        ("curricula/data-careers", ROOT / "curricula/data-careers/outcomes.yaml", 0.2),
        ("curricula/cybersecurity", ROOT / "curricula/cybersecurity/outcomes.yaml", 0.2),
    ]
    for n in [int(s) for s in args.sizes.split(",") if s]:
        targets.append((f"{n} credentials", generate(n) / "outcomes.yaml", 0.1))
    for name, path, goal in targets:
        opened, times = asyncio.run(latencies(path, args.edits))
        print(
            f"{name}: first findings {opened * 1000:.0f} ms after opening; after a one-line "
            f"edit median {statistics.median(times) * 1000:.0f} ms, slowest "
            f"{max(times) * 1000:.0f} ms (goal <= {goal * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
