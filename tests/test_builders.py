"""Every core builder: a complete result, warning-free under ``-W -n``, links that work.

One small dossier (two sources, three actors with a person, an agreement, two events)
is built with each builder. Record pages are orphans in HTML; builders that assemble
one document from the toctree (LaTeX, singlehtml, EPUB, man) must still have every
record, with its citations, and every link to a record must point at it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from corpus_support import corpus_dir
from site_build import copy_site
from sphinx.cmd.build import build_main
from sphinx_support import copy_root

#: Every record of tests/roots/test-dossier, with its title.
TITLES = {
    "gazette-2020-01-05": "Harbour treaty talks to resume",
    "courier-2020-03-03": "Harbour treaty signed",
    "northland": "Northland",
    "southland": "Southland",
    "ann-minister": "Ann Minister",
    "harbour-treaty": "Harbour treaty",
    "talks-resume-2020": "Northland says harbour treaty talks will resume",
    "signing-2020": "Harbour treaty signed",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_root("dossier", tmp_path_factory.mktemp("builders") / "src")


def _build(
    src: Path, out: Path, builder: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> None:
    doctrees = out.parent / f"{out.name}-doctrees"
    args = ["-q", "-W", "--keep-going", "-n", "-b", builder, "-d", str(doctrees), *extra]
    rc = build_main([*args, str(src), str(out)])
    err = capsys.readouterr().err
    assert rc == 0 and "WARNING" not in err, err


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a" and found.get("href") is not None:
            self.hrefs.append(str(found["href"]))
        if tag == "svg":
            self.svg += 1


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(outdir: Path, suffix: str = ".html") -> list[str]:
    """Internal links of every page whose file or anchor does not exist."""
    pages = {path: _parse(path) for path in outdir.rglob(f"*{suffix}")}
    broken = []
    for path, page in pages.items():
        duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
        broken += [f"{path.relative_to(outdir)}: duplicate id {i}" for i in duplicates]
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href in ("", "#"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if target.suffix not in (".html", ".xhtml"):
                if not target.is_file():
                    broken.append(f"{path.relative_to(outdir)}: {href}")
                continue
            other = pages.get(target)
            if other is None or (parts.fragment and unquote(parts.fragment) not in other.ids):
                broken.append(f"{path.relative_to(outdir)}: {href}")
    return broken


def test_html_every_internal_link_and_anchor_exists(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(root, tmp_path / "html", "html", capsys)
    assert broken_links(tmp_path / "html") == []
    page = (tmp_path / "html" / "records" / "actors" / "ann-minister.html").read_text()
    assert 'id="cite-1"' in page  # a record alone on its page keeps its plain anchors


def test_dirhtml_every_internal_link_and_anchor_exists(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(root, tmp_path / "dirhtml", "dirhtml", capsys)
    assert (tmp_path / "dirhtml" / "records" / "events" / "signing-2020" / "index.html").is_file()
    assert broken_links(tmp_path / "dirhtml") == []


def test_singlehtml_has_every_record_once_and_no_broken_anchor(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "single"
    _build(root, out, "singlehtml", capsys)
    assert broken_links(out) == []  # also: no id twice on the page
    html = (out / "index.html").read_text(encoding="utf-8")
    # Sphinx 9 leaves links to a section of another page as "#document-<page>#<id>".
    assert not re.search(r'href="#document-[^"#]*#', html)
    for record_id, title in TITLES.items():
        assert len(re.findall(rf'\sid="{record_id}"', html)) == 1, record_id
        assert title in html
    # Each record's markers point at its own citations.
    marker = re.search(r'href="#(signing-2020-cite-1)"', html)
    assert marker is not None
    assert 'id="signing-2020-cite-1"' in html and 'id="ann-minister-cite-1"' in html


def _tex(out: Path) -> str:
    (tex,) = out.glob("*.tex")
    return tex.read_text(encoding="utf-8")


def test_latex_records_are_sections_and_every_link_has_its_label(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(root, tmp_path / "latex", "latex", capsys)
    tex = _tex(tmp_path / "latex")
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", tex))
    refs = set(re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", tex))
    assert refs and refs <= labels, sorted(refs - labels)
    # A reference LaTeX could not link would print the bare id instead of the title.
    bare = re.findall(r"(?<!\\sphinxcrossref\{)\\DUrole\{xref\}", tex)
    assert bare == []
    sections = re.findall(r"\\(?:chapter|section|subsection)\{([^}]*)\}", tex)
    for title in TITLES.values():
        assert title in sections, title
    # Citation markers link each record's own citation list.
    assert r"\hyperref[\detokenize{records/events/signing-2020:cite-1}]" in tex
    # Figures fall back to their text list.
    assert "Timeline of events concerning Harbour treaty (2 events)" in tex
    assert "Roles observed in the sources (1)" in tex
    assert "<svg" not in tex
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        # Where a TeX engine is installed (CI has none), the PDF is made too.
        make = subprocess.run(
            ["make", "all-pdf"], cwd=tmp_path / "latex", capture_output=True, text=True
        )
        assert make.returncode == 0, make.stdout[-2000:]
        assert list((tmp_path / "latex").glob("*.pdf"))


def test_epub_has_every_record_and_no_svg_or_missing_file(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "epub"
    # EPUB needs a version and a copyright (Sphinx warns without them).
    _build(root, out, "epub", capsys, "-D", "version=1", "-D", "copyright=2020, us")
    (book,) = out.glob("*.epub")
    with zipfile.ZipFile(book) as package:
        names = set(package.namelist())
        opf = package.read("content.opf").decode("utf-8")
        assert not [n for n in names if "/dossier/" in n or n.endswith((".json", ".pickle"))]
        unpacked = tmp_path / "unpacked"
        package.extractall(unpacked)
    for record_id in TITLES:
        page = next(n for n in names if n.endswith(f"/{record_id}.xhtml"))
        # In the spine, read in order, not only reachable by links (linear="no").
        item = re.search(rf'<item id="([^"]+)"\s+href="{re.escape(page)}"', opf)
        assert item is not None, page
        itemref = re.search(rf'<itemref idref="{item.group(1)}"[^>]*>', opf)
        assert itemref is not None and "linear" not in itemref.group(0), page
    pages = list(unpacked.rglob("*.xhtml"))
    assert not [p for p in pages if _parse(p).svg], "inline SVG must be declared in EPUB"
    assert broken_links(unpacked, ".xhtml") == []
    agreement = (unpacked / "records" / "agreements" / "harbour-treaty.xhtml").read_text()
    assert "Timeline of events concerning Harbour treaty (2 events)" in agreement
    if shutil.which("epubcheck"):  # where it is installed (not in CI)
        check = subprocess.run(["epubcheck", str(book)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_text_pages_read_with_citations_and_figures_as_lists(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(root, tmp_path / "text", "text", capsys)
    page = (tmp_path / "text" / "records" / "agreements" / "harbour-treaty.txt").read_text()
    assert page.startswith("Harbour treaty\n")
    assert "Citations\n" in page and "“" in page  # the quotes
    assert "Timeline of events concerning Harbour treaty (2 events)" in page
    assert "*Harbour treaty signed* (1 March 2020; Harbour treaty; occurred)" in page
    person = (tmp_path / "text" / "records" / "actors" / "ann-minister.txt").read_text()
    assert "Roles observed in the sources (1)" in person
    # The lead and the claim toggles (<details> in HTML) read as plain text.
    lead = " ".join(page.split())
    assert "Harbour treaty, in full Treaty on the Shared Harbour, is a bilateral treaty" in lead
    assert "Claim id" in page and "backs parties" in page


def test_man_page_has_every_record(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(root, tmp_path / "man", "man", capsys)
    (page,) = (tmp_path / "man").glob("*.1")
    text = page.read_text(encoding="utf-8")
    for title in TITLES.values():
        assert title.upper() in text or title in text, title
    assert "Roles observed in the sources (1)" in text


# sphinxcontrib-serializinghtml's own use of a deprecated Sphinx API, not ours.
@pytest.mark.filterwarnings(
    "ignore:'sphinxcontrib.serializinghtml.JSONHTMLBuilder.app' is deprecated"
)
def test_json_and_xml_have_every_record_page(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _build(root, tmp_path / "json", "json", capsys)
    _build(root, tmp_path / "xml", "xml", capsys)
    for folder, record_id in (("events", "signing-2020"), ("actors", "ann-minister")):
        body = (tmp_path / "json" / "records" / folder / f"{record_id}.fjson").read_text()
        assert 'id=\\"cite-1\\"' in body
        xml = (tmp_path / "xml" / "records" / folder / f"{record_id}.xml").read_text()
        assert f'ids="{record_id}"' in xml and "dossier-citations" in xml


def test_linkcheck_finds_no_broken_local_link(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Offline: only the local links are checked, the sources' web addresses are not.
    out = tmp_path / "linkcheck"
    _build(root, out, "linkcheck", capsys, "-D", r"linkcheck_ignore=^https?://")
    report = (out / "output.json").read_text(encoding="utf-8")
    assert '"status": "broken"' not in report, report
    # It ran over the record pages (linkcheck reports each address once, at the first
    # page it met it on, so which record page that is depends on what links where).
    assert '"filename": "records/' in report


def test_several_records_on_one_page_keep_their_own_citations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "notes.md").write_text(
        "# Notes\n\n"
        "```{dossier:record} signing-2020\n```\n\n"
        "```{dossier:record} ann-minister\n```\n\n"
        "```{dossier:record} signing-2020\n```\n",
        encoding="utf-8",
    )
    doctrees = tmp_path / "doctrees"
    args = ["-q", "-n", "-b", "html", "-d", str(doctrees), str(src), str(tmp_path / "out")]
    rc = build_main(args)
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    # The same record twice is shown once, with a warning at the directive.
    assert rc == 0 and len(warnings) == 1, err
    assert "notes.md" in warnings[0] and "[dossier.record]" in warnings[0]
    assert "'signing-2020' is already shown on this page" in warnings[0]
    assert broken_links(tmp_path / "out") == []
    html = (tmp_path / "out" / "notes.html").read_text(encoding="utf-8")
    for record_id in ("signing-2020", "ann-minister"):
        section = html.split(f'id="{record_id}"', 1)[1]
        section = section.split('class="dossier-record', 1)[0]
        markers = set(re.findall(r'dossier-marker[^"]*" href="#([^"]+)"', section))
        assert markers and all(m.startswith(f"{record_id}-cite-") for m in markers), markers
        assert f'id="{record_id}-cite-1"' in section
        assert f'id="{record_id}-dossier-claims"' in section


def test_one_doctree_folder_for_html_and_latex(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``make html latexpdf`` shares the doctrees: each builder gets its own toctree."""
    doctrees = tmp_path / "doctrees"

    def build(builder: str) -> Path:
        out = tmp_path / builder
        args = ["-q", "-W", "-n", "-b", builder, "-d", str(doctrees), str(root), str(out)]
        assert build_main(args) == 0, capsys.readouterr().err
        return out

    latex = _tex(build("latex"))
    assert "Harbour treaty signed" in re.findall(r"\\section\{([^}]*)\}", latex)
    html = build("html")
    timeline = (html / "records" / "timeline.html").read_text(encoding="utf-8")
    # No hidden toctree of records: record pages stay out of the HTML navigation.
    signing = (html / "records" / "events" / "signing-2020.html").read_text(encoding="utf-8")
    assert 'rel="next"' not in signing and 'rel="prev"' not in signing, signing
    assert "toctree-wrapper" not in timeline
    latex_again = _tex(build("latex"))
    assert latex_again == latex


