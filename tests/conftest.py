"""Shared pytest configuration: Sphinx's testing fixtures and the folder of test roots."""

from __future__ import annotations

from pathlib import Path

import dossier_factory
import pytest

pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Test roots live in tests/roots/test-<name>; fixtures copy them to a temp dir."""
    return Path(__file__).parent / "roots"


@pytest.fixture
def dossier(tmp_path: Path) -> dossier_factory.Fixture:
    """A small valid dataset and corpus in a temp dir (see tests/dossier_factory.py)."""
    return dossier_factory.make_fixture(tmp_path)
