"""``schema``: write the JSON Schema files generated from the record model, or check them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from sphinx_dossier.cli._common import EXIT_ERRORS, EXIT_OK, Subparsers

__all__ = ["add_schema", "run_schema"]


def add_schema(sub: Subparsers) -> None:
    p = sub.add_parser(
        "schema",
        help="write the JSON Schema files generated from the record model",
        description=(
            "Write schema/<kind>.schema.json and schema/dataset.schema.json (the export's)"
            " from the models, or verify them with --check."
        ),
    )
    p.add_argument("--dir", default="schema", metavar="DIR",
                   help="where the schema files live (default: ./schema)")  # fmt: skip
    p.add_argument("--check", action="store_true",
                   help="do not write; exit 1 if a file is missing or out of date")  # fmt: skip
    p.set_defaults(handler=run_schema)


def _write_dataset_schema(directory: Path, *, check: bool) -> list[Path]:
    """The export's schema (``dataset.schema.json``) beside the record schemas."""
    from sphinx_dossier.core.fsio import atomic_write
    from sphinx_dossier.outputs.export import SCHEMA_FILE, dataset_schema, dumps

    path = directory / SCHEMA_FILE
    text = dumps(dataset_schema())
    try:
        if path.read_text(encoding="utf-8") == text:
            return []
    except OSError:
        pass
    if not check:
        directory.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
    return [path]


def run_schema(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``schema``: write the schema files, or with ``--check`` report stale ones."""
    from sphinx_dossier.core.schema import write_schemas

    out = out or sys.stdout
    changed = write_schemas(Path(args.dir), check=args.check)
    changed += _write_dataset_schema(Path(args.dir), check=args.check)
    if args.check:
        for path in changed:
            print(
                f"{path}: out of date with the model: run 'python -m sphinx_dossier schema'",
                file=out,
            )
        return EXIT_ERRORS if changed else EXIT_OK
    for path in changed:
        print(f"wrote {path}", file=out)
    if not changed:
        print("schema files are up to date", file=out)
    return EXIT_OK
