"""The lead paragraph of a record page and what its fact box adds from other records.

A lead says in one plain paragraph what the record's own fields say, each part
followed by the citation markers of the claims that back it (the markers and
pop-ups of the rest of the page). It adds nothing the data does not hold: a date
is given at its own precision, with how it was obtained, and a field no claim
backs has no marker. What comes from other records (an agreement's events, the
coverage end, how often a source is cited) is a view (:data:`View.LEAD_CONTEXT`,
:data:`View.FACT_CONTEXT`) filled at write time, so it stays current; its parts
link to the other record and to the claim there that backs it.

The meta description of the page (``meta.py``) is the lead's text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes

from sphinx_dossier.core.model import Actor, Agreement, Event, Source
from sphinx_dossier.core.text import (
    STATUS_LEAD,
    STATUS_TEXT,
    date_notes,
    date_phrase,
    date_words,
    display_title,
    spoken_date,
)
from sphinx_dossier.sphinx_ext.nodes import View, status_badge, view_node
from sphinx_dossier.sphinx_ext.transforms import RENDERERS, ViewRenderer
from sphinx_dossier.sphinx_ext.views import COMPUTERS, Row, Views, claim_backing

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import LoadedRecord
    from sphinx_dossier.sphinx_ext.render import RecordRenderer

__all__ = ["LEAD_CLASS", "LEAD_RENDERERS", "lead_node", "lead_text", "list_words"]

#: Class of the lead paragraph (the meta description reads it).
LEAD_CLASS = "dossier-lead"
Parts = list[nodes.Node]
LeadRenderer = Callable[["RecordRenderer"], Parts]

#: The lead of each record kind: ``(renderer) -> inline nodes``.
LEAD_RENDERERS: dict[str, LeadRenderer] = {}


def lead_for(kind: str) -> Callable[[LeadRenderer], LeadRenderer]:
    def register(function: LeadRenderer) -> LeadRenderer:
        LEAD_RENDERERS[kind] = function
        return function

    return register


# -- words ---------------------------------------------------------------------------


def list_words(items: Sequence[Parts]) -> Parts:
    """``a``, ``a and b``, ``a, b and c``."""
    out: Parts = []
    for index, item in enumerate(items):
        if index:
            out.append(nodes.Text(" and " if index == len(items) - 1 else ", "))
        out += item
    return out


def _sentence(*parts: nodes.Node | str) -> Parts:
    return [nodes.Text(part) if isinstance(part, str) else part for part in parts]


def _links(r: RecordRenderer, role: str, ids: Sequence[str], fieldname: str) -> list[Parts]:
    return [[r.xref(role, str(target), fieldname, i)] for i, target in enumerate(ids)]


def lead_node(r: RecordRenderer) -> nodes.paragraph:
    """The lead paragraph of ``r``'s record (plain words, links and markers)."""
    return r.paragraph(LEAD_RENDERERS[r.loaded.kind](r), "id", classes=[LEAD_CLASS])


def lead_text(doctree: nodes.Node | None) -> str:
    """The words of a page's lead, without its citation markers ("" without a lead)."""
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        if LEAD_CLASS in paragraph["classes"]:
            return " ".join("".join(_words(paragraph)).split())
    return ""


def _words(node: nodes.Element) -> list[str]:
    words: list[str] = []
    for child in node.children:
        if isinstance(child, nodes.Text):
            words.append(str(child))
        elif isinstance(child, nodes.Element) and not isinstance(child, nodes.superscript):
            words += _words(child)
    return words


# -- leads from the record's own fields ------------------------------------------------


