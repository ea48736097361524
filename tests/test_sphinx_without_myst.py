"""The extension works in a reST-only project: it must not rely on MyST being loaded."""

from __future__ import annotations

from pathlib import Path

from sphinx_support import build, copy_root, html_pages

INDEX = """\
Harbour dossier
===============

.. toctree::

   records/timeline
   records/actors
   records/agreements
   records/sources
"""


def test_listings_and_records_without_myst(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace('"myst_parser", ', ""), encoding="utf-8"
    )
    for page in src.glob("*.md"):
        page.unlink()
    (src / "index.rst").write_text(INDEX, encoding="utf-8")
    built = build(src, freshenv=True)
    assert "myst_parser" not in built.app.extensions
    assert built.warning_lines() == []
    pages = html_pages(built.outdir)
    for listing in ("timeline", "actors", "agreements", "sources"):
        assert f"records/{listing}" in pages, listing
    assert "records/events/signing-2020" in pages
    timeline = built.main("records/timeline")
    assert "signing-2020.html" in timeline
    # The listing intro's cross-reference to the compact index resolved.
    assert 'href="../dossier-events.html' in timeline
