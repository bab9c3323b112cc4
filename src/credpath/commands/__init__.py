"""CLI command groups, one module each, so that each stays small and imports lazily."""
