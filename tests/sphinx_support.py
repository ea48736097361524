"""Helpers for the Sphinx tests: building a copied test root, normalising HTML output."""

from __future__ import annotations

import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences
from sphinx.util.inventory import InventoryFile

ROOTS = Path(__file__).parent / "roots"
REGRESSION = Path(__file__).parent / "regression"
#: Set DOSSIER_REGEN=1 to rewrite regression files instead of comparing.
REGEN = os.environ.get("DOSSIER_REGEN") == "1"

_MAIN = re.compile(r"<div class=\"body\" role=\"main\">(.*?)<div class=\"clearer\"></div>", re.S)


def copy_root(name: str, dest: Path) -> Path:
    """Copy tests/roots/test-<name> to ``dest`` (which must not exist) and return it."""
    shutil.copytree(ROOTS / f"test-{name}", dest)
    return dest


@dataclass
class Build:
    """One finished build: its app, warnings and the pages it wrote."""

    app: SphinxTestApp
    warnings: str
    written: set[str] = field(default_factory=set)

    @property
    def outdir(self) -> Path:
        return Path(self.app.outdir)

    def html(self, docname: str) -> str:
        return (self.outdir / f"{docname}.html").read_text(encoding="utf-8")

    def main(self, docname: str) -> str:
        return main_content(self.html(docname))

    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if "WARNING" in line]


def build(
    srcdir: Path,
    *,
    parallel: int = 0,
    freshenv: bool = False,
    confoverrides: dict[str, Any] | None = None,
    buildername: str = "html",
) -> Build:
    """Build ``srcdir`` into srcdir/_build (incrementally unless freshenv)."""
    status, warning = io.StringIO(), io.StringIO()
    app = SphinxTestApp(
        buildername,
        srcdir=srcdir,
        freshenv=freshenv,
        confoverrides=confoverrides or {},
        status=status,
        warning=warning,
        parallel=parallel,
    )
    written: set[str] = set()

    def collect(_app: object, pagename: str, *_args: object) -> None:
        written.add(pagename)

    app.connect("html-page-context", collect)
    try:
        app.build()
    finally:
        app.cleanup()
    found = set(app.env.found_docs)
    return Build(app, strip_escape_sequences(warning.getvalue()), written & found)


_FIGURE = re.compile(
    r'<(?:figure|div) class="(dossier-figure [\w-]+|dossier-fig-scroll dossier-matrix-wrap)"'
    r".*?(?:</figure>|</table></div>)",
    re.S,
)


def main_content(html: str) -> str:
    """The main content region of a page written with the ``basic`` theme."""
    match = _MAIN.search(html)
    assert match, "no main content region found"
    # Figures are checked by tests/test_figures.py; here only where they sit on the page.
    text = _FIGURE.sub(lambda m: f"[{m.group(1)}]", match.group(1))
    return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())


def inventory(outdir: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """objects.inv as {type: {name: (uri, display name)}}."""
    with open(outdir / "objects.inv", "rb") as stream:
        inv = InventoryFile.load(stream, "", os.path.join)
    result: dict[str, dict[str, tuple[str, str]]] = {}
    for objtype, items in inv.items():
        result[objtype] = {name: (item.uri, item.display_name) for name, item in items.items()}
    return result


def html_pages(outdir: Path) -> set[str]:
    """Every HTML page of the output, relative to it, without the suffix."""
    return {
        str(path.relative_to(outdir).with_suffix(""))
        for path in outdir.rglob("*.html")
        if "_static" not in path.parts
    }


def check_regression(text: str, name: str) -> None:
    """Compare ``text`` with tests/regression/<name> (rewrite it with DOSSIER_REGEN=1)."""
    path = REGRESSION / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    assert path.exists(), f"missing regression file {path}; create it with DOSSIER_REGEN=1"
    expected = path.read_text(encoding="utf-8")
    assert text + "\n" == expected, f"{name} differs from the regression file"
