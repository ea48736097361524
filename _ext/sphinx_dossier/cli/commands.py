"""Contributor commands: ``new KIND ID`` (record skeleton), ``show ID`` and ``export``."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import BaseModel

from sphinx_dossier.cli import EXIT_ERRORS, EXIT_OK, UsageError
from sphinx_dossier.core.corpus import CORPUS_ENV, resolve_corpus_dir
from sphinx_dossier.core.dataset import Dataset, LoadedRecord, schema_comment
from sphinx_dossier.core.diagnostics import Subtype
from sphinx_dossier.core.fsio import atomic_create, atomic_write
from sphinx_dossier.core.model import (
    DIRECTORY_KINDS,
    ID_MAX_LENGTH,
    KINDS,
    MODELS,
    Claim,
    RecordKind,
    is_valid_id,
)

__all__ = ["add_commands", "run_export", "run_new", "run_show", "skeleton"]

_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z])")
_FOLDERS: dict[str, str] = {kind: folder for folder, kind in DIRECTORY_KINDS.items()}
#: Fields whose values are record ids; ``show`` prints the title beside each.
_ID_FIELDS = frozenset({"actors", "agreements", "parties", "parent", "organization", "source"})

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def add_commands(sub: Subparsers) -> None:
    """Register ``init``, ``new``, ``show`` and ``export``."""
    from sphinx_dossier.cli.init import add_init

    add_init(sub)
    _add_new(sub)
    _add_show(sub)
    _add_export(sub)


def _data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", dest="data_dir", default="data", metavar="DIR",
                   help="the data directory (default: ./data)")  # fmt: skip


def _add_new(sub: Subparsers) -> None:
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
    _data_option(p)
    p.set_defaults(handler=run_new)


def _add_show(sub: Subparsers) -> None:
    p = sub.add_parser(
        "show",
        help="print a record with its claims, citations and backlinks",
        description=(
            "Print one record as text: its fields (with the titles of referenced records),"
            " each claim with its citations and quotes, the records that reference it, and"
            " any problem in its file. Exit status: 0 shown, 1 the record has errors,"
            " 2 usage error (unknown id, missing data directory)."
        ),
    )
    p.add_argument("id", metavar="ID", help="the record id (any kind)")
    _data_option(p)
    p.set_defaults(handler=run_show)


def _add_export(sub: Subparsers) -> None:
    p = sub.add_parser(
        "export",
        help="write the JSON dataset (and optionally TimelineJS and the schema) without Sphinx",
        description=(
            "Validate the data like 'check', then write the JSON dataset: every record, claim"
            " and citation with ids, resolved references and page URLs (as the site lays them"
            " out). Nothing is written when the data has errors. Corpus: --corpus, else"
            f" ${CORPUS_ENV}, else skipped. Exit status: 0 written, 1 data errors (printed to"
            " stderr), 2 usage error."
        ),
    )
    p.add_argument("data_dir", nargs="?", default="data", metavar="DATA_DIR",
                   help="the data directory (default: ./data)")  # fmt: skip
    p.add_argument("--out", metavar="FILE", default="-",
                   help="where to write the dataset (default: standard output)")  # fmt: skip
    p.add_argument("--timeline", metavar="FILE", default=None,
                   help="also write the events as TimelineJS JSON to FILE")  # fmt: skip
    p.add_argument("--schema", metavar="FILE", default=None,
                   help="also write the dataset's JSON Schema to FILE")  # fmt: skip
    p.add_argument("--corpus", metavar="DIR", default=None,
                   help=f"directory with the source texts (default: ${CORPUS_ENV})")  # fmt: skip
    p.add_argument("--pages-dir", metavar="DIR", default="records",
                   help="folder of the record pages in the site (default: records)")  # fmt: skip
    p.add_argument("--base-url", metavar="URL", default="",
                   help="make page URLs absolute with this site URL")  # fmt: skip
    p.set_defaults(handler=run_export)


def _existing_data_dir(value: str) -> Path:
    data_dir = Path(value)
    if not data_dir.is_dir():
        raise UsageError(f"data directory not found: {data_dir} (pass --data DIR)")
    if not os.access(data_dir, os.R_OK | os.X_OK):
        raise UsageError(f"data directory cannot be read: {data_dir}")
    return data_dir


# -- new ---------------------------------------------------------------------------------------


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
    data_dir = _existing_data_dir(args.data_dir)
    kind: RecordKind = args.kind
    record_id: str = args.id
    if not is_valid_id(record_id):
        raise UsageError(
            f"'{record_id}' is not a valid id: use lowercase letters, digits and single hyphens,"
            f" at most {ID_MAX_LENGTH} characters (like 'gsomia-signed-2016')"
        )
    for other_kind in KINDS:
        existing = data_dir / _FOLDERS[other_kind] / f"{record_id}.yaml"
        if existing.exists():
            raise UsageError(
                f"{existing} already exists: ids are unique across all kinds; choose another"
                " id, or edit that file"
            )
    path = data_dir / _FOLDERS[kind] / f"{record_id}.yaml"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_create(path, skeleton(kind, record_id))
    except FileExistsError:
        raise UsageError(f"{path} already exists") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    from sphinx_dossier.cli import _prog

    print(
        f"wrote {path}: fill in the empty fields and the claim, then run"
        f" '{_prog()} check {data_dir}'",
        file=out,
    )
    return EXIT_OK


# -- show --------------------------------------------------------------------------------------


def run_show(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``show``: print one record with its claims, citations, backlinks and problems."""
    out = out or sys.stdout
    data_dir = _existing_data_dir(args.data_dir)
    record_id: str = args.id
    dataset = Dataset.load(data_dir)
    loaded = dataset.get(record_id)
    files = [data_dir / _FOLDERS[k] / f"{record_id}.yaml" for k in KINDS]
    present = [f for f in files if f.is_file()]
    if loaded is None and not present:
        known = sorted(set(dataset.records) | {p.stem for p in data_dir.glob("*/*.yaml")})
        close = difflib.get_close_matches(record_id, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"no record with id '{record_id}' in {data_dir}{hint}")
    paths = {loaded.path} if loaded is not None else set(present)
    problems = [p for p in dataset.errors if p.path in paths]
    if loaded is None:
        # Also say why the file may not have been read at all (e.g. a folder not listable).
        problems += [p for p in dataset.errors if p.subtype == Subtype.IO and p not in problems]
    if loaded is not None:
        _print_record(loaded, dataset, out)
    else:
        print(f"{present[0]}: the record has errors and cannot be shown:", file=out)
    if problems:
        print("\nproblems:", file=out)
        cwd = Path.cwd()
        for problem in problems:
            print(f"  {problem.format(relative_to=cwd)}", file=out)
    return EXIT_ERRORS if problems or loaded is None else EXIT_OK


