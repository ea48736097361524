"""Sphinx extension ``sphinx_dossier``: a domain and generated pages for sourced YAML records.

The package has three layers, imported in one direction only (see "Architecture" in
docs/extension.md): ``sphinx_ext`` (Sphinx glue) uses ``outputs`` (exports, figures)
and ``core`` (records, validation, the dataset); ``cli`` uses ``outputs`` and ``core``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx_dossier._version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["__version__", "setup"]


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx's entry point (``extensions = ["sphinx_dossier"]``)."""
    # Imported here, not at module level: `python -m sphinx_dossier check` imports this
    # package and should not pay for Sphinx and every page module.
    from sphinx_dossier.sphinx_ext import setup as setup_extension

    return setup_extension(app)
