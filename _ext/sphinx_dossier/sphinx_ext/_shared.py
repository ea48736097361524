"""What every Sphinx-side module needs, in one leaf module: the logger, the one way to
emit a ``dossier.*`` warning, how locations are shown, and the domain accessor.

It imports nothing else from ``sphinx_ext`` (the domain only for type checking), so
any module here may use it without creating an import cycle.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, cast

from sphinx.util import logging

from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.fsio import describe_os_error

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.environment import BuildEnvironment

    from sphinx_dossier.core.dataset import LoadedRecord
    from sphinx_dossier.core.diagnostics import Problem
    from sphinx_dossier.sphinx_ext.domain import DossierDomain

__all__ = [
    "display_location",
    "display_path",
    "dossier_domain",
    "logger",
    "page_record",
    "report_problem",
    "warn",
    "warn_at",
    "write_warning",
]

logger = logging.getLogger("sphinx_dossier")


#: Where a warning points: ``path:line``, a (docname, line) pair or a node.
Location: TypeAlias = "str | tuple[str | None, int | None] | nodes.Node | None"


def warn(subtype: BuildWarning, message: str, *args: object, location: Location = None) -> None:
    """Emit one ``dossier.<subtype>`` warning of the build (``suppress_warnings`` can silence it).

    With :func:`report_problem`, the only way the extension warns: a test scans the
    package for any other ``logger.warning`` and for subtypes given as bare strings.
    """
    _emit(subtype, message, *args, location=location)


def _emit(subtype: str, message: str, *args: object, location: Location = None) -> None:
    logger.warning(message, *args, location=location, type="dossier", subtype=subtype)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as users should read it: relative to the working directory when inside it.

    Links are not resolved: with a linked ``data/`` the user edits ``data/...``, not
    the place the link leads to (the checker names the same path).
    """
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(absolute)


def display_location(
    path: str | os.PathLike[str], line: int | None, column: int | None = None
) -> str:
    """``path:line[:column]`` for warnings (``path:`` when the line is unknown)."""
    where = f"{display_path(path)}:{line if line else ''}"
    return f"{where}:{column}" if line and column else where


def warn_at(
    path: str | os.PathLike[str], line: int | None, subtype: BuildWarning, message: str
) -> None:
    """A ``dossier.<subtype>`` warning of the build at ``path:line`` of a YAML file."""
    _emit_at(path, line, subtype, message)


def report_problem(problem: Problem) -> None:
    """A problem the loader found, as the checker words it (``dossier.<checker subtype>``).

    Notes (severity ``info``) go to the log, not the warning stream: they never fail
    a ``-W`` build.
    """
    if problem.severity == "info":
        location = display_location(problem.path, problem.line, problem.column)
        logger.info("%s: %s [dossier.%s]", location, problem.message, problem.subtype)
    else:
        _emit_at(problem.path, problem.line, problem.subtype, problem.message, problem.column)


def _emit_at(
    path: str | os.PathLike[str],
    line: int | None,
    subtype: str,
    message: str,
    column: int | None = None,
) -> None:
    # Without a line the path leads the message instead: Sphinx prints a location of
    # ``path:`` as ``path::`` and reads one without a colon as a document name.
    if line:
        _emit(subtype, message, location=display_location(path, line, column))
    else:
        _emit(subtype, "%s: %s", display_path(path), message)


def write_warning(path: Path, error: OSError, fix: str) -> None:
    """``cannot write <path>: <reason>; <fix>`` as a ``dossier.write`` warning.

    The path is in the message, not the location: Sphinx reads a location without a
    line as a document name and would add a source suffix to it.
    """
    warn(BuildWarning.WRITE, "cannot write %s: %s; %s", path, describe_os_error(error), fix)


def dossier_domain(env: BuildEnvironment) -> DossierDomain:
    """The dossier domain of a build (the one typed accessor; no module casts its own)."""
    return cast("DossierDomain", env.domains["dossier"])


def page_record(env: BuildEnvironment, pagename: str) -> LoadedRecord | None:
    """The record whose own page ``pagename`` is, or None (a hand-written page).

    A record page's docname ends in the record id; checking the entry keeps this O(1).
    """
    domain = dossier_domain(env)
    dataset = domain.dataset
    if dataset is None:
        return None
    record_id = pagename.rsplit("/", 1)[-1]
    entry = domain.records.get(record_id)
    if entry is None or entry.docname != pagename:
        return None
    return dataset.records.get(record_id)
