"""Sphinx glue for the figures: directives, their data from the dataset, and write-time rendering.

A figure directive leaves a :class:`~sphinx_dossier.sphinx_ext.nodes.dossier_view` placeholder
(view ``timeline-figure``, ``role-strip`` or ``involvement-matrix``). Its data is
computed from the whole dataset by :func:`figure_data` and turned into HTML at write
time by :class:`FigureTransform`, so a figure always shows the current records. The
same data feeds the extension's change detection (a page is rewritten when the data
its figures show changes): :func:`figure_data` is the hook the views module calls.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_dossier.core.model import Event
from sphinx_dossier.core.text import display_title
from sphinx_dossier.outputs import figures
from sphinx_dossier.sphinx_ext._shared import dossier_domain
from sphinx_dossier.sphinx_ext.buildctx import builder_of, is_epub
from sphinx_dossier.sphinx_ext.heap import forget_at_exit
from sphinx_dossier.sphinx_ext.inline import make_xref
from sphinx_dossier.sphinx_ext.nodes import View, dossier_view, view_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import Dataset
    from sphinx_dossier.sphinx_ext.domain import DossierDomain


FIGURE_VIEWS = frozenset({View.TIMELINE_FIGURE, View.ROLE_STRIP, View.INVOLVEMENT_MATRIX})
CSS_FILES = ("dossier-figures.css",)


# --------------------------------------------------------------------------- data


def partial_span(value: Any) -> tuple[date, date]:
    """The first and last day a partial date (year, month or day) can mean."""
    year = int(value.year)
    month = getattr(value, "month", None)
    day = getattr(value, "day", None)
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day), date(year, month, day)


_RANK = {"year": 0, "month": 1, "day": 2}


def _timeline_item(row: Sequence[str], url: str) -> figures.TimelineItem:
    """A row of :func:`timeline_data` as the figure's item."""
    eid, title, start, end, status, group, label, precision, rank = row
    return figures.TimelineItem(
        id=eid,
        title=title,
        url=url,
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        status=status,
        group=group,
        date_label=label,
        precision=precision,
        rank=int(rank),
    )


def _event_row(loaded: Any, groups: list[str], rank: int = 0) -> list[str]:
    event = loaded.record
    start, end = partial_span(event.date)
    precision = str(getattr(event.date, "precision", "day"))
    if event.until is not None:
        end = max(end, partial_span(event.until)[1])
        until = str(getattr(event.until, "precision", "day"))
        precision = min(precision, until, key=_RANK.__getitem__)
    label = figures.format_span(start, end)
    agreements = [str(a) for a in event.agreements]
    group = next((a for a in agreements if a in groups), "")
    return [
        str(event.id),
        display_title(loaded),
        start.isoformat(),
        end.isoformat(),
        str(event.status),
        group,
        label,
        precision,
        str(rank),
    ]


