"""Safe YAML loading that keeps the line of every key and item and rejects risky YAML.

The loader works on parser events rather than on a constructed document: anchors and
aliases are refused before anything is expanded (so an alias bomb costs nothing),
duplicate keys are seen, tags outside the core schema never reach a constructor, and
each key and sequence item gets the line it starts on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from sphinx_dossier.core.diagnostics import Problem, Subtype

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Loc",
    "YamlDocument",
    "line_for",
    "load_yaml_bytes",
    "load_yaml_file",
]

#: A location inside a document: mapping keys and sequence indexes, outermost first.
Loc = tuple[str | int, ...]

#: No record nests this deep; stopping early keeps hostile input from exhausting the stack.
MAX_DEPTH = 40
#: No record comes near this size (the largest real one is about 10 kB); bigger files are
#: not parsed, so a pasted article or a generated blob cannot slow the build down.
MAX_FILE_BYTES = 1024 * 1024

_BOM = b"\xef\xbb\xbf"
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{n}" for n in ("str", "int", "float", "bool", "null")}
_SEQ_TAG = f"{_CORE}seq"
_MAP_TAG = f"{_CORE}map"
_TIMESTAMP_TAG = f"{_CORE}timestamp"
_STR_TAG = f"{_CORE}str"
_SEXAGESIMAL_TAGS = frozenset({f"{_CORE}int", f"{_CORE}float"})
#: Characters no text field may hold, however written (a raw one is a YAML syntax error;
#: these arrive through escapes such as "\a", "\0", "\x85", or as raw bidi controls,
#: which reorder what a reader sees): C0 but tab and newline, DEL, C1, bidi overrides.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_forbidden = _FORBIDDEN.search
#: Raw, only bidi controls get past the YAML reader; the rest need an escape.
_RAW_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _may_hold_forbidden(text: str) -> bool:
    """Whether any scalar of ``text`` can hold a forbidden character (most files: no).

    One look at the whole text spares a search in every scalar of a plain file.
    """
    if "\\" in text:
        return True
    return not text.isascii() and _RAW_BIDI.search(text) is not None


#: Plain scalar -> resolved tag; ids and dates repeat across records.
_RESOLVED: dict[str, str] = {}
_Scalar = yaml.ScalarEvent
_SequenceEnd = yaml.SequenceEndEvent
_MappingEnd = yaml.MappingEndEvent

try:  # libyaml is several times faster; the pure-Python parser behaves the same
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(slots=True)
class YamlDocument:
    """The plain data of one YAML file, the line of each location, and what went wrong."""

    path: Path
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    #: Locations whose value was dropped (aliases): already reported, so not checked again.
    dropped: set[Loc] = field(default_factory=set)
    #: Whether :attr:`lines` was filled while parsing.
    tracked: bool = True

    @property
    def ok(self) -> bool:
        """True when the file was read without errors."""
        return not any(p.is_error for p in self.problems)

    def line_of(self, loc: tuple[Any, ...]) -> int:
        """The line of ``loc``, or of its closest enclosing location that has one."""
        return line_for(self.lines, loc)


def line_for(lines: dict[Loc, int], loc: tuple[Any, ...]) -> int:
    """Best line for ``loc`` in ``lines``.

    Parts of ``loc`` that are not in the document (such as the labels pydantic adds
    for union members) are skipped, so a validator's location still finds its line.
    """
    current: Loc = ()
    for part in loc:
        candidate = (*current, part)
        if candidate in lines:
            current = candidate
    return lines.get(current, 1)


def load_yaml_file(path: Path, *, track_lines: bool = True) -> YamlDocument:
    """Read and parse ``path``; problems are collected, never raised.

    Without ``track_lines`` the line map stays empty (faster); load again with it to
    place problems.
    """
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        doc = YamlDocument(path)
        doc.problems.append(Problem(path, None, Subtype.IO, f"cannot read file: {exc.strerror}"))
        return doc
    return load_yaml_bytes(raw, path, track_lines=track_lines)


def load_yaml_bytes(raw: bytes, path: Path, *, track_lines: bool = True) -> YamlDocument:
    """Decode ``raw`` as UTF-8 and parse it as a single YAML document."""
    doc = YamlDocument(path, tracked=track_lines)
    if len(raw) > MAX_FILE_BYTES:
        doc.problems.append(
            Problem(
                path,
                None,
                Subtype.TOO_LARGE,
                f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB: a record is a few"
                " kilobytes; remove pasted text (quotes are at most a sentence)",
            )
        )
        return doc
    # A UTF-8 byte order mark is harmless and some editors add it: accept it.
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
        if raw.startswith(_BOM):
            doc.problems.append(
                Problem(
                    path,
                    1,
                    Subtype.ENCODING,
                    "the file starts with two byte order marks: save it as UTF-8 once more"
                    " (most editors drop the extra mark)",
                )
            )
            return doc
    other = _other_encoding(raw)
    if other is not None:
        doc.problems.append(
            Problem(
                path,
                1,
                Subtype.ENCODING,
                f"file is not UTF-8 (it looks like {other}): save the file as UTF-8",
            )
        )
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        doc.problems.append(
            Problem(
                path,
                line,
                Subtype.ENCODING,
                f"file is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded;"
                " save the file as UTF-8",
            )
        )
        return doc
    doc.text = text
    _parse(text, doc)
    return doc


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),  # before UTF-16's, which it starts with
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _other_encoding(raw: bytes) -> str | None:
    """``UTF-16`` or ``UTF-32`` when ``raw`` is text in one of them, with or without a
    byte order mark (NUL bytes between the letters); else None."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    head = raw[:400]
    if len(head) < 4 or b"\x00" not in head:
        return None
    zeros = head.count(b"\x00") / len(head)
    if zeros > 0.6:
        return "UTF-32"
    if zeros > 0.3:
        return "UTF-16"
    return None


