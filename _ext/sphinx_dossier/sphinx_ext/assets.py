"""The stylesheets and scripts pages get: the extension's, and only where used.

A project generating a dossier gets the extension's files on every page (record pages,
listings and hand-written pages showing records all use them). In consumer mode
(``dossier_generate = False``) the extension only resolves roles into plain links, so
no page gets them. The extension does not use sphinx-design (its badges and cards have
their own styles); a project that loads sphinx-design for its own pages keeps its files
on the pages that use one of its components.
"""

from __future__ import annotations

import re
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


#: A sphinx-design component in a page's body: an element with one of its classes.
_DESIGN_CLASS = re.compile(r'class="(?:[^"]* )?sd-')

#: Files a page loads only to style or run something it may not have: the file name's
#: start -> what the page's body holds when it needs the file.
_ONLY_WHEN_USED = {
    "pygments.css": 'class="highlight',  # Sphinx's code colours: pages with code
    "design-tabs.js": "sd-tab",  # sphinx-design's tab script: pages with tabs
}


def drop_unused_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: leave out the files a page does not use.

    In consumer mode no page uses the extension's files. When generating, a page without
    code drops the highlighting sheet: most record pages have none, and it was a ninth of
    what a record page loads. Where the project loads sphinx-design itself, a page using
    none of its components (record pages: the extension's badges and cards are styled by
    its own sheet) drops sphinx-design's stylesheet (a seventh of a record page's weight)
    and one without tabs its tab script.
    """
    body = str(context.get("body", ""))
    drop = {name for name, marker in _ONLY_WHEN_USED.items() if marker not in body}
    if not app.config.dossier_generate:
        drop |= {path.name for path in STATIC.iterdir()}
        design = False  # the project's own pages, as the project made them
    else:
        # The extension's badges and cards have their own styles: a page using no
        # sphinx-design component (record pages) needs none of sphinx-design's files.
        design = _DESIGN_CLASS.search(body) is None

    def unused(asset: Any) -> bool:
        name = _name(asset)
        return name in drop or (design and name.startswith(DESIGN_PREFIXES))

    for key in ("css_files", "script_files"):
        files = context.get(key)
        if isinstance(files, list):
            context[key] = [asset for asset in files if not unused(asset)]


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", add_static)
    app.connect("html-page-context", drop_unused_assets)
