"""Write-time rendering of derived views, and the env-updated pass that finds pages to rewrite."""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterable
from itertools import groupby
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_dossier.core.text import STATUS_TEXT
from sphinx_dossier.sphinx_ext._shared import dossier_domain, logger
from sphinx_dossier.sphinx_ext.buildctx import builder_of
from sphinx_dossier.sphinx_ext.digests import DigestPlan
from sphinx_dossier.sphinx_ext.inline import make_xref
from sphinx_dossier.sphinx_ext.nodes import (
    View,
    badge,
    card_grid,
    dossier_view,
    kind_badge,
    status_badge,
)
from sphinx_dossier.sphinx_ext.views import Row, Views

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_dossier.sphinx_ext.domain import DossierDomain

ACTOR_KIND_HEADINGS = {"state": "States", "organization": "Organizations", "person": "People"}


def _domain(env: BuildEnvironment) -> DossierDomain:
    return dossier_domain(env)


def views_of(env: BuildEnvironment) -> Views:
    domain = _domain(env)
    if domain.views_cache is None:
        domain.views_cache = Views(env, domain)
    return domain.views_cache


#: The method that turns each view's rows into nodes, registered with :func:`renders`.
RENDERERS: dict[str, Callable[[ViewRenderer, list[Row]], list[nodes.Node]]] = {}
RenderMethod = Callable[["ViewRenderer", list[Row]], list[nodes.Node]]


def renders(view: View) -> Callable[[RenderMethod], RenderMethod]:
    """Register the method of :class:`ViewRenderer` that renders ``view``."""

    def register(method: RenderMethod) -> RenderMethod:
        RENDERERS[view] = method
        return method

    return register


# -- browse: facet filters of the timeline ---------------------------------------------
# Every event is listed in the HTML; dossier-cite.js adds the filter controls and hides
# the items whose classes do not match (docutils writes classes, not data- attributes, in
# every builder). The labels travel as JSON that only HTML builders write.

#: The facets, in the order of the controls, with their label.
FACETS = {"agreement": "Agreement", "actor": "Actor", "status": "Status", "year": "Year"}


def facet_classes(row: Row) -> list[str]:
    """``dossier-f-<facet>-<value>`` classes of one timeline item (ids are slugs)."""
    classes = ["dossier-facet-item", f"dossier-f-status-{row['status']}"]
    if row["year"]:
        classes.append(f"dossier-f-year-{row['year']}")
    for facet, values in row.get("facets", {}).items():
        classes.extend(f"dossier-f-{facet}-{value}" for value, _title in values)
    return classes


def facet_data(rows: list[Row]) -> dict[str, Any]:
    """The values of each facet with their labels, for the filter script."""
    values: dict[str, dict[str, str]] = {name: {} for name in FACETS}
    for row in rows:
        for facet, pairs in row.get("facets", {}).items():
            values[facet].update((value, title) for value, title in pairs)
        status = str(row["status"])
        values["status"][status] = STATUS_TEXT.get(status, status)
        if row["year"]:
            values["year"][row["year"]] = row["year"]
    return {
        "noun": ["event", "events"],
        "facets": [
            {
                "name": name,
                "label": FACETS[name],
                "values": sorted(values[name].items(), key=lambda item: item[1].casefold())
                if name in ("agreement", "actor")
                else list(values[name].items()),
            }
            for name in FACETS
        ],
    }


def facet_script(data: dict[str, Any], scope: str = "") -> str:
    """``data`` as a JSON script element; ``scope``: a CSS selector of what it filters
    (by default the element holding the script)."""
    text = json.dumps(data, ensure_ascii=True).replace("</", "<\\/")
    where = f' data-scope="{scope}"' if scope else ""
    return f'<script type="application/json" class="dossier-facets"{where}>{text}</script>'


def facet_labels(rows: list[Row]) -> nodes.raw:
    """The filter script's data, written by HTML builders only."""
    return nodes.raw("", facet_script(facet_data(rows)), format="html")


# -- end browse ------------------------------------------------------------------------


#: ``(role, target, text or None) -> the resolved link``, or None when it does not resolve.
Resolve = Callable[[str, str, str | None], nodes.Node | None]


