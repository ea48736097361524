"""The built site as a reader sees it, in headless Chromium: clean loads, accessibility,
figures that link where they say, citations that show their evidence, no broken links."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, AXE_JS, PageLog, broken_links, pick

pytestmark = pytest.mark.browser

OpenPage = Callable[..., tuple[Any, PageLog]]
PAGE_NAMES = ("home", "timeline", "agreements", "event", "agreement", "actor", "source")


@pytest.fixture(scope="session")
def pages(site: Path) -> dict[str, str]:
    return {
        "home": "index.html",
        "timeline": "records/timeline.html",
        "agreements": "records/agreements.html",
        "event": pick(site, "events", "dossier-marker"),
        "agreement": pick(site, "agreements", 'class="dlink"'),
        "actor": pick(site, "actors", "dossier-role-strip"),
        "source": pick(site, "sources", "dossier-quote-link"),
    }


LABEL_BOXES_JS = """
() => Array.from(document.querySelectorAll('svg.dossier-svg'))
  .filter(svg => svg.getClientRects().length)  // on a phone the figures are lists
  .map(svg =>
  Array.from(svg.querySelectorAll('text.dlabel[data-box]')).map(t => {
    const b = t.getBBox();
    const [l, r] = t.dataset.box.split(' ').map(Number);
    return {x: b.x, y: b.y, w: b.width, h: b.height, l: l, r: r, text: t.textContent};
  }))
