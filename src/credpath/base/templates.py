"""credpath's one jinja2 set-up for the HTML it writes (the learner site, the drift report).

Every value from YAML or from learner records is escaped (``autoescape``), a name the
template does not get is an error rather than an empty string (``StrictUndefined``), and
the output is the same bytes on every run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment


def environment(package: str) -> Environment:
    """The templates in ``package``'s ``templates`` folder."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
