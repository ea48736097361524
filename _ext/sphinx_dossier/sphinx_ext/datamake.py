"""Making the data files' content: the export, TimelineJS, the annotations, the database.

Apart from :mod:`.datafiles` (which plans, stages and places the files, and lists
them on pages) because only the process that makes the files needs the models and
writers this imports: with the data files made in a forked process
(``dossier_background_data_files``), the build's own process never imports them.
"""

from __future__ import annotations

import json
import sqlite3
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_dossier.core.kinds import KINDS
from sphinx_dossier.outputs.annotations import annotations_json
from sphinx_dossier.outputs.export import (
    RecordParts,
    Stamps,
    dataset_schema,
    dumps,
    export_json,
    timeline_json,
)
from sphinx_dossier.outputs.files import (
    ANNOTATIONS_FILE,
    DATABASE_FILE,
    DATASET_FILE,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    METADATA_FILE,
    SCHEMA_FILE,
    TIMELINE_FILE,
)
from sphinx_dossier.outputs.license import content_version, record_version
from sphinx_dossier.outputs.sqlite import (
    SchemaStatements,
    database_from_values,
    database_rows,
    datasette_metadata,
    meta_rows,
    record_rows,
    schema_statements,
    table_values,
)
from sphinx_dossier.sphinx_ext._shared import dossier_domain
from sphinx_dossier.sphinx_ext.cache import BuildCache, JournaledCache
from sphinx_dossier.sphinx_ext.config import license_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import Dataset, LoadedRecord
    from sphinx_dossier.outputs.annotations import Located
    from sphinx_dossier.outputs.export import PageUrls
    from sphinx_dossier.outputs.license import License

__all__ = ["data_file_texts"]


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


PARTS_CACHE_FILE = "dossier-data-parts.pickle"


class _Parts:
    """The per-record parts of every data file, read from and kept in one build cache.

    The parts are kept with the settings they were made with, so a change of
    licence, project title, base URL, corpus or rules makes them again; the code is
    part of every cache key already.
    """

    NAMES = ("export", "versions", "timeline", "annotations")

    def __init__(self, app: Sphinx, dataset: Dataset, urls: PageUrls) -> None:
        self.cache = JournaledCache(app, PARTS_CACHE_FILE, "data files' parts")
        self.scope = repr(
            (
                app.builder.name,
                str(app.config.html_baseurl or ""),
                str(app.config.project),
                repr(license_of(app.config)),
                dataset.check_key,  # the corpus texts and the rules the quotes were checked by
                version("sqlite-utils"),  # which wrote the kept schema statements
            )
        )
        stored = self.cache.load()
        kept: dict[str, Any] = {}
        if isinstance(stored, dict) and stored.get("scope") == self.scope:
            kept = stored
        schema = kept.get("schema")
        self.schema: str | None = schema if isinstance(schema, str) else None
        sql = kept.get("sql")
        #: The database's schema as sqlite-utils writes it (kept: importing sqlite-utils
        #: to make it again costs more than an edit's rows).
        self.sql: SchemaStatements | None = sql if isinstance(sql, tuple) else None
        stamps = Stamps(dataset, urls)
        self.parts: dict[str, RecordParts[Any]] = {
            name: RecordParts(stamps, kept.get(name)) for name in self.NAMES
        }
        #: The exported records' kinds by id, in the export's order (the database's
        #: references to records it does not hold are null).
        self.kinds = {loaded.id: kind for kind in KINDS for loaded in dataset.by_kind(kind)}
        rows = kept.get("rows")
        #: record id -> its database rows by table, from the last build (valid while the
        #: record's export part was kept: the rows are made from it).
        self.rows_before: dict[str, dict[str, list[tuple[Any, ...]]]] = (
            rows if isinstance(rows, dict) and kept.get("kinds") == self.kinds else {}
        )
        self.rows: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
        self.rows_made = 0

    def made(self) -> dict[str, int]:
        """How many parts of each data file this build made (the others were kept)."""
        made = {name: parts.made for name, parts in self.parts.items()}
        made["rows"] = self.rows_made
        return made

    def store(self) -> None:
        value: dict[str, Any] = {name: parts.kept for name, parts in self.parts.items()}
        value.update(
            scope=self.scope, schema=self.schema, sql=self.sql, rows=self.rows, kinds=self.kinds
        )
        self.cache.store(value)


