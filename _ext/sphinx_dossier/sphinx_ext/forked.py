"""Work done in a forked process while Sphinx goes on with the build.

A ``-j 1`` build uses one core: while Sphinx writes the pages, the second core of
the machine idles. :func:`start` forks the build's process
once what a job needs is settled. The child *prepares* (the costly part), then waits
for the parent's word at the end of the build: *go* when the build succeeded (the
child *commits*: writes its files, and sends back what the commit returned) or *stop*
when it failed (the child leaves everything as it was, as the work done at the end of
a failed build would). What the child logs is sent back with its result and logged by
the parent, so its warnings count towards ``-W`` and show in the build's log.

It only saves time. Where forking is not safe (not Linux, other threads running), or
when the child fails in any way the job did not foresee, :meth:`Forked.finish` says
so and the caller does the work itself, as it would have without this module. The
child always ends with :func:`os._exit`: it runs none of the parent's exit handlers
and flushes none of its buffers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from docutils import nodes
from sphinx.util.logging import NAMESPACE, get_node_location

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Finished", "Forked", "fork_refused", "start"]

P = TypeVar("P")
R = TypeVar("R")

_GO = b"g"
_STOP = b"s"


def fork_refused() -> str | None:
    """Why this process must not fork now, or None when it may.

    Only Linux (elsewhere system libraries may not survive a fork without ``exec``) and
    only a process with one thread: a lock held by another thread at the fork would
    stay held in the child for ever. Threads are counted as the kernel sees them, as
    Python 3.12's own fork warning does, so threads started by C libraries count too.
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return f"no fork on {sys.platform}"
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "cannot count this process's threads"
    if threads != 1:
        return f"{threads} threads running"
    return None


@dataclass(frozen=True)
class Finished(Generic[R]):
    """How a forked job ended: ``ok`` with the commit's ``value``, else ``reason``."""

    ok: bool
    value: R | None = None
    reason: str = ""


class _Kept(logging.Handler):
    """Keeps the child's log records, made ready to be pickled and sent to the parent."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        record.exc_info = None
        record.exc_text = None
        location = getattr(record, "location", None)
        if isinstance(location, nodes.Node):  # what Sphinx's own filter would make of it
            record.location = get_node_location(location)
        self.records.append(record)


class Forked(Generic[R]):
    """The parent's side of a job running in a forked child (see :func:`start`)."""

    def __init__(self, pid: int, results: int, word: int) -> None:
        self.pid = pid
        self._results = results  # the child's result comes through this pipe
        self._word = word  # go or stop goes through this one

    def finish(self, go: bool) -> Finished[R]:
        """Tell the child to commit (``go``) or not, wait for it, and replay its log.

        Not ``ok`` when the child was told to stop, or failed (its log is then dropped:
        the caller does the work again and logs it itself).
        """
        try:
            os.write(self._word, _GO if go else _STOP)
        except OSError:  # the child is gone already
            pass
        finally:
            os.close(self._word)
        chunks = []
        try:
            while chunk := os.read(self._results, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self._results)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # reaped by someone else (SIGCHLD ignored)
            status = -1
        try:
            kind, value, records = pickle.loads(b"".join(chunks))
        except Exception:
            return Finished(False, reason=f"the process ended with status {status}, no result")
        if kind != "done":
            return Finished(False, reason=str(value))
        for record in records:
            logging.getLogger(record.name).handle(record)
        return Finished(True, value)


def start(
    prepare: Callable[[], P],
    commit: Callable[[P], R],
    abandon: Callable[[P], object] | None = None,
) -> Forked[R] | None:
    """Run ``prepare`` in a forked child now, and ``commit`` with its result when the
    parent says go (:meth:`Forked.finish`), else ``abandon`` with it (to remove what
    ``prepare`` left for the commit); None when this process must not fork.

    ``commit``'s return value is pickled back to the parent: errors the caller must
    report (a full disk) belong in it. Any exception of either is a failure of the
    child, which :meth:`Forked.finish` reports as not ``ok``.
    """
    if fork_refused() is not None:
        return None
    results_read, results_write = os.pipe()
    word_read, word_write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or too many processes: do the work in this one
        for fd in (results_read, results_write, word_read, word_write):
            os.close(fd)
        return None
    if pid == 0:  # pragma: no cover  (the child; coverage does not follow it)
        os.close(results_read)
        os.close(word_write)
        _child(prepare, commit, abandon, results_write, word_read)
    os.close(results_write)
    os.close(word_read)
    return Forked(pid, results_read, word_write)


def _child(
    prepare: Callable[[], P],
    commit: Callable[[P], Any],
    abandon: Callable[[P], object] | None,
    results: int,
    word: int,
) -> None:  # pragma: no cover  (runs in the forked child)
    status = 1
    try:
        kept = _Kept()
        logger = logging.getLogger(NAMESPACE)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(kept)
        prepared = prepare()
        if os.read(word, 1) != _GO:
            if abandon is not None:
                abandon(prepared)
            _send(results, ("stopped", "the build failed", []))
        else:
            _send(results, ("done", commit(prepared), kept.records))
            status = 0
    except BaseException:  # everything is reported: the parent decides what to do
        with contextlib.suppress(BaseException):  # else nothing is left to tell it by
            _send(results, ("failed", traceback.format_exc(limit=-3), []))
    finally:
        os._exit(status)


def _send(fd: int, message: tuple[str, Any, list[logging.LogRecord]]) -> None:
    data = memoryview(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    while data:
        data = data[os.write(fd, data) :]
    os.close(fd)
