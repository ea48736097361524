"""``new KIND ID``: write a record skeleton with the schema comment and the required fields."""

from __future__ import annotations

import argparse
import re
import sys
import typing
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from sphinx_dossier.cli._common import (
    EXIT_OK,
    Subparsers,
    UsageError,
    data_option,
    existing_data_dir,
    prog,
)
from sphinx_dossier.core.dataset import schema_comment
from sphinx_dossier.core.fsio import atomic_create
from sphinx_dossier.core.kinds import FOLDERS, KINDS, MODELS
from sphinx_dossier.core.model import ID_MAX_LENGTH, Claim, RecordKind, is_valid_id
from sphinx_dossier.core.schema import schema_file_name, schema_text

__all__ = ["add_new", "run_new", "skeleton"]

_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z])")


def add_new(sub: Subparsers) -> None:
    p = sub.add_parser(
        "new",
        help="write a record skeleton with the schema comment and the required fields",
        description=(
            "Write DATA/<kinds>/ID.yaml: the schema comment, the id, every required field"
            " left empty, the optional fields as comments, and one claim to fill in."
            " Never overwrites: an id already used by any record is refused."
            " Then fill it in and run 'check'. Exit status: 0 written, 2 usage error"
            " (unknown kind, invalid or existing id, missing data directory)."
        ),
    )
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    p.add_argument("id", metavar="ID",
                   help=f"the new record's id: lowercase letters, digits and single hyphens,"
                        f" at most {ID_MAX_LENGTH} characters (e.g. talks-2016)")  # fmt: skip
    data_option(p)
    p.set_defaults(handler=run_new)


def skeleton(kind: RecordKind, record_id: str) -> str:
    """The text of a new record: required fields empty, optional ones as comments."""
    lines = [schema_comment(kind), f"id: {record_id}"]
    model = MODELS[kind]
    for name, info in model.model_fields.items():
        if name in ("id", "claims"):
            continue
        lines.extend(_field_lines(name, info, model, indent=""))
    lines.append(f"claims:  # {_describe(model.model_fields['claims'].description)}")
    lines.extend(_item_lines(Claim, indent="    "))
    return "\n".join(lines) + "\n"


def _field_lines(name: str, info: Any, owner: type[BaseModel], indent: str) -> list[str]:
    description = _describe(info.description)
    nested = _nested_model(info.annotation)
    if not info.is_required():
        return [f"{indent}# {name}:  # optional: {description}"]
    if nested is not None:
        lines = [f"{indent}{name}:  # {description}"]
        for sub_name, sub_info in nested.model_fields.items():
            lines.extend(_field_lines(sub_name, sub_info, nested, indent + "  "))
        return lines
    value = "[]" if typing.get_origin(_strip(info.annotation)) is list else '""'
    return [f"{indent}{name}: {value}  # {description}"]


def _item_lines(model: type[BaseModel], indent: str) -> list[str]:
    """One list item of ``model`` with its required fields (and ``supports`` for claims)."""
    lines: list[str] = []
    for name, info in model.model_fields.items():
        if not info.is_required() and name != "supports":
            continue
        nested = _list_item_model(info.annotation)
        prefix = f"{indent[:-2]}- " if not lines else indent
        description = _describe(info.description)
        if nested is not None:
            lines.append(f"{prefix}{name}:  # {description}")
            lines.extend(_item_lines(nested, indent + "    "))
            continue
        value = "[]" if typing.get_origin(_strip(info.annotation)) is list else '""'
        lines.append(f"{prefix}{name}: {value}  # {description}")
    return lines


def _strip(annotation: Any) -> Any:
    # Annotated[X, ...] -> X; X | None -> X
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, type(int | None)) and len(args) == 1:
            annotation = args[0]
            continue
        return annotation


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    inner = _strip(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _list_item_model(annotation: Any) -> type[BaseModel] | None:
    inner = _strip(annotation)
    if typing.get_origin(inner) is list:
        return _nested_model(typing.get_args(inner)[0])
    return None


def _describe(text: str | None) -> str:
    words = " ".join((text or "").split()).replace("``", "")
    return _SENTENCE_END.split(words, maxsplit=1)[0].rstrip(".")


def run_new(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``new``: write a skeleton record file, refusing to overwrite anything."""
    out = out or sys.stdout
    kind: RecordKind = args.kind
    created = _create_data_dir(Path(args.data_dir))
    data_dir = existing_data_dir(args.data_dir)
    record_id: str = args.id
    if not is_valid_id(record_id):
        raise UsageError(
            f"'{record_id}' is not a valid id: use lowercase letters, digits and single hyphens,"
            f" at most {ID_MAX_LENGTH} characters (like 'gsomia-signed-2016')"
        )
    for other_kind in KINDS:
        existing = data_dir / FOLDERS[other_kind] / f"{record_id}.yaml"
        if existing.exists():
            raise UsageError(
                f"{existing} already exists: ids are unique across all kinds; choose another"
                " id, or edit that file"
            )
    path = data_dir / FOLDERS[kind] / f"{record_id}.yaml"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_create(path, skeleton(kind, record_id))
    except FileExistsError:
        raise UsageError(f"{path} already exists") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if created:
        print(f"created the data directory {data_dir}", file=out)
    print(
        f"wrote {path}: fill in the empty fields and the claim, then run"
        f" '{prog()} check {data_dir}'",
        file=out,
    )
    schema = _write_schema(data_dir, kind)
    if schema is not None:
        print(f"wrote {schema}, which the record's first line points editors at", file=out)
    return EXIT_OK


def _create_data_dir(data_dir: Path) -> bool:
    """A new project has no data directory yet: make it when the folder it goes in exists.

    A data directory whose parent is missing too is more likely a typo, and stays a
    usage error (``existing_data_dir``).
    """
    if data_dir.exists() or not data_dir.parent.is_dir():
        return False
    try:
        data_dir.mkdir()
    except OSError as exc:
        raise UsageError(
            f"cannot create the data directory {data_dir}: {exc.strerror or exc}"
        ) from None
    return True


def _write_schema(data_dir: Path, kind: RecordKind) -> Path | None:
    """The schema file the record's first line names (``../../schema/<kind>.schema.json``
    from the record), when the project has none: a project not made by ``init`` lacks it.
    """
    path = data_dir.parent / "schema" / schema_file_name(kind)
    if path.exists():
        return None
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_create(path, schema_text(kind))
    except OSError:
        return None  # the editor's help is a convenience; the record is written
    return path
