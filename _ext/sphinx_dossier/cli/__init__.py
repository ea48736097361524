"""Command line: ``python -m sphinx_dossier check|schema|new|show|export`` (``sphinx-dossier``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sphinx_dossier.core.corpus import CORPUS_ENV, resolve_corpus_dir
from sphinx_dossier.core.dataset import DEFAULT_MAX_QUOTE_WORDS, Dataset

__all__ = ["EXIT_ERRORS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2

#: A subcommand handler: gets the parsed arguments, returns the exit status.
Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad command-line input (exit status 2)."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from sphinx_dossier.cli.commands import add_commands

    parser = argparse.ArgumentParser(
        prog=_prog(),
        description="Check and use a dossier data directory without Sphinx.",
        epilog=(
            "Exit status: 0 success, 1 the data has errors (each printed as"
            " 'path:line: message [dossier.subtype]'), 2 usage error."
            " 'COMMAND --help' describes each command."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _add_check(sub)
    _add_schema(sub)
    add_commands(sub)
    return parser


def _prog() -> str:
    # The console script and ``python -m`` run the same parser; name the one in use.
    return (
        "sphinx-dossier"
        if Path(sys.argv[0]).name == "sphinx-dossier"
        else ("python -m sphinx_dossier")
    )


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="validate every record and print each problem as path:line",
        description=(
            "Validate every record (YAML, model, references, provenance, time rule and,"
            f" with a corpus, quotes). Corpus: --corpus, else ${CORPUS_ENV}, else skipped."
            " Exit status: 0 clean, 1 errors, 2 usage error."
        ),
    )
    p.add_argument("data_dir", nargs="?", default="data", metavar="DATA_DIR",
                   help="the data directory (default: ./data)")  # fmt: skip
    p.add_argument("--corpus", metavar="DIR", default=None,
                   help=f"directory with the source texts (default: ${CORPUS_ENV})")  # fmt: skip
    p.add_argument("--max-quote-words", metavar="N", type=_positive_int,
                   default=DEFAULT_MAX_QUOTE_WORDS,
                   help=f"longest allowed quote (default: {DEFAULT_MAX_QUOTE_WORDS})")  # fmt: skip
    p.set_defaults(handler=run_check)


def _add_schema(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "schema",
        help="write the JSON Schema files generated from the record model",
        description="Write schema/<kind>.schema.json from the model, or verify them with --check.",
    )
    p.add_argument("--dir", default="schema", metavar="DIR",
                   help="where the schema files live (default: ./schema)")  # fmt: skip
    p.add_argument("--check", action="store_true",
                   help="do not write; exit 1 if a file is missing or out of date")  # fmt: skip
    p.set_defaults(handler=run_schema)


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``check``: print every problem, then a summary; 1 if there is an error."""
    out = out or sys.stdout
    data_dir = Path(args.data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"data directory not found: {data_dir}")
    corpus_dir = resolve_corpus_dir(args.corpus)
    if args.corpus is not None and corpus_dir is not None and not corpus_dir.is_dir():
        raise UsageError(f"corpus directory not found: {corpus_dir}")
    ds = Dataset.load(
        data_dir,
        corpus_dir=corpus_dir,
        max_quote_words=args.max_quote_words,
        eager_lines=False,  # only files with problems need a line map
    )
    cwd = Path.cwd()
    for problem in ds.problems:
        print(problem.format(relative_to=cwd), file=out)
    errors = ds.errors
    files = len({p.path for p in errors})
    noun = "record" if ds.files == 1 else "records"
    summary = f"checked {ds.files} {noun}: "
    if errors:
        summary += f"{_count(len(errors), 'error')} in {_count(files, 'file')}"
    else:
        summary += "0 errors"
    if ds.corpus.checked:
        summary += (
            f"; {ds.corpus.quotes_verified} of {_count(ds.corpus.quotes_total, 'quote')}"
            " verified against the corpus"
        )
    print(summary, file=out)
    return EXIT_ERRORS if errors else EXIT_OK


def run_schema(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``schema``: write the schema files, or with ``--check`` report stale ones."""
    from sphinx_dossier.core.schema import write_schemas

    out = out or sys.stdout
    changed = write_schemas(Path(args.dir), check=args.check)
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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
