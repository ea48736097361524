"""Evidence rules that hold a claim to its quotes: words as a reader counts them,
numbers a claim states, phrases copied from a source, and the closest passage to a
quote that is not found.

Pure functions over plain text and corpus documents; ``validate`` applies them to
records and the Sphinx side to hand-written evidence pages.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sphinx_dossier.core.corpus import WORD_RE, CorpusDocument, normalise
from sphinx_dossier.core.dates import PartialDate

__all__ = [
    "DEFAULT_MIN_QUOTE_WORDS",
    "DEFAULT_PARAPHRASE_WORDS",
    "EvidenceRules",
    "Passage",
    "PhraseIndex",
    "Run",
    "WindowIndex",
    "char_diff",
    "closest_passage",
    "is_name_or_number",
    "numbers_in",
    "outside_quotes",
    "word_count",
    "words",
]

#: Shortest quote, in words; a shorter one must be a name or number the claim states.
DEFAULT_MIN_QUOTE_WORDS = 3
#: Shortest run of words shared with a source, outside quotation marks, that is reported.
DEFAULT_PARAPHRASE_WORDS = 8


#: Longest quote, in words (a quote is a citation, not a copy of the article).
DEFAULT_MAX_QUOTE_WORDS = 25


def _today() -> PartialDate:
    day = _dt.date.today()
    return PartialDate(day.year, day.month, day.day)


@dataclass(frozen=True, slots=True)
class EvidenceRules:
    """The thresholds of the evidence rules (``check`` options, ``dossier_*`` settings)."""

    max_quote_words: int = DEFAULT_MAX_QUOTE_WORDS
    min_quote_words: int = DEFAULT_MIN_QUOTE_WORDS
    paraphrase_words: int = DEFAULT_PARAPHRASE_WORDS
    """0 turns the close-paraphrase rule off."""
    today: PartialDate | None = field(default_factory=_today)
    """Sources published after this date are errors; None skips the rule."""


def words(text: str) -> list[str]:
    """The words of ``text`` as a reader counts them (``w0—w1/w2`` is three words)."""
    return WORD_RE.findall(normalise(text))


def word_count(text: str) -> int:
    """How many words ``text`` has, counted as :func:`words` does."""
    return len(words(text))


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
#: Number words a claim can state a count with (ordinals such as "first" are not counts).
_NUMBER_WORDS: dict[str, int] = {
    **{word: value for value, word in enumerate(_UNITS)},
    **{word: 10 * (value + 2) for value, word in enumerate(_TENS)},
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "dozen": 12,
    "twice": 2,
}
#: "one" is a pronoun as often as a count ("no one", "one of them"): after these words,
#: or before "of" / "another", it is not counted.
_NOT_COUNT_BEFORE = frozenset({"no", "any", "every", "each", "some", "the", "this", "that"})
_NOT_COUNT_AFTER = frozenset({"of", "another"})
_DIGITS = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")


@dataclass(frozen=True, slots=True)
class Number:
    """A number stated in a text: its value as written in digits, and its words."""

    value: str
    written: str
    start: int


def numbers_in(text: str) -> list[Number]:
    """Each number ``text`` states: digit groups (``1,000``, ``2019``) and number words
    (``two``, ``dozen``), in order. Ordinals ("first") are not counted."""
    found: list[Number] = []
    for m in _DIGITS.finditer(text):
        value = m[0].replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".") or "0"
        found.append(Number(str(int(value)) if value.isdigit() else value, m[0], m.start()))
    tokens = list(WORD_RE.finditer(text))
    for k, m in enumerate(tokens):
        word = m[0].lower()
        if word not in _NUMBER_WORDS:
            continue
        if word == "one" and (
            (k > 0 and tokens[k - 1][0].lower() in _NOT_COUNT_BEFORE)
            or (k + 1 < len(tokens) and tokens[k + 1][0].lower() in _NOT_COUNT_AFTER)
        ):
            continue
        found.append(Number(str(_NUMBER_WORDS[word]), m[0], m.start()))
    found.sort(key=lambda n: n.start)
    return found


def number_values(texts: Iterable[str]) -> set[str]:
    """Every number value stated in ``texts``."""
    return {n.value for text in texts for n in numbers_in(text)}


_QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")


def outside_quotes(text: str) -> str:
    """``text`` with every passage in double quotation marks blanked out (same length)."""
    return _QUOTED.sub(lambda m: " " * len(m[0]), text)


def is_name_or_number(quote: str) -> bool:
    """True if ``quote`` is a number, a date or a name: it holds a digit or a number
    word, or every word starts with a capital letter."""
    found = words(quote)
    if not found:
        return False
    if numbers_in(normalise(quote)):
        return True
    return all(w[:1].isupper() or w[:1].isdigit() for w in found)


# ---------------------------------------------------------------- copied phrases


@dataclass(frozen=True, slots=True)
class Run:
    """Words shared with a source: where they are in the checked text and the source."""

    source: str
    line: int
    start: int
    """Offset of the run's first word in the checked text."""
    end: int
    """Offset just after its last word."""
    length: int
    """How many words."""
    text: str
    """The run as it reads in the checked text."""


