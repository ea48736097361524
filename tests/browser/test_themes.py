"""The figures in six themes, light and dark: every text in them readable (4.5:1).

The site is built once per theme (one doctree folder: the theme changes only the
writing). Each theme's timeline and a person's page are opened with the browser's
colour scheme light and dark, screenshotted into test-artifacts/browser/themes/, and
every text inside a figure is measured against the background it is drawn on.
Themes with a dark mode (furo, pydata-sphinx-theme, sphinx-book-theme, shibuya)
follow the browser's scheme; alabaster and sphinx_rtd_theme stay light, and the
figures must stay light with them.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

#: html_theme value -> does it follow the browser's dark preference?
THEMES = {
    "furo": True,
    "alabaster": False,
    "sphinx_rtd_theme": False,
    "pydata_sphinx_theme": True,
    "sphinx_book_theme": True,
    "shibuya": True,
}
PAGES = {"timeline": "records/timeline.html", "person": "records/actors/moon-jae-in.html"}
MINIMUM = 4.5

#: Every visible text inside the figures: its colour, and the colours of the
#: backgrounds under it from the page down (composited in Python).
TEXTS_JS = """
() => {
  document.querySelectorAll('details.dossier-fig-text').forEach(d => { d.open = true; });
  const rgba = s => {
    const m = s.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const out = [];
  const figures = document.querySelectorAll('.dossier-figure, .dossier-matrix-wrap');
  for (const figure of figures) {
    const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
      seen.add(el);
      if (el.closest('.dossier-sr, title, desc, style, script')) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (!box.width || !box.height || style.visibility === 'hidden') continue;
      const svg = el instanceof SVGElement;
      const colour = rgba(svg ? style.fill : style.color);
      if (!colour) continue;
      colour[3] *= Number(svg ? style.fillOpacity : 1) * Number(style.opacity);
      const backgrounds = [];
      for (let node = el; node; node = node.parentElement) {
        const bg = node instanceof SVGElement ? null : rgba(getComputedStyle(node).backgroundColor);
        if (bg && bg[3] > 0) backgrounds.push(bg);
      }
      out.push({text: walker.currentNode.textContent.trim().slice(0, 40),
                tag: el.tagName, cls: el.getAttribute('class') || '',
                colour: colour, backgrounds: backgrounds.reverse()});
    }
  }
  return out;
}
"""


def _over(top: list[float], under: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    r, g, b = (top[i] * alpha + under[i] * (1 - alpha) for i in range(3))
    return r, g, b


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: dict[str, Any]) -> tuple[float, float]:
    """(contrast ratio, luminance of the background) of one measured text."""
    background: tuple[float, float, float] = (255.0, 255.0, 255.0)  # the canvas
    for layer in text["backgrounds"]:
        background = _over(layer, background)
    colour = _over(text["colour"], background)
    light, dark = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05), _luminance(background)


@pytest.fixture(scope="module")
def theme_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site written with each theme, into <tmp>/<theme>/."""
    work = tmp_path_factory.mktemp("themes")
    ignore = shutil.ignore_patterns("_build", "records")
    shutil.copytree(ROOT / "docs", work / "docs", ignore=ignore)
    shutil.copytree(ROOT / "data", work / "data")
    env = dict(os.environ)
    if env.get("DOSSIER_CORPUS"):
        env["DOSSIER_CORPUS"] = str((ROOT / env["DOSSIER_CORPUS"]).resolve())
    for theme in THEMES:
        out = work / "out" / theme
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-q",
                "-b",
                "html",
                "-D",
                f"html_theme={theme}",
                "-d",
                str(work / "doctrees"),
                str(work / "docs"),
                str(out),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        dossier = [line for line in result.stderr.splitlines() if "dossier" in line]
        assert result.returncode == 0 and not dossier, f"{theme}:\n{result.stderr}"
    return work / "out"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def theme_server(theme_sites: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(theme_sites))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", list(THEMES))
def test_figure_text_is_readable_in_every_theme(
    browser: Any, theme_server: str, theme: str, scheme: str
) -> None:
    shots = ARTIFACTS / "themes"
    shots.mkdir(parents=True, exist_ok=True)
    failures = []
    for name, path in PAGES.items():
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme=scheme, device_scale_factor=1
        )
        try:
            page = context.new_page()
            page.goto(f"{theme_server}{theme}/{path}", wait_until="load")
            page.wait_for_timeout(300)  # the themes' scripts set their mode on load
            texts = page.evaluate(TEXTS_JS)
            figure = page.locator(".dossier-figure").first
            figure.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / f"{theme}-{scheme}-{name}.png"), full_page=True)
        finally:
            context.close()
        assert len(texts) > 5, f"{theme} {name}: no figure text found"
        ratios = [(contrast(text), text) for text in texts]
        failures += [
            f"{name}: {ratio:.2f} {text['tag']}.{text['cls']} {text['text']!r}"
            for (ratio, _), text in ratios
            if ratio < MINIMUM
        ]
        backgrounds = {round(lum, 2) for (_, lum), _ in ratios}
        if scheme == "dark" and THEMES[theme]:
            # The theme did switch: the figures are drawn on a dark page.
            assert max(backgrounds) < 0.2, f"{theme} {name}: not dark ({backgrounds})"
        else:
            assert min(backgrounds) > 0.6, f"{theme} {name}: not light ({backgrounds})"
    assert failures == [], "\n".join(failures)


#: Pages whose record layout a theme's own CSS may widen (field lists, long quotes).
PHONE_PAGES = {
    **PAGES,
    "agreement": "records/agreements/gsomia.html",
    "source": "records/sources/intellasia-koreatimes-2019-11-13-defense-chiefs.html",
}


@pytest.mark.parametrize("theme", list(THEMES))
def test_no_page_scrolls_sideways_on_a_phone_in_any_theme(
    browser: Any, theme_server: str, theme: str
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=1, has_touch=True
    )
    wider = {}
    try:
        page = context.new_page()
        for name, path in PHONE_PAGES.items():
            page.goto(f"{theme_server}{theme}/{path}", wait_until="load")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            if overflow > 1:
                wider[name] = overflow
    finally:
        context.close()
    assert wider == {}, f"{theme}: pages wider than a 390 px phone"
