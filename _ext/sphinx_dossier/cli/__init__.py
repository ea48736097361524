"""Command line: ``python -m sphinx_dossier check|schema|new|show|export`` (``sphinx-dossier``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sphinx_dossier.cli._common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Handler, UsageError, prog
from sphinx_dossier.cli.check import add_check
from sphinx_dossier.cli.corpus import add_corpus
from sphinx_dossier.cli.export import add_export
from sphinx_dossier.cli.init import add_init
from sphinx_dossier.cli.new import add_new
from sphinx_dossier.cli.schema import add_schema
from sphinx_dossier.cli.show import add_show

__all__ = ["EXIT_ERRORS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (one module each in this package)."""
    parser = argparse.ArgumentParser(
        prog=prog(),
        description="Check and use a dossier data directory without Sphinx.",
        epilog=(
            "Exit status: 0 success, 1 the data has errors (each printed as"
            " 'path:line: message [dossier.subtype]'), 2 usage error."
            " 'COMMAND --help' describes each command."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in (add_check, add_corpus, add_schema, add_init, add_new, add_show, add_export):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 errors, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors by exiting
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler: Handler = args.handler
    try:
        return handler(args)
    except UsageError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK
    except OSError as exc:  # e.g. a folder that cannot be listed: a message, not a traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(f"{parser.prog} {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USAGE
