"""Learner analytics: what real learners did on a project's pathways (``credpath drift``).

Records are read into an in-process DuckDB database (``records``), the counting is SQL
over them (``drift``), every number passes the small-cell suppression of ``privacy``
before any format sees it (``reports``, ``html``), and ``simulate`` makes records with
a known truth for the demo and the tests. Learner identifiers never leave DuckDB: they
are hashed as they are read, and no message, output or file names one.
"""
