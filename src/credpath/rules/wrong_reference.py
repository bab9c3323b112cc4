"""A reference of the wrong kind or level.

A level on a credential, a level the competency does not have, an outcome or
pathway named as a requirement, a credential in ``grants``.

Failing::

    credentials:
      - id: sql-advanced
        title: Advanced SQL
        type: course
        requires: [sql-foundations@2]   # a credential has no levels
        grants: [sql@4]                 # sql has three levels

Passing::

    credentials:
      - id: sql-advanced
        title: Advanced SQL
        type: course
        requires: [sql-foundations]
        grants: [sql@3]
"""

ID = "wrong-reference"
SEVERITY = "error"
