"""The SQLite export: tables and row counts, foreign keys, full-text search, Datasette
metadata, the three example queries of the docs, and determinism."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sphinx_dossier.cli import main
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.outputs.export import build_export, export_data, layout_urls
from sphinx_dossier.outputs.license import resolve_license
from sphinx_dossier.outputs.sqlite import (
    COLUMNS,
    EXAMPLE_QUERIES,
    FTS,
    TABLES,
    database_bytes,
    database_rows,
    datasette_metadata,
    dump,
    row_counts,
    schema_statements,
    table_values,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def export() -> dict[str, Any]:
    dataset = Dataset.load(REPO / "data")
    assert dataset.ok
    urls = layout_urls(dataset, base_url="https://dossier.example/")
    return export_data(build_export(dataset, urls, license=resolve_license("CC-BY-4.0")))


@pytest.fixture(scope="module")
def db_path(export: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "dossier.db"
    path.write_bytes(database_bytes(export))
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(db_path)
    yield connection
    connection.close()


def query(db: sqlite3.Connection, name: str) -> list[tuple[Any, ...]]:
    (found,) = [q for q in EXAMPLE_QUERIES if q.name == name]
    return db.execute(found.sql).fetchall()


def test_row_counts_equal_the_dataset(export: dict[str, Any], db_path: Path) -> None:
    records = export["records"]
    counts = row_counts(db_path)
    assert counts["records"] == len(records) == sum(export["counts"].values())
    plural = {"source": "sources", "actor": "actors", "agreement": "agreements", "event": "events"}
    for kind, table in plural.items():
        assert counts[table] == export["counts"][kind], table
    claims = [c for r in records for c in r["claims"]]
    assert counts["claims"] == len(claims)
    assert counts["citations"] == sum(len(c["citations"]) for c in claims)
    assert counts["roles"] == sum(len(r["data"].get("roles", [])) for r in records)
    assert counts["event_actors"] == sum(
        len(set(r["data"]["actors"])) for r in records if r["kind"] == "event"
    )
    assert counts["links"] == len(
        {(r["id"], ref["field"], ref["target"]) for r in records for ref in r["references"]}
    )
    assert counts["meta"] == 7


def test_foreign_keys_are_declared_and_hold(db: sqlite3.Connection) -> None:
    assert db.execute("pragma foreign_key_check").fetchall() == []
    declared = {
        (table, row[3], row[2], row[4])
        for table in TABLES
        for row in db.execute(f"pragma foreign_key_list('{table}')").fetchall()
    }
    assert ("citations", "source", "sources", "id") in declared
    assert ("citations", "claim", "claims", "id") in declared
    assert ("event_actors", "actor", "actors", "id") in declared
    assert len(declared) == sum(len(fks) for _, _, fks in TABLES.values())
    for table, columns in COLUMNS.items():
        found = [row[1] for row in db.execute(f"pragma table_info('{table}')").fetchall()]
        assert tuple(found) == columns


def test_full_text_search_over_claims_and_quotes(db: sqlite3.Connection) -> None:
    hits = db.execute(
        "select claims.id from claims_fts join claims on claims.rowid = claims_fts.rowid"
        " where claims_fts match 'intelligence'"
    ).fetchall()
    like = db.execute("select id from claims where plain_text like '%intelligence%'").fetchall()
    assert hits and sorted(hits) == sorted(like)
    quotes = db.execute(
        "select count(*) from citations_fts where citations_fts match 'GSOMIA'"
    ).fetchone()[0]
    assert (
        quotes
        == db.execute("select count(*) from citations where quote like '%GSOMIA%'").fetchone()[0]
    )
    assert quotes > 10


def test_meta_carries_version_and_licence(db: sqlite3.Connection, export: dict[str, Any]) -> None:
    meta = dict(db.execute("select key, value from meta").fetchall())
    assert meta["content_version"] == export["content_version"]
    assert meta["license_id"] == "CC-BY-4.0"
    assert meta["format_version"] == str(export["version"])


def test_query_claims_citing_the_korea_times_that_mention_kono(
    db: sqlite3.Connection, export: dict[str, Any]
) -> None:
    sources = {
        r["id"]
        for r in export["records"]
        if r["kind"] == "source"
        and "Korea Times" in f"{r['data']['publisher']['name']} {r['data'].get('via')}"
    }
    expected = sorted(
        (claim["id"], cite["quote"])
        for r in export["records"]
        for claim in r["claims"]
        if "kono" in claim["plain_text"].lower()
        for cite in claim["citations"]
        if cite["source"] in sources
    )
    rows = query(db, "claims-from-the-korea-times-naming-kono")
    assert sorted((row[0], row[2]) for row in rows) == expected
    assert len(expected) >= 3


def test_query_citations_per_source(db: sqlite3.Connection, export: dict[str, Any]) -> None:
    per_source = Counter(
        cite["source"] for r in export["records"] for c in r["claims"] for cite in c["citations"]
    )
    rows = query(db, "citations-per-source")
    assert {row[0]: row[2] for row in rows} == dict(per_source)
    assert [row[2] for row in rows] == sorted((row[2] for row in rows), reverse=True)


def test_query_events_with_an_actor(db: sqlite3.Connection, export: dict[str, Any]) -> None:
    def iso(date: Any) -> str:
        return str(date["value"] if isinstance(date, dict) else date)

    events = [
        (iso(r["data"]["date"]), r["id"])
        for r in export["records"]
        if r["kind"] == "event" and "japan" in r["data"]["actors"]
    ]
    rows = query(db, "events-with-an-actor")
    assert [(row[0], row[1]) for row in rows] == sorted(events)
    assert len(rows) > 5


def test_docs_show_the_queries_that_the_tests_run() -> None:
    page = (REPO / "docs" / "reuse.md").read_text(encoding="utf-8")
    for example in EXAMPLE_QUERIES:
        assert example.sql in page, example.name


def test_same_export_gives_the_same_database(export: dict[str, Any], db_path: Path) -> None:
    again = db_path.with_name("again.db")
    again.write_bytes(database_bytes(export))
    assert dump(again) == dump(db_path)
    assert again.read_bytes() == db_path.read_bytes()


def _written_by_sqlite_utils(path: Path, values: dict[str, list[tuple[Any, ...]]]) -> None:
    """The database as sqlite-utils writes it when called for every table and index."""
    import sqlite_utils

    connection = sqlite3.connect(path)
    db = sqlite_utils.Database(connection)
    for name, (_, pk, foreign_keys) in TABLES.items():
        columns = {c: int if (name, c) == ("citations", "number") else str for c in COLUMNS[name]}
        db.table(name).create(
            columns,
            pk=pk,
            foreign_keys=list(foreign_keys),
            not_null=[pk] if isinstance(pk, str) else list(pk),
        )
        rows = values.get(name)
        if rows:
            marks = ", ".join("?" for _ in COLUMNS[name])
            connection.executemany(f"INSERT INTO [{name}] VALUES ({marks})", rows)
            connection.commit()
    for name, indexed in FTS.items():
        db.table(name).enable_fts(indexed, fts_version="FTS5", create_triggers=False)
    connection.commit()
    connection.execute("vacuum")
    connection.close()


def test_recorded_schema_makes_the_database_sqlite_utils_makes(
    export: dict[str, Any], db_path: Path, tmp_path: Path
) -> None:
    # The build replays the statements sqlite-utils ran once (no import at every build).
    tables, indexes = schema_statements()
    assert len(tables) == len(TABLES) + 1  # one CREATE per table, and sqlite-utils' pragma
    assert sum(s.startswith("CREATE VIRTUAL TABLE") for s in indexes) == len(FTS)
    direct = tmp_path / "direct.db"
    _written_by_sqlite_utils(direct, table_values(database_rows(export)))
    assert dump(direct) == dump(db_path)

    def pages(path: Path) -> bytes:
        # Bytes 24-27 and 92-95 of the header count write transactions, which differ
        # (sqlite-utils commits each table on its own); every page is the same.
        data = bytearray(path.read_bytes())
        data[24:28] = data[92:96] = bytes(4)
        return bytes(data)

    assert pages(direct) == pages(db_path)


def test_datasette_metadata_describes_what_is_there(
    export: dict[str, Any], db: sqlite3.Connection
) -> None:
    metadata = datasette_metadata(export, database="dossier", title="GSOMIA dossier")
    assert metadata["license"] == "Creative Commons Attribution 4.0 International"
    assert metadata["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["title"] == metadata["source"] == "GSOMIA dossier"
    (name,) = metadata["databases"]
    database = metadata["databases"][name]
    assert set(database["tables"]) == set(TABLES)
    for table, entry in database["tables"].items():
        assert entry["description"]
        for column, text in entry.get("columns", {}).items():
            assert column in COLUMNS[table], (table, column)
            assert text, (table, column)
        if "label_column" in entry:
            assert entry["label_column"] in COLUMNS[table]
    for canned in database["queries"].values():
        assert db.execute(canned["sql"]).fetchall()


def test_command_line_writes_database_and_metadata(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "analysis.db"
    status = main(
        [
            "export", str(REPO / "data"), "--out", str(tmp_path / "d.json"), "--sqlite", str(out),
            "--license", "CC-BY-4.0", "--base-url", "https://dossier.example/",
            "--title", "GSOMIA dossier",
        ]
    )  # fmt: skip
    assert status == 0, capsys.readouterr().err
    assert dump(out) == dump(db_path)
    metadata = json.loads((tmp_path / "analysis.metadata.json").read_text("utf-8"))
    assert list(metadata["databases"]) == ["analysis"]
    assert metadata["source_url"] == "https://dossier.example/"
    bad = main(["export", str(REPO / "data"), "--sqlite", str(tmp_path / "no" / "x.db")])
    assert bad == 2 and "cannot write" in capsys.readouterr().err
