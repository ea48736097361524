"""Sphinx glue for the data files: writes the export into ``_static/dossier/`` and links it.

At ``build-finished`` the HTML builders get ``dataset.json``, the JSON Schema it
conforms to (``dataset.schema.json``) and ``timeline.json`` (TimelineJS). Files
are rewritten only when their bytes change. The ``dossier:data-files`` directive
lists them with links that are correct from any page.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from sphinx_dossier.core.fsio import atomic_write
from sphinx_dossier.outputs.annotations import ANNOTATIONS_FILE, build_annotations
from sphinx_dossier.outputs.export import (
    DATASET_FILE,
    EXPORT_VERSION,
    SCHEMA_FILE,
    TIMELINE_FILE,
    CachedRecord,
    build_timeline,
    dataset_schema,
    dumps,
    export_json,
)
from sphinx_dossier.outputs.sqlite import (
    DATABASE_FILE,
    METADATA_FILE,
    database_bytes,
    datasette_metadata,
)
from sphinx_dossier.sphinx_ext._shared import dossier_domain, logger, write_warning
from sphinx_dossier.sphinx_ext.buildctx import is_epub
from sphinx_dossier.sphinx_ext.cache import BuildCache
from sphinx_dossier.sphinx_ext.config import license_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import Dataset
    from sphinx_dossier.outputs.annotations import Located
    from sphinx_dossier.outputs.export import PageUrls
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


def _urls(app: Sphinx, dataset: Dataset) -> PageUrls:
    domain = dossier_domain(app.env)
    base = str(app.config.html_baseurl or "").rstrip("/")
    builder = app.builder

    known: dict[str, str | None] = {}  # every record is looked up ~10 times per export

    def url(record_id: str) -> str | None:
        if record_id in known:
            return known[record_id]
        entry = domain.records.get(record_id)
        if entry is None or record_id not in dataset.records:
            found = None
        else:
            uri = builder.get_target_uri(entry.docname)
            found = f"{base}/{uri}" if base else uri
        known[record_id] = found
        return found

    return url


RECORD_CACHE_FILE = "dossier-export-records.pickle"


def _export_cache(app: Sphinx) -> BuildCache:
    """Each record's JSON with what it looked up, and the JSON Schema (code-only)."""
    return BuildCache(app, RECORD_CACHE_FILE, "export")


def data_file_texts(app: Sphinx, dataset: Dataset) -> dict[str, str]:
    """The text of every data file for this build.

    Records whose inputs did not change since the previous build keep their JSON
    (see :func:`sphinx_dossier.outputs.export.export_json`), and the schema, which only the
    code decides, is kept too; the cache sits beside the environment pickle.
    """
    urls = _urls(app, dataset)
    cache = _export_cache(app)
    cached = cache.load()
    previous: dict[str, CachedRecord] = {}
    schema: str | None = None
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], dict):
        previous = cached[0]
        schema = cached[1] if isinstance(cached[1], str) else None
    dataset_text, records = export_json(dataset, urls, previous, license=license_of(app.config))
    if schema is None:
        schema = dumps(dataset_schema())
    cache.store((records, schema))
    return {
        DATASET_FILE: dataset_text,
        SCHEMA_FILE: schema,
        TIMELINE_FILE: dumps(
            build_timeline(dataset, urls, title=str(app.config.project)), compact=True
        ),
        ANNOTATIONS_FILE: dumps(_annotations(app, dataset, urls), compact=True),
        METADATA_FILE: dumps(
            datasette_metadata(
                json.loads(dataset_text),
                database=Path(DATABASE_FILE).stem,
                title=str(app.config.project),
                source_url=str(app.config.html_baseurl or "") or None,
            )
        ),
    }


LOCATED_CACHE_FILE = "dossier-annotations-located.pickle"


def _annotations(app: Sphinx, dataset: Dataset, urls: PageUrls) -> dict[str, Any]:
    """The annotations, with where each quote is in its text kept between builds (by the
    text's digest and the quote): locating quotes normalised every source text."""
    cache = BuildCache(app, LOCATED_CACHE_FILE, "quote positions")
    cached = cache.load()
    earlier: dict[tuple[str, str], Located | None] = cached if isinstance(cached, dict) else {}
    located: dict[tuple[str, str], Located | None] = {}

    class Kept(dict[tuple[str, str], "Located | None"]):
        """What this build looks up: found in ``earlier`` or computed, kept in ``located``."""

        def __contains__(self, key: object) -> bool:
            if isinstance(key, tuple) and key in earlier:
                located[key] = earlier[key]
            return key in located

        def __getitem__(self, key: tuple[str, str]) -> Located | None:
            return located[key]

        def __setitem__(self, key: tuple[str, str], value: Located | None) -> None:
            located[key] = value

    collection = build_annotations(
        dataset,
        urls,
        license=license_of(app.config),
        label=str(app.config.project),
        located=Kept(),
    )
    if located != earlier:
        cache.store(located)  # only what this build used: edited quotes do not pile up
    return collection


def _write_database(folder: Path, dataset_text: str) -> bool:
    """Write the SQLite database of the export beside it; False when its bytes are as before."""
    target = folder / DATABASE_FILE
    try:
        data = database_bytes(json.loads(dataset_text))
    except sqlite3.Error as error:  # a full disk
        raise OSError(0, str(error), str(target)) from error
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(target, data)
    return True


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


def write_data_files(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: write the data files of an HTML build (only changed bytes)."""
    if exception is not None or app.builder.format != "html" or is_epub(app.builder):
        return
    domain = dossier_domain(app.env)
    dataset = domain.dataset
    if dataset is None:
        return
    folder = Path(app.builder.outdir) / DATA_DIR
    stamp = BuildCache(app, KEY_FILE, "data files' inputs")
    key = _inputs_key(app, domain) if domain.dataset_key else ""
    files_present = all((folder / name).is_file() for name, _ in DATA_FILES)
    if key and files_present and stamp.load() == key:
        logger.info("dossier: data files in %s are current", DATA_DIR)
        return
    written = 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
        texts = data_file_texts(app, dataset)
        written += _write_database(folder, texts[DATASET_FILE])
        for name, text in texts.items():
            path = folder / name
            try:
                if path.read_text(encoding="utf-8") == text:
                    continue
            except OSError:
                pass
            atomic_write(path, text)
            written += 1
    except OSError as error:
        stamp.forget()  # the next build must try again
        where = Path(error.filename) if error.filename else folder
        write_warning(where, error, "free some space or make the output folder writable")
        return
    if key:
        stamp.store(key)
    logger.info("dossier: data files in %s (%d written)", DATA_DIR, written)


def setup_export(app: Sphinx) -> None:
    """Register the data-files directive and the writer of the data files."""
    app.add_node(data_files)
    app.add_directive_to_domain("dossier", "data-files", DataFilesDirective)
    app.connect("doctree-resolved", resolve_data_files)
    app.connect("build-finished", write_data_files)
