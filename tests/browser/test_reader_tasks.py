"""The five reader tasks of issue #16, walked through in a browser as a newcomer would.

Each step asserts what the reader should see, so a broken path fails the test, and
leaves a screenshot in test-artifacts/browser/tasks/ (``<task>-<step>-<what>.png``):

a. the story in five minutes: home page, then the story;
b. one fact down to the source words: story, claim, its pop-up, citation, source;
c. everything about one person: actors index, a person's page with roles;
d. cite a fact: a record's "Cite" menu and a claim's "Cite this claim", copied;
e. read on a phone: the timeline and a record page at 390 px, with a pop-up.

The selectors a reader's path depends on are the constants below, so that a change of
page design means a change here, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, PageLog, pick

pytestmark = pytest.mark.browser

OpenPage = Callable[..., tuple[Any, PageLog]]
SHOTS = ARTIFACTS / "tasks"
PHONE = 390

#: The home page's way into the story: a "Start here" link once there is one, else the
#: link to the story page itself.
START_LINK = "main a:has-text('Start here'), [role=main] a:has-text('Start here')"
STORY_LINK = "[role=main] a[href$='about.html'], main a[href$='about.html']"
#: Evidence in the story: numbered markers (with pop-ups) where the story has them;
#: links to claims.
STORY_MARKER = "a.dossier-marker"
CLAIM_LINK = "a:has(> .dossier-claim)"
#: One sitting's worth of reading: five minutes at about 250 words a minute.
FIVE_MINUTES_OF_WORDS = 1250

OPEN_TIP = ".dossier-tip.dossier-tip-open"


def shot(page: Any, name: str, *, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def main_words(page: Any) -> int:
    """Words of the page's own text: its endnotes ("Sources for this page") are where
    a reader looks a marker up, not part of the reading."""
    text = page.locator("[role=main], main").first.inner_text()
    notes = page.locator("section.dossier-notes")
    for k in range(notes.count()):
        text = text.replace(notes.nth(k).inner_text(), "")
    return len(re.findall(r"\w+", text))


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1"))


def test_a_the_story_in_five_minutes(open_page: OpenPage) -> None:
    page, log = open_page("index.html")
    shot(page, "a-1-home")
    start = page.locator(START_LINK)
    # Until the home page has its "Start here", the story is reached by its own link.
    link = start.first if start.count() else page.locator(STORY_LINK).first
    assert link.is_visible(), "the home page shows no way into the story"
    link.click()
    page.wait_for_url(re.compile(r"/about\.html(#.*)?$"))
    heading = page.locator("h1").first
    assert heading.is_visible() and heading.inner_text().strip("¶ \n")
    words = main_words(page)
    assert 200 < words <= FIVE_MINUTES_OF_WORDS, f"the story has {words} words"
    assert page.locator("[role=main] h2, main h2").count() >= 2, "no sections to skim"
    shot(page, "a-2-story")
    shot(page, "a-3-story-whole", full=True)
    assert log.problems() == []


def test_b_one_fact_down_to_the_source_words(open_page: OpenPage) -> None:
    page, log = open_page("about.html")
    markers = page.locator(f"[role=main] {STORY_MARKER}")
    if markers.count():  # the story's own pop-ups, where it has numbered markers
        markers.first.hover()
        page.locator(OPEN_TIP).wait_for(state="visible", timeout=3000)
        shot(page, "b-1-story-popup")
        page.mouse.move(0, 0)
    claim_link = page.locator(f"[role=main] {CLAIM_LINK}").first
    assert claim_link.count(), "the story links to no claim"
    href = claim_link.get_attribute("href") or ""
    claim_id = href.rsplit("#", 1)[-1]
    claim_link.click()

    # The claim, on its record's page, in view and marked as the target.
    page.wait_for_url(re.compile(rf"#{re.escape(claim_id)}$"))
    claim = page.locator(f"[id='{claim_id}']")
    assert claim.is_visible() and claim.evaluate("el => el.matches(':target')")
    # Scrolling to the fragment comes once the page has loaded: wait for it (a bounded
    # wait, which fails if the claim never comes into view).
    page.wait_for_function(
        "id => document.getElementById(id).getBoundingClientRect().top < innerHeight",
        arg=claim_id,
        timeout=5000,
    )
    shot(page, "b-2-claim")

    # Its marker shows the source and the quote on hover, then leads to the citation.
    marker = claim.locator("a.dossier-marker").first
    marker.hover()
    tip = page.locator(OPEN_TIP)
    tip.wait_for(state="visible", timeout=3000)
    shot(page, "b-3-claim-popup")
    cite_href = marker.get_attribute("href") or ""
    entry = page.locator(f"li[id='{cite_href[1:]}']")
    quote = entry.locator(".dossier-quote").first.inner_text().strip("“” \n")
    assert quote and quote[:40] in tip.inner_text()
    marker.click()
    page.wait_for_url(re.compile(re.escape(cite_href) + "$"))
    assert entry.is_visible()
    shot(page, "b-4-citation")

    # The source's page holds the same words.
    entry.locator("a:has(.dossier-source)").first.click()
    page.wait_for_url(re.compile(r"/records/sources/"))
    quotes = page.locator(".dossier-quote").all_inner_texts()
    assert any(quote[:40] in q for q in quotes), "the quote is not on the source's page"
    page.locator(".dossier-quote", has_text=quote[:40]).first.scroll_into_view_if_needed()
    shot(page, "b-5-source-quote")
    assert log.problems() == []


def test_c_everything_about_one_person(open_page: OpenPage, site: Path) -> None:
    person = pick(site, "actors", "dossier-role-strip")  # the person with most roles
    page, log = open_page("records/actors.html")
    shot(page, "c-1-actors")
    link = page.locator(f"[role=main] a[href^='{person.split('/', 1)[1]}']").first
    assert link.is_visible(), f"the actors index does not list {person}"
    name = link.inner_text().strip()
    link.click()
    page.wait_for_url(re.compile(re.escape(person)))
    assert page.locator("h1").first.inner_text().strip("¶ \n") == name
    roles = page.locator("section:has(> h2:has-text('Roles'))")
    assert roles.is_visible(), "the person's page shows no roles"
    assert roles.locator("li").count() >= 1
    assert page.locator("a.dossier-marker").count() >= 1, "the roles cite nothing"
    shot(page, "c-2-person")
    shot(page, "c-3-person-whole", full=True)
    assert log.problems() == []


def test_d_cite_a_fact(open_page: OpenPage, site: Path, server: str) -> None:
    record = pick(site, "events", "dossier-cite-claim")
    page, log = open_page(record)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    menu = page.locator("details.dossier-cite-record")
    menu.locator("> summary").click()
    apa = menu.locator(".dossier-cite-format[data-format='apa']")
    assert apa.is_visible() and server + record in apa.inner_text()
    shot(page, "d-1-cite-entry")
    apa.locator("button.dossier-cite-copy").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(apa.locator(".dossier-cite-text").inner_text())

    claim = page.locator("details.dossier-cite-claim").first
    claim_id = claim.evaluate("d => d.closest('.dossier-claim').id")
    claim.locator("> summary").click()
    box = claim.locator(".dossier-cite-format[data-format='apa']")
    assert box.locator(".dossier-cite-url").inner_text().endswith(f"#{claim_id}")
    shot(page, "d-2-cite-claim")
    box.locator("button.dossier-cite-copy").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert f"#{claim_id}" in copied and "Quoting “" in copied  # the evidence comes along
    assert log.problems() == []


def test_e_read_on_a_phone(open_page: OpenPage, site: Path) -> None:
    page, log = open_page("records/timeline.html", width=PHONE, touch=True)
    shot(page, "e-1-timeline-top")
    assert no_sideways_scroll(page)
    events = page.locator("figure.dossier-timeline .dossier-fig-text li > a")
    assert events.count() > 10 and events.first.is_visible()
    latest = events.last
    latest.scroll_into_view_if_needed()
    box = latest.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    shot(page, "e-2-timeline-latest")

    record = pick(site, "agreements", "dossier-marker")
    page, log2 = open_page(record, width=PHONE, touch=True)
    assert no_sideways_scroll(page)
    shot(page, "e-3-record")
    marker = page.locator("a.dossier-marker").first
    marker.scroll_into_view_if_needed()
    marker.tap()
    tip = page.locator(OPEN_TIP)
    tip.wait_for(state="visible", timeout=3000)
    assert page.url.endswith(record), "the tap jumped away instead of showing the evidence"
    shot(page, "e-4-record-popup")
    tip.locator("button.dossier-tip-close").tap()
    tip.wait_for(state="hidden", timeout=3000)
    shot(page, "e-5-record-whole", full=True)
    assert log.problems() == [] and log2.problems() == []