def _parse(text: str, doc: YamlDocument) -> None:
    if not doc.tracked:
        loader = _Loader(text)
        try:
            doc.data, doc.lines[()] = _Plain(loader, _may_hold_forbidden(text)).document()
            return
        except (_NotPlain, yaml.YAMLError):
            pass  # the full builder parses it again and reports what is wrong
        finally:
            loader.dispose()
    loader = _Loader(text)
    builder = _Builder(loader, doc)
    try:
        builder.stream()
    except _TooDeep:
        # Stop at once: libyaml slows down quadratically with the depth of what follows.
        doc.data = None
    except yaml.YAMLError as exc:
        doc.data = None
        too_deep = builder.too_deep_before(exc, text)
        if too_deep is not None:
            builder.error(too_deep, Subtype.TOO_DEEP, _TOO_DEEP_MESSAGE)
        elif isinstance(exc, yaml.MarkedYAMLError):
            doc.problems.append(_syntax_problem(exc, doc.path, text))
        else:
            doc.problems.append(_stream_problem(exc, doc.path, text))
    finally:
        loader.dispose()


def _stream_problem(exc: yaml.YAMLError, path: Path, text: str) -> Problem:
    line = _reader_error_line(exc, text)
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        code = char if isinstance(char, int) else ord(str(char)[:1] or " ")
        shown = f"U+{code:04X}"
        message = f"character {shown} is not allowed in YAML: remove it"
    else:
        message = f"invalid YAML: {_one_line(str(exc))}"
    return Problem(path, line, Subtype.YAML_SYNTAX, message)


_TOO_DEEP_MESSAGE = f"nesting deeper than {MAX_DEPTH} levels: this is not a record"


class _TooDeep(Exception):
    """Raised once nesting exceeds MAX_DEPTH (already reported); ends the parse."""


class _NotPlain(Exception):
    """The document needs the full builder: it has a problem or something unusual."""


