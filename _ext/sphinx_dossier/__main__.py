"""``python -m sphinx_dossier``: the command-line checker."""

from __future__ import annotations

import sys

from sphinx_dossier.cli import main

if __name__ == "__main__":
    sys.exit(main())