"""


def overlapping_labels(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    bad = []
    for a, b in combinations(boxes, 2):
        if (
            a["x"] < b["x"] + b["w"]
            and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"]
            and b["y"] < a["y"] + a["h"]
        ):
            bad.append((a["text"], b["text"]))
    return bad


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_loads_cleanly_and_is_accessible(
    open_page: OpenPage, pages: dict[str, str], axe_source: str, name: str, width: int, scheme: str
) -> None:
    page, log = open_page(pages[name], width=width, scheme=scheme)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    assert log.problems() == []

    # The page itself never scrolls sideways (test_phone.py checks every page at 390 px).
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a {width}px screen"

    # Rendered labels stay inside the boxes the layout reserved, so they never overlap.
    for boxes in page.evaluate(LABEL_BOXES_JS):
        for box in boxes:
            assert box["l"] - 0.5 <= box["x"] and box["x"] + box["w"] <= box["r"] + 0.5, box
        assert overlapping_labels(boxes) == []

    page.add_script_tag(content=axe_source)
    violations = page.evaluate(AXE_JS)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_dark_mode_changes_figure_colours(open_page: OpenPage, pages: dict[str, str]) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page, _ = open_page(pages["timeline"], scheme=scheme)
        colours[scheme] = page.evaluate(
            """() => {
                const label = document.querySelector('svg.dossier-svg text.dlabel');
                const mark = document.querySelector('svg.dossier-svg .dm.dg0, svg.dossier-svg .dm');
                return [getComputedStyle(label).fill, getComputedStyle(mark).fill,
                        getComputedStyle(document.body).backgroundColor];
            }"""
        )
    assert colours["light"][0] != colours["dark"][0]
    assert colours["light"][2] != colours["dark"][2]


def test_timeline_mark_leads_to_the_event_page(open_page: OpenPage, pages: dict[str, str]) -> None:
    page, log = open_page(pages["timeline"])
    mark = page.locator("svg.dossier-svg a.dlink[data-id]").first
    event_id = mark.get_attribute("data-id")
    assert event_id
    mark.scroll_into_view_if_needed()
    mark.click()
    page.wait_for_url(re.compile(rf"/records/events/{re.escape(event_id)}\.html#{event_id}$"))
    assert page.locator(f"section#{event_id} h1").count() == 1
    assert log.problems() == []


def test_timeline_overview_bar_leads_to_its_panel(
    open_page: OpenPage, pages: dict[str, str]
) -> None:
    page, _ = open_page(pages["timeline"])
    bars = page.locator("svg.dossier-svg a.dbin")
    if bars.count() == 0:  # a small dataset is drawn event by event: nothing to aggregate
        assert page.locator("svg.dossier-detail").count() >= 1
        return
    bar = bars.last
    href = bar.get_attribute("href")
    assert href and href.startswith("#")
    bar.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    target = page.locator(f"[id='{href[1:]}']")
    assert target.count() == 1
    panel = page.locator(f".dossier-fig-zoom:has([id='{href[1:]}']) svg")
    assert panel.count() == 1 and panel.is_visible()


def test_citation_marker_shows_evidence_and_leads_to_the_entry(
    open_page: OpenPage, pages: dict[str, str]
) -> None:
    page, log = open_page(pages["event"])
    marker = page.locator("a.dossier-marker").first
    href = marker.get_attribute("href")
    assert href and href.startswith("#cite-")
    entry = page.locator(f"li[id='{href[1:]}']")
    quote = entry.locator(".dossier-quote").first.inner_text().strip("“” \n")

    marker.hover()
    tip = page.locator(".dossier-tip:visible")
    tip.wait_for(state="visible", timeout=3000)
    assert quote[:40] in tip.inner_text()
    page.mouse.move(0, 0)

    marker.focus()
    tip.wait_for(state="visible", timeout=3000)
    described = marker.get_attribute("aria-describedby")
    assert described and quote[:40] in page.locator(f"[id='{described}']").inner_text()
    assert tip.locator(f"[id='{described}']").count() == 1  # the evidence, not its buttons

    page.keyboard.press("Escape")
    page.locator(".dossier-tip:visible").wait_for(state="hidden", timeout=3000)

    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    assert entry.is_visible()
    assert log.problems() == []


def test_cite_controls_give_todays_date_the_address_and_copy(
    open_page: OpenPage, pages: dict[str, str], server: str
) -> None:
    import datetime

    from sphinx_dossier.outputs.citation import format_date

    page, log = open_page(pages["event"])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    menu = page.locator("details.dossier-cite-record")
    assert not menu.locator(".dossier-cite-panel").is_visible()
    menu.locator("> summary").click()
    apa = menu.locator(".dossier-cite-format[data-format='apa'] .dossier-cite-text")
    assert apa.is_visible()
    today = datetime.date.today().isoformat()
    assert f"Retrieved {format_date('{MMMM} {D}, {Y}', today)}, from {server}" in apa.inner_text()
    mla = menu.locator(".dossier-cite-format[data-format='mla'] .dossier-cite-text").inner_text()
    assert f"Accessed {format_date('{D} {MMM} {Y}', today)}." in mla
    assert "[date of access]" not in menu.inner_text()

    claim = page.locator("details.dossier-cite-claim").first
    claim_id = claim.evaluate("d => d.closest('.dossier-claim').id")
    claim.locator("> summary").click()
    box = claim.locator(".dossier-cite-format[data-format='apa']")
    url = box.locator(".dossier-cite-url").inner_text()
    assert url.startswith(server) and url.endswith(f".html#{claim_id}")
    box.locator("button.dossier-cite-copy").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(box.locator(".dossier-cite-text").inner_text())
    assert "Quoting “" in copied  # the evidence comes along

    # The id and permalink are behind the claim's "Claim id" toggle (a <details>).
    page.locator(f"[id='{claim_id}'] details.dossier-claim-more > summary").click()
    link = page.locator(f"[id='{claim_id}'] a.dossier-permalink")
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement.blur()")
    assert link.evaluate("a => getComputedStyle(a).opacity") == "0"
    link.focus()  # reachable by keyboard, and then shown
    assert link.evaluate("a => document.activeElement === a")
    assert link.evaluate("a => getComputedStyle(a).opacity") == "1"
    assert log.problems() == []


def test_every_internal_link_and_anchor_exists(site: Path) -> None:
    assert len(list(site.rglob("*.html"))) > 20
    broken, checked = broken_links(site)
    assert checked > 100
    assert broken == [], "\n".join(broken[:40])
