"""The ``<head>`` of every HTML page: one viewport tag, a meta description and Open Graph
tags (title, description, type, site name and, with ``html_baseurl``, the page URL).

Record pages describe themselves by their lead paragraph (``summary.py``: the
record's own fields in words, the summary a reader sees first); hand-written pages
by their first paragraph. Theme-neutral: everything
goes through the ``metatags`` of the page context, which every theme prints.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_dossier.sphinx_ext._shared import page_record
from sphinx_dossier.sphinx_ext.summary import lead_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["setup_meta"]

#: Longest description, in characters (search engines show about this much).
MAX_DESCRIPTION = 200
# docutils' HTML5 writer adds its own viewport tag to ``metatags``; every theme's
# template already has one, so pages carried two.
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\s*')


def _shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _first_paragraph(doctree: nodes.document | None) -> str:
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        if isinstance(parent, nodes.Admonition | nodes.field_body | nodes.list_item):
            continue
        text = paragraph.astext().strip()
        if len(text.split()) >= 6:
            return _shorten(text)
    return ""


def _tag(attr: str, name: str, content: str) -> str:
    return f'<meta {attr}="{html.escape(name)}" content="{html.escape(content)}" />\n'


def add_meta(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """html-page-context: one viewport tag, a description and Open Graph tags."""
    metatags = _VIEWPORT.sub("", str(context.get("metatags", "")))
    loaded = page_record(app.env, pagename)
    if loaded is not None:
        # The lead a reader sees first: the record's fields in words, nothing more.
        description, og_type = _shorten(lead_text(doctree)), "article"
    else:
        description, og_type = _first_paragraph(doctree), "website"
    title = re.sub(r"<[^>]+>", "", str(context.get("title", ""))).strip()
    tags = []
    if description and 'name="description"' not in metatags:
        tags.append(_tag("name", "description", description))
    if title:
        tags.append(_tag("property", "og:title", html.unescape(title)))
    if description:
        tags.append(_tag("property", "og:description", description))
    tags.append(_tag("property", "og:type", og_type))
    project = str(app.config.project or "")
    if project:
        tags.append(_tag("property", "og:site_name", project))
    base = str(app.config.html_baseurl or "").rstrip("/")
    if base:
        tags.append(_tag("property", "og:url", f"{base}/{app.builder.get_target_uri(pagename)}"))
    context["metatags"] = metatags + "".join(tags)


def setup_meta(app: Sphinx) -> None:
    """Register the head writer."""
    app.connect("html-page-context", add_meta)
