"""Where generated pages live: one folder per record kind, plus the listing pages."""

from __future__ import annotations

#: Folder (under ``dossier_pages_dir``) of each record kind.
KIND_DIRS = {"event": "events", "agreement": "agreements", "actor": "actors", "source": "sources"}

#: Listing pages generated beside the folders (``records/timeline`` ...).
LISTINGS = ("timeline", "actors", "agreements", "sources")


def record_docname(pages_dir: str, kind: str, record_id: str) -> str:
    """The docname of a record's own page."""
    return f"{pages_dir}/{KIND_DIRS[kind]}/{record_id}"
