"""Property tests: whatever the input, loader and model report dossier problems and never raise."""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import yaml
from dossier_factory import FILES, header, make_fixture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.diagnostics import Problem, Subtype
from sphinx_dossier.core.kinds import KINDS
from sphinx_dossier.core.validate import validate_record
from sphinx_dossier.core.yamlload import load_yaml_bytes

SUBTYPES = {s.value for s in Subtype}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Whole-dataset runs write files: fewer examples keep the suite quick.
FUZZ_DATASET = settings(FUZZ, max_examples=40)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["2019-02-30", "2016", "2016-11", "occurred", "state", "south-korea", ""]),
)
keys = st.one_of(
    st.sampled_from(
        ["id", "title", "name", "kind", "date", "status", "claims", "cites", "source", "quote",
         "supports", "actors", "parties", "publisher", "published", "roles", "value", "basis"]
    ),
    st.text(max_size=12),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)

# YAML-shaped text: fragments that exercise indentation, flow style, tags, anchors, quotes.
fragments = st.sampled_from(
    ["id: x\n", "  - a\n", "- b\n", "key: [1, 2\n", "k: {a: 1}\n", "&a x\n", "*a\n", "!!str y\n",
     "!t z\n", "? [k]\n: v\n", "'quoted\n", '"esc \\x\n', "---\n", "...\n", "\t", ":", "#c\n",
     "date: 2019-02-30\n", "claims:\n", "    cites:\n", "|\n  block\n", ">-\n", "%YAML 1.1\n",
     "a: b: c\n", "\ufeff", "\x00", "\u00a0", "<<: {a: 1}\n", "0x1F\n", "1:2:3\n"]
)  # fmt: skip
yaml_like = st.lists(st.one_of(fragments, st.text(max_size=8)), max_size=20).map("".join)


def assert_dossier_problems(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.subtype in SUBTYPES
        assert problem.message
        assert problem.line is None or problem.line >= 1


@FUZZ
@given(st.one_of(st.text(max_size=300), yaml_like))
def test_loader_accepts_or_reports_any_text(text: str) -> None:
    doc = load_yaml_bytes(text.encode("utf-8", errors="surrogatepass"), Path("f.yaml"))
    assert_dossier_problems(doc.problems)


def _same_without_lines(raw: bytes) -> None:
    """Loading without the line map (the checker's fast path) gives the same result.

    A file with problems is loaded again with lines (their messages may name other
    lines), so there only the verdict has to agree.
    """
    full = load_yaml_bytes(raw, Path("f.yaml"))
    fast = load_yaml_bytes(raw, Path("f.yaml"), track_lines=False)
    assert [p.subtype for p in fast.problems] == [p.subtype for p in full.problems]
    if full.problems:
        return
    assert fast.line_of(()) == full.line_of(())  # where a "not a mapping" error goes
    # == alone would take 1 for True and 1.0 for 1: compare the types too.
    assert repr(fast.data) == repr(full.data)
    assert fast.data == full.data


@FUZZ
@given(st.one_of(st.text(max_size=300), yaml_like))
def test_fast_path_agrees_with_the_full_loader_on_any_text(text: str) -> None:
    _same_without_lines(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.dictionaries(keys, values, max_size=6), st.booleans())
def test_fast_path_agrees_with_the_full_loader_on_any_value(data: Any, flow: bool) -> None:
    _same_without_lines(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True).encode())


@FUZZ
@given(st.binary(max_size=300))
def test_loader_accepts_or_reports_any_bytes(raw: bytes) -> None:
    doc = load_yaml_bytes(raw, Path("f.yaml"))
    assert_dossier_problems(doc.problems)


@FUZZ
@given(st.sampled_from(KINDS), values)
def test_model_reports_problems_for_any_value(kind: Any, data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    doc = load_yaml_bytes(text.encode(), Path("f.yaml"))
    assert_dossier_problems(doc.problems)
    if isinstance(doc.data, dict):
        result = validate_record(kind, doc.data, doc.lines, Path("f.yaml"))
        assert_dossier_problems(result.problems)
        assert (result.record is None) == bool(result.problems)


@FUZZ_DATASET
@given(st.sampled_from(sorted(FILES)), st.dictionaries(keys, values, max_size=4))
def test_mutated_valid_records_never_crash_the_dataset(key: tuple[str, str], changes: Any) -> None:
    kind, rid = key
    data = yaml.safe_load(FILES[key])
    data.update(changes)
    with tempfile.TemporaryDirectory() as tmp:
        fixture = make_fixture(Path(tmp))
        path = fixture.path(kind, rid)
        path.write_text(header(kind) + yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        ds = Dataset.load(fixture.data, corpus_dir=fixture.corpus)
    assert_dossier_problems(ds.problems)
    assert ds.ok == (not [p for p in ds.problems if p.is_error])


@FUZZ_DATASET
@given(yaml_like, st.booleans())
def test_any_record_file_text_never_crashes_the_dataset(text: str, eager: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fixture = make_fixture(Path(tmp))
        fixture.path("event", "pact-kept-2019").write_text(
            header("event") + textwrap.dedent(text), encoding="utf-8", errors="surrogatepass"
        )
        ds = Dataset.load(fixture.data, corpus_dir=fixture.corpus, eager_lines=eager)
    assert_dossier_problems(ds.problems)


def _locations(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [loc]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _locations(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _locations(value, (*loc, index))
    return found


@FUZZ_DATASET
@given(st.sampled_from(sorted(FILES)), st.data())
def test_any_nested_value_replaced_never_crashes_the_dataset(
    key: tuple[str, str], draw: st.DataObject
) -> None:
    kind, rid = key
    data = yaml.safe_load(FILES[key])
    loc = draw.draw(st.sampled_from(_locations(data)[1:]))
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    if draw.draw(st.booleans()) and isinstance(parent, dict):
        del parent[loc[-1]]
    else:
        parent[loc[-1]] = draw.draw(values)
    with tempfile.TemporaryDirectory() as tmp:
        fixture = make_fixture(Path(tmp))
        path = fixture.path(kind, rid)
        path.write_text(header(kind) + yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        ds = Dataset.load(fixture.data, corpus_dir=fixture.corpus)
    assert_dossier_problems(ds.problems)
