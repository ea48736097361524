"""A record as doctree nodes: title, badges, fact box, claims, citations, view placeholders.

Every node built from a YAML value carries that file and line as its source, so
warnings about it (markup, dangling references) point at the line to edit.
Nothing from YAML is ever parsed as block markup: text fields go through the
restricted inline parser and everything else is plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.kinds import KINDS, spec
from sphinx_dossier.core.model import Actor, Agreement, Event, Record, Source
from sphinx_dossier.core.text import (
    citations,
    cite_anchor,
    claim_title,
    date_sort_key,
    date_words,
    display_title,
    source_details,
)
from sphinx_dossier.sphinx_ext.cite import text_fragment_url
from sphinx_dossier.sphinx_ext.inline import make_xref, parse_inline
from sphinx_dossier.sphinx_ext.nodes import (
    View,
    dossier_view,
    kind_badge,
    status_badge,
    toggle,
    view_node,
)
from sphinx_dossier.sphinx_ext.summary import LEAD_RENDERERS, lead_node

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import Dataset, LoadedRecord

Warn = Callable[[BuildWarning, str, int | None], None]
FactRenderer = Callable[["RecordRenderer"], list[nodes.field]]
"""Callback receiving (subtype, message, yaml line)."""

#: Section ids used on record pages; claim ids must not take them.
RESERVED_ANCHORS = frozenset(
    {
        "dossier-facts",
        "dossier-roles",
        "dossier-claims",
        "dossier-citations",
        "dossier-events",
        "dossier-lifecycle",
        "dossier-cited-in",
        "dossier-referenced-by",
        "dossier-cite-this",
        # -- record summaries: the claim groups (see CLAIM_GROUPS)
        "dossier-claims-dates",
        "dossier-claims-roles",
        "dossier-claims-who",
        "dossier-claims-names",
        "dossier-claims-links",
        "dossier-claims-other",
    }
)

# -- record summaries: claims grouped by what they back
#: ``(heading, anchor, fields)``: a claim is listed in the first group one of its
#: ``supports`` is in; claims a role names are "Roles", claims backing no field last.
CLAIM_GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Date and status", "dossier-claims-dates",
     frozenset({"date", "until", "status", "published"})),
    ("Roles", "dossier-claims-roles", frozenset()),
    ("Who and where", "dossier-claims-who",
     frozenset({"actors", "parties", "publisher", "author", "via", "location", "url"})),
    ("Names", "dossier-claims-names",
     frozenset({"name", "short_name", "title", "kind", "aliases"})),
    ("Links to other records", "dossier-claims-links",
     frozenset({"agreements", "after", "parent"})),
)  # fmt: skip
OTHER_CLAIMS = ("Background (backs no field)", "dossier-claims-other", frozenset[str]())
#: Fewest claims a record page groups under headings (shorter lists keep their order).
CLAIM_GROUP_MIN = 6
#: Kinds whose fact box adds what other records say (``summary.render_fact_context``).
FACT_CONTEXT_KINDS = frozenset({"agreement", "actor", "source"})
# -- end record summaries

#: Most children one paragraph of a fact gets (see :func:`compact_inline`).
MAX_INLINE_CHILDREN = 64


def compact_inline(body: Sequence[nodes.Node]) -> list[nodes.Node]:
    """``body`` with adjacent text nodes joined, in groups of at most 64 nodes.

    docutils' SmartQuotes replaces every text node through ``list.index`` on its
    parent, so a paragraph of n text nodes costs n² (an actor with 100,000 aliases
    took minutes). Joined text renders the same; only a list longer than 64 items of
    links gets its items grouped in ``<span>`` elements.
    """
    merged: list[nodes.Node] = []
    texts: list[str] = []
    for node in body:
        if isinstance(node, nodes.Text):
            texts.append(str(node))
            continue
        if texts:
            merged.append(nodes.Text("".join(texts)))
            texts = []
        merged.append(node)
    if texts:
        merged.append(nodes.Text("".join(texts)))
    if len(merged) <= MAX_INLINE_CHILDREN:
        return merged
    step = MAX_INLINE_CHILDREN
    return [nodes.inline("", "", *merged[i : i + step]) for i in range(0, len(merged), step)]


@dataclass
class RenderedRecord:
    """The page body of a record and what it needs registered."""

    nodes: list[nodes.Node]
    title: str
    anchor: str
    claims: list[tuple[str, str, str]] = field(default_factory=list)  # (name, anchor, title)
    dependencies: set[Path] = field(default_factory=set)


#: The fact box of each record kind: ``(renderer) -> fields``, registered with
#: :func:`facts_for`. A kind in ``core.kinds`` without one stops the build at setup
#: (:func:`missing_renderers`), not halfway through writing pages.
FACT_RENDERERS: dict[str, Callable[[RecordRenderer], list[nodes.field]]] = {}


def facts_for(kind: str) -> Callable[[FactRenderer], FactRenderer]:
    """Register the method that renders the fact box of ``kind``'s pages."""

    def register(method: FactRenderer) -> FactRenderer:
        FACT_RENDERERS[kind] = method
        return method

    return register