class ViewRenderer:
    """Turns view data into nodes.

    Links are resolved on the spot by ``resolve`` when given (views are rendered in the
    write phase, where the builder is known: a pending reference per link only cost the
    resolver's round trip, a tenth of a full build), else pending references resolved
    as usual. Both give the same nodes.
    """

    def __init__(self, refdoc: str, known: Container[str], resolve: Resolve | None = None) -> None:
        self.refdoc = refdoc
        self.known = known
        self.resolve = resolve

    def link(self, role: str, target: str, title: str | None = None) -> nodes.Node:
        if target.partition("#")[0] not in self.known:
            # The loader has reported the dangling id at its YAML line already.
            return nodes.inline("", title or target, classes=["dossier-missing"])
        if self.resolve is not None:
            ref = self.resolve(role, target, title or None)
            if ref is not None:
                return ref
        return make_xref(role, target, rawtext=target, refdoc=self.refdoc, title=title or None)

    def claim_marker(self, target: str) -> list[nodes.Node]:
        """``[claim]`` linking to the claim on another page that backs what precedes it."""
        if not target:
            return []
        link = self.link("claim", target, "claim")
        marker = nodes.superscript("", "", nodes.Text("["), link, nodes.Text("]"))
        marker["classes"].append("dossier-claim-marker")
        return [marker]

    def doc_link(self, docname: str, title: str) -> nodes.Node:
        node = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype="doc",
            reftarget="/" + docname,
            refexplicit=True,
            refdoc=self.refdoc,
        )
        node += nodes.inline(title, title)
        return cast("addnodes.pending_xref", node)

    @staticmethod
    def items(rows: Iterable[list[nodes.Node]], classes: list[str]) -> nodes.bullet_list:
        result = nodes.bullet_list(classes=classes)
        for row in rows:
            result += nodes.list_item("", nodes.paragraph("", "", *row))
        return result

    @staticmethod
    def empty(text: str) -> nodes.paragraph:
        return nodes.paragraph("", text, classes=["dossier-empty"])

    def event_row(self, row: Row) -> list[nodes.Node]:
        date = row["date"] + (f" – {row['until']}" if row["until"] else "")
        return [
            nodes.inline("", date, classes=["dossier-date"]),
            nodes.Text(" "),
            status_badge(row["status"]),
            nodes.Text(" "),
            self.link("event", row["id"]),
        ]

    @staticmethod
    def knows(view: str) -> bool:
        return view in RENDERERS

    def render(self, view: str, data: list[Row]) -> list[nodes.Node]:
        return RENDERERS[view](self, data)

    @renders(View.BACKLINKS)
    def render_backlinks(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No record or page links here yet.")]
        out = []
        for row in rows:
            if "record" in row:
                out.append(
                    [kind_badge(row["kind"]), nodes.Text(" "), self.link("record", row["record"])]
                )
            else:
                out.append([self.doc_link(row["doc"], row["title"])])
        return [self.items(out, ["dossier-backlinks"])]

    @renders(View.ACTOR_EVENTS)
    def render_actor_events(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No event names this actor.")]
        return [self.items((self.event_row(row) for row in rows), ["dossier-event-list"])]

    @renders(View.AGREEMENT_LIFECYCLE)
    def render_agreement_lifecycle(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No event refers to this agreement yet.")]
        items = self.items(
            ([*self.event_row(row), *self.claim_marker(row.get("claim", ""))] for row in rows),
            ["dossier-lifecycle"],
        )
        for item, row in zip(items.children, rows, strict=True):
            cast("nodes.Element", item)["classes"].append(f"dossier-status-{row['status']}")
        return [items]

    @renders(View.SOURCE_CITATIONS)
    def render_source_citations(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No claim cites this source.")]
        result = nodes.bullet_list(classes=["dossier-cited-in"])
        for row in rows:
            head = nodes.paragraph(
                "",
                "",
                kind_badge(row["kind"]),
                nodes.Text(" "),
                self.link(
                    "claim", f"{row['record']}#{row['claim']}", f"{row['title']} › {row['claim']}"
                ),
            )
            quote = nodes.paragraph("", f"“{row['quote']}”", classes=["dossier-quote"])
            result += nodes.list_item("", head, nodes.block_quote("", quote))
        return [result]

    @renders(View.TIMELINE)
    def render_timeline(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No events yet.")]
        out: list[nodes.Node] = [facet_labels(rows)]
        for year, group in groupby(rows, key=lambda row: row["year"]):
            events = list(group)
            planned = sum(1 for row in events if row["status"] == "planned")
            heading = f"{year}" + (f" ({planned} planned)" if planned else "")
            out.append(nodes.rubric(heading, heading, classes=["dossier-year"]))
            items = self.items((self.event_row(row) for row in events), ["dossier-timeline"])
            for item, row in zip(items.children, events, strict=True):
                cast("nodes.Element", item)["classes"].append(f"dossier-status-{row['status']}")
                cast("nodes.Element", item)["classes"].extend(facet_classes(row))
            out.append(items)
        return out

    @renders(View.ACTORS)
    def render_actors(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No actors yet.")]
        out: list[nodes.Node] = []
        for kind, group in groupby(rows, key=lambda row: row["kind"]):
            heading = ACTOR_KIND_HEADINGS.get(kind, kind)
            out.append(nodes.rubric(heading, heading))
            entries = []
            for row in group:
                entry: list[nodes.Node] = [self.link("actor", row["id"])]
                if row["parent"]:
                    entry += [
                        nodes.Text(" (part of "),
                        self.link("actor", row["parent"]),
                        nodes.Text(")"),
                    ]
                entry += self.actor_summary(row)
                entries.append(entry)
            out.append(self.items(entries, ["dossier-actors"]))
        return out

    # -- record summaries: roles as observed, and how many events name the actor
    def actor_summary(self, row: Row) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for index, (title, organization, dates) in enumerate(row.get("roles", [])):
            out.append(nodes.Text(" — " if index == 0 else "; "))
            out.append(nodes.Text(title))
            if organization:
                out += [nodes.Text(" of "), self.link("actor", organization)]
            out.append(nodes.Text(f" (observed {dates})"))
        events = int(row.get("events", 0))
        if events:
            words = "1 event" if events == 1 else f"{events} events"
            out.append(nodes.inline("", f" · {words}", classes=["dossier-count"]))
        return out

    @renders(View.AGREEMENTS)
    def render_agreements(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No agreements yet.")]
        cards = []
        for row in rows:
            parties: list[nodes.Node] = [nodes.Text("Parties: ")]
            for index, party in enumerate(row["parties"]):
                if index:
                    parties.append(nodes.Text(", "))
                parties.append(self.link("actor", party))
            events = "1 event" if row["events"] == 1 else f"{row['events']} events"
            body: list[nodes.Node] = [
                nodes.paragraph(
                    "", row["kind"], classes=["dossier-card-text", "dossier-card-kind"]
                ),
                nodes.paragraph("", "", *parties, classes=["dossier-card-text"]),
                nodes.paragraph(
                    "", "", badge(events, "success", outline=True), classes=["dossier-card-text"]
                ),
            ]
            cards.append(([self.link("agreement", row["id"])], body))
        return [card_grid(cards)]

    @renders(View.SOURCES)
    def render_sources(self, rows: list[Row]) -> list[nodes.Node]:
        if not rows:
            return [self.empty("No sources yet.")]
        entries = []
        for row in rows:
            entry: list[nodes.Node] = [
                nodes.Text(
                    f"{row['publisher'] or 'Publisher unknown'} ({row['published'] or 'undated'}). "
                )
            ]
            entry.append(nodes.emphasis("", "", self.link("source", row["id"])))
            entry.append(nodes.Text("."))
            if row["author"]:
                entry.append(nodes.Text(f" By {row['author']}."))
            if row["via"]:
                entry.append(nodes.Text(f" Via {row['via']}."))
            times = "once" if row["cited"] == 1 else f"{row['cited']} times"
            entry.append(nodes.Text(f" Cited {times}."))
            entries.append(entry)
        return [self.items(entries, ["dossier-sources"])]


class RenderViews(SphinxPostTransform):
    """Fill every view placeholder with current data, before references are resolved."""

    default_priority = 5  # below ReferencesResolver (10): the links made here get resolved

    def run(self, **kwargs: Any) -> None:
        placeholders = list(self.document.findall(dossier_view))
        if not placeholders:
            return
        views = views_of(self.env)
        here = self.env.current_document.docname
        domain = _domain(self.env)
        builder = builder_of(self.env)

        def resolve(role: str, target: str, text: str | None) -> nodes.Node | None:
            classes = ["xref", "dossier", f"dossier-{role}"]
            return domain.reference(builder, here, role, target, text, classes)

        renderer = ViewRenderer(here, domain.records, resolve)
        for node in placeholders:
            view, arg = str(node["view"]), str(node.get("arg", ""))
            if not renderer.knows(view):
                continue  # another module's view (figures, citation forms)
            if views.dataset is None:
                new: list[nodes.Node] = [renderer.empty("No dataset is loaded in this build.")]
            else:
                new = renderer.render(view, views.data(view, arg))
            node.replace_self(new)


def refresh_views(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-updated: recompute derived data; return the pages whose shown data changed.

    Only the pages around what changed are digested again (see :mod:`.digests`);
    ``domain.digested`` counts them.
    """
    domain = _domain(env)
    views = Views(env, domain)
    domain.views_cache = views
    if not app.config.dossier_generate:
        return []
    old = dict(domain.snapshot)
    plan = DigestPlan(domain, views, domain.reread)
    new: dict[str, str] = {}
    digested = 0
    for docname in sorted(env.all_docs):
        page_views = domain.views.get(docname, [])
        if docname in old and plan.keeps(docname, page_views):
            new[docname] = old[docname]
            continue
        digest = views.digest(docname, page_views)
        if digest is not None:  # None: the page shows nothing from other documents
            digested += 1
            new[docname] = digest
            plan.note(docname, page_views)
    plan.store()
    domain.digested = digested
    logger.info("dossier: %d pages digested (%d kept)", digested, len(new) - digested)
    domain.data["snapshot"] = new
    changed = {doc for doc, digest in new.items() if old.get(doc) != digest}
    changed |= {doc for doc in old if doc not in new and doc in env.all_docs}
    return sorted(changed)


def note_reread(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """env-before-read-docs: the pages this build reads again (their digests are redone)."""
    _domain(env).reread = frozenset(docnames)


def setup_transforms(app: Sphinx) -> None:
    app.add_post_transform(RenderViews)
    app.connect("env-before-read-docs", note_reread)
    app.connect("env-updated", refresh_views)
