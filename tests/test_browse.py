"""Browsing the real site (issue #16, items 4 and 5): the story with numbered notes, the
home page's start block and coverage date, facet filters, previous/next on event pages
and the "as of" pages."""

from __future__ import annotations

import re

import pytest
import site_build

pytestmark = pytest.mark.sphinx


@pytest.fixture(scope="module")
def site() -> site_build.Site:
    return site_build.real_site()


def _page(site: site_build.Site, name: str) -> str:
    return (site.outdir / name).read_text(encoding="utf-8")


def _body(html: str) -> str:
    return html.split("<h1", 1)[1].split("<footer", 1)[0]


def test_the_story_has_numbered_notes_and_an_endnote_list(site: site_build.Site) -> None:
    html = _body(_page(site, "about.html"))
    story, notes = html.split('id="dossier-notes"', 1)
    markers = re.findall(
        r'<a class="dossier-marker[^"]*" href="#dossier-note-(\d+)">\[(\d+)\]', story
    )
    assert len(markers) >= 30
    assert all(href == label for href, label in markers)
    numbers = [int(n) for n, _ in markers]
    # Numbered in reading order: each new number is one more than the highest so far.
    highest = 0
    for number in numbers:
        assert number <= highest + 1
        highest = max(highest, number)
    # Every number has its note, with the source's words for claims.
    for number in set(numbers):
        assert f'<li id="dossier-note-{number}">' in notes
    assert "Sources for this page" in notes
    assert 'class="dossier-quote"' in notes
    # No parenthetical links are left in the story.
    assert not re.search(r"\(<a class=\"reference internal\"", story)


