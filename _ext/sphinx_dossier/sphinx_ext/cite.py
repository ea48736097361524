"""Citing and checking evidence: quote links, "Cite" controls, citation meta tags, pop-ups.

- :func:`text_fragment_url` links a source URL to the quoted words (``#:~:text=``), so a
  browser that supports text fragments scrolls to and highlights them.
- The ``cite-menu`` view near the top of a record page and the ``cite-claim`` view of
  each claim are "Cite" controls: the record (on a source page also the original
  article) or the claim, with the quotes it rests on, in APA, Chicago, MLA, BibTeX,
  RIS and CSL-JSON (:mod:`sphinx_dossier.outputs.citation`). They are filled at write
  time, when the page URL is known; the page's script puts in the reader's access date.
- The ``cite-this`` view at the bottom gives the reST and MyST reference forms and a
  plain-text citation of a record page (also for builders without HTML).
- Record and source pages get ``citation_*`` meta tags, which Zotero reads (a source
  page's describe the original article, so Zotero imports the article).
- ``dossier-cite.js``/``.css`` turn each citation marker into a pop-up showing the
  source, date and quote on hover and on keyboard focus.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dossier.core.kinds import KINDS, spec
from sphinx_dossier.core.model import Source
from sphinx_dossier.core.text import claim_title, date_text, display_title
from sphinx_dossier.outputs.citation import (
    ACCESS_TEXT,
    FORMATS,
    RENDERED,
    STYLES,
    AccessDate,
    Work,
    article_work,
    formats,
    page_work,
    split_access,
    styled,
)
from sphinx_dossier.outputs.license import record_version
from sphinx_dossier.sphinx_ext._shared import dossier_domain, logger, page_record
from sphinx_dossier.sphinx_ext.buildctx import builder_of
from sphinx_dossier.sphinx_ext.cache import BuildCache
from sphinx_dossier.sphinx_ext.heap import forget_at_exit
from sphinx_dossier.sphinx_ext.nodes import View, dossier_view

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import Dataset, LoadedRecord

CITE_VIEW = View.CITE_THIS
#: Every view this module fills.
CITE_VIEWS = frozenset({View.CITE_THIS, View.CITE_MENU, View.CITE_CLAIM})
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
    """Fill the citation placeholders; the page URL is only known at write time."""

    default_priority = 4  # before the extension's own view transform (5)

    def run(self, **kwargs: Any) -> None:
        domain = dossier_domain(self.env)
        builder = builder_of(self.env)
        html_builder = builder.format == "html"
        # One context per page: its controls share the record's version (a digest of the
        # whole record, once per page instead of once per claim: a record of 500 claims
        # made it 250,000 claim dumps).
        context: CiteContext | None = None
        for node in list(self.document.findall(dossier_view)):
            view = str(node["view"])
            if view not in CITE_VIEWS:
                continue
            arg = str(node.get("arg", ""))
            record_id, _, claim_id = arg.partition("#")
            data = cite_data(domain.dataset, record_id)
            if data is None or domain.dataset is None:
                node.parent.remove(node)
                continue
            entry = domain.records.get(data["id"])
            own = entry.docname if entry is not None else self.env.docname
            # Only HTML has pages to link to; elsewhere (text, man, linkcheck) the
            # citation names the record without a link that would point nowhere.
            url = (
                relative_page_url(builder, self.config, own, self.env.docname)
                if html_builder
                else ""
            )
            if view == View.CITE_THIS:
                node.replace_self(cite_nodes(data, project=str(self.config.project), url=url))
                continue
            if not html_builder:
                node.parent.remove(node)  # the controls need a browser; cite-this remains
                continue
            if context is None or context.dataset is not domain.dataset:
                base = str(getattr(self.config, "html_baseurl", "") or "")
                context = CiteContext(
                    dataset=domain.dataset,
                    project=project_name(self.config),
                    author=str(getattr(self.config, "author", "") or "") or None,
                    relative=not base,
                )
            loaded = domain.dataset.records[record_id]
            markup: str | None
            if view == View.CITE_MENU:
                markup = record_menu(loaded, context, url=url)
            else:
                claim = domain.claims.get(arg)
                anchor = claim.anchor if claim is not None else claim_id
                markup = claim_menu(loaded, claim_id, context, url=url, anchor=anchor)
            if markup is None:
                node.parent.remove(node)
                continue
            node.replace_self(
                nodes.container(
                    "",
                    nodes.raw("", markup, format="html"),
                    # Sphinx's search skips "no-search": the citations repeat the page.
                    classes=["dossier-cite-holder", "no-search"],
                )
            )


def project_name(config: Any) -> str:
    project = str(getattr(config, "project", "") or "")
    return "" if project == UNSET_PROJECT else project


class CiteContext:
    """What every citation of a build shares: the dataset, names, URL mode."""

    def __init__(
        self, *, dataset: Dataset, project: str, author: str | None, relative: bool
    ) -> None:
        self.dataset = dataset
        self.project = project
        self.author = author
        self.relative = relative
        self._versions: dict[str, str] = {}

    def version(self, loaded: LoadedRecord) -> str:
        """``loaded``'s version (:func:`record_version`), made once per context."""
        found = self._versions.get(loaded.id)
        if found is None:
            found = self._versions[loaded.id] = record_version(loaded)
        return found


