"""The corpus of source texts: where it is, document fingerprints, and quote matching."""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: A word as a reader counts it: letters and digits, with apostrophes inside
#: ("Japan's" is one word); dashes, slashes and other punctuation separate words.
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

__all__ = [
    "CORPUS_ENV",
    "WORD_RE",
    "Corpus",
    "CorpusDocument",
    "CorpusReport",
    "normalise",
    "resolve_corpus_dir",
]

#: Environment variable naming the corpus directory (relative paths: against the cwd).
CORPUS_ENV = "DOSSIER_CORPUS"

# Characters that differ between a source and a quote typed by hand, but not in meaning.
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u02bc\u2039\u203a", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        # Every dash punctuation character (Unicode category Pd) and the minus sign.
        **dict.fromkeys(
            "\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a"
            "\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d"
            "\u2212\U00010ead",
            "-",
        ),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    }
)


def normalise(text: str) -> str:
    """Text reduced for quote matching.

    NFKC (which also turns no-break spaces into spaces), curly quotes to straight
    ones, every dash to ``-``, invisible characters dropped, runs of whitespace
    (line breaks included) to one space.
    """
    if not text.isascii():  # plain ASCII needs neither NFKC nor the table (the common case)
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return " ".join(text.split())


def resolve_corpus_dir(
    explicit: str | os.PathLike[str] | None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path | None:
    """The corpus directory: ``explicit`` if given, else ``$DOSSIER_CORPUS``, else None."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit)
    env = os.environ if environ is None else environ
    value = env.get(CORPUS_ENV, "").strip()
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    return path


class CorpusDocument:
    """One corpus file: its digest, its normalised text, and where each of its lines
    starts in that text (so that a match is reported at the file's own line)."""

    __slots__ = ("_words", "path", "sha256", "starts", "text")

    def __init__(self, path: Path, sha256: str, raw_text: str) -> None:
        self.path = path
        self.sha256 = sha256
        # Normalised line by line, then joined by one space: the same text as
        # normalise(raw_text), with the offset at which each source line begins.
        parts: list[str] = []
        starts: list[tuple[int, int]] = []
        offset = 0
        for number, line in enumerate(raw_text.splitlines(), start=1):
            part = normalise(line)
            if not part:
                continue
            if parts:
                offset += 1
            starts.append((offset, number))
            parts.append(part)
            offset += len(part)
        self.text = " ".join(parts)
        self.starts = starts
        self._words: list[tuple[str, int]] | None = None

    def __getstate__(self) -> tuple[Path, str, list[tuple[int, int]], str]:
        # Kept between builds without the word list, which is remade when asked for.
        return (self.path, self.sha256, self.starts, self.text)

    def __setstate__(self, state: tuple[Path, str, list[tuple[int, int]], str]) -> None:
        self.path, self.sha256, self.starts, self.text = state
        self._words = None

    def contains(self, quote: str) -> bool:
        """True if ``quote`` occurs in the document on word boundaries (both normalised)."""
        return bool(self.occurrences(quote, limit=1))

    def occurrences(self, quote: str, *, limit: int | None = None) -> list[int]:
        """Offsets in :attr:`text` where ``quote`` occurs on word boundaries.

        A quote that starts (ends) with a letter or digit must not continue a word of
        the text there: "orthlan" is not found in "Northland".
        """
        needle = normalise(quote)
        found: list[int] = []
        if not needle:
            return found
        text = self.text
        head, tail = needle[0].isalnum(), needle[-1].isalnum()
        start = text.find(needle)
        while start >= 0:
            end = start + len(needle)
            if not (head and start > 0 and text[start - 1].isalnum()) and not (
                tail and end < len(text) and text[end].isalnum()
            ):
                found.append(start)
                if limit is not None and len(found) >= limit:
                    break
            start = text.find(needle, start + 1)
        return found

    def line_at(self, offset: int) -> int:
        """The line of the corpus file that holds ``offset`` of :attr:`text` (from 1)."""
        index = bisect.bisect_right(self.starts, (offset, sys.maxsize)) - 1
        return self.starts[index][1] if index >= 0 else 1

    def words(self) -> list[tuple[str, int]]:
        """Each word of the text, lower-cased, with its offset (read as a reader counts)."""
        if self._words is None:
            self._words = [(m[0].lower(), m.start()) for m in WORD_RE.finditer(self.text)]
        return self._words


class Corpus:
    """A corpus directory; each document is read and normalised at most once."""

    def __init__(
        self, directory: Path, *, known: Mapping[str, CorpusDocument] | None = None
    ) -> None:
        self.directory = directory
        self._cache: dict[str, CorpusDocument | None] = {}
        #: Documents read earlier (by name): taken again while their bytes are the same.
        self._known = known or {}
        #: Names that lead out of the directory (a link, ``..``) -> where they lead.
        self.outside: dict[str, Path] = {}
        self._resolved: Path | None = None

    def document(self, name: str) -> CorpusDocument | None:
        """The document called ``name``, or None if it is not in the corpus."""
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def _read(self, name: str) -> CorpusDocument | None:
        path = self.directory / name
        try:
            # Only texts inside the corpus count as evidence: a link to /etc/hosts with
            # its digest in the record would otherwise "verify" quotes from anything.
            if self._resolved is None:
                self._resolved = self.directory.resolve()
            target = path.resolve()
            if not target.is_relative_to(self._resolved):
                self.outside[name] = target
                return None
            raw = target.read_bytes()
        except (OSError, ValueError):  # ValueError: a name the OS cannot take (NUL)
            return None
        sha256 = hashlib.sha256(raw).hexdigest()
        known = self._known.get(name)
        if known is not None and known.sha256 == sha256 and known.path == path:
            return known
        return CorpusDocument(path, sha256, raw.decode("utf-8", errors="replace"))

    def documents(self) -> dict[str, CorpusDocument]:
        """Every document read so far, by name."""
        return {name: doc for name, doc in self._cache.items() if doc is not None}


@dataclass(slots=True)
class CorpusReport:
    """What the corpus check did."""

    directory: Path | None = None
    #: Documents found and read.
    documents: int = 0
    #: Quotes whose cited source has a readable document.
    quotes_total: int = 0
    #: Quotes found in their document.
    quotes_verified: int = 0
    #: Ids of sources whose document is missing.
    missing: list[str] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        """True when a corpus directory was used."""
        return self.directory is not None
