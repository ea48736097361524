"""``check``: validate every record and print each problem as ``path:line``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from sphinx_dossier.cli._common import (
    EXIT_ERRORS,
    EXIT_OK,
    Subparsers,
    UsageError,
    corpus_dir,
    corpus_option,
    count,
    positive_int,
)
from sphinx_dossier.core.corpus import CORPUS_ENV
from sphinx_dossier.core.dataset import DEFAULT_MAX_QUOTE_WORDS, Dataset

__all__ = ["add_check", "run_check"]


def add_check(sub: Subparsers) -> None:
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
    corpus_option(p)
    p.add_argument("--max-quote-words", metavar="N", type=positive_int,
                   default=DEFAULT_MAX_QUOTE_WORDS,
                   help=f"longest allowed quote (default: {DEFAULT_MAX_QUOTE_WORDS})")  # fmt: skip
    p.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``check``: print every problem, then a summary; 1 if there is an error."""
    out = out or sys.stdout
    data_dir = Path(args.data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"data directory not found: {data_dir}")
    corpus = corpus_dir(args)
    ds = Dataset.load(
        data_dir,
        corpus_dir=corpus,
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
        summary += f"{count(len(errors), 'error')} in {count(files, 'file')}"
    else:
        summary += "0 errors"
    if ds.corpus.checked:
        summary += (
            f"; {ds.corpus.quotes_verified} of {count(ds.corpus.quotes_total, 'quote')}"
            " verified against the corpus"
        )
    print(summary, file=out)
    return EXIT_ERRORS if errors else EXIT_OK
