"""Sample outputs on the docs pages are what the commands print today."""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from corpus_support import require_corpus
from sphinx_dossier.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _sample(page: str, marker: str) -> str:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    found = re.search(
        rf"<!-- sample: [^>]*{re.escape(marker)}[^>]*-->\n```text\n(.*?)```", text, re.S
    )
    assert found is not None, f"docs/{page}: no sample block marked {marker!r}"
    return found.group(1)


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            rc = main(list(args))
        except SystemExit as exit_:  # argparse
            rc = int(exit_.code or 0)
    return rc, out.getvalue() + err.getvalue()


def test_contributing_check_output_is_what_check_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = require_corpus()
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    assert _run("new", "event", "my-new-event")[0] == 0
    rc, printed = _run("check", "data", "--corpus", str(corpus))
    assert rc == 1
    assert printed == _sample("contributing.md", "`check`")
