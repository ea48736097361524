"""The one cache service of the build: files beside Sphinx's ``environment.pickle``
that spare later builds work, and the keys that say when they are still valid.

Every entry is stored with :func:`code_key` (the extension's own files) and a
*scope* (the settings it depends on) and is only read back when both match, so a
change of code or settings can never reuse a stale result. A file that cannot be
read is a miss (it only costs time); one that cannot be written is an ``info``
line in the log, never a failed build. Writes are atomic.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_dossier.core.caching import CACHE_VERSION, code_key, walk_files
from sphinx_dossier.core.fsio import atomic_write, describe_os_error
from sphinx_dossier.sphinx_ext._shared import logger
from sphinx_dossier.sphinx_ext.heap import reading, settle

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["CACHE_VERSION", "BuildCache", "JournaledCache", "code_key", "walk_files"]


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


class JournaledCache:
    """A cache of many entries that an edit changes few of: a mapping whose dict values
    (*sections*: record id -> part) are stored whole now and then, and otherwise as a
    small journal of what differs from the last whole copy.

    At 1,000 records the data files' parts were 12 MB, written again whole after every
    edit to change a few entries (249 MB at 20,000). :meth:`store` writes the journal
    (entries added or changed since the whole copy, keys removed, and the other values)
    while it holds at most a quarter of the entries, else the whole mapping, which
    empties the journal. A journal applies only to the whole copy it was made against
    (a token in both), so a build stopped between the two writes leaves a whole copy
    that is read without it.
    """

    #: The journal is written while it holds at most this share of the entries.
    SHARE = 0.25

    def __init__(self, app: Sphinx, filename: str, what: str, scope: object = ()) -> None:
        self.whole = BuildCache(app, filename, what, scope)
        self.journal = BuildCache(app, f"{filename}.journal", f"{what} (journal)", scope)
        self._token: str | None = None
        self._sections: dict[str, dict[Any, Any]] = {}

    def load(self) -> dict[str, Any] | None:
        """The mapping as last stored (the whole copy with its journal applied), or None."""
        whole = self.whole.load()
        if not (isinstance(whole, tuple) and len(whole) == 2 and isinstance(whole[1], dict)):
            return None
        token, value = whole
        self._token = token
        # Copies: the caller may change the mapping it is given.
        self._sections = {k: dict(v) for k, v in value.items() if isinstance(v, dict)}
        journal = self.journal.load()
        if not (isinstance(journal, dict) and journal.get("token") == token):
            return dict(value)
        merged = dict(journal["plain"])
        for name, section in value.items():
            if not isinstance(section, dict):
                continue
            changed = journal["changed"].get(name, {})
            gone = set(journal["removed"].get(name, ()))
            if changed or gone:
                section = {k: v for k, v in section.items() if k not in gone}
                section.update(changed)
            merged[name] = section
        return merged

    def store(self, value: dict[str, Any]) -> None:
        """Keep ``value``: as a journal against the whole copy read, when it is small."""
        if self._token is not None:
            journal = self._journal(value)
            if journal is not None:
                self.journal.store(journal)
                return
        self._token = os.urandom(16).hex()
        self.whole.store((self._token, value))
        self._sections = {k: dict(v) for k, v in value.items() if isinstance(v, dict)}
        self.journal.forget()

    def _journal(self, value: dict[str, Any]) -> dict[str, Any] | None:
        """What ``value`` changes in the whole copy; None when that is too much."""
        sections = {k: v for k, v in value.items() if isinstance(v, dict)}
        if sections.keys() != self._sections.keys():
            return None
        budget = self.SHARE * sum(len(s) for s in sections.values())
        changed: dict[str, dict[Any, Any]] = {}
        removed: dict[str, list[Any]] = {}
        size = 0
        for name, section in sections.items():
            before = self._sections[name]
            new = {
                k: v
                for k, v in section.items()
                if k not in before or (before[k] is not v and before[k] != v)
            }
            gone = [k for k in before if k not in section]
            size += len(new) + len(gone)
            if size > budget:
                return None
            if new:
                changed[name] = new
            if gone:
                removed[name] = gone
        plain = {k: v for k, v in value.items() if k not in sections}
        return {"token": self._token, "changed": changed, "removed": removed, "plain": plain}

    def forget(self) -> None:
        self.whole.forget()
        self.journal.forget()
