"""``corpus accept``: take a changed source text's new fingerprint once its quotes survive."""

from __future__ import annotations

import argparse
import re
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
    data_option,
    existing_data_dir,
)
from sphinx_dossier.core.corpus import Corpus
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.model import Source
from sphinx_dossier.core.validate import quote_verdict

__all__ = ["add_corpus", "run_accept"]


def add_corpus(sub: Subparsers) -> None:
    p = sub.add_parser(
        "corpus",
        help="work with the source texts (accept a corrected text's new sha256)",
        description="Commands on the corpus of source texts.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    accept = actions.add_parser(
        "accept",
        help="write a source's new sha256 into its record, if every quote is still found",
        description=(
            "When a source's text changed (a publisher corrected the article), re-find every"
            " quote citing it in the new text and print each one's state: found (with its"
            " line), changed (with the closest passage) or lost. If every quote is found,"
            " write the text's new sha256 into the source record; with --force, also"
            " when some are not (their quote-not-found errors remain to fix)."
            " Exit status: 0 accepted or nothing to do, 1 refused, 2 usage error."
        ),
    )
    accept.add_argument("source", metavar="SOURCE", help="the source record's id")
    data_option(accept)
    corpus_option(accept)
    accept.add_argument("--force", action="store_true",
                        help="accept even if some quotes are no longer found")  # fmt: skip
    accept.set_defaults(handler=run_accept)


_SHA_LINE = re.compile(r"^(\s*sha256:\s*)(['\"]?)([^'\"#\s]*)(\2)")


def run_accept(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``corpus accept SOURCE``: report each citation's state, then update the digest."""
    out = out or sys.stdout
    data_dir = existing_data_dir(args.data_dir)
    directory = corpus_dir(args)
    if directory is None or not directory.is_dir():
        raise UsageError("a corpus directory is needed: pass --corpus DIR or set DOSSIER_CORPUS")
    ds = Dataset.load(data_dir, corpus_dir=directory)
    loaded = ds.get(args.source)
    if loaded is None or loaded.kind != "source":
        raise UsageError(f"no valid source record '{args.source}' in {data_dir}")
    source = loaded.record_as(Source)
    doc = Corpus(directory).document(source.document)
    if doc is None:
        raise UsageError(f"'{source.document}' is not in the corpus directory {directory}")
    if doc.sha256 == source.sha256:
        print(
            f"{args.source}: the sha256 already matches {source.document}; nothing to do", file=out
        )
        return EXIT_OK
    cwd = Path.cwd()
    not_found = 0
    total = 0
    for rid in sorted(ds.records):
        citing = ds.records[rid]
        for i, claim in enumerate(citing.record.claims):
            for j, cite in enumerate(claim.cites):
                if cite.source != args.source:
                    continue
                total += 1
                verdict = quote_verdict(doc, cite.quote, source.document)
                where = citing.line_of(("claims", i, "cites", j, "quote"))
                shown = _relative(citing.path, cwd)
                if verdict.found:
                    lines = ", ".join(map(str, verdict.lines))
                    print(f"{shown}:{where}: found, at line {lines} [{claim.id}]", file=out)
                    continue
                not_found += 1
                state = "changed" if verdict.hint_line is not None else "lost"
                print(f"{shown}:{where}: {state}: {verdict.hint} [{claim.id}]", file=out)
    if not_found and not args.force:
        print(
            f"refused: {not_found} of {total} quotes of {args.source} are not in the new text;"
            " fix them (each line above gives the closest passage), or pass --force",
            file=out,
        )
        return EXIT_ERRORS
    _write_digest(loaded.path, loaded.line_of(("sha256",)), doc.sha256)
    forced = f" ({not_found} not found: fix them next)" if not_found else ""
    print(f"accepted: {_relative(loaded.path, cwd)} now has sha256 {doc.sha256}{forced}", file=out)
    return EXIT_OK


def _write_digest(path: Path, line: int, digest: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = line - 1
    match = _SHA_LINE.match(lines[index]) if 0 <= index < len(lines) else None
    if match is None:
        raise UsageError(f"{path}:{line}: expected 'sha256: <digest>' on this line")
    lines[index] = lines[index][: match.start(3)] + digest + lines[index][match.end(3) :]
    path.write_text("".join(lines), encoding="utf-8")


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
