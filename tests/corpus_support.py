"""The source texts (corpus) for the tests that read them: found, skipped, or required.

The texts are not in the repository. ``DOSSIER_CORPUS`` names their folder (relative
to the project root, as CI sets it). Without it, tests that need the texts are
skipped with one reason; with ``DOSSIER_REQUIRE_CORPUS=1`` (CI) they fail instead, so
a CI run can never pass without having checked the quotes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = "DOSSIER_CORPUS"
REQUIRE_ENV = "DOSSIER_REQUIRE_CORPUS"
SKIP_REASON = f"needs the source texts: set {ENV} to their folder (README, 'The source texts')"


def corpus_dir() -> Path | None:
    """The corpus folder named by ``DOSSIER_CORPUS``, or None when it is not set.

    A value that names no folder is a mistake, not a missing corpus: it fails.
    """
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    path = Path(value)
    path = path if path.is_absolute() else (ROOT / path).resolve()
    if not path.is_dir():
        pytest.fail(f"{ENV}={value} is not a directory (resolved to {path})", pytrace=False)
    return path


def require_corpus() -> Path:
    """The corpus folder; without one, skip (or fail where CI requires the corpus)."""
    path = corpus_dir()
    if path is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {ENV} is not set", pytrace=False)
        pytest.skip(SKIP_REASON)
    return path
