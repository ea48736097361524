"""The pages about no record in particular (listings, "as of" pages, the matrix, the
home page's coverage line) keep their digest when only the prose of claims changed.

:mod:`sphinx_dossier.sphinx_ext.digests` relies on it: a record's *face* (the record
without the wording of its claims and the quotes and notes of their citations) is all
such a view may show. The first test holds every such view to that, so a view that
starts showing prose fails here rather than leaving a stale listing; the others check
that rewording a claim keeps those pages, and that a change of a record's face
does not.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sphinx_support import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate
import projects

pytestmark = pytest.mark.sphinx

EDITED = "data/events/event-00001.yaml"
LISTINGS = ("records/timeline", "records/actors", "records/agreements", "records/sources")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("digests")
    projects.write_ours(generate.generate(40), root / "ours")
    return root / "ours"


def _reworded(loaded: Any, serial: int) -> Any:
    """``loaded`` with other words in every claim, quote and note (nothing else)."""
    record = loaded.record
    claims = [
        claim.model_copy(
            update={
                "text": f"Reworded claim {serial}.",
                "cites": [
                    cite.model_copy(update={"quote": f"other quote {serial}", "note": "A note."})
                    for cite in claim.cites
                ],
            }
        )
        for claim in record.claims
    ]
    return replace(loaded, record=record.model_copy(update={"claims": claims}))


def _views_about_no_record_ignore_prose(done: Any) -> set[str]:
    """Every view of every page whose argument names no record gives the same data when
    every claim, quote and note of the dataset is reworded; the names of those views."""
    from sphinx_dossier.sphinx_ext.digests import arg_ids
    from sphinx_dossier.sphinx_ext.figures import forget_event_index
    from sphinx_dossier.sphinx_ext.views import Views

    env = done.app.env
    domain = env.get_domain("dossier")
    dataset = domain.dataset
    unnamed = sorted(
        {
            (view, arg)
            for page_views in domain.views.values()
            for view, arg in page_views
            if not arg_ids(arg, dataset.records)
        }
    )

    def shown(data_set: Any) -> dict[tuple[str, str], Any]:
        forget_event_index()
        domain.dataset = data_set
        try:
            views = Views(env, domain)
            return {(view, arg): views.data(view, arg) for view, arg in unnamed}
        finally:
            domain.dataset = dataset
            forget_event_index()

    before = shown(dataset)
    records = {rid: _reworded(loaded, n) for n, (rid, loaded) in enumerate(dataset.records.items())}
    after = shown(replace(dataset, records=records))
    assert "Reworded claim" not in repr(after)
    for key, data in before.items():
        assert after[key] == data, key
    return {view for view, _ in unnamed}


def test_no_view_about_no_record_shows_the_prose_of_claims(site: Path) -> None:
    checked = _views_about_no_record_ignore_prose(build(site))
    # Listings, their figures, the "as of" pages and their index.
    assert checked >= {
        "timeline",
        "actors",
        "agreements",
        "sources",
        "as-of",
        "as-of-index",
        "timeline-figure",
        "involvement-matrix",
    }


def test_the_real_sites_views_about_no_record_show_no_prose(tmp_path: Path) -> None:
    """The same on the real site, whose home page has the coverage line."""
    from corpus_support import corpus_dir
    from site_build import copy_site

    srcdir = copy_site(tmp_path)
    corpus = corpus_dir()
    overrides = {"dossier_corpus_dir": str(corpus)} if corpus else {}
    checked = _views_about_no_record_ignore_prose(build(srcdir, confoverrides=overrides))
    assert "coverage-end" in checked


def _edit(site: Path, old: str, new: str) -> None:
    path = site.parent / EDITED
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rewording_a_claim_keeps_the_listings(site: Path) -> None:
    build(site)
    listings = {name: (site / "_build" / "html" / f"{name}.html").read_bytes() for name in LISTINGS}
    _edit(site, "editmark", "editmark-reworded")
    again = build(site)
    assert "records/events/event-00001" in again.written
    assert not again.written & set(LISTINGS), sorted(again.written)
    html = site / "_build" / "html"
    assert "editmark-reworded" in (html / "records/events/event-00001.html").read_text("utf-8")
    for name, content in listings.items():
        assert (html / f"{name}.html").read_bytes() == content, name


def test_a_new_title_is_in_the_listings_at_once(site: Path) -> None:
    """A record's face changed: the pages about no record in particular are digested
    again, and the timeline shows the new title."""
    build(site)
    path = site.parent / EDITED
    title = next(line for line in path.read_text("utf-8").splitlines() if line.startswith("title:"))
    _edit(site, title, "title: A retitled summit for the digests test")
    again = build(site)
    assert {"records/timeline", "records/agreements"} <= again.written, sorted(again.written)
    timeline = (site / "_build" / "html" / "records/timeline.html").read_text("utf-8")
    assert "A retitled summit for the digests test" in timeline


def test_a_changed_list_of_actors_is_in_the_listings_at_once(site: Path) -> None:
    """Another part of the face, which story order does not show: the actors an event
    names (the actors' event counts, the involvement matrix)."""
    build(site)
    path = site.parent / EDITED
    line = next(x for x in path.read_text("utf-8").splitlines() if x.startswith("actors:"))
    first = line.split("[", 1)[1].split(",")[0].strip(" ]")
    _edit(site, line, f"actors: [{first}]")
    again = build(site)
    assert {"records/actors", "records/agreements"} <= again.written, sorted(again.written)