def _window_digest(window: Sequence[str]) -> int:
    """A stable 64-bit digest of a window of words (the same in every process)."""
    data = "\x1f".join(window).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _lowered_words(doc: CorpusDocument) -> list[str]:
    # Lower-cased as a whole: one C call instead of one per word. (A character whose
    # lower case is longer, like "İ", shifts the offsets of _line a little.)
    return WORD_RE.findall(doc.text.lower())


def _windows_of(words: Sequence[str], size: int) -> Iterator[tuple[str, ...]]:
    return zip(*(words[k:] for k in range(size)), strict=False)


class WindowIndex:
    """Where each ``size``-word window of a set of documents first occurs, by digest.

    The documents in name order, then their positions: the first occurrence is the
    one a scan of the corpus finds first. Kept between builds (three flat arrays, a
    few objects however large the corpus) so that checking the texts of one edited
    record looks its windows up instead of reading every document again. A digest
    shared by two windows is caught when the words are compared, and the caller then
    scans instead.
    """

    __slots__ = ("digests", "key", "names", "places")

    def __init__(self, documents: Mapping[str, CorpusDocument], size: int) -> None:
        self.key = self.key_of(documents, size)
        self.names = sorted(documents)
        first: dict[int, int] = {}
        for ordinal, name in enumerate(self.names):
            for at, window in enumerate(_windows_of(_lowered_words(documents[name]), size)):
                first.setdefault(_window_digest(window), (ordinal << 32) | at)
        digests = sorted(first)
        self.digests = array("Q", digests)
        self.places = array("Q", (first[d] for d in digests))

    @staticmethod
    def key_of(documents: Mapping[str, CorpusDocument], size: int) -> tuple[object, ...]:
        """What the index is made of: the window size and each document's digest."""
        return (size, tuple(sorted((name, doc.sha256) for name, doc in documents.items())))

    def first(self, window: Sequence[str]) -> tuple[str, int] | None:
        """The document and word position where ``window`` may first occur; None: nowhere."""
        digest = _window_digest(window)
        i = bisect_left(self.digests, digest)
        if i == len(self.digests) or self.digests[i] != digest:
            return None
        place = self.places[i]
        return self.names[place >> 32], place & 0xFFFFFFFF

    def __getstate__(self) -> tuple[object, ...]:
        return (self.key, self.names, self.digests, self.places)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.key, self.names, self.digests, self.places = state