class _Plain:
    """The fast path for the common case: one document of untagged, anchor-free values.

    It makes the same data as :class:`_Builder` without the line map, and gives up
    (raising :class:`_NotPlain`) at the first thing that would be reported: an alias or
    anchor, a tag, a duplicate or non-text key, deep nesting, a second document. The full
    builder then parses the file again, so every problem is found the one way.
    """

    def __init__(self, loader: yaml.SafeLoader, suspicious: bool = True) -> None:
        self.loader = loader
        self.suspicious = suspicious
        self.next: Callable[[], Any] = loader.get_event
        self.resolvers = loader.yaml_implicit_resolvers
        if self.resolvers.get(None):  # pragma: no cover - the safe loaders have none
            raise _NotPlain

    def document(self) -> tuple[Any, int]:
        """The data, and the line it starts on."""
        nxt = self.next
        nxt()  # StreamStart
        if type(nxt()) is not yaml.DocumentStartEvent:
            raise _NotPlain  # empty stream
        root = nxt()
        data = self.value(root, 0)
        nxt()  # DocumentEnd
        if type(nxt()) is not yaml.StreamEndEvent or data is None:
            raise _NotPlain  # several documents, or an empty one
        return data, _line(root)

    def value(self, event: Any, depth: int) -> Any:
        cls = type(event)
        if cls is _Scalar:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            value = event.value
            if self.suspicious and _forbidden(value):
                raise _NotPlain
            if not event.implicit[0] or value[:1] not in self.resolvers:
                return value  # quoted, or plain text no resolver claims
            tag = _resolve(value, self.resolvers[value[:1]])
            try:
                return _construct(self.loader, tag, value)
            except (ValueError, KeyError, yaml.YAMLError):
                raise _NotPlain from None
        if depth >= MAX_DEPTH or event.anchor is not None or event.tag is not None:
            raise _NotPlain
        nxt = self.next
        if cls is yaml.MappingStartEvent:
            result: dict[str, Any] = {}
            while True:
                key = nxt()
                if type(key) is _MappingEnd:
                    return result
                if type(key) is not _Scalar or key.anchor is not None or key.tag is not None:
                    raise _NotPlain
                name = key.value
                if name in result or (self.suspicious and _forbidden(name)):
                    raise _NotPlain
                result[name] = self.value(nxt(), depth + 1)
        if cls is yaml.SequenceStartEvent:
            items: list[Any] = []
            while True:
                item = nxt()
                if type(item) is _SequenceEnd:
                    return items
                items.append(self.value(item, depth + 1))
        raise _NotPlain  # an alias


