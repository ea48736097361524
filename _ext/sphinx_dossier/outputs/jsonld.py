"""schema.org JSON-LD for record pages, written into each record page's ``<head>``.

Types: Event, Person, Organization / GovernmentOrganization, Country, Legislation
(agreements) and NewsArticle (sources). Each claim is a schema.org ``Claim``
about the record (``subjectOf``) whose ``citation`` names the sources it cites
and whose ``appearance`` gives the quoted words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sphinx_dossier.core.kinds import spec
from sphinx_dossier.core.model import Actor, Agreement, Event, Source
from sphinx_dossier.core.text import display_title, plain_claim_text

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import Dataset, LoadedRecord

__all__ = ["SCHEMA_ORG", "jsonld_type", "record_jsonld", "script_tag"]

SCHEMA_ORG = "https://schema.org"

#: ``record id -> IRI of the record`` (page URL plus ``#<id>``), or None when it has no page.
RecordIri = Callable[[str], "str | None"]

_EVENT_STATUS = {"planned": "https://schema.org/EventScheduled"}


def jsonld_type(loaded: LoadedRecord, dataset: Dataset) -> str:
    """The schema.org type of a record."""
    fixed = spec(loaded.kind).jsonld_type
    if fixed is not None:
        return fixed
    if loaded.kind != "actor":
        return "Thing"  # a kind registered without a schema.org type
    # Actors: the type depends on what the actor is.
    record = loaded.record_as(Actor)
    if record.kind == "person":
        return "Person"
    if record.kind == "state":
        return "Country"
    return "GovernmentOrganization" if _under_state(loaded, dataset) else "Organization"


def _under_state(loaded: LoadedRecord, dataset: Dataset) -> bool:
    # A ministry or office belongs to a state through a chain of parents.
    seen: set[str] = set()
    current = loaded.record_as(Actor)
    while current.parent is not None and current.parent not in seen:
        seen.add(current.parent)
        parent = dataset.records.get(current.parent)
        if parent is None or parent.kind != "actor":
            return False
        current = parent.record_as(Actor)
        if current.kind == "state":
            return True
    return False


def _ref(target: str, dataset: Dataset, iri: RecordIri) -> dict[str, Any]:
    node: dict[str, Any] = {}
    target_iri = iri(target)
    loaded = dataset.records.get(target)
    if target_iri is not None:
        node["@id"] = target_iri
    if loaded is not None:
        node["@type"] = jsonld_type(loaded, dataset)
        node["name"] = display_title(loaded)
    else:
        node["name"] = target
    return node


def _claims(
    loaded: LoadedRecord, dataset: Dataset, iri: RecordIri, license_url: str | None
) -> list[dict[str, Any]]:
    own = iri(loaded.id)
    page = own.split("#", 1)[0] if own is not None else None
    claims = []
    for claim in loaded.record.claims:
        node: dict[str, Any] = {"@type": "Claim"}
        if page is not None:
            node["@id"] = f"{page}#{claim.id}"
        node["text"] = plain_claim_text(claim.text, dataset)
        if license_url is not None:
            node["license"] = license_url  # our words; the quotes below stay their publishers'
        sources: list[str] = []
        for cite in claim.cites:
            if cite.source not in sources:
                sources.append(cite.source)
        node["citation"] = [_ref(source, dataset, iri) for source in sources]
        node["appearance"] = [
            {
                "@type": "Quotation",
                "text": cite.quote,
                "isPartOf": _ref(cite.source, dataset, iri),
            }
            for cite in claim.cites
        ]
        claims.append(node)
    return claims


def record_jsonld(
    loaded: LoadedRecord, dataset: Dataset, iri: RecordIri, *, license_url: str | None = None
) -> dict[str, Any]:
    """The JSON-LD object describing ``loaded``; ``iri`` gives every record's IRI, and
    ``license_url`` the licence of the dossier's claims (schema.org ``license``)."""
    record = loaded.record
    node: dict[str, Any] = {"@context": SCHEMA_ORG, "@type": jsonld_type(loaded, dataset)}
    own = iri(loaded.id)
    if own is not None:
        node["@id"] = own
        node["url"] = own.split("#", 1)[0]
    node["identifier"] = loaded.id
    title = display_title(loaded)
    if isinstance(record, Event):
        node["name"] = title
        node["startDate"] = record.date.iso
        if record.until is not None:
            node["endDate"] = record.until.iso
        if record.status in _EVENT_STATUS:
            node["eventStatus"] = _EVENT_STATUS[record.status]
        if record.location is not None:
            node["location"] = {"@type": "Place", "name": record.location}
        if record.actors:
            node["attendee"] = [_ref(a, dataset, iri) for a in record.actors]
        if record.agreements:
            node["about"] = [_ref(a, dataset, iri) for a in record.agreements]
    elif isinstance(record, Agreement):
        node["name"] = record.name
        if record.short_name is not None:
            node["alternateName"] = record.short_name
        node["legislationType"] = record.kind
        node["legislationPassedBy"] = [_ref(p, dataset, iri) for p in record.parties]
    elif isinstance(record, Source):
        node["headline"] = title
        node["name"] = title
        if record.published is not None:
            node["datePublished"] = record.published.iso
        if record.publisher.name is not None:
            node["publisher"] = {"@type": "Organization", "name": record.publisher.name}
        if record.author is not None:
            node["author"] = {"@type": "Person", "name": record.author}
        if record.via is not None:
            node["isBasedOn"] = {
                "@type": "CreativeWork",
                "publisher": {"@type": "Organization", "name": record.via},
            }
        if record.url is not None:
            node["sameAs"] = record.url
    elif isinstance(record, Actor):
        node["name"] = title
        if record.aliases:
            node["alternateName"] = list(record.aliases)
        if record.kind == "person":
            # A person's parent and the organizations of their roles are affiliations.
            affiliations = {r.organization for r in record.roles if r.organization is not None}
            if record.parent is not None:
                affiliations.add(record.parent)
            if affiliations:
                node["affiliation"] = [_ref(a, dataset, iri) for a in sorted(affiliations)]
            if record.roles:
                node["jobTitle"] = sorted({role.title for role in record.roles})
        elif record.parent is not None:
            parent = dataset.records.get(record.parent)
            under_state = parent is not None and getattr(parent.record, "kind", None) == "state"
            key = "areaServed" if under_state else "parentOrganization"
            node[key] = _ref(record.parent, dataset, iri)
    else:  # a kind with nothing of its own to say in schema.org terms
        node["name"] = title
    claims = _claims(loaded, dataset, iri, license_url)
    if claims:
        node["subjectOf"] = claims
    return node


def script_tag(data: dict[str, Any]) -> str:
    """A ``<script type="application/ld+json">`` element that HTML parsing cannot break out of."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)
    # "</script" or "<!--" inside a string would end or confuse the element.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'
