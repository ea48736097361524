"""Rules 4-6: references, provenance (claims, quotes, supports) and the time rule."""

from __future__ import annotations

import pytest
from dossier_factory import Fixture, errors, only_error, where

SRC = "wire-2019-11-22"
EVENT = "pact-kept-2019"


# ----------------------------------------------------------------- rule 4: references


def test_lookalike_letter_in_a_reference_is_an_id_error(dossier: Fixture) -> None:
    # The "а" below is Cyrillic: the id looks right but is not a slug.
    dossier.edit("event", EVENT, "actors: [south-korea]", "actors: [south-kore\u0430]")
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 6, "id")


def test_reference_to_missing_record_suggests_a_close_id(dossier: Fixture) -> None:
    dossier.edit("event", EVENT, "actors: [south-korea]", "actors: [south-korae]")
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 6, "reference")
    assert "no actor with id 'south-korae'; did you mean 'south-korea'?" in problem.message


def test_reference_to_record_of_the_wrong_kind(dossier: Fixture) -> None:
    dossier.edit("event", EVENT, "agreements: [pact]", "agreements: [japan]")
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 7, "reference")
    assert "'japan' is an actor, expected an agreement" in problem.message


@pytest.mark.parametrize(
    ("kind", "rid", "old", "new", "marker"),
    [
        ("actor", "presidential-office", "parent: south-korea", "parent: korea", "parent:"),
        ("agreement", "pact", "parties: [south-korea, japan]", "parties: [south-korea, nippon]",
         "parties:"),
        ("event", EVENT, "agreements: [pact]", "agreements: [treaty]", "agreements:"),
        ("agreement", "pact", "      - source: wire-2019-11-22", "      - source: japan",
         "- source:"),
        ("event", EVENT, "{dossier:agreement}`pact`", "{dossier:agreement}`Pact <treaty>`",
         "text:"),
    ],
)  # fmt: skip
def test_every_reference_field_is_checked(
    dossier: Fixture, kind: str, rid: str, old: str, new: str, marker: str
) -> None:
    dossier.edit(kind, rid, old, new)
    problem = only_error(dossier.load())
    assert where(problem) == (f"{rid}.yaml", dossier.line(kind, rid, marker), "reference")


def test_role_organization_is_checked(dossier: Fixture) -> None:
    dossier.edit(
        "actor",
        "presidential-office",
        "roles: []",
        "roles:\n  - title: Office\n    organization: pact\n    observed: 2019-11-22\n"
        "    claims: [part-of-state]",
    )
    problem = only_error(dossier.load())
    line = dossier.line("actor", "presidential-office", "organization:")
    assert where(problem) == ("presidential-office.yaml", line, "reference")
    assert "is an agreement, expected an actor" in problem.message


def test_reference_to_a_broken_record_is_not_reported_twice(dossier: Fixture) -> None:
    dossier.edit("actor", "japan", "kind: state", "kind: country")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 4, "type")


# ----------------------------------------------------------------- rule 5: provenance


def test_claim_without_citation(dossier: Fixture) -> None:
    path = dossier.path("agreement", "pact")
    text = path.read_text()
    start = text.index("    cites:")
    path.write_text(text[:start] + "    cites: []\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("pact.yaml", 11, "uncited")


def test_cited_source_must_exist(dossier: Fixture) -> None:
    dossier.edit(
        "agreement", "pact", "      - source: wire-2019-11-22", "      - source: wire-2019"
    )
    problem = only_error(dossier.load())
    assert where(problem) == ("pact.yaml", 12, "reference")
    assert "no source with id 'wire-2019'" in problem.message


@pytest.mark.parametrize("quote", ['""', "'   '"])
def test_quote_must_not_be_empty(dossier: Fixture, quote: str) -> None:
    dossier.edit("agreement", "pact", 'quote: keep the "intelligence pact" with Japan alive',
                 f"quote: {quote}")  # fmt: skip
    problem = only_error(dossier.load())
    assert where(problem) == ("pact.yaml", 13, "quote")


def test_quote_word_limit_is_configurable(dossier: Fixture) -> None:
    ds = dossier.load(max_quote_words=10)
    problem = only_error(ds)
    assert where(problem) == (f"{EVENT}.yaml", 14, "quote")
    assert "14 words, more than the limit of 10" in problem.message
    assert dossier.load(max_quote_words=14).ok


def test_factual_field_must_be_supported(dossier: Fixture) -> None:
    dossier.edit("event", EVENT, "supports: [date, actors, agreements]", "supports: [date, actors]")
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 7, "unsupported")
    assert "'agreements' is not backed by any claim" in problem.message


