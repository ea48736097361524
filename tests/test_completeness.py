"""Nothing is lost: every record and every claim in data/ is in the built site and objects.inv."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import corpus_support
import pytest
import site_build
from sphinx_dossier.core.dataset import Dataset
from sphinx_support import inventory

KIND_DIRS = {"event": "events", "agreement": "agreements", "actor": "actors", "source": "sources"}


@pytest.fixture(scope="module")
def site() -> site_build.Site:
    return site_build.real_site()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load(site_build.ROOT / "data", corpus_dir=corpus_support.corpus_dir())


@pytest.mark.sphinx
def test_real_site_builds_without_warnings(site: site_build.Site, dataset: Dataset) -> None:
    assert dataset.ok, [str(p) for p in dataset.errors]
    assert [line for line in site.warnings.splitlines() if line.strip()] == []


@pytest.mark.sphinx
def test_every_record_is_a_page_and_an_inventory_entry(
    site: site_build.Site, dataset: Dataset
) -> None:
    inv = inventory(site.outdir)
    files = sorted(p.stem for p in (site_build.ROOT / "data").glob("*/*.yaml"))
    assert sorted(dataset.records) == files  # every file loaded as a record
    for kind, folder in KIND_DIRS.items():
        ids = sorted(r.id for r in dataset.by_kind(kind))
        in_inventory = inv.get(f"dossier:{kind}", {})
        assert sorted(in_inventory) == ids, kind  # both sides counted, nothing extra
        for record_id in ids:
            page = site.outdir / "records" / folder / f"{record_id}.html"
            assert page.is_file(), page
            uri = in_inventory[record_id][0]
            _assert_anchor(site.outdir, uri)


@pytest.mark.sphinx
def test_every_claim_is_anchored_and_in_the_inventory(
    site: site_build.Site, dataset: Dataset
) -> None:
    claims = sorted(
        f"{loaded.id}#{claim.id}" for loaded in dataset.records.values()
        for claim in loaded.record.claims
    )  # fmt: skip
    inv = inventory(site.outdir).get("dossier:claim", {})
    assert len(claims) > 100
    assert sorted(inv) == claims
    pages: dict[str, str] = {}
    for name in claims:
        _assert_anchor(site.outdir, inv[name][0], pages)


def _assert_anchor(outdir: Path, uri: str, cache: dict[str, str] | None = None) -> None:
    page, _, anchor = uri.partition("#")
    cache = {} if cache is None else cache
    if page not in cache:
        cache[page] = (outdir / page).read_text(encoding="utf-8")
    assert anchor, uri
    assert re.search(rf'\bid="{re.escape(anchor)}"', cache[page]), uri


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


@pytest.mark.sphinx
def test_no_anchor_is_shadowed_by_a_duplicate_id(site: site_build.Site) -> None:
    """A repeated id would send links to the first element only: a target lost."""
    duplicates = {}
    for path in sorted(site.outdir.rglob("*.html")):
        parser = _Ids()
        parser.feed(path.read_text(encoding="utf-8"))
        repeated = sorted(name for name, count in parser.ids.items() if count > 1)
        if repeated:
            duplicates[str(path.relative_to(site.outdir))] = repeated
    assert duplicates == {}
