"""``export``: write the JSON dataset (and optionally TimelineJS and the schema) without Sphinx."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sphinx_dossier.cli._common import (
    EXIT_ERRORS,
    EXIT_OK,
    Subparsers,
    UsageError,
    corpus_dir,
    corpus_option,
    existing_data_dir,
)
from sphinx_dossier.core.corpus import CORPUS_ENV
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.fsio import atomic_write

if TYPE_CHECKING:
    from sphinx_dossier.outputs.export import PageUrls
    from sphinx_dossier.outputs.license import License

__all__ = ["add_export", "run_export"]


def add_export(sub: Subparsers) -> None:
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
    p.add_argument("--annotations", metavar="FILE", default=None,
                   help="also write the citations as W3C Web Annotations to FILE")  # fmt: skip
    p.add_argument("--sqlite", metavar="FILE", default=None,
                   help="also write the dataset as a SQLite database to FILE, and its Datasette"
                        " metadata beside it (FILE's name with .metadata.json)")  # fmt: skip
    p.add_argument("--title", metavar="TEXT", default="Dossier",
                   help="the name in the Datasette metadata (default: Dossier)")  # fmt: skip
    corpus_option(p)
    p.add_argument("--pages-dir", metavar="DIR", default="records",
                   help="folder of the record pages in the site (default: records)")  # fmt: skip
    p.add_argument("--base-url", metavar="URL", default="",
                   help="make page URLs absolute with this site URL")  # fmt: skip
    p.add_argument("--license", metavar="LICENSE", default=None,
                   help="licence of the dossier's text and data, as an SPDX id (e.g. CC-BY-4.0);"
                        " as dossier_license in conf.py")  # fmt: skip
    p.set_defaults(handler=run_export)


def _write_sqlite(
    args: argparse.Namespace,
    dataset: Dataset,
    urls: PageUrls,
    license: License | None,
    outputs: list[Any],
    out: TextIO,
) -> None:
    """Write the database now (it is binary) and queue its Datasette metadata."""
    import sqlite3

    from sphinx_dossier.outputs.export import build_export, dumps, export_data
    from sphinx_dossier.outputs.sqlite import datasette_metadata, write_database

    path = Path(args.sqlite)
    export = export_data(build_export(dataset, urls, license=license))
    try:
        write_database(path, export)
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"cannot write {path}: {exc}") from None
    print(f"wrote {path}", file=sys.stderr if args.out == "-" else out)
    metadata = datasette_metadata(
        export, database=path.stem, title=args.title, source_url=args.base_url or None
    )
    outputs.append((str(path.with_name(path.stem + ".metadata.json")), dumps(metadata)))


def run_export(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``export``: validate, then write the dataset (and timeline, schema) if it is clean."""
    # Imported here: the export models cost every other command (the parser imports
    # this module) 40 ms.
    from sphinx_dossier.outputs.export import (
        build_export,
        build_timeline,
        dataset_schema,
        dumps,
        export_data,
        layout_urls,
    )
    from sphinx_dossier.outputs.license import LicenseError, resolve_license

    out = out or sys.stdout
    try:
        license = resolve_license(args.license)
    except LicenseError as error:
        raise UsageError(f"--license: {error}") from None
    data_dir = existing_data_dir(args.data_dir)
    corpus = corpus_dir(args)
    dataset = Dataset.load(data_dir, corpus_dir=corpus)
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
        (
            args.out,
            dumps(export_data(build_export(dataset, urls, license=license)), compact=True),
        )
    ]
    if args.timeline is not None:
        outputs.append((args.timeline, dumps(build_timeline(dataset, urls), compact=True)))
    if args.schema is not None:
        outputs.append((args.schema, dumps(dataset_schema())))
    if args.annotations is not None:
        from sphinx_dossier.outputs.annotations import build_annotations

        annotations = build_annotations(dataset, urls, license=license)
        outputs.append((args.annotations, dumps(annotations, compact=True)))
    if args.sqlite is not None:
        _write_sqlite(args, dataset, urls, license, outputs, out)
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
