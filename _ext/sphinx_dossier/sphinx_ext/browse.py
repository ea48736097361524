"""Ways to browse the dossier: "as of" pages, previous/next events, the coverage end date.

- ``as-of/<date>`` pages (one per source publication date, ``core.asof``): what the
  sources published by then reported. Their stubs are written with the record stubs
  (``pages.py``); ``dossier:as-of`` renders one (with a date) or the list of them.
- On each event page, the previous and next event in story order (``Dataset.chronology``).
- ``{dossier:coverage-end}``: the latest source publication date, linked to its source.

Each is a view (``views.computes``/``transforms.renders``), so a page is rewritten
exactly when what it shows changes. Per page, the work is that page's own rows: the
dates every as-of page filters by are computed once per build.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective, SphinxRole

from sphinx_dossier.core.asof import AsOf, as_of
from sphinx_dossier.core.kinds import spec
from sphinx_dossier.core.model import Actor, Event, Source
from sphinx_dossier.core.text import STATUS_TEXT, plain_text
from sphinx_dossier.sphinx_ext._shared import dossier_domain
from sphinx_dossier.sphinx_ext.assembled import (
    listing_docnames,
    record_toctree,
    wants_record_toctree,
)
from sphinx_dossier.sphinx_ext.buildctx import builder_of
from sphinx_dossier.sphinx_ext.nodes import View, view_node
from sphinx_dossier.sphinx_ext.search import reader_date
from sphinx_dossier.sphinx_ext.transforms import (
    ViewRenderer,
    facet_classes,
    facet_data,
    facet_script,
    renders,
    views_of,
)
from sphinx_dossier.sphinx_ext.views import Row, Views, _event_row, computes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from sphinx_dossier.core.dataset import Dataset

__all__ = ["AS_OF_DIR", "as_of_stubs", "setup_browse"]

#: Folder of the as-of pages, under ``dossier_pages_dir``.
AS_OF_DIR = "as-of"


def _as_of_state(domain: Any, dataset: Dataset, limit: int) -> AsOf:
    """The dataset's as-of state, kept on the build's domain: the stubs (builder-inited)
    and the views (env-updated) of one build share it."""
    kept = getattr(domain, "as_of_kept", None)
    if kept is not None and kept[0] is dataset and kept[1] == limit:
        state: AsOf = kept[2]
        return state
    state = as_of(dataset, limit)
    domain.as_of_kept = (dataset, limit, state)
    return state


def _as_of(views: Views) -> AsOf:
    def compute() -> AsOf:
        if views.dataset is None:
            return AsOf()
        limit = int(views.env.config.dossier_as_of_pages)
        return _as_of_state(views.domain, views.dataset, limit)

    result: AsOf = views.memo("as-of", compute)
    return result


def as_of_docname(config: Config, key: str) -> str:
    return f"{config.dossier_pages_dir}/{AS_OF_DIR}/{key}"


def as_of_title(date: Any) -> str:
    return f"As of {reader_date(date)}"


def as_of_stubs(dataset: Dataset, config: Config, suffix: str, domain: Any) -> dict[str, str]:
    """The stub of each as-of page, relative to the pages dir (``domain`` keeps the state
    for the views)."""
    stubs = {}
    for page in _as_of_state(domain, dataset, int(config.dossier_as_of_pages)).pages:
        title = as_of_title(page.date)
        stubs[f"{AS_OF_DIR}/{page.key}{suffix}"] = (
            f":orphan:\n\n{title}\n{'=' * len(title)}\n\n.. dossier:as-of:: {page.key}\n"
        )
    return stubs


# -- the views ---------------------------------------------------------------------------


def _reader_event_row(loaded: Any, position: int) -> Row:
    event = loaded.record_as(Event)
    row = _event_row(loaded, position)
    row["when"] = reader_date(event.date, event.until)
    return row


@computes(View.EVENT_NEIGHBOURS)
def view_event_neighbours(views: Views, event_id: str) -> list[Row]:
    order = views.event_order
    positions: dict[str, int] = views.memo(
        "event-positions", lambda: {loaded.id: i for i, loaded in enumerate(order)}
    )
    here = positions.get(event_id)
    if here is None:
        return []
    rows = []
    for rel, position in (("previous", here - 1), ("next", here + 1)):
        if 0 <= position < len(order):
            rows.append({"rel": rel, **_reader_event_row(order[position], position)})
    return rows


@renders(View.EVENT_NEIGHBOURS)
def render_event_neighbours(renderer: ViewRenderer, rows: list[Row]) -> list[nodes.Node]:
    if not rows:
        return []
    box = nodes.container("", classes=["dossier-neighbours"])
    for row in rows:
        label = "← Previous event" if row["rel"] == "previous" else "Next event →"
        box += nodes.paragraph(
            "",
            "",
            nodes.inline("", label, classes=["dossier-neighbour-rel"]),
            nodes.Text(f" ({row['when']}): "),
            renderer.link("event", row["id"]),
            classes=[f"dossier-{row['rel']}"],
        )
    return [box]


@computes(View.COVERAGE_END)
def view_coverage_end(views: Views, _arg: str) -> list[Row]:
    state = _as_of(views)
    if views.dataset is None or not state.pages:
        return []
    last = state.pages[-1]
    return [{"id": sid, "date": reader_date(last.date)} for sid in last.sources]


@renders(View.COVERAGE_END)
def render_coverage_end(renderer: ViewRenderer, rows: list[Row]) -> list[nodes.Node]:
    if not rows:
        return [nodes.inline("", "no dated source yet")]
    # Not "dossier-date": that class sets dates in lists apart, this one reads as prose.
    result: list[nodes.Node] = [nodes.inline("", rows[0]["date"], classes=["dossier-coverage-end"])]
    result.append(nodes.Text(" ("))
    for index, row in enumerate(rows):
        if index:
            result.append(nodes.Text(", "))
        result.append(renderer.link("source", row["id"]))
    result.append(nodes.Text(")"))
    return result


@computes(View.AS_OF_INDEX)
def view_as_of_index(views: Views, _arg: str) -> list[Row]:
    state = _as_of(views)
    rows: list[Row] = [
        {
            "doc": as_of_docname(views.env.config, page.key),
            "title": as_of_title(page.date),
            "sources": len(page.sources),
        }
        for page in state.pages
    ]
    if rows:
        rows[0]["grouping"] = state.grouping
    return rows


@renders(View.AS_OF_INDEX)
def render_as_of_index(renderer: ViewRenderer, rows: list[Row]) -> list[nodes.Node]:
    if not rows:
        return [
            renderer.empty("No “as of” pages: no source is dated, or dossier_as_of_pages is 0.")
        ]
    out: list[nodes.Node] = []
    grouping = rows[0].get("grouping", "day")
    if grouping != "day":
        text = f"There are too many source dates for one page each: one page per {grouping}."
        out.append(nodes.paragraph("", text))
    entries = []
    for row in rows:
        count = "1 source" if row["sources"] == 1 else f"{row['sources']} sources"
        entries.append(
            [renderer.doc_link(row["doc"], row["title"]), nodes.Text(f": {count} published then")]
        )
    out.append(renderer.items(entries, ["dossier-as-of-index"]))
    return out


@computes(View.SOURCE_AS_OF)
def view_source_as_of(views: Views, source_id: str) -> list[Row]:
    state = _as_of(views)
    key = state.page_of_source.get(source_id)
    page = state.page(key) if key is not None else None
    if page is None:
        return []
    return [{"doc": as_of_docname(views.env.config, page.key), "title": as_of_title(page.date)}]


@renders(View.SOURCE_AS_OF)
def render_source_as_of(renderer: ViewRenderer, rows: list[Row]) -> list[nodes.Node]:
    if not rows:
        return []
    text = "What this source and the ones before it had reported: "
    return [
        nodes.paragraph(
            "",
            text,
            renderer.doc_link(rows[0]["doc"], rows[0]["title"]),
            nodes.Text("."),
            classes=["dossier-source-as-of"],
        )
    ]


@computes(View.AS_OF)
def view_as_of(views: Views, key: str) -> list[Row]:
    state = _as_of(views)
    dataset = views.dataset
    index = next((i for i, page in enumerate(state.pages) if page.key == key), None)
    if dataset is None or index is None:
        return []
    page = state.pages[index]
    cutoff = page.cutoff
    since = state.pages[index - 1].cutoff if index else None

    def new(day: _dt.date | None) -> bool:
        return day is not None and (since is None or day > since)

    # What the page lists, as (section, what, new at this date?), before any row is built.
    found: list[tuple[str, Any, bool]] = [
        ("source", source_id, earlier is page)
        for earlier in state.pages[: index + 1]
        for source_id in earlier.sources
    ]
    for position, loaded in enumerate(views.event_order):
        known = state.event_known.get(loaded.id)
        if known is None or known > cutoff:
            continue
        happened = state.event_happened.get(loaded.id)
        if happened is not None and happened <= cutoff:
            found.append(("happened", (loaded, position), new(happened)))
        else:
            found.append(("expected", (loaded, position), new(known)))
    for (actor_id, role_index), known in sorted(state.role_known.items()):
        if known <= cutoff:
            found.append(("role", (actor_id, role_index), new(known)))
    totals = {name: 0 for name in AS_OF_HEADINGS}
    for section, _what, _new in found:
        totals[section] += 1
    # A big dossier's pages would each repeat most of the last one: past a limit, a page
    # lists what is new at its date, and the earlier pages the rest.
    new_only = len(found) > AS_OF_FULL_ROWS
    rows: list[Row] = [
        {"section": "intro", "date": reader_date(page.date), "new_only": new_only, **totals}
    ]
    for section, what, is_new in found:
        if new_only and not is_new:
            continue
        if section == "source":
            source = dataset.records[what].record_as(Source)
            rows.append({"section": section, "id": what, "date": reader_date(source.published)})
        elif section == "role":
            actor_id, role_index = what
            role = dataset.records[actor_id].record_as(Actor).roles[role_index]
            rows.append(
                {
                    "section": section,
                    "record": actor_id,
                    "role": plain_text(str(role.title)),
                    "organization": str(role.organization) if role.organization else "",
                    "observed": reader_date(role.observed),
                }
            )
        else:
            rows.append({"section": section, **_reader_event_row(*what)})
    for rel, other in (("previous", index - 1), ("next", index + 1)):
        if 0 <= other < len(state.pages):
            neighbour = state.pages[other]
            rows.append(
                {
                    "section": rel,
                    "doc": as_of_docname(views.env.config, neighbour.key),
                    "title": as_of_title(neighbour.date),
                }
            )
    rows.extend({"section": "undated", "id": source_id} for source_id in state.undated)
    return rows


def _status(row: Row) -> str:
    status = str(row["status"])
    return STATUS_TEXT.get(status, status)


#: Most sources, events and roles an as-of page lists in full; past it, only the new ones.
AS_OF_FULL_ROWS = 1000

AS_OF_HEADINGS = {
    "source": "Sources published by then",
    "happened": "Reported as having happened",
    "expected": "Planned or expected at that date",
    "role": "Roles observed by then",
}


@renders(View.AS_OF)
def render_as_of(renderer: ViewRenderer, rows: list[Row]) -> list[nodes.Node]:
    if not rows:
        return [renderer.empty("No source is dated this day.")]
    by_section: dict[str, list[Row]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    intro = by_section["intro"][0]
    date = intro["date"]
    out: list[nodes.Node] = [
        nodes.paragraph(
            "",
            f"What the sources published by {date} reported, using only the claims that cite"
            " them. A source published before an event can only say that it was planned, so"
            " such events are listed as planned or expected here, even where later sources"
            " report them as having happened.",
        )
    ]
    if intro["new_only"]:
        out.append(
            nodes.paragraph(
                "",
                "There is too much to list it all on every page: each heading gives the total"
                " by this date, and lists what is new since the previous page.",
            )
        )
    for section, heading in AS_OF_HEADINGS.items():
        group = by_section.get(section, [])
        title = f"{heading} ({intro[section]})"
        if intro["new_only"]:
            title += f", new: {len(group)}"
        out.append(nodes.rubric(title, title))
        if not group:
            out.append(renderer.empty("None."))
        elif section == "source":
            out.append(
                renderer.items(
                    (
                        [renderer.link("source", row["id"]), nodes.Text(f", {row['date']}")]
                        for row in group
                    ),
                    ["dossier-as-of-sources"],
                )
            )
        elif section == "role":
            entries = []
            for row in group:
                entry: list[nodes.Node] = [
                    renderer.link("actor", row["record"]),
                    nodes.Text(f": {row['role']}"),
                ]
                if row["organization"]:
                    entry += [nodes.Text(", "), renderer.link("actor", row["organization"])]
                entry.append(nodes.Text(f" (observed {row['observed']})"))
                entries.append(entry)
            out.append(renderer.items(entries, ["dossier-as-of-roles"]))
        else:
            items = renderer.items(
                (
                    [
                        nodes.inline("", row["when"], classes=["dossier-date"]),
                        nodes.Text(" "),
                        renderer.link("event", row["id"]),
                        nodes.Text(
                            f" (the record today: {STATUS_TEXT.get(row['status'], row['status'])})"
                        ),
                    ]
                    for row in group
                ),
                ["dossier-as-of-events"],
            )
            out.append(items)
    undated = by_section.get("undated", [])
    if undated:
        note = nodes.paragraph(
            "", "Undated sources are on no “as of” page, as their date is not known: "
        )
        for index, row in enumerate(undated):
            if index:
                note += nodes.Text(", ")
            note += renderer.link("source", row["id"])
        note += nodes.Text(".")
        out.append(note)
    links = [
        [nodes.Text("Earlier: " if row["section"] == "previous" else "Later: "),
         renderer.doc_link(row["doc"], row["title"])]
        for section in ("previous", "next")
        for row in by_section.get(section, [])
    ]  # fmt: skip
    if links:
        out.append(renderer.items(links, ["dossier-as-of-neighbours"]))
    return out


# -- markup -----------------------------------------------------------------------------


class CoverageEndRole(SphinxRole):
    """``{dossier:coverage-end}``: the latest source date, e.g. "13 November 2019 (source)"."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        node = view_node(View.COVERAGE_END, "")
        self.set_source_info(node)
        return [node], []