class _EventIndex:
    """Agreement titles and the events of each agreement, computed once per dataset.

    Every agreement page has its own timeline figure: scanning all events for each
    of them made the figures quadratic in the number of records.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.titles = {str(g.record.id): display_title(g) for g in dataset.by_kind("agreement")}
        self.events = dataset.by_kind("event")
        self.chronology = dataset.chronology()
        self.of_agreement: dict[str, list[Any]] = defaultdict(list)
        for loaded in self.events:
            event = cast(Event, loaded.record)  # duck-typed in the scale tests
            for a in dict.fromkeys(str(a) for a in event.agreements):
                self.of_agreement[a].append(loaded)


_INDEX: _EventIndex | None = None


def _event_index(dataset: Dataset) -> _EventIndex:
    global _INDEX
    # Identity, not equality: the index holds the dataset, so its id cannot be reused.
    if _INDEX is None or _INDEX.dataset is not dataset:
        _INDEX = _EventIndex(dataset)
    return _INDEX


def forget_event_index() -> None:
    """Drop the kept index and the dataset it holds (the process is ending: :mod:`.heap`)."""
    global _INDEX
    _INDEX = None


def timeline_data(dataset: Dataset, agreement: str) -> dict[str, Any]:
    index = _event_index(dataset)
    titles = index.titles
    if agreement:
        events = index.of_agreement.get(agreement, [])
        order = [agreement] if agreement in titles else []
    else:
        events = index.events
        counts = {a: len(found) for a, found in index.of_agreement.items()}
        # Colours go to the agreements with most events first; those without events get none.
        order = sorted((a for a in counts if a in titles), key=lambda a: (-counts[a], titles[a]))
    # Story order (dates, then the 'after' chain) ranks events that share a vague date.
    rank = {loaded.id: i for i, loaded in enumerate(index.chronology)}
    rows = [_event_row(loaded, order, rank.get(loaded.id, 0)) for loaded in events]
    rows.sort(key=lambda row: (row[2], int(row[8]), row[3], row[0]))
    return {"groups": [(a, titles[a]) for a in order], "events": rows}


def role_data(dataset: Dataset, actor: str) -> list[list[str]]:
    loaded = dataset.records.get(actor)
    if loaded is None or loaded.kind != "actor":
        return []
    rows = []
    for role in getattr(loaded.record, "roles", None) or []:
        start, end = partial_span(role.observed)
        org = ""
        if role.organization:
            other = dataset.records.get(str(role.organization))
            org = display_title(other) if other is not None else str(role.organization)
        rows.append(
            [
                str(role.title),
                org,
                start.isoformat(),
                end.isoformat(),
                str(role.claims[0]) if role.claims else "",
            ]
        )
    return rows


def matrix_data(dataset: Dataset) -> dict[str, Any]:
    agreements = [(str(g.record.id), display_title(g)) for g in dataset.by_kind("agreement")]
    kind_order = {"state": 0, "organization": 1, "person": 2}
    actors = sorted(
        (
            (str(a.record.id), display_title(a), str(cast(Any, a.record).kind))
            for a in dataset.by_kind("actor")
        ),
        key=lambda row: (kind_order.get(row[2], 9), row[1].casefold(), row[0]),
    )
    # Only pairs that share an event get a cell, so the data grows with events x their
    # actors x their agreements (a handful each), never with actors x agreements.
    cells: dict[str, list[list[str]]] = defaultdict(list)
    for loaded in dataset.chronology():
        event = cast(Event, loaded.record)  # duck-typed in the scale tests
        row = [str(event.id), display_title(loaded), str(event.date.iso)]
        for actor in dict.fromkeys(str(a) for a in event.actors):
            for agreement in dict.fromkeys(str(g) for g in event.agreements):
                cells[f"{actor} {agreement}"].append(row)
    return {
        "agreements": agreements,
        "actors": [[a, t] for a, t, _ in actors],
        "cells": dict(sorted(cells.items())),
    }


def figure_data(dataset: Dataset | None, view: str, arg: str) -> Any:
    """JSON-serialisable data a figure view shows (``None`` for views that are not figures)."""
    if dataset is None or view not in FIGURE_VIEWS:
        return None
    if view == "timeline-figure":
        return timeline_data(dataset, arg)
    if view == "role-strip":
        return role_data(dataset, arg)
    return matrix_data(dataset)


# --------------------------------------------------------------------------- rendering


class Resolver:
    """Relative URLs from the page being written to record pages."""

    def __init__(self, builder: Any, domain: DossierDomain, fromdocname: str) -> None:
        self.builder = builder
        self.domain = domain
        self.fromdocname = fromdocname

    def claim_url(self, record_id: str, claim_id: str) -> str:
        """The claim's own anchor (``claim-<id>`` where its id clashes with the page's)."""
        entry = self.domain.claims.get(f"{record_id}#{claim_id}")
        if entry is None:
            return f"#{claim_id}"
        return self.url(record_id, entry.anchor)

    def url(self, record_id: str, fragment: str = "") -> str:
        entry = self.domain.records.get(record_id)
        if entry is None:
            return ""
        anchor = fragment or entry.anchor
        if entry.docname == self.fromdocname:
            return f"#{anchor}"
        uri = str(self.builder.get_relative_uri(self.fromdocname, entry.docname))
        return f"{uri}#{anchor}"


def render_html(
    view: str,
    arg: str,
    data: Any,
    resolver: Resolver,
    fig_id: str,
    *,
    matrix_max_cells: int = figures.MATRIX_MAX_CELLS,
) -> str:
    """HTML for a figure view from its data; a matrix above ``matrix_max_cells`` becomes lists."""
    if view == "timeline-figure":
        groups = [figures.Group(gid, label, resolver.url(gid)) for gid, label in data["groups"]]
        items = [_timeline_item(row, resolver.url(row[0])) for row in data["events"]]
        title = "Timeline of events"
        if arg:
            label = next((lab for gid, lab in data["groups"] if gid == arg), arg)
            title = f"Timeline of events concerning {label}"
        return figures.timeline_figure(items, groups=groups, fig_id=fig_id, title=title)
    if view == "role-strip":
        observations = [
            figures.Observation(
                title=title,
                organization=org,
                start=date.fromisoformat(start),
                end=date.fromisoformat(end),
                url=resolver.claim_url(arg, claim) if claim else "",
            )
            for title, org, start, end, claim in data
        ]
        return figures.role_strip_figure(observations, fig_id=fig_id)
    actors = [figures.Link(aid, label, resolver.url(aid)) for aid, label in data["actors"]]
    agreements = [figures.Link(gid, label, resolver.url(gid)) for gid, label in data["agreements"]]
    links: dict[tuple[str, str], list[figures.Link]] = {}
    for key, events in data["cells"].items():
        actor, _, agreement = key.partition(" ")
        links[actor, agreement] = [
            figures.Link(eid, title, resolver.url(eid), when) for eid, title, when in events
        ]
    return figures.involvement_matrix(
        actors, agreements, links, table_id=fig_id, max_cells=matrix_max_cells
    )


def _xref(role: str, target: str, title: str, refdoc: str) -> nodes.Node:
    return make_xref(role, target, rawtext=target, refdoc=refdoc, title=title)


def _caption(text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.strong(text, text), classes=["dossier-fig-caption"])


def text_nodes(view: str, arg: str, data: Any, refdoc: str) -> list[nodes.Node]:
    """A figure as the text list its HTML carries below the SVG, as doctree nodes.

    For formats without inline SVG (LaTeX, text, man, texinfo) and for EPUB, whose
    readers differ in what SVG they show and which needs SVG declared per file.
    Links are pending references, resolved as every other link of the page.
    """
    if view == "timeline-figure":
        events = [_timeline_item(row, "") for row in data["events"]]
        if not events:
            return []
        groups = dict(data["groups"])
        title = "Timeline of events"
        if arg:
            title += f" concerning {groups.get(arg, arg)}"
        months = nodes.bullet_list(classes=["dossier-fig-months"])
        for (year, month), run in figures.text_runs(events):
            inner = nodes.bullet_list()
            for item in run:
                bits = [item.label_date]
                if groups or item.group:
                    bits.append(groups.get(item.group, item.group or "no agreement"))
                bits.append(figures.STATUS_WORDS.get(item.status, item.status))
                inner += nodes.list_item(
                    "",
                    nodes.paragraph(
                        "",
                        "",
                        _xref("event", item.id, item.title, refdoc),
                        nodes.Text(f" ({'; '.join(bits)})"),
                    ),
                )
            heading = figures.bucket_label(year, month)
            months += nodes.list_item("", nodes.paragraph("", heading), inner)
        n = len(events)
        return [_caption(f"{title} ({n} event{'s' if n != 1 else ''})"), months]
    if view == "role-strip":
        if not data:
            return []
        rows = nodes.bullet_list(classes=["dossier-fig-roles"])
        for name, org, start, end, _claim in sorted(data, key=lambda row: (row[2], row[0])):
            what = f"{name}, {org}" if org else name
            when = figures.format_span(date.fromisoformat(start), date.fromisoformat(end))
            rows += nodes.list_item("", nodes.paragraph("", f"{what}: observed {when}"))
        return [_caption(f"Roles observed in the sources ({len(data)})"), rows]
    return _matrix_nodes(data, refdoc)


def _matrix_nodes(data: Any, refdoc: str) -> list[nodes.Node]:
    """The involvement matrix as one list per agreement (the large-matrix form)."""
    actor_titles = dict(map(tuple, data["actors"]))
    actor_order = {actor: i for i, (actor, _title) in enumerate(data["actors"])}
    by_agreement: dict[str, list[tuple[str, list[list[str]]]]] = defaultdict(list)
    for key, events in data["cells"].items():
        actor, _, agreement = key.partition(" ")
        if events and actor in actor_titles:
            by_agreement[agreement].append((actor, events))
    agreements = nodes.bullet_list(classes=["dossier-matrix-agreements"])
    for agreement, title in data["agreements"]:
        entries = sorted(by_agreement.get(agreement, []), key=lambda e: actor_order[e[0]])
        if not entries:
            continue
        actors = nodes.bullet_list()
        for actor, events in entries:
            line: list[nodes.Node] = [
                _xref("actor", actor, actor_titles[actor], refdoc),
                nodes.Text(f" ({len(events)} event{'s' if len(events) != 1 else ''}: "),
            ]
            for index, (eid, name, _iso) in enumerate(events):
                if index:
                    line.append(nodes.Text("; "))
                line.append(_xref("event", eid, name, refdoc))
            line.append(nodes.Text(")"))
            actors += nodes.list_item("", nodes.paragraph("", "", *line))
        head = nodes.paragraph("", "", _xref("agreement", agreement, title, refdoc))
        agreements += nodes.list_item("", head, actors)
    if not len(agreements):
        return []
    return [_caption("Who was involved in what: actors by agreement"), agreements]


class FigureTransform(SphinxPostTransform):
    """Replace figure placeholders with their HTML, or with their text list where a
    format has no inline SVG (see :func:`text_nodes`)."""

    # Before the extension's own view transform, so that one only sees its own views.
    default_priority = 4

    def run(self, **kwargs: Any) -> None:
        domain = dossier_domain(self.env)
        builder = builder_of(self.env)
        is_html = builder.format == "html" and not is_epub(builder)
        counts: dict[str, int] = defaultdict(int)
        for node in list(self.document.findall(dossier_view)):
            view, arg = str(node["view"]), str(node.get("arg", ""))
            if view not in FIGURE_VIEWS:
                continue
            data = figure_data(domain.dataset, view, arg)
            if data is None:
                node.parent.remove(node)
                continue
            if not is_html:
                fallback = text_nodes(view, arg, data, self.env.current_document.docname)
                if fallback:
                    node.replace_self(nodes.container("", *fallback, classes=["dossier-figure"]))
                else:
                    node.parent.remove(node)
                continue
            counts[view] += 1
            base = {"timeline-figure": "dossier-tlfig", "role-strip": "dossier-rolefig"}.get(
                view, "dossier-matrix"
            )
            fig_id = base if counts[view] == 1 else f"{base}-{counts[view]}"
            resolver = Resolver(builder, domain, self.env.docname)
            html = render_html(
                view,
                arg,
                data,
                resolver,
                fig_id,
                matrix_max_cells=int(self.config.dossier_matrix_max_cells),
            )
            # Figures repeat what the page lists in text; keep them out of the search index.
            figure = nodes.raw("", html, format="html", classes=["no-search"])
            node.replace_self(figure if html else [])


# --------------------------------------------------------------------------- directives


class FigureDirective(SphinxDirective):
    """Base: emit a placeholder for a figure view."""

    view: ClassVar[View]
    has_content = False

    def placeholder(self, arg: str) -> list[nodes.Node]:
        node = view_node(self.view, arg)
        self.set_source_info(node)
        return [node]


class TimelineFigureDirective(FigureDirective):
    """``dossier:timeline-figure``: every event, or only those of ``:agreement:``."""

    view = View.TIMELINE_FIGURE
    option_spec: ClassVar[dict[str, Any]] = {"agreement": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        return self.placeholder(self.options.get("agreement", "").strip())


class RoleStripDirective(FigureDirective):
    """``dossier:role-strip <actor-id>``: the actor's dated role observations."""

    view = View.ROLE_STRIP
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        return self.placeholder(self.arguments[0])


class InvolvementMatrixDirective(FigureDirective):
    """``dossier:involvement-matrix``: actors by agreements, linking the connecting events."""

    view = View.INVOLVEMENT_MATRIX

    def run(self) -> list[nodes.Node]:
        return self.placeholder("")


def setup_figures(app: Sphinx) -> None:
    forget_at_exit(forget_event_index)
    app.add_directive_to_domain("dossier", "timeline-figure", TimelineFigureDirective)
    app.add_directive_to_domain("dossier", "role-strip", RoleStripDirective)
    app.add_directive_to_domain("dossier", "involvement-matrix", InvolvementMatrixDirective)
    app.add_post_transform(FigureTransform)
    # The files sit in the package's static folder, which the extension's setup publishes.
    for css in CSS_FILES:
        app.add_css_file(css)
