"""Record pages explain before they list (issue #16, item 3): a lead paragraph and a fact
box made from the data only, the lifecycle near the top, claims grouped with their ids
behind a toggle, and an actors index that says more than names."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

import pytest
import site_build
import yaml
from sphinx_dossier.core.dates import PartialDate
from sphinx_dossier.core.text import date_notes, date_phrase, date_words, spoken_date

pytestmark = pytest.mark.sphinx

ROOT = site_build.ROOT
RECORDS = ("events", "actors", "agreements", "sources")
MONTHS = tuple(calendar.month_name)[1:]
MARKER = re.compile(r'class="dossier-marker reference internal" href="#cite-\d+"')
CLAIM_LINK = re.compile(
    r'href="[^"]*#[^"]*" title="[^"]*›[^"]*"><span class="xref dossier dossier-claim"'
)


@pytest.fixture(scope="module")
def site() -> site_build.Site:
    return site_build.real_site()


def _records(folder: str) -> Iterator[dict]:
    for path in sorted((ROOT / "data" / folder).glob("*.yaml")):
        yield yaml.safe_load(path.read_text(encoding="utf-8"))


def _page(site: site_build.Site, folder: str, record_id: str) -> str:
    return (site.outdir / "records" / folder / f"{record_id}.html").read_text(encoding="utf-8")


def _lead(html: str) -> str:
    found = re.search(r'<p class="dossier-lead">(.*?)</p>', html, re.S)
    assert found is not None
    return found[1]


def _words(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", markup).split())


def _facts(html: str) -> str:
    return html.split('id="dossier-facts"', 1)[1].split("</dl>", 1)[0]


# -- dates as words, never finer than the data --------------------------------------------


def test_spoken_dates_keep_the_datas_precision() -> None:
    assert spoken_date(PartialDate.parse(2019)) == "2019"
    assert spoken_date(PartialDate.parse("2016-11")) == "November 2016"
    assert spoken_date(PartialDate.parse("2016-11-01")) == "1 November 2016"
    assert date_phrase(PartialDate.parse(2019)) == "in 2019"
    assert date_phrase(PartialDate.parse("2016-11-01")) == "on 1 November 2016"
    assert date_notes(PartialDate.parse(2019, basis="inferred")) == ["year only", "inferred"]
    assert date_notes(PartialDate.parse("2016-11-01")) == []
    assert date_words(PartialDate.parse("2016-10", basis="resolved")) == (
        "October 2016 (month only, worked out from the source's own date)"
    )
    assert date_words(PartialDate.parse(2019), phrase=True) == "in 2019 (year only)"


# -- the lead ---------------------------------------------------------------------------


def test_every_record_page_opens_with_a_lead_before_its_fact_box(site: site_build.Site) -> None:
    for folder in RECORDS:
        for data in _records(folder):
            html = _page(site, folder, data["id"])
            body = html.split('<section class="dossier-record', 1)[1]
            assert body.index('class="dossier-lead"') < body.index('id="dossier-facts"'), data["id"]
            assert body.index('id="dossier-facts"') < body.index('id="dossier-claims"')
            assert len(_words(_lead(html)).split()) >= 4, data["id"]


def test_every_date_in_a_lead_is_followed_by_its_evidence(site: site_build.Site) -> None:
    """A sentence of a lead that gives a date links the claim that backs it: a citation
    marker of the page or a link to the claim on the other record's page."""
    checked = 0
    for folder in ("events", "sources"):
        for data in _records(folder):
            lead = _lead(_page(site, folder, data["id"]))
            # The first sentence: an event's date and status, a source's publisher and date.
            first = re.split(r"(?<=[a-z)\]>])\.(?:\s|$)", lead, maxsplit=1)[0]
            if re.search(r"\b(1[89]|20)\d\d\b", _words(first)):
                assert MARKER.search(first) or CLAIM_LINK.search(first), (data["id"], first)
                checked += 1
    assert checked >= 40
    gsomia = _lead(_page(site, "agreements", "gsomia"))
    assert CLAIM_LINK.search(gsomia.split("still planned then", 1)[1])


