"""Two entries share an id; both places are reported.

Ids are unique across the project and across all four kinds. The first
definition in path order is the one every other check uses.

Failing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql, title: SQL course, type: course}

Passing::

    competencies:
      - {id: sql, title: SQL}
    credentials:
      - {id: sql-course, title: SQL course, type: course}
"""

ID = "duplicate-id"
SEVERITY = "error"