def _print_record(loaded: LoadedRecord, dataset: Dataset, out: TextIO) -> None:
    from sphinx_dossier.outputs.export import layout_urls, plain_claim_text, record_title

    record: Any = loaded.record
    page = layout_urls(dataset)(loaded.id)
    print(record_title(loaded), file=out)
    print(f"{loaded.kind} {loaded.id} · {loaded.path} · page {page}", file=out)
    print(file=out)
    values = record.model_dump(mode="json", exclude={"id", "claims"})
    for name in type(record).model_fields:
        value = values.get(name)
        if name in ("id", "claims") or value is None or value == []:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            print(f"{name}:", file=out)
            for item in value:
                print(f"  - {_mapping_text(item, dataset)}", file=out)
        else:
            print(f"{name}: {_value_text(name, value, dataset)}", file=out)
    numbers = 0
    if record.claims:
        print("\nclaims:", file=out)
    for claim in record.claims:
        print(f"  {claim.id}: {plain_claim_text(claim.text, dataset)}", file=out)
        if claim.supports:
            print(f"    supports: {', '.join(claim.supports)}", file=out)
        if claim.disputed:
            print(f"    disputed: {claim.disputed}", file=out)
        for cite in claim.cites:
            numbers += 1
            source = dataset.get(cite.source)
            about = ""
            if source is not None:
                published = getattr(source.record, "published", None)
                about = f" ({record_title(source)}" + (f", {published.iso})" if published else ")")
            print(f"    [{numbers}] {cite.source}{about}", file=out)
            print(f'        "{cite.quote}"', file=out)
            if cite.note:
                print(f"        note: {cite.note}", file=out)
    backlinks = dataset.backlinks(loaded.id)
    print("\nreferenced by:" + ("" if backlinks else " nothing"), file=out)
    for other_id in backlinks:
        other = dataset.records[other_id]
        print(f"  {other_id} ({other.kind}: {record_title(other)})", file=out)


def _titled(record_id: str, dataset: Dataset) -> str:
    from sphinx_dossier.outputs.export import record_title

    other = dataset.get(record_id)
    return f"{record_id} ({record_title(other)})" if other is not None else record_id


def _value_text(name: str, value: Any, dataset: Dataset) -> str:
    if isinstance(value, dict):
        if set(value) <= {"value", "basis"}:  # a date with its basis
            return f"{value.get('value')} ({value.get('basis', 'stated')})"
        return _mapping_text(value, dataset)
    if isinstance(value, list):
        return ", ".join(_value_text(name, item, dataset) for item in value)
    if name in _ID_FIELDS and isinstance(value, str):
        return _titled(value, dataset)
    return str(value)


def _mapping_text(value: dict[str, Any], dataset: Dataset) -> str:
    return ", ".join(
        f"{key}: {_value_text(key, item, dataset)}"
        for key, item in value.items()
        if item is not None and item != []
    )


# -- export ------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``export``: validate, then write the dataset (and timeline, schema) if it is clean."""
    # Imported here: its models cost ``check`` (which imports this module) 40 ms.
    from sphinx_dossier.outputs.export import (
        build_export,
        build_timeline,
        dataset_schema,
        dumps,
        export_data,
        layout_urls,
    )

    out = out or sys.stdout
    data_dir = _existing_data_dir(args.data_dir)
    corpus_dir = resolve_corpus_dir(args.corpus)
    if args.corpus is not None and corpus_dir is not None and not corpus_dir.is_dir():
        raise UsageError(f"corpus directory not found: {corpus_dir}")
    dataset = Dataset.load(data_dir, corpus_dir=corpus_dir)
    if not dataset.ok:
        cwd = Path.cwd()
        for problem in dataset.errors:
            print(problem.format(relative_to=cwd), file=sys.stderr)
        count = len(dataset.errors)
        print(
            f"export not written: {count} error{'s' if count != 1 else ''} in the data"
            " (fix them, or see 'check')",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    urls = layout_urls(dataset, pages_dir=args.pages_dir, base_url=args.base_url)
    outputs: list[tuple[str, str]] = [
        (args.out, dumps(export_data(build_export(dataset, urls)), compact=True))
    ]
    if args.timeline is not None:
        outputs.append((args.timeline, dumps(build_timeline(dataset, urls), compact=True)))
    if args.schema is not None:
        outputs.append((args.schema, dumps(dataset_schema())))
    for target, text in outputs:
        if target == "-":
            out.write(text)
            continue
        path = Path(target)
        try:
            atomic_write(path, text)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        print(f"wrote {path}", file=sys.stderr if args.out == "-" else out)
    return EXIT_OK
