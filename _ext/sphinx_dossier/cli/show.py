"""``show ID``: print a record with its claims, citations, backlinks and problems."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Any, TextIO

from sphinx_dossier.cli._common import (
    EXIT_ERRORS,
    EXIT_OK,
    Subparsers,
    UsageError,
    data_option,
    existing_data_dir,
)
from sphinx_dossier.core.dataset import Dataset, LoadedRecord
from sphinx_dossier.core.diagnostics import Subtype
from sphinx_dossier.core.kinds import FOLDERS, KINDS
from sphinx_dossier.core.text import display_title

__all__ = ["add_show", "run_show"]

#: Fields whose values are record ids; ``show`` prints the title beside each.
_ID_FIELDS = frozenset({"actors", "agreements", "parties", "parent", "organization", "source"})


def add_show(sub: Subparsers) -> None:
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
    data_option(p)
    p.set_defaults(handler=run_show)


def run_show(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``show``: print one record with its claims, citations, backlinks and problems."""
    out = out or sys.stdout
    data_dir = existing_data_dir(args.data_dir)
    record_id: str = args.id
    dataset = Dataset.load(data_dir)
    loaded = dataset.get(record_id)
    files = [data_dir / FOLDERS[k] / f"{record_id}.yaml" for k in KINDS]
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
    from sphinx_dossier.outputs.export import layout_urls, plain_claim_text

    record = loaded.record
    page = layout_urls(dataset)(loaded.id)
    print(display_title(loaded), file=out)
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
                about = f" ({display_title(source)}" + (f", {published.iso})" if published else ")")
            print(f"    [{numbers}] {cite.source}{about}", file=out)
            print(f'        "{cite.quote}"', file=out)
            if cite.note:
                print(f"        note: {cite.note}", file=out)
    backlinks = dataset.backlinks(loaded.id)
    print("\nreferenced by:" + ("" if backlinks else " nothing"), file=out)
    for other_id in backlinks:
        other = dataset.records[other_id]
        print(f"  {other_id} ({other.kind}: {display_title(other)})", file=out)


def _titled(record_id: str, dataset: Dataset) -> str:
    other = dataset.get(record_id)
    return f"{record_id} ({display_title(other)})" if other is not None else record_id


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