class _Builder:
    """Turns parser events into plain Python data plus a location -> line map."""

    def __init__(self, loader: yaml.SafeLoader, doc: YamlDocument) -> None:
        self.loader = loader
        self.doc = doc
        self.suspicious = _may_hold_forbidden(doc.text)
        # Hot loop: bound methods and tables looked up once, not per event.
        self.next: Callable[[], Any] = loader.get_event
        self.resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = (
            loader.yaml_implicit_resolvers
        )
        self.wildcard = self.resolvers.get(None, [])
        #: Collections open after the last collection event, and where that event ended.
        self.open = 0
        self.mark: Any = None  # yaml.Mark, or libyaml's own Mark class

    def error(self, line: int, subtype: Subtype, message: str) -> None:
        self.doc.problems.append(Problem(self.doc.path, line, subtype, message))

    def too_deep_before(self, exc: yaml.YAMLError, text: str) -> int | None:
        """The line where nesting passes :data:`MAX_DEPTH` before PyYAML's own error.

        libyaml scans up to a line ahead of the events it has handed over, and newer
        releases (PyYAML 6.0.4) refuse deep flow nesting themselves: then the parse
        fails before :meth:`node` sees the level that is too deep. Counting the flow
        brackets from the last collection event up to the error finds that level, so
        the message is ours, at the same line, whatever PyYAML's own limit is.
        """
        end = getattr(exc, "problem_mark", None)
        if self.mark is None or end is None:
            return None
        starts = _line_starts(text)
        start = _offset(starts, self.mark, len(text))
        stop = _offset(starts, end, len(text)) + 1
        return _flow_too_deep(text, start, min(stop, len(text)), self.open)

    def stream(self) -> None:
        self.next()  # StreamStart
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            self.error(1, Subtype.EMPTY, "file is empty: expected a record (a YAML mapping)")
            return
        # DocumentStart
        root = self.next()
        line = _line(root)
        self.doc.lines[()] = line
        data = self.node(root, (), 0)
        self.next()  # DocumentEnd
        event = self.next()
        if not isinstance(event, yaml.StreamEndEvent):
            self.error(
                _line(event),
                Subtype.MULTIPLE_DOCUMENTS,
                "a second YAML document starts here: put one record per file",
            )
            return
        if data is None and isinstance(root, yaml.ScalarEvent) and root.value == "":
            self.error(1, Subtype.EMPTY, "file is empty: expected a record (a YAML mapping)")
            return
        self.doc.data = data

    def node(self, event: yaml.Event, loc: Loc, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self.error(
                _line(event),
                Subtype.ALIAS,
                f"alias '*{event.anchor}' is not allowed: write the value out in full",
            )
            self.doc.dropped.add(loc)
            return None
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.error(
                _line(event),
                Subtype.ALIAS,
                f"anchor '&{anchor}' is not allowed: records do not share values; remove it",
            )
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event)
        if depth >= MAX_DEPTH:
            self.error(_line(event), Subtype.TOO_DEEP, _TOO_DEEP_MESSAGE)
            raise _TooDeep
        self.open, self.mark = depth + 1, event.end_mark
        if isinstance(event, yaml.SequenceStartEvent):
            self.check_collection_tag(event, _SEQ_TAG)
            return self.sequence(loc, depth)
        if isinstance(event, yaml.MappingStartEvent):
            self.check_collection_tag(event, _MAP_TAG)
            return self.mapping(loc, depth)
        raise yaml.YAMLError(f"unexpected {type(event).__name__}")  # pragma: no cover

    def sequence(self, loc: Loc, depth: int) -> list[Any]:
        items: list[Any] = []
        lines = self.doc.lines
        track = self.doc.tracked
        nxt = self.next
        while True:
            event = nxt()
            cls = type(event)
            if cls is _SequenceEnd:
                self.open, self.mark = depth, event.end_mark
                return items
            if track:
                lines[(*loc, len(items))] = event.start_mark.line + 1
            if cls is _Scalar and event.anchor is None:
                items.append(self.scalar(event))
            else:
                items.append(self.node(event, (*loc, len(items)), depth + 1))

    def mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        lines = self.doc.lines
        track = self.doc.tracked
        nxt = self.next
        while True:
            event = nxt()
            cls = type(event)
            if cls is _MappingEnd:
                self.open, self.mark = depth, event.end_mark
                return result
            line = event.start_mark.line + 1
            key: str | None
            if cls is _Scalar and event.anchor is None and event.tag is None:
                key = event.value
                self.check_characters(event)
            else:
                key = self.key(event, depth)
            value_event = nxt()
            if key is None:
                self.node(value_event, (*loc, "\0"), depth + 1)
                continue
            if key in result:
                first = lines.get((*loc, key))
                self.error(
                    line,
                    Subtype.DUPLICATE_KEY,
                    f"duplicate key '{key}' (first at line {first}): keep one of them"
                    if first
                    else f"duplicate key '{key}': keep one of them",
                )
                # Parse the duplicate for its own problems, keep the first value.
                self.node(value_event, (*loc, "\0"), depth + 1)
                continue
            if track:
                lines[(*loc, key)] = line
            if type(value_event) is _Scalar and value_event.anchor is None:
                result[key] = self.scalar(value_event)
            else:
                result[key] = self.node(value_event, (*loc, key), depth + 1)

    def key(self, event: yaml.Event, depth: int) -> str | None:
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                self.node(event, (), depth)  # reports the anchor
            elif event.tag not in (None, "!") and event.tag not in _SCALAR_TAGS:
                self.error(_line(event), Subtype.TAG, _tag_message(event.tag))
            # Keys stay as written: `yes:` or `2016:` are names, not booleans or numbers.
            return str(event.value)
        if isinstance(event, yaml.AliasEvent):
            self.node(event, (), depth)
            return None
        self.error(
            _line(event),
            Subtype.BAD_KEY,
            "a mapping key must be plain text, not a list or a mapping",
        )
        self.node(event, ("\0",), depth + 1)
        return None

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        value = event.value
        self.check_characters(event)
        if tag is None:
            if not event.implicit[0]:  # quoted or block scalar: always text
                return value
            tag = self.resolve(value)
        elif tag == "!":
            return value
        elif tag not in _SCALAR_TAGS:
            self.error(_line(event), Subtype.TAG, _tag_message(tag))
            return value
        try:
            return _construct(self.loader, tag, value)
        except (ValueError, KeyError, yaml.YAMLError):
            kind = tag.removeprefix(_CORE)
            self.error(_line(event), Subtype.TAG, f"'{value}' is not a valid {kind}")
            return value

    def check_characters(self, event: yaml.ScalarEvent) -> None:
        if not self.suspicious:
            return
        found = _forbidden(event.value)
        if found:
            code = ord(found.group())
            self.error(
                _line(event),
                Subtype.YAML_SYNTAX,
                f"character U+{code:04X} is not allowed in a text (here written as an escape"
                " or pasted invisibly): remove it",
            )

    def resolve(self, value: str) -> str:
        candidates = self.resolvers.get(value[:1])
        if candidates is None and not self.wildcard:
            return _STR_TAG
        return _resolve(value, (candidates or []) + self.wildcard)

    def check_collection_tag(self, event: yaml.CollectionStartEvent, expected: str) -> None:
        if event.tag not in (None, "!", expected):
            self.error(_line(event), Subtype.TAG, _tag_message(event.tag))


