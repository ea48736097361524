"""Two clean builds of the same input give byte-identical output, with -j 1 and -j 2.

The session's -j 1 build of the real site (shared with test_completeness) is compared
with a second clean build, run with -j 2 into another folder: if both are equal the
output depends neither on the run nor on parallel reading and writing.
Compared: every file of the HTML output (pages, objects.inv, searchindex.js, static
files, the exported data). Left out, and why:
- the doctrees folder (builddir/doctrees): pickles of Python objects, not output;
- ``.buildinfo``: equal too, but it is Sphinx's cache key, not something readers get.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import site_build

EXCLUDED = {".buildinfo"}


def _digests(outdir: Path) -> dict[str, str]:
    return {
        str(path.relative_to(outdir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.name not in EXCLUDED and ".doctrees" not in path.parts
    }


@pytest.fixture(scope="module")
def two_builds() -> tuple[Path, Path]:
    first = site_build.real_site()
    second = first.builddir.parent / "build-j2"
    warnings = site_build.build_site(first.srcdir, second, parallel=2)
    assert warnings.strip() == ""
    return first.outdir, second / "html"


@pytest.mark.sphinx
def test_second_clean_build_with_two_processes_is_byte_identical(
    two_builds: tuple[Path, Path],
) -> None:
    one, two = two_builds
    a, b = _digests(one), _digests(two)
    assert sorted(a) == sorted(b)  # the same files
    assert any(name.endswith("objects.inv") for name in a)
    assert any(name.startswith("records/events/") for name in a)
    assert any(name.startswith("_static/dossier/") and name.endswith(".json") for name in a)
    assert "searchindex.js" in a
    differing = sorted(name for name in a if a[name] != b[name])
    assert differing == []
