"""The catalogue of bad records: cases, their expected problems, and both ways of checking them.

Each case is a folder ``tests/catalogue/<case>/`` with files laid over the valid base
root ``tests/roots/test-hardening`` (``data/...``, ``corpus/...``), a ``README`` saying
what is wrong, and ``expected.txt``: one line per problem, ``path:line: subtype: message``
(``path: subtype: message`` when the problem has no line; ``path:line:column:`` when the
rule knows the column). Cases too big or too
machine-dependent to commit are completed at test time by a generator below.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences
from sphinx_dossier.cli import main as cli_main

HERE = Path(__file__).parent
CATALOGUE = HERE / "catalogue"
BASE = HERE / "roots" / "test-hardening"
#: Set DOSSIER_REGEN=1 to rewrite expected.txt from the checker's output.
REGEN = os.environ.get("DOSSIER_REGEN") == "1"

#: ``(path relative to the root, line or None, subtype, message, column or None)``.
Found = tuple[str, int | None, str, str, int | None]
#: In expected.txt: the date the checker takes as today.
_TODAY = "{today}"

_CLI_LINE = re.compile(
    r"^(?P<path>[^:]+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?:warning: )?(?P<msg>.*)"
    r" \[dossier\.(?P<sub>[a-z-]+)\]$"
)
_SPHINX_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<col>\d+))?: (?:WARNING|ERROR): (?P<msg>.*)"
    r" \[dossier\.(?P<sub>[a-z-]+)\]$"
    # Without a line, the path leads the message (never "path::").
    r"|^(?:WARNING|ERROR): (?P<path2>[^:]+?): (?P<msg2>.*) \[dossier\.(?P<sub2>[a-z-]+)\]$"
)
_EXPECTED_LINE = re.compile(
    r"^(?P<path>[^:]+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?P<sub>[a-z-]+): (?P<msg>.*)$"
)


def _ten_megabytes(root: Path) -> None:
    # Generated, never committed: a record padded with valid YAML claims to 10 MB.
    head = (
        "# yaml-language-server: $schema=../../schema/event.schema.json\n"
        "id: x\ntitle: Padded\ndate: 2020-01-05\nstatus: planned\nclaims:\n"
    )
    claim = "  - id: c{n}\n    text: {words}\n    cites: [{{source: g, quote: x}}]\n"
    words = "padding " * 40
    parts = [head]
    size = len(head)
    n = 0
    while size < 10 * 1024 * 1024:
        part = claim.format(n=n, words=words)
        parts.append(part)
        size += len(part)
        n += 1
    (root / "data" / "events" / "x.yaml").write_text("".join(parts), encoding="utf-8")


GENERATORS: dict[str, Callable[[Path], None]] = {"too-large": _ten_megabytes}


def cases() -> list[str]:
    """Every case folder, sorted."""
    return sorted(p.name for p in CATALOGUE.iterdir() if p.is_dir())


def make_root(case: str, dest: Path) -> Path:
    """The base root with ``case`` laid over it, at ``dest``."""
    shutil.copytree(BASE, dest)
    folder = CATALOGUE / case
    for sub in ("data", "corpus"):
        if (folder / sub).is_dir():
            shutil.copytree(folder / sub, dest / sub, dirs_exist_ok=True)
    # git cannot hold an empty folder; a '.keep' file stands in and is removed here.
    for keep in dest.rglob(".keep"):
        keep.unlink()
    if case in GENERATORS:
        GENERATORS[case](dest)
    return dest


def expected(case: str, *, build: bool = False) -> list[Found]:
    """The problems ``expected.txt`` lists for ``case``.

    With ``build``, ``expected-build.txt`` wins when present: the few rules only the
    build applies (restricted markup in text fields) are listed there, so the
    difference between checker and build is written down, not hidden.
    """
    path = CATALOGUE / case / "expected.txt"
    if build and (CATALOGUE / case / "expected-build.txt").is_file():
        path = CATALOGUE / case / "expected-build.txt"
    found: list[Found] = []
    # "{today}" stands for the date the rules take as today (the future-source rule
    # names it), so that the catalogue holds on any day.
    text = path.read_text(encoding="utf-8").replace(_TODAY, date.today().isoformat())
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = _EXPECTED_LINE.match(line)
        assert match, f"{path}: cannot read {line!r}"
        found.append(_found(match))
    return sorted(found, key=_key)


def write_expected(case: str, found: list[Found]) -> None:
    lines = [
        f"{path}{'' if line is None else f':{line}'}{'' if col is None else f':{col}'}:"
        f" {sub}: {msg}"
        for path, line, sub, msg, col in sorted(found, key=_key)
    ]
    text = "".join(f"{line}\n" for line in lines)
    (CATALOGUE / case / "expected.txt").write_text(
        text.replace(f"today ({date.today().isoformat()})", f"today ({_TODAY})"),
        encoding="utf-8",
    )


@dataclass
class CliResult:
    status: int
    output: str
    problems: list[Found]


def run_cli(root: Path) -> CliResult:
    """``python -m sphinx_dossier check data --corpus corpus`` run in ``root``."""
    out = io.StringIO()
    cwd = Path.cwd()
    os.chdir(root)
    try:
        with redirect_stdout(out):
            status = cli_main(["check", "data", "--corpus", "corpus"])
    finally:
        os.chdir(cwd)
    problems = []
    for line in out.getvalue().splitlines():
        match = _CLI_LINE.match(line)
        # Notes are information: the build logs them, never as warnings.
        if match and not match["msg"].startswith("note: "):
            problems.append(_found(match))
    return CliResult(status, out.getvalue(), sorted(problems, key=_key))


@dataclass
class SphinxResult:
    warnings: str
    problems: list[Found]
    other: list[str]
    outdir: Path
    status: int


def run_sphinx(root: Path, buildername: str = "html", **kwargs: Any) -> SphinxResult:
    """A full HTML build of ``root``; dossier warnings parsed, every other warning kept."""
    status, warning = io.StringIO(), io.StringIO()
    kwargs.setdefault("warningiserror", True)  # like -W: the build goes on, then fails
    app = SphinxTestApp(
        buildername, srcdir=root, status=status, warning=warning, freshenv=True, **kwargs
    )
    try:
        app.build()
    finally:
        app.cleanup()
    text = strip_escape_sequences(warning.getvalue())
    problems, other = [], []
    prefix = str(root.resolve()) + os.sep
    for line in text.splitlines():
        match = _SPHINX_LINE.match(line.replace(prefix, ""))
        if match:
            problems.append(_found(match))
        elif line.strip():
            other.append(line)
    return SphinxResult(
        text, sorted(problems, key=_key), other, Path(app.outdir), int(app.statuscode)
    )


def _found(match: re.Match[str]) -> Found:
    groups = match.groupdict()
    if groups.get("path2"):
        return (groups["path2"], None, groups["sub2"], groups["msg2"], None)
    line, col = match["line"], groups.get("col")
    return (
        match["path"],
        int(line) if line else None,
        match["sub"],
        match["msg"],
        int(col) if col else None,
    )


def _key(found: Found) -> tuple[str, int, str, str, int]:
    return (found[0], found[1] or 0, found[2], found[3], found[4] or 0)
