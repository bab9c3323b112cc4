"""Importers: turn curricula kept in other tools' formats into credpath projects."""
