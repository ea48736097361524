"""The ``dossier`` domain: object types, roles, cross-document state and reference resolution."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.kinds import DISPLAY_ORDER
from sphinx_dossier.sphinx_ext._shared import display_location, dossier_domain, warn
from sphinx_dossier.sphinx_ext.nodes import dossier_view

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinx_dossier.core.dataset import Dataset
    from sphinx_dossier.sphinx_ext.views import Views


class RecordEntry(NamedTuple):
    """Where a record's page is and what it is called."""

    kind: str
    docname: str
    anchor: str
    title: str


class ClaimEntry(NamedTuple):
    """Where a claim's anchor is, on its record's page."""

    docname: str
    anchor: str
    title: str


class DossierDomain(Domain):
    """Records (events, agreements, actors, sources) and their claims."""

    name = "dossier"
    label = "Dossier"
    # One object type and one role per record kind, from the kinds registry, in the
    # site's order; then claims, and ``record`` for a record of any kind ("ref" would
    # clash with std's ref.ref subtype).
    object_types: ClassVar[dict[str, ObjType]] = {
        **{kind: ObjType(kind, kind, "record") for kind in DISPLAY_ORDER},
        "claim": ObjType("claim", "claim"),
    }
    roles: ClassVar[dict[str, XRefRole]] = {  # type: ignore[assignment]
        name: XRefRole(innernodeclass=nodes.inline, warn_dangling=True)
        for name in (*DISPLAY_ORDER, "claim", "record")
    }
    # Indices (one per kind) are added by the package's setup(): the domain is a sink,
    # it imports none of the modules that use it.
    initial_data: ClassVar[dict[str, Any]] = {
        "records": {},  # record id -> RecordEntry
        "claims": {},  # "record-id#claim-id" -> ClaimEntry
        "refs": {},  # docname -> sorted list of record ids the page references
        "views": {},  # docname -> [(view, arg), ...] placeholders on the page
        "snapshot": {},  # docname -> digest of the derived data shown on it (env-updated)
        "inputs": {},  # docname -> {record file: (mtime_ns, size) when the page was read}
        "record_toctrees": {},  # docname -> True: a listing read with its records' toctree
    }
    data_version = 2  # 2: record_toctrees

    #: The dataset of this build (loaded at builder-inited); never pickled.
    dataset: Dataset | None = None
    #: Fingerprint of the files the dataset was loaded from (size and mtime of every
    #: data, corpus and extension file); never pickled.
    dataset_key: str = ""
    #: Derived data of this build (computed at env-updated); never pickled.
    views_cache: Views | None = None
    #: Data-file parts this build made, by file (the others were kept); never pickled.
    parts_made: Mapping[str, int] = MappingProxyType({})
    #: How many pages' view digests this build computed (the others were kept).
    digested: int = 0
    #: The pages this build reads again (env-before-read-docs); never pickled.
    reread: frozenset[str] = frozenset()
    #: ``path:line`` of references the loader already reported as dangling.
    #: Location -> the loader's reference messages there (see missing_reference_warning).
    reported_references: Mapping[str, Sequence[str]] = MappingProxyType({})
    #: (page, anchor) -> the anchor it got in a document showing several records
    #: (assembled.QualifyIds), for singlehtml's navigation; never pickled.
    qualified_anchors: Mapping[tuple[str, str], str] = MappingProxyType({})

    # -- typed accessors ---------------------------------------------------

    @property
    def records(self) -> dict[str, RecordEntry]:
        return cast("dict[str, RecordEntry]", self.data.setdefault("records", {}))

    @property
    def claims(self) -> dict[str, ClaimEntry]:
        return cast("dict[str, ClaimEntry]", self.data.setdefault("claims", {}))

    @property
    def refs(self) -> dict[str, list[str]]:
        return cast("dict[str, list[str]]", self.data.setdefault("refs", {}))

    @property
    def views(self) -> dict[str, list[tuple[str, str]]]:
        return cast("dict[str, list[tuple[str, str]]]", self.data.setdefault("views", {}))

    @property
    def snapshot(self) -> dict[str, str]:
        return cast("dict[str, str]", self.data.setdefault("snapshot", {}))

    @property
    def inputs(self) -> dict[str, dict[str, tuple[int, int, int]]]:
        return cast(
            "dict[str, dict[str, tuple[int, int, int]]]", self.data.setdefault("inputs", {})
        )

    @property
    def record_toctrees(self) -> dict[str, bool]:
        return cast("dict[str, bool]", self.data.setdefault("record_toctrees", {}))

    #: Instance attributes holding one build's data (the class gives their defaults).
    _BUILD_STATE = (
        "dataset",
        "views_cache",
        "parts_made",
        "reported_references",
        "qualified_anchors",
        "reread",
        "_by_doc",
    )

    def forget(self) -> None:
        """Drop everything this domain holds of its builds (the process is ending: the
        extension's atexit handler in :mod:`.heap`); it reads as a new, empty domain."""
        for name in self._BUILD_STATE:
            self.__dict__.pop(name, None)
        self.data.clear()

    def _doc_index(self) -> dict[str, tuple[set[str], set[str]]]:
        """docname -> (record ids, claim keys) noted on it; built once per process.

        clear_doc runs for every page read, so scanning all records there made a
        full build quadratic in the number of records.
        """
        records, claims = self.records, self.claims
        index = self.__dict__.get("_by_doc")
        if index is None or index[0] is not records or index[1] is not claims:
            by_doc: dict[str, tuple[set[str], set[str]]] = {}
            for key, entry in records.items():
                by_doc.setdefault(entry.docname, (set(), set()))[0].add(key)
            for key, claim in claims.items():
                by_doc.setdefault(claim.docname, (set(), set()))[1].add(key)
            index = (records, claims, by_doc)
            self.__dict__["_by_doc"] = index
        return cast("dict[str, tuple[set[str], set[str]]]", index[2])

    def _set_record(self, record_id: str, entry: RecordEntry) -> None:
        index = self._doc_index()
        old = self.records.get(record_id)
        if old is not None and old.docname in index:
            index[old.docname][0].discard(record_id)
        self.records[record_id] = entry
        index.setdefault(entry.docname, (set(), set()))[0].add(record_id)

    def _set_claim(self, name: str, entry: ClaimEntry) -> None:
        index = self._doc_index()
        old = self.claims.get(name)
        if old is not None and old.docname in index:
            index[old.docname][1].discard(name)
        self.claims[name] = entry
        index.setdefault(entry.docname, (set(), set()))[1].add(name)

    def note_record(self, kind: str, record_id: str, anchor: str, title: str) -> None:
        self._set_record(record_id, RecordEntry(kind, self.env.docname, anchor, title))

    def note_claim(self, name: str, anchor: str, title: str) -> None:
        self._set_claim(name, ClaimEntry(self.env.docname, anchor, title))

    def note_inputs(self, env: BuildEnvironment, paths: Iterable[Path]) -> None:
        """The current page is made from these record files.

        Their state as the loader read them is kept, and :func:`outdated_by_inputs`
        compares it with the next build's: the loader has looked at every file by then,
        so this costs no file system calls, where ``env.note_dependency`` made Sphinx
        stat every record's files again (about five per page) at every build. A file
        the loader has no state for falls back to ``note_dependency``.
        """
        results = self.dataset.file_results if self.dataset is not None else {}
        noted = self.inputs.setdefault(env.docname, {})
        for path in paths:
            found = results.get(str(path))
            if found is not None and found.stamp is not None:
                noted[str(path)] = found.stamp
            else:
                env.note_dependency(str(path))

    # -- environment bookkeeping --------------------------------------------

    def clear_doc(self, docname: str) -> None:
        record_ids, claim_keys = self._doc_index().pop(docname, (set(), set()))
        for key in record_ids:
            if key in self.records and self.records[key].docname == docname:
                del self.records[key]
        for key in claim_keys:
            if key in self.claims and self.claims[key].docname == docname:
                del self.claims[key]
        self.refs.pop(docname, None)
        self.views.pop(docname, None)
        self.inputs.pop(docname, None)
        self.record_toctrees.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key, entry in otherdata["records"].items():
            if entry.docname in docnames:
                self._set_record(key, entry)
        for key, claim in otherdata["claims"].items():
            if claim.docname in docnames:
                self._set_claim(key, claim)
        for docname, targets in otherdata["refs"].items():
            if docname in docnames:
                self.refs[docname] = targets
        for docname, views in otherdata["views"].items():
            if docname in docnames:
                self.views[docname] = views
        for docname, files in otherdata.get("inputs", {}).items():
            if docname in docnames:
                self.inputs[docname] = files
        for docname, flag in otherdata.get("record_toctrees", {}).items():
            if docname in docnames:
                self.record_toctrees[docname] = flag

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Remember what a page shows from other records: referenced ids and view placeholders.

        Backlinks, link titles and the change detection of env-updated need it.
        """
        targets: set[str] = set()
        for node in document.findall(addnodes.pending_xref):
            domain = node.get("refdomain")
            reftype = node.get("reftype")
            if domain == "dossier" or (domain in ("std", "", None) and reftype in ("ref", "any")):
                targets.add(str(node.get("reftarget", "")))
        if targets:
            self.refs[docname] = sorted(targets)
        # Pairs as tuples: kept for the whole build in every page's entry, and a tuple of
        # two strings costs the collector less than a list (it stops tracking it).
        views = [
            (str(node["view"]), str(node.get("arg", ""))) for node in document.findall(dossier_view)
        ]
        if views:
            self.views[docname] = views

    # -- resolution ----------------------------------------------------------

    def _lookup(self, typ: str, target: str) -> tuple[str, str, str, str] | None:
        """(objtype, docname, anchor, title) for a role type and target, or None."""
        if typ == "claim":
            claim = self.claims.get(target)
            if claim is None:
                return None
            return "claim", claim.docname, claim.anchor, claim.title
        entry = self.records.get(target)
        if entry is None or (typ != "record" and entry.kind != typ):
            return None
        return entry.kind, entry.docname, entry.anchor, entry.title

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        if not node.get("refexplicit"):
            classes = list(contnode.get("classes", []))
            return self.reference(builder, fromdocname, typ, target, None, classes)
        found = self._lookup(typ, target)
        if found is None:
            return None
        _objtype, docname, anchor, title = found
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def reference(
        self,
        builder: Builder,
        fromdocname: str,
        typ: str,
        target: str,
        text: str | None,
        classes: list[str],
    ) -> nodes.reference | None:
        """The resolved link to ``target`` (a record of kind ``typ``, ``record`` for any,
        or a claim) from ``fromdocname``, showing ``text`` or else the target's title;
        None when there is no such target.

        What :meth:`resolve_xref` answers; pages whose links are made in the write phase
        (the views) build them with it directly, without a pending reference.
        """
        found = self._lookup(typ, target)
        if found is None:
            return None
        _objtype, docname, anchor, title = found
        shown = title if text is None else text
        contnode = nodes.inline(shown, shown, classes=classes)
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        typ = "claim" if "#" in target else "record"
        found = self._lookup(typ, target)
        if found is None:
            return []
        objtype, docname, anchor, title = found
        label = env.domains.standard_domain.labels.get(target)
        if label is not None and label[:2] == (docname, anchor):
            # The record's std label answers :any: with the same link; a second
            # answer would make Sphinx report the reference as ambiguous.
            return []
        if not node.get("refexplicit"):
            contnode = nodes.inline(title, title, classes=contnode.get("classes", []))
        ref = make_refnode(builder, fromdocname, docname, anchor, contnode, title)
        return [(f"dossier:{objtype}", ref)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for record_id, entry in sorted(self.records.items()):
            yield record_id, entry.title, entry.kind, entry.docname, entry.anchor, 1
        # Claims are linkable (objects.inv) but not search results (priority -1): their
        # ids would crowd the results, and the record's page is the answer.
        for name, claim in sorted(self.claims.items()):
            yield name, claim.title, "claim", claim.docname, claim.anchor, -1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        target = node.get("reftarget")
        return str(target) if target else None


def missing_reference_warning(
    app: Sphinx, domain: Domain | None, node: pending_xref
) -> bool | None:
    """Report dangling dossier references as ``dossier.dangling-ref`` at the YAML line."""
    if domain is None or domain.name != "dossier":
        return None
    typ = str(node.get("reftype", ""))
    target = str(node.get("reftarget", ""))
    dossier = cast("DossierDomain", domain)
    location = node_location(node)
    # Muted only where the loader reported this very target at this line: a second,
    # different broken role on the same line is still reported.
    messages = dossier.reported_references.get(location, ()) if isinstance(location, str) else ()
    quoted = (f"'{target}'", f"`{target}`", f"<{target}>`")
    if any(form in message for message in messages for form in quoted):
        return True
    hint = ""
    other = dossier.records.get(target)
    if other is not None and typ not in ("record", other.kind):
        hint = f" ({target!r} is {_article(other.kind)} {other.kind}: use {{dossier:{other.kind}}})"
    elif typ == "claim" and "#" not in target:
        hint = " (a claim reference is 'record-id#claim-id')"
    warn(
        BuildWarning.DANGLING_REF,
        "dossier:%s reference target not found: %s%s",
        typ,
        target,
        hint,
        location=location,
    )
    return True


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def node_location(node: nodes.Node) -> str | nodes.Node:
    """``path:line`` of a node whose source is a YAML file, relative to the working dir."""
    source, line = get_source_line(node)
    if source and source.endswith((".yaml", ".yml")):
        return display_location(source, line)
    return node


def outdated_by_inputs(
    app: Sphinx,
    env: BuildEnvironment,
    added: Set[str],
    changed: Set[str],
    removed: Set[str],
) -> list[str]:
    """env-get-outdated: pages made from a record file that changed (or is gone) since
    they were read; see :meth:`DossierDomain.note_inputs`."""
    domain = dossier_domain(env)
    if domain.dataset is None:
        return []
    results = domain.dataset.file_results
    outdated = []
    for docname, files in domain.inputs.items():
        if docname in removed or docname in changed:
            continue
        for path, stamp in files.items():
            found = results.get(path)
            if found is None or found.stamp != stamp:
                outdated.append(docname)
                break
    return outdated


def setup_domain(app: Sphinx) -> None:
    """Register the domain and the dangling-reference reporter."""
    app.add_domain(DossierDomain)
    app.connect("warn-missing-reference", missing_reference_warning)
    app.connect("env-get-outdated", outdated_by_inputs)
