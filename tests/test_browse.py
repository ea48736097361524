"""Browsing the real site (issue #16, items 4 and 5): the story with numbered notes, the
home page's start block and coverage date, facet filters, previous/next on event pages
and the "as of" pages."""

from __future__ import annotations

import re

import pytest
import site_build

pytestmark = pytest.mark.sphinx


@pytest.fixture(scope="module")
def site() -> site_build.Site:
    return site_build.real_site()


def _page(site: site_build.Site, name: str) -> str:
    return (site.outdir / name).read_text(encoding="utf-8")


def _body(html: str) -> str:
    return html.split("<h1", 1)[1].split("<footer", 1)[0]


def test_the_story_has_numbered_notes_and_an_endnote_list(site: site_build.Site) -> None:
    html = _body(_page(site, "about.html"))
    story, notes = html.split('id="dossier-notes"', 1)
    markers = re.findall(
        r'<a class="dossier-marker[^"]*" href="#dossier-note-(\d+)">\[(\d+)\]', story
    )
    assert len(markers) >= 30
    assert all(href == label for href, label in markers)
    numbers = [int(n) for n, _ in markers]
    # Numbered in reading order: each new number is one more than the highest so far.
    highest = 0
    for number in numbers:
        assert number <= highest + 1
        highest = max(highest, number)
    # Every number has its note, with the source's words for claims.
    for number in set(numbers):
        assert f'<li id="dossier-note-{number}">' in notes
    assert "Sources for this page" in notes
    assert 'class="dossier-quote"' in notes
    # No parenthetical links are left in the story.
    assert not re.search(r"\(<a class=\"reference internal\"", story)


def test_story_link_words_are_few(site: site_build.Site) -> None:
    story = _body(_page(site, "about.html")).split('id="dossier-notes"', 1)[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", story, re.S)
    words = links = 0
    for paragraph in paragraphs:
        text = re.sub(r"<[^>]+>", " ", paragraph)
        words += len(text.split())
        for attrs, link in re.findall(r"<a ([^>]*)>(.*?)</a>", paragraph, re.S):
            if "dossier-marker" not in attrs:
                links += len(re.sub(r"<[^>]+>", " ", link).split())
    assert words > 500
    assert links / words < 0.15  # it was 30 % with parenthetical links
