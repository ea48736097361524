"""Rules 2 and 3: keys, required fields, types, dates and ids, reported at the YAML line."""

from __future__ import annotations

import datetime as dt

import pytest
from dossier_factory import Fixture, errors, only_error, where
from sphinx_dossier.core.dates import Basis, DateError, PartialDate
from sphinx_dossier.core.model import Actor, Agreement, Event, Source


def test_unknown_key_suggests_the_closest_field(dossier: Fixture) -> None:
    dossier.edit("event", "pact-kept-2019", "status: occurred", "status: occurred\nlocaton: Seoul")
    problem = only_error(dossier.load())
    line = dossier.line("event", "pact-kept-2019", "locaton")
    assert where(problem) == ("pact-kept-2019.yaml", line, "unknown-key")
    assert "did you mean 'location'?" in problem.message


def test_unknown_key_in_a_claim_lists_allowed_keys(dossier: Fixture) -> None:
    dossier.edit(
        "event", "pact-kept-2019", "    supports: [date", "    zzz: 1\n    supports: [date"
    )
    problem = only_error(dossier.load())
    assert where(problem) == ("pact-kept-2019.yaml", 11, "unknown-key")
    assert "claims[0]" in problem.message and "supports" in problem.message


def test_missing_required_field_points_at_its_mapping(dossier: Fixture) -> None:
    dossier.edit("event", "pact-kept-2019", "status: occurred\n", "")
    problem = only_error(dossier.load())
    assert where(problem) == ("pact-kept-2019.yaml", 2, "missing-field")
    assert "'status'" in problem.message


def test_missing_field_in_a_nested_mapping(dossier: Fixture) -> None:
    dossier.edit("agreement", "pact", "        quote: keep", "        note: keep")
    problem = only_error(dossier.load())
    line = dossier.line("agreement", "pact", "- source:")
    assert where(problem) == ("pact.yaml", line, "missing-field")
    assert "claims[0].cites[0] is missing required field 'quote'" in problem.message


def test_wrong_type_says_what_was_expected(dossier: Fixture) -> None:
    dossier.edit("actor", "japan", "name: Japan", "name: 1945")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 3, "type")
    assert "expected text, got a number (1945)" in problem.message
    assert "quotes" in problem.message


def test_list_expected(dossier: Fixture) -> None:
    dossier.edit("event", "pact-kept-2019", "actors: [south-korea]", "actors: south-korea")
    problem = only_error(dossier.load())
    assert where(problem) == ("pact-kept-2019.yaml", 6, "type")
    assert "expected a list" in problem.message


def test_value_not_in_choices_suggests_one(dossier: Fixture) -> None:
    dossier.edit("event", "pact-kept-2019", "status: occurred", "status: occured")
    problem = only_error(dossier.load())
    assert where(problem) == ("pact-kept-2019.yaml", 5, "type")
    assert "did you mean 'occurred'?" in problem.message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2019-02-30", "February 2019 has 28 days"),
        ("2019-13", "month 13 does not exist"),
        ("22 November 2019", "not a date"),
        ("{value: 2019-11-22, basis: guessed}", "basis"),
        ("{value: 2019-11-22, bass: stated}", "unknown key 'bass'"),
        ("true", "expected a date"),
    ],
)
def test_impossible_or_malformed_dates(dossier: Fixture, value: str, words: str) -> None:
    dossier.edit("event", "pact-kept-2019", "date: 2019-11-22", f"date: {value}")
    problem = only_error(dossier.load())
    assert where(problem) == ("pact-kept-2019.yaml", 4, "date")
    assert words in problem.message


def test_until_before_date(dossier: Fixture) -> None:
    dossier.edit("event", "pact-kept-2019", "status:", "until: 2019-11-21\nstatus:")
    problem = only_error(dossier.load())
    assert where(problem) == ("pact-kept-2019.yaml", 5, "date")
    assert "until (2019-11-21) is before date (2019-11-22)" in problem.message


def test_publisher_basis_needs_a_note(dossier: Fixture) -> None:
    dossier.edit("source", "wire-2019-11-22", "basis: stated}", "basis: inferred}")
    problem = only_error(dossier.load())
    assert where(problem) == ("wire-2019-11-22.yaml", 4, "missing-field")
    assert "note" in problem.message


