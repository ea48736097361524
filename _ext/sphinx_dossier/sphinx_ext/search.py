"""The search index as readers need it: record results named by their title and date.

Sphinx's HTML search lists a domain's objects by display name, but escapes each name
twice (once into ``searchindex.js``, once more when showing it), so "Japan's" shows
as ``Japan&#x27;s``; it splits a name at its last full stop ("Nov. 13" becomes a
prefix and a name); and it drops every number from the words a reader types, so
"2016" finds nothing in the text. In an HTML build this module renames the
dossier's entries of ``searchindex.js``: each record is named by its plain title
and, for events and sources, its date ("Talks resume in Tokyo (1 November 2016)"),
so that a search for a year or a date finds the records of that date through the
object search, which does take numbers. The names are set in the index Sphinx is
about to write (its ``freeze`` is wrapped at ``html-collect-pages``), so the index is
written once; should Sphinx write one without that, it is read back and rewritten.
Claims are not search results (they are in ``objects.inv`` with priority -1): their
record's page is the result.
"""

from __future__ import annotations

import calendar
import functools
import html
import json
import weakref
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sphinx_dossier.core.text import display_title
from sphinx_dossier.outputs.figures import format_span
from sphinx_dossier.sphinx_ext._shared import dossier_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import LoadedRecord

__all__ = [
    "name_before_writing",
    "prune_by_set",
    "reader_date",
    "result_name",
    "rewrite_index",
    "setup_search",
]

_PREFIX, _SUFFIX = "Search.setIndex(", ")"


def _bounds(value: Any) -> tuple[date, date]:
    """The first and last day a partial date can mean."""
    year, month, day = value.year, getattr(value, "month", None), getattr(value, "day", None)
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day), date(year, month, day)


def reader_date(value: Any, until: Any = None) -> str:
    """A partial date (to ``until``) as readers read it: "1 November 2016", "October
    2016", "2019", "16–19 November 2019"; never a day or month the date does not have."""
    start, end = _bounds(value)
    if until is not None:
        end = max(end, _bounds(until)[1])
    return format_span(start, end)


def result_name(loaded: LoadedRecord) -> str:
    """How a record is named among search results: its title and, if dated, its date as
    the timeline writes it ("1 November 2016", "2016", "16–19 November 2019")."""
    title = display_title(loaded)
    record = loaded.record
    value = getattr(record, "date" if loaded.kind == "event" else "published", None)
    if loaded.kind not in ("event", "source") or value is None:
        return title
    return f"{title} ({reader_date(value, getattr(record, 'until', None))})"


def _name_results(app: Sphinx, index: dict[str, Any]) -> bool:
    """Rename the dossier's entries of a search index (as Sphinx freezes it, or as read
    back from ``searchindex.js``) in place; False when there is no dataset."""
    domain = dossier_domain(app.env)
    dataset = domain.dataset
    if dataset is None:
        return False
    objtypes: dict[Any, str] = index.get("objtypes", {})
    ours = {int(i) for i, name in objtypes.items() if str(name).startswith("dossier:")}
    docnames: Sequence[str] = index.get("docnames", [])
    # The index keeps a record's display name and a short anchor ("" when the anchor is
    # the record id), not the id: find the record by its page and anchor, or its title.
    by_anchor = {(e.docname, e.anchor): rid for rid, e in domain.records.items()}
    by_title = {(e.docname, e.title): rid for rid, e in domain.records.items()}
    objects: dict[str, list[Sequence[Any]]] = index.get("objects", {})
    rewritten: dict[str, list[Sequence[Any]]] = {}
    for prefix, entries in objects.items():
        for entry in entries:
            doc, typ, _prio, anchor, name = entry[:5]
            if typ not in ours:
                rewritten.setdefault(prefix, []).append(entry)
                continue
            full = html.unescape(f"{prefix}.{name}" if prefix else name)
            docname = docnames[doc]
            record_id = by_anchor.get((docname, anchor)) if anchor not in ("", "-") else None
            record_id = record_id or by_title.get((docname, full))
            loaded = dataset.records.get(record_id) if record_id else None
            if loaded is None:
                rewritten.setdefault(prefix, []).append(entry)
                continue
            # One flat name (a full stop in a title is not a namespace), and the anchor in
            # full: the search page would otherwise link to "#<display name>".
            anchor = domain.records[loaded.id].anchor
            rewritten.setdefault("", []).append(
                [doc, typ, entry[2], anchor, result_name(loaded), *entry[5:]]
            )
    for entries in rewritten.values():
        entries.sort(key=lambda e: (str(e[4]), e[0], str(e[3])))
    index["objects"] = dict(sorted(rewritten.items()))
    return True


