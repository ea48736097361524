"""The caches that make an edit rebuild cost the edit, not the dataset.

``Dataset.load(reuse=...)`` keeps unchanged files' results, and ``export_json``
keeps unchanged records' JSON. Both must give exactly what a fresh computation
gives, whatever was edited.
"""

from __future__ import annotations

import os
import re
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


# -- rules across records: only what an edit can change is checked again ------------------


def test_an_edit_rechecks_the_edited_record_and_those_that_look_it_up(fx: Fixture) -> None:
    first = fx.load()
    assert first.rechecked == len(first.records)
    touch_later(fx.edit("event", "pact-kept-2019", "keeps the pact", "keeps the intelligence pact"))
    second = reload(fx, first)
    # Nothing looks the event up: it alone is checked again.
    assert second.rechecked == 1
    assert second.problems == fx.load().problems
    assert second.corpus == fx.load().corpus


def test_an_edited_source_rechecks_every_record_citing_it(fx: Fixture) -> None:
    first = fx.load()
    citing = {
        rid
        for rid, r in first.records.items()
        if "wire-2019-11-22" in fx.path(r.kind, rid).read_text()
    }
    # A later publication date turns the citing records' checks (quotes, time rules) over.
    touch_later(
        fx.edit("source", "wire-2019-11-22", "published: 2019-11-22", "published: 2019-11-23")
    )
    second = reload(fx, first)
    assert second.rechecked == len(citing)
    assert second.problems == fx.load().problems


def test_a_changed_corpus_text_rechecks_everything(fx: Fixture) -> None:
    first = fx.load()
    text = next(fx.corpus.iterdir())
    text.write_text(text.read_text() + "\nA new closing line.\n")
    second = reload(fx, first)
    assert second.rechecked == len(second.records)
    assert second.problems == fx.load().problems


def test_a_new_record_rechecks_those_whose_reference_it_answers(fx: Fixture) -> None:
    first = fx.load()
    fx.path("actor", "japan").unlink()
    second = reload(fx, first)
    assert any(p.subtype == "reference" for p in errors(second))
    # Put it back: the records that named the missing id are checked again, and clean.
    third = reload(fx, fx.load())
    assert third.problems == fx.load().problems


@pytest.mark.parametrize("n", [1000, 5000])
def test_one_edit_at_scale_rechecks_a_handful(tmp_path: Path, n: int) -> None:
    """The count of records checked again after a one-record edit is the number of
    files that name it, whatever the size of the dataset."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate

    generate.write_dataset(generate.generate(n), tmp_path / "data", tmp_path / "corpus")
    first = Dataset.load(tmp_path / "data", corpus_dir=tmp_path / "corpus")
    assert first.ok and first.rechecked == n
    edited = tmp_path / "data" / "events" / "event-00001.yaml"
    edited.write_text(edited.read_text().replace("editmark", "editmark7"))
    touch_later(edited)
    second = Dataset.load(tmp_path / "data", corpus_dir=tmp_path / "corpus", reuse=first)
    name = re.compile(r"\bevent-00001\b")
    naming = [p for p in (tmp_path / "data").rglob("*.yaml") if name.search(p.read_text())]
    assert second.ok
    assert second.rechecked == len(naming) < 12
