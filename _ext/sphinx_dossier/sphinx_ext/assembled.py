"""Builders that put many pages into one output (LaTeX, singlehtml, man, texinfo, epub).

Record pages are orphans, out of the toctree, because a theme renders the whole
navigation tree into every HTML page. Builders that assemble one document from the
toctree (:data:`ASSEMBLING`, ``dossier_toctree_builders``) would leave them out, and
every link to them would be bare text: for those builders the generated listing pages
list their records in a hidden toctree, so each record becomes a section below its
listing. Which builder read the listing pages is kept in the domain data, and they are
read again when the next build wants the other form (a shared doctree folder, as in
``make html latexpdf``).

When several record pages end up in one HTML document (singlehtml, or a hand-written
page showing more than one record), their anchors would clash (``cite-1``,
``dossier-claims``...): :class:`QualifyIds` prefixes every anchor inside such a record
with its id, and the links to them with it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dossier.core.layout import LISTINGS
from sphinx_dossier.sphinx_ext._shared import dossier_domain
from sphinx_dossier.sphinx_ext.buildctx import builder_of

if TYPE_CHECKING:
    from collections.abc import Mapping, Set

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: Sphinx's builders whose output holds only the pages reachable from the toctree.
ASSEMBLING = ("latex", "texinfo", "man", "singlehtml", "epub")


def wants_record_toctree(builder: Builder, config: Config) -> bool:
    """Does this build put the record pages in the toctree of their listing pages?"""
    return builder.name in config.dossier_toctree_builders


def listing_docnames(config: Config) -> dict[str, str]:
    """docname of each generated listing page -> the listing's name."""
    return {f"{config.dossier_pages_dir}/{name}": name for name in LISTINGS}


def record_toctree(env: BuildEnvironment, docname: str, record_docnames: list[str]) -> nodes.Node:
    """A hidden toctree of ``record_docnames`` (as the ``toctree`` directive makes it)."""
    toctree = addnodes.toctree()
    toctree["parent"] = docname
    toctree["entries"] = [(None, name) for name in record_docnames]
    toctree["includefiles"] = list(record_docnames)
    toctree["maxdepth"] = -1
    toctree["caption"] = None
    toctree["glob"] = False
    toctree["hidden"] = True
    toctree["includehidden"] = False
    toctree["numbered"] = 0
    toctree["titlesonly"] = False
    dossier_domain(env).record_toctrees[docname] = True
    return nodes.compound("", toctree, classes=["toctree-wrapper"])


def reread_listings(
    app: Sphinx,
    env: BuildEnvironment,
    added: Set[str],
    changed: Set[str],
    removed: Set[str],
) -> list[str]:
    """env-get-outdated: listing pages read in the other form than this builder wants.

    With the records in their toctree the listing pages are always read again: their
    toctree follows the records' order (dates, titles), and they are only four pages.
    """
    if not app.config.dossier_generate:
        return []
    domain = dossier_domain(env)
    wanted = wants_record_toctree(app.builder, app.config)
    again = []
    for docname in listing_docnames(app.config):
        if docname not in env.all_docs or docname in changed or docname in removed:
            continue
        if wanted or domain.record_toctrees.get(docname):
            again.append(docname)
    return again


# --------------------------------------------------------------------------- unique ids


def _record_sections(document: nodes.Node) -> list[nodes.section]:
    return [
        node
        for node in document.findall(nodes.section)
        if "dossier-record" in node["classes"] and node["ids"]
    ]


def _homes(document: nodes.Node) -> dict[int, str]:
    """id() of each page's top node in an assembled document -> the page's docname.

    Sphinx inlines a page by moving its children into a ``start_of_file`` node without
    updating their ``parent``, so the page is found from above, not from the node.
    """
    return {
        id(child): str(sof["docname"])
        for sof in document.findall(addnodes.start_of_file)
        for child in sof.children
    }


PREFIXED = "dossier-prefixed"
"""Attribute of a record section whose anchors carry its id (set when it is read)."""


