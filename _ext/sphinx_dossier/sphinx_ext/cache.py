"""The one cache service of the build: files beside Sphinx's ``environment.pickle``
that spare later builds work, and the keys that say when they are still valid.

Every entry is stored with :func:`code_key` (the extension's own files) and a
*scope* (the settings it depends on) and is only read back when both match, so a
change of code or settings can never reuse a stale result. A file that cannot be
read is a miss (it only costs time); one that cannot be written is an ``info``
line in the log, never a failed build. Writes are atomic.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_dossier.core.caching import CACHE_VERSION, code_key, walk_files
from sphinx_dossier.core.fsio import atomic_write, describe_os_error
from sphinx_dossier.sphinx_ext._shared import logger
from sphinx_dossier.sphinx_ext.heap import reading, settle

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["CACHE_VERSION", "BuildCache", "code_key", "walk_files"]


class BuildCache:
    """One cache file in the doctree folder (``_build/.doctrees``).

    ``what`` names it in log lines ("dataset", "export"); ``scope`` is what else,
    besides the code, the cached value depends on.
    """

    def __init__(self, app: Sphinx, filename: str, what: str, scope: object = ()) -> None:
        self.path = Path(app.doctreedir) / filename
        self.what = what
        self.stamp = (code_key(), scope)
        self.fresh = bool(app.fresh_env_used)

    def load(self) -> object | None:
        """The stored value, or None: fresh build, no file, other code or scope, unreadable."""
        if self.fresh or not self.path.is_file():
            return None
        try:
            with self.path.open("rb") as stream, reading():
                stamp, value = pickle.load(stream)
        except Exception:  # truncated, or written by a version whose classes are gone
            logger.info("dossier: %s cache unreadable, rebuilding it", self.what)
            return None
        if stamp != self.stamp:
            return None
        settle()  # it lives until the build ends: no collection need walk it again
        found: object = value
        return found

    def store(self, value: object) -> None:
        """Keep ``value`` for the next build (an ``info`` line if the file cannot be written)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            state = pickle.dumps((self.stamp, value), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write(self.path, state)
        except OSError as error:
            logger.info(
                "dossier: cannot write the %s cache (%s)", self.what, describe_os_error(error)
            )

    def forget(self) -> None:
        """Remove the file, so that the next build does the work again."""
        self.path.unlink(missing_ok=True)
