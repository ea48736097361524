"""The dataset as data: one versioned JSON file of every record, claim and citation, and TimelineJS.

The export's shape is a set of pydantic models that embed the record models, so
the export, its JSON Schema and the record schema cannot drift apart. Page URLs
come from a :class:`PageUrls` callable so the same export is produced by the
command line (URLs computed from the page layout) and by the Sphinx build (URLs
from the builder). Output is deterministic: sorted keys, no timestamps.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from sphinx_dossier.core.dates import PartialDate
from sphinx_dossier.core.docstrings import describe_fields
from sphinx_dossier.core.kinds import FOLDERS, KINDS
from sphinx_dossier.core.model import Actor, Agreement, Event, RecordKind, Source
from sphinx_dossier.core.text import (
    STATUS_BADGE,
    STATUS_TEXT,
    citations,
    cite_anchor,
    display_title,
    plain_claim_text,
)
from sphinx_dossier.outputs.files import (
    DATASET_FILE,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    SCHEMA_FILE,
    TIMELINE_FILE,
)
from sphinx_dossier.outputs.license import License, content_version, record_version

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import Dataset, LoadedRecord

__all__ = [
    "DATASET_FILE",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "SCHEMA_FILE",
    "TIMELINE_FILE",
    "DatasetExport",
    "PageUrls",
    "build_export",
    "build_timeline",
    "dataset_schema",
    "dumps",
    "export_json",
    "layout_urls",
    "plain_claim_text",
    "splice",
    "timeline_json",
]


#: ``record id -> URL of its page`` (relative to the site root, or absolute), None if no page.
PageUrls = Callable[[str], "str | None"]

#: Record kind -> folder of its pages (the inverse of the data directory layout).


class _Out(BaseModel):
    model_config = ConfigDict(
        # Built at first use: an edit rebuild exports only the records that changed.
        defer_build=True,
        extra="forbid",
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        describe_fields(cls)  # each field's docstring is its description


class CitationOut(_Out):
    """One citation of a claim: the source, the verbatim quote, and where it is shown."""

    id: str
    """Globally unique: ``<record id>#cite-<number>``, the citation's anchor on the record page."""
    number: int
    """The citation's number on the record page (``[1]``, ``[2]``...), counting from 1."""
    url: str | None
    """The citation on the record page."""
    source: str
    """Id of the cited source record."""
    source_title: str | None
    """Title of the cited source (null if the source record is missing or invalid)."""
    source_url: str | None
    """Page of the cited source."""
    quote: str
    """Verbatim excerpt of the source."""
    note: str | None
    """Remark in our own words."""


class ClaimOut(_Out):
    """A claim in our own words with its citations."""

    id: str
    """Globally unique: ``<record id>#<claim id>`` (as in the Sphinx inventory)."""
    claim_id: str
    """The claim's id within its record (its anchor on the record page)."""
    url: str | None
    """The claim on its record page."""
    text: str
    """The claim as written, with MyST inline markup and dossier roles."""
    plain_text: str
    """The claim without markup; dossier references replaced by the record titles."""
    supports: list[str]
    """The record fields this claim backs."""
    disputed: str | None
    """Why sources disagree, when they do."""
    citations: list[CitationOut]
    """The claim's citations, in order."""


class ReferenceOut(_Out):
    """A reference from this record to another one, resolved."""

    field: str
    """Where the reference is, as a dotted path into the record (``actors.0``)."""
    target: str
    """Id of the referenced record."""
    kind: RecordKind
    """The kind the referenced record must have."""
    resolved: bool
    """True when a valid record of that kind has the id."""
    title: str | None
    """Display title of the referenced record."""
    url: str | None
    """Page of the referenced record."""


class _RecordOut(_Out):
    id: str
    """The record id (unique across all kinds)."""
    title: str
    """Display title, without markup."""
    file: str
    """The YAML file, relative to the data directory."""
    url: str | None
    """The record's page (relative to the site root unless a base URL was given)."""
    version: str
    """The record's content version: a digest of its fields (changes when they change)."""
    claims: list[ClaimOut]
    """The record's claims with resolved citations."""
    references: list[ReferenceOut]
    """Every reference to another record, resolved."""
    backlinks: list[str]
    """Sorted ids of the records that reference this one."""


