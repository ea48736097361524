"""Citations in six formats: each parses back with a standard parser, the access date is
the reader's, and the pages offer them (record, claim, original article) with Zotero's
``citation_*`` meta tags and claim permalinks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from dataout_support import make_dataout_root
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.outputs.citation import (
    ACCESS_TEXT,
    FORMATS,
    STYLES,
    Work,
    article_work,
    bibtex,
    csl_json,
    format_date,
    formats,
    ris,
    split_access,
    with_access,
)
from sphinx_dossier.sphinx_ext.cite import CiteContext, claim_work, record_work, source_work
from sphinx_support import Build, build, copy_root

REPO = Path(__file__).resolve().parent.parent
CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.schema.json").read_text())
TODAY = "2026-03-04"

#: The meta tag names Zotero's "Embedded Metadata" translator reads (zotero/translators,
#: Embedded Metadata.js: HIGHWIRE_MAPPINGS and the tags addHighwireMetadata handles).
ZOTERO_HIGHWIRE = frozenset(
    {
        "citation_title", "citation_publication_date", "citation_date",
        "citation_journal_title", "citation_journal_abbrev", "citation_book_title",
        "citation_volume", "citation_issue", "citation_series_title",
        "citation_conference_title", "citation_conference", "citation_dissertation_institution",
        "citation_technical_report_institution", "citation_technical_report_number",
        "citation_publisher", "citation_isbn", "citation_abstract", "citation_doi",
        "citation_public_url", "citation_language", "citation_author", "citation_authors",
        "citation_firstpage", "citation_lastpage", "citation_issn", "citation_eIssn",
        "citation_pdf_url", "citation_abstract_html_url", "citation_fulltext_html_url",
        "citation_pmid", "citation_online_date", "citation_year", "citation_keywords",
    }
)  # fmt: skip


@pytest.fixture(scope="module")
def real() -> Dataset:
    dataset = Dataset.load(REPO / "data")
    assert dataset.ok
    return dataset


def works_of(dataset: Dataset) -> list[Work]:
    """Every record, claim and source article of the real data, as the pages cite them."""
    context = CiteContext(
        dataset=dataset, project="GSOMIA dossier", author="The dossier contributors",
        relative=False,
    )  # fmt: skip
    works: list[Work] = []
    for loaded in dataset.records.values():
        url = f"https://dossier.example/records/{loaded.kind}s/{loaded.id}.html"
        works.append(record_work(loaded, context, url))
        works += [
            claim_work(loaded, str(c.id), context, f"{url}#{c.id}") for c in loaded.record.claims
        ]
        if loaded.kind == "source":
            works.append(source_work(loaded))
    return works


@pytest.mark.parametrize("date", [TODAY, None], ids=["with-script", "without-script"])
def test_every_format_of_every_real_work_parses_back(real: Dataset, date: str | None) -> None:
    check = jsonschema.Draft7Validator(CSL_SCHEMA)
    works = works_of(real)
    assert len(works) > 300
    for work in works:
        texts = {key: with_access(text, date) for key, text in formats(work).items()}
        assert set(texts) == set(FORMATS)
        everything = [work, *{s.key: s for _, s in work.evidence}.values()]
        library = bibtexparser.parse_string(
            texts["bibtex"], append_middleware=[LatexDecodingMiddleware()]
        )
        assert library.failed_blocks == [], texts["bibtex"]
        assert [e.key for e in library.entries] == [w.key.replace("#", "-") for w in everything]
        first = library.entries[0].fields_dict
        assert first["title"].value == work.item["title"]
        if "URL" in work.item:
            assert first["url"].value == work.item["URL"]
            assert first["urldate"].value == (date or ACCESS_TEXT)
        records = rispy.loads(texts["ris"])
        assert [r["title"] for r in records] == [w.item["title"] for w in everything]
        assert records[0]["type_of_reference"] in {"ELEC", "NEWS"}
        if "URL" in work.item:
            assert records[0]["urls"] == [work.item["URL"]]
            assert records[0]["access_date"] == (date or ACCESS_TEXT).replace("-", "/")
        items = json.loads(texts["csl-json"])
        check.validate(items)
        assert [i["id"] for i in items] == [w.key for w in everything]
        for style in STYLES:
            assert "1111" not in texts[style] and "November 23" not in texts[style]
            if date and work.item["type"] == "entry-encyclopedia":  # APA: pages that change
                assert "2026" in texts[style], (style, texts[style])


def test_data_formats_joined_per_work_equal_the_writers_on_the_whole_list(
    real: Dataset,
) -> None:
    """RIS and CSL-JSON are written one work at a time (a source once, however many
    claims quote it) and joined: the text is what rispy and ``json.dumps(indent=2)``
    write for the whole list, for one work, for several, and for a work asked again."""
    from sphinx_dossier.outputs.citation import _ris_writer

    works = works_of(real)
    groups = [[work, *{s.key: s for _, s in work.evidence}.values()] for work in works]
    assert any(len(group) > 2 for group in groups)
    for group in [*groups, *groups[:5], [works[0]], []]:  # the second time from the memo
        whole = [dict(w.item) for w in group]
        for item in whole:
            if "accessed" in item:
                parts = item["accessed"]["date-parts"][0]
                item["accessed"] = {
                    "raw": "-".join(
                        f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts)
                    )
                }
        assert (
            csl_json(group)
            == json.dumps(whole, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        )
        if group:
            entries = rispy.loads(ris(group))
            assert [e["title"] for e in entries] == [w.item["title"] for w in group]
            again = rispy.dumps(entries, implementation=_ris_writer())
            assert ris(group) == again


def _bibtexparser_writes(works: list[Work]) -> str:
    """The entries as bibtexparser's writer lays them out (the fields as ``bibtex`` gives
    them, read back from its text), to hold our writer to that layout."""
    from bibtexparser.writer import BibtexFormat

    library = bibtexparser.parse_string(bibtex(works))
    assert library.failed_blocks == []
    style = BibtexFormat()
    style.indent = "  "
    style.block_separator = "\n"
    return str(bibtexparser.write_string(library, bibtex_format=style)).strip() + "\n"


def test_bibtex_is_laid_out_as_bibtexparser_writes_it(real: Dataset) -> None:
    works = works_of(real)
    for work in works:
        everything = [work, *{s.key: s for _, s in work.evidence}.values()]
        assert bibtex(everything) == _bibtexparser_writes(everything)
    hostile = article_work(
        "a#b c", title="{Odd} 100% & $5 #1 a_b \\", publisher="P & Q", author="A {B}",
        published="2016-11", url="https://x.example/a_b?c=1#d", via=None,
    )  # fmt: skip
    assert bibtex([hostile]) == _bibtexparser_writes([hostile])
    assert bibtex([]) == "\n"


def test_styles_are_the_csl_styles_with_the_readers_date(real: Dataset) -> None:
    work = next(w for w in works_of(real) if w.key == "dossier:gsomia-signed-2016")
    texts = {key: with_access(text, TODAY) for key, text in formats(work).items()}
    url = "https://dossier.example/records/events/gsomia-signed-2016.html"
    version = work.item["version"]
    assert texts["apa"] == (
        "The dossier contributors. (n.d.). South Korea and Japan sign the GSOMIA. In GSOMIA"
        f" dossier (Version {version}). Retrieved March 4, 2026, from {url}"
    )
    assert texts["mla"] == (
        "The dossier contributors. “South Korea and Japan Sign the GSOMIA”. GSOMIA Dossier,"
        f" Version {version}, {url}. Accessed 4 Mar. 2026."
    )
    # Chicago dates an undated page by the year of access.
    assert texts["chicago"] == (
        "The dossier contributors. 2026. “South Korea and Japan Sign the GSOMIA”. In GSOMIA"
        f" Dossier. Accessed March 4. {url}."
    )


def test_a_claim_cites_its_quotes_and_their_sources(real: Dataset) -> None:
    work = next(w for w in works_of(real) if w.key == "dossier:gsomia-signed-2016:signed-2016")
    loaded = real.records["gsomia-signed-2016"]
    (claim,) = [c for c in loaded.record.claims if c.id == "signed-2016"]
    assert work.item["URL"].endswith("#signed-2016")
    assert [quote for quote, _ in work.evidence] == [c.quote for c in claim.cites]
    assert all(f"“{c.quote}”" in work.item["note"] for c in claim.cites)
    assert {source.key for _, source in work.evidence} == {c.source for c in claim.cites}
    texts = formats(work)
    assert len(bibtexparser.parse_string(texts["bibtex"]).entries) == 1 + len(
        {c.source for c in claim.cites}
    )


def test_a_source_cites_the_original_article(real: Dataset) -> None:
    article = source_work(real.records["herald-2016-10-27-gsomia-talks"])
    assert article.item["type"] == "article-newspaper"
    assert with_access(formats(article)["apa"]) == (
        "Shin Hyon-hee. (2016, October 27). Seoul, Tokyo set to restart talks on"
        " intelligence-sharing pact. The Korea Herald."
    )
    no_author = source_work(real.records["intellasia-koreatimes-2019-11-13-defense-chiefs"])
    for style in STYLES:
        text = formats(no_author)[style]
        title = no_author.item["title"].lower()
        assert text.lower().count(title) == 1, text  # not printed twice


def test_access_date_patterns_match_the_script() -> None:
    assert format_date("{MMMM} {D}, {Y}", "2026-09-05") == "September 5, 2026"
    assert format_date("{D} {MMM} {Y}", "2026-09-05") == "5 Sep. 2026"
    assert format_date("{Y}/{MM}/{DD}", "2026-09-05") == "2026/09/05"
    script = (REPO / "_ext/sphinx_dossier/static/dossier-cite.js").read_text()
    for name in ("{MMMM}", "{MMM}", "{MM}", "{DD}", "{D}", "{Y}"):
        assert f'.replace("{name}"' in script
    assert split_access("plain") == ["plain"]
    assert bibtex([]) == "\n" and ris([]) == "" and csl_json([]) == "[]\n"


# -- the pages ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    src = make_dataout_root(tmp_path_factory.mktemp("cite") / "src")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nauthor = 'The harbour desk'\n")
    return build(src)


def test_record_pages_offer_a_cite_control_near_the_top(built: Build) -> None:
    assert built.warning_lines() == []
    html = built.main("records/events/signing-2020")
    menu = html.index('class="dossier-cite-menu dossier-cite-record"')
    assert menu < html.index('id="dossier-claims"')  # above the claims, not at the bottom
    for label in FORMATS.values():
        assert f">{label}<" in html
    assert 'data-pattern="{MMMM} {D}, {Y}">[date of access]</span>' in html
    # Without html_baseurl the page URL is relative, for the script to make absolute.
    assert '<span class="dossier-cite-url" data-href="signing-2020.html">' in html


def test_every_claim_has_a_permalink_and_a_cite_control(built: Build) -> None:
    html = built.main("records/events/signing-2020")
    for claim in ("planned", "signed"):
        assert f'<a class="dossier-permalink reference internal" href="#{claim}"' in html
        assert f'<a class="dossier-claim-id reference internal" href="#{claim}"' in html
        assert f"The claim {claim}, with the quotes it rests on" in html
        assert f'data-href="signing-2020.html#{claim}"' in html
    assert html.count('class="dossier-cite-menu dossier-cite-claim"') == 2


def test_source_pages_cite_the_article_and_carry_zotero_tags(built: Build) -> None:
    html = built.html("records/sources/courier-2020-03-03")
    assert "The article itself" in html and "This record of the dossier" in html
    tags = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', html))
    assert set(tags) <= ZOTERO_HIGHWIRE
    assert tags["citation_title"] == "Harbour treaty signed"
    assert re.fullmatch(r"\d{4}(/\d{2}){0,2}", tags["citation_date"])
    record = built.html("records/actors/northland")
    tags = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', record))
    assert set(tags) <= ZOTERO_HIGHWIRE
    assert tags["citation_title"] == "Northland" and tags["citation_author"] == "The harbour desk"


def test_pages_other_than_records_get_no_citation_tags(built: Build) -> None:
    assert 'name="citation_' not in built.html("index")


def test_text_builder_has_no_controls(tmp_path: Path) -> None:
    src = make_dataout_root(tmp_path / "src")
    text = build(src, buildername="text")
    page = (text.outdir / "records" / "events" / "signing-2020.txt").read_text("utf-8")
    assert "Cite this claim" not in page and "[date of access]" not in page
    assert "Event record signing-2020" in page  # the plain citation at the bottom stays


def test_absolute_urls_with_html_baseurl(tmp_path: Path) -> None:
    src = make_dataout_root(tmp_path / "src")
    base = "https://harbour.example/dossier/"
    built = build(src, confoverrides={"html_baseurl": base})
    html = built.html("records/events/signing-2020")
    assert "dossier-cite-url" not in html.split('id="dossier-cite-this"')[0]
    assert f"from {base}records/events/signing-2020.html#signed" in html
    tags = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', html))
    assert tags["citation_public_url"] == f"{base}records/events/signing-2020.html"


def test_without_html_baseurl_the_build_says_how_to_get_absolute_urls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sphinx.cmd.build import build_main

    src = copy_root("three-records", tmp_path / "src")
    assert build_main(["-b", "html", str(src), str(tmp_path / "out")]) == 0
    assert "set html_baseurl in conf.py for absolute URLs" in capsys.readouterr().out
    assert build_main(["-b", "html", "-D", "html_baseurl=https://x.example/", str(src),
                       str(tmp_path / "out2")]) == 0  # fmt: skip
    assert "set html_baseurl" not in capsys.readouterr().out


# A title of every kind the templates must case as citeproc-py does, and some they must
# leave to a full render (stops, quotation marks).
TEMPLATE_TITLES = (
    "Some record title number 7 › date",
    "GSOMIA: the pact of Japan and South Korea › purpose",
    "A study in the art of war",
    "Japan’s end-of-year talks (2016) › actors",
    "OK SO THIS IS ALL CAPS",
    "the a of",
    "McDonald's and the 2019 crisis: an overview",
    "iPhone and the U.S. Army",
    "Seoul says “no” to the pact",
    "Why?",
)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_page_entries_from_a_template_equal_a_full_render(style: str) -> None:
    """Records and claims are styled from one citeproc render per style and shape; that
    text must be the full render's, for every shape a page can have and on every title."""
    from sphinx_dossier.outputs import citation

    for author in (None, "The dossier contributors"):
        for url in (None, "https://dossier.example/records/events/e.html#date"):
            for note in (None, "Quotes “x” from a source (Outlet, 2019)"):
                for title in TEMPLATE_TITLES:
                    work = citation.page_work(
                        "dossier:e:date", title=title, url=url, container="GSOMIA dossier",
                        author=author, version="a2dd2a58afab", note=note,
                    )  # fmt: skip
                    full = citation._styled(style, json.dumps(work.item, sort_keys=True))
                    assert citation.styled(style, work) == full, (author, url, note, title)
    assert citation._templatable(TEMPLATE_TITLES[0])
    assert not citation._templatable("Seoul says “no” to the pact")
    assert citation._template.cache_info().currsize > 0