#: source id -> (its loaded record, its work): a source is quoted by claims on many pages
#: of a build, and its work is the same on each while the record object is the same.
_SOURCE_WORKS: dict[str, tuple[LoadedRecord, Work]] = {}


def forget_source_works() -> None:
    _SOURCE_WORKS.clear()


def source_work(source: LoadedRecord) -> Work:
    """The original article of a source record, as its text gives it (made once per
    loaded record: the evidence of every claim quoting it shares it)."""
    kept = _SOURCE_WORKS.get(source.id)
    if kept is not None and kept[0] is source:
        return kept[1]
    work = _source_work(source)
    _SOURCE_WORKS[source.id] = (source, work)
    return work


def _evidence_html(style: str, source: Work) -> str:
    """``source``'s entry in ``style`` as the menus show it, made once per work (kept
    with the work's other entries)."""
    return source.entry(
        f"evidence-html:{style}", lambda work: _text_html(styled(style, work), None)
    )


def _source_work(source: LoadedRecord) -> Work:
    record = source.record_as(Source)
    return article_work(
        source.id,
        title=display_title(source),
        publisher=str(record.publisher.name) if record.publisher.name else None,
        author=str(record.author) if record.author else None,
        published=record.published.iso if record.published is not None else None,
        url=str(record.url) if record.url else None,
        via=str(record.via) if record.via else None,
    )


def record_work(loaded: LoadedRecord, context: CiteContext, url: str) -> Work:
    return page_work(
        f"dossier:{loaded.id}",
        title=display_title(loaded),
        url=url or None,
        container=context.project or "Dossier",
        author=context.author,
        version=context.version(loaded),
    )


def claim_work(loaded: LoadedRecord, claim_id: str, context: CiteContext, url: str) -> Work:
    """A claim: its page anchor, and the quotes it rests on with their sources."""
    claim = next(c for c in loaded.record.claims if str(c.id) == claim_id)
    notes: list[str] = []
    evidence: list[tuple[str, Work]] = []
    for cite in claim.cites:
        source = context.dataset.records.get(cite.source)
        if source is None or source.kind != "source":
            continue
        record = source.record_as(Source)
        details = [str(record.publisher.name or "outlet not named in the text")]
        details.append(date_text(record.published) if record.published else "undated")
        notes.append(f"Quotes “{cite.quote}” from {display_title(source)} ({', '.join(details)})")
        evidence.append((str(cite.quote), source_work(source)))
    work = page_work(
        f"dossier:{loaded.id}:{claim_id}",
        title=claim_title(display_title(loaded), claim_id),
        url=url or None,
        container=context.project or "Dossier",
        author=context.author,
        version=context.version(loaded),
        note="; ".join(notes) or None,
    )
    work.evidence = evidence
    return work


def _text_html(text: str, url: str | None) -> str:
    """Escaped ``text`` with its access dates as fillable spans, and its relative page
    URL (when it has one) marked for the script to make absolute."""
    out: list[str] = []
    for part in split_access(text):
        if isinstance(part, AccessDate):
            out.append(
                f'<span class="dossier-accessed" data-pattern="{html.escape(part.pattern)}">'
                f"{ACCESS_TEXT}</span>"
            )
            continue
        pieces = part.split(url) if url else [part]
        for index, piece in enumerate(pieces):
            if index:
                out.append(
                    f'<span class="dossier-cite-url" data-href="{html.escape(url or "")}">'
                    f"{html.escape(url or '')}</span>"
                )
            out.append(html.escape(piece))
    return "".join(out)


def _formats_html(work: Work, url: str | None, heading: str) -> str:
    texts = formats(work)
    rows: list[str] = [f'<p class="dossier-cite-heading">{html.escape(heading)}</p>']
    for key, label in FORMATS.items():
        text = _text_html(texts[key], url)
        if key in STYLES:
            body = f'<p class="dossier-cite-text">{text}</p>'
            for quoted, source in work.evidence:
                evidence = _evidence_html(key, source)
                body += (
                    f'<p class="dossier-cite-evidence">Quoting “{html.escape(quoted)}”: '
                    f"{evidence}</p>"
                )
            rows.append(
                f'<div class="dossier-cite-format" data-format="{key}">'
                f'<p class="dossier-cite-label">{label}</p>{body}</div>'
            )
        else:
            rows.append(
                f'<details class="dossier-cite-format" data-format="{key}">'
                f'<summary class="dossier-cite-label">{label}</summary>'
                f'<pre class="dossier-cite-text">{text}</pre></details>'
            )
    return "".join(rows)


def _menu(summary: str, body: str, classes: str) -> str:
    return (
        f'<details class="dossier-cite-menu {classes}"><summary>{html.escape(summary)}</summary>'
        f'<div class="dossier-cite-panel">{body}</div></details>'
    )


