"""Which pages' view digests an env-updated pass computes again, and which it keeps.

A page's digest (:meth:`Views.digest`) covers everything it shows from other
documents. Computing it means computing every view on the page, so doing it for
every page made each rebuild cost the whole site. This module keeps a page's
previous digest when nothing it can show has changed, by three rules:

* a view names the records it is about in its argument (a record page's
  sections, a claim's "Cite" control, a page's endnotes); its data comes from
  those records and the records next to them: the ones they reference and the
  ones that reference them. A view whose argument names no record (listings,
  the home page's coverage line, the "as of" pages, the matrix) is computed
  again at every build in which a record's *face* changed (the record apart from
  the wording of its claims and the quotes and notes of their citations, see
  :func:`face`), a record appeared or went, a page that is no record's was read
  again, or the shared data below changed. No such view shows a claim's wording,
  a quote or a note (tests/test_digests.py holds them to it), so rewording a
  claim, the commonest fix, does not digest every listing again;
* a page is computed again when a record it shows (any id in its views' data,
  or a target of its references) changed;
* story order, the latest source, the sources' dates and the state of the
  corpus and rules the quotes were checked against are shared by many pages:
  when one of them changes, every page is computed again.

A record *changed* when its file (path, mtime, size), kind, page entry or validity
differs from the previous build's, or it appeared or went. Records *next to* a
changed one are the records it references (before and after the change) and the
records that reference it, and the records a page that is gone referenced. Pages
Sphinx read again are always computed. The
result is that an edit costs the pages around the edited record, at any size.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sphinx_dossier.core.model import Source
from sphinx_dossier.core.text import date_sort_key

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import Dataset, LoadedRecord
    from sphinx_dossier.sphinx_ext.domain import DossierDomain
    from sphinx_dossier.sphinx_ext.views import Views

#: Keys of the domain data (pickled with the environment) this module keeps.
MARKS = "record_marks"  # record id -> (digest of its signature, ids it references)
DEPS = "page_deps"  # docname -> the record ids its references target, then those it shows
SHARED = "shared_key"  # story order, latest source, sources' dates
FACES = "record_faces"  # record id -> digest of its face (see face())

#: A record's mark: a digest of its file stamp, kind, page entry and validity, and the
#: ids it references joined by NUL. Text, not tuples: the marks and the pages' deps are
#: pickled with the environment, and a few strings per record cost the collector and
#: the pickle far less than nested tuples.
Mark = tuple[str, str]
#: Separates a page's reference targets from the ids it shows, in its deps text.
_SHOWN = "\x01"


def _joined(ids: Iterable[str]) -> str:
    return "\0" + "\0".join(ids) + "\0"


def _split(text: str) -> list[str]:
    return [part for part in text.split("\0") if part and part != _SHOWN]


def _record_id(target: str) -> str:
    return target.partition("#")[0]


def ids_in(data: Any, known: Any) -> set[str]:
    """Every record id (or ``id#anchor``'s id) among the strings of ``data`` that ``known``
    holds: what a view shows, whatever the shape of its rows."""
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            rid = _record_id(item)
            if rid in known:
                found.add(rid)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def arg_ids(arg: str, known: Any) -> set[str]:
    """The record ids a view's argument names (a record id, ``id#claim``, or a list)."""
    if not arg:
        return set()
    parts = arg.replace(",", " ").split()
    return {rid for rid in (_record_id(p.lstrip("~!")) for p in parts) if rid in known}


def _marks(dataset: Dataset, domain: DossierDomain, old: dict[str, Mark]) -> dict[str, Mark]:
    valid = {loaded.id for kind in ("source", "actor", "agreement", "event")
             for loaded in dataset.by_kind(kind)}  # fmt: skip
    marks: dict[str, Mark] = {}
    for rid, loaded in dataset.records.items():
        found = dataset.file_results.get(str(loaded.path))
        if found is None:  # no file state to know it by: changed at every build
            signature = f"unknown {os.urandom(8).hex()}"
        else:
            entry = domain.records.get(rid)
            material = (str(loaded.path), found.stamp, loaded.kind, entry and tuple(entry))
            signature = hashlib.blake2b(
                repr((material, rid in valid)).encode("utf-8"), digest_size=16
            ).hexdigest()
        before = old.get(rid)
        if isinstance(before, tuple) and before[0] == signature:
            marks[rid] = before
        else:
            refs = sorted({target for _loc, target, _kind in loaded.record.references()})
            marks[rid] = (signature, "\0".join(refs))
    return marks


#: What :func:`face` leaves out of a record: the prose of its claims (their wording, the
#: quotes and the notes of their citations). Views about no record never show it.
_PROSE: Any = {"claims": {"__all__": {"text": True, "cites": {"__all__": {"quote", "note"}}}}}


def face(loaded: LoadedRecord, entry: tuple[object, ...] | None) -> str:
    """A digest of what a record is to the pages about no record in particular: its
    fields, claims and citations but their prose, its kind and its page entry."""
    shown = loaded.record.model_dump(exclude=_PROSE)
    material = repr((loaded.kind, tuple(entry) if entry else None, shown))
    return hashlib.blake2b(material.encode("utf-8"), digest_size=16).hexdigest()


def _faces(
    dataset: Dataset, domain: DossierDomain, old: dict[str, str], changed: set[str]
) -> dict[str, str]:
    """Each record's face: made again for the changed records, else carried over."""
    faces: dict[str, str] = {}
    for rid, loaded in dataset.records.items():
        before = old.get(rid)
        faces[rid] = (
            before
            if before is not None and rid not in changed
            else face(loaded, domain.records.get(rid))
        )
    return faces


def _shared_key(views: Views) -> str:
    sources: list[tuple[str, tuple[int, int, int] | None]] = []
    if views.dataset is not None:
        for loaded in views.dataset.by_kind("source"):
            published = loaded.record_as(Source).published
            sources.append((loaded.id, date_sort_key(published) if published else None))
    # The rules and the corpus texts too: they decide what the quote checks found.
    checked = views.dataset.check_key if views.dataset is not None else ""
    return repr(([e.id for e in views.event_order], views.latest_source, sources, checked))


class DigestPlan:
    """For one env-updated pass: the pages whose previous digest still holds."""

    def __init__(self, domain: DossierDomain, views: Views, reread: Iterable[str]) -> None:
        self.domain = domain
        self.views = views
        self.reread = set(reread)
        dataset = views.dataset
        # The environment may come from an earlier version of the extension, whose marks
        # and deps had other shapes: those are ignored (every page is digested once).
        stored = domain.data.get(MARKS)
        old_marks: dict[str, Mark] = {
            rid: mark
            for rid, mark in (stored.items() if isinstance(stored, dict) else ())
            if isinstance(mark, tuple) and len(mark) == 2 and all(isinstance(m, str) for m in mark)
        }
        deps = domain.data.get(DEPS)
        self.old_deps: dict[str, str] = {
            doc: text
            for doc, text in (deps.items() if isinstance(deps, dict) else ())
            if isinstance(text, str)
        }
        self.marks: dict[str, Mark] = {} if dataset is None else _marks(dataset, domain, old_marks)
        self.shared = _shared_key(views)
        self.all_again = dataset is None or domain.data.get(SHARED) != self.shared
        self.changed = {
            rid
            for rid in old_marks.keys() | self.marks.keys()
            if old_marks.get(rid) != self.marks.get(rid)
        }
        touched = set(self.changed)
        for rid in self.changed:
            for mark in (old_marks.get(rid), self.marks.get(rid)):
                if isinstance(mark, tuple):
                    touched.update(_split(mark[1]))
            if dataset is not None and rid in dataset.records:
                touched.update(dataset.backlinks(rid))
        for docname in self.reread:
            touched.update(_split(self.old_deps.get(docname, "").partition(_SHOWN)[0]))
            touched.update(_record_id(t) for t in domain.refs.get(docname, ()))
        # A page gone since the last build is no longer among the backlinks of what it
        # referenced: those records' pages must be digested again.
        gone = [doc for doc in self.old_deps if doc not in views.env.all_docs]
        for docname in gone:
            touched.update(_split(self.old_deps[docname].partition(_SHOWN)[0]))
        self.touched = touched
        stored_faces = domain.data.get(FACES)
        old_faces: dict[str, str] = {
            rid: digest
            for rid, digest in (stored_faces.items() if isinstance(stored_faces, dict) else ())
            if isinstance(digest, str)
        }
        self.faces: dict[str, str] = (
            {} if dataset is None else _faces(dataset, domain, old_faces, self.changed)
        )
        faces_changed = any(old_faces.get(rid) != self.faces.get(rid) for rid in self.changed)
        # A page that is no record's, read again, may be a listing (digested anyway, as
        # every page read again) or say what the others cannot know: redo them all.
        other_pages = any(doc not in views.doc_records for doc in self.reread)
        self._changed_marks = [f"\0{rid}\0" for rid in sorted(self.changed)]
        self.deps: dict[str, str] = {}
        #: No record's face changed (at most the prose of its claims), no record came or
        #: went, no page but a record's was read again, not the shared key. Then even the
        #: pages whose views are about no record in particular keep their digest (at
        #: 20,000 records, digesting them was most of a rebuild with nothing to do; at
        #: 1,000 they were most of the digesting after a claim was reworded).
        self.quiet = not (self.all_again or faces_changed or other_pages or gone)

    def keeps(self, docname: str, page_views: Sequence[Sequence[str]]) -> bool:
        """True when the page's previous digest holds (its deps are carried over)."""
        if self.all_again or docname in self.reread:
            return False
        deps = self.old_deps.get(docname)
        if not isinstance(deps, str):
            return False
        known = self.marks
        for _view, arg in page_views:
            named = arg_ids(arg, known)
            if not named.isdisjoint(self.touched) or not (named or self.quiet):
                return False
        if any(mark in deps for mark in self._changed_marks):
            return False
        self.deps[docname] = deps
        return True

    def note(self, docname: str, page_views: Sequence[Sequence[str]]) -> None:
        """Record what a page just digested depends on, for the next build."""
        known = self.marks
        if any(not arg_ids(arg, known) for _view, arg in page_views):
            # Digested at every build in which something changed: no ids to keep.
            self.deps[docname] = _joined([_SHOWN])
            return
        # Every target, known or not: a record that appears later changes the page.
        refs = sorted({_record_id(t) for t in self.domain.refs.get(docname, ())})
        shown: set[str] = set()
        for view, arg in page_views:
            shown |= self.views.shown_ids(view, arg, known)
        self.deps[docname] = _joined([*refs, _SHOWN, *sorted(shown - set(refs))])

    def store(self) -> None:
        """Keep the marks, the pages' deps and the shared key for the next build."""
        self.domain.data[MARKS] = self.marks
        self.domain.data[DEPS] = self.deps
        self.domain.data[SHARED] = self.shared
        self.domain.data[FACES] = self.faces
