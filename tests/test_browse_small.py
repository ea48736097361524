"""Browsing features on the small test dossier: note endnotes and as-of pages follow the
data, in fresh and incremental builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx_support import build, copy_root

pytestmark = pytest.mark.sphinx

STORY = """\
---
orphan: true
---

# Story

The treaty was signed in March{dossier:note}`signing-2020#signed`, after the talks
resumed{dossier:note}`talks-resume-2020`; again{dossier:note}`signing-2020#signed`.

```{dossier:notes}
```
"""


def test_notes_number_once_per_target_and_follow_the_claim(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "story.md").write_text(STORY, encoding="utf-8")
    first = build(src)
    assert first.warning_lines() == []
    html = first.html("story")
    # The same claim twice keeps number 1; the record gets 2; the notes stand where the
    # directive is, not in an added section.
    assert html.count('href="#dossier-note-1">[1]</a>') == 2
    assert html.count('href="#dossier-note-2">[2]</a>') == 1
    assert "Sources for this page" not in html
    assert '<li id="dossier-note-1">' in html and '<li id="dossier-note-2">' in html
    assert "signed the harbour treaty on 1 March 2020" in html  # the quote
    # An edited claim rewrites the page that notes it.
    path = src / "data" / "events" / "signing-2020.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "The treaty was signed on 1 March 2020 in Port City.",
            "The treaty was signed in Port City on 1 March 2020.",
        ),
        encoding="utf-8",
    )
    second = build(src)
    assert "story" in second.written
    assert "signed in Port City on 1 March 2020" in second.html("story")


def test_as_of_pages_of_the_small_dossier(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    built = build(src)
    assert built.warning_lines() == []
    january = built.html("records/as-of/2020-01-05")
    march = built.html("records/as-of/2020-03-03")
    expected_jan = january.split("Planned or expected at that date", 1)[1]
    happened_jan = january.split("Reported as having happened", 1)[1].split(
        "Planned or expected", 1
    )[0]
    # The January source only expects the signing; the March one reports it.
    assert "signing-2020.html" in expected_jan.split("Roles observed", 1)[0]
    assert "signing-2020.html" not in happened_jan
    happened_mar = march.split("Reported as having happened", 1)[1].split("Planned or expected", 1)[
        0
    ]
    assert "signing-2020.html" in happened_mar
    assert (
        "courier-2020-03-03"
        not in january.split("Roles observed", 1)[0].split("Sources published by then", 1)[1]
    )


def test_big_as_of_pages_list_only_what_is_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx_dossier.sphinx_ext import browse

    monkeypatch.setattr(browse, "AS_OF_FULL_ROWS", 2)
    src = copy_root("dossier", tmp_path / "src")
    built = build(src)
    assert built.warning_lines() == []
    march = built.html("records/as-of/2020-03-03")
    assert "what is new since the previous page" in march
    sources = march.split("Sources published by then (2), new: 1", 1)[1].split("rubric", 1)[0]
    assert "courier-2020-03-03" in sources and "gazette-2020-01-05" not in sources
    happened = march.split("Reported as having happened (", 1)[1].split("rubric", 1)[0]
    # The talks were reported in January: counted, not listed again.
    assert "signing-2020.html" in happened and "talks-resume-2020.html" not in happened