@pytest.mark.parametrize(
    ("kind", "rid", "old", "new", "marker"),
    [
        ("agreement", "pact", "supports: [parties]", "supports: []", "parties:"),
        ("actor", "presidential-office", "supports: [parent]", "supports: []", "parent:"),
        ("source", SRC, "supports: [published, publisher]", "supports: [publisher]", "published:"),
        ("source", SRC, "supports: [published, publisher]", "supports: [published]", "publisher:"),
        ("source", SRC, "author: null", "author: A. Writer", "author:"),
        ("event", EVENT, "status: occurred", "status: occurred\nlocation: Seoul", "location:"),
        ("event", EVENT, "status: occurred", "status: occurred\nuntil: 2019-11-23", "until:"),
    ],
)
def test_each_factual_field_needs_support(
    dossier: Fixture, kind: str, rid: str, old: str, new: str, marker: str
) -> None:
    dossier.edit(kind, rid, old, new)
    problem = only_error(dossier.load())
    assert where(problem) == (f"{rid}.yaml", dossier.line(kind, rid, marker), "unsupported")


def test_unknown_publisher_needs_no_support(dossier: Fixture) -> None:
    dossier.edit(
        "source",
        SRC,
        "publisher: {name: Wire, basis: stated}",
        "publisher: {name: null, basis: unknown, note: No outlet is named.}",
    )
    dossier.edit("source", SRC, "supports: [published, publisher]", "supports: [published]")
    assert dossier.load().ok


def test_supports_names_a_real_field(dossier: Fixture) -> None:
    dossier.edit("event", EVENT, "supports: [date, actors, agreements]",
                 "supports: [date, actors, agreements, actor]")  # fmt: skip
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 11, "supports")
    assert "did you mean 'actors'?" in problem.message


def test_role_claims_must_exist(dossier: Fixture) -> None:
    dossier.edit(
        "actor",
        "presidential-office",
        "roles: []",
        "roles:\n  - title: Office\n    observed: 2019-11-22\n    claims: [part-of-stat]",
    )
    problem = only_error(dossier.load())
    line = dossier.line("actor", "presidential-office", "claims: [part-of-stat]")
    assert where(problem) == ("presidential-office.yaml", line, "claim-reference")
    assert "did you mean 'part-of-state'?" in problem.message


def test_role_needs_a_claim(dossier: Fixture) -> None:
    dossier.edit(
        "actor",
        "presidential-office",
        "roles: []",
        "roles:\n  - title: Office\n    observed: 2019-11-22\n    claims: []",
    )
    problem = only_error(dossier.load())
    line = dossier.line("actor", "presidential-office", "claims: []")
    assert where(problem) == ("presidential-office.yaml", line, "missing-field")


def test_claim_ids_are_unique_in_a_record(dossier: Fixture) -> None:
    path = dossier.path("agreement", "pact")
    text = path.read_text()
    claim = text[text.index("  - id: parties") :]
    path.write_text(text + claim)
    problem = only_error(dossier.load())
    assert where(problem) == ("pact.yaml", 14, "duplicate-claim")


def test_source_metadata_must_cite_the_source_itself(dossier: Fixture) -> None:
    dossier.write(
        "source",
        "wire-2019-11-23",
        f"""\
        id: wire-2019-11-23
        title: Follow-up
        publisher: {{name: Wire, basis: stated}}
        published: 2019-11-23
        document: other.txt
        sha256: "{"0" * 64}"
        claims:
          - id: dateline
            text: Dated 23 November.
            supports: [published, publisher]
            cites:
              - source: wire-2019-11-22
                quote: SEOUL, Nov. 23
        """,
    )
    found = [where(p) for p in errors(dossier.load(corpus=False))]
    assert found == [("wire-2019-11-23.yaml", 12, "self-cite")]


# ----------------------------------------------------------------- rule 6: time


def test_occurred_needs_a_source_published_on_or_after_the_date(dossier: Fixture) -> None:
    dossier.edit("event", EVENT, "date: 2019-11-22", "date: 2019-11-23")
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 5, "time")
    assert "2019-11-23" in problem.message and "planned" in problem.message


def test_planned_event_may_be_cited_before_its_date(dossier: Fixture) -> None:
    dossier.edit("event", EVENT, "date: 2019-11-22", "date: 2019-11-23")
    dossier.edit("event", EVENT, "status: occurred", "status: planned")
    assert dossier.load().ok


