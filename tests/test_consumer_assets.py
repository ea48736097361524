"""Consumer mode adds no stylesheet or script to a project's pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx_support import Build, build, copy_root


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    producer = build(copy_root("dossier", tmp_path_factory.mktemp("producer") / "src"))
    return producer.outdir / "objects.inv"


def _consumer(inventory: Path, dest: Path, extensions: list[str] | None = None) -> Build:
    src = copy_root("consumer-ext", dest)
    shutil.copy(inventory, src / "harbour-objects.inv")
    overrides: dict[str, object] = {"nitpicky": True}
    if extensions is not None:
        overrides["extensions"] = extensions
    return build(src, confoverrides=overrides)


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:link rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"', html)


def test_consumer_pages_get_no_dossier_or_design_assets(inventory: Path, tmp_path: Path) -> None:
    built = _consumer(inventory, tmp_path / "ext")
    assert built.warning_lines() == []
    html = built.html("index")
    assert "harbour/records/events/talks-resume-2020.html" in html  # roles still resolve
    assets = _assets(html)
    assert assets, "the theme's own files are still there"
    assert [a for a in assets if "dossier" in a or "design" in a] == []


def test_consumer_that_loads_sphinx_design_keeps_its_assets(
    inventory: Path, tmp_path: Path
) -> None:
    extensions = ["myst_parser", "sphinx.ext.intersphinx", "sphinx_design", "sphinx_dossier"]
    built = _consumer(inventory, tmp_path / "design", extensions)
    assets = _assets(built.html("index"))
    assert [a for a in assets if "sphinx-design" in a], assets
    assert [a for a in assets if "dossier" in a] == []


def test_a_generating_project_keeps_its_assets(tmp_path: Path) -> None:
    built = build(copy_root("three-records", tmp_path / "src"))
    # The extension does not load sphinx-design: its badges and cards are its own.
    assert "sphinx_design" not in built.app.extensions
    assets = _assets(built.html("records/events/talks-resume-2020"))
    for name in ("dossier.css", "dossier-figures.css", "dossier-cite.css", "dossier-cite.js"):
        assert [a for a in assets if name in a], name
    assert [a for a in assets if "design" in a] == []


def test_a_project_loading_sphinx_design_keeps_it_only_where_used(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "index.md").write_text(
        (src / "index.md").read_text(encoding="utf-8")
        + "\n````{grid} 2\n```{grid-item-card} A card\nOf the project's own.\n```\n````\n",
        encoding="utf-8",
    )
    built = build(src)
    assert built.warning_lines() == []
    # The agreements listing draws its cards with the extension's own markup.
    listing = built.html("records/agreements")
    assert 'class="dossier-cards docutils container"' in listing
    assert 'class="dossier-card docutils container"' in listing
    assert [a for a in _assets(listing) if "sphinx-design" in a] == []
    assert [a for a in _assets(built.html("index")) if "sphinx-design" in a]
    # Every page keeps sphinx-design's stylesheet exactly when it uses a component.
    for page in sorted(built.outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        design = [a for a in _assets(html) if "sphinx-design" in a]
        assert bool(design) == bool(re.search(r'class="(?:[^"]* )?sd-', html)), page


def test_pages_load_the_code_sheet_and_tab_script_only_when_they_use_them(
    tmp_path: Path,
) -> None:
    src = copy_root("three-records", tmp_path / "src")
    index = next(p for p in src.iterdir() if p.stem == "index")
    index.write_text(
        index.read_text(encoding="utf-8") + "\n\n.. code-block:: python\n\n   print('hi')\n",
        encoding="utf-8",
    )
    built = build(src)
    record = _assets(built.html("records/events/talks-resume-2020"))
    assert [a for a in record if "pygments.css" in a or "design-tabs.js" in a] == []
    assert [a for a in _assets(built.html("index")) if "pygments.css" in a]
