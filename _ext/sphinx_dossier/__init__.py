"""Sphinx extension ``sphinx_dossier``: a domain and generated pages for sourced YAML records."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

STATIC = Path(__file__).parent / "static"


def _add_static(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        app.add_css_file("dossier.css")


def setup(app: Sphinx) -> dict[str, Any]:
    """Wire the modules together."""
    # Imported here, not at module level: `python -m sphinx_dossier check` imports this
    # package and should not pay for Sphinx and every page module.
    from sphinx_dossier.a11y import setup_a11y
    from sphinx_dossier.buildctx import remember_builder
    from sphinx_dossier.cite import setup_cite
    from sphinx_dossier.config import setup_config
    from sphinx_dossier.directives import setup_directives
    from sphinx_dossier.domain import setup_domain
    from sphinx_dossier.export_sphinx import setup_export
    from sphinx_dossier.fieldref import setup_fieldref
    from sphinx_dossier.figures_sphinx import setup_figures
    from sphinx_dossier.jsonld import setup_jsonld
    from sphinx_dossier.nodes import dossier_view, visit_skip
    from sphinx_dossier.pages import setup_pages
    from sphinx_dossier.recovery import setup_recovery
    from sphinx_dossier.subtypes import setup_subtypes
    from sphinx_dossier.transforms import setup_transforms

    app.require_sphinx("8.2")
    app.setup_extension("sphinx_design")
    app.connect("builder-inited", remember_builder, priority=100)
    setup_config(app)
    setup_recovery(app)
    setup_domain(app)
    setup_directives(app)
    setup_pages(app)
    setup_transforms(app)
    setup_figures(app)
    setup_cite(app)
    setup_a11y(app)
    setup_export(app)
    setup_jsonld(app)
    setup_subtypes(app)
    setup_fieldref(app)
    # Placeholders are always replaced at write time; skipping is the safe fallback.
    skip = (visit_skip, None)
    app.add_node(dossier_view, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.connect("builder-inited", _add_static)
    return {
        "version": __version__,
        "env_version": 3,  # 3: input stamps carry the change time
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
