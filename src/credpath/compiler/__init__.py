"""The pipeline from files to meaning: discovery, YAML, the model, the catalog,
learner semantics and derived pathways."""