#: The HTML builders whose index this build named before Sphinx wrote it.
_NAMED: weakref.WeakSet[object] = weakref.WeakSet()


def name_before_writing(app: Sphinx) -> list[Any]:
    """html-collect-pages: name the dossier's search results in the index Sphinx is
    about to write (it freezes the index after this event, in the same process).

    Reading ``searchindex.js`` back and writing it again after the build cost a JSON
    round trip of the whole index at every rebuild. The index's ``freeze`` is wrapped
    for this build: Sphinx writes the renamed entries itself, in its own format.
    """
    builder = app.builder
    indexer = getattr(builder, "indexer", None)
    freeze = getattr(indexer, "freeze", None)
    if indexer is None or freeze is None:
        return []

    def frozen() -> dict[str, Any]:
        index: dict[str, Any] = freeze()
        if isinstance(index, dict) and _name_results(app, index):
            _NAMED.add(builder)
        return index

    indexer.freeze = frozen
    return []


def rewrite_index(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: name the dossier's entries of ``searchindex.js`` for readers, if
    Sphinx wrote an index this build did not name before writing it."""
    builder = app.builder
    if exception is not None or getattr(builder, "indexer", None) is None:
        return
    if builder in _NAMED:
        _NAMED.discard(builder)
        return
    path = builder.outdir / getattr(builder, "searchindex_filename", "searchindex.js")
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if not (text.startswith(_PREFIX) and text.endswith(_SUFFIX)):
        return  # a format this code does not know: leave Sphinx's index as it is
    index: dict[str, Any] = json.loads(text[len(_PREFIX) : -len(_SUFFIX)])
    if not _name_results(app, index):
        return
    data = json.dumps(index, separators=(",", ":"), sort_keys=True)
    path.write_text(_PREFIX + data + _SUFFIX, encoding="utf-8")


#: Distinct words whose stem a build keeps (a dossier has a few tens of thousands).
STEMS_KEPT = 200_000


def keep_stems(app: Sphinx, _doctree: object, _docname: str) -> None:
    """doctree-resolved: let the search index stem each distinct word once per build.

    Sphinx keeps stems for one page at a time, and a site of records says the same
    words on every page: at 200 records the English stemmer ran 41,000 times, a tenth
    of a full build. The search language of this build gets a cache in front of its
    ``stem`` (the same stems, so the same index); other builds are not touched. The
    indexer exists once writing starts, in the main process, which feeds it.
    """
    lang = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if lang is None or getattr(lang, "dossier_stems_kept", False):
        return
    lang.stem = functools.lru_cache(maxsize=STEMS_KEPT)(lang.stem)
    lang.dossier_stems_kept = True


class _Kept(set[str]):
    """The page names to keep: a set (so ``set.intersection_update`` takes its fast path,
    which does not iterate it), iterated in the order it was given."""

    def __init__(self, names: Iterable[str]) -> None:
        self._order = list(names)
        super().__init__(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)


def prune_by_set(app: Sphinx) -> list[Any]:
    """html-collect-pages: let the search index prune with a set of page names.

    Before writing the index, Sphinx keeps each word's pages that are still in the
    project with ``set.intersection_update(env.all_docs)``. With a dict as argument,
    each word walks every page name: at 5,000 records that is 22,000 words times 5,000
    names, a tenth of an edit rebuild, for plain Sphinx too. Given a set, each word
    walks only its own pages. The same pages are kept, visited in the same order; other
    builds are not touched.
    """
    indexer = getattr(app.builder, "indexer", None)
    prune = getattr(indexer, "prune", None)
    if indexer is None or prune is None or getattr(prune, "dossier_by_set", False):
        return []

    def by_set(docnames: Iterable[str]) -> None:
        prune(docnames if isinstance(docnames, (set, frozenset)) else _Kept(docnames))

    by_set.dossier_by_set = True  # type: ignore[attr-defined]
    indexer.prune = by_set
    return []


def setup_search(app: Sphinx) -> None:
    """Register the naming of results (before Sphinx writes the index, or after it as a
    fallback), the pruning by a set and the stem cache."""
    app.connect("doctree-resolved", keep_stems)
    app.connect("html-collect-pages", prune_by_set)
    app.connect("html-collect-pages", name_before_writing)
    app.connect("build-finished", rewrite_index, priority=900)
