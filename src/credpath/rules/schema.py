"""A missing field, a wrong type, an unknown key, a bad id, a bad URL or a bad level.

Unknown keys are errors everywhere: they are usually typos. Always an error.

Failing::

    credentials:
      - id: SQL Foundations
        titel: SQL Foundations
        type: course
        url: ftp://example.edu/sql

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
        type: course
        url: https://example.edu/sql
"""

ID = "schema"
SEVERITY = "error"