def test_a_year_only_date_in_a_lead_shows_only_the_year(site: site_build.Site) -> None:
    seen = 0
    for data in _records("events"):
        values = [data["date"], data.get("until")]
        values = [str(v["value"] if isinstance(v, dict) else v) for v in values if v is not None]
        if not all(re.fullmatch(r"\d{4}", v) for v in values):
            continue
        seen += 1
        lead = _words(_lead(_page(site, "events", data["id"])))
        assert "year only" in lead, data["id"]
        assert not any(month in lead for month in MONTHS), (data["id"], lead)
        assert not re.search(r"\b\d{4}-\d\d", lead), lead
    assert seen >= 10
    html = _page(site, "events", "japanese-rule-of-korea")
    rule = _words(_lead(html))
    assert rule.startswith("This event is dated from 1910 to 1945 (year only)")
    # Both ends are backed: the markers of the until claim follow the span too.
    until = _facts(html).split(">Until<", 1)[1].split("</dd>", 1)[0]
    span = _lead(html).split(":", 1)[0]
    for marker in re.findall(r'href="#cite-\d+"', until):
        assert marker in span, marker


def test_event_leads_use_the_status_words_of_the_method_page(site: site_build.Site) -> None:
    signed = _words(_lead(_page(site, "events", "gsomia-signed-2016")))
    assert "a source published on or after its date reports that it happened" in signed
    termination = "south-korea-announces-gsomia-termination-2019"
    reported = _words(_lead(_page(site, "events", termination)))
    assert "reports that it happened, but the date is uncertain" in reported
    assert "not confirmed" not in reported


def test_meta_description_is_the_lead(site: site_build.Site) -> None:
    html = _page(site, "events", "gsomia-signed-2016")
    description = re.search(r'<meta name="description" content="([^"]*)"', html)
    assert description is not None
    assert description[1].startswith("This event is dated 2016 (year only): a source")
    assert "[1]" not in description[1]  # markers are not words
    assert len(description[1]) <= 200


# -- fact boxes ---------------------------------------------------------------------------


def _latest_source_date() -> str:
    dates = []
    for data in _records("sources"):
        value = data.get("published")
        if value is not None:
            value = value["value"] if isinstance(value, dict) else value
            dates.append(PartialDate.parse(value))
    return spoken_date(max(dates, key=lambda d: d.sort_key))


def test_agreement_box_has_lifecycle_status_and_coverage_end(site: site_build.Site) -> None:
    html = _page(site, "agreements", "gsomia")
    box = _words(_facts(html))
    latest = _latest_source_date()
    assert latest == "13 November 2019"
    assert f"Coverage: ends on {latest}, the date of the latest source" in box
    events = [e for e in _records("events") if "gsomia" in (e.get("agreements") or [])]
    assert f"Lifecycle: {len(events)} events, from 2012 to 2019" in box
    assert "Status:" in box and "occurred" in box
    # The plan the sources could not see the end of, with the claim backing its date.
    assert "Planned after it: GSOMIA due to expire (22 November 2019)" in box
    assert 'href="../events/gsomia-expiry-2019.html#' in _facts(html)
    # The count of events links the list of them (each with the claim behind its date).
    assert re.search(
        r'through <a class="reference internal" href="#dossier-lifecycle">\d+ events</a>',
        _lead(html),
    )
    # The lead says where coverage ends too.
    assert f"The sources end on {latest}" in _words(_lead(html))


def test_agreement_lifecycle_comes_right_after_the_box(site: site_build.Site) -> None:
    for data in _records("agreements"):
        html = _page(site, "agreements", data["id"])
        body = html.split('<section class="dossier-record', 1)[1]
        assert body.index('id="dossier-facts"') < body.index('id="dossier-lifecycle"')
        assert body.index('id="dossier-lifecycle"') < body.index('id="dossier-claims"')
    lifecycle = _page(site, "agreements", "gsomia").split('id="dossier-lifecycle"')[1]
    lifecycle = lifecycle.split("</section>", 1)[0]
    assert CLAIM_LINK.search(lifecycle)  # each step links the claim backing its date


