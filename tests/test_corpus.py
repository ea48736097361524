"""Rule 7: the corpus check (document, digest, quotes after normalisation) and its skipping."""

from __future__ import annotations

from pathlib import Path

import corpus_support
import pytest
from dossier_factory import CORPUS_NAME, Fixture, only_error, where
from sphinx_dossier.core.corpus import normalise, resolve_corpus_dir

SRC = "wire-2019-11-22"


def test_all_quotes_are_verified(dossier: Fixture) -> None:
    ds = dossier.load()
    assert ds.ok
    assert ds.corpus.checked
    assert ds.corpus.quotes_total == 4
    assert ds.corpus.quotes_verified == 4


def test_missing_document(dossier: Fixture) -> None:
    (dossier.corpus / CORPUS_NAME).unlink()
    problem = only_error(dossier.load())
    assert where(problem) == (f"{SRC}.yaml", 7, "corpus")
    assert CORPUS_NAME in problem.message


def test_digest_mismatch(dossier: Fixture) -> None:
    path = dossier.corpus / CORPUS_NAME
    path.write_bytes(path.read_bytes() + b"\nAn added line.\n")
    problem = only_error(dossier.load())
    assert where(problem) == (f"{SRC}.yaml", 8, "corpus-hash")


def test_quote_not_in_document(dossier: Fixture) -> None:
    dossier.edit("agreement", "pact", "with Japan alive", "with Japan dead")
    ds = dossier.load()
    problem = only_error(ds)
    assert where(problem) == ("pact.yaml", 13, "quote-not-found")
    assert ds.corpus.quotes_verified == ds.corpus.quotes_total - 1


@pytest.mark.parametrize(
    "quote",
    [
        # Curly quotes in the text, straight ones in the record (and the reverse below).
        '"keep the \\"intelligence pact\\" with Japan"',
        # An em dash in the text, a hyphen in the quote.
        '"(Wire) - South Korea said"',
        # A no-break space and a line break in the text, plain spaces in the quote.
        '"presidential office. Officials in Tokyo"',
        '"hours before it was due to expire. The decision"',
        # Extra spaces and a fullwidth dash in the quote.
        '"(Wire)   \\uff0d  South Korea"',
    ],
)
def test_quotes_match_after_normalisation(dossier: Fixture, quote: str) -> None:
    dossier.edit("agreement", "pact", 'quote: keep the "intelligence pact" with Japan alive',
                 f"quote: {quote}")  # fmt: skip
    ds = dossier.load()
    assert ds.ok, "\n".join(map(str, ds.problems))


def test_case_and_words_still_matter(dossier: Fixture) -> None:
    dossier.edit("agreement", "pact", 'quote: keep the "intelligence pact" with Japan alive',
                 'quote: "Keep the intelligence pact"')  # fmt: skip
    assert where(only_error(dossier.load())) == ("pact.yaml", 13, "quote-not-found")


def test_normalise() -> None:
    assert normalise("\u201cA\u201d \u2018b\u2019 \u2013 c\u00a0d\n\te\u2014f \ufb01") == (
        "\"A\" 'b' - c d e-f fi"
    )
    assert normalise("  plain   ascii\n") == "plain ascii"
    assert normalise("soft\u00adhyphen zero\u200bwidth") == "softhyphen zerowidth"


def test_no_corpus_gives_one_info_problem(dossier: Fixture) -> None:
    ds = dossier.load(corpus=False)
    assert ds.ok
    assert [(p.subtype, p.severity) for p in ds.problems] == [("corpus-skipped", "info")]
    assert ds.problems[0].message.startswith("corpus check skipped:")
    assert not ds.corpus.checked


def test_missing_corpus_directory_is_an_error(dossier: Fixture, tmp_path: Path) -> None:
    from sphinx_dossier.core.dataset import Dataset

    ds = Dataset.load(dossier.data, corpus_dir=tmp_path / "nowhere")
    assert [p.subtype for p in ds.problems] == ["corpus"]
    assert not ds.ok


def test_corpus_dir_precedence(tmp_path: Path) -> None:
    env = {"DOSSIER_CORPUS": "rel/corpus"}
    assert resolve_corpus_dir("given", environ=env, cwd=tmp_path) == Path("given")
    assert resolve_corpus_dir(None, environ=env, cwd=tmp_path) == tmp_path / "rel/corpus"
    assert resolve_corpus_dir(None, environ={"DOSSIER_CORPUS": "/abs"}) == Path("/abs")
    assert resolve_corpus_dir(None, environ={}) is None
    assert resolve_corpus_dir(None, environ={"DOSSIER_CORPUS": "  "}) is None


def test_every_dash_character_becomes_a_hyphen() -> None:
    import sys
    import unicodedata

    dashes = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Pd" or c == 0x2212
    ]
    assert len(dashes) > 20
    assert [d for d in dashes if normalise(f"a{d}b") != "a-b"] == []


def test_tests_without_the_corpus_skip_unless_it_is_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(corpus_support.ENV, raising=False)
    monkeypatch.delenv(corpus_support.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs the source texts"):
        corpus_support.require_corpus()
    monkeypatch.setenv(corpus_support.REQUIRE_ENV, "1")  # as CI sets it
    with pytest.raises(pytest.fail.Exception, match="DOSSIER_CORPUS is not set"):
        corpus_support.require_corpus()
    monkeypatch.setenv(corpus_support.ENV, str(tmp_path / "nowhere"))
    with pytest.raises(pytest.fail.Exception, match="is not a directory"):
        corpus_support.require_corpus()
    monkeypatch.setenv(corpus_support.ENV, str(tmp_path))
    assert corpus_support.require_corpus() == tmp_path
