"""Builds that did not finish: noticed by the next build, which then rebuilds every page.

A build killed while it writes (or one that crashed) leaves output that no longer
matches Sphinx's environment: pages written and not yet indexed, a truncated
``searchindex.js`` or ``.buildinfo``. Sphinx itself trusts those files at the next
build (it then warns that the search index is incomplete, or fails on the empty
``.buildinfo``), so each build leaves a marker beside Sphinx's environment (named
for its builder and output folder, so builders sharing a doctree folder keep their
own) until it has finished; a build that finds the marker, or a ``.buildinfo`` that is not whole,
says so, removes the files it cannot trust and reads and writes every page again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakSet

from sphinx_dossier.core.fsio import atomic_write
from sphinx_dossier.sphinx_ext._shared import logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


#: Beside the environment while a build runs; left behind by one that did not finish.
#: Not in the output folder, where epub would package it.
MARKER_PREFIX = "dossier-build-unfinished"
#: Output files that a build rewrites whole and Sphinx reads back at the next one.
_UNTRUSTED = (".buildinfo", "searchindex.js")
_BUILDINFO_LINES = ("# Sphinx build info version", "config: ", "tags: ")

_RECOVERING: WeakSet[BuildEnvironment] = WeakSet()


def _buildinfo_whole(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return True  # absent: nothing to distrust
    except UnicodeDecodeError:
        return False
    lines = text.splitlines()
    return all(any(line.startswith(head) for line in lines) for head in _BUILDINFO_LINES)


def marker_path(app: Sphinx) -> Path:
    """The marker of builds by ``app.builder`` into ``app.outdir``."""
    key = hashlib.sha256(str(Path(app.outdir).absolute()).encode("utf-8")).hexdigest()[:12]
    return Path(app.doctreedir) / f"{MARKER_PREFIX}-{app.builder.name}-{key}"


def start_build(app: Sphinx) -> None:
    """``builder-inited``: repair after an unfinished build, then mark this one as running."""
    outdir = Path(app.outdir)
    marker = marker_path(app)
    if marker.exists() or not _buildinfo_whole(outdir / ".buildinfo"):
        logger.info(
            "dossier: the previous build into %s did not finish; every page is read and"
            " written again, and the search index is made anew",
            outdir,
        )
        for name in _UNTRUSTED:
            (outdir / name).unlink(missing_ok=True)
        _RECOVERING.add(app.env)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(marker, f"a build into {outdir} is running or did not finish\n")
    except OSError:
        pass  # an unwritable output folder fails the build on its own, with Sphinx's message


def outdated_after_unfinished(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: every document, after an unfinished build."""
    if env not in _RECOVERING:
        return []
    return sorted(env.found_docs - added - changed)


def finish_build(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: a build that ran to its end removes its marker."""
    _RECOVERING.discard(app.env)
    if exception is None:
        marker_path(app).unlink(missing_ok=True)


def setup_recovery(app: Sphinx) -> None:
    """Register the handlers; the check runs before any other ``builder-inited`` work."""
    app.connect("builder-inited", start_build, priority=50)
    app.connect("env-get-outdated", outdated_after_unfinished)
    # Last, after the data files are written: only then is the output whole.
    app.connect("build-finished", finish_build, priority=900)
