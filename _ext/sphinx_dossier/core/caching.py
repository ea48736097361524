"""What every cache of the package is keyed by, and the checker's cache (no Sphinx here).

:func:`code_key` is a digest of the package's own files: the code decides what every
cached result looks like, so results made by other code are never reused. The
build's caches (``sphinx_ext/cache.py``) and ``sphinx-dossier check``'s
(:class:`CheckCache`) both use it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_dossier.core.fsio import atomic_write

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import Dataset

__all__ = ["CACHE_DIR_ENV", "CACHE_VERSION", "CheckCache", "code_key", "walk_files"]

#: Raise when the shape of what any cache holds changes without a code change
#: (which :func:`code_key` notices by itself).
CACHE_VERSION = 5  # 5: per-record checks across records (Dataset.checked)

#: Environment variable naming the checker's cache folder.
CACHE_DIR_ENV = "DOSSIER_CACHE_DIR"

_PACKAGE = Path(__file__).resolve().parent.parent


def code_key() -> str:
    """A digest of the package's own files (name, size, mtime), subpackages included."""
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


class CheckCache:
    """The checker's last result for one data directory and set of settings, in
    ``folder`` (``.dossier-cache/`` by default), so that the next ``check`` re-reads and
    re-checks only what changed (see ``Dataset.load(reuse=...)``).

    A cache that cannot be read is a miss and one that cannot be written is skipped:
    either only costs time. The folder holds a ``.gitignore`` of ``*``, so it is never
    committed by mistake.
    """

    def __init__(self, folder: Path, data_dir: Path, settings: object) -> None:
        self.folder = folder
        key = repr((CACHE_VERSION, str(data_dir.resolve()), settings))
        self.path = folder / f"check-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pickle"
        self.stamp = (code_key(), key)

    def load(self) -> Dataset | None:
        from sphinx_dossier.core.dataset import Dataset

        try:
            with self.path.open("rb") as stream:
                stamp, dataset = pickle.load(stream)
        except Exception:  # missing, truncated, made by other code: a miss
            return None
        return dataset if stamp == self.stamp and isinstance(dataset, Dataset) else None

    def store(self, dataset: Dataset) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                atomic_write(ignore, "# sphinx-dossier check's cache: never committed.\n*\n")
            atomic_write(self.path, pickle.dumps((self.stamp, dataset), pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only checkout: the next check is a cold one, nothing worse
