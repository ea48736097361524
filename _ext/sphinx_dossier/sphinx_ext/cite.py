"""Citing and checking evidence: quote links into the original, "cite this entry", pop-up assets.

- :func:`text_fragment_url` links a source URL to the quoted words (``#:~:text=``), so a
  browser that supports text fragments scrolls to and highlights them.
- The ``cite-this`` view (filled at write time, when the page URL is known) gives the
  reST and MyST reference forms and a plain-text citation of a record page.
- ``dossier-cite.js``/``.css`` turn each citation marker into a pop-up showing the
  source, date and quote on hover and on keyboard focus.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dossier.core.kinds import KINDS, spec
from sphinx_dossier.core.text import display_title
from sphinx_dossier.sphinx_ext._shared import dossier_domain
from sphinx_dossier.sphinx_ext.buildctx import builder_of
from sphinx_dossier.sphinx_ext.nodes import View, dossier_view

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import Dataset

CITE_VIEW = View.CITE_THIS
CSS_FILES = ("dossier-cite.css",)
JS_FILES = ("dossier-cite.js",)
#: Quotes longer than this are matched by their first and last words (start,end form).
FRAGMENT_WORDS = 8
EDGE_WORDS = 4


def _fragment_part(text: str) -> str:
    # Text directives reserve "-", "," and "&"; quote() leaves "-" alone, so encode it too.
    return quote(text, safe="").replace("-", "%2D")


def text_fragment_url(url: str, quoted: str) -> str:
    """``url`` with a text fragment that highlights ``quoted`` in the page.

    Short quotes are matched whole; long ones as ``start,end`` so that small differences
    inside the quote (typography, ellipses) do not stop the match.
    """
    words = re.sub(r"\s+", " ", quoted.replace("…", " ").replace("...", " ")).strip().split(" ")
    words = [w for w in words if w]
    if not words:
        return url
    if len(words) <= FRAGMENT_WORDS:
        directive = _fragment_part(" ".join(words))
    else:
        start = _fragment_part(" ".join(words[:EDGE_WORDS]))
        end = _fragment_part(" ".join(words[-EDGE_WORDS:]))
        directive = f"{start},{end}"
    separator = ":~:" if "#" in url else "#:~:"
    return f"{url}{separator}text={directive}"


def cite_data(dataset: Dataset | None, record_id: str) -> dict[str, str] | None:
    """What the "cite this entry" block of a record shows."""
    if dataset is None:
        return None
    loaded = dataset.records.get(record_id)
    if loaded is None:
        return None
    return {
        "id": record_id,
        "kind": loaded.kind,
        "title": display_title(loaded),
    }


#: Sphinx's value when conf.py sets no project name.
UNSET_PROJECT = "Project name not set"


def plain_citation(project: str, data: dict[str, str], url: str) -> str:
    kind = spec(data["kind"]).label if data["kind"] in KINDS else data["kind"]
    prefix = f"{project}. " if project and project != UNSET_PROJECT else ""
    return f"{prefix}“{data['title']}” {kind} record {data['id']}. {url}"


def cite_nodes(data: dict[str, str], *, project: str, url: str) -> list[nodes.Node]:
    """The body of the "cite this entry" section: reference forms and a plain citation."""
    role = f"dossier:{data['kind']}"
    forms = [
        ("reStructuredText", f":{role}:`{data['id']}`"),
        ("MyST Markdown", f"{{{role}}}`{data['id']}`"),
    ]
    items = nodes.definition_list(classes=["dossier-cite-forms"])
    for label, text in forms:
        items += nodes.definition_list_item(
            "",
            nodes.term(label, label),
            nodes.definition("", nodes.paragraph("", "", nodes.literal(text, text))),
        )
    citation = plain_citation(project, data, url)
    if url:
        head, _, _ = citation.rpartition(url)
        body: list[nodes.Node] = [
            nodes.Text(head),
            nodes.reference(url, url, refuri=url, classes=["dossier-cite-url"]),
        ]
    else:
        body = [nodes.Text(citation.rstrip())]
    plain = nodes.paragraph("", "", *body, classes=["dossier-cite-plain"])
    items += nodes.definition_list_item(
        "", nodes.term("Plain text", "Plain text"), nodes.definition("", plain)
    )
    intro = nodes.paragraph(
        "",
        "To refer to this record from another page of this project, or from a project that "
        "loads the extension:",
    )
    return [intro, items]


def page_url(builder: Any, config: Any, docname: str) -> str:
    """Absolute page URL when ``html_baseurl`` is set; otherwise the page's own file name,
    which the pop-up script replaces by the address the reader sees."""
    target = str(builder.get_target_uri(docname))
    base = str(getattr(config, "html_baseurl", "") or "")
    if base:
        return base.rstrip("/") + "/" + target
    return target.rsplit("/", 1)[-1] or "./"


def relative_page_url(builder: Any, config: Any, docname: str, here: str) -> str:
    """:func:`page_url` of ``docname`` as seen from the page ``here`` (which may be a
    hand-written page showing the record: the citation is still of the record's page)."""
    if here == docname or str(getattr(config, "html_baseurl", "") or ""):
        return page_url(builder, config, docname)
    return str(builder.get_relative_uri(here, docname))


class CiteTransform(SphinxPostTransform):
    """Fill ``cite-this`` placeholders; the page URL is only known at write time."""

    default_priority = 4  # before the extension's own view transform (5)

    def run(self, **kwargs: Any) -> None:
        domain = dossier_domain(self.env)
        builder = builder_of(self.env)
        for node in list(self.document.findall(dossier_view)):
            if str(node["view"]) != CITE_VIEW:
                continue
            data = cite_data(domain.dataset, str(node.get("arg", "")))
            if data is None:
                node.parent.remove(node)
                continue
            entry = domain.records.get(data["id"])
            own = entry.docname if entry is not None else self.env.docname
            # Only HTML has pages to link to; elsewhere (text, man, linkcheck) the
            # citation names the record without a link that would point nowhere.
            url = (
                relative_page_url(builder, self.config, own, self.env.docname)
                if builder.format == "html"
                else ""
            )
            node.replace_self(cite_nodes(data, project=str(self.config.project), url=url))


def setup_cite(app: Sphinx) -> None:
    app.add_post_transform(CiteTransform)
    # The files sit in the package's static folder, which the extension's setup publishes.
    for css in CSS_FILES:
        app.add_css_file(css)
    for js in JS_FILES:
        app.add_js_file(js, loading_method="defer")
