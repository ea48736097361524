"""Hostile text in every kind of field is rejected with a message or rendered inert.

The records in tests/hostile/ put script elements, event handlers, javascript: and
data: links, MyST and reST directives, the raw role, include and substitutions into
titles, names, claims, notes, quotes and URLs. The built HTML is parsed and searched
for anything live (tests/html_scan.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import catalogue_support as cat
import pytest
from html_scan import scan

HOSTILE = Path(__file__).parent / "hostile"
_MARKER = re.compile(r"alert\('([a-z0-9-]+)'\)")
_STRAIGHT = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> cat.SphinxResult:
    root = tmp_path_factory.mktemp("hostile") / "root"
    shutil.copytree(cat.BASE, root)
    shutil.copytree(HOSTILE, root, dirs_exist_ok=True)
    return cat.run_sphinx(root)


def _markers() -> set[str]:
    found: set[str] = set()
    for path in HOSTILE.rglob("*.yaml"):
        found.update(_MARKER.findall(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.sphinx
def test_no_payload_is_live(hostile_build: cat.SphinxResult) -> None:
    live, texts = scan(hostile_build.outdir)
    assert "records/events/hostile-event.html" in texts  # the records were built
    assert [str(item) for item in live] == []


@pytest.mark.sphinx
def test_every_payload_is_shown_as_text(hostile_build: cat.SphinxResult) -> None:
    _live, texts = scan(hostile_build.outdir)
    # Smart quotes turn ' into curly quotes in text, which is harmless: undo it to compare.
    visible = "\n".join(texts.values()).translate(_STRAIGHT)
    markers = _markers()
    assert len(markers) >= 25
    missing = sorted(m for m in markers if f"alert('{m}')" not in visible)
    assert missing == []


@pytest.mark.sphinx
def test_directives_include_and_substitutions_are_not_run(
    hostile_build: cat.SphinxResult,
) -> None:
    _live, texts = scan(hostile_build.outdir)
    page = texts["records/events/hostile-event.html"]
    assert "root:x:0:0" not in "\n".join(texts.values())  # include of /etc/passwd
    assert ".. raw:: html" in page and "{include}" in page and "|sub|" in page
    assert "{{ sub }}" in page


@pytest.mark.sphinx
def test_rejected_markup_is_named_at_its_line(hostile_build: cat.SphinxResult) -> None:
    lines = hostile_build.warnings.splitlines()
    expected = [
        ("data/actors/hostile-actor.yaml:13", "role {raw} is not allowed"),
        ("data/actors/hostile-actor.yaml:13", "role {eval-rst} is not allowed"),
        ("data/events/hostile-event.yaml:11", "role {sub-ref} is not allowed"),
    ]
    for location, message in expected:
        assert any(location in line and message in line for line in lines), (location, message)
    assert "Traceback" not in hostile_build.warnings


def test_checker_accepts_the_hostile_records_as_data(tmp_path: Path) -> None:
    """The payloads are valid data (verified quotes included): safety is the renderer's job."""
    root = tmp_path / "root"
    shutil.copytree(cat.BASE, root)
    shutil.copytree(HOSTILE, root, dirs_exist_ok=True)
    result = cat.run_cli(root)
    assert result.problems == []
    assert "11 of 11 quotes verified" in result.output


@pytest.mark.parametrize(
    ("html", "what"),
    [
        ('<p><script>alert("x")</script></p>', "inline script with payload"),
        ('<script src="https://evil.example/x.js"></script>', "script element"),
        ('<img src="x" onerror="alert(1)">', "event handler onerror"),
        ('<a href="javascript:alert(1)">x</a>', "unsafe href"),
        ('<a href=" java\tscript:alert(1)">x</a>', "unsafe href"),
        ('<a href="DATA:text/html,x">x</a>', "unsafe href"),
        ('<iframe src="https://example.org"></iframe>', "<iframe> element"),
        (
            '<script type="application/ld+json">{"a": "</script><b>"}</script>',
            "JSON data block broken open",
        ),
    ],
)
def test_the_scanner_finds_live_payloads(tmp_path: Path, html: str, what: str) -> None:
    (tmp_path / "page.html").write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    live, _texts = scan(tmp_path)
    assert [item.what for item in live] == [what]