def test_person_box_names_roles_and_organisations(site: site_build.Site) -> None:
    box = _words(_facts(_page(site, "actors", "kang-kyung-wha")))
    assert "Kind: person" in box
    assert "Roles: Foreign Minister, South Korea, observed" in box
    assert "Organizations: South Korea" in box
    assert "Events: 3 events, in 2019" in box
    lead = re.sub(r"\[\d+\]", "", _words(_lead(_page(site, "actors", "kang-kyung-wha"))))
    # One title seen on two dates reads once, with both dates.
    assert "as Foreign Minister of South Korea in 2019 and on 13 November 2019" in lead


def test_source_box_counts_the_claims_citing_it(site: site_build.Site) -> None:
    herald = "herald-2016-10-27-gsomia-talks"
    claims, records = set(), set()
    for folder in RECORDS:
        for data in _records(folder):
            for claim in data.get("claims") or []:
                if any(cite["source"] == herald for cite in claim["cites"]):
                    claims.add((data["id"], claim["id"]))
                    records.add(data["id"])
    html = _page(site, "sources", herald)
    box = _words(_facts(html))
    assert f"Cited by: {len(claims)} claims in {len(records)} records" in box
    assert "Publisher: The Korea Herald (inferred)" in box
    assert "Published: 27 October 2016" in box  # in words, at the data's precision
    assert "URL: no URL in the text" in box
    assert "The text gives no URL." in _words(_lead(html))


# -- claims -------------------------------------------------------------------------------


def test_long_claim_lists_are_grouped_with_ids_behind_a_toggle(site: site_build.Site) -> None:
    html = _page(site, "agreements", "gsomia")
    claims = html.split('id="dossier-claims"', 1)[1].split('id="dossier-citations"', 1)[0]
    assert '<section class="dossier-section" id="dossier-claims-who">' in claims
    assert '<section class="dossier-section" id="dossier-claims-other">' in claims
    who = claims.split('id="dossier-claims-who"', 1)[1].split("</section>", 1)[0]
    assert 'id="parties"' in who
    gsomia = yaml.safe_load((ROOT / "data/agreements/gsomia.yaml").read_text(encoding="utf-8"))
    toggles = re.findall(
        r'<details class="dossier-toggle dossier-claim-more no-search"><summary>Claim id</summary>'
        r'<p class="dossier-claim-meta">(.*?)</p>',
        claims,
        re.S,
    )
    assert len(toggles) == len(gsomia["claims"])
    assert "backs parties" in toggles[0] or any("backs parties" in t for t in toggles)
    # Nothing about ids or fields outside the toggles.
    outside = re.sub(r"<details class=\"dossier-toggle.*?</details>", "", claims, flags=re.S)
    assert "dossier-claim-meta" not in outside and "· backs" not in outside


def test_short_claim_lists_keep_their_order_without_headings(site: site_build.Site) -> None:
    html = _page(site, "actors", "kang-kyung-wha")
    claims = html.split('id="dossier-claims"', 1)[1].split('id="dossier-citations"', 1)[0]
    assert "dossier-claims-" not in claims


# -- listings ------------------------------------------------------------------------------


def test_actors_index_says_roles_and_events(site: site_build.Site) -> None:
    html = (site.outdir / "records" / "actors.html").read_text(encoding="utf-8")
    items = {
        m[1]: _words(m[2])
        for m in re.finditer(
            r'<li><p><a [^>]*href="actors/([a-z0-9-]+)\.html[^"]*"(.*?)</p></li>', html
        )
    }
    assert (
        "Foreign Minister of South Korea (observed 2019, 13 November 2019)"
        in items["kang-kyung-wha"]
    )
    assert "events" in items["south-korea"]
    assert re.search(r"· \d+ events", items["south-korea"])


def test_phone_titles_do_not_stand_alone_in_huge_type() -> None:
    css = (ROOT / "_ext/sphinx_dossier/static/dossier.css").read_text(encoding="utf-8")
    assert ".dossier-record > h1 { overflow-wrap: anywhere;" in css
    assert re.search(
        r"@media \(max-width: 40em\) \{\s*\.dossier-record > h1 \{ font-size: 1\.6rem;", css
    )