class AsOfDirective(SphinxDirective):
    """``dossier:as-of`` with a date key: that as-of page; without: the list of them."""

    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        node = (
            view_node(View.AS_OF, self.arguments[0])
            if self.arguments
            else view_node(View.AS_OF_INDEX, "")
        )
        self.set_source_info(node)
        result: list[nodes.Node] = [node]
        dataset = dossier_domain(self.env).dataset
        if (
            not self.arguments
            and dataset is not None
            and listing_docnames(self.config).get(self.env.docname) == "timeline"
            and wants_record_toctree(builder_of(self.env), self.config)
        ):
            # Builders that make one book hold only pages in the toctree: the as-of pages
            # go below the timeline, so the links to them work there too.
            pages = as_of(dataset, int(self.config.dossier_as_of_pages)).pages
            docnames = [as_of_docname(self.config, page.key) for page in pages]
            result.append(record_toctree(self.env, self.env.docname, docnames))
        return result


#: The domain index of events (indices.py), whose rows the timeline's filters also apply to.
EVENTS_INDEX = f"dossier-{spec('event').folder}"


def add_index_facets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: the timeline's filters for the events index (a page of Sphinx's
    own, which lists every event; the script tags its rows by the links they hold)."""
    if pagename != EVENTS_INDEX or not app.config.dossier_generate:
        return
    rows = views_of(app.env).data(View.TIMELINE, "")
    data = facet_data(rows)
    data["items"] = {row["id"]: facet_classes(row) for row in rows}
    # Sphinx's basic theme and furo name the table differently.
    script = facet_script(data, "table.indextable, table.domainindex-table")
    context["metatags"] = context.get("metatags", "") + script


def setup_browse(app: Sphinx) -> None:
    app.connect("html-page-context", add_index_facets)
    app.add_role_to_domain("dossier", "coverage-end", CoverageEndRole())
    app.add_directive_to_domain("dossier", "as-of", AsOfDirective)
