"""The author's tools: the language server and `credpath new`."""
