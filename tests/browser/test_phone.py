"""The site on a phone (390 px, touch): no page scrolls sideways, figures are lists that
fit, every control is big enough for a finger, citation pop-ups open on a tap, close,
and never sit on the line they explain. Screenshots go to test-artifacts/browser/phone/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, AXE_JS, PageLog, pick

pytestmark = pytest.mark.browser

OpenPage = Callable[..., tuple[Any, PageLog]]
PHONE = 390
SHOTS = ARTIFACTS / "phone"
#: Containers that may scroll sideways inside the page: tables and code.
MAY_SCROLL = "pre, .highlight, .table-wrapper, table, .dossier-matrix-wrap"
#: The dossier's own controls: always 24 x 24 px, whatever surrounds them.
CONTROLS = (
    "a.dossier-marker, a.dossier-permalink, a.dossier-claim-id, a.dossier-back, "
    "a.dossier-tip-go, summary, button, .dossier-svg a"
)

#: Elements that scroll sideways although they are not tables or code, and the page's own
#: overflow.
OVERFLOW_JS = """
(allowed) => {
  const wide = Array.from(document.querySelectorAll('body *')).filter(el => {
    if (!el.getClientRects().length || el.closest(allowed)) return false;
    const style = getComputedStyle(el);
    return /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
  }).map(el => `${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}`
                + ` (${el.scrollWidth} in ${el.clientWidth} px)`);
  return {page: document.documentElement.scrollWidth - window.innerWidth, inner: wide};
}
"""

#: WCAG 2.5.8 (target size, minimum) in the page's main content: every target at least
#: 24 x 24 px, unless it is a link inside a sentence (the inline exception) or a 24 px
#: circle around it touches no other target (the spacing exception). The dossier's own
#: controls get no exception.
TARGETS_JS = """
(controls) => {
  const root = document.querySelector('[role=main], main') || document.body;
  const all = Array.from(root.querySelectorAll(
    'a[href], button, summary, input, select, textarea, [role=button]'));
  const targets = all.filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  }).map(el => ({el: el, r: el.getBoundingClientRect()}));
  const small = t => t.r.width < 23.5 || t.r.height < 23.5;
  const centre = t => [t.r.left + t.r.width / 2, t.r.top + t.r.height / 2];
  const inSentence = el => {
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    const words = s => s.replace(/\\s+/g, ' ').trim().length;
    return block && words(block.textContent) - words(el.textContent) >= 3;
  };
  const distance = (p, r) => Math.hypot(
    Math.max(r.left - p[0], 0, p[0] - r.right), Math.max(r.top - p[1], 0, p[1] - r.bottom));
  const name = t => `${t.el.tagName.toLowerCase()}.${t.el.getAttribute('class') || ''} `
    + `"${t.el.textContent.trim().slice(0, 30)}" `
    + `${Math.round(t.r.width)}x${Math.round(t.r.height)}`;
  const bad = [];
  for (const t of targets.filter(small)) {
    if (t.el.matches(controls)) { bad.push(name(t) + ' (a control)'); continue; }
    if (inSentence(t.el)) continue;
    const c = centre(t);
    const near = o => distance(c, o.r) < 12
      || (small(o) && Math.hypot(c[0] - centre(o)[0], c[1] - centre(o)[1]) < 24);
    const crowded = targets.some(
      o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) && near(o));
    if (crowded) bad.push(name(t));
  }
  return bad;
}
"""

#: Where the open pop-up is, and the line of its marker: the marker and the character
#: before it.
TIP_JS = """
() => {
  const tip = document.querySelector('.dossier-tip.dossier-tip-open');
  if (!tip) return null;
  const marker = tip.parentNode.querySelector('a.dossier-marker');
  const m = marker.getBoundingClientRect();
  let top = m.top, bottom = m.bottom;
  let node = marker;
  while (!node.previousSibling && node.parentNode !== document.body) node = node.parentNode;
  const before = node.previousSibling;
  if (before && before.nodeType === 3 && before.length) {
    const range = document.createRange();
    range.setStart(before, before.length - 1);
    range.setEnd(before, before.length);
    const r = range.getBoundingClientRect();
    if (r.height) { top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom); }
  }
  const t = tip.getBoundingClientRect();
  return {left: t.left, right: t.right, top: t.top, bottom: t.bottom,
          lineTop: top, lineBottom: bottom, width: window.innerWidth, height: window.innerHeight};
}
"""


def site_pages(site: Path) -> list[str]:
    """Every page of the built site a reader can open."""
    return sorted(
        str(path.relative_to(site)).replace("\\", "/")
        for path in site.rglob("*.html")
        if "_sources" not in path.parts and "_static" not in path.parts
    )


@pytest.fixture(scope="module")
def phone_crawl(browser: Any, server: str, site: Path) -> Iterator[dict[str, dict[str, Any]]]:
    """Every page opened once at 390 px on a touch screen: its overflow and small targets."""
    context = browser.new_context(
        viewport={"width": PHONE, "height": 844},
        device_scale_factor=1,
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    results: dict[str, dict[str, Any]] = {}
    try:
        for path in site_pages(site):
            page.goto(server + path, wait_until="load")
            measured = page.evaluate(OVERFLOW_JS, MAY_SCROLL)
            measured["targets"] = page.evaluate(TARGETS_JS, CONTROLS)
            results[path] = measured
        yield results
    finally:
        context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone_crawl: dict[str, dict[str, Any]]) -> None:
    assert len(phone_crawl) > 40
    wider = {path: m["page"] for path, m in phone_crawl.items() if m["page"] > 1}
    assert wider == {}, f"pages wider than {PHONE} px"
    inner = {path: m["inner"] for path, m in phone_crawl.items() if m["inner"]}
    assert inner == {}, "boxes that scroll sideways (only tables and code may)"


def test_every_target_takes_a_finger(phone_crawl: dict[str, dict[str, Any]]) -> None:
    small = {path: m["targets"] for path, m in phone_crawl.items() if m["targets"]}
    assert small == {}, "targets under 24 x 24 px (WCAG 2.5.8)"


#: Figures that become lists on a phone: (page, what the list is).
FIGURE_PAGES = {
    "timeline": "records/timeline.html",
    "lifecycle": "records/agreements/gsomia.html",
    "roles": "records/actors/moon-jae-in.html",
}

FIGURE_JS = """
() => Array.from(document.querySelectorAll('figure.dossier-figure')).map(fig => ({
  drawn: Array.from(fig.querySelectorAll('svg.dossier-svg'))
    .filter(svg => svg.getClientRects().length).length,
  scrolls: Array.from(fig.querySelectorAll('.dossier-fig-scroll'))
    .filter(box => box.getClientRects().length && box.scrollWidth > box.clientWidth + 1).length,
  events: new Set(Array.from(fig.querySelectorAll('svg a.dlink[data-id]'))
    .map(a => a.dataset.id)).size,
  rows: fig.querySelectorAll('.dossier-fig-text li:not(:has(> ul))').length,
  items: Array.from(fig.querySelectorAll('.dossier-fig-text li > a')).map(a => {
    const r = a.getBoundingClientRect();
    return {text: a.textContent, left: r.left, right: r.right, height: r.height};
  }),
}))
"""


@pytest.mark.parametrize("name", sorted(FIGURE_PAGES))
def test_figures_are_lists_that_fit_a_phone(open_page: OpenPage, name: str) -> None:
    page, log = open_page(FIGURE_PAGES[name], width=PHONE, touch=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"figure-{name}.png"), full_page=True)
    figures = page.evaluate(FIGURE_JS)
    assert figures, "no figure on the page"
    for figure in figures:
        assert figure["drawn"] == 0 and figure["scrolls"] == 0, figure
        # Every event of the drawing is in the list, on screen from side to side.
        assert figure["items"] and len(figure["items"]) == figure["rows"]
        assert figure["events"] in (0, figure["rows"])
        for item in figure["items"]:
            assert item["height"] > 0, f"{item['text']} is not shown"
            assert item["left"] >= 0 and item["right"] <= PHONE, item
    assert log.problems() == []


def test_figures_are_still_drawn_on_a_wide_screen(open_page: OpenPage) -> None:
    page, _ = open_page(FIGURE_PAGES["timeline"], width=1280)
    figures = page.evaluate(FIGURE_JS)
    assert figures and all(figure["drawn"] >= 1 for figure in figures)
    assert not page.locator("details.dossier-fig-text").first.evaluate("d => d.open")


@pytest.fixture(scope="module")
def event_page(site: Path) -> str:
    return pick(site, "events", "dossier-marker")


def open_tip(page: Any) -> dict[str, Any]:
    page.locator(".dossier-tip.dossier-tip-open").wait_for(state="visible", timeout=3000)
    box = page.evaluate(TIP_JS)
    assert box is not None
    return dict(box)


def assert_clear_of_its_line(box: dict[str, Any]) -> None:
    assert box["left"] >= 0 and box["right"] <= box["width"], "pop-up leaves the screen"
    below = box["top"] >= box["lineBottom"] - 0.5
    above = box["bottom"] <= box["lineTop"] + 0.5
    assert below or above, f"pop-up covers the line of its marker: {box}"


def test_tap_on_a_marker_opens_a_popup_that_closes(open_page: OpenPage, event_page: str) -> None:
    page, log = open_page(event_page, width=PHONE, touch=True)
    url = page.url
    marker = page.locator("a.dossier-marker").first
    href = marker.get_attribute("href")
    assert href
    entry_quote = page.locator(f"li[id='{href[1:]}'] .dossier-quote").first.inner_text()

    marker.scroll_into_view_if_needed()
    marker.tap()
    box = open_tip(page)
    assert page.url == url, "the first tap jumped instead of showing the pop-up"
    tip = page.locator(".dossier-tip.dossier-tip-open")
    assert entry_quote.strip("“” \n")[:40] in tip.inner_text()
    assert_clear_of_its_line(box)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "popup-open.png"))

    close = tip.locator("button.dossier-tip-close")
    size = close.bounding_box()
    assert size and size["width"] >= 24 and size["height"] >= 24
    close.tap()
    tip.wait_for(state="hidden", timeout=3000)

    marker.tap()  # again, then a tap on the page elsewhere puts it away
    open_tip(page)
    page.touchscreen.tap(2, 300)
    page.locator(".dossier-tip.dossier-tip-open").wait_for(state="hidden", timeout=3000)

    marker.tap()  # and Escape, for a phone with a keyboard
    open_tip(page)
    page.keyboard.press("Escape")
    page.locator(".dossier-tip.dossier-tip-open").wait_for(state="hidden", timeout=3000)

    marker.tap()  # a second tap on an open pop-up's marker goes to the citation
    open_tip(page)
    marker.tap()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    assert page.locator(".dossier-tip.dossier-tip-open").count() == 0
    assert log.problems() == []


def test_keyboard_focus_opens_the_popup_and_tab_moves_on(
    open_page: OpenPage, event_page: str
) -> None:
    page, _ = open_page(event_page)
    marker = page.locator("a.dossier-marker").first
    marker.focus()
    assert_clear_of_its_line(open_tip(page))
    first = marker.get_attribute("aria-describedby")
    page.keyboard.press("Tab")  # the pop-up's own controls are not in the tab order
    page.locator(f".dossier-tip-open:has([id='{first}'])").wait_for(state="detached", timeout=3000)
    assert page.evaluate("() => !document.activeElement.closest('.dossier-tip')")
    # At most one pop-up: the one of whatever marker now has focus.
    assert page.locator(".dossier-tip.dossier-tip-open").count() <= 1


def test_open_popup_is_accessible(open_page: OpenPage, event_page: str, axe_source: str) -> None:
    page, _ = open_page(event_page, width=PHONE, touch=True)
    marker = page.locator("a.dossier-marker").first
    marker.scroll_into_view_if_needed()
    marker.tap()
    open_tip(page)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(AXE_JS)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    # Still open after the audit: it was the open pop-up that was audited.
    assert page.locator(".dossier-tip.dossier-tip-open").count() == 1


def test_popup_goes_above_its_line_near_the_bottom(open_page: OpenPage, event_page: str) -> None:
    page, _ = open_page(event_page, width=PHONE, touch=True)
    marker = page.locator("a.dossier-marker").last
    marker.scroll_into_view_if_needed()
    # Bring the marker to about 60 px above the bottom of the screen.
    page.evaluate(
        """(m) => window.scrollBy(0, m.getBoundingClientRect().bottom - innerHeight + 60)""",
        marker.element_handle(),
    )
    marker.tap()
    box = open_tip(page)
    assert_clear_of_its_line(box)
    assert box["bottom"] <= box["lineTop"] + 0.5, "no room below: the pop-up goes above"
    assert box["top"] >= 0

    go = page.locator(".dossier-tip.dossier-tip-open a.dossier-tip-go")
    href = marker.get_attribute("href")
    assert go.get_attribute("href") == href
    go.tap()
    page.wait_for_url(re.compile(re.escape(href or "#") + "$"))
    assert page.locator(".dossier-tip.dossier-tip-open").count() == 0
