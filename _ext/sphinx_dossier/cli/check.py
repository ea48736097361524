"""``check``: validate every record and print each problem as ``path:line``."""

from __future__ import annotations

import argparse
import datetime as _dt
import os
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
    natural_int,
    positive_int,
)
from sphinx_dossier.core.caching import CACHE_DIR_ENV, CheckCache
from sphinx_dossier.core.corpus import CORPUS_ENV
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.dates import PartialDate
from sphinx_dossier.core.evidence import (
    DEFAULT_MAX_QUOTE_WORDS,
    DEFAULT_MIN_QUOTE_WORDS,
    DEFAULT_PARAPHRASE_WORDS,
    EvidenceRules,
)
from sphinx_dossier.outputs.diagnostics import FORMATS, render

__all__ = ["add_check", "run_check"]

#: Notes about the run rather than the data: always shown.
_RUN_NOTES = frozenset({"corpus-skipped"})


def add_check(sub: Subparsers) -> None:
    p = sub.add_parser(
        "check",
        help="validate every record and print each problem as path:line",
        description=(
            "Validate every record (YAML, model, references, provenance, time rule and,"
            f" with a corpus, quotes). Corpus: --corpus, else ${CORPUS_ENV}, else skipped."
            " Exit status: 0 clean (notes allowed), 1 errors or warnings (as a -W build"
            " fails on them), 2 usage error."
        ),
    )
    p.add_argument("data_dir", nargs="?", default="data", metavar="DATA_DIR",
                   help="the data directory (default: ./data)")  # fmt: skip
    corpus_option(p)
    p.add_argument("--max-quote-words", metavar="N", type=positive_int,
                   default=DEFAULT_MAX_QUOTE_WORDS,
                   help=f"longest allowed quote (default: {DEFAULT_MAX_QUOTE_WORDS})")  # fmt: skip
    p.add_argument("--min-quote-words", metavar="N", type=positive_int,
                   default=DEFAULT_MIN_QUOTE_WORDS,
                   help="shortest quote, unless it is a name or number the claim states"
                        f" (default: {DEFAULT_MIN_QUOTE_WORDS})")  # fmt: skip
    p.add_argument("--paraphrase-words", metavar="N", type=natural_int,
                   default=DEFAULT_PARAPHRASE_WORDS,
                   help="report claim text sharing N consecutive words with a source"
                        f" (default: {DEFAULT_PARAPHRASE_WORDS}; 0: off)")  # fmt: skip
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (path:line:column: message), json (see the docs for its"
                        " schema), github (workflow commands) or sarif (2.1.0)")  # fmt: skip
    p.add_argument("--notes", action="store_true",
                   help="also list the notes about the data (a quote found more than once,"
                        " a changed source's quotes still found); text format only, the"
                        " others always carry them")  # fmt: skip
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_day, default=None,
                   help="the date sources may not be published after (default: today)")  # fmt: skip
    p.add_argument("--cache-dir", metavar="DIR", type=Path, default=None,
                   help="where to keep the last result, so that the next check reads and"
                        f" checks only what changed (default: ${CACHE_DIR_ENV}, else"
                        " ./.dossier-cache)")  # fmt: skip
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the cache: check all from scratch")  # fmt: skip
    p.set_defaults(handler=run_check)


def _day(text: str) -> PartialDate:
    try:
        day = _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None
    return PartialDate(day.year, day.month, day.day)


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``check``: print every problem, then a summary; 1 if there is an error."""
    out = out or sys.stdout
    data_dir = Path(args.data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"data directory not found: {data_dir}")
    corpus = corpus_dir(args)
    rules = EvidenceRules(
        max_quote_words=args.max_quote_words,
        min_quote_words=args.min_quote_words,
        paraphrase_words=args.paraphrase_words,
        **({"today": args.today} if args.today is not None else {}),
    )
    cache = previous = None
    if not args.no_cache:
        folder = args.cache_dir or Path(os.environ.get(CACHE_DIR_ENV) or ".dossier-cache")
        cache = CheckCache(folder, data_dir, (str(corpus), repr(rules)))
        previous = cache.load()
    ds = Dataset.load(
        data_dir,
        corpus_dir=corpus,
        rules=rules,
        eager_lines=False,  # only files with problems need a line map
        reuse=previous,
    )
    unchanged = (
        previous is not None
        and not (ds.reread or ds.rechecked)
        and previous.file_results.keys() == ds.file_results.keys()
    )
    if cache is not None and not unchanged:
        cache.store(ds)
    cwd = Path.cwd()
    errors = ds.errors
    warnings = [p for p in ds.problems if p.severity == "warning"]
    failed = bool(errors or warnings)
    if args.format != "text":
        summary = {
            "records": ds.files,
            "errors": len(errors),
            "warnings": len(warnings),
            "notes": sum(p.severity == "info" for p in ds.problems),
            "quotes_total": ds.corpus.quotes_total if ds.corpus.checked else None,
            "quotes_verified": ds.corpus.quotes_verified if ds.corpus.checked else None,
        }
        out.write(render(ds.problems, args.format, base=cwd, summary=summary))
        return EXIT_ERRORS if failed else EXIT_OK
    # Notes about the data are counted, and listed on request; a note about the run
    # itself (the corpus was not checked) is always shown.
    hidden = [
        p
        for p in ds.problems
        if p.severity == "info" and p.subtype not in _RUN_NOTES and not args.notes
    ]
    for problem in ds.problems:
        if problem not in hidden:
            print(problem.format(relative_to=cwd), file=out)
    files = len({p.path for p in errors})
    noun = "record" if ds.files == 1 else "records"
    text = f"checked {ds.files} {noun}: "
    if errors:
        text += f"{count(len(errors), 'error')} in {count(files, 'file')}"
    else:
        text += "0 errors"
    if warnings:
        text += f", {count(len(warnings), 'warning')}"
    if ds.corpus.checked:
        text += (
            f"; {ds.corpus.quotes_verified} of {count(ds.corpus.quotes_total, 'quote')}"
            " verified against the corpus"
        )
    if hidden:
        text += f"; {count(len(hidden), 'note')} (--notes lists them)"
    print(text, file=out)
    return EXIT_ERRORS if failed else EXIT_OK
