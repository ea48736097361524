"""The ``<head>`` of every HTML page: one viewport tag, a meta description and Open Graph
tags (title, description, type, site name and, with ``html_baseurl``, the page URL).

Record pages describe themselves from their own data (the summary a reader sees
first); hand-written pages from their first paragraph. Theme-neutral: everything
goes through the ``metatags`` of the page context, which every theme prints.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_dossier.core.text import STATUS_TEXT, date_text, display_title, plain_text
from sphinx_dossier.sphinx_ext._shared import page_record

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import LoadedRecord

__all__ = ["describe_record", "setup_meta"]

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


def describe_record(loaded: LoadedRecord) -> str:
    """One or two sentences about a record, from its own fields and first claim only."""
    record = loaded.record
    title = display_title(loaded)
    kind = loaded.kind
    parts: list[str] = []
    if kind == "event":
        status = STATUS_TEXT.get(str(getattr(record, "status", "")), "")
        when = date_text(getattr(record, "date", None)).split(" (")[0]
        parts.append(f"{title}: an event of {when}, {status}.")
    elif kind == "actor":
        parts.append(f"{title}: {getattr(record, 'kind', 'actor')} in the sources.")
    elif kind == "agreement":
        parts.append(f"{title}: an agreement and its history in the sources.")
    else:
        published = getattr(record, "published", None)
        when = f", published {date_text(published).split(' (')[0]}" if published else ""
        parts.append(f"{title}: a source text{when}.")
    if record.claims:
        parts.append(plain_text(str(record.claims[0].text)))
    return _shorten(" ".join(parts))


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
        description, og_type = describe_record(loaded), "article"
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
