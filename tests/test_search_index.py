"""What goes into Sphinx's search index: record content, not per-page boilerplate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sphinx_support import build, copy_root


def _terms(outdir: Path) -> dict[str, object]:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    payload = re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.S)
    assert payload is not None, "unexpected searchindex.js layout"
    index = json.loads(payload.group(1))
    return dict(index["terms"])


def test_boilerplate_is_not_indexed_but_record_content_is(tmp_path: Path) -> None:
    built = build(copy_root("dossier", tmp_path / "src"))
    terms = _terms(built.outdir)
    # The "Cite this entry" section (reStructuredText / MyST forms) is on every
    # record page; no record text uses these words.
    assert "restructuredtext" not in terms
    assert "reStructuredText" in built.html("records/events/signing-2020")
    # A claim meta line ("backs parties") and figure labels are not indexed either,
    # while the record's own title words are.
    assert "back" not in terms
    assert "harbour" in terms


def test_results_are_named_before_sphinx_writes_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names are set in the index Sphinx writes, so the build does not read
    searchindex.js back; a build whose index was written without them (the fallback)
    gives the same file."""
    from sphinx_dossier.sphinx_ext import search

    src = copy_root("dossier", tmp_path / "src")
    read_back: list[int] = []
    loads = json.loads

    def counting(text: str) -> object:
        read_back.append(len(text))
        return loads(text)

    monkeypatch.setattr(
        search,
        "json",
        type("J", (), {"loads": staticmethod(counting), "dumps": staticmethod(json.dumps)}),
    )
    named = build(src, freshenv=True)
    first = (named.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert read_back == []  # named before writing: nothing read back
    assert "Japan&#x27;s" not in first
    dataset = named.app.env.get_domain("dossier").dataset
    events = [loaded for loaded in dataset.records.values() if loaded.kind == "event"]
    assert events
    for loaded in events:
        assert json.dumps(search.result_name(loaded))[1:-1] in first

    monkeypatch.setattr(search, "name_before_writing", lambda app: [])
    fallback = build(src, freshenv=True)
    assert read_back  # written by Sphinx, then read back and renamed
    assert (fallback.outdir / "searchindex.js").read_text(encoding="utf-8") == first
