"""Find live payloads in built HTML: script elements, event-handler attributes, unsafe URLs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Attributes that take a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"}
)
#: Active elements that neither the theme nor the extension ever writes.
ACTIVE_ELEMENTS = frozenset({"iframe", "object", "embed", "base", "style", "frame", "applet"})
#: Scripts the theme and extensions load: static files and the search index.
_OWN_SCRIPT = re.compile(r"^(\.\./)*(_static/[\w.-]+\.js(\?v=[0-9a-f]+)?|searchindex\.js)$")
_UNSAFE_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
# Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")


@dataclass(frozen=True)
class Live:
    """One live payload: the page, a description, and the offending markup."""

    page: str
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}: {self.detail}"


class _Scanner(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found: list[Live] = []
        self.in_script: str | bool = False
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        if self.in_script == "data":
            # A data block is not run, but text that broke out of it would end the element
            # early: what the parser sees as its content must still be whole JSON.
            try:
                json.loads(data)
            except ValueError:
                self.found.append(Live(self.page, "JSON data block broken open", data[:80]))
        elif self.in_script:
            # The theme's inline scripts are fixed; ours would carry the payload.
            if "alert(" in data or "pwned" in data:
                self.found.append(Live(self.page, "inline script with payload", data[:80]))
        else:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            # JSON-LD and JSON data blocks (the filters' facets) are not run.
            data_block = values.get("type") in ("application/ld+json", "application/json")
            self.in_script = "data" if data_block else True
            src = values.get("src")
            if src is not None and not _OWN_SCRIPT.match(src):
                self.found.append(Live(self.page, "script element", src))
        if tag in ACTIVE_ELEMENTS:
            self.found.append(Live(self.page, f"<{tag}> element", str(values)))
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(Live(self.page, f"event handler {name}", value))
            if name in URL_ATTRIBUTES or name == "style":
                cleaned = _IGNORED_IN_SCHEME.sub("", value)
                if _UNSAFE_SCHEME.match(cleaned) or "javascript:" in cleaned.lower():
                    self.found.append(Live(self.page, f"unsafe {name}", value))


def scan(outdir: Path) -> tuple[list[Live], dict[str, str]]:
    """Every live payload in the HTML pages under ``outdir``, and each page's visible text."""
    found: list[Live] = []
    texts: dict[str, str] = {}
    for path in sorted(outdir.rglob("*.html")):
        page = str(path.relative_to(outdir))
        scanner = _Scanner(page)
        scanner.feed(path.read_text(encoding="utf-8"))
        scanner.close()
        found.extend(scanner.found)
        texts[page] = "".join(scanner.text)
    return found, texts
