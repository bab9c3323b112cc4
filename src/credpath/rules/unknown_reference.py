"""A reference to an id that does not exist, with a "did you mean" suggestion.

Failing::

    outcomes:
      - id: junior-data-analyst
        title: Junior Data Analyst
        requires: [sequel@2]

Passing::

    outcomes:
      - id: junior-data-analyst
        title: Junior Data Analyst
        requires: [sql@2]
"""

ID = "unknown-reference"
SEVERITY = "error"
