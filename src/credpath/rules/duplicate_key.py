"""A key is repeated in one mapping; only the first one is used.

Always an error: YAML loaders disagree about which value wins.

Failing::

    - id: sql-foundations
      title: SQL Foundations
      title: SQL Basics

Passing::

    - id: sql-foundations
      title: SQL Foundations
"""

ID = "duplicate-key"
SEVERITY = "error"
