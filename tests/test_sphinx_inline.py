"""The restricted inline parser of text fields, without a Sphinx build."""

from __future__ import annotations

from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx import addnodes
from sphinx_dossier.core.model import split_title
from sphinx_dossier.core.text import ALLOWED_SCHEMES, plain_text
from sphinx_dossier.sphinx_ext.inline import parse_inline

ALLOWED_NODES = (
    nodes.Text,
    nodes.emphasis,
    nodes.strong,
    nodes.literal,
    nodes.reference,
    nodes.inline,
    addnodes.pending_xref,
)


def parse(text: str) -> tuple[list[nodes.Node], list[tuple[str, str]]]:
    reports: list[tuple[str, str]] = []
    result = parse_inline(
        text, source="x.yaml", line=3, report=lambda s, m: reports.append((s, m)), refdoc="doc"
    )
    return result, reports


def all_nodes(parts: list[nodes.Node]) -> list[nodes.Node]:
    found: list[nodes.Node] = []
    for part in parts:
        found.extend(part.findall() if isinstance(part, nodes.Element) else [part])
    return found


def test_dossier_role_becomes_a_pending_reference_at_the_yaml_line() -> None:
    parts, reports = parse("See {dossier:actor}`Seoul <south-korea>`.")
    assert reports == []
    xref = parts[1]
    assert isinstance(xref, addnodes.pending_xref)
    assert (xref["refdomain"], xref["reftype"], xref["reftarget"]) == (
        "dossier",
        "actor",
        "south-korea",
    )
    assert xref["refexplicit"] is True and xref["refwarn"] is True
    assert (xref.source, xref.line, xref["refdoc"]) == ("x.yaml", 3, "doc")
    assert xref.astext() == "Seoul"


def test_other_roles_html_and_images_are_text_and_reported() -> None:
    parts, reports = parse("{raw}`<b>` <i>x</i> ![alt](p.png) {ref}`genindex`")
    text = "".join(part.astext() for part in parts)
    assert "{raw}`<b>`" in text and "<i>x</i>" in text and "alt" in text
    assert [subtype for subtype, _ in reports] == ["markup", "markup", "markup"]
    assert not any(isinstance(node, addnodes.pending_xref) for node in all_nodes(parts))


def test_links_only_with_safe_schemes() -> None:
    parts, reports = parse("[a](https://a.example/) [b](mailto:x@y.z) [c](page.html) [d](data:x)")
    refs = [node for node in all_nodes(parts) if isinstance(node, nodes.reference)]
    assert [ref["refuri"] for ref in refs] == ["https://a.example/", "mailto:x@y.z"]
    assert len(reports) == 1 and "page.html" in reports[0][1]


def test_block_syntax_stays_inline_text() -> None:
    parts, _reports = parse("# Heading\n\n```{raw} html\n<script>\n```\n\n- item")
    assert all(isinstance(node, ALLOWED_NODES) for node in all_nodes(parts))
    assert "<script>" in "".join(part.astext() for part in parts)


def test_plain_text_and_titles() -> None:
    assert plain_text("The *GSOMIA* {dossier:agreement}`pact <gsomia>`") == "The GSOMIA pact"
    assert split_title("Title <target>") == (True, "Title", "target")
    assert split_title("target") == (False, "target", "target")


TOKENS = [
    *"ab <>/`{}[]()!*_:#\\\n&;\"'=",
    "dossier:actor",
    "raw",
    "script",
    "https://",
    "javascript:",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_any_text_yields_only_safe_nodes(text: str) -> None:
    parts, _reports = parse(text)
    for node in all_nodes(parts):
        assert isinstance(node, ALLOWED_NODES), type(node)
        if isinstance(node, nodes.reference):
            assert str(node["refuri"]).startswith(ALLOWED_SCHEMES)
        if isinstance(node, addnodes.pending_xref):
            assert node["refdomain"] == "dossier"
