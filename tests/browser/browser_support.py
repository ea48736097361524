"""Shared bits of the browser tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"

#: axe-core's violations on the open page (axe.min.js injected first), the first nodes of each.
AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))
  }));
}
"""


@dataclass
class PageLog:
    """What a page did on the network and the console."""

    base: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console: {m}" for m in self.console_errors]
            + [f"failed request: {u}" for u in self.failed]
            + [f"request to another host: {u}" for u in self.foreign]
        )


def pick(site: Path, folder: str, marker: str) -> str:
    """The record page of a kind that shows ``marker`` most often (the busiest example)."""
    pages = sorted((site / "records" / folder).glob("*.html"))
    assert pages, f"no pages in records/{folder}"
    best = max(pages, key=lambda page: page.read_text(encoding="utf-8").count(marker))
    return str(best.relative_to(site))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(str(values[key]))
        for key in ("href", "src"):
            value = values.get(key)
            if value and not (tag == "link" and values.get("rel") in ("canonical",)):
                self.links.append(value)


def broken_links(site: Path) -> tuple[list[str], int]:
    """Every internal link or #anchor of a built site that leads nowhere, and links checked."""
    parsed: dict[Path, _Collector] = {}

    def parse(path: Path) -> _Collector:
        if path not in parsed:
            collector = _Collector()
            collector.feed(path.read_text(encoding="utf-8"))
            parsed[path] = collector
        return parsed[path]

    broken: list[str] = []
    checked = 0
    root = site.resolve()
    for path in sorted(site.rglob("*.html")):
        for link in parse(path).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/"):
                target = target / "index.html"
            where = f"{path.relative_to(site)}: {link}"
            if root not in [target.resolve(), *target.resolve().parents]:
                broken.append(f"{where} (outside the site)")
                continue
            if not target.exists():
                broken.append(f"{where} (no such file)")
                continue
            checked += 1
            fragment = unquote(parts.fragment)
            if (
                fragment
                and not fragment.startswith(":~:")
                and target.suffix == ".html"
                and fragment not in parse(target).ids
            ):
                broken.append(f"{where} (no #{fragment} there)")
    return broken, checked
