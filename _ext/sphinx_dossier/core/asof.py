"""What the sources published by a date reported: the reference's knowledge at that date.

One "as of" page per source publication date (or per month or year when there are more
dates than the configured limit). A page at cutoff *c* uses only the claims citing a
source whose publication date ends on or before *c*: the events those claims back,
whether a source of that time could report the event as having happened, and the roles
of people observed by then. Undated sources belong to no page.

A source published before an event can only say it was planned: an event counts as
having happened by *c* when its status says it happened (``occurred`` or ``reported``)
and a claim backing its date or status cites a source published by *c* whose date range
does not end before the event's begins. An event only other claims back by then (its
order, its context: a source that still speaks of it as to come) is listed as planned
or expected at that date.

Everything is computed once per build, in one pass over the records and their claims;
a page then only filters the events and roles by two dates each.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from sphinx_dossier.core.dates import PartialDate
from sphinx_dossier.core.model import Actor, Event, Source

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import Dataset

__all__ = ["DEFAULT_AS_OF_PAGES", "AsOf", "AsOfPage", "as_of"]

#: A claim backing one of these fields of an event says when (or that) it happened; other
#: claims (its order, its context) may come from a source that still expects it.
HAPPENED_FIELDS = frozenset({"date", "status"})

#: How many as-of pages at most, before dates are grouped by month, then by year.
DEFAULT_AS_OF_PAGES = 40


@dataclass(frozen=True)
class AsOfPage:
    """One as-of page: its date (as precise as the sources' dates), cutoff and sources."""

    key: str  # ISO text at the page's precision: "2016-11-12", "2016-11" or "2016"
    date: PartialDate
    cutoff: _dt.date  # the last day the page's date can mean
    sources: tuple[str, ...]  # the sources published in this page's date (not before)


@dataclass
class AsOf:
    """The as-of pages of a dataset and, per event and role, from when they are known."""

    pages: list[AsOfPage] = field(default_factory=list)
    #: Event id -> last day of the first source date that backs one of its claims.
    event_known: dict[str, _dt.date] = field(default_factory=dict)
    #: Event id -> the first such date of a source that can report it as having happened.
    event_happened: dict[str, _dt.date] = field(default_factory=dict)
    #: (actor id, role index) -> the first source date backing one of the role's claims.
    role_known: dict[tuple[str, int], _dt.date] = field(default_factory=dict)
    #: Source id -> key of the page its date belongs to.
    page_of_source: dict[str, str] = field(default_factory=dict)
    undated: tuple[str, ...] = ()
    grouping: str = "day"  # "day" (one page per date), "month" or "year"

    def page(self, key: str) -> AsOfPage | None:
        return next((page for page in self.pages if page.key == key), None)


def _grouped(date: PartialDate, grouping: str) -> PartialDate:
    if grouping == "year":
        return PartialDate(date.year)
    if grouping == "month" and date.day is not None:
        return PartialDate(date.year, date.month)
    return PartialDate(date.year, date.month, date.day)


def _pages(published: dict[str, PartialDate], limit: int) -> tuple[list[AsOfPage], str]:
    grouping = "day"
    for grouping in ("day", "month", "year"):
        keys = {_grouped(date, grouping).iso for date in published.values()}
        if len(keys) <= limit:
            break
    by_key: dict[str, list[str]] = {}
    dates: dict[str, PartialDate] = {}
    for source_id, date in sorted(published.items()):
        shown = _grouped(date, grouping)
        by_key.setdefault(shown.iso, []).append(source_id)
        dates[shown.iso] = shown
    pages = [
        AsOfPage(key, dates[key], dates[key].last_date(), tuple(by_key[key])) for key in by_key
    ]
    pages.sort(key=lambda page: (page.cutoff, page.date.sort_key))
    return pages[-limit:] if limit else [], grouping


K = TypeVar("K")


def _earliest(found: dict[K, _dt.date], key: K, day: _dt.date) -> None:
    if key not in found or day < found[key]:
        found[key] = day


def as_of(dataset: Dataset, limit: int = DEFAULT_AS_OF_PAGES) -> AsOf:
    """The as-of pages (at most ``limit``; 0 = none) and the dates that fill them."""
    published: dict[str, PartialDate] = {}
    undated = []
    for loaded in dataset.by_kind("source"):
        source = loaded.record_as(Source)
        if source.published is None:
            undated.append(str(source.id))
        else:
            published[str(source.id)] = source.published
    pages, grouping = _pages(published, limit)
    result = AsOf(pages=pages, undated=tuple(sorted(undated)), grouping=grouping)
    for page in pages:
        for source_id in page.sources:
            result.page_of_source[source_id] = page.key
    last_day = {sid: date.last_date() for sid, date in published.items()}

    def claim_days(claim: object) -> list[_dt.date]:
        cites = getattr(claim, "cites", ())
        return [last_day[str(c.source)] for c in cites if str(c.source) in last_day]

    for loaded in dataset.by_kind("event"):
        event = loaded.record_as(Event)
        event_id, begins = str(event.id), event.date.to_date()
        happened = str(event.status) != "planned"
        for claim in event.claims:
            backs = bool(HAPPENED_FIELDS.intersection(str(name) for name in claim.supports))
            for day in claim_days(claim):
                _earliest(result.event_known, event_id, day)
                if happened and backs and day >= begins:
                    _earliest(result.event_happened, event_id, day)
    for loaded in dataset.by_kind("actor"):
        actor = loaded.record_as(Actor)
        claims = {str(claim.id): claim for claim in actor.claims}
        for index, role in enumerate(actor.roles):
            for claim_id in role.claims:
                found = claims.get(str(claim_id))
                for day in claim_days(found) if found is not None else ():
                    _earliest(result.role_known, (str(actor.id), index), day)
    return result
