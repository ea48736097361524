"""The record kinds: one :class:`KindSpec` each, the only table that lists them.

Everything that differs between kinds and is a plain fact lives here: the model
class, the data and page folder, the labels, the badge colour, the order of the
site's listings, the field the title comes from and the schema.org type. Code in
every layer derives its tables from :data:`SPECS`; the per-kind *code* that cannot
be a value (the page body of a kind, the export shape) is registered by kind and
checked against this registry (see "Adding a record kind" in docs/extension.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from pydantic import BaseModel

from sphinx_dossier.core.model import (
    PART_MODELS,
    Actor,
    Agreement,
    Event,
    Record,
    RecordKind,
    Source,
)

__all__ = [
    "DIRECTORY_KINDS",
    "DISPLAY_ORDER",
    "DOCUMENTED_MODELS",
    "FOLDERS",
    "KINDS",
    "MODELS",
    "SPECS",
    "KindSpec",
    "spec",
]


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What the code needs to know about one record kind."""

    name: RecordKind
    """The kind as YAML, roles and ids of object types spell it (``event``)."""
    model: type[Record]
    """The pydantic model of a record of this kind."""
    folder: str
    """Folder of its YAML files under the data directory, and of its pages under
    ``dossier_pages_dir`` (``events``)."""
    label: str
    """The kind as a reader sees it (``Event``): citations, badges."""
    index_title: str
    """Title of the domain index of this kind (``Index of events``)."""
    colour: str
    """sphinx-design colour of the kind's badge."""
    title_field: str
    """The YAML field that holds the title (``name`` for actors and agreements)."""
    jsonld_type: str | None
    """schema.org type of its records; ``None`` when it depends on the record (actors)."""
    display_order: int
    """Place in the site's listings, indices and the page of a record's backlinks."""


#: Every kind, in the order records are loaded, checked and exported.
SPECS: tuple[KindSpec, ...] = (
    KindSpec(
        name="source",
        model=Source,
        folder="sources",
        label="Source",
        index_title="Index of sources",
        colour="secondary",
        title_field="title",
        jsonld_type="NewsArticle",
        display_order=3,
    ),
    KindSpec(
        name="actor",
        model=Actor,
        folder="actors",
        label="Actor",
        index_title="Index of actors",
        colour="info",
        title_field="name",
        jsonld_type=None,  # Person, Country, (Government)Organization: see outputs.jsonld
        display_order=2,
    ),
    KindSpec(
        name="agreement",
        model=Agreement,
        folder="agreements",
        label="Agreement",
        index_title="Index of agreements",
        colour="success",
        title_field="name",
        jsonld_type="Legislation",
        display_order=1,
    ),
    KindSpec(
        name="event",
        model=Event,
        folder="events",
        label="Event",
        index_title="Index of events",
        colour="primary",
        title_field="title",
        jsonld_type="Event",
        display_order=0,
    ),
)

_BY_NAME: dict[str, KindSpec] = {s.name: s for s in SPECS}

#: Kind names in load order.
KINDS: tuple[RecordKind, ...] = tuple(s.name for s in SPECS)
#: Folder under the data directory -> the kind of record it holds.
DIRECTORY_KINDS: dict[str, RecordKind] = {s.folder: s.name for s in SPECS}
#: Kind -> its folder (data and pages).
FOLDERS: dict[RecordKind, str] = {s.name: s.folder for s in SPECS}
#: Kind -> its model.
MODELS: dict[RecordKind, type[Record]] = {s.name: s.model for s in SPECS}
#: Kind names in the order the site lists them (events first).
DISPLAY_ORDER: tuple[RecordKind, ...] = tuple(
    s.name for s in sorted(SPECS, key=lambda s: s.display_order)
)
#: Every model a record file can contain, by the name the docs use for it.
DOCUMENTED_MODELS: dict[str, type[BaseModel]] = {
    **{s.name: s.model for s in SPECS},
    **PART_MODELS,
}

if set(KINDS) != set(get_args(RecordKind)):  # pragma: no cover - a programming error
    raise RuntimeError(f"kinds registry {KINDS} and RecordKind {get_args(RecordKind)} differ")


def spec(kind: str) -> KindSpec:
    """The spec of a kind; ``KeyError`` names the known kinds."""
    try:
        return _BY_NAME[kind]
    except KeyError:
        raise KeyError(f"unknown record kind {kind!r} (known: {', '.join(KINDS)})") from None
