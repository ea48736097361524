"""The evidence rules: quotes as real phrases, claims held to their quotes, repair hints,
machine-readable diagnostics, evidence pages and source drift.

The catalogue (tests/catalogue/quote-*, unquoted-number, close-paraphrase, stale-plan,
future-source, source-drift) checks each rule at its file:line:column in both the
checker and the build; these tests check the pieces and the front ends.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import catalogue_support as cat
import jsonschema
import pytest
import yaml
from sphinx_dossier.cli import main as cli_main
from sphinx_dossier.core.corpus import CorpusDocument
from sphinx_dossier.core.diagnostics import locate
from sphinx_dossier.core.evidence import (
    PhraseIndex,
    char_diff,
    closest_passage,
    is_name_or_number,
    numbers_in,
    outside_quotes,
    word_count,
)
from sphinx_dossier.outputs.diagnostics import JSON_SCHEMA
from sphinx_support import build

ROOT = Path(__file__).parent.parent
TEXT = (
    "SEOUL, Nov. 13 (Korea Times) - Northland said on Sunday it criticized the plan.\n"
    "\n"
    "Officials said the two states hope to sign, officials said.\n"
)


def doc(text: str = TEXT) -> CorpusDocument:
    return CorpusDocument(Path("corpus/a.txt"), "0" * 64, text)


# ---------------------------------------------------------------- words and phrases


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Japan's decision", 2),
        ("w0\u2014w1\u2014w2", 3),
        ("a/b/c d", 4),
        ("\u2014".join(f"w{i}" for i in range(200)), 200),
        (".", 0),
        ("South Korea-Japan row", 4),
    ],
)
def test_words_are_counted_as_a_reader_counts_them(text: str, count: int) -> None:
    assert word_count(text) == count


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("Northland said on Sunday", True),
        ("the", True),  # a word of the text (the minimum length is another rule)
        ("orthlan", False),
        ("nd said on Sun", False),
        ("N", False),
        ("said on Sunday it criticized", True),
        ("Northland\u00a0said", True),  # normalised like the text
    ],
)
def test_quotes_match_on_word_boundaries(quote: str, found: bool) -> None:
    assert doc().contains(quote) is found


def test_occurrences_give_the_lines_of_the_corpus_file() -> None:
    d = doc()
    assert [d.line_at(o) for o in d.occurrences("officials said")] == [3]
    assert [d.line_at(o) for o in d.occurrences("said")] == [1, 3, 3]
    assert d.line_at(d.occurrences("two states")[0]) == 3


@pytest.mark.parametrize(
    ("quote", "ok"),
    [("Northland", True), ("Kono", True), ("2019", True), ("two", True), ("the", False),
     ("said", False), ("Sunday it", False)],
)  # fmt: skip
def test_short_quotes_must_be_names_or_numbers(quote: str, ok: bool) -> None:
    assert is_name_or_number(quote) is ok


def test_numbers_in_text() -> None:
    found = [(n.value, n.written) for n in numbers_in("Two tests, some 20 launches, 1,000 men")]
    assert found == [("2", "Two"), ("20", "20"), ("1000", "1,000")]
    # "one" as a pronoun is not a count
    assert numbers_in("no one said; one of them came") == []
    assert [n.value for n in numbers_in("one test")] == ["1"]
    assert numbers_in("the first test") == []


def test_outside_quotes_blanks_quoted_passages() -> None:
    text = 'He said "we will resume talks" and left.'
    assert outside_quotes(text) == "He said " + " " * 22 + " and left."
    assert len(outside_quotes(text)) == len(text)


def test_phrase_index_finds_the_longest_shared_run() -> None:
    index = PhraseIndex({"a": doc()}, 8)
    runs = index.runs("Reports: Northland said on Sunday it criticized the plan, again.")
    assert [(r.length, r.text, r.line) for r in runs] == [
        (8, "Northland said on Sunday it criticized the plan", 1)
    ]
    assert index.runs("Northland said on Sunday it objected to the plan.") == []


# ---------------------------------------------------------------- repair hints


def test_closest_passage_shows_a_missing_comma_and_a_spelling() -> None:
    d = doc()
    passage = closest_passage(d, "Northland said on Sunday it criticised the plan")
    assert passage is not None
    assert passage.text == "Northland said on Sunday it criticized the plan"
    assert passage.line == 1
    assert char_diff("Northland said on Sunday it criticised the plan", passage.text) == (
        "'criticised' \u2192 'criticized'"
    )
    passage = closest_passage(d, "hope to sign officials said")
    assert passage is not None and passage.line == 3
    assert "'sign' \u2192 'sign,'" in char_diff("hope to sign officials said", passage.text)


def test_locate_finds_words_across_folded_lines() -> None:
    text = "a: 1\ntext: >-\n  Northland said three\n  rounds would follow.\n"
    assert locate(text, 2, "three rounds") == (3, 18, 4, 9)
    assert locate(text, 2, "nowhere") is None


# ---------------------------------------------------------------- the command line


def run(args: list[str], cwd: Path) -> tuple[int, str]:
    out = io.StringIO()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out):
            status = cli_main(args)
    finally:
        os.chdir(old)
    return status, out.getvalue()


@pytest.fixture
def near_miss(tmp_path: Path) -> Path:
    return cat.make_root("quote-near-miss", tmp_path / "root")


def test_json_output_follows_its_schema(near_miss: Path) -> None:
    status, out = run(["check", "data", "--corpus", "corpus", "--format", "json"], near_miss)
    assert status == 1
    body = json.loads(out)
    jsonschema.validate(body, JSON_SCHEMA)
    (problem,) = body["problems"]
    assert problem | {"message": ""} == {
        "file": "data/events/x.yaml",
        "line": 13,
        "column": 17,
        "end_line": 13,
        "end_column": 91,
        "type": "dossier",
        "subtype": "quote-not-found",
        "severity": "error",
        "message": "",
        "related": {"file": "corpus/gazette.txt", "line": 6, "message": "closest passage"},
    }
    assert body["summary"]["errors"] == 1


def test_committed_json_schema_is_the_codes() -> None:
    committed = json.loads((ROOT / "schema" / "check-output.schema.json").read_text("utf-8"))
    assert committed == JSON_SCHEMA


def test_sarif_output(near_miss: Path) -> None:
    status, out = run(["check", "data", "--corpus", "corpus", "--format", "sarif"], near_miss)
    assert status == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "dossier.quote-not-found"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 13, "startColumn": 17, "endLine": 13, "endColumn": 91}
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related == {"artifactLocation": {"uri": "corpus/gazette.txt"},
                       "region": {"startLine": 6}}  # fmt: skip
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "dossier.quote-not-found"


def test_github_output(near_miss: Path) -> None:
    _status, out = run(["check", "data", "--corpus", "corpus", "--format", "github"], near_miss)
    (line,) = out.splitlines()
    assert line.startswith(
        "::error file=data/events/x.yaml,line=13,col=17,endLine=13,endColumn=91,"
        "title=dossier.quote-not-found::quote not found"
    )
    assert line.endswith("(closest passage: corpus/gazette.txt:6)")


def test_warnings_fail_check_and_notes_do_not(tmp_path: Path) -> None:
    root = cat.make_root("unquoted-number", tmp_path / "w")
    status, out = run(["check", "data", "--corpus", "corpus"], root)
    assert status == 1
    assert "checked 9 records: 0 errors, 2 warnings;" in out
    assert re.search(r"^data/events/x\.yaml:10:22: warning: claim 'c' states", out, re.M)
    root = cat.make_root("quote-the-one-word", tmp_path / "n")
    shutil.copy(ROOT / "tests/roots/test-hardening/data/events/talks-resume-2020.yaml",
                root / "data/events/x.yaml")  # fmt: skip
    status, out = run(["check", "data", "--corpus", "corpus"], root)
    assert status == 1  # a duplicate id; notes alone never fail


def test_future_source_uses_the_given_day(tmp_path: Path) -> None:
    root = cat.make_root("future-source", tmp_path / "root")
    status, _ = run(["check", "data", "--corpus", "corpus", "--today", "3000-01-01"], root)
    assert status == 0


def test_contributing_sample_is_the_real_output(near_miss: Path) -> None:
    _status, out = run(["check", "data", "--corpus", "corpus"], near_miss)
    page = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    assert out.splitlines()[0] in page


def test_pre_commit_hook_runs_the_console_script() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "sphinx-dossier-check"
    assert hook["entry"] == "sphinx-dossier check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    scripts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'sphinx-dossier = "sphinx_dossier.cli:main"' in scripts
    assert "id: sphinx-dossier-check" in (ROOT / "docs/contributing.md").read_text("utf-8")


# ---------------------------------------------------------------- source drift


def test_corpus_accept_refuses_while_a_quote_is_lost(tmp_path: Path) -> None:
    root = cat.make_root("source-drift", tmp_path / "root")
    record = root / "data/sources/gazette-2020-01-05.yaml"
    before = record.read_text(encoding="utf-8")
    status, out = run(["corpus", "accept", "gazette-2020-01-05", "--corpus", "corpus"], root)
    assert status == 1
    assert "data/events/talks-resume-2020.yaml:16: changed: closest passage, line 5" in out
    assert "data/sources/gazette-2020-01-05.yaml:15: found, at line 3 [dateline]" in out
    assert out.splitlines()[-1].startswith("refused: 2 of 5 quotes")
    assert record.read_text(encoding="utf-8") == before
    status, out = run(
        ["corpus", "accept", "gazette-2020-01-05", "--corpus", "corpus", "--force"], root
    )
    assert status == 0 and "accepted:" in out
    after = record.read_text(encoding="utf-8")
    assert after == before.replace(
        "fcf82fff888ad4085595ea27081cc842b02248e537f669fac79cc3379d284394",
        "f53318b8be452b8b50b85c1035a7cdf7b4f5e16885fd2ea46627dd41129e76d4",
    )
    status, out = run(["check", "data", "--corpus", "corpus"], root)
    assert "corpus-hash" not in out and "source-drift" not in out
    assert out.count("[dossier.quote-not-found]") == 2  # the changed quotes, to fix


def test_corpus_accept_takes_a_text_whose_quotes_all_survive(tmp_path: Path) -> None:
    root = cat.make_root("source-drift", tmp_path / "root")
    text = (root / "corpus/gazette.txt").read_text(encoding="utf-8")
    (root / "corpus/gazette.txt").write_text(
        text.replace("would resume talks", "will resume talks") + "\nA correction.\n",
        encoding="utf-8",
    )
    status, out = run(["check", "data", "--corpus", "corpus", "--notes"], root)
    assert "note: gazette-2020-01-05 changed (gazette.txt has a new sha256): this quote is" \
        " still found, at line 5 [dossier.source-drift]" in out  # fmt: skip
    status, out = run(["corpus", "accept", "gazette-2020-01-05", "--corpus", "corpus"], root)
    assert status == 0, out
    status, out = run(["check", "data", "--corpus", "corpus"], root)
    assert status == 0, out
    status, out = run(["corpus", "accept", "gazette-2020-01-05", "--corpus", "corpus"], root)
    assert status == 0 and "nothing to do" in out


# ---------------------------------------------------------------- evidence pages


@pytest.mark.sphinx
def test_evidence_page_paragraphs_cite_and_use_our_own_words(tmp_path: Path) -> None:
    root = cat.make_root("bom-utf8-accepted", tmp_path / "root")
    (root / "notes.md").write_text(
        "---\ndossier-evidence: true\n---\n\n# Notes\n\n"
        "```{note}\nHow to read this page: not a fact, so not checked.\n```\n\n"
        "The signing ({dossier:event}`signing-2020`) followed the talks.\n\n"
        "Nothing backs this paragraph.\n\n"
        "As {dossier:event}`talks-resume-2020` says, Northland said on Sunday it will"
        " resume talks with Southland.\n",
        encoding="utf-8",
    )
    result = build(root, freshenv=True)
    lines = [re.sub(r"^.*?notes\.md", "notes.md", w) for w in result.warning_lines()]
    assert lines == [
        "notes.md:13: WARNING: paragraph of an evidence page cites no claim or record"
        " ('Nothing backs this paragraph.'): link the claim or record that backs it, or move"
        " text about the page itself into a note [dossier.evidence]",
        "notes.md:15: WARNING: paragraph repeats 10 consecutive words of gazette-2020-01-05"
        " (line 5 of gazette.txt): 'Northland said on Sunday it will resume talks with"
        " Southland'; say it in our own words, or quote the source [dossier.close-paraphrase]",
    ]


def test_about_page_is_an_evidence_page() -> None:
    about = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    assert about.startswith("---\ndossier-evidence: true\n---\n")


def test_plain_text_shortcut_reads_every_real_text_as_the_parser_does() -> None:
    from sphinx_dossier.core.text import parsed_plain_text, plain_text

    texts = set()
    for path in sorted((ROOT / "data").rglob("*.yaml")):

        def walk(value: object) -> None:
            if isinstance(value, str):
                texts.add(value)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    texts |= {
        "See {dossier:actor}`Japan's government <japan>` and {dossier:event}`x-2019`.",
        "{dossier:claim}`a <b#c>`{dossier:claim}`d`",
        "Mixed *emphasis* and {dossier:actor}`japan`",
        "An escaped \\{dossier:actor}`japan`",
    }
    assert len(texts) > 500
    for text in sorted(texts):
        assert plain_text(text) == parsed_plain_text(text), text
