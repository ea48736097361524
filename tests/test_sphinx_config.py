"""Configuration values: each one is declared, typed, documented and checked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sphinx_dossier.sphinx_ext.config import OPTIONS, PREFIX
from sphinx_support import build, copy_root, inventory

#: One invalid value per option, with the message it must produce.
INVALID: dict[str, tuple[Any, str]] = {
    "generate": ("yes", r"dossier_generate must be bool, got 'yes'; using the default True"),
    "data_dir": (3, r"dossier_data_dir must be str, got 3; using the default '../data'"),
    "corpus_dir": (5, r"dossier_corpus_dir must be str or None, got 5; using the default None"),
    "pages_dir": ("../x", r"dossier_pages_dir must be a relative folder inside the source dir"),
    "std_labels": ("no", r"dossier_std_labels must be bool, got 'no'; using the default True"),
    "quote_max_words": (0, r"dossier_quote_max_words must be at least 1, got 0; using 25"),
    "quote_min_words": (0, r"dossier_quote_min_words must be at least 1, got 0; using 3"),
    "paraphrase_words": (-1, r"dossier_paraphrase_words must be at least 0, got -1; using 8"),
    "as_of_pages": (-1, r"dossier_as_of_pages must be at least 0, got -1; using 40"),
    "matrix_max_cells": (-1, r"dossier_matrix_max_cells must be at least 0, got -1; using 2000"),
    "license": ("CC-BY-5.0", r"dossier_license: unknown licence 'CC-BY-5.0': use one of CC0-1.0"),
    "toctree_builders": (
        [1],
        r"dossier_toctree_builders must be a list of builder names, got \[1\]; using \['latex'",
    ),
    "fast_exit": (1, r"dossier_fast_exit must be bool, got 1; using the default True"),
    "background_data_files": (
        "no",
        r"dossier_background_data_files must be bool, got 'no'; using the default True",
    ),
}


def test_every_option_has_an_invalid_value_test() -> None:
    assert set(INVALID) == {option.name for option in OPTIONS}


def test_every_option_is_typed_and_documented() -> None:
    for option in OPTIONS:
        assert option.types, option.name
        assert len(option.description) > 20, option.name


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_value_warns_and_falls_back(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fallback for dossier_corpus_dir is $DOSSIER_CORPUS (set in CI): not here.
    monkeypatch.delenv("DOSSIER_CORPUS", raising=False)
    value, message = INVALID[name]
    src = copy_root("dossier", tmp_path / "src")
    if name == "data_dir":
        # The default ../data does not exist beside the test root: link it there.
        (tmp_path / "data").symlink_to(src / "data")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        # Set in conf.py: -D would convert the value to the declared type first.
        conf.write(f"\n{PREFIX}{name} = {value!r}\n")
    built = build(src)
    warnings = built.warning_lines()
    assert any(re.search(message + r".*\[dossier\.config\]$", w) for w in warnings), warnings
    assert len(warnings) == 1, warnings


def test_std_labels_can_be_switched_off(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "notes.md").write_text("# Notes\n\n{any}`northland`, {any}`signing-2020#signed`\n")
    built = build(src, confoverrides={"dossier_std_labels": False, "nitpicky": True})
    assert built.warning_lines() == []
    notes = built.main("notes")
    assert 'href="records/actors/northland.html#northland"' in notes
    assert 'href="records/events/signing-2020.html#signed"' in notes
    labels = inventory(built.outdir)["std:label"]
    assert "northland" not in labels
    assert "northland" in inventory(built.outdir)["dossier:actor"]


def test_label_clash_is_reported_at_the_record(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "notes.md").write_text(
        "(northland)=\n# Notes\n\nA page that takes a record's label.\n", encoding="utf-8"
    )
    warnings = build(src).warning_lines()
    clash = [w for w in warnings if "[dossier.label-clash]" in w]
    assert len(clash) == 1, warnings
    # Sphinx's own (untyped) duplicate-label warning may come too, depending on read order.
    assert len(warnings) <= 2, warnings
    assert re.search(
        r"/data/actors/northland\.yaml:2: WARNING: the label 'northland' of this record is "
        r"also defined in .*notes\.md",
        clash[0],
    ), clash


def test_consumer_mode_reads_no_data(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    (src / "data" / "events" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (src / "index.md").write_text("# Consumer\n", encoding="utf-8")
    (src / "notes.md").unlink()
    built = build(src, confoverrides={"dossier_generate": False})
    assert built.warning_lines() == []
    assert not (src / "records").exists()


@pytest.mark.parametrize("fast_exit", [True, False])
def test_fast_exit_freezes_objects_at_exit_only(tmp_path: Path, fast_exit: bool) -> None:
    """The handler runs at interpreter exit, not during the build."""
    import subprocess
    import sys

    src = copy_root("dossier", tmp_path / "src")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        # Registered before the extension's handler, so it runs after it (LIFO).
        conf.write(
            "\nimport atexit, gc, sys\n"
            "atexit.register(lambda: sys.stderr.write(f'frozen={gc.get_freeze_count()}\\n'))\n"
            f"dossier_fast_exit = {fast_exit!r}\n"
        )
    code = (
        "import gc, sys\n"
        "from sphinx.cmd.build import main\n"
        "status = main(sys.argv[1:])\n"
        "sys.stderr.write(f'during={gc.get_freeze_count()}\\n')\n"
        "sys.exit(status)\n"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", code, "-q", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "during=0" in done.stderr
    frozen = int(done.stderr.rsplit("frozen=", 1)[1].split()[0])
    assert (frozen > 0) is fast_exit, done.stderr
    assert (out / "index.html").is_file()
