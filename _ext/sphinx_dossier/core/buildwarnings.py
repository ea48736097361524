"""Warning subtypes the Sphinx side emits (the loader's own are in diagnostics.Subtype)."""

from __future__ import annotations

from enum import StrEnum


class BuildWarning(StrEnum):
    """``dossier.<value>`` warnings of a build; silence one with ``suppress_warnings``."""

    MARKUP = "markup"
    """A text field uses markup beyond inline MyST and the dossier roles; it is shown as text."""
    DANGLING_REF = "dangling-ref"
    """A dossier role names no record or claim (or a record of another kind)."""
    ANCHOR = "anchor"
    """A claim id is an anchor the record page already uses; the claim gets ``claim-<id>``."""
    LABEL_CLASH = "label-clash"
    """Another page defines a label with a record's id, so ``:ref:`` to the id goes there."""
    CONFIG = "config"
    """A ``dossier_*`` configuration value has the wrong type or range; the default is used."""
    RECORD = "record"
    """A ``dossier:record`` directive names no valid record, no data is loaded, or the
    record is shown on its page already."""
    LISTING = "listing"
    """A ``dossier:listing`` directive names an unknown listing."""
    TOCTREE = "toctree"
    """A generated listing page is in no toctree: the message gives the toctree to add."""
    WRITE = "write"
    """A file the build writes (a page stub, a data file) cannot be written: the message
    names the path and the system's reason (read-only folder, disk full)."""
    EVIDENCE = "evidence"
    """A paragraph of an evidence page (front matter ``dossier-evidence: true``) cites no
    claim or record: every paragraph that states facts links to what backs them."""
    PAGE_PARAPHRASE = "close-paraphrase"
    """A paragraph of an evidence page shares a run of consecutive words (8 by default,
    ``dossier_paraphrase_words``) with a source outside quotation marks."""
