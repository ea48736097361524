"""Domain indices: one alphabetical (events: chronological) index per record kind."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Index, IndexEntry

from sphinx_dossier.core.kinds import DISPLAY_ORDER, KindSpec, spec
from sphinx_dossier.sphinx_ext.cache import BuildCache

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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


# -- index pages that did not change are not written again ---------------------------

#: Beside Sphinx's environment: what each dossier index page was last written from.
INDEX_PAGES_KEY_FILE = "dossier-index-pages.pickle"


def _page_key(builder: Any, content: object, collapse: object) -> str:
    """What an index page is made of: its entries, and what every page of the build
    shares (the configuration and tags, as Sphinx's ``.buildinfo`` has them)."""
    info = builder.build_info
    material = repr((content, collapse, info.config_hash, info.tags_hash))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _only_record_pages_read(builder: Any) -> bool:
    """True when the pages this build read again are all record pages: a hand-written
    page read again may have changed the navigation that every page shows."""
    domain = builder.env.get_domain("dossier")
    record_pages = {entry.docname for entry in domain.records.values()}
    reread = getattr(domain, "reread", None)
    return reread is not None and all(doc in record_pages for doc in reread)


def keep_unchanged_index_pages(app: Sphinx) -> None:
    """builder-inited (HTML): the dossier's index pages are written only when they change.

    Sphinx writes every domain index page at every build, and the events index lists
    every event (1.3 MB at 5,000 records): an edit of one claim rewrote it. A page is
    kept when its entries, the configuration and the tags are as when it was written,
    its file is there and newer than the templates, the documents are the same ones,
    and the only pages read again are record pages (a hand-written page read again may
    have changed the navigation every page shows, so then all are written). What is
    kept is what Sphinx itself does for a document that did not change.
    """
    builder: Any = app.builder
    original = getattr(builder, "write_domain_indices", None)
    if (
        original is None
        or not hasattr(builder, "domain_indices")
        or not hasattr(getattr(builder, "build_info", None), "config_hash")
    ):
        return  # another builder, or a Sphinx whose HTML builder is shaped otherwise
    cache = BuildCache(app, INDEX_PAGES_KEY_FILE, "index pages")

    def write_domain_indices() -> None:
        stored = cache.load()
        before: dict[str, Any] = stored if isinstance(stored, dict) else {}
        docs = hashlib.sha256(repr(sorted(builder.env.all_docs)).encode()).hexdigest()
        quiet = before.get("") == docs and _only_record_pages_read(builder)
        templates = getattr(builder, "templates", None)
        newest = getattr(templates, "newest_template_mtime", None)
        # No way to know when the templates changed: write the pages, as Sphinx does.
        newest_template = newest() if newest is not None else float("inf")
        every = list(builder.domain_indices)
        keys: dict[str, str] = {"": docs}
        written = []
        for entry in every:
            index_name, _cls, content, collapse = entry
            if not index_name.startswith("dossier-"):
                written.append(entry)
                continue
            key = keys[index_name] = _page_key(builder, content, collapse)
            path = Path(builder.get_outfilename(index_name))
            try:
                fresh = path.stat().st_mtime > newest_template
            except OSError:
                fresh = False
            if not (quiet and fresh and before.get(index_name) == key):
                written.append(entry)
        builder.domain_indices = written
        try:
            original()
        finally:
            builder.domain_indices = every
        cache.store(keys)

    builder.write_domain_indices = write_domain_indices


def setup_indices(app: Sphinx) -> None:
    for index in INDICES:
        app.add_index_to_domain("dossier", index)
    app.connect("builder-inited", keep_unchanged_index_pages)