def _construct(loader: yaml.SafeLoader, tag: str, value: str) -> Any:
    """The value of a scalar with a core-schema ``tag``; raises what the constructor raises."""
    if tag in (_STR_TAG, _TIMESTAMP_TAG):
        # Dates stay text: the model parses them and reports impossible ones itself.
        return value
    return loader.yaml_constructors[tag](loader, ScalarNode(tag, value))


def _resolve(value: str, candidates: list[tuple[str, re.Pattern[str]]]) -> str:
    """The tag of a plain scalar: what yaml.resolver.BaseResolver.resolve does, minus the
    generic machinery (most values are words, which no resolver claims)."""
    cached = _RESOLVED.get(value)
    if cached is not None:
        return cached
    tag = _STR_TAG
    for candidate, regexp in candidates:
        if regexp.match(value):
            tag = candidate
            break
    if ":" in value and tag in _SEXAGESIMAL_TAGS:
        # YAML 1.1 reads 2020:03:01 as the base-60 number 7272181; YAML 1.2 and every
        # reader of these files mean text (a mistyped date, a time): keep it as written.
        tag = _STR_TAG
    if len(_RESOLVED) > 100_000:
        _RESOLVED.clear()
    _RESOLVED[value] = tag
    return tag


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")
    return starts


def _offset(starts: list[int], mark: yaml.Mark, size: int) -> int:
    if mark.line >= len(starts):
        return size
    return min(starts[mark.line] + mark.column, size)


def _flow_too_deep(text: str, start: int, stop: int, depth: int) -> int | None:
    """The line of the first flow collection in ``text[start:stop]`` past MAX_DEPTH.

    ``depth`` collections are open at ``start``. Quoted scalars and comments are
    skipped the way YAML reads them; this runs only after PyYAML has given up.
    """
    index = start
    prev = " "
    while index < stop:
        char = text[index]
        if char in "[{":
            if depth >= MAX_DEPTH:
                return text.count("\n", 0, index) + 1
            depth += 1
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "#" and prev in " \t\n":
            newline = text.find("\n", index)
            index = stop if newline < 0 else newline
            char = "\n"
        elif char in "'\"" and prev in " \t\n[{,:":
            index = _quoted_end(text, index, char)
        prev = char
        index += 1
    return None


def _quoted_end(text: str, index: int, quote: str) -> int:
    """Index of the quote closing the scalar that opens at ``index`` (or the end)."""
    index += 1
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text.startswith("''", index):
                index += 2
                continue
            return index
        index += 1
    return len(text)


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return int(mark.line) + 1 if mark is not None else 1


def _tag_message(tag: str | None) -> str:
    shown = f"!!{tag.removeprefix(_CORE)}" if tag and tag.startswith(_CORE) else tag
    return (
        f"YAML tag '{shown}' is not allowed: use plain values "
        "(text, numbers, true/false, null, lists and mappings)"
    )


