"""A small valid dataset (and corpus) written to a temp dir, for loader and validation tests.

Tests change one file of it and assert the exact file, line and subtype reported.
The corpus text is our own invented wording, not a source text.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass
from pathlib import Path

from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.diagnostics import Problem
from sphinx_dossier.core.kinds import FOLDERS

PLURAL = dict(FOLDERS)  # kind -> data folder, from the kinds registry

CORPUS_TEXT = (
    "SEOUL, Nov. 22 (Wire) \u2014 South Korea said on Friday it would keep the "
    "\u201cintelligence pact\u201d with Japan alive, hours before it was due to expire.\n"
    "The decision was announced by the presidential office.\u00a0Officials in Tokyo "
    "welcomed the move.\n"
)
CORPUS_NAME = "doc-a.txt"
CORPUS_SHA = hashlib.sha256(CORPUS_TEXT.encode("utf-8")).hexdigest()


def header(kind: str) -> str:
    return f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"


SOURCE = f"""\
id: wire-2019-11-22
title: South Korea keeps intelligence pact with Japan
publisher: {{name: Wire, basis: stated}}
author: null
published: 2019-11-22
document: {CORPUS_NAME}
sha256: {CORPUS_SHA}
claims:
  - id: dateline
    text: The article is datelined 22 November 2019 and credited to Wire.
    supports: [published, publisher]
    cites:
      - source: wire-2019-11-22
        quote: "SEOUL, Nov. 22 (Wire)"
"""

KOREA = """\
id: south-korea
name: South Korea
kind: state
claims: []
"""

JAPAN = """\
id: japan
name: Japan
kind: state
claims: []
"""

OFFICE = """\
id: presidential-office
name: Presidential office
kind: organization
parent: south-korea
roles: []
claims:
  - id: part-of-state
    text: The office speaks for South Korea.
    supports: [parent]
    cites:
      - source: wire-2019-11-22
        quote: announced by the presidential office
"""

PACT = """\
id: pact
name: Intelligence pact
short_name: Pact
kind: bilateral intelligence-sharing agreement
parties: [south-korea, japan]
claims:
  - id: parties
    text: The pact is between South Korea and Japan.
    supports: [parties]
    cites:
      - source: wire-2019-11-22
        quote: keep the "intelligence pact" with Japan alive
"""

EVENT = """\
id: pact-kept-2019
title: South Korea keeps the pact
date: 2019-11-22
status: occurred
actors: [south-korea]
agreements: [pact]
claims:
  - id: kept
    text: South Korea decided to keep the {dossier:agreement}`pact`.
    supports: [date, actors, agreements]
    cites:
      - source: wire-2019-11-22
        quote: 'South Korea said on Friday it would keep the "intelligence pact" with Japan alive'
"""

FILES: dict[tuple[str, str], str] = {
    ("source", "wire-2019-11-22"): SOURCE,
    ("actor", "south-korea"): KOREA,
    ("actor", "japan"): JAPAN,
    ("actor", "presidential-office"): OFFICE,
    ("agreement", "pact"): PACT,
    ("event", "pact-kept-2019"): EVENT,
}


@dataclass
class Fixture:
    """A data directory and corpus in a temp dir, with helpers to edit and load them."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    def path(self, kind: str, rid: str) -> Path:
        return self.data / PLURAL[kind] / f"{rid}.yaml"

    def write(self, kind: str, rid: str, body: str, *, with_header: bool = True) -> Path:
        """Write a record file; ``body`` is dedented. Returns its path."""
        path = self.path(kind, rid)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (header(kind) if with_header else "") + textwrap.dedent(body)
        path.write_text(text, encoding="utf-8")
        return path

    def edit(self, kind: str, rid: str, old: str, new: str) -> Path:
        """Replace ``old`` (which must occur) by ``new`` in a record file."""
        path = self.path(kind, rid)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    def line(self, kind: str, rid: str, marker: str) -> int:
        """The 1-based line of the first line of a file containing ``marker``."""
        for number, line in enumerate(self.path(kind, rid).read_text().splitlines(), 1):
            if marker in line:
                return number
        raise AssertionError(f"{marker!r} not in {kind} {rid}")

    def load(
        self, *, corpus: bool = True, max_quote_words: int = 25, eager_lines: bool = True
    ) -> Dataset:
        return Dataset.load(
            self.data,
            corpus_dir=self.corpus if corpus else None,
            max_quote_words=max_quote_words,
            eager_lines=eager_lines,
        )


def make_fixture(root: Path) -> Fixture:
    """Write the valid dataset and its corpus under ``root``."""
    fx = Fixture(root)
    for (kind, rid), body in FILES.items():
        fx.write(kind, rid, body)
    fx.corpus.mkdir(parents=True, exist_ok=True)
    (fx.corpus / CORPUS_NAME).write_bytes(CORPUS_TEXT.encode("utf-8"))
    return fx


def errors(ds: Dataset) -> list[Problem]:
    return [p for p in ds.problems if p.is_error]


def only_error(ds: Dataset) -> Problem:
    """The single error of ``ds`` (fails listing all of them otherwise)."""
    found = errors(ds)
    assert len(found) == 1, "\n".join(str(p) for p in found)
    return found[0]


def where(problem: Problem) -> tuple[str, int | None, str]:
    """``(file name, line, subtype)`` of a problem, for compact assertions."""
    return (problem.path.name, problem.line, problem.subtype)