def record_menu(loaded: LoadedRecord, context: CiteContext, *, url: str) -> str:
    """The "Cite" control of a record page; a source page's also cites the article."""
    body = ""
    if loaded.kind == "source":
        body += _formats_html(source_work(loaded), None, "The article itself")
    body += _formats_html(
        record_work(loaded, context, url),
        url if context.relative else None,
        "This record of the dossier",
    )
    return _menu("Cite", body, "dossier-cite-record")


def claim_menu(
    loaded: LoadedRecord, claim_id: str, context: CiteContext, *, url: str, anchor: str
) -> str | None:
    """The "Cite" control of one claim: its permalink as URL, its quotes as evidence."""
    if not any(str(c.id) == claim_id for c in loaded.record.claims):
        return None
    claim_url = f"{url}#{anchor}" if url else ""
    body = _formats_html(
        claim_work(loaded, claim_id, context, claim_url),
        claim_url if context.relative else None,
        f"The claim {claim_id}, with the quotes it rests on",
    )
    return _menu("Cite this claim", body, "dossier-cite-claim")


# -- citation_* meta tags (Zotero's "Embedded Metadata" translator) -----------------------------


def citation_meta(
    loaded: LoadedRecord, *, project: str, author: str | None, url: str | None, language: str
) -> list[tuple[str, str]]:
    """``(name, content)`` of the ``citation_*`` meta tags of a record page.

    A source page describes the original article (so Zotero saves the article, with its
    outlet, author and date); other pages describe the record as a page of the dossier.
    """
    tags: list[tuple[str, str]] = []
    if loaded.kind == "source":
        record = loaded.record_as(Source)
        tags.append(("citation_title", display_title(loaded)))
        if record.author:
            tags.append(("citation_author", str(record.author)))
        if record.published is not None:
            tags.append(("citation_date", record.published.iso.replace("-", "/")))
        if record.publisher.name:
            tags.append(("citation_journal_title", str(record.publisher.name)))
        if record.url:
            tags.append(("citation_public_url", str(record.url)))
        return tags
    tags.append(("citation_title", display_title(loaded)))
    if author:
        tags.append(("citation_author", author))
    if project:
        tags.append(("citation_publisher", project))
    if url:
        tags.append(("citation_public_url", url))
    if language:
        tags.append(("citation_language", language))
    return tags


def add_citation_meta(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """html-page-context: ``citation_*`` meta tags on a record's own page."""
    loaded = page_record(app.env, pagename)
    if loaded is None:
        return
    base = str(app.config.html_baseurl or "")
    url = base.rstrip("/") + "/" + app.builder.get_target_uri(pagename) if base else None
    tags = citation_meta(
        loaded,
        project=project_name(app.config),
        author=str(app.config.author or "") or None,
        url=url,
        language=str(app.config.language or ""),
    )
    lines = "".join(
        f'<meta name="{name}" content="{html.escape(value, quote=True)}" />\n'
        for name, value in tags
    )
    context["metatags"] = context.get("metatags", "") + lines


def note_relative_urls(app: Sphinx) -> None:
    """builder-inited: say once how citations get absolute URLs."""
    if app.builder.format == "html" and not str(app.config.html_baseurl or ""):
        logger.info(
            "dossier: citations give page URLs relative to the site (the page's script shows"
            " the address the reader sees); set html_baseurl in conf.py for absolute URLs"
        )


#: Beside the environment: the citeproc-py entries rendered so far (see ``RENDERED``).
RENDERED_CACHE_FILE = "dossier-citeproc.pickle"
#: How many entries the process had once the cache was read (a build renders more only
#: for entries it had not seen).
_STARTED_WITH = [-1]


def _rendered_cache(app: Sphinx) -> BuildCache:
    from importlib.metadata import version

    # The styles are files of the extension (in the code key); the renderer is not.
    return BuildCache(app, RENDERED_CACHE_FILE, "citation entries", scope=version("citeproc-py"))


def load_rendered(app: Sphinx) -> None:
    """builder-inited: the entries earlier builds rendered, so they are not rendered again."""
    kept = _rendered_cache(app).load()
    if isinstance(kept, dict):
        for key, value in kept.items():
            RENDERED.setdefault(key, value)
    _STARTED_WITH[0] = len(RENDERED)


def store_rendered(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: keep the entries when this build rendered new ones."""
    if exception is None and len(RENDERED) != _STARTED_WITH[0]:
        _rendered_cache(app).store(dict(RENDERED))


def setup_cite(app: Sphinx) -> None:
    forget_at_exit(RENDERED.clear)
    forget_at_exit(forget_source_works)
    app.add_post_transform(CiteTransform)
    app.connect("builder-inited", load_rendered)
    app.connect("build-finished", store_rendered)
    app.connect("html-page-context", add_citation_meta)
    app.connect("builder-inited", note_relative_urls)
    # The files sit in the package's static folder, which the extension's setup publishes.
    for css in CSS_FILES:
        app.add_css_file(css)
    for js in JS_FILES:
        app.add_js_file(js, loading_method="defer")
