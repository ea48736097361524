"""Derived data shown on pages (backlinks, lists), computed from the dataset and domain data.

The same view data drives the rendering (at write time) and the change
detection (at env-updated), so a page is rewritten exactly when what it
shows changes.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Container, Sequence
from typing import TYPE_CHECKING, Any, cast

from sphinx_dossier.core.kinds import DISPLAY_ORDER, SPECS
from sphinx_dossier.core.model import Actor, Agreement, Event, Source
from sphinx_dossier.core.text import (
    date_phrase,
    date_sort_key,
    date_text,
    display_title,
    plain_text,
    spoken_date,
)
from sphinx_dossier.sphinx_ext.nodes import View

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinx_dossier.core.dataset import Dataset, LoadedRecord
    from sphinx_dossier.sphinx_ext.domain import DossierDomain

#: Place of each kind in a list of backlinks (hand-written pages, kind 9, last).
KIND_ORDER = {s.name: s.display_order for s in SPECS}
ACTOR_KIND_ORDER = ("state", "organization", "person")

Row = dict[str, Any]
ViewMethod = Callable[["Views", str], list[Row]]


def _event_row(loaded: LoadedRecord, position: int) -> Row:
    event = loaded.record_as(Event)
    return {
        "id": str(event.id),
        "title": display_title(loaded),
        "date": date_text(event.date),
        "year": str(getattr(event.date, "year", "")),
        "until": date_text(event.until) if event.until is not None else "",
        "status": str(event.status),
        "sort": position,  # in Dataset.chronology(): dates, then 'after' links, then id
    }


def _title_of(dataset: Dataset, record_id: str) -> str:
    loaded = dataset.records.get(record_id)
    return display_title(loaded) if loaded is not None else record_id


def claim_backing(loaded: LoadedRecord, field: str) -> str:
    """``record#claim`` of the first claim of ``loaded`` backing ``field`` ("" if none)."""
    for claim in loaded.record.claims:
        if field in claim.supports:
            return f"{loaded.id}#{claim.id}"
    return ""


def _role_titles(actor: Actor) -> list[list[str]]:
    """``[title, organisation id, dates observed]`` of each title of ``actor``, in order
    of first observation (a title seen twice is listed once, with both dates)."""
    seen: dict[tuple[str, str], list[str]] = {}
    for role in sorted(actor.roles or [], key=lambda role: date_sort_key(role.observed)):
        key = (plain_text(str(role.title)), str(role.organization or ""))
        dates = seen.setdefault(key, [])
        words = spoken_date(role.observed)
        if words not in dates:
            dates.append(words)
    return [
        [title, organization, ", ".join(dates)] for (title, organization), dates in seen.items()
    ]


#: The function that computes each record-section and listing view: ``(views, arg) ->
#: rows``, registered with :func:`computes`. Figures compute their own data.
COMPUTERS: dict[str, Callable[[Views, str], list[Row]]] = {}


def computes(view: View) -> Callable[[ViewMethod], ViewMethod]:
    """Register the method of :class:`Views` that computes ``view``."""

    def register(method: ViewMethod) -> ViewMethod:
        COMPUTERS[view] = method
        return method

    return register


