"""The dataset as a SQLite database (``dossier.db``) with Datasette metadata.

The database is made from the JSON export (:mod:`sphinx_dossier.outputs.export`), so
both always hold the same records: one table per record kind (``sources``,
``actors``, ``agreements``, ``events``) under a ``records`` table of every record,
``claims`` and ``citations``, the actors' ``roles``, the many-to-many links
(``agreement_parties``, ``event_actors``, ``event_agreements``, ``event_after``),
every resolved reference between records (``links``), and a ``meta`` table (format,
content version, licence). Foreign keys are declared; a reference to a record the
export does not hold is null. Claim text and quotes have full-text indexes (FTS5).

sqlite-utils writes the schema: it creates tables with their foreign keys, and
builds full-text indexes, in a few calls (recorded once, then replayed around the
rows: :func:`schema_statements`). Column descriptions come from the
docstrings of the record and export models, so the Datasette metadata cannot drift
from the schema. Rows are inserted in a fixed order with no timestamps, so the same
export gives the same database (the same ``.dump``, and in practice the same bytes).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from sphinx_dossier.core.fsio import atomic_write
from sphinx_dossier.outputs.files import DATABASE_FILE, METADATA_FILE

__all__ = [
    "DATABASE_FILE",
    "EXAMPLE_QUERIES",
    "METADATA_FILE",
    "TABLES",
    "ExampleQuery",
    "database_bytes",
    "database_from_values",
    "database_rows",
    "datasette_metadata",
    "dump",
    "meta_rows",
    "record_rows",
    "schema_statements",
    "table_values",
    "write_database",
]


class ExampleQuery:
    """A query the docs show, Datasette offers as a canned query, and the tests run."""

    def __init__(self, name: str, title: str, description: str, sql: str) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.sql = sql


#: The three example queries of the docs (``docs/reuse.md``).
EXAMPLE_QUERIES: Final = (
    ExampleQuery(
        "claims-from-the-korea-times-naming-kono",
        "Claims that cite the Korea Times and mention Kono",
        "Full-text search over claims, joined to the sources their citations name.",
        """\
select claims.id, claims.plain_text, citations.quote, sources.title as source
from claims_fts
join claims on claims.rowid = claims_fts.rowid
join citations on citations.claim = claims.id
join sources on sources.id = citations.source
where claims_fts match 'Kono'
  and (sources.publisher like '%Korea Times%' or sources.via like '%Korea Times%')
order by claims.id, citations.number""",
    ),
    ExampleQuery(
        "citations-per-source",
        "How often each source is cited",
        "Citations and the claims and records they back, per source.",
        """\
select sources.id, sources.title, count(*) as citations,
  count(distinct citations.claim) as claims, count(distinct citations.record) as records
from sources
join citations on citations.source = sources.id
group by sources.id
order by citations desc, sources.id""",
    ),
    ExampleQuery(
        "events-with-an-actor",
        "Events an actor took part in, in date order",
        "The events that name an actor (here Japan), with date and status.",
        """\
select events.date, events.id, events.title, events.status
from event_actors
join events on events.id = event_actors.event
where event_actors.actor = 'japan'
order by events.date, events.id""",
    ),
)


def _date(value: Any) -> tuple[str | None, str | None]:
    """A date of the export (``"2016-11"`` or ``{value, basis}``) as (ISO text, basis)."""
    if value is None:
        return None, None
    if isinstance(value, dict):
        return str(value["value"]), str(value.get("basis", "stated"))
    return str(value), "stated"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def database_rows(export: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table, from the export's JSON data, in insertion order."""
    records = export["records"]
    kinds = {r["id"]: r["kind"] for r in records}
    tables = meta_rows(export)
    for record in records:
        for name, rows in record_rows(record, kinds).items():
            tables[name].extend(rows)
    return tables


