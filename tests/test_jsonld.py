"""schema.org JSON-LD in the head of every record page, parsed back from the built HTML."""

from __future__ import annotations

import json
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from dataout_support import EXPECTED_TYPES, make_dataout_root
from sphinx_dossier.outputs.jsonld import script_tag
from sphinx_support import Build, build, html_pages

KIND_FOLDERS = ("events", "actors", "agreements", "sources")


class _Scripts(HTMLParser):
    """Collects the text of ``<script type="application/ld+json">`` elements inside <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.capturing = False
        self.found: list[tuple[bool, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self.capturing = True
            self.found.append((self.in_head, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script":
            self.capturing = False

    def handle_data(self, data: str) -> None:
        if self.capturing:
            in_head, text = self.found[-1]
            self.found[-1] = (in_head, text + data)


def jsonld_blocks(html: str) -> list[tuple[bool, Any]]:
    parser = _Scripts()
    parser.feed(html)
    return [(in_head, json.loads(text)) for in_head, text in parser.found]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(make_dataout_root(tmp_path_factory.mktemp("jsonld") / "src"))


def record_pages(built: Build) -> dict[str, str]:
    """Record id -> docname of every record page in the output."""
    pages = {}
    for docname in html_pages(built.outdir):
        parts = docname.split("/")
        if len(parts) == 3 and parts[0] == "records" and parts[1] in KIND_FOLDERS:
            pages[parts[2]] = docname
    return pages


def test_every_record_page_has_one_jsonld_block_of_the_right_type_and_id(built: Build) -> None:
    pages = record_pages(built)
    assert set(pages) == set(EXPECTED_TYPES)
    for record_id, docname in pages.items():
        blocks = jsonld_blocks(built.html(docname))
        assert len(blocks) == 1, docname
        in_head, data = blocks[0]
        assert in_head, f"{docname}: JSON-LD must be in <head>"
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == EXPECTED_TYPES[record_id], record_id
        assert data["@id"] == f"{record_id}.html#{record_id}"
        assert data["identifier"] == record_id
        assert data["name"]


def test_other_pages_have_no_jsonld(built: Build) -> None:
    records = set(record_pages(built).values())
    others = html_pages(built.outdir) - records
    assert {"index", "records/timeline", "notes"} <= others
    for docname in others:
        assert jsonld_blocks(built.html(docname)) == [], docname


def _resolve(built: Build, docname: str, iri: str) -> tuple[Path, str]:
    page, _, anchor = iri.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), page))
    return built.outdir / path, anchor


def test_every_iri_points_at_an_existing_anchor(built: Build) -> None:
    checked = 0
    for docname in record_pages(built).values():
        ((_, data),) = jsonld_blocks(built.html(docname))
        stack: list[Any] = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if "@id" in node:
                    path, anchor = _resolve(built, docname, node["@id"])
                    assert f'id="{anchor}"' in path.read_text(encoding="utf-8"), node["@id"]
                    checked += 1
                stack.extend(node.values())
    assert checked > 50


def test_claims_cite_their_sources(built: Build) -> None:
    ((_, event),) = jsonld_blocks(built.html("records/events/signing-2020"))
    assert event["startDate"] == "2020-03-01"
    assert event["location"] == {"@type": "Place", "name": "Port City"}
    assert [a["name"] for a in event["attendee"]] == ["Northland", "Southland"]
    assert event["about"][0]["@type"] == "Legislation"
    claims = {c["@id"]: c for c in event["subjectOf"]}
    signed = claims["signing-2020.html#signed"]
    assert signed["@type"] == "Claim"
    assert signed["text"] == "The treaty was signed on 1 March 2020 in Port City."
    assert signed["citation"] == [
        {
            "@id": "../sources/courier-2020-03-03.html#courier-2020-03-03",
            "@type": "NewsArticle",
            "name": "Harbour treaty signed",
        }
    ]
    (quote,) = signed["appearance"]
    assert quote["@type"] == "Quotation"
    assert quote["text"].startswith("Northland and Southland signed")


def test_type_specific_properties(built: Build) -> None:
    ((_, planned),) = jsonld_blocks(built.html("records/events/signing-planned-2020"))
    assert planned["startDate"] == "2020-02" and planned["endDate"] == "2020-03"
    assert planned["eventStatus"] == "https://schema.org/EventScheduled"
    ((_, source),) = jsonld_blocks(built.html("records/sources/gazette-2020-01-05"))
    assert source["headline"] == "Harbour treaty talks to resume"
    assert source["datePublished"] == "2020-01-05"
    assert source["author"] == {"@type": "Person", "name": "Ann Writer"}
    assert source["publisher"] == {"@type": "Organization", "name": "The Example Gazette"}
    ((_, ministry),) = jsonld_blocks(built.html("records/actors/northland-foreign-ministry"))
    assert ministry["areaServed"]["@type"] == "Country"
    ((_, person),) = jsonld_blocks(built.html("records/actors/ann-minister"))
    assert person["jobTitle"] == ["Foreign Minister"]
    assert person["affiliation"][0]["name"] == "Northland"
    ((_, treaty),) = jsonld_blocks(built.html("records/agreements/harbour-treaty"))
    assert [p["name"] for p in treaty["legislationPassedBy"]] == ["Northland", "Southland"]


def test_html_baseurl_makes_iris_absolute(tmp_path: Path) -> None:
    src = make_dataout_root(tmp_path / "src")
    result = build(src, confoverrides={"html_baseurl": "https://example.org/harbour/"})
    ((_, data),) = jsonld_blocks(result.html("records/actors/northland"))
    assert data["@id"] == "https://example.org/harbour/records/actors/northland.html#northland"
    exported = json.loads((result.outdir / "_static/dossier/dataset.json").read_text("utf-8"))
    assert exported["records"][0]["url"].startswith("https://example.org/harbour/records/")


def test_script_text_cannot_close_the_element() -> None:
    tag = script_tag({"text": "</script><script>alert(1)</script> & <!--"})
    body = tag.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body and ">" not in body
    assert json.loads(body)["text"] == "</script><script>alert(1)</script> & <!--"


def test_parallel_build_gives_the_same_jsonld(built: Build, tmp_path: Path) -> None:
    result = build(make_dataout_root(tmp_path / "src"), parallel=2)
    assert result.warning_lines() == []
    for docname in record_pages(built).values():
        assert jsonld_blocks(result.html(docname)) == jsonld_blocks(built.html(docname))


def test_renamed_record_updates_the_jsonld_of_pages_naming_it(tmp_path: Path) -> None:
    src = make_dataout_root(tmp_path / "src")
    build(src)
    path = src / "data" / "actors" / "northland.yaml"
    path.write_text(path.read_text().replace("name: Northland", "name: Northland Republic"))
    result = build(src)
    ((_, event),) = jsonld_blocks(result.html("records/events/signing-2020"))
    assert event["attendee"][0]["name"] == "Northland Republic"
    data = json.loads((result.outdir / "_static/dossier/dataset.json").read_text("utf-8"))
    (northland,) = [r for r in data["records"] if r["id"] == "northland"]
    assert northland["title"] == "Northland Republic"
