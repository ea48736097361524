"""One warning for a file the build cannot write (``dossier.write``), naming the path."""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from sphinx_dossier.buildwarnings import BuildWarning
from sphinx_dossier.fsio import describe_os_error

logger = logging.getLogger(__name__)


def write_warning(path: Path, error: OSError, fix: str) -> None:
    """``cannot write <path>: <reason>; <fix>`` as a ``dossier.write`` warning.

    The path is in the message, not the location: Sphinx reads a location without a
    line as a document name and would add a source suffix to it.
    """
    logger.warning(
        "cannot write %s: %s; %s",
        path,
        describe_os_error(error),
        fix,
        type="dossier",
        subtype=BuildWarning.WRITE,
    )
