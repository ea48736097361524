"""What goes into Sphinx's search index: record content, not per-page boilerplate."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
