"""Writing files so that they are never left half-written (no Sphinx here).

Every file the extension writes (page stubs, data files, caches, the checker's
outputs) goes through :func:`atomic_write`: the bytes go to a temporary file in the
same folder, which then replaces the target in one rename. A build killed midway,
or a full disk, leaves the old file or the new one, never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "describe_os_error"]


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text is UTF-8) to ``path`` atomically; raises OSError.

    On failure the temporary file is removed and ``path`` is as it was.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            # Name the file the user knows, not the temporary one.
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise


def describe_os_error(error: OSError) -> str:
    """``Read-only file system`` rather than ``[Errno 30] Read-only file system: '...'``."""
    return error.strerror or str(error)