@lead_for("event")
def lead_event(r: RecordRenderer) -> Parts:
    event = r.loaded.record_as(Event)
    if event.until is not None:
        dated = f"from {spoken_date(event.date)} to {spoken_date(event.until)}"
        notes = sorted(set(date_notes(event.date)) | set(date_notes(event.until)))
        dated += f" ({', '.join(notes)})" if notes else ""
    else:
        dated = date_words(event.date)
    # A marker stands at the end of what it backs: when one claim backs both halves
    # of a sentence, its marker is given once, at the end.
    dates = [*r.field_numbers.get("date", []), *r.field_numbers.get("until", [])]
    date_marks, status_marks = r.markers(dates), r.field_markers("status", "date")
    if _same(date_marks, status_marks):
        date_marks = []
    out = _sentence(f"This event is dated {dated}", *date_marks, ": ")
    out += _sentence(STATUS_LEAD[event.status], *status_marks, ".")
    if event.actors or event.agreements:
        actor_marks, agreement_marks = r.field_markers("actors"), r.field_markers("agreements")
        if event.agreements and _same(actor_marks, agreement_marks):
            actor_marks = []
        out.append(nodes.Text(" It "))
        if event.actors:
            out += [nodes.Text("involves ")]
            out += list_words(_links(r, "actor", event.actors, "actors"))
            out += actor_marks
        if event.agreements:
            out.append(nodes.Text(" and concerns " if event.actors else "concerns "))
            out += list_words(_links(r, "agreement", event.agreements, "agreements"))
            out += agreement_marks
        out.append(nodes.Text("."))
    if event.location:
        verb = "was to take place" if event.status == "planned" else "took place"
        out += [nodes.Text(f" It {verb} in "), *r.text(str(event.location), "location")]
        out += [*r.field_markers("location"), nodes.Text(".")]
    if event.after:
        out.append(nodes.Text(" The sources place it after "))
        out += list_words(_links(r, "event", event.after, "after"))
        out += [*r.field_markers("after"), nodes.Text(".")]
    return out


@lead_for("agreement")
def lead_agreement(r: RecordRenderer) -> Parts:
    agreement = r.loaded.record_as(Agreement)
    out: Parts = []
    if agreement.short_name:
        out += [
            nodes.Text(f"{display_title(r.loaded)}, in full "),
            *r.text(str(agreement.name), "name"),
        ]
        out += [*r.field_markers("name", "short_name"), nodes.Text(", is ")]
    else:
        out += [*r.text(str(agreement.name), "name"), *r.field_markers("name"), nodes.Text(" is ")]
    out += [nodes.Text(_article(str(agreement.kind)) + " "), *r.text(str(agreement.kind), "kind")]
    out += r.field_markers("kind")
    out.append(nodes.Text(" between "))
    out += list_words(_links(r, "actor", agreement.parties, "parties"))
    out += [*r.field_markers("parties"), nodes.Text(".")]
    out.append(view_node(View.LEAD_CONTEXT, str(agreement.id)))
    return out


@lead_for("actor")
def lead_actor(r: RecordRenderer) -> Parts:
    actor = r.loaded.record_as(Actor)
    kind = str(actor.kind)
    name = display_title(r.loaded)
    out = _sentence(f"{name} is {_article(kind)} {kind}", *r.field_markers("kind"))
    if actor.parent:
        out += [nodes.Text(", part of "), r.xref("actor", str(actor.parent), "parent")]
        out += r.field_markers("parent")
    out.append(nodes.Text("."))
    # One phrase per title and organisation, with every date it was observed on
    # (sorted_roles: in order of observation), so a title seen twice reads once.
    titles: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for index, role in r.sorted_roles():
        titles.setdefault((str(role.title), str(role.organization or "")), []).append((index, role))
    if titles:
        shown: list[Parts] = []
        for (_title, organization), seen in list(titles.items())[:MAX_LEAD_ROLES]:
            first = seen[0][0]
            part: Parts = [nodes.Text("as "), *r.text(_title, "roles", first, "title")]
            if organization:
                part += [
                    nodes.Text(" of "),
                    r.xref("actor", organization, "roles", first, "organization"),
                ]
            dates: list[Parts] = []
            for _index, role in seen:
                numbers = [n for c in role.claims for n in r.claim_numbers.get(str(c), [])]
                dates.append([nodes.Text(date_phrase(role.observed)), *r.markers(numbers)])
            part += [nodes.Text(" "), *list_words(dates)]
            shown.append(part)
        more = len(titles) - len(shown)
        if more:
            shown.append([nodes.Text(f"in {more} more role{'s' if more > 1 else ''} (see Roles)")])
        pronoun = "them" if kind == "person" else "it"
        out += [nodes.Text(f" The sources name {pronoun} "), *list_words(shown), nodes.Text(".")]
    out.append(view_node(View.LEAD_CONTEXT, str(actor.id)))
    return out


