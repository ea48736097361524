"""Domain indices: one alphabetical (events: chronological) index per record kind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Index, IndexEntry

from sphinx_dossier.core.kinds import DISPLAY_ORDER, KindSpec, spec

if TYPE_CHECKING:
    from sphinx_dossier.sphinx_ext.domain import DossierDomain


class RecordIndex(Index):
    """Every record of one kind, grouped by initial letter."""

    kind: ClassVar[str] = ""

    def group_of(self, record_id: str, title: str) -> tuple[str, str]:
        """(group heading, sort key) of a record."""
        return (title[:1].upper() or "?"), title.casefold()

    def generate(
        self, docnames: Iterable[str] | None = None
    ) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        domain: DossierDomain = self.domain  # type: ignore[assignment]
        wanted = set(docnames) if docnames is not None else None
        groups: dict[str, list[tuple[str, IndexEntry]]] = defaultdict(list)
        for record_id, entry in domain.records.items():
            if entry.kind != self.kind or (wanted is not None and entry.docname not in wanted):
                continue
            heading, key = self.group_of(record_id, entry.title)
            groups[heading].append(
                (
                    key,
                    IndexEntry(
                        entry.title, 0, entry.docname, entry.anchor, self.extra(record_id), "", ""
                    ),
                )
            )
        content = [
            (heading, [item for _key, item in sorted(items, key=lambda pair: pair[0])])
            for heading, items in sorted(groups.items())
        ]
        return content, False

    def extra(self, record_id: str) -> str:
        return record_id


class EventIndex(RecordIndex):
    """Events grouped by year and ordered by date (undated last)."""

    def _date(self, record_id: str) -> Any:
        dataset = self.domain.dataset  # type: ignore[attr-defined]
        loaded = dataset.records.get(record_id) if dataset is not None else None
        return getattr(loaded.record, "date", None) if loaded is not None else None

    def group_of(self, record_id: str, title: str) -> tuple[str, str]:
        date = self._date(record_id)
        if date is None:
            return "undated", title.casefold()
        return str(date.year), f"{date.iso}|{record_id}"

    def extra(self, record_id: str) -> str:
        date = self._date(record_id)
        return str(date.iso) if date is not None else ""


def _index_of(kind: KindSpec) -> type[RecordIndex]:
    """The index class of one kind: ``Index of <folder>``, chronological for events."""
    base = EventIndex if kind.name == "event" else RecordIndex
    attributes = {
        "name": kind.folder,
        "localname": kind.index_title,
        "shortname": kind.folder,
        "kind": kind.name,
        "__doc__": f"Every {kind.name} record ({kind.index_title}).",
    }
    return type(f"{kind.label}Index", (base,), attributes)


#: One index per record kind, in the site's order.
INDICES: tuple[type[RecordIndex], ...] = tuple(_index_of(spec(kind)) for kind in DISPLAY_ORDER)
