"""Generated record sets: valid ones check clean and build without warnings; mutated ones
only ever give dossier problems (never an exception, never a line outside the file).

Example counts come from the Hypothesis profile (tests/conftest.py: "ci", 500 examples,
is the default); the Sphinx builds are few and set their own count.
Failing examples found while writing this suite are kept below as ``@example`` cases.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tempfile
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import catalogue_support as cat
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sphinx_dossier.cli import main as cli_main
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.diagnostics import Subtype
from sphinx_dossier.core.evidence import numbers_in
from sphinx_dossier.core.validate import plain_text_of

WORDS = [
    "talks",
    "pact",
    "seoul",
    "tokyo",
    "ministry",
    "signed",
    "agreement",
    "intelligence",
    "sharing",
    "officials",
    "said",
    "on",
    "monday",
    "the",
    "treaty",
    "would",
    "resume",
    "expire",
    "november",
    "defence",
    "military",
    "review",
    "decision",
    "trilateral",
    "washington",
    "announced",
    "planned",
    "expected",
    "reported",
    "meeting",
    "round",
]
PLURAL = {"source": "sources", "actor": "actors", "agreement": "agreements", "event": "events"}
SUBTYPES = {s.value for s in Subtype}
_PROBLEM = re.compile(
    r"^(?P<path>[^:]+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?P<msg>.+)"
    r" \[dossier\.(?P<sub>[a-z-]+)\]$"
)

slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6})?", fullmatch=True)
# Plain text without markup that would be rejected in a text field ({role}, [link](...)),
# from a fixed alphabet: drawing from all of Unicode made each example ten times slower.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;'\"<>/?$^~=+-_"
    "\u00e9\u00fc\u00df\u2013\u2014\u201c\u201d\u2019\u00a0\ud55c\uad6d\u65e5\u672c\U0001f600"
)
safe_text = st.text(alphabet=ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
#: Claim text states no number: a generated quote of random words would not give it.
#: Judged on the text as the rule reads it (markup removed): "_1_" is an emphasised 1.
claim_text = safe_text.filter(lambda text: not numbers_in(plain_text_of(text)))


def some(ids: list[str], max_size: int, min_size: int = 0) -> st.SearchStrategy[list[str]]:
    """A few distinct ids of ``ids`` (none when there are none)."""
    if not ids:
        return st.just([])
    return st.lists(st.sampled_from(ids), min_size=min_size, max_size=max_size, unique=True)


@dataclass
class RecordSet:
    """YAML text of each record file (by data-relative path) and the corpus document."""

    files: dict[str, str] = field(default_factory=dict)
    corpus: str = ""

    def write(self, root: Path) -> None:
        for relative, text in self.files.items():
            path = root / "data" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (root / "corpus").mkdir(parents=True, exist_ok=True)
        (root / "corpus" / "doc.txt").write_text(self.corpus, encoding="utf-8")


def _yaml(value: Any, indent: int = 0) -> str:
    """Block YAML; strings as JSON (a subset of YAML), so any text round-trips."""
    pad = " " * indent
    if isinstance(value, dict):
        out = ""
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out += f"{pad}{key}:\n{_yaml(item, indent + 2)}"
            else:
                out += f"{pad}{key}: {_scalar(item)}\n"
        return out
    out = ""
    for item in value:
        if isinstance(item, dict):
            body = _yaml(item, indent + 2)
            out += f"{pad}- {body[indent + 2 :]}"
        else:
            out += f"{pad}- {_scalar(item)}\n"
    return out


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[]"
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _header(kind: str) -> str:
    return f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"


@st.composite
def dates(draw: st.DrawFn, upto: tuple[int, int, int]) -> tuple[Any, tuple[int, int, int]]:
    """A date on or before ``upto`` in one of the accepted spellings, and its sort key."""
    year = draw(st.integers(1990, upto[0]))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    month = draw(st.integers(1, 12)) if precision != "year" else 0
    day = draw(st.integers(1, 28)) if precision == "day" else 0
    if (year, month, day) > upto:
        year, month, day = upto[0], 0, 0
        precision = "year"
    text = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    spelling = draw(st.sampled_from(["int", "text", "mapping"]))
    value: Any = text
    if spelling == "int" and precision == "year":
        value = year
    elif spelling == "mapping":
        value = {"value": text, "basis": "stated"}
    return value, (year, month, day)


def _certainly_before(key: tuple[int, int, int], other: tuple[int, int, int]) -> bool:
    # Sort keys with 0 for an unknown month or day: compare at the coarser precision.
    depth = min(3 - key.count(0) if 0 in key else 3, 3 - other.count(0) if 0 in other else 3)
    depth = max(depth, 1)
    return key[:depth] < other[:depth]


@st.composite
def record_sets(draw: st.DrawFn) -> RecordSet:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=30, max_size=60))
    corpus = " ".join(words) + ".\n"
    rs = RecordSet(corpus=corpus)

    def quote() -> str:
        start = draw(st.integers(0, len(words) - 1))
        start = min(start, len(words) - 3)  # at least the minimum of 3 words
        length = draw(st.integers(3, min(25, len(words) - start)))
        return " ".join(words[start : start + length])

    source_id = "src-" + draw(slugs)
    published_value, published = draw(dates((2020, 12, 31)))

    def claim(claim_id: str, supports: list[str], refs: list[tuple[str, str]]) -> dict[str, Any]:
        text = draw(claim_text)
        for kind, target in refs[: draw(st.integers(0, len(refs)))]:
            text += f" {{dossier:{kind}}}`{target}`"
        cite: dict[str, Any] = {"source": source_id, "quote": quote()}
        if draw(st.booleans()):
            cite["note"] = draw(safe_text)
        return {"id": claim_id, "text": text, "supports": supports, "cites": [cite]}

    author = draw(st.none() | safe_text)
    source: dict[str, Any] = {
        "id": source_id,
        "title": draw(safe_text),
        "publisher": {"name": draw(safe_text), "basis": "stated"},
        "author": author,
        "published": published_value,
        "document": "doc.txt",
        "sha256": hashlib.sha256(corpus.encode("utf-8")).hexdigest(),
        "claims": [
            claim("dateline", ["published", "publisher"] + (["author"] if author else []), [])
        ],
    }
    rs.files[f"sources/{source_id}.yaml"] = _header("source") + _yaml(source)

    actor_ids: list[str] = []
    for n in range(draw(st.integers(1, 2))):
        actor_id = f"actor-{n}-{draw(slugs)}"
        actor: dict[str, Any] = {
            "id": actor_id,
            "name": draw(safe_text),
            "kind": draw(st.sampled_from(["state", "organization", "person"])),
            "aliases": draw(st.lists(safe_text, max_size=2)),
            "claims": [],
        }
        if actor_ids and draw(st.booleans()):
            actor["parent"] = draw(st.sampled_from(actor_ids))
            actor["claims"].append(claim("parent", ["parent"], []))
        if draw(st.booleans()):
            role_claim = claim("role", [], [("actor", a) for a in actor_ids])
            actor["claims"].append(role_claim)
            role: dict[str, Any] = {
                "title": draw(safe_text),
                "observed": published_value,  # the date of the source giving the title
                "claims": ["role"],
            }
            if actor_ids:
                role["organization"] = draw(st.sampled_from(actor_ids))
            actor["roles"] = [role]
        actor_ids.append(actor_id)
        rs.files[f"actors/{actor_id}.yaml"] = _header("actor") + _yaml(actor)

    agreement_ids: list[str] = []
    for n in range(draw(st.integers(0, 2))):
        agreement_id = f"agreement-{n}-{draw(slugs)}"
        parties = draw(some(actor_ids, 3, min_size=1))
        agreement: dict[str, Any] = {
            "id": agreement_id,
            "name": draw(safe_text),
            "short_name": draw(st.none() | safe_text),
            "kind": draw(safe_text),
            "parties": parties,
            "claims": [claim("parties", ["parties"], [("actor", p) for p in parties])],
        }
        agreement_ids.append(agreement_id)
        rs.files[f"agreements/{agreement_id}.yaml"] = _header("agreement") + _yaml(agreement)

    for n in range(draw(st.integers(0, 2))):
        event_id = f"event-{n}-{draw(slugs)}"
        status = draw(st.sampled_from(["occurred", "planned", "reported"]))
        date_value, key = draw(dates(published if status == "occurred" else (2030, 12, 31)))
        if status == "planned" and _certainly_before(key, published):
            status = "reported"  # a plan dated before its source is a stale plan (a warning)
        actors = draw(some(actor_ids, 2))
        agreements = draw(some(agreement_ids, 2))
        supports = (
            ["date"] + (["actors"] if actors else []) + (["agreements"] if agreements else [])
        )
        event: dict[str, Any] = {
            "id": event_id,
            "title": draw(safe_text),
            "date": date_value,
            "status": status,
            "actors": actors,
            "agreements": agreements,
        }
        if draw(st.booleans()):
            event["location"] = draw(safe_text)
            supports.append("location")
        refs = [("actor", a) for a in actors] + [("agreement", a) for a in agreements]
        event["claims"] = [claim("what", supports, refs)]
        rs.files[f"events/{event_id}.yaml"] = _header("event") + _yaml(event)
    return rs


def _check(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        status = cli_main(["check", str(root / "data"), "--corpus", str(root / "corpus")])
    return status, out.getvalue()


MUTATIONS = st.sampled_from(
    [
        "delete", "insert", "duplicate-line", "swap-lines", "truncate", "tab",
        "anchor", "alias", "tag", "flow", "dash", "colon", "bytes", "quote", "indent", "escape",
    ]
)  # fmt: skip
SNIPPETS = {
    "anchor": "&a ",
    "alias": "*a",
    "tag": "!!python/object:os.system ",
    "flow": "[{",
    "dash": "- ",
    "colon": ": ",
    "quote": '"',
    "tab": "\t",
}


def _mutate(text: str, mutation: str, position: float, data: bytes) -> bytes:
    raw = text.encode("utf-8")
    at = int(position * len(raw))
    lines = text.splitlines(keepends=True)
    line_at = int(position * len(lines))
    if mutation == "delete":
        return raw[:at] + raw[at + 1 + len(data) :]
    if mutation in ("insert", "bytes"):
        return raw[:at] + data + raw[at:]
    if mutation == "duplicate-line":
        return "".join(lines[: line_at + 1] + lines[line_at:]).encode()
    if mutation == "swap-lines" and line_at + 1 < len(lines):
        lines[line_at], lines[line_at + 1] = lines[line_at + 1], lines[line_at]
        return "".join(lines).encode()
    if mutation == "truncate":
        return raw[:at]
    if mutation == "indent":
        lines[line_at] = " " * (1 + len(data) % 3) + lines[line_at]
        return "".join(lines).encode()
    if mutation == "escape":
        # A YAML escape inside a quoted value: NUL, NEL, a lone surrogate, the last code point.
        escape = ("\\0", "\\x85", "\\ud800", "\\U0010FFFF", "\\e", "\\/")[len(data) % 6]
        quote_at = raw.find(b'"', at)
        if quote_at < 0:
            quote_at = raw.find(b'"')
        return raw[: quote_at + 1] + escape.encode() + raw[quote_at + 1 :]
    snippet = SNIPPETS.get(mutation, "")
    return raw[:at] + snippet.encode() + raw[at:]


#: Regression cases found by this suite (kept so they run first, on every run).
ACTOR_ONLY = RecordSet(
    files={
        "sources/src-0.yaml": _header("source")
        + 'id: "src-0"\ntitle: "0"\npublisher:\n  name: "0"\n  basis: "stated"\nauthor: null\n'
        'published: 1990\ndocument: "doc.txt"\nsha256: "'
        + hashlib.sha256(b"talks resume talks.\n").hexdigest()
        + '"\nclaims:\n  - id: "dateline"\n    text: "0"\n    supports:\n      - "published"\n'
        '      - "publisher"\n    cites:\n      - source: "src-0"\n'
        '        quote: "talks resume talks"\n',
        "actors/actor-0-0.yaml": _header("actor")
        + 'id: "actor-0-0"\nname: "0"\nkind: "state"\naliases: []\nclaims: []\n',
    },
    corpus="talks resume talks.\n",
)
POSITIONS = st.floats(0, 1, exclude_max=True)


@given(record_sets(), st.integers(0, 20), MUTATIONS, POSITIONS, st.binary(max_size=8))
# A NEL (YAML escape \x85) in an id split the one-line problem output in two.
@example(ACTOR_ONLY, 0, "escape", 0.0, b"\x00")
# A NUL in the document name crashed the corpus check (open() raised ValueError).
@example(ACTOR_ONLY, 1, "escape", 0.4, b"")
def test_checker_on_generated_and_mutated_sets(
    rs: RecordSet, which: int, mutation: str, position: float, payload: bytes
) -> None:
    """Each example: a valid set checks clean; then one file mutated gives only problems."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rs.write(root)
        ds = Dataset.load(root / "data", corpus_dir=root / "corpus")
        # Notes (a quote found twice in a text of few distinct words) are not problems.
        assert [str(p) for p in ds.problems if p.severity != "info"] == []
        assert sorted(ds.records) == sorted(Path(name).stem for name in rs.files)
        assert ds.corpus.quotes_verified == ds.corpus.quotes_total

        name = sorted(rs.files)[which % len(rs.files)]
        (root / "data" / name).write_bytes(_mutate(rs.files[name], mutation, position, payload))
        status, output = _check(root)
    assert status in (0, 1), output
    lines = output.splitlines()
    assert lines and lines[-1].startswith("checked "), output
    for line in lines[:-1]:
        match = _PROBLEM.match(line)
        assert match, line
        assert match["sub"] in SUBTYPES, line
        assert match["line"] is None or int(match["line"]) >= 1, line


@pytest.mark.sphinx
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(record_sets())
def test_generated_valid_sets_build_without_warnings(rs: RecordSet) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(cat.BASE, root, ignore=shutil.ignore_patterns("data", "corpus"))
        (root / "index.md").write_text(
            "# Generated\n\n```{toctree}\nrecords/timeline\nrecords/actors\n"
            "records/agreements\nrecords/sources\n```\n",
            encoding="utf-8",
        )
        (root / "notes.md").unlink()
        rs.write(root)
        result = cat.run_sphinx(root)
        assert result.warnings.strip() == ""
        for name in rs.files:
            assert (result.outdir / "records" / f"{Path(name).with_suffix('.html')}").is_file()
