"""What credpath writes for others: diagrams, the learner site, the manifest, CTDL
and Open Badges."""
