"""The screenshot of ``credpath serve``'s findings overlay in docs/ (``make docs-images``).

Serves a copy of curricula/data-careers in which an author has just saved two mistakes
(a requirement naming a credential that does not exist, and a file with a YAML syntax
error), opens a credential page in the tests' browser, and photographs the page with the
overlay over it: what an author sees.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from selenium.webdriver.support.ui import WebDriverWait

import browser
from credpath.checks.context import Options
from credpath.preview.live import Live
from credpath.preview.server import close, start

ROOT = Path(__file__).parents[1]
PAGE = "credentials/advanced-sql-performance.html"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "data-careers"
        shutil.copytree(ROOT / "curricula" / "data-careers", project)
        advanced = project / "credentials" / "advanced.yaml"
        text = advanced.read_text(encoding="utf-8")
        text = text.replace("requires: [sql-intermediate]", "requires: [sql-intermediat]", 1)
        advanced.write_text(text, encoding="utf-8")
        (project / "credentials" / "draft.yaml").write_text(
            "credentials:\n  - id: spark-basics\n    title: Spark: the basics\n",
            encoding="utf-8",
        )
        server = start(Live(project, Path(folder), Options(), diagrams=True), "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        chrome = browser.chromium(width=1100, height=900)
        try:
            chrome.get(f"http://127.0.0.1:{server.port}/{PAGE}")
            live = "return document.documentElement.hasAttribute('data-credpath-live')"
            WebDriverWait(chrome, 30).until(lambda d: d.execute_script(live))
            chrome.save_screenshot(str(ROOT / "docs" / "serve-overlay.png"))
            print("wrote docs/serve-overlay.png")
        finally:
            chrome.quit()
            server.shutdown()
            close(server)
            thread.join(timeout=30)


if __name__ == "__main__":
    main()
