"""What readers get on the real site (issue #16, in part): partial dates shown at their
own precision, status words of the method page, a clean <head> with a description and
Open Graph tags, a favicon and a 404 page."""

from __future__ import annotations

import calendar
import json
import re
from pathlib import Path

import pytest
import site_build
import yaml

pytestmark = pytest.mark.sphinx

ROOT = site_build.ROOT
MONTHS = tuple(calendar.month_name)[1:]


@pytest.fixture(scope="module")
def site() -> site_build.Site:
    return site_build.real_site()


def _year_only_events() -> dict[str, str]:
    """Event id -> title of every event whose date (and end) are known only to the year."""
    found = {}
    for path in sorted((ROOT / "data" / "events").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        dates = [data["date"], data.get("until")]
        values = [str(d["value"] if isinstance(d, dict) else d) for d in dates if d is not None]
        if all(re.fullmatch(r"\d{4}", v) for v in values):
            found[data["id"]] = data["title"]
    return found


def _text_list(html: str) -> list[tuple[str, list[str]]]:
    """The timeline's text version: (heading, [event page links]) in page order."""
    block = html.split('<details class="dossier-fig-text"', 1)[1].split("</details>", 1)[0]
    groups = []
    for li in re.findall(r'<li id="[^"]*">(.*?)</ul></li>', block, re.S):
        heading = re.sub(r"<[^>]+>", "", li.split("</span>", 1)[0]).strip()
        links = re.findall(r'href="[^"]*?([a-z0-9-]+)\.html[#"]', li)
        groups.append((heading, links))
    return groups


def test_no_year_only_event_is_filed_under_a_month(site: site_build.Site) -> None:
    year_only = _year_only_events()
    assert len(year_only) >= 10  # the data has many; the test must see them
    html = (site.outdir / "records" / "timeline.html").read_text(encoding="utf-8")
    groups = _text_list(html)
    seen = set()
    for heading, links in groups:
        for event in links:
            if event in year_only:
                seen.add(event)
                assert not any(heading.startswith(m) for m in MONTHS), (event, heading)
                assert heading.endswith("month not known"), (event, heading)
    assert seen == set(year_only)
    # No day or month is printed for them either.
    text = re.sub(r"<[^>]+>", " ", html)
    assert "1 January 1910" not in text and "31 December 1945" not in text


def test_the_after_chain_orders_year_only_events(site: site_build.Site) -> None:
    html = (site.outdir / "records" / "timeline.html").read_text(encoding="utf-8")
    order = [event for _heading, links in _text_list(html) for event in links]
    for path in sorted((ROOT / "data" / "events").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for before in data.get("after") or []:
            assert order.index(before) < order.index(data["id"]), (before, data["id"])


def test_status_words_are_the_method_pages(site: site_build.Site) -> None:
    timeline = (site.outdir / "records" / "timeline.html").read_text(encoding="utf-8")
    assert "not confirmed" not in timeline
    assert "happened, date uncertain" in timeline
    method = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    assert "the date is uncertain" in method


def test_every_page_has_one_viewport_and_a_description(site: site_build.Site) -> None:
    pages = sorted(site.outdir.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert head.count('name="viewport"') == 1, page
        if page.name in ("search.html", "genindex.html") or page.name.startswith("dossier-"):
            continue
        assert head.count('name="description"') == 1, page
        assert '<meta property="og:title"' in head, page


def test_record_pages_describe_themselves_from_their_data(site: site_build.Site) -> None:
    page = site.outdir / "records" / "events" / "gsomia-signed-2016.html"
    head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
    description = re.search(r'<meta name="description" content="([^"]*)"', head)
    assert description is not None
    # The page's lead (test_record_summaries.py): the record's fields in words.
    assert description[1].startswith("This event is dated 2016 (year only)")
    assert len(description[1]) <= 200
    assert '<meta property="og:type" content="article" />' in head


def test_favicon_and_404_page(site: site_build.Site) -> None:
    index = (site.outdir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="(?:shortcut )?icon" href="_static/favicon.svg"', index)
    assert (site.outdir / "_static" / "favicon.svg").is_file()
    missing = (site.outdir / "404.html").read_text(encoding="utf-8")
    assert '<form class="dossier-404-search" action="search.html"' in missing
    assert 'name="q"' in missing


def test_docs_session_keeps_doctrees_out_of_the_site() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert '"-d", _doctrees(out)' in noxfile
    assert 'str(Path(out).parent / "doctrees")' in noxfile


def test_readme_says_where_the_site_is() -> None:
    readme = Path(ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/_build/doctrees" in readme


def test_source_pages_are_for_readers(site: site_build.Site) -> None:
    documents = [
        yaml.safe_load(p.read_text(encoding="utf-8"))["document"]
        for p in sorted((ROOT / "data" / "sources").glob("*.yaml"))
    ]
    for page in sorted(site.outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for name in documents:
            assert name not in html, (page, name)  # a corpus file name is not for readers
        assert "publisher unknown" not in html, page
    herald = (site.outdir / "records/sources/herald-2016-10-27-gsomia-talks.html").read_text(
        encoding="utf-8"
    )
    assert "no URL in the text" in herald


def test_no_text_fragment_names_words_of_another_copy(site: site_build.Site) -> None:
    # The Korea Times text we quote is Intellasia's copy: its words (a dateline, a
    # category line) may not be on the Korea Times page, so no fragment link is built.
    for page in sorted(site.outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "koreatimes.co.kr/www/nation/2019/11/120_278610.html#:~:text=" not in html, page


def _search_index(site: site_build.Site) -> dict:
    text = (site.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return json.loads(text[len("Search.setIndex(") : -1])


def test_search_results_are_records_named_for_readers(site: site_build.Site) -> None:
    index = _search_index(site)
    types = {int(k): v for k, v in index["objtypes"].items()}
    ours = [
        entry
        for entries in index["objects"].values()
        for entry in entries
        if types[entry[1]].startswith("dossier:")
    ]
    assert len(ours) > 100
    names = [entry[4] for entry in ours]
    # Sphinx escapes names once in the index and once more on the page: none is escaped.
    assert not [n for n in names if re.search(r"&(#x?[0-9a-f]+|amp|quot|lt|gt);", n)]
    assert (
        "ASEAN Defence Ministers' Meeting-Plus (ADMM-Plus) in Bangkok (16–19 November 2019)"
        in names
    )
    assert not [e for e in ours if types[e[1]] == "dossier:claim"]  # claims are not results
    # A year typed in the search box finds the records of that year (object search keeps
    # numbers; the full-text search drops them).
    assert any("(1 November 2016)" in n for n in names)
    # Every result links to an anchor that exists on its page.
    for doc, _typ, _prio, anchor, _name in ours:
        page = site.outdir / f"{index['docnames'][doc]}.html"
        assert f'id="{anchor}"' in page.read_text(encoding="utf-8"), (page, anchor)


def test_claims_stay_linkable_through_the_inventory(site: site_build.Site) -> None:
    from sphinx.util.inventory import InventoryFile

    with open(site.outdir / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "", lambda base, uri: uri)
    claims = inventory.get("dossier:claim") if isinstance(inventory, dict) else None
    if claims is None:  # Sphinx 9: an _Inventory object
        claims = inventory.data["dossier:claim"]  # type: ignore[union-attr]
    assert "gsomia#parties" in claims


#: What a record page may cost a reader, with every stylesheet and script it loads,
#: compressed as a server sends them (#21: at most 60 kB).
PAGE_BUDGET_GZIP = 60_000


def test_every_record_page_with_what_it_loads_stays_within_budget(
    site: site_build.Site,
) -> None:
    import gzip

    def cost(path: Path) -> int:
        return len(gzip.compress(path.read_bytes(), 9))

    weights: dict[str, int] = {}
    for page in sorted((site.outdir / "records").rglob("*.html")):
        html = page.read_text("utf-8")
        total = cost(page)
        for ref in re.findall(r'(?:href|src)="([^"#?]+\.(?:css|js))(?:\?[^"]*)?"', html):
            asset = (page.parent / ref).resolve()
            if asset.is_file():
                total += cost(asset)
        weights[page.relative_to(site.outdir).as_posix()] = total
    heaviest = max(weights, key=weights.__getitem__)
    assert weights[heaviest] <= PAGE_BUDGET_GZIP, (heaviest, weights[heaviest])
