"""Where generated pages live: one folder per record kind, plus the listing pages."""

from __future__ import annotations

from sphinx_dossier.core.kinds import DISPLAY_ORDER, FOLDERS

#: Folder (under ``dossier_pages_dir``) of each record kind, in the site's order.
KIND_DIRS: dict[str, str] = {kind: FOLDERS[kind] for kind in DISPLAY_ORDER}

#: Listing pages generated beside the folders (``records/timeline`` ...).
LISTINGS = ("timeline", "actors", "agreements", "sources")


def record_docname(pages_dir: str, kind: str, record_id: str) -> str:
    """The docname of a record's own page."""
    return f"{pages_dir}/{KIND_DIRS[kind]}/{record_id}"
