"""The file is not safe, valid YAML in UTF-8.

Reported at the parser's line and column. Also: custom tags (``!!python/object``),
aliases that expand beyond a million values, nesting deeper than 1,000, files
over ``max_file_mib`` (10 MiB by default), bytes that are not UTF-8, NUL bytes.
Always an error.

Failing::

    credentials:
      - id: sql-foundations
        title: [SQL Foundations

Passing::

    credentials:
      - id: sql-foundations
        title: SQL Foundations
"""

ID = "yaml-syntax"
SEVERITY = "error"
