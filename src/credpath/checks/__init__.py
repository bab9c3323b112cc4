"""Rules over the compiled project, their findings, suppressions, the cache and the
reporters."""
