"""The involvement matrix stays a table when small and grows linearly when large."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import defusedxml.ElementTree as ET
from sphinx_dossier.outputs.figures import (
    MATRIX_MAX_CELLS,
    Link,
    involvement_lists,
    involvement_matrix,
)
from sphinx_dossier.sphinx_ext.figures import matrix_data
from sphinx_support import build, copy_root

Links = dict[tuple[str, str], list[Link]]

ACTORS = [
    Link("kr", "South Korea", "kr.html"),
    Link("jp", "Japan & <co>", "jp.html"),
    Link("nobody", "Uninvolved", "n.html"),
]
AGREEMENTS = [
    Link("gsomia", "GSOMIA", "g.html"),
    Link("tisa", "TISA", "t.html"),
    Link("none", "Nothing", "x.html"),
]
LINKS: Links = {
    ("kr", "gsomia"): [
        Link("e1", 'Talks "announced"', "e1.html", "2016-10-27"),
        Link("e2", "Signed", "e2.html"),
    ],
    ("jp", "tisa"): [Link("e3", "Arrangement signed", "e3.html", "2014-12-29")],
    ("nobody", "none"): [],
}

#: What the table looked like before the list mode existed (2 x 2 cells after dropping
#: the uninvolved actor and agreement); small matrices must keep this exact HTML.
TABLE = (
    '<div class="dossier-fig-scroll dossier-matrix-wrap" tabindex="0" role="region" '
    'aria-labelledby="dossier-matrix-caption"><table class="dossier-matrix" id="dossier-matrix">'
    '<caption id="dossier-matrix-caption">Who was involved in what: actors by agreement</caption>'
    '<thead><tr><th scope="col">Actor</th><th scope="col"><a href="g.html">GSOMIA</a></th>'
    '<th scope="col"><a href="t.html">TISA</a></th></tr></thead><tbody><tr><th scope="row">'
    '<a href="kr.html">South Korea</a></th><td><span class="dossier-matrix-n">2</span>'
    '<ul class="dossier-matrix-events"><li><a href="e1.html" title="Talks &quot;announced&quot;">'
    '2016-10-27<span class="dossier-sr">: Talks &quot;announced&quot;</span></a></li>'
    '<li><a href="e2.html">Signed</a></li></ul></td><td class="dossier-matrix-empty">'
    '<span class="dossier-sr">South Korea: no events for TISA</span></td></tr><tr>'
    '<th scope="row"><a href="jp.html">Japan &amp; &lt;co&gt;</a></th>'
    '<td class="dossier-matrix-empty"><span class="dossier-sr">Japan &amp; &lt;co&gt;: no events '
    'for GSOMIA</span></td><td><span class="dossier-matrix-n">1</span>'
    '<ul class="dossier-matrix-events"><li><a href="e3.html" title="Arrangement signed">'
    '2014-12-29<span class="dossier-sr">: Arrangement signed</span></a></li></ul></td></tr>'
    "</tbody></table></div>"
)


def sparse(n_actors: int, n_agreements: int, seed: int = 1) -> tuple[list[Link], list[Link], Links]:
    """A bench-like matrix: each actor takes part in 1-3 agreements through 1-3 events."""
    rng = random.Random(seed)
    actors = [Link(f"a{i}", f"Actor {i}", f"actors/a{i}.html") for i in range(n_actors)]
    agreements = [Link(f"g{i}", f"Agreement {i}", f"ag/g{i}.html") for i in range(n_agreements)]
    links: Links = {}
    event = 0
    for actor in actors:
        for agreement in rng.sample(agreements, rng.randint(1, 3)):
            events = []
            for _ in range(rng.randint(1, 3)):
                event += 1
                when = f"2016-01-{event % 28 + 1:02d}" if event % 2 else ""
                events.append(Link(f"e{event}", f"Event {event}", f"ev/e{event}.html", when))
            links[actor.id, agreement.id] = events
    return actors, agreements, links


def test_small_matrix_keeps_the_table_exactly() -> None:
    assert involvement_matrix(ACTORS, AGREEMENTS, LINKS, table_id="dossier-matrix") == TABLE


def test_the_limit_counts_cells_after_dropping_empty_rows_and_columns() -> None:
    # 3 x 3 given, 2 x 2 involved: 4 cells is still a table, a limit of 3 gives lists.
    at_limit = involvement_matrix(ACTORS, AGREEMENTS, LINKS, table_id="dossier-matrix", max_cells=4)
    assert at_limit == TABLE
    over = involvement_matrix(ACTORS, AGREEMENTS, LINKS, table_id="dossier-matrix", max_cells=3)
    assert "<table" not in over and "dossier-matrix-lists" in over
    assert "2 actors by 2 agreements would make 4 cells, of which only 2 have events" in over


def test_bench_sized_matrix_defaults_to_lists() -> None:
    actors, agreements, links = sparse(200, 100)
    assert MATRIX_MAX_CELLS < 200 * 100
    html = involvement_matrix(actors, agreements, links)
    assert "<table" not in html and "<td" not in html
    assert "dossier-matrix-empty" not in html and "no events for" not in html


def test_lists_hold_every_pair_and_every_event_link_once() -> None:
    actors, agreements, links = sparse(60, 30, seed=7)
    html = involvement_lists(actors, agreements, links, list_id="dossier-matrix")
    root = ET.fromstring(html)  # well-formed, so valid nesting
    assert root.attrib["id"] == "dossier-matrix"
    assert root.attrib["aria-labelledby"] == "dossier-matrix-caption"
    ids = [el.attrib["id"] for el in root.iter() if "id" in el.attrib]
    assert len(ids) == len(set(ids)) == 2
    found: dict[tuple[str, str], list[str]] = {}
    agreement_items = root.findall("./ul/li")
    by_url = {a.url: a.id for a in actors} | {g.url: g.id for g in agreements}
    shown = [by_url[li.find("a").attrib["href"]] for li in agreement_items]  # type: ignore[union-attr]
    involved = {g for (_, g), events in links.items() if events}
    assert shown == [g.id for g in agreements if g.id in involved]  # column order
    order = {a.id: i for i, a in enumerate(actors)}
    for li in agreement_items:
        agreement = by_url[li.find("a").attrib["href"]]  # type: ignore[union-attr]
        actor_items = li.findall("./ul/li")
        count = li.find("span").text  # type: ignore[union-attr]
        assert count == f"({len(actor_items)} actor{'s' if len(actor_items) != 1 else ''})"
        names = [by_url[a.find("a").attrib["href"]] for a in actor_items]  # type: ignore[union-attr]
        assert names == sorted(names, key=order.__getitem__)  # row order
        for actor, item in zip(names, actor_items, strict=True):
            events = [a.attrib["href"] for a in item.findall("./ul/li/a")]
            assert item.find("span").text == str(len(events))  # type: ignore[union-attr]
            found[actor, agreement] = events
    expected = {key: [ev.url for ev in events] for key, events in links.items() if events}
    assert found == expected


def test_list_items_equal_pairs_plus_events_at_every_size() -> None:
    for scale in (2, 5, 10, 25):
        actors, agreements, links = sparse(40 * scale, 20 * scale, seed=scale)
        html = involvement_matrix(actors, agreements, links)
        pairs = sum(1 for events in links.values() if events)
        events = sum(len(events) for events in links.values())
        agreements_with_events = len({g for (_, g), evs in links.items() if evs})
        assert html.count("<td") == 0
        assert html.count("<li") == agreements_with_events + pairs + events
        assert html.count("<a ") == agreements_with_events + pairs + events
        # Bytes per entry stay bounded: linear in the entries, whatever actors x agreements is.
        assert len(html) < 400 + 250 * (agreements_with_events + pairs + events)


def test_the_table_would_have_grown_with_actors_times_agreements() -> None:
    actors, agreements, links = sparse(100, 50)
    html = involvement_matrix(actors, agreements, links, max_cells=10**9)
    involved_agreements = len({g for (_, g), evs in links.items() if evs})
    assert html.count("<td") == 100 * involved_agreements


def test_lists_escape_labels_and_read_without_css() -> None:
    html = involvement_matrix(ACTORS, AGREEMENTS, LINKS, max_cells=0)
    assert "Japan &amp; &lt;co&gt;" in html and "<co>" not in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert "South Korea 2 events" in " ".join(text.split())
    assert "Japan &amp; &lt;co&gt; 1 event 2014-12-29" in " ".join(text.split())


# --------------------------------------------------------------------------- data


def fake_dataset(n_events: int) -> Any:
    """Enough of a Dataset for matrix_data: n actors, n/2 agreements, sparse events."""
    rng = random.Random(n_events)

    def record(**fields: Any) -> Any:
        return SimpleNamespace(record=SimpleNamespace(**fields))

    actors = [record(id=f"a{i}", title=f"A{i}", kind="state") for i in range(n_events)]
    agreements = [record(id=f"g{i}", title=f"G{i}") for i in range(n_events // 2)]
    events = [
        record(
            id=f"e{i}",
            title=f"E{i}",
            date=SimpleNamespace(iso=f"2016-01-{i % 28 + 1:02d}"),
            actors=[a.record.id for a in rng.sample(actors, 2)],
            agreements=[rng.choice(agreements).record.id],
        )
        for i in range(n_events)
    ]
    kinds = {"actor": actors, "agreement": agreements}
    return SimpleNamespace(by_kind=kinds.__getitem__, chronology=lambda: events)


def test_matrix_data_holds_only_pairs_with_events() -> None:
    for n in (50, 500):
        dataset = fake_dataset(n)
        data = matrix_data(dataset)
        pairs = Counter(
            f"{actor} {ev.record.agreements[0]}"
            for ev in dataset.chronology()
            for actor in ev.record.actors
        )
        assert {key: len(rows) for key, rows in data["cells"].items()} == dict(pairs)
        assert len(data["actors"]) == n and len(data["agreements"]) == n // 2


# --------------------------------------------------------------------------- Sphinx


def test_config_switches_the_agreements_page_to_lists(tmp_path: Path) -> None:
    srcdir = copy_root("dossier", tmp_path / "src")
    first = build(srcdir)
    assert '<table class="dossier-matrix" id="dossier-matrix">' in first.html("records/agreements")
    # The value only changes the HTML, and a changed value rewrites the page.
    second = build(srcdir, confoverrides={"dossier_matrix_max_cells": 0})
    assert second.warning_lines() == []
    assert "records/agreements" in second.written
    html = second.html("records/agreements")
    assert '<table class="dossier-matrix"' not in html
    part = html.split('<div class="dossier-matrix-wrap dossier-matrix-lists" id="dossier-matrix"')
    assert len(part) == 2
    lists = part[1].split("</ul></div>", 1)[0]
    hrefs = re.findall(r'href="([^"]+)"', lists)
    assert "agreements/harbour-treaty.html#harbour-treaty" in hrefs
    assert "events/signing-2020.html#signing-2020" in hrefs
    for href in hrefs:
        path, _, fragment = href.partition("#")
        target = second.outdir / "records" / path
        assert target.is_file(), href
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), href
    # Like the other figures, kept out of the search index.
    assert '<div class="no-search"><div class="dossier-matrix-wrap dossier-matrix-lists"' in html
