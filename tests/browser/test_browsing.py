"""Browsing in headless Chromium: the timeline's filters and the story's note pop-ups."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from browser_support import ARTIFACTS, PageLog

pytestmark = pytest.mark.browser

OpenPage = Callable[..., tuple[Any, PageLog]]


def test_timeline_filter_by_year_hides_the_rest_and_counts(open_page: OpenPage) -> None:
    page, log = open_page("records/timeline.html")
    items = page.locator("li.dossier-facet-item")
    total = items.count()
    assert total > 10
    count = page.locator(".dossier-facet-count")
    assert count.inner_text() == f"{total} of {total} events"
    year = page.get_by_label("Year", exact=True)
    year.select_option("2016")
    expected = page.locator("li.dossier-facet-item.dossier-f-year-2016").count()
    assert 0 < expected < total
    assert count.inner_text() == f"{expected} of {total} events"
    assert page.locator("li.dossier-facet-item:visible").count() == expected
    # The year headings of the hidden years are hidden too.
    assert page.locator("p.dossier-year:visible, .dossier-year:visible").count() == 1
    # Facets combine: 2016 and an agreement; the keyboard reaches every control.
    page.get_by_label("Agreement", exact=True).select_option("gsomia")
    both = page.locator("li.dossier-f-year-2016.dossier-f-agreement-gsomia").count()
    assert count.inner_text() == f"{both} of {total} events"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline-filtered-2016-gsomia.png"), full_page=True)
    page.get_by_role("button", name="Show all").click()
    page.wait_for_function(
        "n => document.querySelector('.dossier-facet-count').textContent.startsWith(n + ' of')",
        arg=total,
    )
    assert page.locator("li.dossier-facet-item:visible").count() == total
    assert log.problems() == []


def test_without_javascript_the_timeline_lists_everything(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server}/records/timeline.html")
        items = page.locator("li.dossier-facet-item")
        assert items.count() > 10
        assert page.locator("li.dossier-facet-item:visible").count() == items.count()
        assert page.locator("form.dossier-facets").count() == 0
    finally:
        context.close()


def test_story_note_shows_its_source_words(open_page: OpenPage) -> None:
    page, log = open_page("about.html")
    marker = page.locator("a.dossier-marker.dossier-note").first
    href = marker.get_attribute("href")
    assert href and re.fullmatch(r"#dossier-note-\d+", href)
    quote = page.locator(f"li[id='{href[1:]}'] .dossier-quote").first.inner_text()
    marker.focus()
    tip = page.locator(".dossier-tip:visible")
    tip.wait_for(state="visible", timeout=3000)
    assert quote.strip("“” \n")[:30] in tip.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "story-note-popup.png"))
    assert log.problems() == []


@pytest.mark.parametrize("path", ["about.html", "records/as-of/2016-11-12.html", "index.html"])
@pytest.mark.parametrize("width", [1280, 390])
def test_browse_pages_fit_the_screen_and_are_accessible(
    open_page: OpenPage, axe_source: str, path: str, width: int
) -> None:
    from test_site import AXE_JS

    page, log = open_page(path, width=width)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = path.replace("/", "-").removesuffix(".html")
    page.screenshot(path=str(ARTIFACTS / f"browse-{name}-{width}.png"), full_page=True)
    assert log.problems() == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a {width}px screen"
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(AXE_JS)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_events_index_filters_by_status(open_page: OpenPage) -> None:
    page, log = open_page("dossier-events.html")
    rows = page.locator("tr.dossier-facet-item")
    total = rows.count()
    assert total > 40
    page.get_by_label("Status", exact=True).select_option("planned")
    planned = page.locator("tr.dossier-f-status-planned").count()
    assert 0 < planned < total
    assert page.locator("tr.dossier-facet-item:visible").count() == planned
    assert page.locator(".dossier-facet-count").inner_text() == f"{planned} of {total} events"
    # Years without a planned event lose their heading row.
    assert page.locator("tr.cap:visible").count() < page.locator("tr.cap").count()
    assert log.problems() == []