def test_story_link_words_are_few(site: site_build.Site) -> None:
    story = _body(_page(site, "about.html")).split('id="dossier-notes"', 1)[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", story, re.S)
    words = links = 0
    for paragraph in paragraphs:
        text = re.sub(r"<[^>]+>", " ", paragraph)
        words += len(text.split())
        for attrs, link in re.findall(r"<a ([^>]*)>(.*?)</a>", paragraph, re.S):
            if "dossier-marker" not in attrs:
                links += len(re.sub(r"<[^>]+>", " ", link).split())
    assert words > 500
    assert links / words < 0.15  # it was 30 % with parenthetical links


def _section(html: str, heading: str) -> str:
    """The part of an as-of page under the rubric starting with ``heading``."""
    part = html.split(f'<p class="rubric">{heading} (', 1)[1]
    return part.split('<p class="rubric">', 1)[0]


def _events(html: str) -> list[str]:
    return re.findall(r'href="(?:\.\./)*(?:records/)?events/([a-z0-9-]+)\.html', html)


def test_as_of_pages_use_only_sources_published_by_then(site: site_build.Site) -> None:
    early = _page(site, "records/as-of/2016-10-27.html")
    middle = _page(site, "records/as-of/2016-11-12.html")
    late = _page(site, "records/as-of/2019-11-13.html")
    happened = {
        name: _events(_section(html, "Reported as having happened"))
        for name, html in (("early", early), ("middle", middle), ("late", late))
    }
    expected = {
        name: _events(_section(html, "Planned or expected at that date"))
        for name, html in (("early", early), ("middle", middle), ("late", late))
    }
    # Only the 12 November 2016 and later sources report the second round of talks.
    assert "gsomia-talks-second-round-2016" not in happened["early"] + expected["early"]
    assert "gsomia-talks-second-round-2016" in happened["middle"]
    # 2019 events are unknown in 2016.
    assert not any(event.endswith("2019") for event in happened["early"] + expected["middle"])
    # A source published before an event can only say it was planned: the 27 October
    # sources expect the 1 November talks, the 12 November one reports them.
    assert "gsomia-talks-first-round-2016" in expected["early"]
    assert "gsomia-talks-first-round-2016" in happened["middle"]
    # The 12 November source still speaks of the signing as to come; 2019 sources report it.
    assert "gsomia-signed-2016" in expected["middle"]
    assert "gsomia-signed-2016" in happened["late"]
    # Knowledge only grows: what had happened stays happened.
    assert set(happened["early"]) <= set(happened["middle"]) <= set(happened["late"])
    # The undated source is on no page, and the page says so.
    assert "vestnik-kavkaza-reuters-gsomia-scrapped" not in _section(
        early, "Sources published by then"
    )
    assert "Undated sources are on no" in early


def test_as_of_pages_are_listed_and_linked_from_source_pages(site: site_build.Site) -> None:
    timeline = _page(site, "records/timeline.html")
    listed = re.findall(r'href="as-of/([0-9-]+)\.html"', timeline)
    assert listed == ["2016-10-27", "2016-11-12", "2019-11-13"]
    source = _page(site, "records/sources/bureau-2016-11-12-tentative-signing.html")
    assert 'href="../as-of/2016-11-12.html"' in source
    undated = _page(site, "records/sources/vestnik-kavkaza-reuters-gsomia-scrapped.html")
    assert "as-of/" not in undated


def _timeline_order(site: site_build.Site) -> list[str]:
    html = _page(site, "records/timeline.html")
    return re.findall(
        r'<li class="[^"]*dossier-facet-item[^"]*"><p>.*?href="events/([a-z0-9-]+)\.html', html
    )


def test_previous_and_next_follow_the_timeline(site: site_build.Site) -> None:
    order = _timeline_order(site)
    assert len(order) == len(list((site_build.ROOT / "data" / "events").glob("*.yaml")))
    for index, event in enumerate(order):
        html = _page(site, f"records/events/{event}.html")
        box = html.split('<div class="dossier-neighbours', 1)[1].split("</div>", 1)[0]
        previous = re.findall(r'class="dossier-previous".*?href="([a-z0-9-]+)\.html', box)
        following = re.findall(r'class="dossier-next".*?href="([a-z0-9-]+)\.html', box)
        assert previous == ([order[index - 1]] if index else []), event
        assert following == ([order[index + 1]] if index + 1 < len(order) else []), event
    first = _page(site, f"records/events/{order[0]}.html")
    assert "Previous event" not in first


def test_timeline_lists_every_event_with_its_facets(site: site_build.Site) -> None:
    import json

    import yaml

    html = _page(site, "records/timeline.html")
    items = re.findall(
        r'<li class="([^"]*dossier-facet-item[^"]*)"><p>.*?href="events/([a-z0-9-]+)\.html', html
    )
    assert len(items) == len(_timeline_order(site)) > 40
    for classes, event in items:
        data = yaml.safe_load(
            (site_build.ROOT / "data" / "events" / f"{event}.yaml").read_text(encoding="utf-8")
        )
        wanted = {f"dossier-f-status-{data['status']}"}
        wanted |= {f"dossier-f-actor-{actor}" for actor in data.get("actors") or []}
        wanted |= {f"dossier-f-agreement-{a}" for a in data.get("agreements") or []}
        assert wanted <= set(classes.split()), event
        assert any(c.startswith("dossier-f-year-") for c in classes.split()), event
    labels = json.loads(
        html.split('<script type="application/json" class="dossier-facets">', 1)[1].split(
            "</script>", 1
        )[0]
    )
    assert [facet["name"] for facet in labels["facets"]] == ["agreement", "actor", "status", "year"]
    years = dict(labels["facets"][3]["values"])
    assert "2016" in years and "2019" in years


def test_home_page_starts_here_and_says_where_coverage_ends(site: site_build.Site) -> None:
    import yaml

    html = _body(_page(site, "index.html"))
    assert "Start here" in html
    for page in ("about.html", "records/timeline.html", "reuse.html"):
        assert f'href="{page}' in html
    dates = []
    for path in (site_build.ROOT / "data" / "sources").glob("*.yaml"):
        published = yaml.safe_load(path.read_text(encoding="utf-8")).get("published")
        if published:
            dates.append(str(published.get("value") if isinstance(published, dict) else published))
    assert max(dates) == "2019-11-13"  # the data's; the page must print it, not a typed date
    assert re.search(
        r'newest dated source, of <span class="dossier-coverage-end">13 November 2019</span>', html
    )
    assert "index.md" not in html
    assert "13 November 2019" not in (site_build.ROOT / "docs" / "index.md").read_text()


def test_events_index_carries_the_filter_data(site: site_build.Site) -> None:
    import json

    html = _page(site, "dossier-events.html")
    head = html.split("</head>", 1)[0]
    script = head.split('<script type="application/json" class="dossier-facets" data-scope="', 1)
    assert len(script) == 2
    data = json.loads(script[1].split(">", 1)[1].split("</script>", 1)[0])
    assert set(data["items"]) == set(_timeline_order(site))
    assert "dossier-f-year-2016" in data["items"]["gsomia-talks-first-round-2016"]
    # Without the script every event is still listed.
    assert all(f"events/{event}.html" in html for event in data["items"])
