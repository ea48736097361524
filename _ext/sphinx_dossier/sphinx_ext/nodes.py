"""Doctree nodes of the extension: placeholders filled at write time, and badges."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from docutils import nodes

from sphinx_dossier.core.kinds import KINDS, spec
from sphinx_dossier.core.text import STATUS_BADGE


class View(StrEnum):
    """Every kind of derived data a page can show, filled in at write time.

    Each is computed in one place and rendered in one place, registered by this
    name: ``views.computes``/``transforms.renders`` for the record sections and
    listings, ``figures.py`` for the figures, ``cite.py`` for "Cite this entry".
    """

    BACKLINKS = "backlinks"
    ACTOR_EVENTS = "actor-events"
    AGREEMENT_LIFECYCLE = "agreement-lifecycle"
    SOURCE_CITATIONS = "source-citations"
    # The listings (``dossier:listing``), named as the generated pages are.
    TIMELINE = "timeline"
    ACTORS = "actors"
    AGREEMENTS = "agreements"
    SOURCES = "sources"
    # Figures.
    TIMELINE_FIGURE = "timeline-figure"
    ROLE_STRIP = "role-strip"
    INVOLVEMENT_MATRIX = "involvement-matrix"
    CITE_THIS = "cite-this"
    # The "Cite" control near the top of a record page, and the one of each claim.
    CITE_MENU = "cite-menu"
    CITE_CLAIM = "cite-claim"
    # -- browse (notes.py, browse.py) ------------------------------------------------
    # The endnotes of a page's numbered {dossier:note} markers; arg: the targets in order.
    NOTES = "notes"
    # The latest source publication date (home page), linked to its source.
    COVERAGE_END = "coverage-end"
    # Previous and next event in story order, on an event page.
    EVENT_NEIGHBOURS = "event-neighbours"
    # What the sources published by a date reported; arg: the as-of page's date.
    AS_OF = "as-of"
    # The list of as-of pages (timeline page), and a source page's link to its own.
    AS_OF_INDEX = "as-of-index"
    SOURCE_AS_OF = "source-as-of"
    # -- end browse ------------------------------------------------------------------
    # What a record page's lead and fact box say from other records (summary.py).
    LEAD_CONTEXT = "lead-context"
    FACT_CONTEXT = "fact-context"


class dossier_view(nodes.General, nodes.Element):  # type: ignore[misc]
    """Placeholder for data derived from other records (backlinks, lists).

    Attributes: ``view`` (a :class:`View` value) and ``arg`` (a record id or "").
    Replaced in a post-transform, so the content is always current.
    """


class dossier_toggle(nodes.container):  # type: ignore[misc]
    """Content a reader opens on demand: ``<details>`` in HTML (no JavaScript, any theme).

    A container, so every other writer (LaTeX, text, man...) shows its children as
    plain content through its ``visit_container``; the first child is the summary.
    """


class dossier_toggle_summary(nodes.paragraph):  # type: ignore[misc]
    """The always-visible line of a :class:`dossier_toggle` (``<summary>`` in HTML)."""


def toggle(summary: str, *children: nodes.Node, classes: Sequence[str] = ()) -> dossier_toggle:
    """A toggle showing ``summary`` and, when opened, ``children``."""
    head = dossier_toggle_summary(summary, summary)
    return dossier_toggle("", head, *children, classes=["dossier-toggle", *classes])


def visit_toggle_html(self: Any, node: nodes.Element) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="{classes}">')


def depart_toggle_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def visit_toggle_summary_html(self: Any, node: nodes.Element) -> None:
    self.body.append("<summary>")


def depart_toggle_summary_html(self: Any, node: nodes.Element) -> None:
    self.body.append("</summary>")


def view_node(view: View, arg: str) -> dossier_view:
    """A placeholder for ``view`` of ``arg`` (stored as plain strings: doctrees are pickled)."""
    return dossier_view("", view=view.value, arg=arg)


def badge(text: str, color: str, *, outline: bool = False) -> nodes.inline:
    """A badge in one of sphinx-design's colours (``primary``, ``info``...), drawn as its
    ``bdg-*`` roles are by the extension's own stylesheet: a page showing badges and
    nothing else of sphinx-design does not load sphinx-design's 55 kB of CSS."""
    classes = ["dossier-badge", f"dossier-badge-{color}"]
    if outline:
        classes.append("dossier-badge-outline")
    return nodes.inline(text, text, classes=classes)


def card_grid(cards: Iterable[tuple[list[nodes.Node], Sequence[nodes.Node]]]) -> nodes.container:
    """A grid of cards (one column on phones, two from 576 px up), drawn by the
    extension's own stylesheet: plain containers, so any builder writes them and no
    page needs sphinx-design's machinery or its 55 kB of CSS.

    Each card is ``(title nodes, body nodes)``.
    """
    grid = nodes.container(classes=["dossier-cards"])
    for title, body in cards:
        heading = nodes.container("", nodes.inline("", "", *title), classes=["dossier-card-title"])
        grid += nodes.container("", heading, *body, classes=["dossier-card"])
    return grid


STATUS_COLORS = {"occurred": "success", "planned": "warning", "reported": "info"}


def kind_badge(kind: str) -> nodes.inline:
    return badge(kind, spec(kind).colour if kind in KINDS else "secondary")


def status_badge(status: str) -> nodes.inline:
    return badge(
        STATUS_BADGE.get(status, status), STATUS_COLORS.get(status, "secondary"), outline=True
    )


def visit_skip(self: object, node: nodes.Element) -> None:
    raise nodes.SkipNode
