"""Smoke test on the real site: every record of data/ gets a page and inventory entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx_dossier.core.dataset import Dataset
from sphinx_support import build, inventory

PROJECT = Path(__file__).parent.parent
KIND_DIRS = {"event": "events", "agreement": "agreements", "actor": "actors", "source": "sources"}


@pytest.mark.slow
def test_real_site_builds_every_record(tmp_path: Path) -> None:
    # Never build inside the repository: copy the hand-written pages, point at data/.
    src = tmp_path / "docs"
    shutil.copytree(PROJECT / "docs", src, ignore=shutil.ignore_patterns("_build", "records"))
    built = build(
        src,
        confoverrides={
            "dossier_data_dir": str(PROJECT / "data"),
            "html_theme": "basic",
            "nitpicky": True,
        },
    )
    assert built.warning_lines() == []
    dataset = Dataset.load(PROJECT / "data")
    inv = inventory(built.outdir)
    for record_id, loaded in dataset.records.items():
        page = f"records/{KIND_DIRS[loaded.kind]}/{record_id}"
        assert (built.outdir / f"{page}.html").is_file(), page
        assert inv[f"dossier:{loaded.kind}"][record_id][0] == f"{page}.html#{record_id}"
        assert record_id in inv["std:label"]
        for claim in loaded.record.claims:
            assert f"{record_id}#{claim.id}" in inv["dossier:claim"]
