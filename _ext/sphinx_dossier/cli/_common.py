"""What every command shares: exit statuses, usage errors and argument helpers."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from sphinx_dossier.core.corpus import CORPUS_ENV, resolve_corpus_dir

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_USAGE",
    "Handler",
    "Subparsers",
    "UsageError",
    "corpus_dir",
    "corpus_option",
    "count",
    "data_option",
    "existing_data_dir",
    "positive_int",
    "prog",
]

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2

#: A subcommand handler: gets the parsed arguments, returns the exit status.
Handler = Callable[[argparse.Namespace], int]

#: The object ``add_subparsers`` returns; each command module adds its parser to it.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class UsageError(Exception):
    """Bad command-line input (exit status 2)."""


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be at least {least}, got {value}")
    return value


def positive_int(text: str) -> int:
    return _whole_number(text, 1)


def natural_int(text: str) -> int:
    """A whole number, 0 allowed (0 turns a rule off)."""
    return _whole_number(text, 0)


def prog() -> str:
    # The console script and ``python -m`` run the same parser; name the one in use.
    return (
        "sphinx-dossier"
        if Path(sys.argv[0]).name == "sphinx-dossier"
        else ("python -m sphinx_dossier")
    )


def data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", dest="data_dir", default="data", metavar="DIR",
                   help="the data directory (default: ./data)")  # fmt: skip


def existing_data_dir(value: str) -> Path:
    data_dir = Path(value)
    if not data_dir.is_dir():
        raise UsageError(f"data directory not found: {data_dir} (pass --data DIR)")
    if not os.access(data_dir, os.R_OK | os.X_OK):
        raise UsageError(f"data directory cannot be read: {data_dir}")
    return data_dir


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def corpus_option(p: argparse.ArgumentParser) -> None:
    """``--corpus DIR``, with the same fallback as the build (``$DOSSIER_CORPUS``)."""
    p.add_argument("--corpus", metavar="DIR", default=None,
                   help=f"directory with the source texts (default: ${CORPUS_ENV})")  # fmt: skip


def corpus_dir(args: argparse.Namespace) -> Path | None:
    """The corpus of ``--corpus`` or ``$DOSSIER_CORPUS`` (``core.corpus`` decides, for the
    build too); a ``--corpus`` that is not a folder is a usage error."""
    found = resolve_corpus_dir(args.corpus)
    if args.corpus is not None and found is not None and not found.is_dir():
        raise UsageError(f"corpus directory not found: {found}")
    return found
