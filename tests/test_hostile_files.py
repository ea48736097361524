"""Hostile or unlucky files on disk (issue: faults): links, odd suffixes, empty folders.

Every record file that exists is either read or reported, links never lead the loader
(or the build's cache fingerprint) out of its folder or round in a loop, and only texts
inside the corpus verify quotes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dossier_factory import CORPUS_NAME, CORPUS_SHA, Fixture, errors, where
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.yamlload import load_yaml_bytes
from sphinx_dossier.sphinx_ext import cache
from sphinx_support import copy_root


def _sphinx(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """An HTML build in a subprocess, with a time limit (a hang fails, not blocks)."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["x.YAML", "x.Yaml", "x.yml"])
def test_a_record_with_another_suffix_is_reported(dossier: Fixture, name: str) -> None:
    (dossier.data / "events" / name).write_text("id: x\n", encoding="utf-8")
    found = [where(p) for p in errors(dossier.load())]
    assert found == [(name, None, "layout")]


@pytest.mark.parametrize("kind", ["dangling", "self", "outside"])
def test_a_linked_record_is_reported_not_followed(
    dossier: Fixture, tmp_path: Path, kind: str
) -> None:
    link = dossier.data / "actors" / "linked.yaml"
    if kind == "dangling":
        link.symlink_to(tmp_path / "nowhere.yaml")
    elif kind == "self":
        link.symlink_to(link)
    else:
        outside = tmp_path / "elsewhere.yaml"
        outside.write_text("id: linked\nname: Linked\nkind: state\nclaims: []\n")
        link.symlink_to(outside)
    ds = dossier.load()
    problems = errors(ds)
    assert [where(p) for p in problems] == [("linked.yaml", None, "layout")]
    assert "symbolic link" in problems[0].message
    assert "linked" not in ds.records


