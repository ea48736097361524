"""The smallest dossier: one source, one actor, one event; Sphinx's default theme, no MyST."""

project = "Three records"
extensions = ["sphinx_dossier"]
dossier_data_dir = "data"
dossier_corpus_dir = "corpus"
exclude_patterns = ["_build", "data", "corpus"]
