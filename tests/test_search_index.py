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


def _build_then_drop_a_page(src: Path) -> str:
    build(src, freshenv=True)
    (src / "index.md").write_text(
        (src / "index.md").read_text(encoding="utf-8").replace("notes\n", ""), encoding="utf-8"
    )
    (src / "notes.md").unlink()
    build(src)
    return (src / "_build" / "html" / "searchindex.js").read_text(encoding="utf-8")


def test_the_index_is_pruned_by_a_set_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sphinx prunes the index word by word against ``env.all_docs``; the extension
    hands it a set instead (a dict made each word walk every page name). A page that
    left the project leaves the index all the same, and the index is byte for byte the
    one Sphinx writes unaided."""
    from sphinx_dossier.sphinx_ext import search

    made: list[int] = []
    kept_init = search._Kept.__init__

    def counting(self: search._Kept, names: object) -> None:
        kept_init(self, names)  # type: ignore[arg-type]
        made.append(len(self))

    monkeypatch.setattr(search._Kept, "__init__", counting)
    ours = _build_then_drop_a_page(copy_root("dossier", tmp_path / "ours"))
    assert made and all(size > 5 for size in made)  # every page name, as a set
    monkeypatch.setattr(search, "prune_by_set", lambda app: [])
    plain = _build_then_drop_a_page(copy_root("dossier", tmp_path / "plain"))
    assert ours == plain
    assert '"notes"' not in ours and '"index"' in ours
