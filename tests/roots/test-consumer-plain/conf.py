"""A project WITHOUT sphinx_dossier linking to a dossier site through intersphinx only."""

extensions = ["myst_parser", "sphinx.ext.intersphinx"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
# The test copies the producer's objects.inv next to this file (no network).
intersphinx_mapping = {"harbour": ("https://example.org/harbour/", "harbour-objects.inv")}
exclude_patterns = ["_build"]
html_theme = "basic"
