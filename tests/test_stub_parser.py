"""The record stubs are read without reST's parser, into the pages reST would give."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.parsers import RSTParser
from sphinx_dossier.sphinx_ext import stubparser
from sphinx_support import build, copy_root, html_pages

pytestmark = pytest.mark.sphinx


def _reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the stubs read by reST's parser and by the stub parser's own path."""
    counts = {"rst": 0, "record": 0}
    rst_parse, record_nodes = RSTParser.parse, stubparser.record_page_nodes

    def parse(self: RSTParser, *args: object) -> None:
        counts["rst"] += 1
        rst_parse(self, *args)

    def nodes(*args: object) -> object:
        counts["record"] += 1
        return record_nodes(*args)

    monkeypatch.setattr(RSTParser, "parse", parse)
    monkeypatch.setattr(stubparser, "record_page_nodes", nodes)
    return counts


def test_record_pages_are_the_pages_rest_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _reads(monkeypatch)
    fast = build(copy_root("dossier", tmp_path / "fast"))
    pages = html_pages(fast.outdir)
    records = {p for p in pages if p.count("/") == 2 and not p.startswith("records/as-of/")}
    assert records and "records/events/talks-resume-2020" in records
    assert counts["record"] == len(records)  # each record stub, without reST
    assert fast.warning_lines() == []
    # The same source with every stub read by reST: the same pages, the same metadata.
    monkeypatch.setattr(stubparser.StubParser, "parse", RSTParser.parse)
    slow = build(copy_root("dossier", tmp_path / "slow"))
    assert html_pages(slow.outdir) == html_pages(fast.outdir)
    for page in sorted(html_pages(fast.outdir)):
        if page != "search":
            assert fast.html(page) == slow.html(page), page
    for page in records:
        assert fast.app.env.metadata[page] == slow.app.env.metadata[page] == {"orphan": ""}


def test_a_prolog_or_an_edited_stub_goes_to_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _reads(monkeypatch)
    src = copy_root("dossier", tmp_path / "src")
    built = build(src, confoverrides={"rst_prolog": ".. |ok| replace:: fine\n"})
    assert counts["record"] == 0  # reST adds the prolog to every page, stubs too
    assert "talks-resume-2020" in built.main("records/events/talks-resume-2020")
    counts.update(rst=0, record=0)
    # A stub that is not the extension's two lines is reST, whatever it says.
    stub = src / "records" / "events" / "talks-resume-2020.dossier"
    assert stub.read_text(encoding="utf-8").startswith(":orphan:")
    assert stubparser._RECORD_STUB.fullmatch(stub.read_text(encoding="utf-8"))
    assert not stubparser._RECORD_STUB.fullmatch(":orphan:\n\n.. dossier:record:: a b\n")
    assert not stubparser._RECORD_STUB.fullmatch(".. dossier:record:: a\n")
