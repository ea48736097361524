"""Other projects link to the dossier through intersphinx, with and without the extension."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx_support import Build, build, copy_root

BASE = "https://example.org/harbour/"


@pytest.fixture(scope="module")
def producer(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(copy_root("dossier", tmp_path_factory.mktemp("producer") / "src"))


def consumer(name: str, producer: Build, dest: Path) -> Build:
    src = copy_root(name, dest)
    shutil.copy(producer.outdir / "objects.inv", src / "harbour-objects.inv")
    return build(src, confoverrides={"nitpicky": True})


def links(html: str) -> dict[str, str]:
    """{list item label: href of its first link}."""
    found = {}
    for item in re.findall(r"<li><p>(.*?)</p></li>", html, re.S):
        label, _, rest = item.partition(":")
        href = re.search(r'href="([^"]+)"', rest)
        found[label.strip()] = href.group(1) if href else ""
    return found


EVENT = BASE + "records/events/talks-resume-2020.html#talks-resume-2020"
SIGNING = BASE + "records/events/signing-2020.html#signing-2020"


def test_without_the_extension(producer: Build, tmp_path: Path) -> None:
    built = consumer("consumer-plain", producer, tmp_path / "plain")
    assert built.warning_lines() == []
    myst = links(built.html("index"))
    assert myst == {
        "ref": EVENT,
        "external ref": EVENT,
        "ref with text": BASE + "records/agreements/harbour-treaty.html#harbour-treaty",
        "any": BASE + "records/actors/northland.html#northland",
        "doc": BASE + "records/events/signing-2020.html",
        "inv link": SIGNING,
    }
    rest = links(built.html("rest"))
    assert rest == {key: value for key, value in myst.items() if key != "inv link"}
    # Link texts are the record titles from the inventory.
    assert ">Northland says harbour treaty talks will resume<" in built.html("index")


def test_with_the_extension_in_consumer_mode(producer: Build, tmp_path: Path) -> None:
    built = consumer("consumer-ext", producer, tmp_path / "ext")
    assert built.warning_lines() == []
    assert not (Path(built.app.srcdir) / "records").exists(), "consumer mode generated pages"
    myst = links(built.html("index"))
    assert myst == {
        "event": EVENT,
        "external event": SIGNING,
        "actor with text": BASE + "records/actors/northland.html#northland",
        "agreement": BASE + "records/agreements/harbour-treaty.html#harbour-treaty",
        "source": BASE + "records/sources/gazette-2020-01-05.html#gazette-2020-01-05",
        "claim": BASE + "records/events/signing-2020.html#signed",
        "any record": BASE + "records/actors/southland.html#southland",
    }
    assert links(built.html("rest")) == {
        "event": EVENT,
        "external event": SIGNING,
        "claim": BASE + "records/events/signing-2020.html#signed",
        "any record": BASE + "records/actors/southland.html#southland",
    }
    assert ">the north<" in built.html("index")


def test_consumer_mode_reports_unknown_records(producer: Build, tmp_path: Path) -> None:
    src = copy_root("consumer-ext", tmp_path / "ext")
    shutil.copy(producer.outdir / "objects.inv", src / "harbour-objects.inv")
    (src / "rest.rst").write_text(
        "Broken\n======\n\nSee :dossier:event:`no-such-event`.\n", encoding="utf-8"
    )
    built = build(src, confoverrides={"nitpicky": True})
    warnings = built.warning_lines()
    assert len(warnings) == 1
    assert re.search(
        r"rest\.rst:4: WARNING: dossier:event reference target not found: no-such-event "
        r"\[dossier\.dangling-ref\]$",
        warnings[0],
    ), warnings


# -- the forms shown on docs/linking.md ------------------------------------------------

DOCS_PAGE = Path(__file__).parent.parent / "docs" / "linking.md"
#: Ids and names of the real site -> their counterparts in the small test dossier.
SUBSTITUTIONS = [
    ("gsomia-dossier", "harbour"),
    ("gsomia-signed-2016#signed-2016", "signing-2020#signed"),
    ("gsomia-signed-2016", "signing-2020"),
    ("herald-2016-10-27-gsomia-talks", "gazette-2020-01-05"),
    ("south-korea", "northland"),
    ("gsomia", "harbour-treaty"),
]


def snippet(name: str, *, substitute: bool = True) -> str:
    """The body of the code block named ``name`` on the docs page (with test ids)."""
    text = DOCS_PAGE.read_text(encoding="utf-8")
    match = re.search(
        r"```\{code-block\} \w+\n:name: " + re.escape(name) + r"\n\n(.*?)\n```", text, re.S
    )
    assert match, f"no code block named {name} on {DOCS_PAGE}"
    body = match.group(1)
    for old, new in SUBSTITUTIONS if substitute else ():
        body = re.sub(r"(?<![\w-])" + re.escape(old) + r"(?![\w-])", new, body)
    return body


@pytest.mark.parametrize("mode", ["plain", "ext"])
def test_forms_on_the_docs_page_resolve(producer: Build, tmp_path: Path, mode: str) -> None:
    src = copy_root(f"consumer-{mode}", tmp_path / mode)
    shutil.copy(producer.outdir / "objects.inv", src / "harbour-objects.inv")
    (src / "index.md").write_text(
        f"# MyST\n\n{snippet(f'{mode}-myst')}\n\n```{{toctree}}\nrest\n```\n", encoding="utf-8"
    )
    (src / "rest.rst").write_text(f"reST\n====\n\n{snippet(f'{mode}-rest')}\n", encoding="utf-8")
    built = build(src, confoverrides={"nitpicky": True})
    assert built.warning_lines() == []
    for page, count in (
        ("index", snippet(f"{mode}-myst").count("\n- ") + 1),
        ("rest", snippet(f"{mode}-rest").count("\n- ") + 1),
    ):
        hrefs = re.findall(r'<li><p>.*?href="([^"]+)"', built.html(page))
        assert len(hrefs) == count, (page, hrefs)
        assert all(href.startswith(BASE + "records/") for href in hrefs), hrefs
    assert 'href="' + SIGNING + '"' in built.html("index")


def test_docs_page_configuration_uses_the_names_of_the_examples() -> None:
    mapping = snippet("mapping", substitute=False)
    assert re.search(r'"gsomia-dossier": \("https://[^"]+/", None\)', mapping)
    assert '"sphinx.ext.intersphinx"' in mapping
    assert "dossier_generate = False" in snippet("consumer-conf", substitute=False)


def test_consumer_mode_notes_link_their_claims(producer: Build, tmp_path: Path) -> None:
    # No data, so no endnotes: each number links the claim on the producer's site.
    src = copy_root("consumer-ext", tmp_path / "ext")
    shutil.copy(producer.outdir / "objects.inv", src / "harbour-objects.inv")
    (src / "rest.rst").write_text(
        "Notes\n=====\n\nSigned in March.\\ :dossier:note:`signing-2020#signed`\n",
        encoding="utf-8",
    )
    built = build(src, confoverrides={"nitpicky": True})
    assert built.warning_lines() == []
    html = built.html("rest")
    assert re.search(
        r'<sup><a class="reference external" href="'
        + re.escape(BASE + "records/events/signing-2020.html#signed")
        + r'"[^>]*><span class="xref dossier dossier-note">\[1\]</span></a></sup>',
        html,
    ), html
    assert "dossier-note-1" not in html and "Sources for this page" not in html
