"""The names of the data files and the export's format version, with nothing else.

Kept apart from the modules that make the files (:mod:`.export`, :mod:`.sqlite`,
:mod:`.annotations`), so that code which only names them (the list of data files on
a page, the key of a build's inputs) does not import the models and writers.
"""

from __future__ import annotations

from typing import Final

#: Name of the export format, and its version: bump the version when the shape changes.
EXPORT_FORMAT: Final = "sphinx-dossier-dataset"
EXPORT_VERSION: Final = 2  # 2: content versions and the licence
DATASET_FILE: Final = "dataset.json"
SCHEMA_FILE: Final = "dataset.schema.json"
TIMELINE_FILE: Final = "timeline.json"
ANNOTATIONS_FILE: Final = "annotations.jsonld"
DATABASE_FILE: Final = "dossier.db"
METADATA_FILE: Final = "dossier.metadata.json"
