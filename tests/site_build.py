"""Building the real site (docs/ and data/) into a temp dir, outside the repository."""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
from pathlib import Path

from corpus_support import corpus_dir
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

ROOT = Path(__file__).resolve().parent.parent


def copy_site(dest: Path) -> Path:
    """docs/ and data/ copied to ``dest``; returns the copied docs dir (the source dir)."""
    ignore = shutil.ignore_patterns("_build", "records", "__pycache__")
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=ignore)
    shutil.copytree(ROOT / "data", dest / "data")
    return dest / "docs"


def build_site(srcdir: Path, outdir: Path, *, parallel: int = 0) -> str:
    """A clean HTML build of ``srcdir`` into ``outdir``; returns the warnings."""
    status, warning = io.StringIO(), io.StringIO()
    corpus = corpus_dir()
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=outdir,
        freshenv=True,
        # Without a corpus the site builds as a user's would: quote check skipped.
        confoverrides={"dossier_corpus_dir": str(corpus)} if corpus else {},
        status=status,
        warning=warning,
        parallel=parallel,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return strip_escape_sequences(warning.getvalue())


class Site:
    """One clean build of the real site: where it is and what it warned."""

    def __init__(self, srcdir: Path, builddir: Path, warnings: str) -> None:
        self.srcdir = srcdir
        self.builddir = builddir
        self.outdir = builddir / "html"
        self.warnings = warnings


_BUILT: dict[str, Site] = {}


def real_site() -> Site:
    """The real site built once per test session (-j 1), shared by the test modules.

    Its own temp dir, removed at exit: pytest's numbered basetemp dirs are pruned by
    other pytest sessions running on the same machine at the same time.
    """
    if "site" not in _BUILT:
        tmp_root = Path(tempfile.mkdtemp(prefix="dossier-site-"))
        atexit.register(shutil.rmtree, tmp_root, ignore_errors=True)
        srcdir = copy_site(tmp_root / "site")
        builddir = tmp_root / "build-j1"
        _BUILT["site"] = Site(srcdir, builddir, build_site(srcdir, builddir))
    return _BUILT["site"]
