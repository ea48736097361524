"""Sphinx glue for JSON-LD: each record page's ``<head>`` gets its schema.org data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_dossier.outputs.jsonld import record_jsonld, script_tag
from sphinx_dossier.sphinx_ext._shared import dossier_domain, page_record
from sphinx_dossier.sphinx_ext.config import license_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def add_jsonld(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: object,
) -> None:
    """html-page-context: add the record's JSON-LD to the ``metatags`` of its page."""
    loaded = page_record(app.env, pagename)
    domain = dossier_domain(app.env)
    dataset = domain.dataset
    if loaded is None or dataset is None:
        return
    builder = app.builder
    base = str(app.config.html_baseurl or "").rstrip("/")

    def iri(target: str) -> str | None:
        entry = domain.records.get(target)
        if entry is None:
            return None
        if base:
            uri = f"{base}/{builder.get_target_uri(entry.docname)}"
        else:
            # A page's link to itself is "" in Sphinx; name the file so the IRI reads well.
            uri = (
                builder.get_relative_uri(pagename, entry.docname)
                or (builder.get_target_uri(pagename).rsplit("/", 1)[-1])
            )
        return f"{uri}#{entry.anchor}"

    license = license_of(app.config)
    license_url = license.url if license is not None else None
    context["metatags"] = context.get("metatags", "") + script_tag(
        record_jsonld(loaded, dataset, iri, license_url=license_url)
    )


def setup_jsonld(app: Sphinx) -> None:
    """Register the JSON-LD writer."""
    app.connect("html-page-context", add_jsonld)
