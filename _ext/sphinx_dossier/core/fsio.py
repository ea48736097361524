"""Writing files so that they are never left half-written (no Sphinx here).

Every file the extension writes (page stubs, data files, caches, the checker's
outputs) goes through :func:`atomic_write`: the bytes go to a temporary file in the
same folder, which then replaces the target in one rename. A build killed midway,
or a full disk, leaves the old file or the new one, never a truncated one.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["Staged", "atomic_create", "atomic_write", "describe_os_error", "discard_stale"]


def atomic_create(path: Path, content: str | bytes) -> None:
    """Like :func:`atomic_write`, but only if ``path`` does not exist yet.

    Raises FileExistsError if it does; the file appears whole or not at all (the
    temporary file is linked to its name, which fails if the name is taken). On a
    file system without hard links it falls back to an exclusive plain write.
    """
    try:
        _write(path, content, os.link)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
        data = content.encode("utf-8") if isinstance(content, str) else content
        with path.open("xb") as stream:
            stream.write(data)


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text is UTF-8) to ``path`` atomically; raises OSError.

    On failure the temporary file is removed and ``path`` is as it was.
    """
    _write(path, content, os.replace)


class Staged:
    """``content`` written to a temporary file beside ``path``, not yet in its place.

    What :func:`atomic_write` does in two steps, for a writer that must make its bytes
    before it knows whether they are wanted: :meth:`place` renames the file over
    ``path`` (one rename), :meth:`discard` removes it. Writing raises OSError naming
    ``path``, with nothing left behind. Temporary files are named
    ``.<name>.<random>.tmp``; :func:`discard_stale` removes those a killed process left.
    """

    def __init__(self, path: Path, content: str | bytes) -> None:
        self.path = path
        self.temporary = _temporary(path, content)

    def place(self) -> None:
        """Rename the file over ``path``; raises OSError naming ``path`` (then discarded)."""
        try:
            os.replace(self.temporary, self.path)
        except OSError as error:
            self.discard()
            raise OSError(error.errno, error.strerror, str(self.path)) from error

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def discard_stale(path: Path) -> None:
    """Remove the temporary files of ``path`` that a killed writer left beside it."""
    with contextlib.suppress(OSError):
        for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


def _temporary(path: Path, content: str | bytes) -> str:
    """A temporary file beside ``path`` holding ``content``, with the mode ``path`` gets."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        # mkstemp makes the file private (0600); published files (data files, pages)
        # must get the mode a plain open() would give, or keep the one they had.
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            # Name the file the user knows, not the temporary one.
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    return temporary


def _write(path: Path, content: str | bytes, place: Callable[[str, Path], None]) -> None:
    temporary = _temporary(path, content)
    try:
        place(temporary, path)
        if place is os.link:
            os.unlink(temporary)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, FileExistsError):
            raise
        if isinstance(error, OSError):
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Read once at import: os.umask can only be read by setting it.
_UMASK = _current_umask()


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def describe_os_error(error: OSError) -> str:
    """``Read-only file system`` rather than ``[Errno 30] Read-only file system: '...'``."""
    return error.strerror or str(error)
