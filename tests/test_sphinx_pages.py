"""Generated record and listing pages: content, regression files, inventory, warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx_support import Build, build, check_regression, copy_root, inventory

PAGES = {
    "event": "records/events/signing-2020",
    "actor": "records/actors/ann-minister",
    "agreement": "records/agreements/harbour-treaty",
    "source": "records/sources/gazette-2020-01-05",
    "timeline": "records/timeline",
    "actors": "records/actors",
    "agreements": "records/agreements",
    "sources": "records/sources",
}


PLANNED = """\
# yaml-language-server: $schema=../../schema/event.schema.json
id: signing-planned-2020
title: Harbour treaty signing planned for February
date: 2020-02
status: planned
actors: [northland, southland]
agreements: [harbour-treaty]
claims:
  - id: expected
    text: In January 2020 officials expected the treaty to be signed in February.
    supports: [date, status, actors, agreements]
    cites:
      - source: gazette-2020-01-05
        quote: "A signing is planned for February 2020, officials said."
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One nitpicky build of the small root, shared by the read-only tests of this module."""
    srcdir = copy_root("dossier", tmp_path_factory.mktemp("pages") / "src")
    # A planned event too (kept out of the shared root, whose event list other tests pin).
    (srcdir / "data/events/signing-planned-2020.yaml").write_text(PLANNED, encoding="utf-8")
    return build(srcdir, confoverrides={"nitpicky": True})


def page(built: Build, docname: str) -> str:
    # The citations inside each "Cite" control are the citation libraries' output,
    # tested in test_citation.py; the regression files keep the controls' places.
    panels = re.compile(r'<div class="dossier-cite-panel">.*?</div></details>', re.DOTALL)
    return panels.sub('<div class="dossier-cite-panel">…</div></details>', built.main(docname))


def test_no_warnings(built: Build) -> None:
    assert built.warning_lines() == []


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_page_regression(built: Build, kind: str) -> None:
    check_regression(page(built, PAGES[kind]), f"page-{kind}.html")


def test_generated_stubs_are_orphans_out_of_the_toctree(built: Build) -> None:
    stub = Path(built.app.srcdir) / "records" / "events" / "signing-2020.dossier"
    assert stub.read_text(encoding="utf-8").startswith(":orphan:\n")
    assert built.app.env.metadata["records/events/signing-2020"]["orphan"] == ""
    toc = built.app.env.toctree_includes["index"]
    assert "records/timeline" in toc
    assert not any(doc.startswith("records/events/") for doc in toc)


def test_fact_markers_link_to_citations(built: Build) -> None:
    html = page(built, PAGES["event"])
    facts = html.split('id="dossier-facts"')[1].split("</div>")[0]
    # Date, actors, agreements and location are backed by the second claim's citation [2].
    assert facts.count('href="#cite-2"') == 5
    assert 'id="cite-1"' in html and 'id="cite-2"' in html
    assert 'id="signed"' in html and 'href="#signed"' in html


def test_backlinks_include_records_and_handwritten_pages(built: Build) -> None:
    html = page(built, PAGES["event"])
    referenced = html.split('id="dossier-referenced-by"')[1]
    assert 'href="../../notes.html"' in referenced
    talks = page(built, "records/events/talks-resume-2020")
    assert 'href="signing-2020.html#signing-2020"' in talks.split('id="dossier-referenced-by"')[1]


def test_agreement_lifecycle_in_date_order(built: Build) -> None:
    html = page(built, PAGES["agreement"])
    lifecycle = html.split('id="dossier-lifecycle"')[1].split("</section>")[0]
    assert lifecycle.index("talks-resume-2020.html") < lifecycle.index("signing-2020.html")
    assert lifecycle.index("signing-planned-2020.html") < lifecycle.index("/signing-2020.html")
    assert '<li class="dossier-status-planned">' in lifecycle


def test_source_page_lists_citing_claims_with_quotes(built: Build) -> None:
    html = page(built, PAGES["source"])
    cited = html.split('id="dossier-cited-in"')[1].split("</section>")[0]
    assert "signing-2020.html#planned" in cited
    assert "A signing is planned for February 2020, officials said." in cited


def test_timeline_marks_planned_and_groups_by_year(built: Build) -> None:
    html = page(built, PAGES["timeline"])
    assert re.search(r'<p class="dossier-year rubric">2020 \(1 planned\)</p>', html)
    assert html.count("dossier-status-occurred") == 2
    assert re.search(r'<li class="dossier-status-planned[ "]', html)
    assert "2020 (1 planned)" in html
    assert 'dossier-badge-warning dossier-badge-outline">planned</span>' in html


def test_inventory_lists_every_record_claim_and_label(built: Build) -> None:
    inv = inventory(built.outdir)
    records = {
        "dossier:event": {"signing-2020", "talks-resume-2020", "signing-planned-2020"},
        "dossier:actor": {"northland", "southland", "ann-minister"},
        "dossier:agreement": {"harbour-treaty"},
        "dossier:source": {"gazette-2020-01-05", "courier-2020-03-03"},
    }
    for objtype, names in records.items():
        assert set(inv[objtype]) == names
        for name in names:
            assert name in inv["std:label"]
    assert inv["dossier:event"]["signing-2020"] == (
        "records/events/signing-2020.html#signing-2020",
        "Harbour treaty signed",
    )
    assert set(inv["dossier:claim"]) == {
        "ann-minister#fm",
        "courier-2020-03-03#dateline",
        "gazette-2020-01-05#dateline",
        "harbour-treaty#parties",
        "signing-planned-2020#expected",
        "signing-2020#planned",
        "signing-2020#signed",
        "talks-resume-2020#announced",
    }
    assert inv["dossier:claim"]["signing-2020#signed"][0].endswith("signing-2020.html#signed")


def test_domain_indices_are_written(built: Build) -> None:
    events = built.main("dossier-events")
    assert events.index("talks-resume-2020.html") < events.index("signing-2020.html")
    for name in ("actors", "agreements", "sources"):
        assert (built.outdir / f"dossier-{name}.html").exists()


def test_record_shown_on_a_handwritten_page_stays_registered_at_its_own_page(
    tmp_path: Path,
) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "notes.md").write_text(
        "# Notes\n\n```{dossier:record} northland\n```\n", encoding="utf-8"
    )
    built = build(src, confoverrides={"nitpicky": True})
    assert built.warning_lines() == []
    assert inventory(built.outdir)["dossier:actor"]["northland"][0] == (
        "records/actors/northland.html#northland"
    )
    assert "Northland" in built.main("notes")


def test_std_roles_to_records_count_as_backlinks(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "notes.md").write_text("# Notes\n\n{any}`southland`, {ref}`northland`\n")
    built = build(src, confoverrides={"nitpicky": True})
    assert built.warning_lines() == []
    for actor in ("southland", "northland"):
        backlinks = built.main(f"records/actors/{actor}").split('id="dossier-referenced-by"')[1]
        assert 'href="../../notes.html"' in backlinks, actor
