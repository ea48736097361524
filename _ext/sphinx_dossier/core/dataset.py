"""A data directory loaded and validated: records by id, every problem, backlinks."""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sphinx_dossier.core.chronology import event_order
from sphinx_dossier.core.corpus import Corpus, CorpusDocument, CorpusReport
from sphinx_dossier.core.diagnostics import Problem, Subtype, sort_problems
from sphinx_dossier.core.evidence import DEFAULT_MAX_QUOTE_WORDS, EvidenceRules, WindowIndex
from sphinx_dossier.core.kinds import DIRECTORY_KINDS, KINDS
from sphinx_dossier.core.model import ID_MAX_LENGTH, Record, RecordKind, is_valid_id
from sphinx_dossier.core.validate import (
    CorpusCheck,
    Watched,
    check_order,
    check_record,
    ids_by_kind,
    validate_record,
)
from sphinx_dossier.core.yamlload import Loc, line_for, load_yaml_bytes, load_yaml_file

__all__ = [
    "DEFAULT_MAX_QUOTE_WORDS",
    "Dataset",
    "LoadedRecord",
    "collector_paused",
    "schema_comment",
]

_SUFFIX = ".yaml"
_SCHEMA_COMMENT_RE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")


R = TypeVar("R", bound=Record)


def schema_comment(kind: RecordKind) -> str:
    """The first line every record file of ``kind`` starts with."""
    return f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many lasting objects are made.

    Loading records, or reading a cache back, makes hundreds of thousands of small
    objects that form no garbage cycles; each collection would walk the growing heap
    for nothing (about 7 % of ``check`` at 5,000 records). Reference counting still
    frees everything as usual, and the collector is resumed (if it was on) however the
    block ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    """A record with its kind, its file and the line of each of its parts."""

    record: Record
    kind: RecordKind
    path: Path
    lines: dict[Loc, int] = field(repr=False, compare=False)
    placeholders: frozenset[Loc] = field(default=frozenset(), repr=False, compare=False)
    """Only for records that failed validation: locations filled with placeholders."""
    lazy_lines: bool = field(default=False, repr=False, compare=False)
    """True while :attr:`lines` has not been filled (see ``Dataset.load(eager_lines=...)``)."""

    @property
    def id(self) -> str:
        """The record id."""
        return self.record.id

    def record_as(self, model: type[R]) -> R:
        """The record as ``model``, for code that knows its kind (``TypeError`` otherwise).

        Kind-specific code asks for the model it expects instead of reading an ``Any``,
        so the type checker checks every field it uses.
        """
        record = self.record
        if not isinstance(record, model):
            raise TypeError(f"record {self.id!r} is a {self.kind}, not a {model.__name__}")
        return record

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (the build's dataset cache) without its line map: that map is a third
        # of the cache, and lines are looked up again from the file, which a cached record
        # is only reused for while it is unchanged, in the rare case one is needed.
        return (LoadedRecord, (self.record, self.kind, self.path, {}, self.placeholders, True))

    def line_of(self, loc: tuple[Any, ...] = ()) -> int:
        """The line in :attr:`path` of the field at ``loc`` (e.g. ``("claims", 0, "text")``)."""
        if self.lazy_lines:
            self.lines.update(load_yaml_file(self.path).lines)
            object.__setattr__(self, "lazy_lines", False)  # a cache, not a change of value
        return line_for(self.lines, loc)


@dataclass(slots=True)
class Dataset:
    """Every record of a data directory and every problem found in it."""

    data_dir: Path
    records: dict[str, LoadedRecord] = field(default_factory=dict)
    """Records that are valid against their model, by id (cross-record problems aside)."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem, in file and line order."""
    files: int = 0
    """How many record files were read."""
    corpus: CorpusReport = field(default_factory=CorpusReport)
    """What the corpus check did."""
    _backlinks: dict[str, list[str]] | None = field(default=None, repr=False)
    checked: dict[str, _Checked] = field(default_factory=dict, repr=False)
    """Each file's checks against the others, with what they depended on (see
    :meth:`load`'s ``reuse``)."""
    check_key: str = field(default="", repr=False)
    """The rules and corpus state :attr:`checked` was made with."""
    corpus_documents: dict[str, CorpusDocument] = field(default_factory=dict, repr=False)
    """The corpus texts read (normalised), kept for a later load with ``reuse=``."""
    rechecked: int = 0
    """How many records the rules across records were run for (the others reused)."""
    reread: int = 0
    """How many files were parsed and validated (the others reused)."""
    file_results: dict[str, FileResult] = field(default_factory=dict, repr=False)
    """Each file's own result by path, with the (mtime, size) it was read at: what a later
    :meth:`load` with ``reuse=`` takes instead of parsing an unchanged file again."""
    phrase_windows: WindowIndex | None = field(default=None, repr=False)
    """Where each window of words of the corpus first occurs (``keep_indexes``): a later
    :meth:`load` with ``reuse=`` looks the edited records' phrases up in it instead of
    reading every corpus text again."""

    @property
    def ok(self) -> bool:
        """True when there is no error (information notes do not count)."""
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]

    def cache_parts(self) -> dict[str, Any]:
        """The dataset as a mapping of per-file and per-id sections (and one tuple of the
        rest), for a cache that stores what changed between builds
        (:meth:`from_cache_parts` makes the dataset again).

        Each valid record is stored once, in its file's result; ``records`` maps ids to
        files. An unchanged entry is the same object as in the dataset it was reused
        from, so a store can tell what changed without comparing records.
        """
        where = {id(result.loaded): path for path, result in self.file_results.items()}
        records = {rid: where.get(id(loaded)) for rid, loaded in self.records.items()}
        if None in records.values():
            raise ValueError("a record without its file's result")
        return {
            "file_results": self.file_results,
            "checked": self.checked,
            "corpus_documents": self.corpus_documents,
            "records": records,
            "backlinks": self._backlinks if self._backlinks is not None else {},
            "windows": {"": self.phrase_windows},
            "rest": (
                self.data_dir,
                self.problems,
                self.files,
                self.corpus,
                self._backlinks is not None,
                self.check_key,
                self.rechecked,
                self.reread,
            ),
        }

    @classmethod
    def from_cache_parts(cls, parts: Mapping[str, Any]) -> Dataset:
        """The dataset :meth:`cache_parts` was made from."""
        files: dict[str, FileResult] = parts["file_results"]
        data_dir, problems, count, corpus, linked, check_key, rechecked, reread = parts["rest"]
        records: dict[str, LoadedRecord] = {}
        for rid, path in parts["records"].items():
            loaded = files[path].loaded
            if loaded is None:
                raise ValueError(f"no record in {path}")
            records[rid] = loaded
        return cls(
            data_dir,
            records=records,
            problems=problems,
            files=count,
            corpus=corpus,
            _backlinks=dict(parts["backlinks"]) if linked else None,
            checked=dict(parts["checked"]),
            check_key=check_key,
            corpus_documents=dict(parts["corpus_documents"]),
            rechecked=rechecked,
            reread=reread,
            file_results=dict(files),
            phrase_windows=parts["windows"].get(""),
        )

    def by_kind(self, kind: str) -> list[LoadedRecord]:
        """Records of ``kind`` (``source``, ``actor``, ``agreement`` or ``event``) sorted by id."""
        return sorted((r for r in self.records.values() if r.kind == kind), key=lambda r: r.id)

    def chronology(self) -> list[LoadedRecord]:
        """Every valid event in story order: by date, then by ``after`` links, then by id.

        The one ordering of events that every list (timeline, lifecycles, actor pages,
        exports) uses; see :func:`sphinx_dossier.core.chronology.event_order`.
        """
        return event_order(self.by_kind("event"))

    def backlinks(self, record_id: str) -> list[str]:
        """Sorted ids of the other records that reference ``record_id``."""
        if self._backlinks is None:
            links: dict[str, set[str]] = {}
            for rid, loaded in self.records.items():
                for target in _targets(loaded):
                    links.setdefault(target, set()).add(rid)
            self._backlinks = {k: sorted(v) for k, v in links.items()}
        return list(self._backlinks.get(record_id, ()))

    def _backlinks_from(self, earlier: Dataset) -> None:
        """Backlinks made from ``earlier``'s (when it had them): only the records whose
        loaded record is not the one ``earlier`` had are looked at again."""
        before = earlier._backlinks
        if before is None:
            return
        changed = [
            rid
            for rid in self.records.keys() | earlier.records.keys()
            if self.records.get(rid) is not earlier.records.get(rid)
        ]
        edits: dict[str, set[str]] = {}
        for rid in changed:
            old, new = earlier.records.get(rid), self.records.get(rid)
            for target in _targets(old) if old is not None else ():
                edits.setdefault(target, set(before.get(target, ()))).discard(rid)
            for target in _targets(new) if new is not None else ():
                edits.setdefault(target, set(before.get(target, ()))).add(rid)
        links = dict(before)
        for target, sources in edits.items():
            if sources:
                links[target] = sorted(sources)
            else:
                links.pop(target, None)
        self._backlinks = links

    def _check_across(
        self,
        candidates: list[LoadedRecord],
        index: dict[str, LoadedRecord],
        broken: dict[str, RecordKind],
        rules: EvidenceRules,
        check: CorpusCheck | None,
        reuse: Dataset | None,
    ) -> list[Problem]:
        """The rules across records and the quote and phrase checks, for each record
        whose file or whose dependencies changed since ``reuse``; the others keep their
        earlier result. A record's dependencies are what its checks looked up (the
        records it cites and references, each by its file's state) and, for the few
        checks that read every id ("did you mean"), the set of ids."""
        corpus_state = (
            None
            if check is None
            else tuple(sorted((k, d.sha256 if d else None) for k, d in check.documents.items()))
        )
        self.check_key = repr((rules, corpus_state))
        old = reuse.checked if reuse is not None and reuse.check_key == self.check_key else {}
        files = self.file_results
        state = {rid: (str(c.path), files[str(c.path)].stamp) for rid, c in index.items()}

        def dep(rid: str) -> object:
            return state.get(rid) or (("broken", broken[rid]) if rid in broken else None)

        all_ids: list[str] = []

        def ids() -> str:
            if not all_ids:
                material = repr((sorted(index), sorted(broken.items())))
                all_ids.append(hashlib.sha256(material.encode()).hexdigest())
            return all_ids[0]

        by_kind = ids_by_kind(index)
        problems: list[Problem] = []
        redone: list[LoadedRecord] = []
        quotes = [0, 0]
        for entry in candidates:
            where = str(entry.path)
            own = files[where].stamp
            prev = old.get(where)
            if (
                prev is not None
                and own is not None
                and prev.stamp == own
                and all(dep(rid) == was for rid, was in prev.deps)
                and (prev.ids is None or prev.ids == ids())
            ):
                self.checked[where] = prev
            else:
                seen: set[str] = set()
                watched, watched_broken = Watched(index, seen), Watched(broken, seen)
                watched_kinds = Watched(by_kind)
                found = check_record(entry, watched, watched_broken, watched_kinds, rules)
                counts = (0, 0)
                if check is not None:
                    quoted, total, verified = check.quotes(entry, watched)
                    found += quoted
                    counts = (total, verified)
                whole = watched.whole or watched_broken.whole or bool(watched_kinds.seen)
                self.checked[where] = _Checked(
                    own,
                    tuple((rid, dep(rid)) for rid in sorted(seen)),
                    ids() if whole or watched_kinds.whole else None,
                    tuple(found),
                    counts,
                )
                redone.append(entry)
            done = self.checked[where]
            problems.extend(done.problems)
            quotes[0] += done.quotes[0]
            quotes[1] += done.quotes[1]
        if check is not None:
            check.report.quotes_total, check.report.quotes_verified = quotes
            for problem in check.paraphrases(redone):
                where = str(problem.path)
                done = self.checked[where]
                self.checked[where] = replace(done, problems=(*done.problems, problem))
                problems.append(problem)
        check_order(candidates, index, problems)
        self.rechecked = len(redone)
        return problems

    def get(self, record_id: str) -> LoadedRecord | None:
        """The record with ``record_id``, if it exists and is valid."""
        return self.records.get(record_id)

    @classmethod
    @collector_paused()
    def load(
        cls,
        data_dir: str | Path,
        *,
        corpus_dir: str | Path | None = None,
        max_quote_words: int = DEFAULT_MAX_QUOTE_WORDS,
        rules: EvidenceRules | None = None,
        eager_lines: bool = True,
        reuse: Dataset | None = None,
        keep_indexes: bool = False,
    ) -> Dataset:
        """Load and validate every record under ``data_dir``.

        ``corpus_dir`` is used as given; pass
        :func:`sphinx_dossier.core.corpus.resolve_corpus_dir` to honour ``DOSSIER_CORPUS``.
        Without a corpus the quote check is skipped and one ``info`` problem says so.
        Never raises for bad data: everything wrong is in :attr:`problems`.

        With ``eager_lines=False`` (the command-line checker) line maps are only built for
        files that have a problem, or on the first :meth:`LoadedRecord.line_of` call.

        ``reuse`` is an earlier result for the same directory, made by the same code: a
        file whose size and modification time are unchanged is not parsed and validated
        again (a file's own checks depend on nothing else). The rules across records and
        the quote and phrase checks run again only for the records whose file, or one of
        the records their checks looked up, changed (:attr:`rechecked` counts them); a
        change of the rules or of a corpus text runs them for all. The order of events
        is checked over all of them (one pass). Corpus texts whose digest is unchanged
        are not normalised again.

        With ``keep_indexes`` (the builds of a site, which load again after each edit),
        the indexes a later load with ``reuse=`` updates instead of making again are
        made now: the windows of words of the corpus
        (:class:`~sphinx_dossier.core.evidence.WindowIndex`, kept in
        :attr:`phrase_windows`), so that the phrases of the records checked again are
        looked up without reading every corpus text (an index made of other texts or
        another window size is not used), and the backlinks, of which only those to and
        from the records read again are redone.
        """
        data_dir = Path(data_dir)
        ds = cls(data_dir)
        problems: list[Problem] = []
        if not data_dir.is_dir():
            problems.append(
                Problem(data_dir, None, Subtype.IO, "data directory not found or not a directory")
            )
            ds.problems = problems
            return ds
        files = _record_files(data_dir, problems)
        ds.files = len(files)
        if not files and not problems:
            problems.append(
                Problem(
                    data_dir,
                    None,
                    Subtype.NO_RECORDS,
                    "no record files here: records go in"
                    f" {', '.join(sorted(DIRECTORY_KINDS))}/<id>.yaml; is this the data directory?",
                    severity="warning",
                )
            )

        candidates: list[LoadedRecord] = []  # model-valid or repaired, for cross-record rules
        broken: dict[str, RecordKind] = {}
        first_seen: dict[str, Path] = {}
        previous = reuse.file_results if reuse is not None else {}
        results: list[tuple[Path, FileResult]] = []
        for kind, path in files:
            result = _reused(previous.get(str(path)), path, kind, eager_lines)
            if result is None:
                stamp = _stamp(path)
                result = FileResult(stamp, kind, eager_lines, *_load_file(kind, path, eager_lines))
                ds.reread += 1
            ds.file_results[str(path)] = result
            results.append((path, result))
        # An id belongs to the file named after it (Northland.yaml and northland.yaml
        # both saying 'northland': the duplicate is Northland.yaml), else to the first.
        for path, result in results:
            if result.loaded is not None and result.loaded.record.id == path.stem:
                first_seen.setdefault(path.stem, path)
        for path, result in results:
            kind = result.kind
            loaded, valid, file_problems = result.loaded, result.valid, result.problems
            problems.extend(file_problems)
            rid = loaded.record.id if loaded is not None else path.stem
            owner = first_seen.setdefault(rid, path)
            if owner != path and loaded is not None:
                problems.append(
                    Problem(
                        path,
                        loaded.line_of(("id",)),
                        Subtype.DUPLICATE_ID,
                        f"id '{rid}' is already used by {owner}:"
                        " ids must be unique across all kinds",
                    )
                )
                continue
            if not valid:
                # References to a file that has its own error are not reported again.
                broken.setdefault(rid, kind)
                broken.setdefault(path.stem, kind)
            if loaded is None:
                continue
            candidates.append(loaded)
            if valid:
                ds.records[rid] = loaded

        index = {c.id: c for c in candidates}
        if rules is None:
            rules = EvidenceRules(max_quote_words=max_quote_words)
        check: CorpusCheck | None = None
        if corpus_dir is None:
            problems.append(
                Problem(
                    data_dir,
                    None,
                    Subtype.CORPUS_SKIPPED,
                    "corpus check skipped: no corpus configured (set DOSSIER_CORPUS or"
                    " dossier_corpus_dir, or pass --corpus) so quotes were not verified",
                    severity="info",
                )
            )
        elif not Path(corpus_dir).is_dir():
            problems.append(
                Problem(
                    Path(corpus_dir),
                    None,
                    Subtype.CORPUS,
                    "corpus directory not found: quotes cannot be verified",
                )
            )
        else:
            known = reuse.corpus_documents if reuse is not None else None
            check = CorpusCheck(Corpus(Path(corpus_dir), known=known), rules)
            check.windows = reuse.phrase_windows if reuse is not None else None
            check.index_windows = keep_indexes
            problems.extend(check.sources(candidates))
        problems.extend(ds._check_across(candidates, index, broken, rules, check, reuse))
        if check is not None:
            ds.corpus = check.report
            ds.corpus_documents = check.corpus.documents()
            ds.phrase_windows = check.windows
        ds.problems = sort_problems(problems)
        if keep_indexes:
            if reuse is not None:
                ds._backlinks_from(reuse)
            ds.backlinks("")  # made now if it could not be made from reuse's
        return ds


