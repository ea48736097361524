"""The journaled cache (``sphinx_ext/cache.py``): an edit writes what it changed, not
every entry, and what is read back is always what was stored last."""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sphinx_dossier.sphinx_ext.cache import JournaledCache
from sphinx_dossier.sphinx_ext.heap import release

NAME = "parts.pickle"


@pytest.fixture(autouse=True)
def _give_back_the_heap() -> Any:
    yield
    release()  # the cache settles what it reads; a build would give it back at its end
    assert gc.isenabled()


def _cache(folder: Path, scope: object = ()) -> JournaledCache:
    app = SimpleNamespace(doctreedir=str(folder), fresh_env_used=False)
    return JournaledCache(app, NAME, "parts", scope)  # type: ignore[arg-type]


def _value(n: int, **changes: str) -> dict[str, Any]:
    parts = {f"r{i}": ("deps", f"state{i}", f"part {i}") for i in range(n)}
    for key, text in changes.items():
        parts[key] = ("deps", "new", text)
    return {"export": parts, "kinds": {k: "event" for k in parts}, "scope": "s", "sql": ("x",)}


def test_an_edit_writes_a_journal_and_leaves_the_whole_copy(tmp_path: Path) -> None:
    _cache(tmp_path).store(_value(100))
    whole = tmp_path / NAME
    before = whole.stat().st_mtime_ns, whole.read_bytes()
    cache = _cache(tmp_path)
    loaded = cache.load()
    assert loaded == _value(100)
    edited = _value(100, r3="edited")
    edited["export"] = {
        k: loaded["export"][k] if k != "r3" else v for k, v in edited["export"].items()
    }
    cache.store(edited)
    assert (whole.stat().st_mtime_ns, whole.read_bytes()) == before
    journal = tmp_path / f"{NAME}.journal"
    assert journal.is_file()
    assert journal.stat().st_size < whole.stat().st_size / 10
    assert _cache(tmp_path).load() == _value(100, r3="edited")


def test_journals_accumulate_against_one_whole_copy(tmp_path: Path) -> None:
    _cache(tmp_path).store(_value(100))
    for step, key in enumerate(("r1", "r2", "r3")):
        cache = _cache(tmp_path)
        loaded = cache.load()
        assert loaded is not None
        loaded["export"] = dict(loaded["export"], **{key: ("deps", "new", f"step {step}")})
        cache.store(loaded)
    expected = _value(100, r1="step 0", r2="step 1", r3="step 2")
    assert _cache(tmp_path).load() == expected


@pytest.mark.parametrize("with_journal", [False, True])
def test_removed_entries_stay_removed(tmp_path: Path, with_journal: bool) -> None:
    _cache(tmp_path).store(_value(100))
    if with_journal:
        cache = _cache(tmp_path)
        cache.load()
        cache.store(_value(100, r1="journal"))
    cache = _cache(tmp_path)
    loaded = cache.load()
    assert loaded is not None
    del loaded["export"]["r5"]
    del loaded["kinds"]["r5"]
    cache.store(loaded)
    again = _cache(tmp_path).load()
    assert again is not None
    assert "r5" not in again["export"]
    assert "r5" not in again["kinds"]
    assert len(again["export"]) == 99


def test_a_large_change_rewrites_the_whole_copy_and_drops_the_journal(tmp_path: Path) -> None:
    _cache(tmp_path).store(_value(100))
    cache = _cache(tmp_path)
    cache.load()
    cache.store(_value(100, r1="a"))
    journal = tmp_path / f"{NAME}.journal"
    assert journal.is_file()
    cache = _cache(tmp_path)
    loaded = cache.load()
    assert loaded is not None
    changed = {f"r{i}": "changed" for i in range(60)}  # 60 of 200 entries: over a quarter
    cache.store(_value(100, **changed))
    assert not journal.exists()
    assert _cache(tmp_path).load() == _value(100, **changed)


def test_a_journal_of_another_whole_copy_is_ignored(tmp_path: Path) -> None:
    """A build that stopped after writing a new whole copy but before removing the old
    journal: the journal was made against the copy before, and must not apply."""
    _cache(tmp_path).store(_value(100))
    cache = _cache(tmp_path)
    cache.load()
    cache.store(_value(100, r1="from the journal"))
    journal = tmp_path / f"{NAME}.journal"
    kept = journal.read_bytes()
    _cache(tmp_path).store(_value(100, r2="new whole copy"))  # no load: a whole copy
    journal.write_bytes(kept)
    assert _cache(tmp_path).load() == _value(100, r2="new whole copy")


def test_another_scope_reads_nothing(tmp_path: Path) -> None:
    _cache(tmp_path, scope="a").store(_value(10))
    assert _cache(tmp_path, scope="b").load() is None


def test_a_dataset_comes_back_whole_from_its_cache_parts() -> None:
    import pickle

    from sphinx_dossier.core.dataset import Dataset

    root = Path(__file__).resolve().parent.parent
    seeds = root.parent / "shared" / "seeds"
    ds = Dataset.load(
        root / "data", corpus_dir=seeds if seeds.is_dir() else None, keep_indexes=True
    )
    again = Dataset.from_cache_parts(pickle.loads(pickle.dumps(ds.cache_parts())))
    for name in Dataset.__slots__:
        if name in ("phrase_windows", "corpus_documents"):
            continue
        assert getattr(again, name) == getattr(ds, name), name
    texts = {n: (d.path, d.sha256, d.text) for n, d in ds.corpus_documents.items()}
    assert {n: (d.path, d.sha256, d.text) for n, d in again.corpus_documents.items()} == texts
    # One object per record: the dataset's record is its file's result's.
    for rid, loaded in again.records.items():
        assert again.file_results[str(loaded.path)].loaded is loaded, rid
    if ds.phrase_windows is not None:
        assert again.phrase_windows is not None
        assert again.phrase_windows.key == ds.phrase_windows.key


def test_an_edit_rebuild_journals_the_dataset(tmp_path: Path) -> None:
    import sys

    from sphinx_support import build

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate
    import projects

    projects.write_ours(generate.generate(60), tmp_path / "ours")
    src = tmp_path / "ours"
    build(src)
    whole = src / "_build" / "doctrees" / "dossier-dataset.pickle"
    if not whole.is_file():  # the helper's doctree folder
        whole = next(src.rglob("dossier-dataset.pickle"))
    before = whole.stat().st_mtime_ns
    edited = tmp_path / "data" / "events" / "event-00001.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("editmark", "editmark-2"))
    after = build(src)
    journal = whole.with_name(whole.name + ".journal")
    assert whole.stat().st_mtime_ns == before
    assert journal.is_file()
    assert journal.stat().st_size < whole.stat().st_size / 5
    domain = after.app.env.get_domain("dossier")
    assert "editmark-2" in edited.read_text(encoding="utf-8")
    assert domain.dataset.rechecked >= 1
    # The next build reads the whole copy with the journal: the edited record as edited,
    # and nothing to do again.
    again = build(src)
    kept = again.app.env.get_domain("dossier").dataset
    assert kept.records.keys() == domain.dataset.records.keys()
    assert "editmark-2" in kept.records["event-00001"].record.model_dump_json()
    assert not again.written
