"""A failing build: exit status, every problem named, and what happens to the previous output.

Behaviour (documented in docs/guarantees.md): Sphinx 9 finishes the build even under
-W and then exits 1, so the output is complete and matches the current input. A record
whose file cannot be loaded gets no page: its page stub is deleted, and so is the HTML
of the previous good build, so no stale page of it survives looking current. Pages
linking to it warn. A record with only cross-record errors (a dangling reference) is
rebuilt from the current input, the dangling link shown as plain text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import catalogue_support as cat
import pytest


def _sphinx_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", ".", "_build/html"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.sphinx
def test_bad_records_fail_the_build_and_leave_no_stale_page(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(cat.BASE, root)
    good = _sphinx_build(root)
    assert good.returncode == 0, good.stderr
    out = root / "_build" / "html" / "records"
    assert (out / "events" / "signing-2020.html").is_file()

    signing = root / "data" / "events" / "signing-2020.yaml"
    signing.write_text(
        signing.read_text(encoding="utf-8").replace(
            "title: Harbour treaty signed\n", "title: Harbour treaty signed\ntitle: again\n"
        ),
        encoding="utf-8",
    )
    talks = root / "data" / "events" / "talks-resume-2020.yaml"
    talks.write_text(
        talks.read_text(encoding="utf-8").replace(
            "actors: [northland, southland]", "actors: [northland, nowhere]"
        ),
        encoding="utf-8",
    )
    bad = _sphinx_build(root)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr and "Exception occurred" not in bad.stderr
    for expected in (
        "data/events/signing-2020.yaml:4: WARNING: duplicate key 'title'",
        "[dossier.duplicate-key]",
        "data/events/talks-resume-2020.yaml:6: WARNING: actors[1]: no actor with id 'nowhere'",
        "[dossier.reference]",
    ):
        assert expected in bad.stderr, bad.stderr
    # The unloadable record's old page is gone, not left behind looking current ...
    assert not (out / "events" / "signing-2020.html").exists()
    assert "signing-2020.html" not in (out / "timeline.html").read_text(encoding="utf-8")
    # ... and the other bad record's page shows the current input.
    assert "nowhere" in (out / "events" / "talks-resume-2020.html").read_text(encoding="utf-8")
