"""Figures and reader aids in a real build: placement, links that resolve, incremental updates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx_support import Build, build, copy_root

pytestmark = pytest.mark.sphinx

FILTERED_PAGE = """---
orphan: true
---

# Harbour only

```{dossier:timeline-figure}
:agreement: harbour-treaty
```
"""


def hrefs(html: str, start: str, end: str) -> list[str]:
    part = html.split(start, 1)[1].split(end, 1)[0]
    return re.findall(r'href="([^"]+)"', part)


def assert_resolves(outdir: Path, page: str, href: str) -> None:
    path, _, fragment = href.partition("#")
    target = (outdir / page).parent / path if path else outdir / page
    assert target.is_file(), href
    if fragment:
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), href


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    srcdir = copy_root("dossier", tmp_path_factory.mktemp("figures") / "src")
    (srcdir / "harbour.md").write_text(FILTERED_PAGE, encoding="utf-8")
    return build(srcdir, confoverrides={"nitpicky": True})


def test_timeline_figure_links_every_event(built: Build) -> None:
    html = built.html("records/timeline")
    links = hrefs(html, '<figure class="dossier-figure dossier-timeline"', "<details")
    assert sorted(links) == [
        "events/signing-2020.html#signing-2020",
        "events/talks-resume-2020.html#talks-resume-2020",
    ]
    for href in links:
        assert_resolves(built.outdir, "records/timeline.html", href)
    assert 'role="group" aria-labelledby="dossier-tlfig-svg-title dossier-tlfig-svg-desc"' in html
    assert "The timeline as text (2 events)" in html


def test_agreement_page_and_filter_option_show_only_its_events(built: Build) -> None:
    html = built.html("records/agreements/harbour-treaty")
    lifecycle = html.split('id="dossier-lifecycle"', 1)[1]
    assert "dossier-timeline" in lifecycle.split("</section>", 1)[0]
    filtered = built.html("harbour")
    assert "Timeline of events concerning Harbour treaty" in filtered
    for href in hrefs(filtered, '<figure class="dossier-figure', "</figure>"):
        if not href.startswith("#"):
            assert_resolves(built.outdir, "harbour.html", href)


def test_person_page_has_a_role_strip_linking_its_claims(built: Build) -> None:
    html = built.html("records/actors/ann-minister")
    strip = html.split('<figure class="dossier-figure dossier-role-strip"', 1)[1]
    assert "Foreign Minister, Northland" in strip
    assert 'href="#fm"' in strip and 'id="fm"' in html


def test_agreements_page_has_the_involvement_matrix(built: Build) -> None:
    html = built.html("records/agreements")
    links = hrefs(html, '<table class="dossier-matrix"', "</table>")
    assert "agreements/harbour-treaty.html#harbour-treaty" in links
    assert "events/signing-2020.html#signing-2020" in links
    for href in links:
        assert_resolves(built.outdir, "records/agreements.html", href)


def test_cite_this_entry_is_on_every_record_page(built: Build) -> None:
    for docname, role in [
        ("records/events/signing-2020", ":dossier:event:`signing-2020`"),
        ("records/sources/gazette-2020-01-05", ":dossier:source:`gazette-2020-01-05`"),
    ]:
        html = built.html(docname)
        assert 'id="dossier-cite-this"' in html
        assert role in html
        assert 'src="../../_static/dossier-cite.js' in html


def test_figures_follow_edited_records(tmp_path: Path) -> None:
    srcdir = copy_root("dossier", tmp_path / "src")
    build(srcdir)
    event = srcdir / "data" / "events" / "talks-resume-2020.yaml"
    text = event.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, flags=re.M)
    assert title
    event.write_text(text.replace(title.group(0), "title: Talks to resume in spring"))
    second = build(srcdir)
    assert {"records/timeline", "records/agreements/harbour-treaty"} <= second.written
    figure = second.html("records/timeline").split("<details", 1)[0]
    assert "Talks to resume in spring" in figure
    assert title.group(1) not in figure
