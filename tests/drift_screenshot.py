"""The README's picture of the drift report (docs/drift-report.png; ``make docs-images``).

Simulates 5,000 learners on curricula/data-careers, as ``make demo`` does, writes the
HTML report and photographs it in the tests' headless Chromium.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import browser

ROOT = Path(__file__).parents[1]
PICTURE = ROOT / "docs" / "drift-report.png"


def main() -> None:
    credpath = Path(sys.executable).parent / "credpath"
    project = ROOT / "curricula" / "data-careers"
    with tempfile.TemporaryDirectory() as folder:
        records, page = Path(folder) / "records.csv", Path(folder) / "drift.html"
        subprocess.run(
            [str(credpath), "simulate", str(project), "--learners", "5000", "-o", str(records)],
            check=True,
        )
        subprocess.run(
            [str(credpath), "drift", str(records), "--project", str(project),
             "--as-of", "2024-12-31", "-o", str(page)],
            check=True,
        )  # fmt: skip
        chrome = browser.chromium(width=1100, height=1900)
        try:
            chrome.get(page.as_uri())
            chrome.save_screenshot(str(PICTURE))
        finally:
            chrome.quit()
    print(f"wrote {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
