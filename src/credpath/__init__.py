"""credpath: a pathway compiler for stackable (micro)credentials."""

__version__ = "0.1.0"
