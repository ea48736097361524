"""The caches that make an edit rebuild cost the edit, not the dataset.

``Dataset.load(reuse=...)`` keeps unchanged files' results, and ``export_json``
keeps unchanged records' JSON. Both must give exactly what a fresh computation
gives, whatever was edited.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from dossier_factory import Fixture, errors, make_fixture, where
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.outputs import export


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return make_fixture(tmp_path)


def reload(fx: Fixture, previous: Dataset) -> Dataset:
    return Dataset.load(fx.data, corpus_dir=fx.corpus, reuse=previous)


def touch_later(path: Path) -> None:
    # Some file systems keep coarse mtimes: make sure an edit is seen as one.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_unchanged_files_are_reused_and_edited_ones_read_again(fx: Fixture) -> None:
    first = fx.load()
    touch_later(fx.edit("event", "pact-kept-2019", "keeps the pact", "keeps the intelligence pact"))
    second = reload(fx, first)
    assert second.records["japan"] is first.records["japan"], "an unchanged file was parsed again"
    assert second.records["pact-kept-2019"] is not first.records["pact-kept-2019"]
    edited = second.records["pact-kept-2019"].record
    assert edited.title == "South Korea keeps the intelligence pact"
    assert second.problems == fx.load().problems


def test_rules_across_records_run_even_on_reused_files(fx: Fixture) -> None:
    first = fx.load()
    fx.path("actor", "japan").unlink()
    second = reload(fx, first)
    # pact.yaml did not change, yet its reference to the deleted actor is now an error.
    assert ("pact.yaml", fx.line("agreement", "pact", "parties:"), "reference") in [
        where(p) for p in errors(second)
    ]
    assert second.problems == fx.load().problems


def test_a_new_error_in_an_edited_file_is_reported(fx: Fixture) -> None:
    first = fx.load()
    touch_later(fx.edit("actor", "japan", "kind: state", "kind: planet"))
    second = reload(fx, first)
    assert [where(p) for p in errors(second)] == [where(p) for p in errors(fx.load())]
    assert any(p.path.name == "japan.yaml" for p in errors(second))


def test_results_are_not_reused_across_line_modes(fx: Fixture) -> None:
    lazy = Dataset.load(fx.data, corpus_dir=fx.corpus, eager_lines=False)
    eager = Dataset.load(fx.data, corpus_dir=fx.corpus, reuse=lazy)
    assert eager.records["japan"] is not lazy.records["japan"]
    assert not eager.records["japan"].lazy_lines


def fresh_export(ds: Dataset) -> str:
    return export.dumps(export.export_data(export.build_export(ds)), compact=True)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    original = export._record_out

    def record_out(loaded: Any, dataset: Any, urls: Any) -> Any:
        built.append(loaded.id)
        return original(loaded, dataset, urls)

    monkeypatch.setattr(export, "_record_out", record_out)
    return built


def test_export_json_is_the_export(fx: Fixture) -> None:
    ds = fx.load()
    text, cache = export.export_json(ds)
    assert text == fresh_export(ds)
    assert sorted(cache) == sorted(ds.records)


EDITS = [
    # (what, kind, id, old, new): each changes what other records' entries show.
    ("retitle the cited source", "source", "wire-2019-11-22", "title: South Korea keeps",
     "title: Seoul keeps"),
    ("rename an actor", "actor", "japan", "name: Japan", "name: Nippon"),
    ("edit a claim", "event", "pact-kept-2019", "decided to keep", "chose to keep"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "kind", "rid", "old", "new"), EDITS, ids=[e[0] for e in EDITS])
def test_export_cache_gives_the_fresh_export_after_an_edit(
    fx: Fixture,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    kind: str,
    rid: str,
    old: str,
    new: str,
) -> None:
    first = fx.load()
    _, cache = export.export_json(first)
    touch_later(fx.edit(kind, rid, old, new))
    second = reload(fx, first)
    built = counting(monkeypatch)
    text, _ = export.export_json(second, cache=cache)
    assert rid in built
    assert text == fresh_export(second), what


def test_editing_a_record_nobody_looks_up_recomputes_it_alone(
    fx: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fx.load()
    _, cache = export.export_json(first)
    touch_later(fx.edit("event", "pact-kept-2019", "decided to keep", "chose to keep"))
    second = reload(fx, first)
    built = counting(monkeypatch)
    text, _ = export.export_json(second, cache=cache)
    assert built == ["pact-kept-2019"]
    assert "chose to keep" in text


def test_export_cache_recomputes_records_that_show_an_edited_one(
    fx: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fx.load()
    _, cache = export.export_json(first)
    touch_later(fx.edit("source", "wire-2019-11-22", "title: South Korea", "title: Seoul"))
    second = reload(fx, first)
    built = counting(monkeypatch)
    text, _ = export.export_json(second, cache=cache)
    citing = sorted(
        rid
        for rid, loaded in second.records.items()
        if any(c.source == "wire-2019-11-22" for cl in loaded.record.claims for c in cl.cites)
    )
    # The records citing the source show its new title; the two states cite nothing.
    assert sorted(built) == citing == ["pact", "pact-kept-2019", "presidential-office",
                                       "wire-2019-11-22"]  # fmt: skip
    assert text == fresh_export(second)
    assert text.count('"source_title":"Seoul keeps intelligence pact with Japan"') == 4


def test_export_cache_follows_deleted_and_added_records(fx: Fixture) -> None:
    first = fx.load()
    _, cache = export.export_json(first)
    fx.path("actor", "presidential-office").unlink()
    second = reload(fx, first)
    text, cache = export.export_json(second, cache=cache)
    assert text == fresh_export(second)
    assert "presidential-office" not in cache
    body = "id: finance-ministry\nname: Finance\nkind: organization\nparent: south-korea\n"
    fx.write("actor", "finance-ministry", body + "roles: []\nclaims: []\n")
    third = reload(fx, second)
    text, _ = export.export_json(third, cache=cache)
    assert text == fresh_export(third)
    assert '"id":"finance-ministry"' in text


def test_no_reuse_without_file_states(fx: Fixture, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = fx.load()
    _, cache = export.export_json(ds)
    ds.file_results.clear()  # a dataset not made by Dataset.load: contents cannot be told apart
    built = counting(monkeypatch)
    text, new_cache = export.export_json(ds, cache=cache)
    assert sorted(built) == sorted(ds.records)
    assert new_cache == {}
    assert text == fresh_export(ds)


def test_cached_records_find_their_lines_again(fx: Fixture) -> None:
    import pickle

    ds = fx.load()
    copy = pickle.loads(pickle.dumps(ds))
    original, cached = ds.records["pact"], copy.records["pact"]
    assert cached.lines == {}, "line maps are not pickled"
    loc = ("claims", 0, "text")
    assert cached.line_of(loc) == original.line_of(loc) == fx.line("agreement", "pact", "text:")
    assert copy.file_results[str(cached.path)].loaded is cached
