"""A project using sphinx_dossier in consumer mode: typed roles, no data of its own."""

extensions = ["myst_parser", "sphinx.ext.intersphinx", "sphinx_dossier"]
dossier_generate = False
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
intersphinx_mapping = {"harbour": ("https://example.org/harbour/", "harbour-objects.inv")}
exclude_patterns = ["_build"]
html_theme = "basic"
