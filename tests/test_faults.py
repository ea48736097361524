"""Faults: builds that did not finish, files that cannot be written (issue: faults).

Each test reproduces what the fault leaves behind (a marker, a truncated search index,
an empty ``.buildinfo``) or injects the OS error around the extension's file writes,
then checks that the next build repairs itself or says once, at the path, what failed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main
from sphinx_dossier.core.fsio import Staged, atomic_write
from sphinx_dossier.sphinx_ext import datafiles as export_sphinx
from sphinx_dossier.sphinx_ext import datamake, pages
from sphinx_dossier.sphinx_ext.recovery import MARKER_PREFIX
from sphinx_support import copy_root

BUILD = ["-W", "--keep-going", "-n", "-b", "html"]


def _build(src: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = build_main([*BUILD, str(src), str(out)])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def _indexed_pages(out: Path) -> set[str]:
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    docnames = re.search(r'"docnames":\[(.*?)\]', text)
    assert docnames is not None
    return set(re.findall(r'"([^"]+)"', docnames.group(1)))


def _markers(out: Path) -> list[str]:
    return [p.name for p in (out / ".doctrees").glob(f"{MARKER_PREFIX}-*")]


def _outdir_key(out: Path) -> str:
    return hashlib.sha256(str(out.absolute()).encode("utf-8")).hexdigest()[:12]


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, set[str]]:
    src, out = copy_root("three-records", tmp_path / "src"), tmp_path / "out"
    rc, _, err = _build(src, out, capsys)
    assert rc == 0, err
    assert _markers(out) == []
    return src, out, _indexed_pages(out)


@pytest.mark.parametrize("state", ["marker", "empty-buildinfo", "truncated-buildinfo"])
def test_a_build_after_an_unfinished_one_rebuilds_everything(
    built: tuple[Path, Path, set[str]], capsys: pytest.CaptureFixture[str], state: str
) -> None:
    src, out, pages_before = built
    # What kill -9 during "writing output" leaves: half a search index, the marker.
    index = out / "searchindex.js"
    index.write_text(index.read_text(encoding="utf-8")[:200], encoding="utf-8")
    if state == "marker":
        # What a killed build leaves beside the environment (sphinx-build without -M
        # keeps it in OUTDIR/.doctrees).
        (out / ".doctrees" / f"{MARKER_PREFIX}-html-{_outdir_key(out)}").write_text("")
    elif state == "empty-buildinfo":
        (out / ".buildinfo").write_text("", encoding="utf-8")
    else:
        text = (out / ".buildinfo").read_text(encoding="utf-8")
        (out / ".buildinfo").write_text(text[:40], encoding="utf-8")
    rc, stdout, err = _build(src, out, capsys)
    assert rc == 0, err
    assert "the previous build into" in stdout and "did not finish" in stdout
    assert _indexed_pages(out) == pages_before
    assert _markers(out) == []
    rc, stdout, err = _build(src, out, capsys)  # and the next build is a normal one
    assert rc == 0, err
    assert "did not finish" not in stdout


def test_a_build_that_crashes_leaves_the_marker(
    built: tuple[Path, Path, set[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    src, out, _ = built
    _retitle_event(src)

    def crash(*args: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(datamake, "data_file_texts", crash)
    rc, _, _ = _build(src, out, capsys)
    assert rc != 0
    assert len(_markers(out)) == 1


def _retitle_event(src: Path) -> None:
    """An edit that changes the data files: the event's title, "says" -> "said"."""
    event = src / "data" / "events" / "talks-resume-2020.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("Northland says", "Northland said"), encoding="utf-8")


def _failing_stage(target: str, code: int) -> object:
    """A data file that cannot be written (they are staged, then renamed into place)."""
    real = Staged

    def stage(path: Path, content: str | bytes) -> Staged:
        if path.name == target:
            raise OSError(code, os.strerror(code), str(path))
        return real(path, content)

    return stage


def _failing_write(target: str, code: int) -> object:
    real = atomic_write

    def write(path: Path, content: str | bytes) -> None:
        if path.name == target:
            raise OSError(code, os.strerror(code), str(path))
        real(path, content)

    return write


