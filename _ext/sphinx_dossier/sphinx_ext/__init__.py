"""The Sphinx extension: domain, directives, generated pages and the builders' hooks.

Everything here may import ``core`` and ``outputs``; nothing there imports this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_dossier._version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Wire the modules together."""
    from sphinx_dossier.sphinx_ext.a11y import setup_a11y
    from sphinx_dossier.sphinx_ext.assembled import setup_assembled
    from sphinx_dossier.sphinx_ext.assets import setup_assets
    from sphinx_dossier.sphinx_ext.browse import setup_browse
    from sphinx_dossier.sphinx_ext.buildctx import remember_builder
    from sphinx_dossier.sphinx_ext.cite import setup_cite
    from sphinx_dossier.sphinx_ext.config import setup_config
    from sphinx_dossier.sphinx_ext.datafiles import setup_export
    from sphinx_dossier.sphinx_ext.directives import setup_directives
    from sphinx_dossier.sphinx_ext.domain import setup_domain
    from sphinx_dossier.sphinx_ext.evidence import setup_evidence
    from sphinx_dossier.sphinx_ext.fieldref import setup_fieldref
    from sphinx_dossier.sphinx_ext.figures import setup_figures
    from sphinx_dossier.sphinx_ext.heap import setup_heap
    from sphinx_dossier.sphinx_ext.indices import setup_indices
    from sphinx_dossier.sphinx_ext.jsonld import setup_jsonld
    from sphinx_dossier.sphinx_ext.meta import setup_meta
    from sphinx_dossier.sphinx_ext.nodes import (
        depart_toggle_html,
        depart_toggle_summary_html,
        dossier_toggle,
        dossier_toggle_summary,
        dossier_view,
        visit_skip,
        visit_toggle_html,
        visit_toggle_summary_html,
    )
    from sphinx_dossier.sphinx_ext.notes import setup_notes
    from sphinx_dossier.sphinx_ext.pages import setup_pages
    from sphinx_dossier.sphinx_ext.recovery import setup_recovery
    from sphinx_dossier.sphinx_ext.search import setup_search
    from sphinx_dossier.sphinx_ext.sources import setup_sources
    from sphinx_dossier.sphinx_ext.stubparser import setup_stub_parser
    from sphinx_dossier.sphinx_ext.subtypes import setup_subtypes
    from sphinx_dossier.sphinx_ext.transforms import setup_transforms

    app.require_sphinx("8.2")
    app.connect("builder-inited", remember_builder, priority=100)
    setup_config(app)
    setup_recovery(app)
    setup_domain(app)
    setup_indices(app)
    setup_directives(app)
    setup_pages(app)
    setup_stub_parser(app)
    setup_transforms(app)
    setup_notes(app)
    setup_browse(app)
    setup_figures(app)
    setup_cite(app)
    setup_a11y(app)
    setup_export(app)
    setup_jsonld(app)
    setup_meta(app)
    setup_search(app)
    setup_subtypes(app)
    setup_fieldref(app)
    setup_evidence(app)
    setup_assembled(app)
    setup_heap(app)
    # Placeholders are always replaced at write time; skipping is the safe fallback.
    skip = (visit_skip, None)
    app.add_node(dossier_view, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    # Toggles are <details> in HTML; other writers show them as plain containers.
    app.add_node(dossier_toggle, html=(visit_toggle_html, depart_toggle_html))
    app.add_node(
        dossier_toggle_summary, html=(visit_toggle_summary_html, depart_toggle_summary_html)
    )
    setup_assets(app)
    setup_sources(app)
    return {
        "version": __version__,
        "env_version": 5,  # 5: the domain's record_toctrees
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
