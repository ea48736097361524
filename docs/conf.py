"""Sphinx configuration of the GSOMIA dossier site."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

project = "GSOMIA dossier"
author = "The dossier contributors"
# The licence of our own text and data (not of the quotes, which stay their publishers').
# dossier_license puts it into dataset.json, the JSON-LD, the annotations and the
# database; the footer (the theme's copyright line) says it to readers.
dossier_license = "CC-BY-4.0"
copyright = (
    "2026, the dossier contributors. Text and data: CC BY 4.0; quotations remain their publishers'"
)
# EPUB needs a version (Sphinx warns when it is empty); the site is not versioned.
version = release = "2026"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_dossier",
]

# The data sits beside the docs; record pages are generated into docs/records/.
dossier_data_dir = "../data"
dossier_pages_dir = "records"
dossier_std_labels = True

myst_enable_extensions = ["colon_fence", "deflist"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"

html_theme = "furo"
html_title = "GSOMIA dossier"
html_copy_source = False
html_show_sourcelink = False
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
