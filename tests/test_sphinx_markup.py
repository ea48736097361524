"""Text fields allow inline MyST and dossier roles only; everything else is escaped text."""

from __future__ import annotations

import re

import pytest
from sphinx_support import Build, build, copy_root

PAGE = "records/events/hostile-2020"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    src = copy_root("dossier-markup", tmp_path_factory.mktemp("markup") / "src")
    return build(src, confoverrides={"nitpicky": True})


def test_nothing_active_reaches_the_html(built: Build) -> None:
    html = built.main(PAGE)
    for forbidden in (
        "<script",
        "<iframe",
        "<img",
        "<marquee",
        "<b>",
        "<em>resume",
        'href="javascript:',
    ):
        assert forbidden not in html.replace("&lt;", "\0"), forbidden
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;iframe src=&quot;https://evil.example/&quot;&gt;" in html.replace(
        '</span> <span class="pre">', " "
    )
    # The whole page, not only the main region, is clean.
    assert 'evil.example/"></iframe>' not in built.html(PAGE)


def test_allowed_inline_markup_is_rendered(built: Build) -> None:
    html = built.main(PAGE)
    assert "<em>kept</em>" in html
    assert '<a class="reference external" href="https://example.org/">good</a>' in html
    assert "<strong>Port</strong>" in html
    assert (
        '<h1>Talks &lt;em&gt;resume&lt;/em&gt; <code class="docutils literal notranslate">'
        '<span class="pre">{raw}`&lt;b&gt;bold&lt;/b&gt;`</span></code>'
    ) in html


def test_rejected_markup_warns_at_the_yaml_line(built: Build) -> None:
    warnings = built.warning_lines()
    expected = [
        (3, r"role \{raw\} is not allowed in text fields", "markup"),
        (10, r"role \{raw\} is not allowed in text fields", "markup"),
        (10, r"images are not allowed in text fields", "markup"),
        (10, r"role \{ref\} is not allowed in text fields", "markup"),
        (17, r"dossier:actor reference target not found: nobody-here", "dangling-ref"),
        (30, r"claim id 'dossier-facts' clashes with an anchor of the page", "anchor"),
    ]
    for line, message, subtype in expected:
        pattern = (
            rf"/data/events/hostile-2020\.yaml:{line}: WARNING: {message}.*"
            rf"\[dossier\.{subtype}\]$"
        )
        assert any(re.search(pattern, w) for w in warnings), (pattern, warnings)
    assert len(warnings) == len(expected), warnings


def test_dangling_role_in_a_note_renders_as_text(built: Build) -> None:
    html = built.main(PAGE)
    assert (
        '<p class="dossier-note">See <span class="xref dossier dossier-actor">nobody-here' in html
    )


def test_claim_id_clashing_with_a_page_anchor_gets_a_prefixed_anchor(built: Build) -> None:
    html = built.main(PAGE)
    assert html.count('id="dossier-facts"') == 1
    assert 'id="claim-dossier-facts"' in html
    assert 'href="#claim-dossier-facts">↩ dossier-facts</a>' in html