class Views:
    """All derived data of one build, with the inverse maps computed once."""

    def __init__(self, env: BuildEnvironment, domain: DossierDomain) -> None:
        self.env = env
        self.domain = domain
        self.dataset: Dataset | None = domain.dataset
        self.doc_records = {entry.docname: rid for rid, entry in domain.records.items()}
        self.referrers: dict[str, set[str]] = defaultdict(set)
        for docname, targets in domain.refs.items():
            for target in targets:
                self.referrers[target.partition("#")[0]].add(docname)
        self.events_of: dict[str, list[Row]] = defaultdict(list)
        self.lifecycle_of: dict[str, list[Row]] = defaultdict(list)
        self.citations_of: dict[str, list[Row]] = defaultdict(list)
        #: Every valid event in story order (Dataset.chronology), computed once per build.
        self.event_order: list[LoadedRecord] = []
        self._memo: dict[tuple[str, str], Any] = {}
        # -- record summaries (summary.py): the latest source, where coverage ends
        self.latest_source: Row | None = None
        self.latest_source_end: datetime.date | None = None
        # -- end record summaries
        if self.dataset is not None:
            self._index(self.dataset)

    def _index(self, dataset: Dataset) -> None:
        self.event_order = dataset.chronology()
        for position, loaded in enumerate(self.event_order):
            event = loaded.record_as(Event)
            row = _event_row(loaded, position)
            for actor in dict.fromkeys(event.actors):
                self.events_of[str(actor)].append(row)
            for agreement in dict.fromkeys(event.agreements):
                self.lifecycle_of[str(agreement)].append(row)
        # -- record summaries (summary.py): one pass over the sources
        latest: tuple[tuple[int, int, int], str, LoadedRecord] | None = None
        for loaded in dataset.by_kind("source"):
            published = loaded.record_as(Source).published
            if published is not None:
                key = (date_sort_key(published), loaded.id, loaded)
                if latest is None or key[:2] > latest[:2]:
                    latest = key
        if latest is not None:
            published = latest[2].record_as(Source).published
            self.latest_source = {"id": latest[1], "when": date_phrase(published)}
            self.latest_source_end = published.last_date() if published is not None else None
        # -- end record summaries
        for kind in DISPLAY_ORDER:
            for loaded in dataset.by_kind(kind):
                record = loaded.record
                for claim in record.claims:
                    for cite in claim.cites:
                        self.citations_of[str(cite.source)].append(
                            {
                                "record": str(record.id),
                                "kind": kind,
                                "title": display_title(loaded),
                                "claim": str(claim.id),
                                "quote": str(cite.quote),
                            }
                        )

    # -- one view ----------------------------------------------------------------

    def data(self, view: str, arg: str) -> Any:
        """The JSON-serialisable data a view shows (computed once per build)."""
        key = (view, arg)
        if key not in self._memo:
            self._memo[key] = self._compute(view, arg)
        return self._memo[key]

    def memo(self, name: str, compute: Callable[[], Any]) -> Any:
        """A value derived once per build (an index several views share)."""
        key = ("\0memo", name)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _compute(self, view: str, arg: str) -> Any:
        compute = COMPUTERS.get(view)
        if compute is not None:
            return compute(self, arg)
        # Figures (figures_sphinx) render their own views; their data still decides
        # whether a page must be rewritten.
        from sphinx_dossier.sphinx_ext.figures import figure_data

        return figure_data(self.dataset, view, arg)

    @computes(View.BACKLINKS)
    def view_backlinks(self, record_id: str) -> list[Row]:
        own = self.domain.records.get(record_id)
        rows: list[Row] = []
        for docname in self.referrers.get(record_id, ()):
            if own is not None and docname == own.docname:
                continue
            other = self.doc_records.get(docname)
            if other is not None:
                entry = self.domain.records[other]
                rows.append({"record": other, "kind": entry.kind, "title": entry.title})
            else:
                title = self.env.titles.get(docname)
                rows.append({"doc": docname, "title": title.astext() if title else docname})
        rows.sort(
            key=lambda row: (
                KIND_ORDER.get(row.get("kind", ""), 9),
                row["title"].casefold(),
                row.get("record", row.get("doc")),
            )
        )
        return rows

    @computes(View.ACTOR_EVENTS)
    def view_actor_events(self, record_id: str) -> list[Row]:
        return self.events_of.get(record_id, [])

    @computes(View.AGREEMENT_LIFECYCLE)
    def view_agreement_lifecycle(self, record_id: str) -> list[Row]:
        # Each step with the claim that backs its date (on the event's page).
        assert self.dataset is not None
        records = self.dataset.records
        return [
            {**row, "claim": claim_backing(records[row["id"]], "date")}
            for row in self.lifecycle_of.get(record_id, [])
        ]

    @computes(View.SOURCE_CITATIONS)
    def view_source_citations(self, record_id: str) -> list[Row]:
        return self.citations_of.get(record_id, [])

    @computes(View.TIMELINE)
    def view_timeline(self, _arg: str) -> list[Row]:
        if self.dataset is None:
            return []
        dataset = self.dataset
        rows = []
        for i, loaded in enumerate(self.event_order):
            row = _event_row(loaded, i)
            # -- browse: what the timeline's filters select by (facets in dossier-cite.js)
            event = loaded.record_as(Event)
            row["facets"] = {
                name: [[str(rid), _title_of(dataset, str(rid))] for rid in dict.fromkeys(ids)]
                for name, ids in (("agreement", event.agreements), ("actor", event.actors))
            }
            rows.append(row)
        return rows

    @computes(View.ACTORS)
    def view_actors(self, _arg: str) -> list[Row]:
        if self.dataset is None:
            return []
        rows: list[Row] = []
        for loaded in self.dataset.by_kind("actor"):
            actor = loaded.record_as(Actor)
            rows.append(
                {
                    "id": str(actor.id),
                    "title": display_title(loaded),
                    "kind": str(actor.kind),
                    "parent": str(actor.parent) if actor.parent else "",
                    # -- record summaries: what the index says of each actor
                    "roles": _role_titles(actor),
                    "events": len(self.events_of.get(str(actor.id), [])),
                }
            )
        order = {kind: i for i, kind in enumerate(ACTOR_KIND_ORDER)}
        rows.sort(key=lambda row: (order.get(row["kind"], 9), row["title"].casefold(), row["id"]))
        return rows

    @computes(View.AGREEMENTS)
    def view_agreements(self, _arg: str) -> list[Row]:
        if self.dataset is None:
            return []
        rows: list[Row] = []
        for loaded in self.dataset.by_kind("agreement"):
            agreement = loaded.record_as(Agreement)
            rows.append(
                {
                    "id": str(agreement.id),
                    "title": display_title(loaded),
                    "name": plain_text(str(agreement.name)),
                    "kind": plain_text(str(agreement.kind)),
                    "parties": [str(p) for p in agreement.parties],
                    "events": len(self.lifecycle_of.get(str(agreement.id), [])),
                }
            )
        rows.sort(key=lambda row: (row["title"].casefold(), row["id"]))
        return rows

    @computes(View.SOURCES)
    def view_sources(self, _arg: str) -> list[Row]:
        if self.dataset is None:
            return []
        rows: list[Row] = []
        for loaded in self.dataset.by_kind("source"):
            source = loaded.record_as(Source)
            rows.append(
                {
                    "id": str(source.id),
                    "title": display_title(loaded),
                    "publisher": str(source.publisher.name) if source.publisher.name else "",
                    "via": str(source.via) if source.via else "",
                    "author": str(source.author) if source.author else "",
                    "published": source.published.iso if source.published else "",
                    "sort": [*date_sort_key(source.published), str(source.id)]
                    if source.published
                    else [9999, 0, 0, str(source.id)],
                    "cited": len(self.citations_of.get(str(source.id), [])),
                }
            )
        rows.sort(key=lambda row: row["sort"])
        return rows

    # -- change detection ----------------------------------------------------------

    def targets_of(self, data: Any) -> set[str]:
        """Record ids a view's rows link to (their titles show in the links)."""
        found: set[str] = set()
        if isinstance(data, list):
            for row in data:
                if not isinstance(row, dict):
                    continue
                for key in ("id", "record", "parent"):
                    if row.get(key):
                        found.add(row[key])
                found.update(row.get("parties", ()))
                found.update(role[1] for role in row.get("roles", ()) if role[1])
        return found

    def digest(self, docname: str, views: Sequence[Sequence[str]]) -> str | None:
        """A digest of everything on the page that comes from other documents."""
        targets = set(self.domain.refs.get(docname, ()))
        if not targets and not views:
            return None
        digest = hashlib.sha256()
        for view, arg in views:
            text, shown_targets = self._shown(view, arg)
            digest.update(text)
            targets |= shown_targets
        digest.update(b"\0")
        for target in sorted(targets):
            digest.update(self._resolved(target))
        return digest.hexdigest()

    # repr, not json.dumps(sort_keys=True): view data is built in a fixed order from plain
    # str/int/list/dict values, so the text is just as stable and several times cheaper.
    # Both parts are memoised: digests are computed for every page at every build, and
    # the same records are linked from many pages.

    def _shown(self, view: str, arg: str) -> tuple[bytes, set[str]]:
        key = ("\0shown", view + "\0" + arg)
        if key not in self._memo:
            data = self.data(view, arg)
            text = repr([view, arg, data]).encode("utf-8")
            self._memo[key] = (text, self.targets_of(data))
        return cast("tuple[bytes, set[str]]", self._memo[key])

    def shown_ids(self, view: str, arg: str, known: Container[str]) -> set[str]:
        """The record ids a view names or shows (see :mod:`.digests`), once per build."""
        key = ("\0ids", view + "\0" + arg)
        if key not in self._memo:
            from sphinx_dossier.sphinx_ext.digests import arg_ids, ids_in

            self._memo[key] = ids_in(self.data(view, arg), known) | arg_ids(arg, known)
        return cast("set[str]", self._memo[key])

    def _resolved(self, target: str) -> bytes:
        key = ("\0resolved", target)
        if key not in self._memo:
            record_id, _, claim_id = target.partition("#")
            entry = self.domain.records.get(record_id)
            claim = self.domain.claims.get(target) if claim_id else None
            resolved = [target, list(entry) if entry else None, list(claim) if claim else None]
            self._memo[key] = repr(resolved).encode("utf-8")
        return cast("bytes", self._memo[key])