def meta_rows(export: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every table, empty but for the ``meta`` rows of the export's head."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    license = export.get("license") or {}
    for key, value in (
        ("format", export["format"]),
        ("format_version", str(export["version"])),
        ("generator", export["generator"]),
        ("content_version", export["content_version"]),
        ("license_id", license.get("id")),
        ("license_name", license.get("name")),
        ("license_url", license.get("url")),
    ):
        tables["meta"].append({"key": key, "value": value})
    return tables


def record_rows(
    record: dict[str, Any], kinds: Mapping[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """One exported record's rows, by table; ``kinds`` is every exported record's kind by id
    (a reference to a record the export does not hold is null)."""

    def known(target: str | None, kind: str) -> str | None:
        return target if target is not None and kinds.get(target) == kind else None

    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rid, data = record["id"], record["data"]
    tables["records"].append(
        {
            "id": rid,
            "kind": record["kind"],
            "title": record["title"],
            "url": record["url"],
            "file": record["file"],
            "version": record["version"],
        }
    )
    kind = record["kind"]
    if kind == "source":
        publisher = data["publisher"]
        tables["sources"].append(
            {
                "id": rid,
                "title": data["title"],
                "publisher": publisher["name"],
                "publisher_basis": publisher["basis"],
                "via": data.get("via"),
                "author": data.get("author"),
                "published": _date(data.get("published"))[0],
                "published_basis": _date(data.get("published"))[1],
                "url": data.get("url"),
                "document": data["document"],
                "sha256": data["sha256"],
            }
        )
    elif kind == "actor":
        tables["actors"].append(
            {
                "id": rid,
                "name": data["name"],
                "kind": data["kind"],
                "parent": known(data.get("parent"), "actor"),
                "aliases": _json(data.get("aliases", [])),
            }
        )
        for number, role in enumerate(data.get("roles", []), start=1):
            tables["roles"].append(
                {
                    "id": f"{rid}#role-{number}",
                    "actor": rid,
                    "title": role["title"],
                    "organization": known(role.get("organization"), "actor"),
                    "observed": _date(role["observed"])[0],
                    "claims": _json(role["claims"]),
                }
            )
    elif kind == "agreement":
        tables["agreements"].append(
            {
                "id": rid,
                "name": data["name"],
                "short_name": data.get("short_name"),
                "kind": data["kind"],
            }
        )
        for party in dict.fromkeys(data["parties"]):
            if known(party, "actor"):
                tables["agreement_parties"].append({"agreement": rid, "actor": party})
    elif kind == "event":
        tables["events"].append(
            {
                "id": rid,
                "title": data["title"],
                "date": _date(data["date"])[0],
                "date_basis": _date(data["date"])[1],
                "until": _date(data.get("until"))[0],
                "status": data["status"],
                "location": data.get("location"),
            }
        )
        for field, table, target_kind in (
            ("actors", "event_actors", "actor"),
            ("agreements", "event_agreements", "agreement"),
            ("after", "event_after", "event"),
        ):
            column = "after" if field == "after" else target_kind
            for target in dict.fromkeys(data.get(field, [])):
                if known(target, target_kind):
                    tables[table].append({"event": rid, column: target})
    for claim in record["claims"]:
        tables["claims"].append(
            {
                "id": claim["id"],
                "record": rid,
                "claim_id": claim["claim_id"],
                "plain_text": claim["plain_text"],
                "text": claim["text"],
                "supports": _json(claim["supports"]),
                "disputed": claim["disputed"],
                "url": claim["url"],
            }
        )
        for cite in claim["citations"]:
            tables["citations"].append(
                {
                    "id": cite["id"],
                    "claim": claim["id"],
                    "record": rid,
                    "number": cite["number"],
                    "source": known(cite["source"], "source"),
                    "quote": cite["quote"],
                    "note": cite["note"],
                    "url": cite["url"],
                }
            )
    seen: set[tuple[str, str]] = set()
    for ref in record["references"]:
        if ref["resolved"] and (ref["field"], ref["target"]) not in seen:
            seen.add((ref["field"], ref["target"]))
            tables["links"].append(
                {
                    "record": rid,
                    "field": ref["field"],
                    "target": ref["target"],
                    "kind": ref["kind"],
                }
            )
    return dict(tables)


#: table -> (description, primary key, foreign keys as (column, table, column)).
TABLES: Final[dict[str, tuple[str, str | tuple[str, ...], tuple[tuple[str, str, str], ...]]]] = {
    "meta": ("About this database: format, content version, licence.", "key", ()),
    "records": ("Every record, of every kind, with its page and content version.", "id", ()),
    "sources": (
        "The published texts that claims cite.",
        "id",
        (("id", "records", "id"),),
    ),
    "actors": (
        "States, organizations and people.",
        "id",
        (("id", "records", "id"), ("parent", "actors", "id")),
    ),
    "roles": (
        "Titles the sources give an actor, each observed on a date.",
        "id",
        (("actor", "actors", "id"), ("organization", "actors", "id")),
    ),
    "agreements": ("Agreements and arrangements.", "id", (("id", "records", "id"),)),
    "agreement_parties": (
        "The actors party to each agreement.",
        ("agreement", "actor"),
        (("agreement", "agreements", "id"), ("actor", "actors", "id")),
    ),
    "events": (
        "Things that happened, were planned, or were reported, on a date.",
        "id",
        (("id", "records", "id"),),
    ),
    "event_actors": (
        "The actors involved in each event.",
        ("event", "actor"),
        (("event", "events", "id"), ("actor", "actors", "id")),
    ),
    "event_agreements": (
        "The agreements each event concerns.",
        ("event", "agreement"),
        (("event", "events", "id"), ("agreement", "agreements", "id")),
    ),
    "event_after": (
        "Events a source says another event came after.",
        ("event", "after"),
        (("event", "events", "id"), ("after", "events", "id")),
    ),
    "claims": (
        "Statements in our own words, each backed by citations.",
        "id",
        (("record", "records", "id"),),
    ),
    "citations": (
        "A claim's citation: the source and the verbatim quote.",
        "id",
        (("claim", "claims", "id"), ("record", "records", "id"), ("source", "sources", "id")),
    ),
    "links": (
        "Every resolved reference from a record to another (fields and claim text).",
        ("record", "field", "target"),
        (("record", "records", "id"), ("target", "records", "id")),
    ),
}

#: table -> its columns, in order (all text but the citation number).
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "meta": ("key", "value"),
    "records": ("id", "kind", "title", "url", "file", "version"),
    "sources": (
        "id", "title", "publisher", "publisher_basis", "via", "author", "published",
        "published_basis", "url", "document", "sha256",
    ),
    "actors": ("id", "name", "kind", "parent", "aliases"),
    "roles": ("id", "actor", "title", "organization", "observed", "claims"),
    "agreements": ("id", "name", "short_name", "kind"),
    "agreement_parties": ("agreement", "actor"),
    "events": ("id", "title", "date", "date_basis", "until", "status", "location"),
    "event_actors": ("event", "actor"),
    "event_agreements": ("event", "agreement"),
    "event_after": ("event", "after"),
    "claims": ("id", "record", "claim_id", "plain_text", "text", "supports", "disputed", "url"),
    "citations": ("id", "claim", "record", "number", "source", "quote", "note", "url"),
    "links": ("record", "field", "target", "kind"),
}  # fmt: skip
_INTEGER: Final = {("citations", "number")}

#: Columns given full-text indexes.
FTS: Final = {"claims": ["plain_text"], "citations": ["quote"]}


def database_bytes(export: dict[str, Any]) -> bytes:
    """The database file of ``export`` (the export's JSON data)."""
    return database_from_values(table_values(database_rows(export)))


def table_values(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows as the tuples of values inserted, in each table's column order."""
    return {
        name: [tuple(_value(row.get(c)) for c in COLUMNS[name]) for row in rows]
        for name, rows in tables.items()
    }


#: The SQL that makes the database's tables (run before the rows go in) and its
#: full-text indexes (run after), as sqlite-utils writes it: see :func:`schema_statements`.
SchemaStatements = tuple[tuple[str, ...], tuple[str, ...]]

_SCHEMA: list[SchemaStatements] = []

# Statements sqlite-utils runs that change the database; the rest look it up.
_CHANGES: Final = ("CREATE ", "INSERT ", "PRAGMA RECURSIVE_TRIGGERS=")


def schema_statements() -> SchemaStatements:
    """The statements sqlite-utils runs to make every table, then every full-text index.

    sqlite-utils writes the tables (types, keys, foreign keys) and the FTS5 indexes;
    it is run once on an empty database with a trace of what it executes, and the
    statements that change the database are kept (with the code of this module, they
    are the same at every build). A build that has them from its cache runs them
    without importing sqlite-utils, which took longer than the rest of an edit's
    database work.
    """
    if _SCHEMA:
        return _SCHEMA[0]
    import sqlite_utils

    connection = sqlite3.connect(":memory:")
    traced: list[str] = []
    try:
        connection.set_trace_callback(traced.append)
        db = sqlite_utils.Database(connection)
        for name, (_, pk, foreign_keys) in TABLES.items():
            columns = {
                column: int if (name, column) in _INTEGER else str for column in COLUMNS[name]
            }
            db.table(name).create(
                columns,
                pk=pk,
                foreign_keys=list(foreign_keys),
                not_null=[pk] if isinstance(pk, str) else list(pk),
            )
        tables_end = len(traced)
        for name, indexed in FTS.items():
            db.table(name).enable_fts(indexed, fts_version="FTS5", create_triggers=False)
    finally:
        connection.close()

    def changes(statements: list[str]) -> tuple[str, ...]:
        # Statements a virtual table runs inside another are traced with a leading "--".
        return tuple(s for s in statements if s.lstrip().upper().startswith(_CHANGES))

    found = (changes(traced[:tables_end]), changes(traced[tables_end:]))
    _SCHEMA.append(found)
    return found


def database_from_values(
    values: dict[str, list[tuple[Any, ...]]], schema: SchemaStatements | None = None
) -> bytes:
    """The database file with these rows (see :func:`table_values`), in this order.

    ``schema`` is :func:`schema_statements` when the caller has kept it.
    """
    tables, indexes = schema or schema_statements()
    with tempfile.TemporaryDirectory(prefix="dossier-db-") as folder:
        path = Path(folder) / DATABASE_FILE
        # Built in memory and written out compacted (no free pages left from building
        # the indexes) by one VACUUM INTO; an SQLite older than 3.27 has no VACUUM INTO
        # and builds the file on disk, then vacuums it.
        connection = sqlite3.connect(":memory:" if sqlite3.sqlite_version_info >= (3, 27) else path)
        try:
            # A scratch database read back at the end: nothing to make durable.
            connection.execute("pragma synchronous = off")
            connection.execute("pragma journal_mode = memory")
            for statement in tables:
                connection.execute(statement)
            for name in TABLES:
                if values.get(name):
                    _insert(connection, name, COLUMNS[name], values[name])
            for statement in indexes:
                connection.execute(statement)
            connection.commit()
            if sqlite3.sqlite_version_info >= (3, 27):
                connection.execute("vacuum into ?", (str(path),))
            else:
                connection.execute("vacuum")
        finally:
            connection.close()
        return path.read_bytes()


def _insert(
    connection: sqlite3.Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` in one ``executemany`` (sqlite-utils' ``insert_all`` prepared each
    row in Python, which at 1,000 records took seconds)."""
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" for _ in columns)
    connection.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", rows)
    connection.commit()


def _value(value: Any) -> Any:
    # As sqlite-utils stores a list or mapping: as JSON text.
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=repr, ensure_ascii=False)
    return value


def write_database(path: Path, export: dict[str, Any]) -> None:
    """Write the database of ``export`` to ``path``, atomically."""
    atomic_write(path, database_bytes(export))


def dump(path: Path) -> str:
    """The database as SQL text (``.dump``), to compare two databases by content."""
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump()) + "\n"
    finally:
        connection.close()


_BASIS: Final = (
    "How the date was obtained: stated (the source gives it), resolved (from a relative"
    " expression and the source's own date) or inferred (from context)."
)


def _column_docs() -> dict[str, dict[str, str]]:
    """Column descriptions from the model docstrings (the field documentation)."""
    from sphinx_dossier.core.model import Actor, Agreement, Event, Publisher, Role, Source
    from sphinx_dossier.outputs.export import CitationOut, ClaimOut, ReferenceOut, SourceOut

    def doc(model: Any, field: str) -> str:
        return str(model.model_fields[field].description or "").strip()

    record = {name: doc(SourceOut, name) for name in ("id", "title", "url", "file", "version")}
    return {
        "records": {**record, "kind": "source, actor, agreement or event."},
        "sources": {
            **{
                name: doc(Source, name)
                for name in ("title", "via", "author", "published", "url", "document", "sha256")
            },
            "published_basis": _BASIS,
            "publisher": doc(Publisher, "name"),
            "publisher_basis": doc(Publisher, "basis"),
        },
        "actors": {
            **{name: doc(Actor, name) for name in ("name", "kind", "parent")},
            "aliases": doc(Actor, "aliases") + " (a JSON list)",
        },
        "roles": {
            "actor": "The actor that held the title.",
            **{name: doc(Role, name) for name in ("title", "organization", "observed")},
            "claims": doc(Role, "claims") + " (a JSON list)",
        },
        "agreements": {name: doc(Agreement, name) for name in ("name", "short_name", "kind")},
        "events": {
            **{name: doc(Event, name) for name in ("title", "date", "until", "status", "location")},
            "date_basis": _BASIS,
        },
        "claims": {
            "record": "The record the claim belongs to.",
            **{
                name: doc(ClaimOut, name)
                for name in ("id", "claim_id", "plain_text", "text", "disputed", "url")
            },
            "supports": doc(ClaimOut, "supports") + " (a JSON list)",
        },
        "citations": {
            "claim": "The claim this citation backs.",
            "record": "The record of that claim.",
            "source": doc(CitationOut, "source"),
            **{name: doc(CitationOut, name) for name in ("id", "number", "quote", "note", "url")},
        },
        "links": {
            "record": "The record that holds the reference.",
            "field": doc(ReferenceOut, "field"),
            "target": doc(ReferenceOut, "target"),
            "kind": doc(ReferenceOut, "kind"),
        },
    }


def datasette_metadata(
    export: dict[str, Any],
    *,
    database: str = "dossier",
    title: str = "Dossier",
    source_url: str | None = None,
) -> dict[str, Any]:
    """Datasette metadata (https://docs.datasette.io/en/stable/metadata.html) for the
    database: titles, descriptions, licence, source, and the example queries."""
    docs = _column_docs()
    tables: dict[str, Any] = {}
    for name, (description, _, _) in TABLES.items():
        entry: dict[str, Any] = {"description": description}
        if name in docs:
            entry["columns"] = docs[name]
        if name in {"records", "sources", "events"}:
            entry["label_column"] = "title"
        elif name in {"actors", "agreements"}:
            entry["label_column"] = "name"
        tables[name] = entry
    license = export.get("license") or {}
    metadata: dict[str, Any] = {
        "title": title,
        "description": (
            f"Every record, claim and citation of {title} (content version"
            f" {export['content_version']}). Claims are in the dossier's own words; quotes"
            " are verbatim from the sources and remain their publishers'."
        ),
        "source": title,
        "databases": {
            database: {
                "tables": tables,
                "queries": {
                    query.name: {
                        "title": query.title,
                        "description": query.description,
                        "sql": query.sql,
                    }
                    for query in EXAMPLE_QUERIES
                },
            }
        },
    }
    if source_url:
        metadata["source_url"] = source_url
    if license.get("name"):
        metadata["license"] = license["name"]
        if license.get("url"):
            metadata["license_url"] = license["url"]
    return metadata


def row_counts(path: Path, names: Iterable[str] = TABLES) -> dict[str, int]:
    """Rows in each table of the database at ``path``."""
    connection = sqlite3.connect(path)
    try:
        return {
            name: int(connection.execute(f'select count(*) from "{name}"').fetchone()[0])
            for name in names
        }
    finally:
        connection.close()