def test_an_empty_data_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    ds = Dataset.load(tmp_path / "data")
    warned = [p for p in ds.problems if p.subtype == "no-records"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert "is this the data directory?" in warned[0].message
    assert ds.ok  # a warning, not invalid data


def test_a_corpus_link_out_of_the_corpus_verifies_nothing(dossier: Fixture, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes((dossier.corpus / CORPUS_NAME).read_bytes())
    (dossier.corpus / CORPUS_NAME).unlink()
    (dossier.corpus / CORPUS_NAME).symlink_to(outside)
    problems = errors(dossier.load())
    assert [p.subtype for p in problems] == ["corpus"]
    assert "leads outside the corpus directory" in problems[0].message
    assert hashlib.sha256(outside.read_bytes()).hexdigest() == CORPUS_SHA  # digest matched


def test_the_fingerprint_walk_does_not_follow_linked_folders(tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "a.yaml").write_text("id: a\n")
    os.symlink("..", tmp_path / "events" / "up")
    os.symlink("..", tmp_path / "events" / "up2")
    assert [name for name, _ in cache.walk_files(str(tmp_path), "")] == ["events/a.yaml"]


def test_the_build_finishes_with_folder_links_that_loop(tmp_path: Path) -> None:
    src = copy_root("three-records", tmp_path / "src")
    os.symlink("..", src / "data" / "events" / "up")
    os.symlink("..", src / "data" / "events" / "up2")
    os.symlink("..", src / "corpus" / "up")
    run = _sphinx(src, tmp_path / "out")  # before the fix this never finished
    layout = [line for line in run.stderr.splitlines() if "[dossier.layout]" in line]
    assert len(layout) == 2, run.stderr


def test_a_corpus_edit_that_keeps_size_and_mtime_is_seen(tmp_path: Path) -> None:
    src = copy_root("three-records", tmp_path / "src")
    out = tmp_path / "out"
    first = _sphinx(src, out)
    assert first.returncode == 0, first.stderr
    text = src / "corpus" / "gazette.txt"
    before = text.stat()
    text.write_text(text.read_text().replace("Sunday", "Monday"), encoding="utf-8")
    os.utime(text, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert text.stat().st_size == before.st_size
    second = _sphinx(src, out)
    assert "[dossier.corpus-hash]" in second.stderr, second.stderr


@pytest.mark.parametrize(
    "text, code",
    [
        (b'title: "Harbour\\atreaty"\n', "U+0007"),
        (b'title: "x\\0y"\n', "U+0000"),
        (b'title: "next\\x85line"\n', "U+0085"),
        ("title: abc\u202edef\n".encode(), "U+202E"),
        ("title: abc\u2066def\n".encode(), "U+2066"),
        (b'"ke\\ay": 1\n', "U+0007"),
    ],
)
@pytest.mark.parametrize("track_lines", [True, False])
def test_control_and_bidi_characters_are_rejected_however_written(
    tmp_path: Path, text: bytes, code: str, track_lines: bool
) -> None:
    doc = load_yaml_bytes(b"id: x\n" + text, tmp_path / "x.yaml", track_lines=track_lines)
    assert [(p.line, p.subtype) for p in doc.problems] == [(2, "yaml-syntax")]
    assert f"character {code} is not allowed" in doc.problems[0].message


def test_tabs_and_newlines_in_text_stay_allowed(tmp_path: Path) -> None:
    doc = load_yaml_bytes(b'text: "a\\tb\\nc"\n', tmp_path / "x.yaml")
    assert doc.problems == [] and doc.data == {"text": "a\tb\nc"}


def test_build_messages_name_the_linked_path_and_never_print_a_double_colon(
    tmp_path: Path,
) -> None:
    src = copy_root("three-records", tmp_path / "src")
    real = tmp_path / "real-data"
    (src / "data").rename(real)
    (src / "data").symlink_to(real)
    (real / "events" / "stray.yml").write_text("id: stray\n")
    event = real / "events" / "talks-resume-2020.yaml"
    event.write_text(event.read_text().replace("[northland]", "[northland, nowhere]"))
    run = _sphinx(src, tmp_path / "out")
    warnings = [line for line in run.stderr.splitlines() if "[dossier." in line]
    assert any("stray.yml" in line for line in warnings), run.stderr
    assert any("talks-resume-2020.yaml:6:" in line for line in warnings), run.stderr
    assert not any("::" in line for line in warnings), run.stderr
    assert not any("real-data" in line for line in warnings), run.stderr
    assert all(str(src / "data") in line for line in warnings), run.stderr


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("id: x\n".encode("utf-16-le"), "file is not UTF-8 (it looks like UTF-16)"),
        ("id: x\n".encode("utf-16-be"), "file is not UTF-8 (it looks like UTF-16)"),
        ("id: x\n".encode("utf-32"), "file is not UTF-8 (it looks like UTF-32)"),
        ("id: x\n".encode("utf-32-le"), "file is not UTF-8 (it looks like UTF-32)"),
        (b"\xef\xbb\xbf\xef\xbb\xbfid: x\n", "two byte order marks"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-bom", "utf-32-le", "double-bom"],
)
def test_encodings_are_named_for_what_they_are(tmp_path: Path, raw: bytes, expected: str) -> None:
    doc = load_yaml_bytes(raw, tmp_path / "x.yaml")
    assert [(p.line, p.subtype) for p in doc.problems] == [(1, "encoding")]
    assert expected in doc.problems[0].message


def test_a_colon_date_is_text_not_a_base_60_number(dossier: Fixture) -> None:
    dossier.edit("event", "pact-kept-2019", "date: 2019-11-22", "date: 2020:03:01")
    problems = errors(dossier.load())
    assert [p.subtype for p in problems] == ["date"], [str(p) for p in problems]
    assert "7272181" not in problems[0].message
    assert "2020:03:01" in problems[0].message


def test_cr_only_line_endings_are_read_like_any_other(dossier: Fixture) -> None:
    path = dossier.path("actor", "japan")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert errors(dossier.load()) == []


def test_an_overlong_id_says_how_long_it_may_be(dossier: Fixture) -> None:
    rid = "a" * 81
    dossier.write("actor", rid, f"id: {rid}\nname: Long\nkind: state\nclaims: []\n")
    messages = [p.message for p in errors(dossier.load())]
    assert messages and all("at most 80" in m for m in messages), messages
    assert not any("lowercase" in m for m in messages), messages


def test_a_duplicate_id_is_reported_on_the_misnamed_file(dossier: Fixture) -> None:
    right = dossier.path("actor", "japan")
    wrong = right.with_name("Japan.yaml")
    wrong.write_bytes(right.read_bytes())
    found = [where(p) for p in errors(dossier.load())]
    assert not any(name == "japan.yaml" for name, _, _ in found), found
    assert all(name == "Japan.yaml" for name, _, _ in found), found
    assert any(subtype == "duplicate-id" for _, _, subtype in found), found


def test_a_record_named_like_a_sphinx_page_is_told_so(tmp_path: Path) -> None:
    src = copy_root("three-records", tmp_path / "src")
    (src / "conf.py").write_text((src / "conf.py").read_text() + "dossier_std_labels = True\n")
    actor = src / "data" / "actors" / "northland.yaml"
    actor.write_text(actor.read_text().replace("id: northland", "id: genindex"))
    actor.rename(actor.with_name("genindex.yaml"))
    event = src / "data" / "events" / "talks-resume-2020.yaml"
    event.write_text(event.read_text().replace("northland", "genindex"))
    run = _sphinx(src, tmp_path / "out")
    clash = [line for line in run.stderr.splitlines() if "[dossier.label-clash]" in line]
    assert len(clash) == 1, run.stderr
    assert "Sphinx's own page 'genindex'" in clash[0]
    assert "genindex.rst" not in clash[0]


@pytest.mark.parametrize(
    "text, line, says",
    [
        ("id: x\nactors: [a, b\ntitle: x\nkind: y\n", 2, "'[' opened on this line is never closed"),
        ("id: x\nm: {a: 1\nt: 2\n", 2, "'{' opened on this line is never closed"),
        ("id: x\nactors: [a, ']', b\ntags: [c]\nt: 1\n", 2, "'[' opened on this line"),
    ],
)
def test_an_unclosed_bracket_is_reported_where_it_opens(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    doc = load_yaml_bytes(text.encode(), tmp_path / "x.yaml")
    assert [(p.line, p.subtype) for p in doc.problems] == [(line, "yaml-syntax")]
    assert says in doc.problems[0].message
    assert "noticed at line" in doc.problems[0].message


def test_a_mistake_inside_a_closed_list_is_not_called_unclosed(tmp_path: Path) -> None:
    doc = load_yaml_bytes(b'id: x\nactors: [a,\n  "b" c]\nt: 1\n', tmp_path / "x.yaml")
    assert [(p.line, p.subtype) for p in doc.problems] == [(3, "yaml-syntax")]
    assert "never closed" not in doc.problems[0].message
