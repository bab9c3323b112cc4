"""The site screenshots in docs/ (``make docs-images``), taken with the tests' browser.

Builds the learner site of curricula/data-careers and photographs, for a learner who
holds two credentials, the home page, an outcome page and a credential page: what a
learner sees.
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
    "index.html": "site-home.png",
    "outcomes/junior-data-analyst.html": "site-outcome.png",
    "credentials/advanced-sql-performance.html": "site-credential.png",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        credpath = Path(sys.executable).parent / "credpath"
        project = ROOT / "curricula" / "data-careers"
        subprocess.run([str(credpath), "site", str(project), "-o", str(site)], check=True)
        chrome = browser.chromium(width=1100, height=1400)
        try:
            for page, picture in SHOTS.items():
                chrome.get((site / page).as_uri() + f"#have={HAVE}")
                chrome.save_screenshot(str(ROOT / "docs" / picture))
                print(f"wrote docs/{picture}")
        finally:
            chrome.quit()


if __name__ == "__main__":
    main()