def test_a_full_disk_names_the_data_file_and_keeps_the_old_one(
    built: tuple[Path, Path, set[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    src, out, _ = built
    dataset = out / "_static" / "dossier" / "dataset.json"
    before = dataset.read_text(encoding="utf-8")
    _retitle_event(src)
    monkeypatch.setattr(export_sphinx, "Staged", _failing_stage("dataset.json", errno.ENOSPC))
    rc, _, err = _build(src, out, capsys)
    assert rc == 1
    lines = [line for line in err.splitlines() if "WARNING" in line]
    assert len(lines) == 1, err
    assert f"cannot write {dataset}: No space left on device" in lines[0]
    assert lines[0].endswith("[dossier.write]")
    assert "Extension error" not in err and "Traceback" not in err
    assert dataset.read_text(encoding="utf-8") == before  # old, whole; never 0 bytes
    monkeypatch.undo()
    rc, _, err = _build(src, out, capsys)  # once there is room, the next build catches up
    assert rc == 0, err
    assert "Northland said" in dataset.read_text(encoding="utf-8")


def test_a_read_only_pages_folder_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = copy_root("three-records", tmp_path / "src"), tmp_path / "out"
    monkeypatch.setattr(
        pages, "atomic_write", _failing_write("northland" + pages.STUB_SUFFIX, errno.EROFS)
    )
    rc, _, err = _build(src, out, capsys)
    assert rc == 1
    # The first message says what failed and where; the rest (pages missing from the
    # toctree, links to them) follow from it.
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    dossier = [line for line in warnings if "[dossier.write]" in line]
    assert len(dossier) == 1 and warnings[0] == dossier[0], err
    assert f"cannot write {src / 'records' / 'actors' / 'northland'}{pages.STUB_SUFFIX}" in err
    assert "Read-only file system; make the folder writable" in dossier[0]
    assert "Extension error" not in err and "Traceback" not in err


def test_atomic_write_keeps_the_old_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.json"
    target.write_text("old", encoding="utf-8")

    def no_room(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", no_room)
    with pytest.raises(OSError) as caught:
        atomic_write(target, "new")
    assert caught.value.filename == str(target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.json"]


def test_long_lists_keep_every_text_node_in_a_small_parent() -> None:
    # SmartQuotes replaces each text node via list.index on its parent: a paragraph
    # holding 100,000 alias texts cost minutes. Joined and grouped, it is linear.
    from docutils import nodes
    from sphinx_dossier.sphinx_ext.render import MAX_INLINE_CHILDREN, compact_inline

    aliases: list[nodes.Node] = []
    for index in range(100_000):
        aliases += [nodes.Text("; ")] if index else []
        aliases.append(nodes.Text(f"alias {index}"))
    paragraph = nodes.paragraph("", "", *compact_inline(aliases))
    assert paragraph.astext() == "; ".join(f"alias {i}" for i in range(100_000))
    assert len(paragraph.children) == 1
    links: list[nodes.Node] = []
    for index in range(1_000):
        links += [nodes.Text(", ")] if index else []
        links.append(nodes.reference("", f"actor {index}", refid=f"a{index}"))
    paragraph = nodes.paragraph("", "", *compact_inline(links))
    parents = [text.parent for text in paragraph.findall(nodes.Text)]
    assert max(len(parent.children) for parent in parents) <= MAX_INLINE_CHILDREN
    assert paragraph.astext() == ", ".join(f"actor {i}" for i in range(1_000))


def test_quotes_are_shown_as_the_source_has_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = copy_root("three-records", tmp_path / "src"), tmp_path / "out"
    corpus = src / "corpus" / "gazette.txt"
    corpus.write_text(corpus.read_text() + '"It\'s on -- at last..." an aide said.\n')
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    source = src / "data" / "sources" / "gazette-2020-01-05.yaml"
    text = re.sub(r"sha256: \w+", f"sha256: {digest}", source.read_text())
    source.write_text(text)
    actor = src / "data" / "actors" / "northland.yaml"
    actor.write_text(
        actor.read_text().replace("claims: []", "")
        + "claims:\n  - id: aide\n    text: An aide said that the talks were on, at last.\n"
        "    cites:\n      - source: gazette-2020-01-05\n"
        '        quote: "It\'s on -- at last..."\n'
    )
    rc, _, err = _build(src, out, capsys)
    assert rc == 0, err
    html = (out / "records" / "actors" / "northland.html").read_text(encoding="utf-8")
    quote = re.search(r'<p class="dossier-quote">(.*?)</p>', html, re.S)
    assert quote is not None
    assert quote.group(1) in ("“It's on -- at last...”", "“It&#x27;s on -- at last...”")


def test_atomic_write_gives_the_mode_a_plain_write_would(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text("x", encoding="utf-8")
    atomic = tmp_path / "atomic.json"
    atomic_write(atomic, "x")
    assert atomic.stat().st_mode == plain.stat().st_mode  # not mkstemp's 0600
    os.chmod(atomic, 0o640)
    atomic_write(atomic, "y")
    assert atomic.stat().st_mode & 0o777 == 0o640  # an existing file keeps its mode


def test_a_hand_written_page_cites_the_record_and_shows_one_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = copy_root("three-records", tmp_path / "src"), tmp_path / "out"
    index = src / "index.rst"
    index.write_text(
        index.read_text()
        + "\n.. dossier:record:: talks-resume-2020\n\n.. dossier:record:: gazette-2020-01-05\n"
    )
    rc, _, err = _build(src, out, capsys)
    assert rc == 0, err
    html = (out / "index.html").read_text(encoding="utf-8")
    # Both are shown, each with anchors of its own (tests/test_builders.py has more).
    assert 'id="cite-1"' not in html
    assert html.count('id="talks-resume-2020-cite-1"') == 1
    assert html.count('id="gazette-2020-01-05-cite-1"') == 1
    cite = re.search(r'<a class="[^"]*dossier-cite-url[^"]*" href="([^"]+)"', html)
    assert cite is not None and cite.group(1) == "records/events/talks-resume-2020.html"


def test_other_builders_cite_without_a_link_and_linkcheck_finds_nothing_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = copy_root("three-records", tmp_path / "src")
    rc = build_main(["-q", "-W", "-b", "text", str(src), str(tmp_path / "text")])
    assert rc == 0, capsys.readouterr().err
    page = (tmp_path / "text" / "records" / "actors" / "northland.txt").read_text()
    assert "Actor record northland." in page and ".html" not in page
    rc = build_main(["-q", "-b", "linkcheck", str(src), str(tmp_path / "links")])
    capsys.readouterr()
    report = (tmp_path / "links" / "output.txt").read_text(encoding="utf-8")
    assert rc == 0 and "broken" not in report, report


def test_atomic_create_never_overwrites_and_leaves_no_temporary(tmp_path: Path) -> None:
    from sphinx_dossier.core.fsio import atomic_create

    target = tmp_path / "new.yaml"
    atomic_create(target, "id: new\n")
    with pytest.raises(FileExistsError):
        atomic_create(target, "id: other\n")
    assert target.read_text(encoding="utf-8") == "id: new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]


def test_a_staged_file_is_placed_whole_or_discarded(tmp_path: Path) -> None:
    target = tmp_path / "dataset.json"
    target.write_text("old", encoding="utf-8")
    staged = Staged(target, "new")
    assert target.read_text(encoding="utf-8") == "old"  # not in place before place()
    staged.place()
    assert target.read_text(encoding="utf-8") == "new"
    Staged(target, "newer").discard()
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["dataset.json"]


def test_the_temporary_files_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    from sphinx_dossier.core.fsio import discard_stale

    target = tmp_path / "dataset.json"
    Staged(target, "left by a killed build")
    Staged(tmp_path / "timeline.json", "another file's")
    discard_stale(target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dataset.json.")] == []
    assert len(list(tmp_path.glob(".timeline.json.*.tmp"))) == 1
