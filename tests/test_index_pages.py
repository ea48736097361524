"""The dossier's index pages (``dossier-events``...) are written only when they change.

Sphinx writes every domain index page at every build; the events index lists every
event, so an edit of one claim rewrote a page that grows with the site. The pages
must still change the moment their entries, the configuration, the templates' age,
the set of documents or a hand-written page do (``sphinx_ext/indices.py``).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate
import projects

pytestmark = pytest.mark.sphinx

EDITED = "data/events/event-00001.yaml"
INDEX_PAGES = {"dossier-events", "dossier-actors", "dossier-agreements", "dossier-sources"}


def _build(src: Path, **overrides: Any) -> set[str]:
    """Build incrementally; the names of the pages written (documents or not)."""
    app = SphinxTestApp(
        "html", srcdir=src, confoverrides=overrides, status=io.StringIO(), warning=io.StringIO()
    )
    written: set[str] = set()
    app.connect("html-page-context", lambda _app, name, *_: written.add(name))
    try:
        app.build()
    finally:
        app.cleanup()
    return written


def _edit(src: Path, old: str, new: str) -> None:
    path = src.parent / EDITED
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    projects.write_ours(generate.generate(30), tmp_path / "ours")
    src = tmp_path / "ours"
    assert _build(src) >= INDEX_PAGES
    return src


def _page(src: Path, name: str) -> Path:
    return src / "_build" / "html" / f"{name}.html"


def test_rewording_a_claim_leaves_the_index_pages_alone(site: Path) -> None:
    before = {name: _page(site, name).read_bytes() for name in INDEX_PAGES}
    _edit(site, "editmark", "editmark-reworded")
    written = _build(site)
    assert "records/events/event-00001" in written
    assert not written & INDEX_PAGES
    assert {name: _page(site, name).read_bytes() for name in INDEX_PAGES} == before
    assert "genindex" in written  # Sphinx's own index is Sphinx's business


def test_a_new_title_is_in_the_events_index_at_once(site: Path) -> None:
    path = site.parent / EDITED
    title = next(x for x in path.read_text("utf-8").splitlines() if x.startswith("title:"))
    _edit(site, title, "title: A retitled summit for the index test")
    written = _build(site)
    assert "dossier-events" in written
    assert "A retitled summit for the index test" in _page(site, "dossier-events").read_text(
        "utf-8"
    )
    # The other kinds' entries did not change.
    assert "dossier-sources" not in written


def test_a_missing_index_page_is_written_again(site: Path) -> None:
    _page(site, "dossier-actors").unlink()
    _edit(site, "editmark", "editmark-2")
    assert "dossier-actors" in _build(site)
    assert _page(site, "dossier-actors").is_file()


def test_a_change_of_configuration_writes_them_all(site: Path) -> None:
    assert _build(site, html_title="Another title") >= INDEX_PAGES


def test_a_hand_written_page_read_again_writes_them_all(site: Path) -> None:
    """It may have changed the navigation every page shows."""
    index = site / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert _build(site) >= INDEX_PAGES


def test_nothing_changed_writes_no_index_page(site: Path) -> None:
    assert not _build(site) & INDEX_PAGES
