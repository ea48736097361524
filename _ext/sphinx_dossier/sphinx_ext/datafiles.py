"""Sphinx glue for the data files: writes the export into ``_static/dossier/`` and links it.

What the files hold is made by :mod:`.datamake`; this module decides whether they
must be made, makes them beside the page writing (:mod:`.forked`), and places them.

At ``build-finished`` the HTML builders get ``dataset.json``, the JSON Schema it
conforms to (``dataset.schema.json``) and ``timeline.json`` (TimelineJS). Files
are rewritten only when their bytes change. The ``dossier:data-files`` directive
lists them with links that are correct from any page.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from sphinx_dossier.core.fsio import Staged, discard_stale
from sphinx_dossier.outputs.files import (
    ANNOTATIONS_FILE,
    DATABASE_FILE,
    DATASET_FILE,
    EXPORT_VERSION,
    METADATA_FILE,
    SCHEMA_FILE,
    TIMELINE_FILE,
)
from sphinx_dossier.sphinx_ext._shared import dossier_domain, logger, write_warning
from sphinx_dossier.sphinx_ext.buildctx import is_epub
from sphinx_dossier.sphinx_ext.cache import BuildCache
from sphinx_dossier.sphinx_ext.config import license_of
from sphinx_dossier.sphinx_ext.forked import Forked, start

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinx_dossier.sphinx_ext.domain import DossierDomain


#: Where the data files go, relative to the output directory.
DATA_DIR = "_static/dossier"

#: Beside Sphinx's environment: the inputs the data files were last written from.
KEY_FILE = "dossier-data-files.pickle"

#: File name and description of every data file, in the order they are listed.
DATA_FILES: tuple[tuple[str, str], ...] = (
    (
        DATASET_FILE,
        f"every record, claim and citation, with resolved references and page URLs"
        f" (JSON, format version {EXPORT_VERSION})",
    ),
    (SCHEMA_FILE, "the JSON Schema that dataset.json conforms to"),
    (TIMELINE_FILE, "every event in the TimelineJS JSON format, for newsroom timeline tools"),
    (
        ANNOTATIONS_FILE,
        "every citation as a W3C Web Annotation: the claim on the quote it cites, with the"
        " quote's position in the source text and that text's SHA-256",
    ),
    (
        DATABASE_FILE,
        "the same data as a SQLite database (tables with foreign keys, full-text search over"
        " claims and quotes), for SQL and Datasette",
    ),
    (
        METADATA_FILE,
        f"Datasette metadata for {DATABASE_FILE}: descriptions, licence, example queries",
    ),
)


class data_files(nodes.General, nodes.Element):  # type: ignore[misc]
    """Placeholder for the list of data files, resolved when the page's URL is known."""


class DataFilesDirective(SphinxDirective):
    """``dossier:data-files``: a list of links to the data files of the built site."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        node = data_files()
        self.set_source_info(node)
        return [node]


def resolve_data_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: turn placeholders into links relative to the page being written."""
    # An EPUB is a package without the data files: name them, link nothing.
    html = app.builder.format == "html" and not is_epub(app.builder)
    here = app.builder.get_target_uri(docname) if html else ""
    for node in list(doctree.findall(data_files)):
        items = nodes.bullet_list(classes=["dossier-data-files"])
        for name, description in DATA_FILES:
            label = nodes.literal(name, name)
            if html:
                ref: nodes.Node = nodes.reference(
                    "", "", label, refuri=relative_uri(here, f"{DATA_DIR}/{name}"), internal=False
                )
            else:
                ref = label
            items += nodes.list_item(
                "", nodes.paragraph("", "", ref, nodes.Text(f": {description}"))
            )
        node.replace_self(items)


def _inputs_key(app: Sphinx, domain: DossierDomain) -> str:
    """A digest of everything the data files are made of.

    That is the dataset's input files (the loader's fingerprint, which covers the
    extension's own modules too), the page of every record, and the settings that
    go into URLs and titles. Unchanged, it lets a rebuild skip the export entirely:
    serialising every record was most of an edit rebuild's time at 1,000 records.
    """
    pages = sorted((record_id, entry.docname) for record_id, entry in domain.records.items())
    settings = (
        app.builder.name,
        str(app.config.html_baseurl or ""),
        str(app.config.project),
        repr(license_of(app.config)),
    )
    material = repr((EXPORT_VERSION, domain.dataset_key, settings, pages))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Plan:
    """Where this build's data files go, and the key they are written for."""

    folder: Path
    stamp: BuildCache
    key: str  # "" when the inputs have no key: always written
    current: bool  # the files there were written for this key: nothing to do


@dataclass(frozen=True)
class _Written:
    """What writing the data files did: files written and parts made, or the error."""

    written: int = 0
    made: Mapping[str, int] = field(default_factory=dict)
    error: OSError | None = None


def _plan(app: Sphinx) -> _Plan | None:
    """The data files of this build, or None: not an HTML build, or no dataset."""
    if app.builder.format != "html" or is_epub(app.builder):
        return None
    domain = dossier_domain(app.env)
    if domain.dataset is None:
        return None
    folder = Path(app.builder.outdir) / DATA_DIR
    stamp = BuildCache(app, KEY_FILE, "data files' inputs")
    key = _inputs_key(app, domain) if domain.dataset_key else ""
    files_present = all((folder / name).is_file() for name, _ in DATA_FILES)
    return _Plan(folder, stamp, key, bool(key and files_present and stamp.load() == key))


