"""Backlinks kept between loads (``Dataset.load(keep_indexes=True)``): made again only
for the records read again, and always what a fresh load makes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx_dossier.core.dataset import Dataset

ROOT = Path(__file__).resolve().parent.parent


def _all_backlinks(ds: Dataset) -> dict[str, list[str]]:
    ids = set(ds.records)
    for loaded in ds.records.values():
        ids.update(t for _loc, t, _kind in loaded.record.references())
    return {rid: ds.backlinks(rid) for rid in sorted(ids) if ds.backlinks(rid)}


def _fresh(data: Path) -> dict[str, list[str]]:
    return _all_backlinks(Dataset.load(data))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert new != text, (path, pattern)
    path.write_text(new, encoding="utf-8")


def test_backlinks_after_edits_are_those_of_a_fresh_load(data: Path) -> None:
    earlier = Dataset.load(data, keep_indexes=True)
    assert earlier._backlinks is not None  # made at load, kept for the next one
    events = sorted((data / "events").glob("*.yaml"))
    actors = sorted((data / "actors").glob("*.yaml"))
    steps = [
        # an event names other actors
        lambda: _edit(events[0], r"^actors: \[.*\]$", f"actors: [{actors[0].stem}]"),
        # a record is removed
        lambda: events[1].unlink(),
        # a record becomes invalid (its links go), then a new one appears
        lambda: _edit(events[2], r"^title: ", "title: [unclosed "),
        lambda: shutil.copy(events[3], data / "events" / "copy-of-an-event.yaml"),
        lambda: _edit(
            data / "events" / "copy-of-an-event.yaml", r"^id: .*$", "id: copy-of-an-event"
        ),
        # the invalid one is repaired
        lambda: _edit(events[2], r"^title: \[unclosed ", "title: "),
    ]
    for step in steps:
        step()
        again = Dataset.load(data, reuse=earlier, keep_indexes=True)
        assert _all_backlinks(again) == _fresh(data)
        earlier = again


def test_unchanged_records_keep_their_backlink_lists(data: Path) -> None:
    earlier = Dataset.load(data, keep_indexes=True)
    events = sorted((data / "events").glob("*.yaml"))
    _edit(events[0], r"^title: (.*)$", r"title: \1 (edited)")
    again = Dataset.load(data, reuse=earlier, keep_indexes=True)
    assert earlier._backlinks is not None and again._backlinks is not None
    kept = [t for t in again._backlinks if again._backlinks[t] is earlier._backlinks.get(t)]
    assert len(kept) >= len(again._backlinks) - 10  # only the edited record's targets redone
    assert _all_backlinks(again) == _fresh(data)