def _targets(loaded: LoadedRecord) -> set[str]:
    """The other records ``loaded`` references."""
    rid = loaded.record.id
    return {target for _loc, target, _kind in loaded.record.references() if target != rid}


def _record_files(data_dir: Path, problems: list[Problem]) -> list[tuple[RecordKind, Path]]:
    files: list[tuple[RecordKind, Path]] = []
    kind_dirs = set(DIRECTORY_KINDS)
    for entry in _listing(data_dir, problems):
        if entry.name.startswith(".") or entry.name.startswith("_"):
            continue
        if entry.is_dir() and entry.name in kind_dirs:
            continue
        if entry.is_dir() or entry.suffix.lower() in (".yaml", ".yml"):
            problems.append(
                Problem(
                    entry,
                    None,
                    Subtype.LAYOUT,
                    f"not a record location: records go in {', '.join(sorted(kind_dirs))}/",
                )
            )
    for dirname, kind in sorted(DIRECTORY_KINDS.items(), key=lambda kv: KINDS.index(kv[1])):
        directory = data_dir / dirname
        if not directory.is_dir():
            continue
        for item in _entries(directory, problems):
            if item.name.startswith("."):
                continue
            # DirEntry answers from the directory listing: no stat per file.
            path = Path(item.path)
            if item.is_symlink():
                # Dangling, looping or leading outside data/: checker and build would
                # each see something else; a record is a file of its own.
                problems.append(
                    Problem(
                        path,
                        None,
                        Subtype.LAYOUT,
                        "not read: a symbolic link; records are regular files directly in"
                        f" {dirname}/ (copy the record here)",
                    )
                )
            elif path.suffix == _SUFFIX and item.is_file(follow_symlinks=False):
                files.append((kind, path))
            elif path.suffix.lower() in (".yaml", ".yml") or item.is_dir(follow_symlinks=False):
                problems.append(
                    Problem(
                        path,
                        None,
                        Subtype.LAYOUT,
                        f"not read: records are single '{_SUFFIX}' files (in lower case)"
                        f" directly in {dirname}/",
                    )
                )
    return files


