"""The content licence of a dossier (``dossier_license``), and content versions.

A licence is given by its SPDX identifier (``"CC-BY-4.0"``), which this module turns
into a name and a URL for the licences dossiers commonly use, or as a mapping with
``name`` and ``url`` (and optionally ``id``) for any other. The licence goes into
``dataset.json``, the JSON-LD, the annotations and the SQLite database; it covers the
dossier's own words and data, not the quotes, which stay their publishers'.

Content versions are short digests of what the records say (not of where their
pages are), so a citation can name the state of the text it cites.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from sphinx_dossier.core.docstrings import describe_fields

if TYPE_CHECKING:
    from sphinx_dossier.core.dataset import Dataset, LoadedRecord

__all__ = [
    "KNOWN_LICENSES",
    "VERSION_DIGITS",
    "License",
    "LicenseError",
    "content_version",
    "record_version",
    "resolve_license",
]

#: SPDX identifier -> (name, URL) of the licences a dossier's content commonly uses.
KNOWN_LICENSES: dict[str, tuple[str, str]] = {
    "CC0-1.0": (
        "CC0 1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution-NonCommercial 4.0 International",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    "CC-BY-NC-SA-4.0": (
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    "CC-BY-ND-4.0": (
        "Creative Commons Attribution-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication & License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}

#: Hex digits of a content version: short enough to quote, long enough not to collide.
VERSION_DIGITS = 12


class LicenseError(ValueError):
    """A ``dossier_license`` value that names no licence; the message says how to fix it."""


class License(BaseModel):
    """The licence of the dossier's own text and data (quotes stay their publishers')."""

    # Built at first use, after its fields get their docstrings as descriptions (below).
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    id: str | None
    """SPDX identifier (``CC-BY-4.0``), null for a licence without one."""
    name: str
    """The licence's name."""
    url: str | None
    """Where the licence text is."""


describe_fields(License)


def resolve_license(value: str | Mapping[str, Any] | None) -> License | None:
    """The licence ``value`` names: an SPDX id of :data:`KNOWN_LICENSES`, or a mapping
    with ``name`` and ``url`` (and optionally ``id``); None for no licence."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        known = {key.lower(): key for key in KNOWN_LICENSES}
        key = known.get(value.strip().lower())
        if key is None:
            raise LicenseError(
                f"unknown licence {value!r}: use one of {', '.join(KNOWN_LICENSES)},"
                " or a dict with 'name' and 'url'"
            )
        known_name, known_url = KNOWN_LICENSES[key]
        return License(id=key, name=known_name, url=known_url)
    if isinstance(value, Mapping):
        extra = sorted(set(value) - {"id", "name", "url"})
        given, url, spdx = value.get("name"), value.get("url"), value.get("id")
        if extra or not isinstance(given, str) or not given.strip():
            raise LicenseError(
                "a licence given as a dict needs a 'name' (text) and may have 'url' and"
                f" 'id', nothing else; got {dict(value)!r}"
            )
        if url is not None and not (
            isinstance(url, str) and url.startswith(("http://", "https://"))
        ):
            raise LicenseError(f"the licence 'url' must be an http(s) address, got {url!r}")
        if spdx is not None and not isinstance(spdx, str):
            raise LicenseError(f"the licence 'id' must be text, got {spdx!r}")
        return License(id=spdx, name=given.strip(), url=url)
    raise LicenseError(
        f"dossier_license must be an SPDX id (text) or a dict with 'name' and 'url', got {value!r}"
    )


def _digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:VERSION_DIGITS]


def record_version(loaded: LoadedRecord) -> str:
    """The version of one record: a digest of its fields (claims included), not of
    its file's layout or comments, nor of its page's URL."""
    data = loaded.record.model_dump(mode="json")
    return _digest([json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))])


def content_version(dataset: Dataset, version: Callable[[LoadedRecord], str] | None = None) -> str:
    """The version of a whole dataset: a digest of every valid record's version
    (``version`` gives a record's, when the caller keeps them between builds)."""
    of = version or record_version
    rows = sorted(f"{record_id} {of(loaded)}" for record_id, loaded in _valid(dataset))
    return _digest(rows)


def _valid(dataset: Dataset) -> Iterable[tuple[str, LoadedRecord]]:
    from sphinx_dossier.core.kinds import KINDS

    for kind in KINDS:
        for loaded in dataset.by_kind(kind):
            yield loaded.id, loaded