#: Roles a person's lead names (the Roles section lists all).
MAX_LEAD_ROLES = 3


@lead_for("source")
def lead_source(r: RecordRenderer) -> Parts:
    source = r.loaded.record_as(Source)
    publisher = source.publisher
    out: Parts = [nodes.Text("This text was published by ")]
    if publisher.name:
        out.append(nodes.Text(str(publisher.name)))
        if publisher.basis != "stated":
            out.append(nodes.Text(f" ({publisher.basis})"))
    else:
        out.append(nodes.Text("an outlet the text does not name"))
    out += r.field_markers("publisher")
    if source.published is not None:
        out += [
            nodes.Text(" " + date_words(source.published, phrase=True)),
            *r.field_markers("published"),
        ]
    else:
        out.append(nodes.Text(" without a date"))
    if source.via:
        out += [nodes.Text(f", reproducing a text of {source.via}"), *r.field_markers("via")]
    if source.author:
        out += [nodes.Text(f"; its author is given as {source.author}"), *r.field_markers("author")]
    out.append(nodes.Text("."))
    if source.url:
        out += [nodes.Text(" The text gives its address"), *r.field_markers("url"), nodes.Text(".")]
    else:
        out.append(nodes.Text(" The text gives no URL."))
    out.append(view_node(View.LEAD_CONTEXT, str(source.id)))
    return out


def _same(first: Parts, second: Parts) -> bool:
    return bool(first) and [n.astext() for n in first] == [n.astext() for n in second]


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


# -- what other records add (views) --------------------------------------------------


def _events(views: Views, rows: list[Row]) -> list[LoadedRecord]:
    assert views.dataset is not None
    found = (views.dataset.records.get(row["id"]) for row in rows)
    return [loaded for loaded in found if loaded is not None and loaded.kind == "event"]


def _span(events: list[LoadedRecord]) -> Row:
    """The dates the events cover, as the data gives them: the earliest start (in story
    order, the first) and the latest end, each at its own precision."""
    first = events[0].record_as(Event).date
    ends = [(e.until or e.date) for e in (loaded.record_as(Event) for loaded in events)]
    last = max(ends, key=lambda d: (d.last_date(), d.to_date()))
    same = first.iso == last.iso
    return {
        "from": spoken_date(first),
        "to": spoken_date(last),
        "phrase": date_phrase(first)
        if same
        else f"from {spoken_date(first)} to {spoken_date(last)}",
    }


def context(views: Views, record_id: str) -> list[Row]:
    """What other records say about ``record_id`` that its lead and fact box show.

    Costs the record's own events or citations (the indexes of :class:`Views`), never
    a pass over the dataset.
    """
    dataset = views.dataset
    loaded = dataset.records.get(record_id) if dataset is not None else None
    if loaded is None:
        return []
    rows: list[Row] = []
    if loaded.kind in ("agreement", "actor"):
        index = views.lifecycle_of if loaded.kind == "agreement" else views.events_of
        events = _events(views, index.get(record_id, []))
        if events:
            counts = {status: 0 for status in STATUS_TEXT}
            for event in events:
                counts[event.record_as(Event).status] += 1
            rows.append(
                {"step": "events", "n": len(events), **_span(events),
                 "counts": [[status, n] for status, n in counts.items() if n],
                 "of": loaded.kind,
                 "pronoun": "them" if getattr(loaded.record, "kind", "") == "person" else "it"}
            )  # fmt: skip
        latest = views.latest_source
        if loaded.kind == "agreement" and latest is not None:
            rows.append({"step": "coverage", **latest})
            end = views.latest_source_end
            for event in events:
                record = event.record_as(Event)
                if record.status == "planned" and end is not None and record.date.to_date() > end:
                    rows.append(
                        {"step": "pending", "id": event.id, "title": display_title(event),
                         "when": spoken_date(record.date), "claim": claim_backing(event, "date")}
                    )  # fmt: skip
    elif loaded.kind == "source":
        cited = views.citations_of.get(record_id, [])
        claims = {(row["record"], row["claim"]) for row in cited}
        rows.append(
            {"step": "cited", "claims": len(claims), "records": len({r for r, _ in claims})}
        )
    return rows