def _entries(directory: Path, problems: list[Problem]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        problems.append(
            Problem(directory, None, Subtype.IO, f"cannot list directory: {exc.strerror}")
        )
        return []


def _listing(directory: Path, problems: list[Problem]) -> list[Path]:
    try:
        return sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        problems.append(
            Problem(directory, None, Subtype.IO, f"cannot list directory: {exc.strerror}")
        )
        return []


@dataclass(frozen=True, slots=True)
class FileResult:
    """What reading one record file gave, and the state of the file it was read from."""

    stamp: tuple[int, int, int] | None
    kind: RecordKind
    eager_lines: bool
    loaded: LoadedRecord | None
    valid: bool
    problems: list[Problem]

    def __reduce__(self) -> tuple[Any, ...]:
        # Positional: the dataclass default for frozen slots classes looks the fields up
        # per object, which was a third of reading a 5,000-record cache back.
        return (FileResult, (self.stamp, self.kind, self.eager_lines, self.loaded, self.valid,
                             self.problems))  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Checked:
    """One record's checks against the others (and its quotes), and what they read."""

    stamp: tuple[int, int, int] | None
    """The state of the record's own file."""
    deps: tuple[tuple[str, object], ...]
    """Each id its checks looked up, with the state of the file that held it then."""
    ids: str | None
    """A digest of every id, when a check read them all; else None."""
    problems: tuple[Problem, ...]
    quotes: tuple[int, int]
    """Quotes with a readable document, and how many of them were found."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Checked, (self.stamp, self.deps, self.ids, self.problems, self.quotes))


def _stamp(path: Path) -> tuple[int, int, int] | None:
    # Taken before reading: a file changed while it is read gets a newer stamp next time.
    # The change time too: tools can restore a modification time, never a change time.
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size


def _reused(
    previous: FileResult | None, path: Path, kind: RecordKind, eager_lines: bool
) -> FileResult | None:
    if previous is None or previous.stamp is None or previous.kind != kind:
        return None
    if previous.eager_lines != eager_lines or _stamp(path) != previous.stamp:
        return None
    return previous


def _load_file(
    kind: RecordKind, path: Path, eager_lines: bool = True
) -> tuple[LoadedRecord | None, bool, list[Problem]]:
    """The record (valid or repaired), whether it is valid, and the file's problems."""
    doc = load_yaml_file(path, track_lines=eager_lines)
    if not doc.tracked and doc.problems:
        doc = load_yaml_file(path)  # the messages may quote other lines

    def lines() -> dict[Loc, int]:
        # Line maps are built only when a problem needs a line.
        if not doc.tracked:
            doc.lines.update(load_yaml_bytes(doc.text.encode("utf-8"), path).lines)
            doc.tracked = True
        return doc.lines

    problems = list(doc.problems)
    if doc.text:
        problems.extend(_check_schema_comment(kind, path, doc.text))
    if doc.data is None and not doc.ok:
        return None, False, problems
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(
                path,
                doc.line_of(()),
                Subtype.NOT_MAPPING,
                f"the file must hold one {kind} record as a mapping (key: value lines),"
                f" not {_describe(doc.data)}",
            )
        )
        return None, False, problems
    problems.extend(_check_id(doc.data, path, lines))
    result = validate_record(kind, doc.data, lines, path, dropped=doc.dropped)
    problems.extend(result.problems)
    record = result.record or result.repaired
    if record is None:
        return None, False, problems
    # A missing schema comment only costs editor support: the record is still usable.
    valid = result.record is not None and not any(
        p.is_error and p.subtype != Subtype.SCHEMA_COMMENT for p in problems
    )
    loaded = LoadedRecord(
        record, kind, path, doc.lines, result.placeholders, lazy_lines=not doc.tracked
    )
    return loaded, valid, problems