def test_missing_dateline_needs_a_note(dossier: Fixture) -> None:
    dossier.edit("source", "wire-2019-11-22", "published: 2019-11-22", "published: null")
    problem = only_error(dossier.load())
    assert where(problem) == ("wire-2019-11-22.yaml", 6, "missing-field")
    assert "published_note" in problem.message


@pytest.mark.parametrize("bad", ["South-Korea", "south_korea", "south--korea", "-korea", "a" * 81])
def test_id_must_be_a_slug(dossier: Fixture, bad: str) -> None:
    dossier.edit("event", "pact-kept-2019", "actors: [south-korea]", f"actors: [{bad}]")
    problem = only_error(dossier.load())
    assert where(problem) == ("pact-kept-2019.yaml", 6, "id")


def test_record_id_must_match_file_name(dossier: Fixture) -> None:
    dossier.edit("actor", "japan", "id: japan", "id: nippon")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 2, "id-mismatch")
    assert "nippon.yaml" in problem.message


def test_ids_are_unique_across_kinds(dossier: Fixture) -> None:
    # Same id as the agreement "pact", as an event: the later file is reported.
    dossier.write(
        "event",
        "pact",
        """\
        id: pact
        title: Something
        date: 2019
        status: planned
        claims: []
        """,
    )
    ds = dossier.load()
    problem = only_error(ds)
    assert where(problem) == ("pact.yaml", 2, "duplicate-id")
    assert problem.path.parent.name == "events"
    assert ds.records["pact"].kind == "agreement"


def test_several_mistakes_in_one_record_are_all_reported(dossier: Fixture) -> None:
    dossier.write(
        "event",
        "pact-kept-2019",
        """\
        id: pact-kept-2019
        title: South Korea keeps the pact
        date: 2019-02-30
        status: occurred
        actors: [south-korae]
        agreements: [pact]
        locaton: Seoul
        claims:
          - id: kept
            text: South Korea decided to keep the pact.
            supports: [agreements]
            cites:
              - source: wire-2019-11-22
                quote: ""
        """,
    )
    found = sorted(where(p) for p in errors(dossier.load()))
    name = "pact-kept-2019.yaml"
    assert found == [
        (name, 4, "date"),
        (name, 6, "reference"),
        (name, 6, "unsupported"),
        (name, 8, "unknown-key"),
        (name, 15, "quote"),
    ]


# ----------------------------------------------------------------- model API


def test_titles_and_references(dossier: Fixture) -> None:
    ds = dossier.load()
    assert ds.records["pact"].record.title == "Pact"
    assert ds.records["japan"].record.title == "Japan"
    assert ds.records["pact-kept-2019"].record.title == "South Korea keeps the pact"
    event = ds.records["pact-kept-2019"].record
    assert event.references() == [
        (("claims", 0, "cites", 0, "source"), "wire-2019-11-22", "source"),
        (("claims", 0, "text"), "pact", "agreement"),
        (("actors", 0), "south-korea", "actor"),
        (("agreements", 0), "pact", "agreement"),
    ]
    office = ds.records["presidential-office"].record
    assert (("parent",), "south-korea", "actor") in office.references()


def test_dataset_accessors(dossier: Fixture) -> None:
    ds = dossier.load()
    assert [r.id for r in ds.by_kind("actor")] == ["japan", "presidential-office", "south-korea"]
    assert ds.backlinks("south-korea") == ["pact", "pact-kept-2019", "presidential-office"]
    assert ds.backlinks("wire-2019-11-22") == [
        "pact",
        "pact-kept-2019",
        "presidential-office",
    ]  # its own self-citation is not a backlink
    loaded = ds.records["pact-kept-2019"]
    assert loaded.kind == "event"
    assert loaded.path == dossier.path("event", "pact-kept-2019")
    assert loaded.line_of(("claims", 0, "cites", 0, "quote")) == 14
    assert isinstance(loaded.record, Event)
    assert isinstance(ds.records["pact"].record, Agreement)
    assert isinstance(ds.records["japan"].record, Actor)
    assert isinstance(ds.records["wire-2019-11-22"].record, Source)


