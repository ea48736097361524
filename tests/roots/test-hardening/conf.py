"""Base of the hardening tests: a tiny valid dossier that catalogue cases overlay."""

extensions = ["myst_parser", "sphinx_design", "sphinx_dossier"]
dossier_data_dir = "data"
dossier_corpus_dir = "corpus"
exclude_patterns = ["_build", "data", "corpus"]
html_theme = "basic"