def _check_schema_comment(kind: RecordKind, path: Path, text: str) -> Iterable[Problem]:
    # Any line ending (CR alone too, as YAML allows); a second byte order mark is
    # reported by the loader, not as a missing header.
    first = (text.splitlines() or [""])[0].lstrip("\ufeff")
    match = _SCHEMA_COMMENT_RE.match(first)
    expected = f"{kind}.schema.json"
    if match is None or not match[1].endswith(expected):
        yield Problem(
            path,
            1,
            Subtype.SCHEMA_COMMENT,
            f"the first line must be '{schema_comment(kind)}' so editors can check the record",
        )


def _check_id(
    data: dict[str, Any], path: Path, lines: Callable[[], dict[Loc, int]]
) -> Iterable[Problem]:
    rid = data.get("id")
    if isinstance(rid, str) and is_valid_id(rid) and rid != path.stem:
        yield Problem(
            path,
            line_for(lines(), ("id",)),
            Subtype.ID_MISMATCH,
            f"id '{rid}' differs from the file name '{path.name}': rename the file to"
            f" '{rid}{_SUFFIX}' or change the id",
        )
    if not is_valid_id(path.stem) and "id" in data:
        fix = (
            f"an id has at most {ID_MAX_LENGTH} characters; shorten it"
            if len(path.stem) > ID_MAX_LENGTH and is_valid_id(path.stem[:ID_MAX_LENGTH])
            else "use lowercase letters, digits and single hyphens"
        )
        yield Problem(
            path,
            line_for(lines(), ("id",)),
            Subtype.ID,
            f"file name '{path.name}' is not a valid id: {fix}",
        )


def _describe(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a line of text"
    if value is None:
        return "null"
    return f"a single value ({value!r})"
