"""Unit tests for the build-time figures (no Sphinx, no browser)."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as ET
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx_dossier.outputs.figures import (
    FONT,
    Group,
    Link,
    Observation,
    TimelineItem,
    format_span,
    involvement_matrix,
    role_strip_figure,
    role_strip_svg,
    style_of,
    text_width,
    timeline_figure,
    timeline_layout,
    timeline_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
GROUPS = [Group("gsomia", "GSOMIA"), Group("tisa", "Trilateral arrangement")]


def item(n: int, start: date, end: date | None = None, **kw: str) -> TimelineItem:
    return TimelineItem(
        id=f"e{n}",
        title=kw.pop("title", f"Event {n} about the pact"),
        url=kw.pop("url", f"records/events/e{n}.html"),
        start=start,
        end=end or start,
        status=kw.pop("status", "occurred"),
        group=kw.pop("group", "gsomia"),
    )


def ten_events() -> list[TimelineItem]:
    days = [
        date(2012, 6, 29), date(2012, 6, 29), date(2014, 12, 29), date(2016, 10, 27),
        date(2016, 11, 1), date(2016, 11, 14), date(2016, 11, 23), date(2019, 8, 22),
        date(2019, 11, 22), date(2019, 11, 23),
    ]  # fmt: skip
    return [
        item(i, d, status="planned" if i % 3 == 0 else "occurred", group=["gsomia", "tisa"][i % 2])
        for i, d in enumerate(days)
    ]


def many_events(n: int, seed: int = 7) -> list[TimelineItem]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        start = date(2000, 1, 1) + timedelta(days=rng.randrange(20 * 365))
        kind = rng.choice(["day", "month", "year"])
        if kind == "month":
            start = start.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        elif kind == "year":
            start, end = date(start.year, 1, 1), date(start.year, 12, 31)
        else:
            end = start
        out.append(
            item(
                i, start, end,
                title=f"Ministry statement {i} on intelligence sharing",
                status=rng.choice(["occurred", "planned", "reported"]),
                group=rng.choice(["gsomia", "tisa", ""]),
            )
        )  # fmt: skip
    return out


def parse(svg: str) -> Element:
    root: Element = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def label_boxes(root: Element) -> list[tuple[float, float, float, float]]:
    """(left, right, top, bottom) of every mark+label box, from the SVG itself."""
    boxes = []
    for text in root.iter(f"{SVG}text"):
        if "data-box" not in text.attrib:
            continue
        left, right = map(float, text.attrib["data-box"].split())
        y = float(text.attrib["y"])
        boxes.append((left, right, y - FONT, y + 4))
        assert text_width(text.text or "") <= right - left + 0.01
    return boxes


def assert_no_overlap(boxes: list[tuple[float, float, float, float]], width: float) -> None:
    for a, b in combinations(boxes, 2):
        overlap_x = a[0] < b[1] and b[0] < a[1]
        overlap_y = a[2] < b[3] and b[2] < a[3]
        assert not (overlap_x and overlap_y), (a, b)
    for left, right, _, _ in boxes:
        assert left >= 0 and right <= width


def all_svgs(html: str) -> list[Element]:
    return [parse(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def test_ten_events_are_drawn_one_by_one_without_overlap() -> None:
    items = ten_events()
    root = parse(timeline_svg(items, groups=GROUPS, width=720))
    boxes = label_boxes(root)
    assert len(boxes) == 10
    assert_no_overlap(boxes, 720)
    links = {a.attrib["href"] for a in root.iter(f"{SVG}a")}
    assert links == {it.url for it in items}


def test_two_thousand_events_aggregate_with_bounded_size() -> None:
    items = many_events(2000)
    svg = timeline_svg(items, groups=GROUPS, width=720, fig_id="big")
    root = parse(svg)
    assert "dossier-aggregate" in root.attrib["class"]
    # one linked bar per year, each pointing at that year's panel
    hrefs = [a.attrib["href"] for a in root.iter(f"{SVG}a")]
    assert hrefs == [f"#big-y{y}" for y in range(2000, 2020)]
    assert float(root.attrib["height"]) < 300
    assert len(svg) < 60_000
    assert sum(1 for _ in root.iter()) < 600


def test_two_thousand_events_figure_panels_never_overlap() -> None:
    items = many_events(2000)
    html = timeline_figure(items, groups=GROUPS, fig_id="big", width=720)
    svgs = all_svgs(html)
    assert len(svgs) == 21  # overview + one panel per year
    for root in svgs:
        assert_no_overlap(label_boxes(root), 720)
        assert float(root.attrib["height"]) <= 24 + 24 * 22 + 8 + 60 + 160
    # every aggregated link has its target in the same figure
    ids = set(re.findall(r'id="([^"]+)"', html))
    targets = {h[1:] for h in re.findall(r'href="(#[^"]+)"', html)}
    assert targets and targets <= ids
    # the text equivalent names every event once
    assert html.count("Ministry statement") == 2000


def test_dense_single_day_aggregates_by_month() -> None:
    items = [item(i, date(2016, 11, 23)) for i in range(40)]
    layout = timeline_layout(items, width=720, max_lanes=14)
    assert layout.mode == "aggregate"
    assert layout.unit == "month"
    assert [b.total for b in layout.bins if b.total] == [40]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3000),
            st.integers(0, 400),
            st.text(min_size=1, max_size=60),
            st.sampled_from(["occurred", "planned", "reported"]),
        ),
        min_size=1,
        max_size=80,
    ),
    st.sampled_from([320, 480, 720, 960]),
)
def test_labels_never_overlap_for_any_input(
    raw: list[tuple[int, int, str, str]], width: int
) -> None:
    items = [
        item(
            i,
            date(2012, 1, 1) + timedelta(days=off),
            date(2012, 1, 1) + timedelta(days=off + length),
            title=title,
            status=status,
        )
        for i, (off, length, title, status) in enumerate(raw)
    ]
    html = timeline_figure(items, groups=GROUPS, width=width)
    for root in all_svgs(html):
        assert_no_overlap(label_boxes(root), width)


def test_user_text_is_escaped_everywhere() -> None:
    evil = "<script>alert(\"x\")</script> & 'quote'"
    items = [item(1, date(2016, 11, 23), title=evil, url='x.html?a=1&b="2"')]
    html = timeline_figure(items, groups=[Group("gsomia", "<b>G</b>")], fig_id="t")
    assert "<script>" not in html
    assert "<b>" not in html
    root = all_svgs(html)[0]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and t.startswith('<script>alert("x")') for t in texts)
    assert root.find(f".//{SVG}a").attrib["href"] == 'x.html?a=1&b="2"'  # type: ignore[union-attr]
    matrix = involvement_matrix(
        [Link("a", "<i>A</i>", "a.html")], [Link("g", "G&G", "g.html")],
        {("a", "g"): [Link("e", "<img src=x>", "e.html", "2016")]},
    )  # fmt: skip
    assert "<i>" not in matrix and "<img" not in matrix
    assert "&lt;img src=x&gt;" in matrix


def test_svg_has_accessible_name_and_text_equivalent() -> None:
    items = ten_events()
    html = timeline_figure(items, groups=GROUPS, fig_id="tl", title="Timeline of the pact")
    root = all_svgs(html)[0]
    assert root.attrib["role"] == "group"  # its marks are links
    ids = root.attrib["aria-labelledby"].split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert [title.attrib["id"], desc.attrib["id"]] == ids
    assert title.text == "Timeline of the pact"
    assert "10 events from 2012 to 2019" in (desc.text or "")
    text_part = html.split('<details class="dossier-fig-text"', 1)[1]
    for it in items:
        assert f'<a href="{it.url}">{it.title}</a>' in text_part
    assert "planned or expected" in text_part
    assert 'id="tl-m2016-11"' in text_part


def test_planned_and_occurred_marks_differ() -> None:
    items = [item(1, date(2016, 11, 1)), item(2, date(2019, 11, 23), status="planned")]
    root = parse(timeline_svg(items, groups=GROUPS))
    marks = {}
    for a in root.iter(f"{SVG}a"):
        mark = next(el for el in a if "dm" in el.attrib.get("class", "").split())
        marks[a.attrib["data-id"]] = mark.attrib
    assert "ds-occurred" in marks["e1"]["class"] and "ds-planned" in marks["e2"]["class"]
    assert marks["e1"]["fill"] != "none"
    assert marks["e2"]["fill"] == "none"
    assert "stroke-dasharray" in marks["e2"] and "stroke-dasharray" not in marks["e1"]


def test_groups_get_distinct_colour_and_shape() -> None:
    items = [item(1, date(2016, 11, 1)), item(2, date(2018, 1, 1), group="tisa")]
    root = parse(timeline_svg(items, groups=GROUPS))
    marks = [
        next(el for el in a if "dm" in el.attrib.get("class", "").split())
        for a in root.iter(f"{SVG}a")
    ]
    assert marks[0].tag != marks[1].tag
    assert marks[0].attrib["fill"] != marks[1].attrib["fill"]
    legend = [t.text for t in root.iter(f"{SVG}text") if t.attrib.get("class") == "dlabel"]
    assert "GSOMIA" in legend and "Trilateral arrangement" in legend


def test_partial_dates_are_drawn_as_ranges() -> None:
    items = [
        item(1, date(2016, 11, 1), date(2016, 11, 30)),  # known to the month
        item(2, date(2017, 1, 1), date(2017, 12, 31)),  # known to the year
        item(3, date(2018, 5, 4)),  # known to the day
    ]
    root = parse(timeline_svg(items, width=720))
    ranges = {
        a.attrib["data-id"]: float(r.attrib["width"]) + 1
        for a in root.iter(f"{SVG}a")
        for r in a
        if "drange" in r.attrib.get("class", "")
    }
    assert set(ranges) == {"e1", "e2"}
    # A range is a band over its span, with no glyph at its start (which would claim a day).
    glyphs = {
        a.attrib["data-id"]
        for a in root.iter(f"{SVG}a")
        for r in a
        if "dm " in r.attrib.get("class", "") + " "
    }
    assert glyphs == {"e3"}
    per_year = (720 - 20) / 3  # three busy years share the axis equally
    assert ranges["e1"] == pytest.approx(per_year * 30 / 366, abs=0.3)
    assert ranges["e2"] == pytest.approx(per_year, abs=0.3)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2016, 11, 23), date(2016, 11, 23), "23 November 2016"),
        (date(2016, 11, 1), date(2016, 11, 30), "November 2016"),
        (date(2016, 1, 1), date(2016, 12, 31), "2016"),
        (date(2016, 11, 22), date(2016, 11, 23), "22–23 November 2016"),
        (date(2016, 11, 30), date(2016, 12, 2), "30 November 2016 – 2 December 2016"),
    ],
)
def test_format_span(start: date, end: date, expected: str) -> None:
    assert format_span(start, end) == expected


def test_role_strip_lists_each_observation() -> None:
    obs = [
        Observation("Foreign Minister", date(2019, 11, 13), date(2019, 11, 13), "South Korea",
                    "#claim-fm-2019"),
        Observation("Foreign Minister", date(2017, 6, 1), date(2017, 6, 30), "South Korea"),
    ]  # fmt: skip
    root = parse(role_strip_svg(obs, fig_id="roles"))
    assert_no_overlap(label_boxes(root), 560)
    assert root.attrib["aria-labelledby"] == "roles-title roles-desc"
    html = role_strip_figure(obs)
    assert (
        '<a href="#claim-fm-2019">Foreign Minister, South Korea</a>: observed 13 November 2019'
        in html
    )
    assert "observed June 2017" in html
    assert role_strip_figure([]) == ""
    # without links the strip is a picture; with them a group of links
    assert root.attrib["role"] == "group"
    plain = parse(role_strip_svg([replace(o, url="") for o in obs]))
    assert plain.attrib["role"] == "img"
    assert not list(plain.iter(f"{SVG}a"))


def test_matrix_cells_link_connecting_events_only() -> None:
    actors = [Link("kr", "South Korea", "kr.html"), Link("jp", "Japan", "jp.html"),
              Link("nobody", "Uninvolved", "n.html")]  # fmt: skip
    agreements = [Link("gsomia", "GSOMIA", "g.html"), Link("tisa", "TISA", "t.html")]
    links = {
        ("kr", "gsomia"): [Link("e1", "Talks announced", "e1.html", "2016-10-27"),
                           Link("e2", "Signed", "e2.html", "2016-11-23")],
        ("jp", "tisa"): [Link("e3", "Arrangement signed", "e3.html", "2014-12-29")],
    }  # fmt: skip
    html = involvement_matrix(actors, agreements, links)
    root = ET.fromstring(html)
    rows = root.findall(".//tbody/tr")
    assert [r.find("th/a").text for r in rows] == ["South Korea", "Japan"]  # type: ignore[union-attr]
    cells = rows[0].findall("td")
    assert [a.attrib["href"] for a in cells[0].iter("a")] == ["e1.html", "e2.html"]
    assert list(cells[1].iter("a")) == []
    assert all(th.attrib["scope"] == "col" for th in root.findall(".//thead/tr/th"))
    assert root.find(".//caption") is not None


def test_role_strip_within_one_year_shows_the_months_around_it() -> None:
    obs = [Observation("Deputy Secretary of State", date(2016, 10, 27), date(2016, 10, 27))]
    root = parse(role_strip_svg(obs))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.attrib.get("class") == "dtick"]
    assert ticks == ["Sep 2016", "Oct", "Nov"]  # the strip says which year it is


def test_many_groups_keep_distinct_colour_and_shape_pairs() -> None:
    index = {f"g{i}": i for i in range(36)}
    pairs = {style_of(g, index)[0::2] for g in index}
    assert len(pairs) == 36
    assert style_of("", index)[0] == "dgx"  # events without an agreement stay neutral


# ------------------------------------------------------------- partial dates (issue #16)


def test_a_year_only_event_is_never_filed_or_drawn_at_a_month() -> None:
    year_only = replace(item(1, date(2019, 1, 1), date(2019, 12, 31)), precision="year", rank=2)
    july = replace(item(2, date(2019, 7, 4)), rank=1)
    html = timeline_figure([year_only, july], fig_id="t")
    text = re.sub(r"<[^>]+>", " ", html.split('<details class="dossier-fig-text"', 1)[1])
    assert "January 2019" not in text and " 1 January" not in text
    assert "2019, month not known" in text
    # Story order: the sources place it after the July event, so it is listed after it.
    assert text.index("Event 2") < text.index("Event 1")
    assert text.index("July 2019") < text.index("2019, month not known")
    # In the figure it spans the whole year: from 1 January to 31 December, no glyph.
    root = parse(timeline_svg([year_only, july], width=720))
    band = next(r for r in root.iter(f"{SVG}rect") if "drange" in r.attrib.get("class", ""))
    layout = timeline_layout([year_only, july], width=720)
    x0 = layout.scale.x(date(2019, 1, 1))
    x1 = layout.scale.x_end(date(2019, 12, 31))
    assert float(band.attrib["x"]) == pytest.approx(x0 + 0.5, abs=0.1)
    assert float(band.attrib["width"]) == pytest.approx(x1 - x0 - 1, abs=0.1)


def test_a_year_only_event_is_in_no_month_bar() -> None:
    items = [item(n, date(2019, 3, n)) for n in range(1, 28)] + [
        replace(item(99, date(2019, 1, 1), date(2019, 12, 31)), precision="year")
    ]
    layout = timeline_layout(items, width=300, max_lanes=2)
    assert layout.mode == "aggregate" and layout.unit == "month"
    assert sum(b.total for b in layout.bins) == 27
    assert next(b for b in layout.bins if b.key == "2019-01").total == 0


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(1910, 1, 1), date(1945, 12, 31), "1910–1945"),
        (date(2016, 10, 1), date(2016, 11, 30), "October–November 2016"),
        (date(2016, 12, 1), date(2017, 1, 31), "December 2016 – January 2017"),
    ],
)
def test_spans_of_partial_dates_read_at_their_precision(
    start: date, end: date, expected: str
) -> None:
    assert format_span(start, end) == expected


def test_every_busy_year_on_the_axis_has_a_label() -> None:
    years = range(2006, 2020)
    items = [item(y, date(y, 6, 1)) for y in years]
    root = parse(timeline_svg(items, width=360))
    ticks = [t.text or "" for t in root.iter(f"{SVG}text") if t.attrib.get("class") == "dtick"]
    named = {int(t) if t.isdigit() else 2000 + int(t[1:]) for t in ticks}
    assert named == set(years), ticks
