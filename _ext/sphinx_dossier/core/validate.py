"""Validation rules: readable model errors, references, provenance, time and the corpus check."""

from __future__ import annotations

import copy
import difflib
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from sphinx_dossier.core.chronology import find_cycles, latest_date
from sphinx_dossier.core.corpus import Corpus, CorpusDocument, CorpusReport, normalise
from sphinx_dossier.core.dates import PartialDate
from sphinx_dossier.core.diagnostics import Problem, Related, Severity, Subtype, locate
from sphinx_dossier.core.evidence import (
    EvidenceRules,
    PhraseIndex,
    WindowIndex,
    char_diff,
    closest_passage,
    is_name_or_number,
    number_values,
    numbers_in,
    outside_quotes,
    word_count,
)
from sphinx_dossier.core.kinds import MODELS
from sphinx_dossier.core.model import (
    UNTYPED_ROLE_RE,
    Actor,
    Event,
    Record,
    RecordKind,
    Source,
    _check_id,
    role_target,
    submodel_at,
)
from sphinx_dossier.core.yamlload import Loc, line_for

__all__ = [
    "Candidate",
    "CorpusCheck",
    "Watched",
    "check_order",
    "check_record",
    "did_you_mean",
    "ids_by_kind",
    "validate_record",
]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def describe_loc(loc: tuple[Any, ...]) -> str:
    """``claims[0].cites[1].quote`` for a location tuple."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# ---------------------------------------------------------------- one record


@dataclass(frozen=True, slots=True)
class ValidatedRecord:
    """The outcome of validating one file's data against its model."""

    record: Record | None
    """The record, if the data is valid."""
    problems: list[Problem]
    """Readable model errors."""
    repaired: Record | None
    """A record built after dropping the faulty keys, used only to find further problems."""
    placeholders: frozenset[Loc] = frozenset()
    """Locations of the repaired record that hold placeholders, not the author's data."""


def validate_record(
    kind: RecordKind,
    data: Mapping[str, Any],
    lines: dict[Loc, int] | Callable[[], dict[Loc, int]],
    path: Path,
    *,
    dropped: Iterable[Loc] = (),
) -> ValidatedRecord:
    """Validate ``data`` as a ``kind`` record; every model error becomes a :class:`Problem`.

    ``lines`` may be a function giving the line map, called only if there is an error.
    Errors at ``dropped`` locations (values the loader already rejected) are left out.
    """
    model = MODELS[kind]
    try:
        return ValidatedRecord(model.model_validate(data), [], None)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    skip = set(dropped)
    errors = _merge_missing(
        [err for err in errors if not skip or _data_loc(err["loc"], data) not in skip]
    )
    line_map = lines() if callable(lines) else lines
    problems = [_problem(model, kind, err, line_map, path) for err in errors]
    placeholders: set[Loc] = set()
    repaired = _repair(model, data, errors, placeholders)
    return ValidatedRecord(None, problems, repaired, frozenset(placeholders))


def _merge_missing(errors: list[Any]) -> list[Any]:
    """One "missing" error per mapping, naming every absent field."""
    merged: list[Any] = []
    by_parent: dict[tuple[Any, ...], Any] = {}
    for err in errors:
        if err["type"] != "missing":
            merged.append(err)
            continue
        parent = tuple(err["loc"][:-1])
        if parent in by_parent:
            by_parent[parent]["fields"].append(err["loc"][-1])
        else:
            by_parent[parent] = {**err, "fields": [err["loc"][-1]]}
            merged.append(by_parent[parent])
    return merged


def _data_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """The part of a pydantic location that addresses the YAML data."""
    out: list[str | int] = []
    current = data
    for part in loc:
        in_mapping = isinstance(current, Mapping) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            out.append(part)
            current = current[part]
    return tuple(out)


def _repair(
    model: type[Record], data: Mapping[str, Any], errors: list[Any], placeholders: set[Loc]
) -> Record | None:
    # Dropping each faulty optional key, and putting a neutral placeholder in each faulty
    # required one, often leaves a valid record whose other mistakes can then be found.
    # List items are never removed: that would shift the locations of later items.
    fixed: Any = copy.deepcopy(dict(data))
    for _ in range(3):
        changed = False
        for err in errors:
            if err["type"] == "missing":
                loc = _data_loc(err["loc"][:-1], fixed)
                key = err["loc"][-1]
            else:
                loc = _data_loc(err["loc"], fixed)
                keys = [i for i, part in enumerate(loc) if isinstance(part, str)]
                if not keys:
                    continue
                loc, key = loc[: keys[-1]], loc[keys[-1]]
            parent: Any = fixed
            for part in loc:
                parent = parent[part]
            sub = submodel_at(model, loc)
            if not isinstance(parent, dict) or sub is None or key == "id":
                continue
            info = sub.model_fields.get(str(key))
            if info is None or not info.is_required():
                if key in parent:
                    del parent[key]
                    changed = True
                continue
            placeholder = _placeholder(info)
            if placeholder is not _NO_PLACEHOLDER and parent.get(key) != placeholder:
                parent[key] = placeholder
                placeholders.add((*loc, key))
                changed = True
        if not changed:
            return None
        try:
            return model.model_validate(fixed)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
    return None