def test_listing_pages_in_no_toctree_get_one_warning_with_the_lines_to_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = copy_root("three-records", tmp_path / "src")
    index = src / "index.rst"
    index.write_text(index.read_text().split(".. toctree::")[0], encoding="utf-8")
    monkeypatch.chdir(src)
    rc = build_main(["-q", "-n", "-b", "html", ".", str(tmp_path / "out")])
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    # One warning of ours instead of Sphinx's four "isn't included in any toctree".
    assert rc == 0 and len(warnings) == 1, err
    assert warnings[0].startswith("index.rst:1: WARNING: the dossier's listing pages")
    lines = ["records/timeline", "records/actors", "records/agreements", "records/sources"]
    assert ".. toctree::\n\n" + "".join(f"   {line}\n" for line in lines) in err
    assert err.rstrip().endswith("[dossier.toctree]")
    # With exactly those lines added, the build is clean.
    index.write_text(
        index.read_text() + "\n.. toctree::\n\n" + "".join(f"   {x}\n" for x in lines),
        encoding="utf-8",
    )
    rc = build_main(["-q", "-W", "-n", "-b", "html", ".", str(tmp_path / "out")])
    assert rc == 0, capsys.readouterr().err


def test_the_gsomia_site_in_latex_and_singlehtml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real site: its 106 records linked in the book and on the single page."""
    src = copy_site(tmp_path / "site")
    corpus = corpus_dir()
    extra = ["-D", f"dossier_corpus_dir={corpus}"] if corpus else []
    _build(src, tmp_path / "latex", "latex", capsys, *extra)
    tex = _tex(tmp_path / "latex")
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", tex))
    refs = set(re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", tex))
    assert len(refs) > 500 and refs <= labels, sorted(refs - labels)[:10]
    assert re.findall(r"(?<!\\sphinxcrossref\{)\\DUrole\{xref\}", tex) == []
    records = len(list((src.parent / "data").rglob("*.yaml")))
    assert len(re.findall(r"\\label\{\\detokenize\{records/[a-z]+/[^:}]+::doc\}\}", tex)) == records
    _build(src, tmp_path / "single", "singlehtml", capsys, *extra)
    assert broken_links(tmp_path / "single") == []
