"""Shared pytest configuration: Sphinx's testing fixtures and the folder of test roots."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dossier_factory
import pytest
from hypothesis import settings

pytest_plugins = ("sphinx.testing.fixtures",)

# Sphinx colours its console output when CI=true or FORCE_COLOR is set, even into a
# pipe; tests read that output, so they ask for plain text whatever the environment.
# Set here, it reaches the sphinx-build subprocesses that tests start too.
os.environ["NO_COLOR"] = "1"
# `sphinx-dossier check` keeps a cache in ./.dossier-cache; tests keep theirs apart
# (tests of the cache itself name a folder of their own).
os.environ.setdefault("DOSSIER_CACHE_DIR", tempfile.mkdtemp(prefix="dossier-check-cache-"))

# "ci" (the default) runs the fuzz suites at full size; HYPOTHESIS_PROFILE=quick for a
# fast local run. Tests that set max_examples themselves keep their own count.
settings.register_profile("ci", max_examples=500, deadline=None, print_blob=True)
settings.register_profile("quick", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Test roots live in tests/roots/test-<name>; fixtures copy them to a temp dir."""
    return Path(__file__).parent / "roots"


@pytest.fixture
def dossier(tmp_path: Path) -> dossier_factory.Fixture:
    """A small valid dataset and corpus in a temp dir (see tests/dossier_factory.py)."""
    return dossier_factory.make_fixture(tmp_path)