def _make(app: Sphinx) -> tuple[dict[str, str | bytes], Mapping[str, int]] | OSError:
    """Every data file's content and the parts made for it, or the error that stopped it."""
    # Here, not at the top: in a forked process the build's own never imports the models
    # and writers (a tenth of its imports, for files it does not make).
    from sphinx_dossier.sphinx_ext.datamake import data_file_texts

    domain = dossier_domain(app.env)
    assert domain.dataset is not None  # _plan said so
    try:
        texts = data_file_texts(app, domain.dataset)
    except OSError as error:  # the database on a full disk
        return error
    return texts, dict(domain.parts_made)


@dataclass(frozen=True)
class _Staged:
    """The changed data files, staged beside their places; or the error that stopped it."""

    files: list[Staged]
    made: Mapping[str, int]
    error: OSError | None = None

    def discard(self) -> None:
        for staged in self.files:
            staged.discard()


def _stage(
    plan: _Plan, made: tuple[dict[str, str | bytes], Mapping[str, int]] | OSError
) -> _Staged:
    """Write each file whose bytes changed to a temporary file beside it.

    In a forked process this is done while the pages are written; the build's word
    then only renames them (:func:`_place`) or removes them (a failed build).
    """
    if isinstance(made, OSError):
        return _Staged([], {}, made)
    texts, parts = made
    files: list[Staged] = []
    try:
        plan.folder.mkdir(parents=True, exist_ok=True)
        for name, content in texts.items():
            path = plan.folder / name
            discard_stale(path)  # what a build killed between staging and placing left
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                if path.stat().st_size == len(data) and path.read_bytes() == data:
                    continue
            except OSError:
                pass
            files.append(Staged(path, data))
    except OSError as error:
        _Staged(files, parts).discard()
        return _Staged([], parts, error)
    return _Staged(files, parts)


def _place(plan: _Plan, staged: _Staged) -> _Written:
    """Put the staged files in their places, and keep the key they were written for."""
    written = 0
    error = staged.error
    if error is None:
        try:
            for file in staged.files:
                file.place()
                written += 1
        except OSError as failed:
            staged.discard()
            error = failed
    if error is not None:
        plan.stamp.forget()  # the next build must try again
        return _Written(written, staged.made, error)
    if plan.key:
        plan.stamp.store(plan.key)
    return _Written(written, staged.made)


def _report(app: Sphinx, plan: _Plan, done: _Written, where: str = "") -> None:
    dossier_domain(app.env).parts_made = MappingProxyType(dict(done.made))
    if done.error is not None:
        error = done.error
        path = Path(error.filename) if error.filename else plan.folder
        write_warning(path, error, "free some space or make the output folder writable")
        return
    logger.info("dossier: data files in %s (%d written%s)", DATA_DIR, done.written, where)


#: The data files being made in a forked process, by build (see :func:`start_data_files`).
_FORKED: weakref.WeakKeyDictionary[Sphinx, tuple[_Plan, Forked[_Written]]] = (
    weakref.WeakKeyDictionary()
)


def start_data_files(app: Sphinx, builder: Builder) -> None:
    """write-started (last): start making the data files in a forked process.

    Everything they are made of is settled before the pages are written: the records,
    their pages and the settings. The child makes them while this process writes the
    pages, on the core a ``-j 1`` build leaves idle, and writes them when
    :func:`write_data_files` says the build succeeded. Forking after the environment
    is pickled spares this process the copies of the memory pages that pickling would
    touch (at 1,000 records, forking at ``env-updated`` slowed the pickling and the
    writing by about 0.1 s). The child also writes the files to temporary files beside
    them before it is told to go, so that the build waits for renames only. Where it
    cannot fork (:func:`~sphinx_dossier.sphinx_ext.forked.fork_refused`), or with
    ``dossier_background_data_files = False``, they are made at the end of the build.
    """
    stale = _FORKED.pop(app, None)
    if stale is not None:  # an earlier build of this app stopped before build-finished
        stale[1].finish(go=False)
    if not app.config.dossier_background_data_files:
        return
    plan = _plan(app)
    if plan is None or plan.current:
        return
    job = start(
        lambda: _stage(plan, _make(app)),
        lambda staged: _place(plan, staged),
        lambda staged: staged.discard(),
    )
    if job is not None:
        _FORKED[app] = (plan, job)


def write_data_files(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: write the data files of an HTML build (only changed bytes).

    When :func:`start_data_files` made them in a forked process, it is told to write
    them (or, the build having failed, not to); if it failed, they are made here.
    """
    forked = _FORKED.pop(app, None)
    if forked is not None:
        started, job = forked
        finished = job.finish(go=exception is None)
        if exception is not None:
            return
        if finished.ok and finished.value is not None:
            _report(app, started, finished.value, ", in a second process")
            return
        logger.verbose(
            "dossier: the data files' process failed (%s); writing them here", finished.reason
        )
    if exception is not None:
        return
    plan = _plan(app)
    if plan is None:
        return
    if plan.current:
        logger.info("dossier: data files in %s are current", DATA_DIR)
        return
    _report(app, plan, _place(plan, _stage(plan, _make(app))))


def setup_export(app: Sphinx) -> None:
    """Register the data-files directive and the writer of the data files."""
    app.add_node(data_files)
    app.add_directive_to_domain("dossier", "data-files", DataFilesDirective)
    app.connect("doctree-resolved", resolve_data_files)
    app.connect("write-started", start_data_files, priority=990)
    app.connect("build-finished", write_data_files)