def missing_renderers() -> list[str]:
    """Kinds of the registry that have no fact-box or lead renderer."""
    return [kind for kind in KINDS if kind not in FACT_RENDERERS or kind not in LEAD_RENDERERS]


class RecordRenderer:
    """Builds the nodes of one record page."""

    def __init__(
        self, loaded: LoadedRecord, dataset: Dataset, *, refdoc: str | None, warn: Warn
    ) -> None:
        self.loaded = loaded
        self.record: Record = loaded.record
        self.dataset = dataset
        self.refdoc = refdoc
        self.warn = warn
        self.source = str(loaded.path)
        self.numbers: dict[tuple[int, int], int] = {}
        self.field_numbers: dict[str, list[int]] = {}
        self.claim_numbers: dict[str, list[int]] = {}
        self.dependencies: set[Path] = set()
        self._number_citations()

    # -- helpers ----------------------------------------------------------------

    def line(self, *loc: str | int) -> int | None:
        try:
            return int(self.loaded.line_of(tuple(loc)))
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            return None

    def located(self, node: nodes.Element, *loc: str | int) -> nodes.Element:
        node.source, node.line = self.source, self.line(*loc)
        return node

    def text(self, value: str, *loc: str | int) -> list[nodes.Node]:
        line = self.line(*loc)
        parsed = parse_inline(
            value,
            source=self.source,
            line=line,
            refdoc=self.refdoc,
            report=lambda subtype, message: self.warn(subtype, message, line),
        )
        return compact_inline(parsed)  # a claim with thousands of roles stays linear

    def xref(self, role: str, target: str, *loc: str | int) -> nodes.Node:
        node = make_xref(role, target, rawtext=target, refdoc=self.refdoc)
        return self.located(node, *loc)

    def _number_citations(self) -> None:
        # The numbering of core.text.citations, which the export's cite anchors use too.
        by_claim: dict[int, list[int]] = {}
        for ci, si, number in citations(self.loaded):
            self.numbers[ci, si] = number
            by_claim.setdefault(ci, []).append(number)
        for ci, claim in enumerate(self.record.claims):
            numbers = by_claim.get(ci, [])
            self.claim_numbers[claim.id] = numbers
            for name in claim.supports or ():
                self.field_numbers.setdefault(str(name), []).extend(numbers)

    def markers(self, numbers: Iterable[int]) -> list[nodes.Node]:
        """Citation markers ``[1][3]`` linking to the citations section."""
        result: list[nodes.Node] = []
        for number in sorted(set(numbers)):
            ref = nodes.reference(
                "", f"[{number}]", refid=cite_anchor(number), classes=["dossier-marker"]
            )
            result.append(nodes.superscript("", "", ref))
        return result

    def field_markers(self, *names: str) -> list[nodes.Node]:
        for name in names:
            if self.field_numbers.get(name):
                return self.markers(self.field_numbers[name])
        return []

    def paragraph(
        self, body: Sequence[nodes.Node], *loc: str | int, classes: Sequence[str] = ()
    ) -> nodes.paragraph:
        """A paragraph of ``body`` at the YAML line of ``loc`` (text joined: see compact_inline)."""
        paragraph = nodes.paragraph("", "", *compact_inline(body), classes=list(classes))
        self.located(paragraph, *loc)
        return paragraph

    def fact(self, label: str, body: Sequence[nodes.Node], *loc: str | int) -> nodes.field:
        paragraph = self.paragraph(body, *loc)
        return nodes.field("", nodes.field_name(label, label), nodes.field_body("", paragraph))

    def links(self, role: str, ids: Sequence[str], fieldname: str) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for index, target in enumerate(ids):
            if index:
                result.append(nodes.Text(", "))
            result.append(self.xref(role, target, fieldname, index))
        return result

    @staticmethod
    def section(anchor: str, title: str, *children: nodes.Node) -> nodes.section:
        section = nodes.section("", ids=[anchor], classes=["dossier-section"])
        section += nodes.title(title, title)
        section.extend(children)
        return section

    @staticmethod
    def view(view: View, arg: str) -> dossier_view:
        return view_node(view, arg)

    # -- page ---------------------------------------------------------------------

    def render(self) -> RenderedRecord:
        record, kind = self.record, self.loaded.kind
        record_id = str(record.id)
        title = display_title(self.loaded)
        page = nodes.section("", ids=[record_id], classes=["dossier-record", f"dossier-{kind}"])
        self.located(page, "id")
        page += nodes.title(title, "", *self.title_nodes(kind))
        badges = nodes.paragraph("", "", kind_badge(kind), classes=["dossier-badges"])
        if isinstance(record, Event):
            badges += nodes.Text(" ")
            badges += status_badge(str(record.status))
        page += badges
        # What the page is about before what backs it: the lead, the fact box and, for
        # an agreement, its lifecycle, then the claims and citations.
        page += lead_node(self)
        page += self.view(View.CITE_MENU, record_id)

        facts = nodes.field_list("", *FACT_RENDERERS[kind](self))
        if kind in FACT_CONTEXT_KINDS:
            facts += self.view(View.FACT_CONTEXT, record_id)
        page += nodes.container("", facts, classes=["dossier-facts"], ids=["dossier-facts"])
        if kind == "actor":
            page += self.roles_section()
        elif kind == "agreement":
            page += self.section(
                "dossier-lifecycle",
                "Lifecycle",
                self.view(View.TIMELINE_FIGURE, record_id),
                self.view(View.AGREEMENT_LIFECYCLE, record_id),
            )
        page += self.claims_section()
        page += self.citations_section()
        if kind == "actor":
            page += self.section(
                "dossier-events", "Events", self.view(View.ACTOR_EVENTS, record_id)
            )
        elif kind == "source":
            page += self.section(
                "dossier-cited-in", "Cited in", self.view(View.SOURCE_CITATIONS, record_id)
            )
        # -- browse: the events before and after, a source's "as of" page (browse.py)
        if kind == "event":
            page += self.section(
                "dossier-neighbours",
                "Before and after",
                self.view(View.EVENT_NEIGHBOURS, record_id),
            )
        elif kind == "source":
            page += self.view(View.SOURCE_AS_OF, record_id)
        # -- end browse
        page += self.section(
            "dossier-referenced-by", "Referenced by", self.view(View.BACKLINKS, record_id)
        )
        cite_this = self.section(
            "dossier-cite-this", "Cite this entry", self.view(View.CITE_THIS, record_id)
        )
        # Sphinx's search index skips "no-search" nodes: the same boilerplate on every
        # page would make every page match words such as "cite", and cost index time.
        cite_this["classes"].append("no-search")
        page += cite_this

        rendered = RenderedRecord([page], title, record_id, dependencies=self.dependencies)
        for claim in record.claims:
            rendered.claims.append(
                (
                    f"{record_id}#{claim.id}",
                    self.claim_anchor(str(claim.id)),
                    claim_title(title, str(claim.id)),
                )
            )
        return rendered

    def title_nodes(self, kind: str) -> list[nodes.Node]:
        """The display title with its inline markup (links and roles become plain text)."""
        field = spec(kind).title_field
        if isinstance(self.record, Agreement) and self.record.short_name:
            field = "short_name"
        line = self.line(field)
        return parse_inline(
            str(self.record.title),
            source=self.source,
            line=line,
            report=lambda subtype, message: self.warn(subtype, message, line),
            links=False,
        )

    # -- fact boxes -----------------------------------------------------------------

    @facts_for("event")
    def facts_event(self) -> list[nodes.field]:
        record = self.loaded.record_as(Event)
        rows = [
            self.fact(
                "Date",
                [nodes.Text(date_words(record.date)), *self.field_markers("date")],
                "date",
            )
        ]
        if record.until is not None:
            rows.append(
                self.fact(
                    "Until",
                    [nodes.Text(date_words(record.until)), *self.field_markers("until")],
                    "until",
                )
            )
        rows.append(
            self.fact(
                "Status",
                [status_badge(str(record.status)), *self.field_markers("status", "date")],
                "status",
            )
        )
        if record.actors:
            rows.append(
                self.fact(
                    "Actors",
                    [*self.links("actor", record.actors, "actors"), *self.field_markers("actors")],
                    "actors",
                )
            )
        if record.agreements:
            rows.append(
                self.fact(
                    "Agreements",
                    [
                        *self.links("agreement", record.agreements, "agreements"),
                        *self.field_markers("agreements"),
                    ],
                    "agreements",
                )
            )
        if record.location:
            rows.append(
                self.fact(
                    "Location",
                    [*self.text(str(record.location), "location"), *self.field_markers("location")],
                    "location",
                )
            )
        if record.after:
            rows.append(
                self.fact(
                    "After",
                    [*self.links("event", record.after, "after"), *self.field_markers("after")],
                    "after",
                )
            )
        return rows

    @facts_for("agreement")
    def facts_agreement(self) -> list[nodes.field]:
        record = self.loaded.record_as(Agreement)
        rows = [
            self.fact(
                "Name",
                [*self.text(str(record.name), "name"), *self.field_markers("name")],
                "name",
            )
        ]
        if record.short_name:
            short = [*self.text(str(record.short_name), "short_name")]
            rows.append(
                self.fact("Short name", [*short, *self.field_markers("short_name")], "short_name")
            )
        if record.kind:
            kind = [*self.text(str(record.kind), "kind"), *self.field_markers("kind")]
            rows.append(self.fact("Kind", kind, "kind"))
        rows.append(
            self.fact(
                "Parties",
                [*self.links("actor", record.parties, "parties"), *self.field_markers("parties")],
                "parties",
            )
        )
        return rows

    @facts_for("actor")
    def facts_actor(self) -> list[nodes.field]:
        record = self.loaded.record_as(Actor)
        rows = [
            self.fact("Kind", [nodes.Text(str(record.kind)), *self.field_markers("kind")], "kind")
        ]
        if self.field_numbers.get("name"):
            name = [*self.text(str(record.name), "name"), *self.field_markers("name")]
            rows.insert(0, self.fact("Name", name, "name"))
        if record.aliases:
            aliases: list[nodes.Node] = []
            for index, alias in enumerate(record.aliases):
                if index:
                    aliases.append(nodes.Text("; "))
                aliases += self.text(str(alias), "aliases", index)
            rows.append(
                self.fact("Also called", [*aliases, *self.field_markers("aliases")], "aliases")
            )
        if record.roles:
            lines = nodes.bullet_list(classes=["dossier-fact-roles"])
            for index, role in self.sorted_roles():
                lines += nodes.list_item("", self.role_line(index, role))
            rows.append(
                nodes.field("", nodes.field_name("Roles", "Roles"), nodes.field_body("", lines))
            )
            organizations = list(
                dict.fromkeys(str(r.organization) for _, r in self.sorted_roles() if r.organization)
            )
            if organizations:
                rows.append(
                    self.fact("Organizations", self.role_organizations(organizations), "roles")
                )
        if record.parent:
            rows.append(
                self.fact(
                    "Part of",
                    [
                        self.xref("actor", str(record.parent), "parent"),
                        *self.field_markers("parent"),
                    ],
                    "parent",
                )
            )
        return rows

    @facts_for("source")
    def facts_source(self) -> list[nodes.field]:
        record = self.loaded.record_as(Source)
        rows = []
        if self.field_numbers.get("title"):
            title = [*self.text(str(record.title), "title"), *self.field_markers("title")]
            rows.append(self.fact("Title", title, "title"))
        publisher = record.publisher
        name = publisher.name
        basis = str(publisher.basis)
        body: list[nodes.Node] = [nodes.Text(str(name) if name else "not named in the text")]
        if basis != "stated":
            body.append(nodes.emphasis("", f" ({basis})"))
        body += self.field_markers("publisher")
        note = publisher.note
        if note:
            body.append(nodes.Text(" — "))
            body += self.text(str(note), "publisher", "note")
        rows.append(self.fact("Publisher", body, "publisher"))
        if record.via:
            rows.append(
                self.fact("Via", [nodes.Text(str(record.via)), *self.field_markers("via")], "via")
            )
        if record.author:
            rows.append(
                self.fact(
                    "Author",
                    [nodes.Text(str(record.author)), *self.field_markers("author")],
                    "author",
                )
            )
        published: list[nodes.Node] = [nodes.Text(date_words(record.published) or "no date given")]
        published += self.field_markers("published")
        if record.published_note:
            published.append(nodes.Text(" — "))
            published += self.text(str(record.published_note), "published_note")
        rows.append(self.fact("Published", published, "published"))
        # How a reader finds the text: its address, or a plain statement that there is
        # none. The corpus file name is for maintainers (it is in the YAML), not readers.
        if record.url:
            url = str(record.url)
            link: nodes.Node = (
                nodes.reference(url, url, refuri=url)
                if url.startswith(("http://", "https://"))
                else nodes.Text(url)
            )
            body = [link, *self.field_markers("url")]
            if record.via:
                note = f" (the page of {record.via}; our quotes are from the copy described here)"
                body.append(nodes.emphasis("", note))
            rows.append(self.fact("URL", body, "url"))
        else:
            rows.append(self.fact("URL", [nodes.Text("no URL in the text")], "url"))
        return rows

    # -- sections -------------------------------------------------------------------

    def sorted_roles(self) -> list[tuple[int, Any]]:
        """The actor's roles with their YAML index, in order of observation."""
        roles = list(enumerate(self.loaded.record_as(Actor).roles or []))
        roles.sort(key=lambda item: (date_sort_key(item[1].observed), str(item[1].title)))
        return roles

    def role_line(self, index: int, role: Any) -> nodes.paragraph:
        """``Foreign Minister, South Korea, observed 2019-11-13 (exact day)[1]``."""
        body: list[nodes.Node] = [
            nodes.strong("", "", *self.text(str(role.title), "roles", index, "title"))
        ]
        if role.organization:
            body += [
                nodes.Text(", "),
                self.xref("actor", str(role.organization), "roles", index, "organization"),
            ]
        body.append(nodes.Text(f", observed {date_words(role.observed)}"))
        numbers = [n for claim_id in role.claims for n in self.claim_numbers.get(str(claim_id), [])]
        body += self.markers(numbers)
        return self.located(nodes.paragraph("", "", *body), "roles", index)

    def role_organizations(self, organizations: list[str]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for index, organization in enumerate(organizations):
            if index:
                out.append(nodes.Text(", "))
            out.append(self.xref("actor", organization, "roles"))
        return out

    def roles_section(self) -> nodes.section:
        actor = self.loaded.record_as(Actor)
        roles = self.sorted_roles()
        items = nodes.bullet_list(classes=["dossier-roles"])
        for index, role in roles:
            items += nodes.list_item("", self.role_line(index, role))
        if not roles:
            items = nodes.paragraph("", "No roles recorded.", classes=["dossier-empty"])
        elif str(actor.kind) == "person":
            return self.section(
                "dossier-roles", "Roles", self.view(View.ROLE_STRIP, str(actor.id)), items
            )
        return self.section("dossier-roles", "Roles", items)

    def claim_anchor(self, claim_id: str) -> str:
        """The claim id, unless the page uses that anchor already (then ``claim-<id>``)."""
        if (
            claim_id in RESERVED_ANCHORS
            or claim_id.startswith("cite-")
            or claim_id == self.record.id
        ):
            return f"claim-{claim_id}"
        return claim_id

    def claim_groups(self) -> list[tuple[str, str, list[int]]]:
        """``(heading, anchor, claim indexes)`` of the non-empty groups, in page order."""
        role_claims = {
            str(claim_id)
            for role in getattr(self.record, "roles", None) or ()
            for claim_id in role.claims
        }
        found: dict[str, list[int]] = {}
        for ci, claim in enumerate(self.record.claims):
            supports = {str(name) for name in claim.supports or ()}
            anchor = OTHER_CLAIMS[1]
            for _heading, group, fields in CLAIM_GROUPS:
                if supports & fields or (
                    group == "dossier-claims-roles" and claim.id in role_claims
                ):
                    anchor = group
                    break
            found.setdefault(anchor, []).append(ci)
        return [
            (heading, anchor, found[anchor])
            for heading, anchor, _fields in (*CLAIM_GROUPS, OTHER_CLAIMS)
            if anchor in found
        ]

    def claims_section(self) -> nodes.section:
        section = self.section("dossier-claims", "Claims")
        if not self.record.claims:
            section += nodes.paragraph("", "No claims recorded.", classes=["dossier-empty"])
        groups = self.claim_groups() if len(self.record.claims) >= CLAIM_GROUP_MIN else []
        if len(groups) > 1:
            for heading, anchor, indexes in groups:
                section += self.section(anchor, heading, *(self.claim_box(ci) for ci in indexes))
        else:
            section.extend(self.claim_box(ci) for ci in range(len(self.record.claims)))
        return section

    def claim_box(self, ci: int) -> nodes.container:
        claim = self.record.claims[ci]
        claim_id = str(claim.id)
        if self.claim_anchor(claim_id) != claim_id:
            self.warn(
                BuildWarning.ANCHOR,
                f"claim id {claim_id!r} clashes with an anchor of the page; rename the claim",
                self.line("claims", ci, "id"),
            )
        box = nodes.container("", ids=[self.claim_anchor(claim_id)], classes=["dossier-claim"])
        self.located(box, "claims", ci)
        text = nodes.paragraph("", "", *self.text(str(claim.text), "claims", ci, "text"))
        text += self.markers(self.claim_numbers.get(claim_id, []))
        box += self.located(text, "claims", ci, "text")
        if claim.disputed:
            disputed = nodes.paragraph(
                "", "", nodes.strong("", "Disputed: "), classes=["dossier-disputed"]
            )
            disputed += self.text(str(claim.disputed), "claims", ci, "disputed")
            box += self.located(disputed, "claims", ci, "disputed")
        anchor = self.claim_anchor(claim_id)
        # The claim id is its permalink; a pilcrow shows on hover and focus, as
        # Sphinx's heading links do. Id and fields are for maintainers and citers:
        # behind a toggle, beside the claim's "Cite" control.
        meta: list[nodes.Node] = [
            nodes.reference(
                "", "", nodes.literal("", claim_id), refid=anchor, classes=["dossier-claim-id"]
            ),
            nodes.reference(
                "", "¶", refid=anchor, classes=["dossier-permalink"],
                reftitle=f"Link to the claim {claim_id}",
            ),
        ]  # fmt: skip
        if claim.supports:
            meta.append(nodes.Text(" · backs " + ", ".join(str(s) for s in claim.supports)))
        else:
            meta.append(nodes.Text(" · backs no field"))
        about = toggle(
            "Claim id",
            nodes.paragraph("", "", *meta, classes=["dossier-claim-meta"]),
            classes=["dossier-claim-more", "no-search"],
        )
        box += nodes.container(
            "",
            about,
            self.view(View.CITE_CLAIM, f"{self.record.id}#{claim_id}"),
            classes=["dossier-claim-foot"],
        )
        return box

    def citations_section(self) -> nodes.section:
        section = self.section("dossier-citations", "Citations")
        items = nodes.enumerated_list(classes=["dossier-citations"])
        for ci, claim in enumerate(self.record.claims):
            for si, cite in enumerate(claim.cites):
                number = self.numbers[ci, si]
                items += self.citation(number, str(claim.id), cite, ci, si)
        if len(items):
            section += items
        else:
            section += nodes.paragraph("", "No citations.", classes=["dossier-empty"])
        return section

    def citation(self, number: int, claim_id: str, cite: Any, ci: int, si: int) -> nodes.list_item:
        loc = ("claims", ci, "cites", si)
        source_id = str(cite.source)
        head = self.located(nodes.paragraph("", ""), *loc)
        head += self.xref("source", source_id, *loc, "source")
        source = self.dataset.records.get(source_id)
        source_url = ""
        if source is not None and source.kind == "source":
            self.dependencies.add(Path(source.path))
            data = source.record_as(Source)
            # A text fragment names words on the linked page: when the text we quote is a
            # copy (via another outlet), the linked original may word it differently.
            source_url = "" if data.via else str(data.url or "")
            head += nodes.Text(". " + source_details(data) + ".")
        head += nodes.Text(" ")
        head += nodes.reference(
            "", f"↩ {claim_id}", refid=self.claim_anchor(claim_id), classes=["dossier-back"]
        )
        item = nodes.list_item("", head, ids=[cite_anchor(number)])
        quote = str(cite.quote)
        quoted = self.located(
            nodes.paragraph("", f"“{quote}”", classes=["dossier-quote"]), *loc, "quote"
        )
        # A quote is shown as the source has it: Sphinx's SmartQuotes would turn
        # "Korea's" into "Korea’s" and "--" into a dash.
        quoted["support_smartquotes"] = False
        item += nodes.block_quote("", quoted)
        if source_url.startswith(("http://", "https://")):
            # Browsers with text fragments scroll to and highlight the quoted words.
            link = nodes.reference(
                "",
                "Find the quote in the original ↗",
                refuri=text_fragment_url(source_url, quote),
                classes=["dossier-quote-link"],
            )
            item += nodes.paragraph("", "", link)
        if cite.note:
            note = self.located(nodes.paragraph("", "", classes=["dossier-note"]), *loc, "note")
            note += self.text(str(cite.note), *loc, "note")
            item += note
        return item
