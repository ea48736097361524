"""The "Cite" controls of a page share the work they have in common."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sphinx_dossier.sphinx_ext import cite
from sphinx_support import build, copy_root


def test_a_record_version_is_made_once_per_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each claim's control carries the record's version, a digest of the whole record:
    made per claim, a record of 500 claims cost 500 dumps of 500 claims."""
    made: Counter[str] = Counter()
    original = cite.record_version

    def counted(loaded: object) -> str:
        made[str(loaded.id)] += 1  # type: ignore[attr-defined]
        return original(loaded)  # type: ignore[arg-type]

    monkeypatch.setattr(cite, "record_version", counted)
    built = build(copy_root("dossier", tmp_path / "src"))
    assert built.warning_lines() == []
    html = built.html("records/events/signing-2020")
    claims = html.count('class="dossier-cite-menu dossier-cite-claim')
    assert claims >= 2, "the page has several claims, each with its control"
    # One record page each; every record's controls sit on its own page only.
    assert made and set(made.values()) == {1}, made