class SourceOut(_RecordOut):
    """A source record."""

    kind: Literal["source"]
    data: Source
    """The record's fields as in its YAML file (``claims`` are given resolved above)."""


class ActorOut(_RecordOut):
    """An actor record."""

    kind: Literal["actor"]
    data: Actor
    """The record's fields as in its YAML file (``claims`` are given resolved above)."""


class AgreementOut(_RecordOut):
    """An agreement record."""

    kind: Literal["agreement"]
    data: Agreement
    """The record's fields as in its YAML file (``claims`` are given resolved above)."""


class EventOut(_RecordOut):
    """An event record."""

    kind: Literal["event"]
    data: Event
    """The record's fields as in its YAML file (``claims`` are given resolved above)."""
    status_label: str
    """What ``data.status`` means, in the words the site shows (the method page's):
    ``occurred``, ``planned or expected``, ``happened, date uncertain``."""


RecordOut = Annotated[SourceOut | ActorOut | AgreementOut | EventOut, Field(discriminator="kind")]


class DatasetExport(_Out):
    """Every valid record of a dossier, with claims, citations, references and page URLs."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="$schema")
    """The JSON Schema this file conforms to (``dataset.schema.json`` beside it)."""
    format: Literal["sphinx-dossier-dataset"]
    """Always ``sphinx-dossier-dataset``."""
    version: Literal[2]
    """Version of the format; it changes when the shape changes."""
    generator: str
    """The program and version that wrote the file."""
    content_version: str
    """A digest of every record's content version: cite it to name this state of the data."""
    license: License | None
    """The licence of the dossier's own text and data (quotes stay their publishers')."""
    counts: dict[str, int]
    """Number of records of each kind."""
    records: list[RecordOut]
    """Every valid record: sources, actors, agreements, events, each sorted by id."""


_OUT_MODELS: dict[RecordKind, Callable[..., _RecordOut]] = {
    "source": SourceOut,
    "actor": ActorOut,
    "agreement": AgreementOut,
    "event": EventOut,
}


def layout_urls(
    dataset: Dataset, *, pages_dir: str = "records", suffix: str = ".html", base_url: str = ""
) -> PageUrls:
    """Page URLs as the extension lays pages out (``records/events/<id>.html``), without Sphinx."""
    prefix = base_url.rstrip("/") + "/" if base_url else ""
    folder = pages_dir.strip("/")

    def url(record_id: str) -> str | None:
        loaded = dataset.records.get(record_id)
        if loaded is None:
            return None
        return f"{prefix}{folder}/{FOLDERS[loaded.kind]}/{record_id}{suffix}"

    return url


def _anchor(url: str | None, anchor: str) -> str | None:
    return f"{url}#{anchor}" if url is not None else None


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _record_out(loaded: LoadedRecord, dataset: Dataset, urls: PageUrls) -> _RecordOut:
    record = loaded.record
    page = urls(loaded.id)
    claims: list[ClaimOut] = []
    numbers = {(ci, si): n for ci, si, n in citations(loaded)}
    for ci, claim in enumerate(record.claims):
        cites = []
        for si, cite in enumerate(claim.cites):
            number = numbers[ci, si]
            source = dataset.records.get(cite.source)
            valid_source = source is not None and source.kind == "source"
            cites.append(
                CitationOut(
                    id=f"{loaded.id}#{cite_anchor(number)}",
                    number=number,
                    url=_anchor(page, cite_anchor(number)),
                    source=cite.source,
                    source_title=display_title(source) if source and valid_source else None,
                    source_url=urls(cite.source) if valid_source else None,
                    quote=cite.quote,
                    note=cite.note,
                )
            )
        claims.append(
            ClaimOut(
                id=f"{loaded.id}#{claim.id}",
                claim_id=claim.id,
                url=_anchor(page, claim.id),
                text=claim.text,
                plain_text=plain_claim_text(claim.text, dataset),
                supports=list(claim.supports),
                disputed=claim.disputed,
                citations=cites,
            )
        )
    references = []
    for loc, target, kind in record.references():
        found = dataset.records.get(target)
        resolved = found is not None and found.kind == kind
        references.append(
            ReferenceOut(
                field=_field_path(loc),
                target=target,
                kind=kind,
                resolved=resolved,
                title=display_title(found) if found is not None and resolved else None,
                url=urls(target) if resolved else None,
            )
        )
    extra: dict[str, Any] = {}
    if isinstance(record, Event):
        extra["status_label"] = STATUS_TEXT[record.status]
    return _OUT_MODELS[loaded.kind](
        **extra,
        kind=loaded.kind,
        id=loaded.id,
        title=display_title(loaded),
        file=_relative_file(loaded.path, dataset.data_dir),
        url=page,
        version=record_version(loaded),
        claims=claims,
        references=references,
        backlinks=dataset.backlinks(loaded.id),
        data=record,
    )