def qualify(
    sections: list[nodes.section], homes: dict[int, str], here: str
) -> dict[tuple[str, str], str]:
    """Prefix the anchors inside each record with its id; (page, old) -> new anchor.

    Links inside the record (citation markers, the claims' back links) follow, and so
    do the links in a figure's HTML to its record's anchors.
    """
    renamed: dict[tuple[str, str], str] = {}
    for section in sections:
        record_id = str(section["ids"][0])
        home = homes.get(id(section), here)
        local: dict[str, str] = {}
        if section.get(PREFIXED):
            # Read that way already (a page showing several records): only the figures'
            # HTML, made at write time, still has the plain anchors.
            for node in section.findall(nodes.Element):
                for new in node.get("ids", ()) if node is not section else ():
                    local[new.removeprefix(f"{record_id}-")] = new
        else:
            for node in section.findall(nodes.Element):
                ids = node.get("ids")
                if not ids or node is section:
                    continue
                node["ids"] = [f"{record_id}-{old}" for old in ids]
                for old, new in zip(ids, node["ids"], strict=True):
                    local[old] = renamed[home, old] = new
            for ref in section.findall(nodes.reference):
                refid = ref.get("refid")
                if refid in local:
                    ref["refid"] = local[refid]
            section[PREFIXED] = True
        for raw in section.findall(nodes.raw):
            _rewrite_raw(raw, {f"#{old}": f"#{new}" for old, new in local.items()})
    return renamed


class QualifyIdsOnRead(SphinxTransform):
    """A page showing several records: each record's anchors get its id as prefix.

    At read time, so that the page's table of contents (collected from the doctree
    as it is read) links the anchors the page has.
    """

    # Before DoctreeReadEvent (880), which collects the table of contents.
    default_priority = 850

    def apply(self, **kwargs: Any) -> None:
        sections = _record_sections(self.document)
        if len(sections) > 1:
            qualify(sections, {}, self.env.docname)


class QualifyIds(SphinxPostTransform):
    """Unique anchors when one HTML document holds several pages' records (singlehtml),
    and figures' links to the anchors of a record read with prefixed anchors.

    Runs after references are resolved (priority 10). A record alone on its own page
    keeps its plain anchors (``gsomia.html#purpose``), as ``objects.inv`` lists them.
    In singlehtml it also turns links ``#document-<page>#<anchor>`` (which Sphinx 9
    leaves as they are, pointing nowhere) into ``#<anchor>``, figures' links included.
    """

    default_priority = 20
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        sections = _record_sections(self.document)
        here = self.env.current_document.docname
        single = builder_of(self.env).name == "singlehtml"
        if not single or len(sections) < 2:
            qualify([s for s in sections if s.get(PREFIXED)], {}, here)
            return
        renamed = qualify(sections, _homes(self.document), here)
        dossier_domain(self.env).qualified_anchors = renamed
        self.single_page_links(renamed)

    def single_page_links(self, renamed: dict[tuple[str, str], str]) -> None:
        root = str(self.config.root_doc)
        top = next(iter(self.document.findall(nodes.section)), None)
        top_id = str(top["ids"][0]) if top is not None and top["ids"] else ""

        def fixed(uri: str) -> str | None:
            if uri == f"#document-{root}" and top_id:
                # The root page has no "document-" anchor of its own: its top section.
                return f"#{top_id}"
            return single_page_uri(uri, renamed)

        for ref in self.document.findall(nodes.reference):
            new = fixed(str(ref.get("refuri", "")))
            if new is not None:
                ref["refuri"] = new
        for raw in self.document.findall(nodes.raw):
            text = raw.astext()
            links = {uri: fixed(uri) for uri in set(_DOC_LINK.findall(text))}
            _rewrite_raw(raw, {uri: new for uri, new in links.items() if new is not None})


