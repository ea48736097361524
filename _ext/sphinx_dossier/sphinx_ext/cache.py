"""The one cache service of the build: files beside Sphinx's ``environment.pickle``
that spare later builds work, and the keys that say when they are still valid.

Every entry is stored with :func:`code_key` (the extension's own files) and a
*scope* (the settings it depends on) and is only read back when both match, so a
change of code or settings can never reuse a stale result. A file that cannot be
read is a miss (it only costs time); one that cannot be written is an ``info``
line in the log, never a failed build. Writes are atomic.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_dossier.core.fsio import atomic_write, describe_os_error
from sphinx_dossier.sphinx_ext._shared import logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["CACHE_VERSION", "BuildCache", "code_key", "walk_files"]

#: Raise when the shape of what any cache holds changes without a code change
#: (which :func:`code_key` notices by itself).
CACHE_VERSION = 4  # 4: the pickled Dataset classes moved into core/

_PACKAGE = Path(__file__).resolve().parent.parent


def code_key() -> str:
    """A digest of the extension's own files (name, size, mtime), subpackages included.

    The code decides what every cached result looks like, so results made by other
    code are never reused.
    """
    digest = hashlib.sha256(str(CACHE_VERSION).encode())
    for name, stat in sorted(walk_files(str(_PACKAGE), "")):
        if name.endswith(".py"):
            digest.update(f"{name}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


def walk_files(folder: str, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    """``(relative posix name, stat)`` of every regular file under ``folder``.

    os.scandir rather than Path.rglob: this runs at every build over every data and
    corpus file, and pathlib objects cost more than the stat calls.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = prefix + entry.name
        try:
            # Never into a linked folder: a link to a parent would loop for ever (the
            # loader reports linked folders as layout errors; it reads none of them).
            if entry.is_dir(follow_symlinks=False):
                yield from walk_files(entry.path, name + "/")
            elif entry.is_file(follow_symlinks=True):
                yield name, entry.stat(follow_symlinks=True)
        except OSError:
            continue


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
            with self.path.open("rb") as stream:
                stamp, value = pickle.load(stream)
        except Exception:  # truncated, or written by a version whose classes are gone
            logger.info("dossier: %s cache unreadable, rebuilding it", self.what)
            return None
        return value if stamp == self.stamp else None

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
