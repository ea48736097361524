"""The stylesheets and scripts pages get: the extension's, and sphinx-design's it loads.

A project generating a dossier gets them on every page (record pages, listings and
hand-written pages showing records all use them). In consumer mode
(``dossier_generate = False``) the extension only resolves roles into plain links,
so no page gets them: neither the extension's files nor those of sphinx-design,
unless the project loads sphinx-design itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC = Path(__file__).parent.parent / "static"
#: File names sphinx-design adds to every page (its stylesheet's name carries a hash).
DESIGN_PREFIXES = ("sphinx-design.", "design-tabs.js")


def add_static(app: Sphinx) -> None:
    """builder-inited: publish the package's static folder for HTML builds."""
    if app.builder.format == "html" and app.config.dossier_generate:
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("dossier.css")


def _name(asset: Any) -> str:
    return str(getattr(asset, "filename", asset)).rsplit("/", 1)[-1].split("?", 1)[0]


def drop_unused_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: in consumer mode, leave out the files no page there uses."""
    if app.config.dossier_generate:
        return
    ours = {path.name for path in STATIC.iterdir()}
    design = "sphinx_design" not in app.config.extensions

    def unused(asset: Any) -> bool:
        name = _name(asset)
        return name in ours or (design and name.startswith(DESIGN_PREFIXES))

    for key in ("css_files", "script_files"):
        files = context.get(key)
        if isinstance(files, list):
            context[key] = [asset for asset in files if not unused(asset)]


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", add_static)
    app.connect("html-page-context", drop_unused_assets)