_NO_PLACEHOLDER = object()


def _placeholder(info: FieldInfo) -> object:
    """A value that passes validation and that no rule reads meaning into.

    Problems inside a placeholder are never reported (see ``placeholders``), so a
    made-up id or source does no harm.
    """
    return _placeholder_for(info.annotation, info.metadata, depth=0)


def _placeholder_for(annotation: Any, metadata: list[Any], depth: int) -> object:
    if depth > 4:
        return _NO_PLACEHOLDER
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _placeholder_for(args[0], [*metadata, *args[1:]], depth)
    if any(getattr(m, "func", None) is _check_id for m in metadata):
        return "placeholder"
    if annotation is PartialDate:
        return "0001"
    if origin is Literal:
        return args[0]
    if annotation is str:
        return "?"
    if origin is list:
        needs_item = any(getattr(m, "min_length", 0) for m in metadata)
        if not needs_item:
            return []
        item = _placeholder_for(args[0], [], depth + 1)
        return _NO_PLACEHOLDER if item is _NO_PLACEHOLDER else [item]
    if len(args) == 1 and origin is not None:  # X | None, required: give an X
        return _placeholder_for(args[0], metadata, depth)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields: dict[str, object] = {}
        for name, sub in annotation.model_fields.items():
            if not sub.is_required():
                continue
            value = _placeholder_for(sub.annotation, list(sub.metadata), depth + 1)
            if value is _NO_PLACEHOLDER:
                return _NO_PLACEHOLDER
            fields[name] = value
        return fields
    return _NO_PLACEHOLDER


#: Absent field -> the field whose value made it necessary.
_LINE_INSTEAD = {"published_note": "published"}


def _problem(
    model: type[BaseModel], kind: RecordKind, err: Any, lines: dict[Loc, int], path: Path
) -> Problem:
    loc: tuple[Any, ...] = tuple(err["loc"])
    etype: str = err["type"]
    where = describe_loc(loc)
    value = err.get("input")
    if loc and loc not in lines and loc[-1] in _LINE_INSTEAD:
        # An absent field that another one requires: point at the one that is there.
        loc = (*loc[:-1], _LINE_INSTEAD[loc[-1]])
    line = line_for(lines, loc)
    if etype.startswith("dossier."):
        subtype = etype.removeprefix("dossier.")
        msg = err["msg"]
        leaf = next((p for p in reversed(loc) if isinstance(p, str)), None)
        if where and not (leaf and msg.startswith(leaf)):
            msg = f"{where}: {msg}"
        return Problem(path, line, subtype, msg)
    if etype == "missing":
        fields = err.get("fields", [loc[-1]])
        parent = describe_loc(loc[:-1]) or kind
        line = line_for(lines, loc[:-1])
        names = ", ".join(f"'{f}'" for f in fields)
        noun = "field" if len(fields) == 1 else "fields"
        return Problem(
            path, line, Subtype.MISSING_FIELD, f"{parent} is missing required {noun} {names}"
        )
    if etype == "extra_forbidden":
        key = str(loc[-1])
        sub = submodel_at(model, loc[:-1])
        allowed = list(sub.model_fields) if sub is not None else []
        parent = describe_loc(loc[:-1]) or kind
        hint = did_you_mean(key, allowed)
        if not hint and allowed:
            hint = f"; allowed keys: {', '.join(allowed)}"
        return Problem(path, line, Subtype.UNKNOWN_KEY, f"unknown key '{key}' in {parent}{hint}")
    if etype == "too_short":
        if loc and loc[-1] == "cites":
            return Problem(
                path,
                line,
                Subtype.UNCITED,
                f"{where} is empty: a claim must cite at least one source (source and quote)",
            )
        return Problem(path, line, Subtype.MISSING_FIELD, f"{where} must not be empty")
    if etype == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", ""))
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return Problem(
            path,
            line,
            Subtype.TYPE,
            f"{where}: {_show(value)} is not one of: {', '.join(choices)}{hint}",
        )
    expected_text = _EXPECTED.get(etype)
    if expected_text is not None:
        hint = ""
        if etype == "string_type" and isinstance(value, (int, float, bool)):
            hint = "; put it in quotes to make it text"
        elif etype == "list_type" and not isinstance(value, (dict, list)):
            hint = "; write [a, b] or one '- item' per line"
        return Problem(
            path,
            line,
            Subtype.TYPE,
            f"{where or kind}: expected {expected_text}, got {_kind_of(value)}{hint}",
        )
    return Problem(path, line, Subtype.TYPE, f"{where or kind}: {err['msg']}")


_EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "model_type": "a mapping (key: value pairs)",
    "dict_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
    "int_type": "a whole number",
    "bool_type": "true or false",
}


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_show(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _show(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


# ---------------------------------------------------------------- across records


class Candidate(Protocol):
    """What the cross-record rules need to know about a loaded record."""

    @property
    def record(self) -> Record: ...
    @property
    def kind(self) -> RecordKind: ...
    @property
    def path(self) -> Path: ...
    @property
    def placeholders(self) -> frozenset[Loc]: ...
    def line_of(self, loc: tuple[Any, ...]) -> int: ...


class Watched(Mapping[str, Any]):
    """A read-only view of a mapping that notes every key looked up in it, and whether
    it was read as a whole (iterated, measured): what one record's checks depended on,
    so that a later load re-checks a record only when one of those changed."""

    __slots__ = ("_data", "seen", "whole")

    def __init__(self, data: Mapping[str, Any], seen: set[str] | None = None) -> None:
        self._data = data
        self.seen: set[str] = set() if seen is None else seen
        self.whole = False

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.seen.add(key)
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self.whole = True
        return iter(self._data)

    def __len__(self) -> int:
        self.whole = True
        return len(self._data)


def ids_by_kind(index: Mapping[str, Candidate]) -> dict[str, list[str]]:
    """The ids of ``index`` by kind (for "did you mean" hints)."""
    out: dict[str, list[str]] = {}
    for rid, cand in index.items():
        out.setdefault(cand.kind, []).append(rid)
    return out


def check_record(
    entry: Candidate,
    index: Mapping[str, Candidate],
    broken: Mapping[str, RecordKind],
    by_kind: Mapping[str, list[str]],
    rules: EvidenceRules,
) -> list[Problem]:
    """The claim, reference, provenance and time rules of one record (every rule but
    the order of events, which :func:`check_order` checks over all of them)."""
    problems: list[Problem] = []
    add = _adder(entry, problems)
    rec = entry.record
    _check_claims(rec, add, rules)
    _check_numbers(rec, index, add)
    _check_references(rec, index, broken, by_kind, add)
    _check_untyped_roles(rec, index, broken, add)
    _check_self_links(rec, add)
    _check_parent_chain(rec, index, add)
    if isinstance(rec, Event) and rec.status == "occurred":
        _check_time(rec, index, broken, add, entry.placeholders)
    if isinstance(rec, Event) and rec.status == "planned":
        _check_stale_plan(rec, index, add, entry.placeholders)
    if isinstance(rec, Source) and rec.published is not None and rules.today is not None:
        _check_future(rec, rules.today, add)
    if isinstance(rec, Actor):
        _check_role_dates(rec, index, add, entry.placeholders)
    return problems


class _Add(Protocol):
    def __call__(
        self,
        loc: tuple[Any, ...],
        subtype: Subtype,
        message: str,
        *,
        severity: Severity = "error",
        needle: str | None = None,
        related: Related | None = None,
    ) -> None: ...


def _adder(entry: Candidate, problems: list[Problem]) -> _Add:
    def add(
        loc: tuple[Any, ...],
        subtype: Subtype,
        message: str,
        *,
        severity: Severity = "error",
        needle: str | None = None,
        related: Related | None = None,
    ) -> None:
        if entry.placeholders and _in_placeholder(loc, entry.placeholders):
            return
        problems.append(_located(entry, loc, subtype, message, severity, needle, related))

    return add


def _located(
    entry: Candidate,
    loc: tuple[Any, ...],
    subtype: Subtype,
    message: str,
    severity: Severity = "error",
    needle: str | None = None,
    related: Related | None = None,
) -> Problem:
    """A problem at ``loc``; with ``needle``, at the span of those words in the file."""
    line = entry.line_of(loc)
    span = None
    if needle:
        try:
            text = entry.path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            text = ""
        span = locate(text, line, needle)
        if span is None and len(needle.split()) > 4:  # markup inside: its first words
            span = locate(text, line, " ".join(needle.split()[:4]))
    if span is None:
        return Problem(entry.path, line, subtype, message, severity, related=related)
    first, column, last, end = span
    return Problem(entry.path, first, subtype, message, severity, column, last, end, related)


def _in_placeholder(loc: tuple[Any, ...], placeholders: frozenset[Loc]) -> bool:
    return any(loc[: len(p)] == p for p in placeholders)


def _check_claims(rec: Record, add: _Add, rules: EvidenceRules) -> None:
    seen: dict[str, int] = {}
    supported: set[str] = set()
    for i, claim in enumerate(rec.claims):
        if claim.id in seen:
            add(
                ("claims", i, "id"),
                Subtype.DUPLICATE_CLAIM,
                f"claim id '{claim.id}' is already used by claims[{seen[claim.id]}]:"
                " claim ids must be unique in a record",
            )
        else:
            seen[claim.id] = i
        for k, name in enumerate(claim.supports):
            if name in rec.supportable:
                supported.add(name)
            elif name == "roles" and rec.record_kind == "actor":
                add(
                    ("claims", i, "supports", k),
                    Subtype.SUPPORTS,
                    "roles are backed by each role's own 'claims' list, not by supports:"
                    " remove 'roles' here and list this claim's id under the role",
                )
            else:
                add(
                    ("claims", i, "supports", k),
                    Subtype.SUPPORTS,
                    f"claim '{claim.id}' supports '{name}', which is not a field a claim can"
                    f" back in {_article(rec.record_kind)} {rec.record_kind}"
                    f"{did_you_mean(name, rec.supportable)}"
                    f" (fields: {', '.join(sorted(rec.supportable))})",
                )
        for j, cite in enumerate(claim.cites):
            words = word_count(cite.quote)
            quote_loc = ("claims", i, "cites", j, "quote")
            if words == 0:
                add(
                    quote_loc,
                    Subtype.QUOTE,
                    "quote is empty: copy the words of the source that back the claim"
                    if not cite.quote.strip()
                    else "quote has no words: copy the words of the source that back the claim",
                    needle=cite.quote,
                )
            elif words > rules.max_quote_words:
                add(
                    quote_loc,
                    Subtype.QUOTE,
                    f"quote has {words} words, more than the limit of {rules.max_quote_words}"
                    " (words joined by dashes or slashes count one by one):"
                    " shorten it to the words that back the claim",
                    needle=cite.quote,
                )
            elif words < rules.min_quote_words and not _names_what_the_claim_states(
                cite.quote, claim.text
            ):
                add(
                    quote_loc,
                    Subtype.QUOTE,
                    f"quote has {words} {'word' if words == 1 else 'words'}, fewer than the"
                    f" minimum of {rules.min_quote_words}: quote the phrase that backs the"
                    " claim (a shorter quote is allowed only for a name or number that the"
                    " claim text states too)",
                    needle=cite.quote,
                )
        if isinstance(rec, Source):
            backed = rec.self_cited.intersection(claim.supports)
            if backed and all(cite.source != rec.id for cite in claim.cites):
                add(
                    ("claims", i, "cites"),
                    Subtype.SELF_CITE,
                    f"claim '{claim.id}' backs {', '.join(sorted(backed))} of this source:"
                    f" it must cite the source itself ({rec.id})",
                )
    for name, loc in rec.required_supports():
        if name not in supported:
            add(
                loc,
                Subtype.UNSUPPORTED,
                f"'{name}' is not backed by any claim: add '{name}' to the supports of a claim"
                " whose citation states it",
            )
    roles = getattr(rec, "roles", None) or []
    for i, role in enumerate(roles):
        for k, claim_id in enumerate(role.claims):
            if claim_id not in seen:
                add(
                    ("roles", i, "claims", k),
                    Subtype.CLAIM_REFERENCE,
                    f"role '{role.title}' names claim '{claim_id}', which this record does"
                    f" not have{did_you_mean(claim_id, seen)}",
                )


def _names_what_the_claim_states(quote: str, claim_text: str) -> bool:
    """A short quote is enough when it is a name or a number that the claim states."""
    if not is_name_or_number(quote):
        return False
    needle = normalise(quote).casefold()
    return needle in normalise(plain_text_of(claim_text)).casefold()


def plain_text_of(text: str) -> str:
    """The words of a text field as a reader sees them (markup removed)."""
    from sphinx_dossier.core.text import plain_text  # text imports kinds, which imports this

    return plain_text(text)


def _own_numbers(rec: Record) -> set[str]:
    """Every number the record's own fields state (claims and ids aside): dates give
    their year, month and day, and a list its length (two parties: "the two countries")."""
    values: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, PartialDate):
            values.update(_date_parts(value))
        elif isinstance(value, str):
            values.update(n.value for n in numbers_in(plain_text_of(value)))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                if name not in ("claims", "id"):
                    walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            if value:
                values.add(str(len(value)))  # "the two countries" of two parties
            for item in value:
                walk(item)

    walk(rec)
    return values


_ROLE_SPAN = re.compile(r"\{dossier:[a-z]+\}`[^`]*`")


def _date_parts(date: PartialDate) -> set[str]:
    return {str(part) for part in (date.year, date.month, date.day) if part}


def _check_numbers(rec: Record, index: Mapping[str, Candidate], add: _Add) -> None:
    # Words inside a dossier role name a record (its title or id), not a fact of the claim.
    # A cited source's publication date counts as given: "the 13 November text says".
    own: set[str] | None = None
    for i, claim in enumerate(rec.claims):
        text = plain_text_of(_ROLE_SPAN.sub(" ", claim.text))
        stated = numbers_in(text)
        if not stated:
            continue
        if own is None:
            own = _own_numbers(rec)
        known = own | number_values(cite.quote for cite in claim.cites)
        for cite in claim.cites:
            found = index.get(cite.source)
            source = found.record if found is not None else None
            if isinstance(source, Source) and source.published is not None:
                known |= _date_parts(source.published)
        for number in stated:
            if number.value in known:
                continue
            known.add(number.value)  # one warning per number and claim
            add(
                ("claims", i, "text"),
                Subtype.UNQUOTED_NUMBER,
                f"claim '{claim.id}' states the number '{number.written}', which none of its"
                " quotes and none of the record's fields give: quote the words that give it,"
                " or leave it out",
                severity="warning",
                needle=number.written,
            )


def _check_stale_plan(
    rec: Event, index: Mapping[str, Candidate], add: _Add, placeholders: frozenset[Loc]
) -> None:
    if placeholders and _in_placeholder(("date",), placeholders):
        return
    published: list[tuple[str, PartialDate]] = []
    for claim in rec.claims:
        if not {"date", "status"}.intersection(claim.supports):
            continue
        for cite in claim.cites:
            found = index.get(cite.source)
            source = found.record if found is not None else None
            if not isinstance(source, Source) or source.published is None:
                return  # a source of unknown date may be earlier: nothing to say
            published.append((cite.source, source.published))
    if published and all(date.compare(rec.date) > 0 for _, date in published):
        shown = ", ".join(sorted({f"{sid} ({date.iso})" for sid, date in published}))
        add(
            ("status",),
            Subtype.STALE_PLAN,
            f"stale plan: the event is 'planned' for {rec.date.iso}, but every source backing"
            f" its date was published later ({shown}): did it happen? Cite the words that"
            " say so and use 'occurred' or 'reported', or say in a claim that the later"
            " source still calls it planned",
            severity="warning",
        )


def _check_future(rec: Source, today: PartialDate, add: _Add) -> None:
    published = rec.published
    if published is not None and published.compare(today) > 0:
        add(
            ("published",),
            Subtype.FUTURE_SOURCE,
            f"published {published.iso} is after today ({today.iso}): a source cannot be"
            " from the future; check the date",
        )


def _check_role_dates(
    rec: Actor, index: Mapping[str, Candidate], add: _Add, placeholders: frozenset[Loc]
) -> None:
    # A role is an observation on the date of the source that gives the title; a date
    # that matches none of the cited sources was made up or copied from elsewhere.
    for i, role in enumerate(rec.roles):
        if placeholders and _in_placeholder(("roles", i), placeholders):
            continue
        dated: list[PartialDate] = []
        for claim_id in role.claims:
            claim = rec.claim(claim_id)
            for cite in claim.cites if claim is not None else ():
                found = index.get(cite.source)
                source = found.record if found is not None else None
                if isinstance(source, Source) and source.published is not None:
                    dated.append(source.published)
        if dated and not any(d.compare(role.observed) == 0 for d in dated):
            shown = ", ".join(sorted({d.iso for d in dated}))
            add(
                ("roles", i, "observed"),
                Subtype.ROLE_DATE,
                f"role '{role.title}' is observed on {role.observed.iso}, but its claims cite"
                f" sources dated {shown}: use the date of the source that gives the title",
            )


def _check_references(
    rec: Record,
    index: Mapping[str, Candidate],
    broken: Mapping[str, RecordKind],
    ids_by_kind: Mapping[str, list[str]],
    add: _Add,
) -> None:
    for loc, target, expected in rec.references():
        found = index.get(target)
        if found is None:
            if broken.get(target) == expected:
                continue  # its own file already has an error
            hint = did_you_mean(target, ids_by_kind.get(expected, ()))
            add(
                loc,
                Subtype.REFERENCE,
                f"{describe_loc(loc)}: no {expected} with id '{target}'{hint}",
            )
        elif found.kind != expected:
            add(
                loc,
                Subtype.REFERENCE,
                f"{describe_loc(loc)}: '{target}' is {_article(found.kind)} {found.kind},"
                f" expected {_article(expected)} {expected}",
            )


_CLAIM_ROLE_RE = re.compile(r"\{dossier:claim\}`([^`]*)`")


def _check_untyped_roles(
    rec: Record,
    index: Mapping[str, Candidate],
    broken: Mapping[str, RecordKind],
    add: _Add,
) -> None:
    # Claim and record roles name a target of any kind, so they are not in references();
    # check them here so that the checker and the build agree about them.
    for i, claim in enumerate(rec.claims):
        if "{dossier:" not in claim.text:
            continue
        for match in UNTYPED_ROLE_RE.finditer(claim.text):
            target = role_target(match[2])
            record_id, _, claim_id = target.partition("#")
            loc = ("claims", i, "text")
            if match[1] == "claim" and not claim_id:
                add(
                    loc,
                    Subtype.REFERENCE,
                    f"{match[0]}: a claim reference is written record-id#claim-id",
                )
                continue
            if record_id in broken:
                continue  # its own file already has an error
            entry = index.get(record_id)
            found = rec if record_id == rec.id else (entry.record if entry else None)
            if found is None:
                add(
                    loc,
                    Subtype.REFERENCE,
                    f"{match[0]}: no record with id '{record_id}'"
                    f"{did_you_mean(record_id, index.keys())}",
                )
            elif claim_id and found.claim(claim_id) is None:
                add(
                    loc,
                    Subtype.REFERENCE,
                    f"{match[0]}: record '{record_id}' has no claim '{claim_id}'"
                    f"{did_you_mean(claim_id, [c.id for c in found.claims])}",
                )


def _check_self_links(rec: Record, add: _Add) -> None:
    for i, claim in enumerate(rec.claims):
        for match in _CLAIM_ROLE_RE.finditer(claim.text):
            if role_target(match[1]) == f"{rec.id}#{claim.id}":
                add(
                    ("claims", i, "text"),
                    Subtype.REFERENCE,
                    f"claim '{claim.id}' links to itself: a claim cannot back itself;"
                    " link another claim or remove the role",
                )


def _check_parent_chain(rec: Record, index: Mapping[str, Candidate], add: _Add) -> None:
    parent = getattr(rec, "parent", None)
    chain = [rec.id]
    while isinstance(parent, str) and parent not in chain:
        chain.append(parent)
        found = index.get(parent)
        parent = getattr(found.record, "parent", None) if found is not None else None
    if parent == rec.id:
        add(
            ("parent",),
            Subtype.REFERENCE,
            f"parent: the parent chain loops back to '{rec.id}' ({' -> '.join([*chain, rec.id])}):"
            " an actor cannot be part of itself",
        )


def check_order(
    entries: Iterable[Candidate], index: Mapping[str, Candidate], problems: list[Problem]
) -> None:
    """``after`` links between events: none to itself, no loops, none against the dates."""
    # ``after`` links between events: none to itself, no loops, none against the dates.
    events = {rid: c.record for rid, c in index.items() if isinstance(c.record, Event)}
    checked = {e.record.id: e for e in entries if isinstance(e.record, Event)}
    adders = {rid: _adder(entry, problems) for rid, entry in checked.items()}
    for rid, add in adders.items():
        for i, target in enumerate(checked[rid].record.after):  # type: ignore[attr-defined]
            if target == rid:
                add(
                    ("after", i),
                    Subtype.REFERENCE,
                    f"after[{i}]: an event cannot be after itself; remove '{rid}'",
                )
    links = {rid: [t for t in ev.after if t in events] for rid, ev in events.items()}
    looping: set[str] = set()
    for cycle in find_cycles(links):
        looping.update(cycle)
        start, nxt = cycle[0], cycle[1 % len(cycle)]
        if start in adders:
            shown = " -> ".join([*cycle, start])
            adders[start](
                ("after", events[start].after.index(nxt)),
                Subtype.ORDER_CYCLE,
                f"after: the order loops ({shown}, each 'after' the next):"
                " remove the link that no source states",
            )
    # Earliest date each event can have, given what it is after (transitively); a link
    # that contradicts the dates is reported once, and the bound is not carried past it.
    earliest: dict[str, tuple[Any, str]] = {}
    pending = {rid: [t for t in targets if t != rid] for rid, targets in links.items()}
    for rid in _acyclic_order(pending, looping):
        event = events[rid]
        own = (event.date.to_date(), rid)
        bound = own
        last = latest_date(event)
        for i, target in enumerate(event.after):
            if target not in earliest or target == rid:
                continue
            found = earliest[target]
            if found[0] > last:
                if rid in adders:
                    via = f" (through '{target}')" if found[1] != target else ""
                    origin = events[found[1]]
                    adders[rid](
                        ("after", i),
                        Subtype.ORDER_DATE,
                        f"after[{i}]: '{rid}' ({event.date.iso}) cannot be after '{found[1]}'"
                        f"{via}, dated {origin.date.iso}, later than '{rid}' can be:"
                        " fix a date or remove the link",
                    )
                continue
            bound = max(bound, found)
        earliest[rid] = bound


def _acyclic_order(links: Mapping[str, list[str]], looping: set[str]) -> list[str]:
    """Ids not in a loop, each after every id it links to (links into loops are ignored)."""
    order: list[str] = []
    state: dict[str, int] = {}
    for root in sorted(links):
        if root in looping or root in state:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while work:
            node, i = work.pop()
            targets = links[node]
            if i < len(targets):
                work.append((node, i + 1))
                target = targets[i]
                if target not in looping and target not in state:
                    state[target] = 1
                    work.append((target, 0))
                continue
            state[node] = 2
            order.append(node)
    return order


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _check_time(
    rec: Event,
    index: Mapping[str, Candidate],
    broken: Mapping[str, RecordKind],
    add: _Add,
    placeholders: frozenset[Loc] = frozenset(),
) -> None:
    if placeholders and _in_placeholder(("date",), placeholders):
        return  # the date itself is wrong and reported
    latest: list[str] = []
    dating = [
        c
        for i, c in enumerate(rec.claims)
        if {"date", "status"}.intersection(c.supports)
        and not (placeholders and _in_placeholder(("claims", i, "cites"), placeholders))
    ]
    if not dating:
        return  # reported as an unsupported date instead
    for claim in dating:
        for cite in claim.cites:
            if cite.source in broken:
                return  # that source has its own error; its date is unknown
            found = index.get(cite.source)
            if found is None or not isinstance(found.record, Source):
                continue
            published = found.record.published
            if published is None:
                latest.append(f"{cite.source} (no date)")
                continue
            if published.on_or_after(rec.date):
                return
            latest.append(f"{cite.source} ({published.iso})")
    cited = f"; cited: {', '.join(sorted(set(latest)))}" if latest else ""
    add(
        ("status",),
        Subtype.TIME,
        f"status is 'occurred' but no claim supporting the date cites a source published on"
        f" or after {rec.date.iso}{cited}: cite a later source, or use status 'planned'",
    )


# ---------------------------------------------------------------- corpus


class CorpusCheck:
    """The corpus rules, in the parts a load can run for some records only: the sources'
    documents (always, for all: cheap, and every quote depends on them), the quotes of
    one record, the copied phrases of some records."""

    def __init__(self, corpus: Corpus, rules: EvidenceRules | None = None) -> None:
        self.corpus = corpus
        self.rules = rules or EvidenceRules()
        self.report = CorpusReport(directory=corpus.directory)
        self.documents: dict[str, CorpusDocument | None] = {}
        self.drifted: set[str] = set()
        #: The window index of the corpus from an earlier load (used when made of the
        #: same texts), or the one :meth:`paraphrases` made when ``index_windows``.
        self.windows: WindowIndex | None = None
        self.index_windows = False

    def sources(self, entries: Iterable[Candidate]) -> list[Problem]:
        """Each source's document exists and matches its digest."""
        problems: list[Problem] = []
        corpus, report = self.corpus, self.report
        for entry in entries:
            rec = entry.record
            if not isinstance(rec, Source):
                continue
            if entry.placeholders and _in_placeholder(("document",), entry.placeholders):
                self.documents[rec.id] = None  # the bad name is reported already; '?' is no file
                continue
            doc = corpus.document(rec.document)
            self.documents[rec.id] = doc
            if doc is None:
                report.missing.append(rec.id)
                outside = corpus.outside.get(rec.document)
                message = (
                    f"document '{rec.document}' leads outside the corpus directory (to {outside}):"
                    " only texts inside it count; put the text itself there"
                    if outside is not None
                    else f"document '{rec.document}' is not in the corpus directory"
                    f" {corpus.directory}"
                )
                problems.append(
                    Problem(entry.path, entry.line_of(("document",)), Subtype.CORPUS, message)
                )
                continue
            report.documents += 1
            if doc.sha256 != rec.sha256 and not _in_placeholder(("sha256",), entry.placeholders):
                self.drifted.add(rec.id)
                problems.append(
                    Problem(
                        entry.path,
                        entry.line_of(("sha256",)),
                        Subtype.CORPUS_HASH,
                        f"sha256 does not match '{rec.document}' (it is {doc.sha256}):"
                        " the text changed, or the wrong file is named; each citation's"
                        " 'source-drift' note says whether its quote survived, and"
                        f" 'sphinx-dossier corpus accept {rec.id}' takes the new fingerprint",
                    )
                )
        return problems

    def quotes(
        self, entry: Candidate, index: Mapping[str, Candidate]
    ) -> tuple[list[Problem], int, int]:
        """One record's quotes checked in their documents: the problems, how many quotes
        have a readable document, and how many of those were found."""
        problems: list[Problem] = []
        total = verified = 0
        documents = self.documents
        for i, claim in enumerate(entry.record.claims):
            for j, cite in enumerate(claim.cites):
                target = index.get(cite.source)
                if target is None or not isinstance(target.record, Source):
                    continue
                total += 1
                if cite.source not in documents:
                    documents[cite.source] = self.corpus.document(target.record.document)
                doc = documents[cite.source]
                if doc is None or not cite.quote.strip():
                    continue
                quote_loc = ("claims", i, "cites", j, "quote")
                if entry.placeholders and _in_placeholder(quote_loc, entry.placeholders):
                    continue
                verdict = quote_verdict(doc, cite.quote, corpus_name(target.record))
                if verdict.found:
                    verified += 1
                drifted = self.drifted
                problems.extend(
                    _quote_problems(entry, quote_loc, cite.source, cite.quote, verdict, drifted)
                )
        return problems, total, verified

    def paraphrases(self, entries: Iterable[Candidate]) -> list[Problem]:
        """Runs of words that these records' prose copies from any source (one pass over
        the corpus for all of them)."""
        if self.rules.paraphrase_words <= 0:
            return []
        documents = {name: doc for name, doc in self.documents.items() if doc is not None}
        size = self.rules.paraphrase_words
        if self.windows is not None and self.windows.key != WindowIndex.key_of(documents, size):
            self.windows = None  # made of other texts, or for another window size
        fields = [
            (entry, loc, what, outside_quotes(normalise(plain_text_of(value))))
            for entry in entries
            for loc, what, value in _prose_fields(entry.record)
        ]
        if not fields:
            return []
        if self.windows is None and self.index_windows:
            self.windows = WindowIndex(documents, size)
        phrases = PhraseIndex(documents, size, self.windows)
        found = phrases.runs_many([text for *_rest, text in fields])
        return [
            _paraphrase_problem(entry, loc, what, runs, phrases)
            for (entry, loc, what, _text), runs in zip(fields, found, strict=True)
            if runs
        ]


def corpus_name(source: Record) -> str:
    """The corpus file name of a source record (for messages)."""
    return str(getattr(source, "document", ""))


@dataclass(frozen=True, slots=True)
class QuoteVerdict:
    """Where a quote is in its document, or the passage closest to it."""

    document: CorpusDocument
    name: str
    lines: tuple[int, ...]
    """Lines of the corpus file where the quote occurs (empty: not found)."""
    hint: str = ""
    """For a quote not found: the closest passage and the differences."""
    hint_line: int | None = None

    @property
    def found(self) -> bool:
        return bool(self.lines)


def quote_verdict(doc: CorpusDocument, quote: str, name: str) -> QuoteVerdict:
    """Find ``quote`` in ``doc`` on word boundaries; else say what is closest."""
    offsets = doc.occurrences(quote, limit=2)
    if len(offsets) > 1:  # ambiguous (rare): every occurrence, for the note
        offsets = doc.occurrences(quote)
    if offsets:
        return QuoteVerdict(doc, name, tuple(doc.line_at(o) for o in offsets))
    needle = normalise(quote)
    inside = doc.text.find(needle) if needle else -1
    if inside >= 0:
        lo = inside
        hi = inside + len(needle)
        while lo > 0 and doc.text[lo - 1].isalnum():
            lo -= 1
        while hi < len(doc.text) and doc.text[hi].isalnum():
            hi += 1
        line = doc.line_at(inside)
        return QuoteVerdict(
            doc,
            name,
            (),
            f"it occurs only inside longer words, at line {line} of {name}:"
            f" '{doc.text[lo:hi]}'; quote whole words",
            line,
        )
    passage = closest_passage(doc, quote)
    if passage is None:
        return QuoteVerdict(doc, name, (), "nothing in it is close; is it the right source?", None)
    return QuoteVerdict(
        doc,
        name,
        (),
        f'closest passage, line {passage.line} of {name}: "{passage.text}"'
        f" (differs: {char_diff(quote, passage.text)}); copy that passage",
        passage.line,
    )


def _quote_problems(
    entry: Candidate,
    loc: tuple[Any, ...],
    source_id: str,
    quote: str,
    verdict: QuoteVerdict,
    drifted: set[str],
) -> Iterator[Problem]:
    name = verdict.name
    doc_path = verdict.document.path
    if source_id in drifted:
        if verdict.found:
            lines = ", ".join(map(str, dict.fromkeys(verdict.lines)))
            yield _located(
                entry,
                loc,
                Subtype.SOURCE_DRIFT,
                f"{source_id} changed ({name} has a new sha256): this quote is still found,"
                f" at line {lines}",
                "info",
                quote,
                Related(doc_path, verdict.lines[0], "the quote in the new text"),
            )
            return
        state = "changed" if verdict.hint_line is not None else "lost"
        yield _located(
            entry,
            loc,
            Subtype.SOURCE_DRIFT,
            f"{source_id} changed ({name} has a new sha256) and this quote is {state}:"
            f" {verdict.hint}",
            "error",
            quote,
            Related(doc_path, verdict.hint_line, "closest passage")
            if verdict.hint_line is not None
            else None,
        )
        return
    if not verdict.found:
        yield _located(
            entry,
            loc,
            Subtype.QUOTE_NOT_FOUND,
            f"quote not found in {source_id} ({name}): {verdict.hint}",
            "error",
            quote,
            Related(doc_path, verdict.hint_line, "closest passage")
            if verdict.hint_line is not None
            else None,
        )
    elif len(verdict.lines) > 1:
        lines = ", ".join(map(str, dict.fromkeys(verdict.lines)))
        yield _located(
            entry,
            loc,
            Subtype.QUOTE_AMBIGUOUS,
            f"quote occurs {len(verdict.lines)} times in {source_id} ({name}), at lines"
            f" {lines}: a longer quote would say which passage backs the claim",
            "info",
            quote,
            Related(doc_path, verdict.lines[0], "first occurrence"),
        )


def _prose_fields(rec: Record) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """``(location, what, text)`` of every field written in our own words: claim texts,
    dispute notes, citation notes, an event's title and place, a source's notes (not
    its title: a headline is the source's own words)."""
    for i, claim in enumerate(rec.claims):
        yield ("claims", i, "text"), f"claim '{claim.id}'", claim.text
        if claim.disputed:
            yield (
                ("claims", i, "disputed"),
                f"the dispute note of claim '{claim.id}'",
                claim.disputed,
            )
        for j, cite in enumerate(claim.cites):
            if cite.note:
                yield (
                    ("claims", i, "cites", j, "note"),
                    f"a citation note of claim '{claim.id}'",
                    cite.note,
                )
    if isinstance(rec, Event):
        yield ("title",), "the title", rec.title
        if rec.location:
            yield ("location",), "the location", rec.location
    if isinstance(rec, Source):
        if rec.publisher.note:
            yield ("publisher", "note"), "the publisher note", rec.publisher.note
        if rec.published_note:
            yield ("published_note",), "published_note", rec.published_note


def _paraphrase_problem(
    entry: Candidate,
    loc: tuple[Any, ...],
    what: str,
    runs: list[Any],
    phrases: PhraseIndex,
) -> Problem:
    run = runs[0]
    doc = phrases.documents[run.source]  # the index is keyed by source id
    more = f" (and {len(runs) - 1} more)" if len(runs) > 1 else ""
    return _located(
        entry,
        loc,
        Subtype.CLOSE_PARAPHRASE,
        f"{what} repeats {run.length} consecutive words of {run.source}"
        f' (line {run.line} of {doc.path.name}){more}: "{run.text}"; say it in our own'
        " words, or quote the source",
        "warning",
        run.text,
        Related(doc.path, run.line, "the same words in the source"),
    )