def data_file_texts(app: Sphinx, dataset: Dataset) -> dict[str, str | bytes]:
    """The content of every data file for this build (the database as bytes).

    Each file is made of per-record parts (:class:`~sphinx_dossier.outputs.export.RecordParts`):
    a part whose record, page and looked-up records did not change since the previous
    build is kept, so an edit makes the parts of the records that show the edited one
    and joins the rest. The schema, which only the code decides, is kept too; the
    cache sits beside the environment pickle.
    """
    urls = _urls(app, dataset)
    kept = _Parts(app, dataset, urls)
    license = license_of(app.config)
    project = str(app.config.project)
    parts = kept.parts
    versions = parts["versions"]

    def version_of(loaded: LoadedRecord) -> str:
        return str(versions.get(loaded, lambda record, _ds: record_version(record)))

    version = content_version(dataset, version_of)
    dataset_text, _ = export_json(
        dataset, urls, license=license, parts=parts["export"], versions=version
    )
    if kept.schema is None:
        kept.schema = dumps(dataset_schema())
    texts: dict[str, str | bytes] = {
        DATASET_FILE: dataset_text,
        SCHEMA_FILE: kept.schema,
        TIMELINE_FILE: timeline_json(dataset, urls, parts["timeline"], title=project),
        ANNOTATIONS_FILE: _annotations(app, dataset, urls, parts["annotations"], version),
        METADATA_FILE: dumps(
            datasette_metadata(
                {"content_version": version, "license": _license_data(license)},
                database=Path(DATABASE_FILE).stem,
                title=project,
                source_url=str(app.config.html_baseurl or "") or None,
            )
        ),
        DATABASE_FILE: _database(kept, dataset_text, parts["export"], version, license),
    }
    kept.store()
    made = kept.made()
    domain = dossier_domain(app.env)
    domain.parts_made = made
    return texts


def _license_data(license: License | None) -> dict[str, Any] | None:
    return license.model_dump(mode="json") if license is not None else None


def _database(
    kept: _Parts,
    dataset_text: str,
    export: RecordParts[str],
    version: str,
    license: License | None,
) -> bytes:
    """The SQLite file, from each record's rows (kept while its export part is kept)."""
    from sphinx_dossier._version import __version__

    head = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generator": f"sphinx-dossier {__version__}",
        "content_version": version,
        "license": _license_data(license),
    }
    values = table_values(meta_rows(head))
    if export.kept.keys() != kept.kinds.keys():
        # Some record has no file state to keep its parts by: rows from the whole text.
        values = table_values(database_rows(json.loads(dataset_text)))
    else:
        for record_id in kept.kinds:  # the export's order
            part = export.kept[record_id]
            before = kept.rows_before.get(record_id)
            if before is not None and export.previous.get(record_id) is part:
                rows = before
            else:
                rows = table_values(record_rows(json.loads(part[2]), kept.kinds))
                kept.rows_made += 1
            kept.rows[record_id] = rows
            for name, table in rows.items():
                values[name].extend(table)
    if kept.sql is None:
        kept.sql = schema_statements()
    try:
        return database_from_values(values, kept.sql)
    except sqlite3.Error as error:  # a full disk
        raise OSError(0, str(error), DATABASE_FILE) from error


LOCATED_CACHE_FILE = "dossier-annotations-located.pickle"


def _annotations(
    app: Sphinx, dataset: Dataset, urls: PageUrls, parts: RecordParts[list[str]], version: str
) -> str:
    """The annotations' text, with where each quote is in its text kept between builds (by
    the text's digest and the quote): locating quotes normalised every source text.

    Kept parts look nothing up, so the positions found earlier are kept while no new
    one is needed, and only new ones are added (a fresh build starts the cache over).
    """
    cache = BuildCache(app, LOCATED_CACHE_FILE, "quote positions")
    cached = cache.load()
    earlier: dict[tuple[str, str], Located | None] = cached if isinstance(cached, dict) else {}
    found: dict[tuple[str, str], Located | None] = {}

    class Kept(dict[tuple[str, str], "Located | None"]):
        """Positions found earlier, and those this build finds (kept in ``found``)."""

        def __contains__(self, key: object) -> bool:
            return key in earlier or key in found

        def __getitem__(self, key: tuple[str, str]) -> Located | None:
            return found[key] if key in found else earlier[key]

        def __setitem__(self, key: tuple[str, str], value: Located | None) -> None:
            found[key] = value

    text = annotations_json(
        dataset,
        urls,
        parts,
        license=license_of(app.config),
        label=str(app.config.project),
        located=Kept(),
        version=version,
    )
    if found:
        cache.store({**earlier, **found})
    return text
