"""The site screenshots in docs/ (``make docs-images``), taken with the tests' browser.

Builds the learner site of curricula/data-careers and photographs, for a learner who
holds two credentials, the home page, an outcome page, its pathway map, a credential
page and the "Your pathway" page: what a learner sees.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import browser

ROOT = Path(__file__).parents[1]
HAVE = "spreadsheet-analysis-essentials,sql-foundations"
SHOTS = {
    "index.html": ("site-home.png", None),
    "outcomes/junior-data-analyst.html": ("site-outcome.png", None),
    "outcomes/junior-data-analyst.html#map": ("site-map.png", "#diagram-heading"),
    "credentials/advanced-sql-performance.html": ("site-credential.png", None),
    "your-pathway.html": ("site-pathway.png", None),
}
"""Page -> (picture, the element scrolled to the top first, if any)."""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        credpath = Path(sys.executable).parent / "credpath"
        project = ROOT / "curricula" / "data-careers"
        subprocess.run([str(credpath), "site", str(project), "-o", str(site)], check=True)
        chrome = browser.chromium(width=1100, height=1400)
        try:
            for page, (picture, top) in SHOTS.items():
                chrome.get((site / page.removesuffix("#map")).as_uri() + f"#have={HAVE}")
                if top is not None:
                    chrome.execute_script(f"document.querySelector('{top}').scrollIntoView()")
                chrome.save_screenshot(str(ROOT / "docs" / picture))
                print(f"wrote docs/{picture}")
        finally:
            chrome.quit()


if __name__ == "__main__":
    main()
