"""Each catalogue case gives the same problems at the same file:line in checker and build.

The cases are in tests/catalogue/ (see tests/catalogue_support.py for the layout).
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import catalogue_support as cat
import pytest
import yaml
from sphinx_dossier.core import yamlload
from sphinx_dossier.core.dataset import Dataset

CASES = cat.cases()


@pytest.mark.parametrize("case", CASES)
def test_checker_reports_the_expected_problems(case: str, tmp_path: Path) -> None:
    root = cat.make_root(case, tmp_path / "root")
    result = cat.run_cli(root)
    assert "Traceback" not in result.output
    if cat.REGEN:
        cat.write_expected(case, result.problems)
    assert result.problems == cat.expected(case), result.output
    assert result.status == (1 if result.problems else 0), result.output


#: Cases also built with the HTML writer; the others use Sphinx's ``dummy`` builder, which
#: runs every stage that can warn (reading, directives, post-transforms, reference
#: resolution) but writes no files, at half the cost.
HTML_CASES = (
    "bom-utf8-accepted",
    "claim-cites-itself",
    "dangling-claim-role",
    "dangling-role-in-text",
    "duplicate-id-across-kinds",
    "parent-cycle",
)
BUILDS = [(case, "dummy") for case in CASES] + [(case, "html") for case in HTML_CASES]


@pytest.mark.sphinx
@pytest.mark.parametrize(("case", "builder"), BUILDS)
def test_build_reports_the_same_problems(case: str, builder: str, tmp_path: Path) -> None:
    root = cat.make_root(case, tmp_path / "root")
    result = cat.run_sphinx(root, builder)
    assert "Traceback" not in result.warnings
    # Same file, line, subtype and message as the checker: one set of rules, two front ends.
    assert result.problems == cat.expected(case, build=True), result.warnings
    assert result.other == [], result.warnings
    assert result.status == (1 if result.problems else 0)  # -W: a warning fails the build
    if builder == "html" and not result.problems:  # an accepted case builds its page
        assert (result.outdir / "records" / "events" / "x.html").is_file()


def test_every_case_says_what_it_is() -> None:
    for case in CASES:
        assert (cat.CATALOGUE / case / "README").read_text(encoding="utf-8").strip(), case
        assert (cat.CATALOGUE / case / "expected.txt").is_file(), case


def test_cases_cover_every_error_subtype_the_data_can_trigger() -> None:
    covered = {found[2] for case in CASES for found in cat.expected(case)}
    # 'io' (an unreadable data directory) is a usage error of the command line.
    assert {
        "alias", "corpus", "corpus-hash", "date", "duplicate-claim", "duplicate-id",
        "duplicate-key", "empty", "encoding", "id", "id-mismatch", "layout",
        "missing-field", "multiple-documents", "not-mapping", "quote", "quote-not-found",
        "reference", "schema-comment", "tag", "time", "too-deep", "too-large", "type",
        "uncited", "unknown-key", "unsupported", "yaml-syntax",
    } <= covered  # fmt: skip


class _CountingLoader(yamlload._Loader):  # type: ignore[misc,valid-type]
    """The loader the checker uses, counting the parser events it hands out."""

    events = 0

    def get_event(self) -> object:
        _CountingLoader.events += 1
        return super().get_event()


def test_alias_bomb_is_refused_in_bounded_memory_and_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = cat.make_root("billion-laughs", tmp_path / "root")
    monkeypatch.setattr(yamlload, "_Loader", _CountingLoader)
    _CountingLoader.events = 0
    tracemalloc.start()
    try:
        ds = Dataset.load(root / "data", corpus_dir=root / "corpus")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    subtypes = {p.subtype for p in ds.problems if p.path.name == "x.yaml"}
    # The top-level keys of the bomb are not event fields, so those are named too.
    assert subtypes == {"alias", "unknown-key", "missing-field"}
    assert "x" not in ds.records
    # Expanded, the file is 10^9 strings; refused from parser events it costs what it reads.
    bomb = yaml.CSafeLoader((root / "data/events/x.yaml").read_text(encoding="utf-8"))
    file_events = 0
    while bomb.check_event():
        bomb.get_event()
        file_events += 1
    bomb.dispose()
    assert file_events < 200
    _CountingLoader.events = 0
    yamlload.load_yaml_file(root / "data/events/x.yaml")
    assert _CountingLoader.events <= file_events
    assert peak < 5 * 1024 * 1024


def test_deep_nesting_stops_after_a_bounded_number_of_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    monkeypatch.setattr(yamlload, "_Loader", _CountingLoader)
    _CountingLoader.events = 0
    doc = yamlload.load_yaml_file(path)
    assert [(p.line, p.subtype) for p in doc.problems] == [(1, "too-deep")]
    # libyaml slows down with the depth still to come: the loader must stop, not skip.
    assert _CountingLoader.events <= yamlload.MAX_DEPTH + 10


def test_large_file_is_not_read_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    tracemalloc.start()
    try:
        doc = yamlload.load_yaml_file(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.subtype for p in doc.problems] == ["too-large"]
    assert peak < 3 * yamlload.MAX_FILE_BYTES


def test_unreadable_corpus_file(tmp_path: Path) -> None:
    """chmod 000 on a corpus file: unreadable for users, but root reads it anyway.

    The catalogue case 'corpus-file-unreadable' puts a directory in place of the file,
    which nobody can read as a file; this test covers the permission bits themselves.
    """
    root = cat.make_root("corpus-file-unreadable", tmp_path / "root")
    (root / "corpus" / "unreadable.txt").rmdir()
    target = root / "corpus" / "unreadable.txt"
    target.write_bytes((root / "corpus" / "gazette.txt").read_bytes())
    target.chmod(0)
    try:
        ds = Dataset.load(root / "data", corpus_dir=root / "corpus")
    finally:
        target.chmod(0o644)
    problems = [(p.path.name, p.line, p.subtype) for p in ds.errors]
    if os.geteuid() == 0:
        assert problems == []  # root: the file is read and verified
    else:
        assert problems == [("extra-2020.yaml", 6, "corpus")]