_DAYS = (1, 9, 10, 19, 23, 31, 2, 7, 11, 12, 13, 30)
ARTICLE_DATES = (
    None,
    "2019",
    "2016-11",
    *(f"2016-{month:02d}-{day:02d}" for month, day in zip(range(1, 13), _DAYS, strict=True)),
)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_article_entries_from_a_template_equal_a_full_render(style: str) -> None:
    """Sources are styled from one checked template per style and shape (which slots,
    the date's precision and month); that text must be the full render's for every
    month and precision, every kind of title, with and without author, URL and note."""
    from sphinx_dossier.outputs import citation

    def check(**values: Any) -> None:
        work = citation.article_work("s", **values)
        full = citation._styled(style, json.dumps(work.item, sort_keys=True))
        assert citation.styled(style, work) == full, values

    for published in ARTICLE_DATES:
        check(title="Talks resume in Tokyo", publisher="The Korea Times", author="Kim Min-ji",
              published=published, url="https://news.example/a/1", via=None)  # fmt: skip
    for title in TEMPLATE_TITLES:
        for author in (None, "Kim Min-ji"):
            for url in (None, "https://news.example/a/1"):
                for via in (None, "Yonhap"):
                    check(title=title, publisher="Korea JoongAng Daily", author=author,
                          published="2019-11-22", url=url, via=via)  # fmt: skip
    # A value a style might run into its punctuation is rendered in full.
    assert citation._article_values({"title": "Why?"}) is None
    assert citation._article_values({"title": "A", "URL": "https://x.example/a."}) is None
    # And the templates are used: an ordinary source is not rendered in full.
    plain = citation.article_work(
        "s", title="Talks resume", publisher="Korea Times", author="Kim", published="2016-11-01",
        url=None,
    )  # fmt: skip
    assert citation._article_from_template(style, plain.item) is not None


def test_every_real_work_styled_from_a_template_equals_a_full_render(real: Dataset) -> None:
    from sphinx_dossier.outputs import citation

    for work in works_of(real):
        for style in STYLES:
            full = citation._styled(style, json.dumps(work.item, sort_keys=True))
            assert citation.styled(style, work) == full, (style, work.key)