def _syntax_problem(exc: yaml.MarkedYAMLError, path: Path, text: str) -> Problem:
    problem = exc.problem or "syntax error"
    context = exc.context
    mark = exc.problem_mark
    # When the parser only notices the mistake at the end of the file (an unclosed
    # quote or bracket), the place the construct started is where to look.
    at_end = mark is not None and (
        "end of stream" in problem or mark.index >= len(text.rstrip("\n"))
    )
    if mark is None or (at_end and exc.context_mark is not None):
        mark = exc.context_mark
    line = mark.line + 1 if mark is not None else None
    unclosed = _unclosed_flow(exc, text)
    if unclosed is not None and line is not None and unclosed[0] != line:
        # Like Python's "'[' was never closed": the line to edit is where it opens.
        open_line, char = unclosed
        closer = "]" if char == "[" else "}"
        return Problem(
            path,
            open_line,
            Subtype.YAML_SYNTAX,
            f"invalid YAML: '{char}' opened on this line is never closed (noticed at line"
            f" {line}): add '{closer}' where the {'list' if char == '[' else 'mapping'} ends",
        )
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context}"
        ctx_mark = exc.context_mark
        if ctx_mark is not None and line is not None and ctx_mark.line + 1 != line:
            message += f" at line {ctx_mark.line + 1}"
        message += ")"
    opened = _open_quote_line(text, line) if line is not None else None
    if opened is not None:
        # A quote left open swallows the following lines; the parser only complains
        # where the next quote closes it. The line to edit is where it was opened.
        message += (
            f"; the quoted value starting on this line is not closed (the parser stopped"
            f" at line {line}): add the closing quote"
        )
        return Problem(path, opened, Subtype.YAML_SYNTAX, _one_line(message))
    message += _syntax_hint(problem, text, line)
    return Problem(path, line, Subtype.YAML_SYNTAX, _one_line(message))


def _unclosed_flow(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str] | None:
    """(line, bracket) of a flow collection PyYAML gave up on that is never closed;
    None when the error is something else."""
    context, start = exc.context or "", exc.context_mark
    if not context.startswith("while parsing a flow") or start is None:
        return None
    starts = _line_starts(text)
    index = _offset(starts, start, len(text))
    if index >= len(text) or text[index] not in "[{":
        return None
    # To the end of the file: a bracket closed after the place PyYAML stopped is not
    # the mistake (that is something inside, like [a, "b" c]).
    stop = len(text)
    depth, i = 0, index
    while i < stop:
        char = text[i]
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return None  # closed: the mistake is something else
        elif char == "#" and text[i - 1 : i] in (" ", "\t", "\n"):
            newline = text.find("\n", i)
            i = stop if newline < 0 else newline
        elif char in "'\"" and text[i - 1 : i] in (" ", "\t", "\n", "[", "{", ",", ":"):
            i = _quoted_end(text, i, char)
        i += 1
    return start.line + 1, text[index]


def _open_quote_line(text: str, line: int) -> int | None:
    """The line of a quoted scalar still open at the start of ``line``, if any."""
    quote: str | None = None
    opened = 0
    for number, source in enumerate(text.splitlines()[: line - 1], start=1):
        i = 0
        while i < len(source):
            char = source[i]
            if quote is None:
                if char == "#" and (i == 0 or source[i - 1] in " \t"):
                    break  # a comment
                before = source[:i].rstrip()
                if char in "\"'" and (not before or before[-1] in ":-[{,?"):
                    quote, opened = char, number
            elif char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                if quote == "'" and source[i + 1 : i + 2] == "'":
                    i += 1  # '' is an escaped single quote
                else:
                    quote = None
            i += 1
    return opened if quote is not None and opened < line else None


def _syntax_hint(problem: str, text: str, line: int | None) -> str:
    source_line = ""
    if line is not None:
        lines = text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
        return "; indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "; if the value contains ': ', put the whole value in quotes"
    if "cannot start any token" in problem:
        return "; values starting with characters such as @ or ` must be quoted"
    if "expected key" in problem or "expected <block end>" in problem:
        return "; check the indentation of this line"
    return ""


def _reader_error_line(exc: yaml.YAMLError, text: str) -> int | None:
    position = getattr(exc, "position", None)
    if not isinstance(position, int):
        return None
    # libyaml counts bytes of the UTF-8 text, the Python reader counts characters.
    if _Loader is not yaml.SafeLoader:
        return text.encode("utf-8")[:position].count(b"\n") + 1
    return text[:position].count("\n") + 1  # pragma: no cover


def _one_line(text: str) -> str:
    return " ".join(text.split())
