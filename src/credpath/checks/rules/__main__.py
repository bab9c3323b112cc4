"""``python -m credpath.checks.rules [FILE]``: regenerate docs/rules.md from the rule docstrings."""

from __future__ import annotations

import sys
from pathlib import Path

from credpath.checks.rules._docs import markdown


def main(argv: list[str]) -> int:
    text = markdown()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