def single_page_uri(uri: str, renamed: Mapping[tuple[str, str], str]) -> str | None:
    """``#document-<page>#<anchor>`` as the anchor it is on the single page (or None)."""
    if not uri.startswith("#document-"):
        return None
    docname, hashmark, anchor = uri[len("#document-") :].partition("#")
    if not hashmark:
        return None
    return "#" + renamed.get((docname, anchor), anchor)


def fix_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context (singlehtml): the same links in the theme's navigation, which
    Sphinx renders from the toctree, not from the page."""
    if app.builder.name != "singlehtml":
        return
    renamed = dossier_domain(app.env).qualified_anchors

    def fixed(html: str) -> str:
        def one(match: re.Match[str]) -> str:
            return single_page_uri(match.group(0), renamed) or match.group(0)

        return _DOC_LINK.sub(one, html)

    if isinstance(context.get("toc"), str):
        context["toc"] = fixed(context["toc"])
    toctree = context.get("toctree")
    if callable(toctree):

        def wrapped(**kwargs: Any) -> str:
            return fixed(str(toctree(**kwargs)))

        context["toctree"] = wrapped


_DOC_LINK = re.compile(r'(?<=href=")#document-[^"]*(?=")')


def _rewrite_raw(raw: nodes.raw, links: dict[str, str]) -> None:
    """Rewrite ``href`` values inside raw HTML (a figure's links)."""
    if not links:
        return
    text = raw.astext()
    changed = re.sub(r'(?<=href=")([^"]*)(?=")', lambda m: links.get(m.group(1), m.group(1)), text)
    if changed != text:
        raw[0] = nodes.Text(changed)


class LatexTargets(SphinxPostTransform):
    """Labels for the anchors of record pages that LaTeX would not write.

    Sphinx's LaTeX writer labels sections and targets, not the ``ids`` of a list item
    or a container: the citations (``cite-1``), the claims and the endnotes of a page's
    note markers (``dossier-note-1``). A target node as their
    first child gets them their label, so the citation markers and claim links work.
    """

    default_priority = 20
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        # The endnotes of a page's {dossier:note} markers (notes.py) have such items too.
        endnotes = [
            node
            for node in self.document.findall(nodes.enumerated_list)
            if "dossier-endnotes" in node["classes"]
        ]
        for section in [*_record_sections(self.document), *endnotes]:
            for node in list(section.findall(nodes.Element)):
                if isinstance(node, (nodes.list_item, nodes.container)) and node["ids"]:
                    node.insert(0, nodes.target("", "", ids=list(node["ids"])))


class IndexRefsAsText(SphinxPostTransform):
    """``:ref:`dossier-events``` and the like in LaTeX, Texinfo and singlehtml: the
    index's title.

    The domain indices are pages of Sphinx's own, which these builders do not write
    (LaTeX prints them at the end instead), so the reference cannot be a link; without
    this LaTeX would print the bare label and singlehtml link a page that is not there.
    """

    default_priority = 9  # before ReferencesResolver (10), which would print the label

    def is_supported(self) -> bool:
        # singlehtml has one page and no index pages either.
        builder = builder_of(self.env)
        return builder.format in ("latex", "texinfo") or builder.name == "singlehtml"

    def run(self, **kwargs: Any) -> None:
        std = self.env.domains.standard_domain
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("refdomain") != "std" or node.get("reftype") != "ref":
                continue
            target = str(node.get("reftarget", ""))
            label = std.labels.get(target)
            if label is None or not target.startswith("dossier-") or label[0] in self.env.all_docs:
                continue
            text = str(label[2]) if not node.get("refexplicit") else node.astext()
            node.replace_self(nodes.emphasis(text, text))


def setup_assembled(app: Sphinx) -> None:
    app.connect("env-get-outdated", reread_listings)
    app.add_transform(QualifyIdsOnRead)
    app.add_post_transform(QualifyIds)
    app.add_post_transform(LatexTargets)
    app.add_post_transform(IndexRefsAsText)
    app.connect("html-page-context", fix_navigation)