def _same_context(views: Views, record_id: str) -> list[Row]:
    return cast("list[Row]", views.data(View.LEAD_CONTEXT, record_id))  # computed once


COMPUTERS[View.LEAD_CONTEXT] = context
COMPUTERS[View.FACT_CONTEXT] = _same_context


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _counts(row: Row) -> str:
    """``8 occurred, 9 happened, date uncertain, 5 planned or expected``."""
    return "; ".join(f"{n} {STATUS_TEXT[status]}" for status, n in row["counts"])


def _pending(v: ViewRenderer, rows: list[Row]) -> list[Parts]:
    return [
        [
            v.link("event", row["id"]),
            nodes.Text(f" ({row['when']})"),
            *v.claim_marker(row["claim"]),
        ]
        for row in rows
    ]


def render_lead_context(v: ViewRenderer, rows: list[Row]) -> Parts:
    out: Parts = []
    pending = [row for row in rows if row["step"] == "pending"]
    for row in rows:
        step = row["step"]
        if step == "events":
            # The count links the section listing them, each with the claim behind it.
            n, phrase = _plural(int(row["n"]), "event"), row["phrase"]
            if row["of"] == "agreement":
                listed = nodes.reference("", n, refid="dossier-lifecycle")
                out += [nodes.Text(" The record follows it through "), listed]
                out.append(nodes.Text(f" {phrase} ({_counts(row)})."))
            else:
                listed = nodes.reference("", n, refid="dossier-events")
                out += [nodes.Text(" "), listed]
                out.append(nodes.Text(f" of the record involve {row['pronoun']}, {phrase}."))
        elif step == "coverage":
            out += [nodes.Text(f" The sources end {row['when']} ("), v.link("source", row["id"])]
            out.append(nodes.Text(")"))
            if pending:
                out += [nodes.Text("; still planned then: "), *list_words(_pending(v, pending))]
            out.append(nodes.Text("."))
        elif step == "cited":
            claims, records = int(row["claims"]), int(row["records"])
            if claims:
                listed = nodes.reference("", _plural(claims, "claim"), refid="dossier-cited-in")
                out += [nodes.Text(" "), listed]
                out.append(nodes.Text(f" in {_plural(records, 'record')} cite it."))
            else:
                out.append(nodes.Text(" No claim cites it yet."))
    return out


def _field(label: str, *body: nodes.Node) -> nodes.field:
    inline = all(isinstance(node, nodes.Inline | nodes.Text) for node in body)
    content = [nodes.paragraph("", "", *body)] if inline else list(body)
    return nodes.field("", nodes.field_name(label, label), nodes.field_body("", *content))


def render_fact_context(v: ViewRenderer, rows: list[Row]) -> Parts:
    fields: Parts = []
    pending = [row for row in rows if row["step"] == "pending"]
    for row in rows:
        step = row["step"]
        if step == "events":
            n = int(row["n"])
            agreement = row["of"] == "agreement"
            target = "dossier-lifecycle" if agreement else "dossier-events"
            ref = nodes.reference("", _plural(n, "event"), refid=target)
            fields.append(
                _field(
                    "Lifecycle" if agreement else "Events", ref, nodes.Text(f", {row['phrase']}")
                )
            )
            if agreement:  # what its events are: the agreement's own status is theirs
                badges: Parts = []
                for status, count in row["counts"]:
                    badges += [
                        nodes.Text(f"{', ' if badges else ''}{count} "),
                        status_badge(status),
                    ]
                fields.append(_field("Status", *badges))
        elif step == "coverage":
            body: Parts = [nodes.Text(f"ends {row['when']}, the date of the latest source (")]
            body += [v.link("source", row["id"]), nodes.Text(")")]
            fields.append(_field("Coverage", *body))
            if pending:
                fields.append(_field("Planned after it", *list_words(_pending(v, pending))))
        elif step == "cited":
            ref = nodes.reference(
                "", _plural(int(row["claims"]), "claim"), refid="dossier-cited-in"
            )
            fields.append(
                _field("Cited by", ref, nodes.Text(f" in {_plural(int(row['records']), 'record')}"))
            )
    return fields


RENDERERS[View.LEAD_CONTEXT] = render_lead_context
RENDERERS[View.FACT_CONTEXT] = render_fact_context
