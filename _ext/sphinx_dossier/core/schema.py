"""JSON Schema files generated from the record models (``schema/<kind>.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx_dossier.core.fsio import atomic_write
from sphinx_dossier.core.kinds import KINDS, MODELS
from sphinx_dossier.core.model import RecordKind

__all__ = ["JSON_SCHEMA_DIALECT", "schema_file_name", "schema_for", "schema_text", "write_schemas"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_file_name(kind: RecordKind) -> str:
    """``<kind>.schema.json``."""
    return f"{kind}.schema.json"


def schema_for(kind: RecordKind) -> dict[str, Any]:
    """The JSON Schema of a ``kind`` record, from its model."""
    model = MODELS[kind]
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_file_name(kind),
        **model.model_json_schema(mode="validation"),
    }
    schema["title"] = f"dossier {kind} record"
    schema["$comment"] = "Generated from sphinx_dossier.model: python -m sphinx_dossier schema"
    # Claims are shared by every kind, but what they may support depends on the kind:
    # naming the choices lets editors complete and check them.
    supports = schema.get("$defs", {}).get("Claim", {}).get("properties", {}).get("supports")
    if supports is not None:
        supports["items"] = {"enum": sorted(model.supportable)}
    return schema


def schema_text(kind: RecordKind) -> str:
    """The schema as committed: sorted keys, two-space indent, final newline."""
    return json.dumps(schema_for(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path, *, check: bool = False) -> list[Path]:
    """Write every kind's schema into ``directory``, or with ``check`` only compare.

    Returns the files that were (or, with ``check``, would be) changed.
    """
    changed: list[Path] = []
    for kind in KINDS:
        path = directory / schema_file_name(kind)
        text = schema_text(kind)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current == text:
            continue
        changed.append(path)
        if not check:
            directory.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text)
    return changed
