"""The window index of the corpus (``core/evidence.py``): copied phrases found by
looking windows up give exactly what reading every corpus text gives, and a rebuild
after an edit reads only the texts that share a window with the edited record."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from sphinx_dossier.core import evidence
from sphinx_dossier.core.corpus import CorpusDocument, normalise
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.evidence import PhraseIndex, WindowIndex

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
ROOT = Path(__file__).resolve().parent.parent


def _corpus() -> dict[str, CorpusDocument]:
    found = {}
    for path in sorted(SEEDS.glob("*.txt")):
        found[path.stem] = CorpusDocument(path, f"sha-{path.name}", path.read_text("utf-8"))
    if not found:
        pytest.skip("no corpus beside the project")
    return found


def _texts(docs: dict[str, CorpusDocument], n: int) -> list[str]:
    """Texts mixing runs of the documents' words with words of our own."""
    rng = random.Random(7)
    words = {name: doc.text.split() for name, doc in docs.items()}
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 4)):
            source = words[rng.choice(sorted(words))]
            start = rng.randrange(max(1, len(source) - 30))
            parts.append(" ".join(source[start : start + rng.randint(3, 20)]))
            parts.append(rng.choice(["we note that", "in short,", "and then", "so"]))
        texts.append(normalise(" ".join(parts)))
    return texts


def _runs(index: PhraseIndex, texts: list[str]) -> list[list[tuple[object, ...]]]:
    return [
        [(r.source, r.line, r.start, r.end, r.length, r.text) for r in runs]
        for runs in index.runs_many(texts)
    ]


@pytest.mark.parametrize("size", [3, 5, 8])
def test_looking_windows_up_finds_what_reading_the_corpus_finds(size: int) -> None:
    docs = _corpus()
    texts = _texts(docs, 60)
    windows = WindowIndex(docs, size)
    looked_up = PhraseIndex(docs, size, windows)
    assert looked_up.windows is windows
    expected = _runs(PhraseIndex(docs, size), texts)
    assert any(expected), "the texts share runs with the corpus"
    assert _runs(looked_up, texts) == expected


def test_two_windows_with_one_digest_fall_back_to_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = _corpus()
    texts = _texts(docs, 30)
    expected = _runs(PhraseIndex(docs, 5), texts)
    # Few digests for many windows: most lookups find another window's place.
    monkeypatch.setattr(evidence, "_window_digest", lambda window: len(window[0]) % 4)
    windows = WindowIndex(docs, 5)
    assert len(windows.digests) <= 4
    assert _runs(PhraseIndex(docs, 5, windows), texts) == expected


def test_an_index_of_other_texts_or_another_size_is_not_used() -> None:
    docs = _corpus()
    windows = WindowIndex(docs, 8)
    assert PhraseIndex(docs, 5, windows).windows is None
    fewer = dict(list(docs.items())[:-1])
    assert PhraseIndex(fewer, 8, windows).windows is None
    name, doc = next(iter(docs.items()))
    changed = dict(docs, **{name: CorpusDocument(doc.path, "another digest", doc.text)})
    assert PhraseIndex(changed, 8, windows).windows is None


def test_the_index_survives_pickling() -> None:
    import pickle

    docs = _corpus()
    windows = pickle.loads(pickle.dumps(WindowIndex(docs, 8)))
    texts = _texts(docs, 20)
    assert _runs(PhraseIndex(docs, 8, windows), texts) == _runs(PhraseIndex(docs, 8), texts)


def test_a_reload_after_an_edit_reads_only_the_texts_that_share_a_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real dataset: an event's location copies ten words of one article. The
    reload with the index reports the same problems as a fresh load, and tokenises one
    corpus text (the one it copies from) instead of all of them."""
    corpus = sorted(SEEDS.glob("*.txt"))
    if not corpus:
        pytest.skip("no corpus beside the project")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    first = Dataset.load(data, corpus_dir=SEEDS, keep_indexes=True)
    assert first.phrase_windows is not None
    event = sorted((data / "events").glob("*.yaml"))[0]
    words = normalise(corpus[0].read_text("utf-8")).split()[40:50]
    text = event.read_text("utf-8")
    place = "location: " + json.dumps(" ".join(words))
    copied = re.sub(r"(?m)^location: .*$", lambda _m: place, text, count=1)
    assert copied != text, "the event has a one-line location to replace"
    event.write_text(copied, encoding="utf-8")

    read: list[str] = []
    lowered = evidence._lowered_words

    def counting(doc: CorpusDocument) -> list[str]:
        read.append(doc.path.name)
        return lowered(doc)

    monkeypatch.setattr(evidence, "_lowered_words", counting)
    again = Dataset.load(data, corpus_dir=SEEDS, reuse=first, keep_indexes=True)
    assert again.phrase_windows is first.phrase_windows
    assert 1 <= len(read) <= 2, read
    monkeypatch.setattr(evidence, "_lowered_words", lowered)
    fresh = Dataset.load(data, corpus_dir=SEEDS)

    def shown(ds: Dataset) -> list[str]:
        return [f"{p.path.name}:{p.line}:{p.subtype}:{p.message}" for p in ds.problems]

    assert shown(again) == shown(fresh)
    assert any("close-paraphrase" in line for line in shown(again))
