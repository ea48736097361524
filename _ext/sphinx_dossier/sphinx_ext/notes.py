"""Numbered source notes on hand-written pages: ``{dossier:note}`` markers and their endnotes.

``{dossier:note}`gsomia#purpose``` puts a superscript ``[1]`` in the text instead of a
parenthetical link. The numbers run per page, in reading order; a claim or record noted
twice keeps its first number. The notes are listed at the end of the page under "Sources
for this page" (or where a ``dossier:notes`` directive stands): for a claim, the sources
it cites with their quoted words and the claim itself; for a record, its kind, title and
date. Each marker links to its note, so the numbers lead somewhere in every builder and
without JavaScript; in HTML, ``dossier-cite.js`` shows the note as the same pop-up record
pages use for their citations.

The markers stay ``pending_xref`` nodes until the write phase, so evidence pages count
them as citations (``evidence.py``) and the domain notes what the page references. In
consumer mode (no dataset) there are no endnotes: each number links its claim directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from sphinx_dossier.core.model import Event, Source
from sphinx_dossier.core.text import (
    STATUS_TEXT,
    claim_title,
    display_title,
    plain_text,
    source_details,
)
from sphinx_dossier.sphinx_ext.nodes import View, dossier_view, kind_badge, view_node
from sphinx_dossier.sphinx_ext.search import reader_date
from sphinx_dossier.sphinx_ext.transforms import ViewRenderer, renders
from sphinx_dossier.sphinx_ext.views import Row, Views, computes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["NOTES_TITLE", "note_anchor", "setup_notes"]

#: Heading of the endnotes added to a page that has no ``dossier:notes`` directive.
NOTES_TITLE = "Sources for this page"
#: Attribute of a marker's ``pending_xref``: its number on the page.
NUMBER = "dossier_note"


def note_anchor(number: int) -> str:
    """The anchor of note ``number`` in a page's endnotes."""
    return f"dossier-note-{number}"


class NoteRole(SphinxRole):
    """``{dossier:note}`record#claim, other-record```: one numbered marker per target."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        result: list[nodes.Node] = []
        for target in (part.strip() for part in self.text.split(",")):
            if not target:
                continue
            node = addnodes.pending_xref(
                self.rawtext,
                refdomain="dossier",
                reftype="claim" if "#" in target else "record",
                reftarget=target,
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            node += nodes.inline(target, target, classes=["xref", "dossier", "dossier-note"])
            self.set_source_info(node)
            node[NUMBER] = 0  # numbered by NumberNotes, once the whole page is read
            result.append(node)
        return result, []


class NotesDirective(SphinxDirective):
    """Where the page's endnotes go (by default: a section at the end of the page)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = view_node(View.NOTES, "")
        self.set_source_info(node)
        return [node]


def _markers(document: nodes.document) -> list[addnodes.pending_xref]:
    return [node for node in document.findall(addnodes.pending_xref) if NUMBER in node]


class NumberNotes(SphinxTransform):
    """Number the page's markers and give its endnotes placeholder the targets in order.

    A read transform, before the domain notes the page's views (priority 850), so the
    page is rewritten when what a note shows changes.
    """

    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        markers = _markers(self.document)
        if not markers:
            return
        numbers: dict[str, int] = {}
        for node in markers:
            target = str(node["reftarget"])
            number = numbers.setdefault(target, len(numbers) + 1)
            node[NUMBER] = number
            label = f"[{number}]"
            node.children[0].replace_self(
                nodes.inline(label, label, classes=["xref", "dossier", "dossier-note"])
            )
        if not self.config.dossier_generate:
            return  # consumer mode: no data for endnotes; each marker links its claim
        arg = " ".join(numbers)
        placeholders = [
            node for node in self.document.findall(dossier_view) if node["view"] == View.NOTES
        ]
        if placeholders:
            for node in placeholders:
                node["arg"] = arg
            return
        section = nodes.section("", ids=["dossier-notes"], classes=["dossier-notes"])
        section += nodes.title(NOTES_TITLE, NOTES_TITLE)
        section += view_node(View.NOTES, arg)
        sections = [child for child in self.document.children if isinstance(child, nodes.section)]
        (sections[-1] if sections else self.document).append(section)