class PhraseIndex:
    """The corpus documents as word sequences, for finding the runs of ``size`` or more
    consecutive words that texts share with any source.

    Nothing is stored per position of the corpus: :meth:`runs_many` collects the
    ``size``-word windows of the texts checked (few), streams each document's windows
    through a set intersection in C, and looks up positions only in the documents that
    share a window. Check texts in batches: each call reads the whole corpus once.
    Given a :class:`WindowIndex` of the same documents, it looks each window up there
    instead and reads only the documents that share one.
    """

    def __init__(
        self,
        documents: Mapping[str, CorpusDocument],
        size: int,
        windows: WindowIndex | None = None,
    ) -> None:
        self.size = size
        self.documents = dict(documents)
        self._words: dict[str, list[str]] = {}
        self._starts: dict[str, list[int]] = {}
        #: The window index, when it was made of these documents at this size.
        self.windows = (
            windows
            if windows is not None and windows.key == WindowIndex.key_of(self.documents, size)
            else None
        )

    def _lowered(self, name: str) -> list[str]:
        words = self._words.get(name)
        if words is None:
            words = _lowered_words(self.documents[name])
        return words

    def _windows(self, words: Sequence[str]) -> Iterator[tuple[str, ...]]:
        return _windows_of(words, self.size)

    def runs(self, text: str) -> list[Run]:
        """:meth:`runs_many` for one text."""
        return self.runs_many([text])[0]

    def runs_many(self, texts: Sequence[str]) -> list[list[Run]]:
        """For each text (normalised), the maximal runs of at least ``size`` words it
        shares with a source, longest first (then in text order)."""
        size = self.size
        tokens = [[(m[0].lower(), m.start(), m.end()) for m in WORD_RE.finditer(t)] for t in texts]
        wanted: set[tuple[str, ...]] = set()
        for toks in tokens:
            wanted.update(self._windows([t[0] for t in toks]))
        if not wanted or size < 1:
            return [[] for _ in texts]
        where = self._looked_up(wanted) if self.windows is not None else None
        if where is None:
            where = self._scanned(wanted)
        return [self._runs(toks, texts[n], where) for n, toks in enumerate(tokens)]

    def _looked_up(
        self, wanted: set[tuple[str, ...]]
    ) -> dict[tuple[str, ...], tuple[str, int]] | None:
        """Where each wanted window first occurs, from the window index; None when two
        windows share a digest (then the corpus is scanned)."""
        assert self.windows is not None
        where: dict[tuple[str, ...], tuple[str, int]] = {}
        for window in wanted:
            place = self.windows.first(window)
            if place is None:
                continue
            name, at = place
            words = self._lowered(name)
            if tuple(words[at : at + self.size]) != window:
                return None
            self._words[name] = words  # kept: runs are extended along it
            where[window] = place
        return where

    def _scanned(self, wanted: set[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, int]]:
        """Where each wanted window first occurs, by reading every document."""
        where: dict[tuple[str, ...], tuple[str, int]] = {}
        for name in sorted(self.documents):
            words = self._lowered(name)
            shared = wanted.intersection(self._windows(words)) - where.keys()
            if not shared:
                continue
            self._words[name] = words  # kept: runs are extended along it
            for i, window in enumerate(self._windows(words)):
                if window in shared and window not in where:
                    where[window] = (name, i)
        return where

    def _runs(
        self,
        tokens: list[tuple[str, int, int]],
        text: str,
        where: Mapping[tuple[str, ...], tuple[str, int]],
    ) -> list[Run]:
        size = self.size
        found: list[Run] = []
        i = 0
        while i <= len(tokens) - size:
            hit = where.get(tuple(t[0] for t in tokens[i : i + size]))
            if hit is None:
                i += 1
                continue
            name, at = hit
            doc_words = self._words[name]
            j = size
            while (
                i + j < len(tokens)
                and at + j < len(doc_words)
                and tokens[i + j][0] == doc_words[at + j]
            ):
                j += 1
            start, end = tokens[i][1], tokens[i + j - 1][2]
            found.append(Run(name, self._line(name, at), start, end, j, text[start:end]))
            i += j
        found.sort(key=lambda r: (-r.length, r.start))
        return found

    def _line(self, name: str, index: int) -> int:
        doc = self.documents[name]
        starts = self._starts.get(name)
        if starts is None:
            starts = self._starts[name] = [m.start() for m in WORD_RE.finditer(doc.text.lower())]
        return doc.line_at(starts[index])


# ---------------------------------------------------------------- repair hints


@dataclass(frozen=True, slots=True)
class Passage:
    """The passage of a document closest to a quote that is not in it."""

    start: int
    end: int
    text: str
    line: int
    score: float
    """Similarity from 0 to 100."""


def closest_passage(doc: CorpusDocument, quote: str) -> Passage | None:
    """The passage of ``doc`` most like ``quote`` (fuzzy), widened to whole words.

    None when nothing in the document is at least half alike.
    """
    from rapidfuzz import fuzz

    needle = normalise(quote)
    text = doc.text
    if not needle or not text:
        return None
    found = fuzz.partial_ratio_alignment(needle, text, score_cutoff=50)
    if found is None:
        return None
    start, end = found.dest_start, found.dest_end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Passage(start, end, text[start:end], doc.line_at(start), float(found.score))


def char_diff(quote: str, passage: str, limit: int = 4) -> str:
    """The differences between ``quote`` and ``passage`` as ``'a' → 'b'`` pairs (at most
    ``limit``), each with a little context so that it can be found."""
    a, b = normalise(quote), passage
    changes: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        lo, hi = _word_span(a, i1, i2)
        lo2, hi2 = _word_span(b, j1, j2)
        changes.append(f"'{a[lo:hi]}' \u2192 '{b[lo2:hi2]}'")
    unique = list(dict.fromkeys(changes))
    shown = unique[:limit]
    more = len(unique) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _word_span(text: str, start: int, end: int) -> tuple[int, int]:
    # Widen a changed span to the whole words around it.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def iter_numbers_outside(text: str, known: set[str]) -> Iterator[Number]:
    """Numbers of ``text`` whose value is not in ``known``."""
    for number in numbers_in(text):
        if number.value not in known:
            yield number
