"""Story order: ``after`` links between events, their rules, and the one ordering function."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from dossier_factory import Fixture, errors, only_error, where
from sphinx_dossier.core.chronology import event_order, find_cycles
from sphinx_dossier.core.dates import PartialDate


def add_event(dossier: Fixture, rid: str, date: str, after: list[str] | None = None) -> None:
    after_line = f"after: [{', '.join(after)}]\n" if after is not None else ""
    supports = "[date, after]" if after is not None else "[date]"
    dossier.write(
        "event",
        rid,
        f"id: {rid}\ntitle: Step {rid}\ndate: {date}\nstatus: occurred\n{after_line}"
        "claims:\n"
        "  - id: step\n"
        "    text: Officials reacted once the decision was known.\n"
        f"    supports: {supports}\n"
        "    cites:\n"
        "      - source: wire-2019-11-22\n"
        "        quote: Officials in Tokyo welcomed the move\n",
    )


# ----------------------------------------------------------------- validation


def test_after_links_are_accepted(dossier: Fixture) -> None:
    add_event(dossier, "a", "2019")
    add_event(dossier, "b", "2019", ["a"])
    add_event(dossier, "c", "2019-11", ["b", "pact-kept-2019"])
    assert errors(dossier.load()) == []


def test_after_must_be_supported(dossier: Fixture) -> None:
    add_event(dossier, "a", "2019")
    add_event(dossier, "b", "2019", ["a"])
    dossier.edit("event", "b", "supports: [date, after]", "supports: [date]")
    assert where(only_error(dossier.load())) == ("b.yaml", 6, "unsupported")


def test_after_names_an_existing_event(dossier: Fixture) -> None:
    add_event(dossier, "b", "2019", ["pact-kep-2019"])
    problem = only_error(dossier.load())
    assert where(problem) == ("b.yaml", 6, "reference")
    assert "no event with id 'pact-kep-2019'; did you mean 'pact-kept-2019'?" in problem.message


def test_after_names_an_event_not_another_kind(dossier: Fixture) -> None:
    add_event(dossier, "b", "2019", ["pact"])
    problem = only_error(dossier.load())
    assert where(problem) == ("b.yaml", 6, "reference")
    assert "'pact' is an agreement, expected an event" in problem.message


def test_event_cannot_be_after_itself(dossier: Fixture) -> None:
    add_event(dossier, "b", "2019", ["b"])
    problem = only_error(dossier.load())
    assert where(problem) == ("b.yaml", 6, "reference")
    assert "cannot be after itself" in problem.message


def test_a_cycle_is_reported_once_at_its_first_member(dossier: Fixture) -> None:
    add_event(dossier, "c1", "2019", ["c3"])
    add_event(dossier, "c2", "2019", ["c1"])
    add_event(dossier, "c3", "2019", ["pact-kept-2019", "c2"])
    dossier.edit("event", "c3", "date: 2019\n", "date: 2019-11\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("c1.yaml", 6, "order-cycle")
    assert "c1 -> c3 -> c2 -> c1" in problem.message


def test_a_cycle_points_at_the_looping_item_of_a_block_list(dossier: Fixture) -> None:
    add_event(dossier, "c1", "2019", ["pact-kept-2019", "c2"])
    dossier.edit("event", "c1", "after: [pact-kept-2019, c2]", "after:\n  - pact-kept-2019\n  - c2")
    dossier.edit("event", "c1", "date: 2019\n", "date: 2019-11\n")
    add_event(dossier, "c2", "2019", ["c1"])
    problem = only_error(dossier.load())
    assert where(problem) == ("c1.yaml", 8, "order-cycle")


def test_after_an_event_certainly_later_is_an_order_date_error(dossier: Fixture) -> None:
    add_event(dossier, "early", "2019-03", ["pact-kept-2019"])
    problem = only_error(dossier.load())
    assert where(problem) == ("early.yaml", 6, "order-date")
    assert "'early' (2019-03) cannot be after 'pact-kept-2019'" in problem.message


def test_order_date_is_checked_through_a_chain_and_reported_once(dossier: Fixture) -> None:
    # mid (2019) may follow pact-kept (2019-11-22); early (2019-03) cannot follow mid then.
    add_event(dossier, "mid", "2019", ["pact-kept-2019"])
    add_event(dossier, "early", "2019-03", ["mid"])
    problem = only_error(dossier.load())
    assert where(problem) == ("early.yaml", 6, "order-date")
    assert "through 'mid'" in problem.message
    # A wrong link is reported where it is, not again at every event after it.
    add_event(dossier, "later", "2019-04", ["early"])
    assert [where(p) for p in errors(dossier.load())] == [("early.yaml", 6, "order-date")]


def test_overlapping_dates_may_be_ordered_either_way(dossier: Fixture) -> None:
    add_event(dossier, "year", "2019-11-01", ["month"])
    add_event(dossier, "month", "2019-11")
    assert errors(dossier.load()) == []


# ----------------------------------------------------------------- ordering


def ev(rid: str, date: str, after: tuple[str, ...] = (), until: str | None = None) -> object:
    return SimpleNamespace(
        id=rid,
        date=PartialDate.parse(date),
        until=PartialDate.parse(until) if until else None,
        after=list(after),
    )


def ids(records: list[object]) -> list[str]:
    return [r.id for r in records]  # type: ignore[attr-defined]


def test_dates_first_then_ids() -> None:
    events = [ev("b", "2019-08"), ev("a", "2019-08"), ev("z", "2016"), ev("c", "2019-08-02")]
    assert ids(event_order(events)) == ["z", "a", "b", "c"]


def test_after_orders_events_of_one_vague_date() -> None:
    events = [
        ev("a-protest", "2019", ("c-announce",)),
        ev("b-won", "2019", ("c-announce",)),
        ev("c-announce", "2019", ("d-curbs",)),
        ev("d-curbs", "2019"),
        ev("e-later", "2020"),
        ev("f-earlier", "2016"),
    ]
    expected = ["f-earlier", "d-curbs", "c-announce", "a-protest", "b-won", "e-later"]
    for perm in itertools.permutations(events):
        assert ids(event_order(perm)) == expected


def test_a_vague_event_waits_for_a_precise_one_it_follows() -> None:
    events = [ev("vague", "2019", ("aug",)), ev("aug", "2019-08-02"), ev("sep", "2019-09")]
    assert ids(event_order(events)) == ["aug", "vague", "sep"]


def test_order_works_on_loaded_records_and_ignores_links_outside_the_list() -> None:
    loaded = [
        SimpleNamespace(record=ev("b", "2019", ("a", "gone"))),
        SimpleNamespace(record=ev("a", "2019")),
    ]
    # Only "b" and "a" are listed; "gone" is not, so it does not hold "b" back.
    assert [e.record.id for e in event_order(loaded)] == ["a", "b"]
    assert [e.record.id for e in event_order(loaded[:1])] == ["b"]


def test_a_cycle_loses_no_event() -> None:
    events = [ev("a", "2019", ("b",)), ev("b", "2019", ("a",)), ev("c", "2018")]
    assert ids(event_order(events)) == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("links", "cycles"),
    [
        ({"a": ["b"], "b": []}, []),
        ({"a": ["b"], "b": ["a"]}, [("a", "b")]),
        ({"b": ["c"], "c": ["a"], "a": ["b"], "d": ["d"]}, [("a", "b", "c")]),
        ({"a": ["b"], "b": ["a"], "x": ["y"], "y": ["x"]}, [("a", "b"), ("x", "y")]),
    ],
)
def test_find_cycles(links: dict[str, list[str]], cycles: list[tuple[str, ...]]) -> None:
    assert [tuple(c) for c in find_cycles(links)] == cycles


def test_a_chain_of_one_vague_date_stays_together() -> None:
    events = [ev("a-first", "2019"), ev("c-second", "2019", ("a-first",)), ev("b-other", "2019")]
    assert ids(event_order(events)) == ["a-first", "c-second", "b-other"]
    # Only within the same date key: a freed event of a later date waits its turn.
    events = [ev("a-first", "2019"), ev("c-second", "2019-05", ("a-first",)), ev("b-other", "2019")]
    assert ids(event_order(events)) == ["a-first", "b-other", "c-second"]


STORY_2019 = [
    "japan-tightens-export-curbs-2019",
    "japan-removes-fast-track-export-status-2019",
    "south-korea-announces-gsomia-termination-2019",
    "japan-protests-gsomia-decision-2019",
    "us-reaction-to-gsomia-decision-2019",
    "won-falls-after-gsomia-announcement-2019",
]


def test_real_timeline_export_tells_the_2019_story_in_order() -> None:
    from sphinx_dossier.core.dataset import Dataset
    from sphinx_dossier.outputs.export import build_timeline

    ds = Dataset.load(Path(__file__).resolve().parent.parent / "data")
    slides = [slide["unique_id"] for slide in build_timeline(ds)["events"]]
    # These share the vague date "2019"; their ids alone would sort them otherwise.
    assert sorted(STORY_2019) != STORY_2019
    first = slides.index(STORY_2019[0])
    assert slides[first : first + len(STORY_2019)] == STORY_2019
    assert slides.index("gsomia-talks-second-round-2016") < slides.index("gsomia-signed-2016")
    assert slides.index("jeong-meetings-with-milley-and-esper-2019") < slides.index(
        "jeong-kono-meeting-planned-2019"
    )
    assert slides == [r.id for r in ds.chronology()]


AFTERMATH = """\
# yaml-language-server: $schema=../../schema/event.schema.json
id: aftermath-2020
title: Aftermath of the signing
date: 2020
status: occurred
after: [signing-2020]
claims:
  - id: followed
    text: Something followed the signing of the {dossier:agreement}`harbour-treaty`.
    supports: [date, after]
    cites:
      - source: courier-2020-03-03
        quote: "Northland and Southland signed the harbour treaty on 1 March 2020 in Port City."
"""


@pytest.mark.sphinx
def test_build_shows_after_and_orders_the_timeline_by_it(tmp_path: Path) -> None:
    from sphinx_support import build, copy_root

    root = copy_root("dossier", tmp_path / "src")
    (root / "data" / "events" / "aftermath-2020.yaml").write_text(AFTERMATH, encoding="utf-8")
    result = build(root)
    assert result.warning_lines() == []
    page = result.main("records/events/aftermath-2020")
    fact = page.split(">After<", 1)[1].split("</dd>", 1)[0]
    assert 'href="signing-2020.html#signing-2020"' in fact
    assert 'class="dossier-marker' in fact
    timeline = result.main("records/timeline")
    listed = re.findall(
        r"events/([a-z0-9-]+)\.html", timeline.split("dossier-timeline simple", 1)[1]
    )
    order = list(dict.fromkeys(listed))
    # "2020" sorts before 2020-03-01 by date alone; 'after' moves it behind the signing.
    assert order.index("signing-2020") + 1 == order.index("aftermath-2020")
