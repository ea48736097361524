"""How much of each source text the dataset cites: claims per source and sentences quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus_support import require_corpus
from sphinx_dossier.core.corpus import normalise
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.model import Source

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MIN_CLAIMS = 10

# Words after which a full stop does not end a sentence in these texts ("Gen. Mark
# Milley", "Antony J. Blinken", "Oct. 27"); without this the splitter would cut names.
_ABBREVIATIONS = frozenset({"gen", "j", "oct", "nov", "dec", "u.s", "lt", "col", "mr", "dr"})
_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, normalised; each line is a paragraph, duplicates dropped.

    Lines without a full stop (headlines, datelines, captions) count as one sentence.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        para = normalise(line)
        start = 0
        for match in _BOUNDARY.finditer(para):
            before = para[start : match.start()].split()
            following = para[match.end() : match.end() + 1]
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or not (following.isupper() or following in "\"'("):
                continue
            sentences.append(para[start : match.end()].strip())
            start = match.end()
        sentences.append(para[start:].strip())
    unique: list[str] = []
    for sentence in sentences:
        if len(sentence.split()) >= 2 and sentence not in unique:
            unique.append(sentence)
    return unique


def test_split_sentences_keeps_abbreviated_names_whole() -> None:
    text = "Gen. Mark Milley met Antony J. Blinken on Oct. 27.  He left. Then\nA headline"
    # "Then" is a one-word fragment and is dropped.
    assert split_sentences(text) == [
        "Gen. Mark Milley met Antony J. Blinken on Oct. 27.",
        "He left.",
        "A headline",
    ]


def test_sentence_counts_when_quote_inside_or_around() -> None:
    assert sentence_is_quoted("He left the room.", ["left the"])
    assert sentence_is_quoted("He left.", ["said. He left. Then"])
    assert not sentence_is_quoted("He left.", ["stayed"])


@dataclass(frozen=True)
class SourceCoverage:
    """Citation counts for one source."""

    source_id: str
    claims: int
    sentences: int
    quoted: int

    @property
    def share(self) -> float:
        return self.quoted / self.sentences if self.sentences else 0.0


def sentence_is_quoted(sentence: str, quotes: list[str]) -> bool:
    """A sentence counts when a quote lies inside it, or it lies inside a quote."""
    return any(q in sentence or sentence in q for q in quotes if q)


def measure(ds: Dataset, corpus_dir: Path) -> list[SourceCoverage]:
    claims: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    for loaded in ds.records.values():
        for claim in loaded.record.claims:
            cited = {cite.source for cite in claim.cites}
            for source_id in cited:
                claims[source_id] = claims.get(source_id, 0) + 1
            for cite in claim.cites:
                quotes.setdefault(cite.source, []).append(normalise(cite.quote))
    rows: list[SourceCoverage] = []
    for loaded in ds.by_kind("source"):
        record = loaded.record
        assert isinstance(record, Source)
        text = (corpus_dir / record.document).read_text(encoding="utf-8")
        sentences = split_sentences(text)
        quoted = sum(sentence_is_quoted(s, quotes.get(record.id, [])) for s in sentences)
        rows.append(SourceCoverage(record.id, claims.get(record.id, 0), len(sentences), quoted))
    return rows


def format_table(rows: list[SourceCoverage]) -> str:
    width = max(len("source"), *(len(r.source_id) for r in rows))
    lines = [f"{'source':<{width}}  claims  sentences  quoted  share"]
    for r in rows:
        lines.append(
            f"{r.source_id:<{width}}  {r.claims:>6}  {r.sentences:>9}  {r.quoted:>6}"
            f"  {r.share:>5.0%}"
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def corpus_dir() -> Path:
    return require_corpus()


@pytest.fixture(scope="module")
def dataset(corpus_dir: Path) -> Dataset:
    return Dataset.load(DATA, corpus_dir=corpus_dir)


def test_dataset_is_clean(dataset: Dataset) -> None:
    assert dataset.ok, "\n".join(str(p) for p in dataset.errors)


def test_every_source_is_cited_enough(
    dataset: Dataset, corpus_dir: Path, record_property: pytest.RecordProperty
) -> None:
    rows = measure(dataset, corpus_dir)
    table = format_table(rows)
    print("\n" + table)
    record_property("source_coverage", table)
    assert rows, "no source records found"
    thin = [f"{r.source_id} ({r.claims})" for r in rows if r.claims < MIN_CLAIMS]
    assert not thin, f"sources cited by fewer than {MIN_CLAIMS} claims: {', '.join(thin)}"
