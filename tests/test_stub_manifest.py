"""Page stubs: skipped when nothing changed, repaired when someone touched them."""

from __future__ import annotations

from pathlib import Path

from sphinx_support import Build, build, copy_root

STUB = "records/events/signing-2020.dossier"


def status(built: Build) -> str:
    return str(built.app._status.getvalue())


def test_unchanged_stubs_are_not_compared_again(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    first = build(src)
    assert "written, 0 removed" in status(first)
    again = build(src)
    assert "page stubs (none changed)" in status(again)


def test_a_stub_edited_or_deleted_by_hand_is_restored(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    build(src)
    stub = src / STUB
    original = stub.read_text(encoding="utf-8")
    stub.write_text(original + "\nSomething else.\n", encoding="utf-8")
    repaired = build(src)
    assert stub.read_text(encoding="utf-8") == original
    assert "Something else" not in repaired.html("records/events/signing-2020")
    stub.unlink()
    build(src)
    assert stub.read_text(encoding="utf-8") == original


def test_a_stray_file_in_the_pages_dir_is_removed(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    build(src)
    stray = src / "records/events/not-a-record.dossier"
    stray.write_text(":orphan:\n\nStray\n=====\n", encoding="utf-8")
    build(src)
    assert not stray.exists()