def test_model_accepts_date_objects_and_mappings() -> None:
    event = Event.model_validate(
        {
            "id": "e",
            "title": "t",
            "date": dt.date(2016, 11, 23),
            "until": {"value": "2016-12", "basis": "inferred"},
            "status": "planned",
        }
    )
    assert event.date == PartialDate(2016, 11, 23)
    assert event.until == PartialDate(2016, 12, None, Basis.INFERRED)
    dumped = event.model_dump(mode="json")
    assert dumped["date"] == "2016-11-23"
    assert dumped["until"] == {"value": "2016-12", "basis": "inferred"}


# ----------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2016, PartialDate(2016)),
        ("2016-11", PartialDate(2016, 11)),
        ("2016-11-14", PartialDate(2016, 11, 14)),
        (dt.date(2016, 11, 14), PartialDate(2016, 11, 14)),
        ({"value": 2016, "basis": "resolved"}, PartialDate(2016, basis=Basis.RESOLVED)),
    ],
)
def test_partial_date_parse(value: object, expected: PartialDate) -> None:
    assert PartialDate.parse(value) == expected


@pytest.mark.parametrize("value", ["2016-02-30", "2016-00", "0000", 0, 10000, "16-11-14", 2.5])
def test_partial_date_rejects(value: object) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(value)


def test_partial_date_compares_at_the_coarser_precision() -> None:
    day, month, year = PartialDate(2019, 11, 22), PartialDate(2019, 11), PartialDate(2019)
    assert day.compare(month) == 0 and month.compare(day) == 0
    assert year.compare(day) == 0
    assert PartialDate(2019, 11, 21).compare(day) == -1
    assert PartialDate(2019, 10).on_or_after(day) is False
    assert PartialDate(2020).on_or_after(day) is True
    assert sorted([day, year, month], key=lambda d: d.sort_key) == [year, month, day]
    assert str(month) == "2019-11" and month.precision == "month"


def test_records_with_only_a_schema_comment_problem_stay_usable(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan\nkind: state\n", with_header=False)
    ds = dossier.load()
    assert where(only_error(ds)) == ("japan.yaml", 1, "schema-comment")
    assert "japan" in ds.records


def test_invalid_records_are_left_out_of_records(dossier: Fixture) -> None:
    dossier.edit("actor", "japan", "kind: state", "kind: empire")
    ds = dossier.load()
    assert "japan" not in ds.records
    assert ds.files == 6 and len(ds.records) == 5


def test_dataset_survives_pickling(dossier: Fixture) -> None:
    # Sphinx pickles the environment; a loaded dataset may be kept in it.
    import pickle

    ds = dossier.load()
    copy = pickle.loads(pickle.dumps(ds))
    assert copy.records.keys() == ds.records.keys()
    assert copy.records["pact"].line_of(("parties",)) == 6
    assert copy.problems == ds.problems


@pytest.mark.parametrize(
    ("kind", "rid", "old", "new"),
    [
        ("event", "pact-kept-2019", "status: occurred", "status: occured"),
        ("event", "pact-kept-2019", "actors: [south-korea]", "actors: [south-korae]"),
        ("event", "pact-kept-2019", "date: 2019-11-22", "date: 2019-11-23"),
        ("actor", "japan", "name: Japan", "name: Japan\nname: Nippon"),
        ("actor", "japan", "id: japan", "id: nippon"),
        ("agreement", "pact", "with Japan alive", "with Japan dead"),
        ("agreement", "pact", "supports: [parties]", "supports: []"),
    ],
)
def test_lazy_line_maps_give_the_same_problems(
    dossier: Fixture, kind: str, rid: str, old: str, new: str
) -> None:
    dossier.edit(kind, rid, old, new)
    eager = [str(p) for p in dossier.load().problems]
    lazy_ds = dossier.load(eager_lines=False)
    assert [str(p) for p in lazy_ds.problems] == eager
    assert eager
    # Lines of records without problems are still there when asked for.
    assert lazy_ds.records["south-korea"].line_of(("kind",)) == 4
