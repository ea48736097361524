"""Loading the dataset once per build and reporting its problems as Sphinx warnings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sphinx.util import logging

from sphinx_dossier.config import corpus_dir, data_dir

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.dataset import Dataset
    from sphinx_dossier.domain import DossierDomain

logger = logging.getLogger(__name__)

REFERENCE_SUBTYPES = frozenset({"reference", "claim-reference"})


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as users should read it: relative to the working directory when inside it."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(resolved)


def display_location(path: str | os.PathLike[str], line: int | None) -> str:
    """``path:line`` for warnings (``path:`` when the line is unknown)."""
    return f"{display_path(path)}:{line if line else ''}"


def dossier_domain(app: Sphinx) -> DossierDomain:
    return cast("DossierDomain", app.env.domains["dossier"])


def load_dataset(app: Sphinx) -> Dataset:
    """Load and validate the data directory; emit every problem, each at its YAML line."""
    from sphinx_dossier.dataset import Dataset

    dataset = Dataset.load(
        data_dir(app),
        corpus_dir=corpus_dir(app),
        max_quote_words=app.config.dossier_quote_max_words,
    )
    for problem in dataset.problems:
        subtype = str(getattr(problem.subtype, "value", problem.subtype))
        location = display_location(problem.path, problem.line)
        if str(getattr(problem.severity, "value", problem.severity)) == "info":
            logger.info("%s: %s [dossier.%s]", location, problem.message, subtype)
        else:
            logger.warning(problem.message, location=location, type="dossier", subtype=subtype)
    domain = dossier_domain(app)
    domain.dataset = dataset
    # The loader already reports dangling references at their YAML line; the
    # write-time resolver must not report them a second time.
    domain.reported_references = {
        display_location(problem.path, problem.line)
        for problem in dataset.problems
        if str(getattr(problem.subtype, "value", problem.subtype)) in REFERENCE_SUBTYPES
    }
    return dataset
