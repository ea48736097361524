"""Problems found in the data: their subtypes, severity, location and formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

__all__ = ["WARNING_TYPE", "Problem", "Related", "Severity", "Subtype", "sort_problems"]

#: The Sphinx warning type of every problem (``suppress_warnings = ["dossier.<subtype>"]``).
WARNING_TYPE = "dossier"

Severity = Literal["error", "warning", "info"]


class Subtype(StrEnum):
    """Every kind of problem the checker reports; the value is the warning subtype."""

    # reading files
    IO = "io"
    """The file or directory cannot be read."""
    LAYOUT = "layout"
    """A file is outside the four record directories, is not a ``.yaml`` file (``.yml``,
    ``.YAML``), is a symbolic link, or is a folder inside a record directory."""
    NO_RECORDS = "no-records"
    """The data directory holds no record file at all: most likely a wrong path (a
    warning; the data is not invalid)."""
    ENCODING = "encoding"
    """The file is not valid UTF-8 (a UTF-8 byte order mark is accepted and ignored)."""
    EMPTY = "empty"
    """The file holds no YAML document."""
    YAML_SYNTAX = "yaml-syntax"
    """The YAML cannot be parsed; the line is where the parser stopped."""
    MULTIPLE_DOCUMENTS = "multiple-documents"
    """The file holds more than one YAML document; one record per file."""
    NOT_MAPPING = "not-mapping"
    """The top level (or a record part that must be a mapping) is not a mapping."""
    DUPLICATE_KEY = "duplicate-key"
    """A key appears twice in the same mapping."""
    BAD_KEY = "bad-key"
    """A mapping key is not plain text (e.g. a list or a mapping used as a key)."""
    TAG = "tag"
    """A YAML tag outside the core schema (``!!python/...``, ``!custom``, ``!!binary``)."""
    ALIAS = "alias"
    """A YAML anchor (``&a``) or alias (``*a``); records must spell values out."""
    TOO_DEEP = "too-deep"
    """The YAML nests deeper than any record can."""
    TOO_LARGE = "too-large"
    """The file is larger than any record can be (1 MiB); it is not read."""
    SCHEMA_COMMENT = "schema-comment"
    """The first line is not the ``# yaml-language-server: $schema=...`` comment."""
    # one record
    UNKNOWN_KEY = "unknown-key"
    """A key the record kind does not define (with a "did you mean" suggestion)."""
    MISSING_FIELD = "missing-field"
    """A required field is absent (or a field needed because of another one)."""
    TYPE = "type"
    """A value has the wrong type or is not one of the allowed values."""
    DATE = "date"
    """A date is malformed or impossible (``2019-02-30``), or an end precedes its start."""
    ID = "id"
    """An id is not a lowercase slug of at most 80 characters."""
    ID_MISMATCH = "id-mismatch"
    """The record id differs from the file name."""
    DUPLICATE_ID = "duplicate-id"
    """Two records (of any kinds) share an id."""
    DUPLICATE_CLAIM = "duplicate-claim"
    """Two claims in one record share an id."""
    # across records
    REFERENCE = "reference"
    """A reference names no record, or a record of the wrong kind."""
    CLAIM_REFERENCE = "claim-reference"
    """A role names a claim id that the record does not have."""
    SUPPORTS = "supports"
    """A claim's ``supports`` names a field that the record kind cannot support."""
    UNCITED = "uncited"
    """A claim cites no source."""
    UNSUPPORTED = "unsupported"
    """A factual field is not named in the ``supports`` of any claim."""
    SELF_CITE = "self-cite"
    """A source's own metadata is backed by a claim that does not cite the source itself."""
    QUOTE = "quote"
    """A quote is empty, longer than the word limit, or shorter than the minimum (3 words
    unless it is a name or number that the claim text states too); words are counted as
    a reader counts them (``a—b/c`` is three words)."""
    UNQUOTED_NUMBER = "unquoted-number"
    """A number in a claim's text (digits, or a word such as "two" or "dozen") is in
    none of its quotes and none of the record's own fields (a warning)."""
    STALE_PLAN = "stale-plan"
    """An event is ``planned`` for a date before the publication of every source its
    date is backed by: did it happen? (a warning)."""
    FUTURE_SOURCE = "future-source"
    """A source's publication date is after today."""
    TIME = "time"
    """An event marked ``occurred`` has no supporting source published on or after its date."""
    ROLE_DATE = "role-date"
    """A role's ``observed`` date is not the date of any dated source its claims cite."""
    ORDER_CYCLE = "order-cycle"
    """Events' ``after`` lists loop (a after b after a), so no order satisfies them."""
    ORDER_DATE = "order-date"
    """An event is ``after`` an event whose earliest possible date is later than its own latest."""
    # corpus
    CORPUS = "corpus"
    """The corpus directory is missing, or a source's document is not in it."""
    CORPUS_HASH = "corpus-hash"
    """A source's ``sha256`` does not match its document in the corpus."""
    QUOTE_NOT_FOUND = "quote-not-found"
    """A quote does not occur on word boundaries in the cited source's document (after
    normalisation); the message shows the closest passage, its line and the differences."""
    QUOTE_AMBIGUOUS = "quote-ambiguous"
    """Information: a quote occurs more than once in its document (the lines are given);
    a longer quote would say which passage is meant."""
    CLOSE_PARAPHRASE = "close-paraphrase"
    """Text in our own words (a claim, a dispute or citation note, an event's title or
    place, a source's notes; or a paragraph of an evidence page) shares a run of 8 or
    more consecutive words with a source outside quotation marks: rewrite it, or quote
    the source (a warning)."""
    SOURCE_DRIFT = "source-drift"
    """A source's text changed (its ``sha256`` no longer matches): each citation of it is
    re-found in the new text and reported as still found (information), or as changed or
    lost (errors); ``sphinx-dossier corpus accept`` takes the new fingerprint."""
    CORPUS_SKIPPED = "corpus-skipped"
    """Information: no corpus directory is configured, so quotes were not verified."""

    @property
    def description(self) -> str:
        """One sentence saying what the subtype means (for docs and ``--help``)."""
        return _DESCRIPTIONS[self]