def _relative_file(path: Path, data_dir: Path) -> str:
    # Record paths are built from the data directory, so no resolving is needed.
    try:
        return path.relative_to(data_dir).as_posix()
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def build_export(
    dataset: Dataset, urls: PageUrls | None = None, *, license: License | None = None
) -> DatasetExport:
    """The export of every valid record of ``dataset``."""
    from sphinx_dossier._version import __version__

    urls = urls or layout_urls(dataset)
    records: list[Any] = []
    counts: dict[str, int] = {}
    for kind in KINDS:
        of_kind = dataset.by_kind(kind)
        counts[kind] = len(of_kind)
        records.extend(_record_out(loaded, dataset, urls) for loaded in of_kind)
    fields: dict[str, Any] = {
        "$schema": SCHEMA_FILE,
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generator": f"sphinx-dossier {__version__}",
        "content_version": content_version(dataset),
        "license": license,
        "counts": counts,
        "records": records,
    }
    return DatasetExport(**fields)


class _Tracked:
    """The parts of a :class:`Dataset` that :func:`_record_out` reads, noting every record id
    looked up, so a record's output can be reused while none of them changed."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.data_dir = dataset.data_dir
        self.seen: set[str] = set()
        self.records = self

    def get(self, record_id: str, default: Any = None) -> Any:
        self.seen.add(record_id)
        return self.dataset.records.get(record_id, default)

    def backlinks(self, record_id: str) -> list[str]:
        return self.dataset.backlinks(record_id)


#: A record's kept part of a data file: the ids it looked up (joined by NUL), a digest of
#: the state of its inputs, and the part. Text, not nested tuples: the cache holding
#: thousands of them is read back and freed at every build.
CachedPart = tuple[str, str, Any]
#: A record's cached export entry (its JSON text as the part).
CachedRecord = CachedPart

T = TypeVar("T")


def _file_state(loaded: LoadedRecord, dataset: Dataset) -> tuple[int, int, int] | None:
    found = dataset.file_results.get(str(loaded.path))
    if found is None or found.loaded is not loaded:
        return None
    return found.stamp


class Stamps:
    """Each record's kind, file, file state and page URL, looked up once per build.

    A record's file is identified by its (mtime, size) as the loader read it, so this
    holds only for datasets from :meth:`Dataset.load`; records of other datasets have
    no stamp, and their parts are made again every time.
    """

    def __init__(self, dataset: Dataset, urls: PageUrls) -> None:
        self.dataset = dataset
        self.urls = urls
        self._of: dict[str, str | None] = {}
        self._states: dict[tuple[str, str], str | None] = {}

    def of(self, record_id: str) -> str | None:
        """The record's stamp as text; ``"<id> absent"`` for an absent record, None when
        unknown."""
        try:
            return self._of[record_id]
        except KeyError:
            pass
        other = self.dataset.records.get(record_id)
        found: str | None
        if other is None:
            found = f"{record_id} absent"
        else:
            state = _file_state(other, self.dataset)
            found = (
                None
                if state is None
                else repr((record_id, other.kind, str(other.path), state, self.urls(record_id)))
            )
        self._of[record_id] = found
        return found

    def state(self, record_id: str, looked_up: str) -> str | None:
        """A digest of everything a record's part is made of (``looked_up``: the ids it
        looked up, joined by NUL), or None when that cannot be told."""
        key = (record_id, looked_up)
        try:
            return self._states[key]
        except KeyError:
            pass
        own = self.of(record_id)
        digest: str | None = None
        if own is not None and record_id in self.dataset.records:
            parts = [own, "\0".join(self.dataset.backlinks(record_id))]
            for other_id in looked_up.split("\0") if looked_up else ():
                other = self.of(other_id)
                if other is None:
                    break
                parts.append(other)
            else:
                material = "\x01".join(parts).encode("utf-8")
                digest = hashlib.blake2b(material, digest_size=16).hexdigest()
        self._states[key] = digest
        return digest


class RecordParts(Generic[T]):
    """One data file's per-record parts, each kept with the state of what it was made of.

    :meth:`get` returns a record's previous part while its file, its page, its
    backlinks and every record the part looked up (their files and pages) are as
    they were; else it makes the part again, through a :class:`_Tracked` view of the
    dataset that notes what the part looks up. Editing one record then costs the
    parts of the records that show it, not all of them. ``previous`` must come from
    the same code and settings (the build's caches are keyed by both).
    """

    def __init__(self, stamps: Stamps, previous: dict[str, CachedPart] | None = None) -> None:
        self.stamps = stamps
        self.previous: dict[str, CachedPart] = previous if isinstance(previous, dict) else {}
        self.kept: dict[str, CachedPart] = {}
        #: How many parts were made (the others were reused).
        self.made = 0

    def get(self, loaded: LoadedRecord, make: Callable[[LoadedRecord, Dataset], T]) -> T:
        """The record's part; ``make(loaded, dataset)`` builds it, looking records up in the
        dataset it is given only."""
        entry = self.previous.get(loaded.id)
        if entry is not None:
            state = self.stamps.state(loaded.id, entry[0])
            if state is not None and state == entry[1]:
                self.kept[loaded.id] = entry
                return cast("T", entry[2])
        tracked = _Tracked(self.stamps.dataset)
        value = make(loaded, cast("Dataset", tracked))
        looked_up = "\0".join(sorted(tracked.seen - {loaded.id}))
        state = self.stamps.state(loaded.id, looked_up)
        if state is not None:
            self.kept[loaded.id] = (looked_up, state, value)
        self.made += 1
        return value


def _record_json(record: _RecordOut) -> str:
    data: dict[str, Any] = record.model_dump(mode="json", by_alias=True)
    data["data"].pop("claims", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def export_json(
    dataset: Dataset,
    urls: PageUrls | None = None,
    cache: dict[str, CachedRecord] | None = None,
    *,
    license: License | None = None,
    parts: RecordParts[str] | None = None,
    versions: str | None = None,
) -> tuple[str, dict[str, CachedRecord]]:
    """The text of ``dataset.json`` (as ``dumps(export_data(build_export(...)),
    compact=True)``), and the per-record cache for the next call.

    A record whose file, page, backlinks and every record it looked up (their files
    and pages) are as in ``cache`` keeps its previous JSON (see :class:`RecordParts`).
    ``cache`` must come from the same code (callers drop it when the extension
    changes). ``parts`` (instead of ``cache``) lets the caller see what was made;
    ``versions`` is the dataset's content version when the caller has it.
    """
    from sphinx_dossier._version import __version__

    urls = urls or layout_urls(dataset)
    if parts is None:
        parts = RecordParts[str](Stamps(dataset, urls), cache)

    def make(loaded: LoadedRecord, ds: Dataset) -> str:
        return _record_json(_record_out(loaded, ds, urls))

    texts: list[str] = []
    counts: dict[str, int] = {}
    for kind in KINDS:
        of_kind = dataset.by_kind(kind)
        counts[kind] = len(of_kind)
        for loaded in of_kind:
            texts.append(parts.get(loaded, make))
    head = {
        "$schema": SCHEMA_FILE,
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generator": f"sphinx-dossier {__version__}",
        "content_version": versions if versions is not None else content_version(dataset),
        "license": license.model_dump(mode="json") if license is not None else None,
        "counts": counts,
        "records": [],
    }
    return splice(head, "records", texts), parts.kept


def splice(head: dict[str, Any], key: str, items: list[str]) -> str:
    """The compact JSON text of ``head`` with the list at ``key`` (empty in ``head``) made
    of ``items``, texts already compact JSON: kept parts are joined, not serialised again.
    Keys are sorted, so the list goes in at the one place it belongs."""
    text = json.dumps(head, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    marker = f'"{key}":[]'
    at = text.index(marker)
    return f'{text[:at]}"{key}":[{",".join(items)}]{text[at + len(marker) :]}\n'


def export_data(export: DatasetExport) -> dict[str, Any]:
    """The export as JSON-ready data (record ``data`` without its ``claims``)."""
    data: dict[str, Any] = export.model_dump(mode="json", by_alias=True)
    for record in data["records"]:
        record["data"].pop("claims", None)
    return data


def dumps(data: Any, *, compact: bool = False) -> str:
    """Deterministic JSON text: sorted keys, UTF-8 text, final newline.

    Two-space indent for files people read; ``compact`` (one line, no spaces) for the
    large data files, which is also several times faster to write.
    """
    if compact:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dataset_schema() -> dict[str, Any]:
    """The JSON Schema of the export, generated from the export and record models."""
    from sphinx_dossier.core.schema import JSON_SCHEMA_DIALECT

    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": SCHEMA_FILE,
        **DatasetExport.model_json_schema(mode="serialization", by_alias=True),
    }
    schema["title"] = f"{EXPORT_FORMAT} version {EXPORT_VERSION}"
    normalised: dict[str, Any] = _same_on_every_pydantic(schema)
    return normalised


def _same_on_every_pydantic(node: Any) -> Any:
    """The schema as every supported pydantic writes it: newer releases add
    ``"enum": [x]`` beside ``"const": x`` for a one-value Literal, pydantic 2.9 does not;
    the committed file must not depend on which one made it."""
    if isinstance(node, dict):
        out = {key: _same_on_every_pydantic(value) for key, value in node.items()}
        if "const" in out and out.get("enum") == [out["const"]]:
            del out["enum"]
        return out
    if isinstance(node, list):
        return [_same_on_every_pydantic(item) for item in node]
    return node


# -- TimelineJS ------------------------------------------------------------------------------

_STATUS_GROUP = {status: words.capitalize() for status, words in STATUS_BADGE.items()}


def _timeline_date(value: PartialDate) -> dict[str, Any]:
    # TimelineJS takes the date at the precision given: a year-only date has no month.
    out: dict[str, Any] = {"year": value.year}
    if value.month is not None:
        out["month"] = value.month
    if value.day is not None:
        out["day"] = value.day
    return out


def timeline_slide(loaded: LoadedRecord, dataset: Dataset, urls: PageUrls) -> dict[str, Any]:
    """One event as a TimelineJS slide."""
    event = loaded.record_as(Event)
    page = urls(loaded.id)
    paragraphs = [html.escape(plain_claim_text(c.text, dataset)) for c in event.claims]
    if event.status != "occurred":
        paragraphs.insert(0, f"<em>{html.escape(_STATUS_GROUP[event.status])}.</em>")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    if page is not None:
        body += f'<p><a href="{html.escape(page)}">Record page and sources</a></p>'
    slide: dict[str, Any] = {
        "unique_id": loaded.id,
        "start_date": _timeline_date(event.date),
        "text": {"headline": html.escape(display_title(loaded)), "text": body},
        "group": _STATUS_GROUP[event.status],
    }
    if event.until is not None:
        slide["end_date"] = _timeline_date(event.until)
    return slide


def _timeline_head(count: int, title: str) -> dict[str, Any]:
    return {
        "title": {
            "text": {
                "headline": html.escape(title),
                "text": f"<p>{count} events, each backed by sourced claims.</p>",
            }
        },
        "events": [],
    }


def build_timeline(
    dataset: Dataset, urls: PageUrls | None = None, *, title: str = "Timeline"
) -> dict[str, Any]:
    """Every event as a TimelineJS slide (https://timeline.knightlab.com/docs/json-format.html)."""
    urls = urls or layout_urls(dataset)
    slides = [timeline_slide(loaded, dataset, urls) for loaded in dataset.chronology()]
    timeline = _timeline_head(len(slides), title)
    timeline["events"] = slides
    return timeline


def timeline_json(
    dataset: Dataset,
    urls: PageUrls,
    parts: RecordParts[str],
    *,
    title: str = "Timeline",
) -> str:
    """``dumps(build_timeline(...), compact=True)``, with each slide's text kept in ``parts``."""

    def make(loaded: LoadedRecord, ds: Dataset) -> str:
        slide = timeline_slide(loaded, ds, urls)
        return json.dumps(slide, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    texts = [parts.get(loaded, make) for loaded in dataset.chronology()]
    return splice(_timeline_head(len(texts), title), "events", texts)