class LinkNotes(SphinxPostTransform):
    """Turn each marker into a superscript link to its note (before references resolve)."""

    default_priority = 4

    def run(self, **kwargs: Any) -> None:
        seen: set[int] = set()
        for node in _markers(self.document):
            if not self.config.dossier_generate:
                # Consumer mode: the number links the claim itself (through intersphinx).
                node.replace_self(nodes.superscript("", "", node.deepcopy()))
                continue
            number = int(node[NUMBER])
            label = f"[{number}]"
            ref = nodes.reference(
                "", label, refid=note_anchor(number), classes=["dossier-marker", "dossier-note"]
            )
            marker: list[nodes.Node] = [nodes.superscript("", "", ref)]
            if number not in seen:
                # The note's "back" link returns to the first place that cites it: a
                # target, which every writer (LaTeX too) turns into an anchor.
                marker.insert(0, nodes.target("", "", ids=[f"{note_anchor(number)}-ref"]))
                seen.add(number)
            node.replace_self(marker)


# -- the endnotes view ----------------------------------------------------------------


def _note_row(views: Views, target: str) -> Row:
    """What one note shows; only the records the note names are read."""
    dataset = views.dataset
    record_id, _, claim_id = target.partition("#")
    loaded = dataset.records.get(record_id) if dataset is not None else None
    if dataset is None or loaded is None:
        return {"target": target, "missing": True}
    row: Row = {"target": target, "kind": loaded.kind, "title": display_title(loaded)}
    if not claim_id:
        if isinstance(loaded.record, Event):
            row["date"] = reader_date(loaded.record.date)
            row["status"] = STATUS_TEXT.get(str(loaded.record.status), str(loaded.record.status))
        return row
    claim = next((c for c in loaded.record.claims if str(c.id) == claim_id), None)
    if claim is None:
        return {"target": target, "missing": True}
    row["claim"] = claim_title(row["title"], claim_id)
    row["text"] = plain_text(str(claim.text))
    cites = []
    for cite in claim.cites:
        source = dataset.records.get(str(cite.source))
        details = ""
        if source is not None and source.kind == "source":
            details = source_details(source.record_as(Source))
        cites.append({"source": str(cite.source), "details": details, "quote": str(cite.quote)})
    row["cites"] = cites
    return row


@computes(View.NOTES)
def view_notes(views: Views, arg: str) -> list[Row]:
    return [_note_row(views, target) for target in arg.split()]


@renders(View.NOTES)
def render_notes(renderer: ViewRenderer, rows: list[Row]) -> list[nodes.Node]:
    result = nodes.enumerated_list(classes=["dossier-citations", "dossier-endnotes"])
    for number, row in enumerate(rows, start=1):
        anchor = note_anchor(number)
        item = nodes.list_item("", ids=[anchor])
        back = nodes.reference("", "↩", refid=f"{anchor}-ref", classes=["dossier-back"])
        if row.get("missing"):
            item += nodes.paragraph("", row["target"] + " ", back, classes=["dossier-missing"])
        elif "cites" in row:
            for index, cite in enumerate(row["cites"]):
                head = nodes.paragraph("", "", renderer.link("source", cite["source"]))
                if cite["details"]:
                    head += nodes.Text(". " + cite["details"] + ".")
                if index == 0:
                    head += nodes.Text(" ")
                    head += back
                quote = nodes.paragraph("", f"“{cite['quote']}”", classes=["dossier-quote"])
                quote["support_smartquotes"] = False  # as the source has it
                item += [head, nodes.block_quote("", quote)]
            backs = nodes.paragraph("", "Our claim: ", classes=["dossier-note"])
            backs += renderer.link("claim", row["target"], row["claim"])
            backs += nodes.Text(f" — {row['text']}")
            item += backs
        else:
            head = nodes.paragraph("", "", kind_badge(row["kind"]), nodes.Text(" "))
            head += renderer.link("record", row["target"])
            if row.get("date"):
                head += nodes.Text(f": {row['date']}, {row['status']}.")
            head += nodes.Text(" ")
            head += back
            item += head
        result += item
    return [result] if rows else []


def setup_notes(app: Sphinx) -> None:
    app.add_role_to_domain("dossier", "note", NoteRole())
    app.add_directive_to_domain("dossier", "notes", NotesDirective)
    app.add_transform(NumberNotes)
    app.add_post_transform(LinkNotes)
