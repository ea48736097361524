"""Unit tests for quote links, "cite this entry" and the caption accessibility fix."""

from __future__ import annotations

from docutils import nodes
from sphinx_dossier.sphinx_ext.a11y import fix_page
from sphinx_dossier.sphinx_ext.cite import cite_nodes, plain_citation, text_fragment_url


def test_short_quote_is_matched_whole_and_percent_encoded() -> None:
    url = text_fragment_url("https://example.org/a.html", "Seoul's pact, signed - at last & done")
    assert url == (
        "https://example.org/a.html#:~:text="
        "Seoul%27s%20pact%2C%20signed%20%2D%20at%20last%20%26%20done"
    )


def test_long_quote_uses_start_and_end_words() -> None:
    quote = "the two countries will sign the pact after a brief review by the cabinet on Tuesday"
    url = text_fragment_url("https://example.org/a", quote)
    assert url.endswith("#:~:text=the%20two%20countries%20will,the%20cabinet%20on%20Tuesday")


def test_existing_fragment_and_odd_whitespace() -> None:
    url = text_fragment_url("https://example.org/a#top", "  the\n pact…  ")
    assert url == "https://example.org/a#top:~:text=the%20pact"
    assert text_fragment_url("https://example.org/a", "   ") == "https://example.org/a"


def test_cite_block_gives_rest_myst_and_plain_forms() -> None:
    data = {"id": "gsomia-signed-2016", "kind": "event", "title": "Pact signed"}
    url = "https://dossier.example/records/events/gsomia-signed-2016.html"
    body = nodes.container("", *cite_nodes(data, project="GSOMIA dossier", url=url))
    literals = [n.astext() for n in body.findall(nodes.literal)]
    assert literals == [
        ":dossier:event:`gsomia-signed-2016`",
        "{dossier:event}`gsomia-signed-2016`",
    ]
    plain = plain_citation("GSOMIA dossier", data, url)
    assert plain == f"GSOMIA dossier. “Pact signed” Event record gsomia-signed-2016. {url}"
    assert plain in body.astext()
    assert [r["refuri"] for r in body.findall(nodes.reference)] == [url]
    unnamed = plain_citation("Project name not set", data, "p.html")
    assert unnamed == "“Pact signed” Event record gsomia-signed-2016. p.html"


def test_toctree_captions_get_an_aria_level() -> None:
    caption = '<p class="caption" role="heading"><span class="caption-text">Records</span></p>'
    context = {"body": caption, "furo_navigation_tree": caption * 2, "title": caption}
    fix_page(None, "index", "page.html", context, None)  # type: ignore[arg-type]
    assert context["body"].count('role="heading" aria-level="2"') == 1
    assert context["furo_navigation_tree"].count('aria-level="2"') == 2
    assert context["title"] == caption  # only rendered HTML regions are touched
