"""Where learners went after a credential, from a ``credpath drift --format json`` report.

``credpath site --drift REPORT.json`` shows on each credential page "Most learners who
finished this went on to: X (N%), Y (M%)". The report is a file someone may have edited,
so it is read as untrusted JSON (``base.json_input``) and checked here, shape and values;
only aggregates it publishes are used: a credential whose count of learners who went on
(``continued``) is suppressed shows nothing, and a destination counted below the report's
``min_group`` is left out, even if a hand-edited report lists it. Percentages are of the
learners who went on (the earners are suppressed more often: whenever the censored count
is small), both counts the report shows, so nothing suppressed can be worked out. This
module reads plain JSON values: the site does not depend on the analytics that wrote them.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any

SHOWN = 3
"""Destinations named per credential, the most taken first."""

MAX_BYTES = 64 * 2**20
"""The largest report read: a 10,000-credential report is a few MB."""


class NotAReport(ValueError):
    """The JSON is not a drift report this site reads; the message says where, in one line."""


@dataclass(frozen=True)
class WentNext:
    """How many of a credential's earners went on to another credential, and which ones,
    with how many of them."""

    went_on: int
    destinations: tuple[tuple[str, int], ...]

    def shares(self, known: Container[str]) -> list[tuple[str, int]]:
        """(credential id, whole percent of those who went on), the most taken first, of
        the first ``SHOWN`` destinations among the ``known`` ones."""
        listed = [(c, n) for c, n in self.destinations if c in known][:SHOWN]
        return [
            (credential, round(100 * learners / self.went_on)) for credential, learners in listed
        ]


def _count(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NotAReport(f"{where} is not a count")
    return value


def _field(entry: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind):
        raise NotAReport(f"{where}.{key} is missing or not a {kind.__name__}")
    return value


def went_next(document: object) -> dict[str, WentNext]:
    """Per credential id, where its earners went next, from a drift report's JSON;
    ``NotAReport`` when it is not one. Credentials with nothing to show are left out."""
    if not isinstance(document, dict):
        raise NotAReport("the document is not a JSON object")
    min_group = _count(document.get("min_group"), "min_group")
    if not min_group:
        raise NotAReport("min_group is missing or not a positive count")
    entries = _field(document, "credentials", list, "the report")
    found: dict[str, WentNext] = {}
    for number, entry in enumerate(entries):
        where = f"credentials[{number}]"
        if not isinstance(entry, dict):
            raise NotAReport(f"{where} is not an object")
        credential = _field(entry, "id", str, where)
        suppressed = _field(entry, "suppressed", list, where)
        went_on = _count(entry.get("continued"), f"{where}.continued")
        destinations = []
        for index, went in enumerate(_field(entry, "went_next", list, where)):
            at = f"{where}.went_next[{index}]"
            if not isinstance(went, dict):
                raise NotAReport(f"{at} is not an object")
            target = _field(went, "id", str, at)
            learners = _count(went.get("learners"), f"{at}.learners")
            if learners is not None and went_on is not None and learners > went_on:
                raise NotAReport(f"{at}.learners is more than the credential's continued")
            if learners is not None and learners >= min_group:
                destinations.append((target, learners))
        if went_on is None or went_on < min_group or "continued" in suppressed:
            continue
        destinations.sort(key=lambda pair: (-pair[1], pair[0]))
        if destinations:
            found[credential] = WentNext(went_on, tuple(destinations))
    return found