def _collect_descriptions() -> dict[Subtype, str]:
    # Attribute docstrings are not kept at run time; read them from this module's
    # source once so that the docs and the code share one text.
    import ast
    import inspect
    import itertools

    tree = ast.parse(inspect.getsource(Subtype))
    found: dict[Subtype, str] = {}
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    for stmt, nxt in itertools.pairwise(body):
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
            and isinstance(nxt.value.value, str)
        ):
            found[Subtype[stmt.targets[0].id]] = nxt.value.value
    return found


try:
    _DESCRIPTIONS: dict[Subtype, str] = _collect_descriptions()
except (OSError, TypeError):  # pragma: no cover - source unavailable (zipped install)
    _DESCRIPTIONS = {}
for _member in Subtype:
    _DESCRIPTIONS.setdefault(_member, _member.value.replace("-", " "))


@dataclass(frozen=True, slots=True)
class Related:
    """A second place a problem concerns, such as the passage of a corpus file."""

    path: Path
    line: int
    message: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: where it is, what kind it is, and a message saying how to fix it."""

    path: Path
    line: int | None
    subtype: str
    message: str
    severity: Severity = "error"
    #: Column (from 1, in characters) where the problem starts, when the rule knows it.
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    """Just past the last character of the span, as SARIF and editors count it."""
    related: Related | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Positional (the build's caches hold every problem); the message is printable
        # already, so the same text comes back.
        return (
            Problem,
            (self.path, self.line, self.subtype, self.message, self.severity, self.column,
             self.end_line, self.end_column, self.related),
        )  # fmt: skip

    def __post_init__(self) -> None:
        # Messages quote the user's values; a newline (or NEL, or U+2028) inside one would
        # split the one-line "path:line: message" format that editors and CI parse.
        if _UNPRINTABLE.search(self.message):
            object.__setattr__(self, "message", printable(self.message))

    @property
    def location(self) -> str:
        """``path:line[:column]`` (or just ``path``), as Sphinx's ``location=`` expects."""
        if self.line is None:
            return str(self.path)
        column = f":{self.column}" if self.column is not None else ""
        return f"{self.path}:{self.line}{column}"

    @property
    def is_error(self) -> bool:
        """True for problems that make the data invalid."""
        return self.severity == "error"

    def format(self, relative_to: Path | None = None) -> str:
        """``path:line[:column]: [warning: |note: ]message [dossier.subtype]``, the path
        relative to ``relative_to``; errors carry no label."""
        path = _relative(self.path, relative_to) if relative_to is not None else str(self.path)
        path = printable(path)
        where = path
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        label = _LABELS[self.severity]
        return f"{where}: {label}{self.message} [{WARNING_TYPE}.{self.subtype}]"

    def __str__(self) -> str:
        return self.format()

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        """File, then line, then subtype and message, so output is stable."""
        return (str(self.path), self.line or 0, self.subtype, self.message)


#: How ``format`` marks a problem that is not an error (as compilers and linters do).
_LABELS = {"error": "", "warning": "warning: ", "info": "note: "}

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control and line-breaking characters written as escapes (``\\x85``)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in file and line order."""
    return sorted(problems, key=lambda p: p.sort_key)


def _relative(path: Path, base: Path) -> str:
    # Only shorten paths below ``base``: "../../x" is harder to read than an absolute path.
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


Span = tuple[int, int, int, int]
"""``(line, column, end line, end column)``, all from 1; the end column is exclusive."""


def locate(text: str, line: int, needle: str, *, window: int = 60) -> Span | None:
    """Where ``needle`` first occurs in ``text`` at or after the start of ``line``.

    The words of ``needle`` may be split across lines or indented differently in the
    file (a folded YAML scalar), and straight and curly quotes and dashes are read
    alike; the search stops ``window`` lines on. None if it is not there.
    """
    parts = [_flexible(word) for word in needle.split()]
    if not parts:
        return None
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return None
    start = sum(len(x) for x in lines[: line - 1])
    stop = start + sum(len(x) for x in lines[line - 1 : line - 1 + window])
    found = re.compile(r"\s+".join(parts)).search(text, start, stop)
    if found is None:
        return None
    first_line, first_col = _line_col(text, found.start())
    last_line, last_col = _line_col(text, found.end())
    return first_line, first_col, last_line, last_col


_ALIKE = {
    "'": "['\u2018\u2019\u02bc]",
    '"': '["\u201c\u201d]',
    "-": "[-\u2010-\u2015\u2212]",
}


def _flexible(word: str) -> str:
    return "".join(_ALIKE.get(ch, re.escape(ch)) for ch in word)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1
