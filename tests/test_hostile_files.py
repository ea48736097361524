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
from sphinx_dossier import loading
from sphinx_dossier.dataset import Dataset
from sphinx_dossier.yamlload import load_yaml_bytes
from sphinx_support import copy_root


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
    assert [name for name, _ in loading.walk_files(str(tmp_path), "")] == ["events/a.yaml"]


def test_the_build_finishes_with_folder_links_that_loop(tmp_path: Path) -> None:
    src = copy_root("three-records", tmp_path / "src")
    os.symlink("..", src / "data" / "events" / "up")
    os.symlink("..", src / "data" / "events" / "up2")
    os.symlink("..", src / "corpus" / "up")
    # In a subprocess with a time limit: before the fix this never finished.
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    layout = [line for line in run.stderr.splitlines() if "[dossier.layout]" in line]
    assert len(layout) == 2, run.stderr


def test_a_corpus_edit_that_keeps_size_and_mtime_is_seen(tmp_path: Path) -> None:
    src = copy_root("three-records", tmp_path / "src")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    text = src / "corpus" / "gazette.txt"
    before = text.stat()
    text.write_text(text.read_text().replace("Sunday", "Monday"), encoding="utf-8")
    os.utime(text, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert text.stat().st_size == before.st_size
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
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
