"""Directives of the generated pages: one record (``dossier:record``) and a listing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.layout import LISTINGS, record_docname
from sphinx_dossier.sphinx_ext._shared import display_location, dossier_domain, warn, warn_at
from sphinx_dossier.sphinx_ext.assembled import (
    listing_docnames,
    record_toctree,
    wants_record_toctree,
)
from sphinx_dossier.sphinx_ext.buildctx import builder_of
from sphinx_dossier.sphinx_ext.nodes import View, view_node
from sphinx_dossier.sphinx_ext.render import RecordRenderer, missing_renderers
from sphinx_dossier.sphinx_ext.views import Views

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def record_page_nodes(env: BuildEnvironment, record_id: str, location: str) -> list[nodes.Node]:
    """The body of one record as ``dossier:record`` renders it on the page being read.

    ``location`` (``path:line``) is where warnings about the directive itself point. The
    directive calls this, and so does the parser of the generated record stubs
    (:mod:`~sphinx_dossier.sphinx_ext.stubparser`), which has no directive to run.
    """
    domain = dossier_domain(env)
    config = env.config
    shown = cast("list[str]", env.current_document.setdefault("dossier_records_shown", []))
    if record_id in shown:
        # Its anchors would be there twice (assembled.QualifyIds makes the anchors of
        # different records unique, not those of one record shown twice).
        warn(
            BuildWarning.RECORD,
            "record %r is already shown on this page; link to it instead ({dossier:record}`%s`)",
            record_id,
            record_id,
            location=location,
        )
        return []
    shown.append(record_id)
    dataset = domain.dataset
    loaded = dataset.records.get(record_id) if dataset is not None else None
    if dataset is None or loaded is None:
        reason = (
            "no dataset is loaded (dossier_generate = False)"
            if dataset is None
            else "no valid record has this id"
        )
        warn(
            BuildWarning.RECORD,
            "cannot render record %r: %s",
            record_id,
            reason,
            location=location,
        )
        return []
    path = loaded.path

    def warn_here(subtype: BuildWarning, message: str, line: int | None) -> None:
        warn_at(path, line, subtype, message)

    rendered = RecordRenderer(loaded, dataset, refdoc=env.docname, warn=warn_here).render()
    domain.note_inputs(env, [path, *sorted(rendered.dependencies)])
    own_page = record_docname(config.dossier_pages_dir, loaded.kind, record_id)
    if env.docname != own_page:
        # Shown elsewhere too (e.g. on a hand-written page): the record and its
        # claims stay registered at their own page only.
        return rendered.nodes
    domain.note_record(loaded.kind, record_id, rendered.anchor, rendered.title)
    for name, anchor, title in rendered.claims:
        domain.note_claim(name, anchor, title)
    if config.dossier_std_labels:
        std = env.domains.standard_domain
        taken = std.anonlabels.get(record_id)
        if taken is None or taken[0] == env.docname:
            std.note_hyperlink_target(record_id, env.docname, rendered.anchor, rendered.title)
    return rendered.nodes


class RecordDirective(SphinxDirective):
    """The page body of one record, read from the dataset of this build."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        return record_page_nodes(self.env, self.arguments[0], self.get_location())


class ListingDirective(SphinxDirective):
    """A list of records (timeline, actors, agreements, sources), filled at write time."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in LISTINGS:
            warn(
                BuildWarning.LISTING,
                "unknown dossier listing %r; choose one of %s",
                name,
                ", ".join(LISTINGS),
                location=self.get_location(),
            )
            return []
        node = view_node(View(name), "")
        self.set_source_info(node)
        result: list[nodes.Node] = [node]
        docname = self.env.docname
        if listing_docnames(self.config).get(docname) == name and wants_record_toctree(
            builder_of(self.env), self.config
        ):
            # Only on the generated listing page: each record has one place in the book.
            rows = Views(self.env, dossier_domain(self.env)).data(name, "")
            kinds = {"timeline": "event", "actors": "actor", "agreements": "agreement"}
            kind = kinds.get(name, "source")
            pages = self.config.dossier_pages_dir
            result.append(
                record_toctree(
                    self.env, docname, [record_docname(pages, kind, row["id"]) for row in rows]
                )
            )
        return result


def check_labels(app: Sphinx, env: object) -> None:
    """Report records whose std label another page took (``:ref:`` would go there)."""
    if not app.config.dossier_generate or not app.config.dossier_std_labels:
        return
    domain = dossier_domain(app.env)
    std = app.env.domains.standard_domain
    dataset = domain.dataset
    for record_id, entry in sorted(domain.records.items()):
        taken = std.anonlabels.get(record_id)
        if taken is not None and taken[0] != entry.docname:
            loaded = dataset.records.get(record_id) if dataset is not None else None
            location = (
                display_location(Path(loaded.path), loaded.line_of(("id",)))
                if loaded is not None
                else None
            )
            if taken[0] in app.env.all_docs:
                where = f"defined in {app.env.doc2path(taken[0])}"
                fix = "rename that label"
            else:  # genindex, search, py-modindex: pages Sphinx makes itself
                where = f"the name of Sphinx's own page {taken[0]!r}"
                fix = "choose another id for the record"
            warn(
                BuildWarning.LABEL_CLASH,
                "the label %r of this record is also %s, so :ref:`%s` goes there;"
                " %s (or set dossier_std_labels = False)",
                record_id,
                where,
                record_id,
                fix,
                location=location,
            )


def setup_directives(app: Sphinx) -> None:
    missing = missing_renderers()
    if missing:
        raise ExtensionError(
            f"sphinx_dossier: no page renderer for record kind(s) {', '.join(missing)}:"
            " register one with @facts_for(kind) in sphinx_ext/render.py"
        )
    app.add_directive_to_domain("dossier", "record", RecordDirective)
    app.add_directive_to_domain("dossier", "listing", ListingDirective)
    app.connect("env-check-consistency", check_labels)