@pytest.mark.parametrize(
    ("event_date", "published", "ok"),
    [
        ("2019-11", "2019-11-22", True),  # same month: cannot tell, accepted
        ("2019-11-25", "2019-11", True),
        ("2019", "2019-11-22", True),
        ("2019-12", "2019-11-22", False),
        ("2020", "2019-11-22", False),
        ("2019-11-21", "2019-11-22", True),
    ],
)
def test_time_rule_compares_at_the_coarser_precision(
    dossier: Fixture, event_date: str, published: str, ok: bool
) -> None:
    dossier.edit("event", EVENT, "date: 2019-11-22", f"date: {event_date}")
    dossier.edit("source", SRC, "published: 2019-11-22", f"published: {published}")
    ds = dossier.load()
    assert ds.ok is ok, "\n".join(map(str, ds.problems))
    if not ok:
        assert where(only_error(ds)) == (f"{EVENT}.yaml", 5, "time")


def test_undated_source_cannot_support_occurred(dossier: Fixture) -> None:
    dossier.edit(
        "source", SRC, "published: 2019-11-22",
        "published: null\npublished_note: The text has no dateline.",
    )  # fmt: skip
    dossier.edit("source", SRC, "supports: [published, publisher]", "supports: [publisher]")
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 5, "time")
    assert "(no date)" in problem.message


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("{dossier:claim}`pact#partie`", "record 'pact' has no claim 'partie'; did you mean"),
        ("{dossier:claim}`the terms <pakt#parties>`", "no record with id 'pakt'"),
        ("{dossier:claim}`pact`", "written record-id#claim-id"),
        ("{dossier:record}`japn`", "no record with id 'japn'; did you mean 'japan'?"),
        ("{dossier:claim}`pact-kept-2019#kept`", "links to itself"),
    ],
)
def test_claim_and_record_roles_in_text_are_checked(
    dossier: Fixture, role: str, message: str
) -> None:
    dossier.edit("event", EVENT, "{dossier:agreement}`pact`", role)
    problem = only_error(dossier.load())
    assert where(problem) == (f"{EVENT}.yaml", 10, "reference")
    assert message in problem.message


@pytest.mark.parametrize("role", ["{dossier:claim}`pact#parties`", "{dossier:record}`~pact`"])
def test_claim_and_record_roles_to_existing_targets_are_fine(dossier: Fixture, role: str) -> None:
    dossier.edit("event", EVENT, "{dossier:agreement}`pact`", role)
    assert dossier.load().ok


def test_broken_claims_do_not_hide_other_mistakes(dossier: Fixture) -> None:
    # A claim with no citation and another missing its text make the record invalid;
    # the rest of the record is still checked, and nothing is said about placeholders.
    dossier.write(
        "event",
        EVENT,
        """\
        id: pact-kept-2019
        title: 12
        date: 2019-11-31
        status: occurred
        actors: [south-korea]
        agreements: [pact, japan]
        claims:
          - id: a
            text: Something about {dossier:actor}`japn`.
            supports: [date, actor]
            cites: []
          - id: a
            supports: [actors]
            cites:
              - source: japan
                quote: keep the pact
        """,
    )
    name = f"{EVENT}.yaml"
    found = sorted((p.line, p.subtype) for p in errors(dossier.load()))
    assert [(name, *f) for f in found] == [
        (name, 3, "type"),  # title
        (name, 4, "date"),
        (name, 7, "reference"),  # japan is not an agreement
        (name, 7, "unsupported"),  # agreements
        (name, 10, "reference"),  # japn in the text
        (name, 11, "supports"),  # actor
        (name, 12, "uncited"),
        (name, 13, "duplicate-claim"),
        (name, 13, "missing-field"),  # text
        (name, 16, "reference"),  # japan is not a source
    ]


ROLE = "roles:\n  - title: Office\n    observed: {date}\n    claims: [part-of-state]"


@pytest.mark.parametrize(("observed", "ok"), [("2019-11-22", True), ("2019-11", True),
                                              ("2019-11-21", False), ("2018", False)])  # fmt: skip
def test_role_is_observed_on_the_date_of_its_source(
    dossier: Fixture, observed: str, ok: bool
) -> None:
    dossier.edit("actor", "presidential-office", "roles: []", ROLE.format(date=observed))
    ds = dossier.load()
    if ok:
        assert ds.ok, "\n".join(map(str, ds.problems))
    else:
        line = dossier.line("actor", "presidential-office", "observed:")
        problem = only_error(ds)
        assert where(problem) == ("presidential-office.yaml", line, "role-date")
        assert "dated 2019-11-22" in problem.message


def test_role_date_is_not_checked_against_undated_sources(dossier: Fixture) -> None:
    dossier.edit(
        "source", SRC, "published: 2019-11-22",
        "published: null\npublished_note: The text has no dateline.",
    )  # fmt: skip
    dossier.edit("source", SRC, "supports: [published, publisher]", "supports: [publisher]")
    dossier.edit("event", EVENT, "status: occurred", "status: reported")
    dossier.edit("actor", "presidential-office", "roles: []", ROLE.format(date="2019"))
    assert dossier.load().ok
