"""Story order of events: by date, and by ``after`` where dates are too vague to decide."""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from sphinx_dossier.core.dates import PartialDate

__all__ = ["OrderCycle", "event_order", "find_cycles", "latest_date"]


class _EventLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def date(self) -> PartialDate: ...
    @property
    def after(self) -> list[str]: ...


class _Entry(Protocol):
    @property
    def record(self) -> object: ...


E = TypeVar("E", bound=_Entry)


def latest_date(event: object) -> _dt.date:
    """The last day an event can have happened on (its ``until``, else its ``date``)."""
    until = getattr(event, "until", None)
    date: PartialDate = until if until is not None else event.date  # type: ignore[attr-defined]
    return date.last_date()


def event_order(entries: Iterable[E]) -> list[E]:
    """``entries`` (records of events, or loaded records holding them) in story order.

    Events are taken by the date's sort key, then id; an event waits until every event
    it is ``after`` (among ``entries``) has been placed. Validation guarantees that
    ``after`` never contradicts the dates, so an event whose whole date range is earlier
    always comes first; ``after`` only decides among events whose ranges overlap. An
    event freed by the one just placed, with the same date key, comes next, so that a
    chain of steps the sources order stays together instead of being interleaved with
    unrelated events of the same vague date. A cycle (invalid data) is broken at the
    earliest waiting event so that nothing is lost.
    """
    items = list(entries)
    by_id: dict[str, E] = {}
    for entry in items:
        by_id.setdefault(_event(entry).id, entry)

    def date_key(rid: str) -> tuple[int, int, int]:
        return _event(by_id[rid]).date.sort_key

    # (date key, 0 and -sequence for a chain's next step or 1 and 0 otherwise, id)
    Key = tuple[tuple[int, int, int], int, int, str]

    def key(rid: str) -> Key:
        return (date_key(rid), 1, 0, rid)

    waiting: dict[str, set[str]] = {}
    followers: dict[str, list[str]] = {rid: [] for rid in by_id}
    for rid, entry in by_id.items():
        before = {p for p in _event(entry).after if p in by_id and p != rid}
        waiting[rid] = before
        for p in before:
            followers[p].append(rid)
    ready = [key(rid) for rid, before in waiting.items() if not before]
    heapq.heapify(ready)
    placed: list[str] = []
    done: set[str] = set()
    sequence = 0
    while len(placed) < len(by_id):
        if not ready:  # a cycle: release its earliest member
            rest = min(key(rid) for rid in by_id if rid not in done)
            heapq.heappush(ready, rest)
        rid = heapq.heappop(ready)[3]
        if rid in done:
            continue
        done.add(rid)
        placed.append(rid)
        for follower in sorted(followers[rid], reverse=True):
            pending = waiting[follower]
            pending.discard(rid)
            if pending or follower in done:
                continue
            if date_key(follower) == date_key(rid):
                sequence += 1
                heapq.heappush(ready, (date_key(follower), 0, -sequence, follower))
            else:
                heapq.heappush(ready, key(follower))
    return [by_id[rid] for rid in placed]


def _event(entry: object) -> _EventLike:
    record = getattr(entry, "record", entry)
    return record  # type: ignore[return-value]


class OrderCycle(tuple[str, ...]):
    """Ids of events whose ``after`` lists loop, starting at the smallest id."""


def find_cycles(after: Mapping[str, Sequence[str]]) -> list[OrderCycle]:
    """One cycle per strongly connected group of ``after`` links (self-links excluded).

    Each cycle starts at the group's smallest id and follows ``after`` links back to it.
    """
    graph = {rid: [t for t in targets if t in after and t != rid] for rid, targets in after.items()}
    cycles: list[OrderCycle] = []
    for group in _components(graph):
        if len(group) < 2:
            continue
        start = min(group)
        cycles.append(OrderCycle(_path_back(graph, start, set(group))))
    return sorted(cycles)


def _components(graph: Mapping[str, list[str]]) -> list[list[str]]:
    # Tarjan's algorithm, iterative so that long chains cannot exhaust the stack.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = graph[node]
            if i < len(targets):
                work.append((node, i + 1))
                target = targets[i]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def _path_back(graph: Mapping[str, list[str]], start: str, group: set[str]) -> list[str]:
    # Shortest walk along links inside the group from start back to start.
    previous: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for target in sorted(graph[node]):
            if target not in group:
                continue
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path)]
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return [start]  # pragma: no cover - a group of two or more always has a loop
