"""The command line: output format, summary, exit status, corpus selection, schema files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from dossier_factory import Fixture
from sphinx_dossier.cli import main
from sphinx_dossier.core.kinds import KINDS
from sphinx_dossier.core.schema import schema_text
from sphinx_dossier.outputs.export import dataset_schema, dumps

REPO = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_clean_data_exits_0(
    dossier: Fixture, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dossier.root)
    status, lines, _ = run(capsys, "check", "data", "--corpus", "corpus")
    assert status == 0
    assert lines == ["checked 6 records: 0 errors; 4 of 4 quotes verified against the corpus"]


def test_errors_are_listed_relative_to_cwd_and_exit_1(
    dossier: Fixture, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier.edit("actor", "japan", "kind: state", "kind: stat")
    dossier.edit("event", "pact-kept-2019", "status: occurred", "status: occurred\nlocaton: x")
    monkeypatch.chdir(dossier.root)
    monkeypatch.delenv("DOSSIER_CORPUS", raising=False)
    status, lines, _ = run(capsys, "check")
    assert status == 1
    assert lines == [
        "data: note: corpus check skipped: no corpus configured (set DOSSIER_CORPUS or"
        " dossier_corpus_dir, or pass --corpus) so quotes were not verified"
        " [dossier.corpus-skipped]",
        "data/actors/japan.yaml:4: kind: 'stat' is not one of: state, organization, person;"
        " did you mean 'state'? [dossier.type]",
        "data/events/pact-kept-2019.yaml:6: unknown key 'locaton' in event;"
        " did you mean 'location'? [dossier.unknown-key]",
        "checked 6 records: 2 errors in 2 files",
    ]


def test_corpus_from_environment(
    dossier: Fixture, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dossier.root)
    monkeypatch.setenv("DOSSIER_CORPUS", "corpus")
    status, lines, _ = run(capsys, "check", str(dossier.data))
    assert status == 0
    assert lines[-1].endswith("4 of 4 quotes verified against the corpus")


def test_argument_beats_environment(
    dossier: Fixture, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dossier.root)
    monkeypatch.setenv("DOSSIER_CORPUS", "does-not-exist")
    status, _, _ = run(capsys, "check", "--corpus", "corpus")
    assert status == 0


def test_max_quote_words_option(
    dossier: Fixture, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dossier.root)
    status, lines, _ = run(capsys, "check", "--corpus", "corpus", "--max-quote-words", "5")
    assert status == 1
    assert sum("[dossier.quote]" in line for line in lines) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "no-such-dir"],
        ["check", "--max-quote-words", "0"],
        ["check", "--max-quote-words", "many"],
        ["check", "--corpus", "no-such-corpus"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(
    dossier: Fixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    monkeypatch.chdir(dossier.root)
    status, lines, err = run(capsys, *argv)
    assert status == 2
    assert lines == []
    assert "error" in err


def test_garbage_files_never_cause_a_traceback(dossier: Fixture) -> None:
    (dossier.data / "events" / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (dossier.data / "events" / "bomb.yaml").write_text("a: &a [x]\nb: [*a, *a]\n")
    (dossier.data / "events" / "list.yaml").write_text("- 1\n- 2\n")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_dossier", "check", "data", "--corpus", "corpus"],
        cwd=dossier.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert (
        result.stdout.splitlines()[-1]
        == "checked 9 records: 10 errors in 3 files; 4 of 4 quotes verified against the corpus"
    )


def test_committed_schema_files_match_the_model() -> None:
    for kind in KINDS:
        committed = (REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(kind), f"run: python -m sphinx_dossier schema ({kind})"
    committed = (REPO / "schema" / "dataset.schema.json").read_text(encoding="utf-8")
    assert committed == dumps(dataset_schema()), "run: python -m sphinx_dossier schema (dataset)"


def test_schema_command_writes_and_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "schema"
    status, lines, _ = run(capsys, "schema", "--dir", str(out), "--check")
    assert status == 1 and len(lines) == 5
    status, lines, _ = run(capsys, "schema", "--dir", str(out))
    assert status == 0 and len(lines) == 5
    assert json.loads((out / "dataset.schema.json").read_text())["$id"] == "dataset.schema.json"
    assert run(capsys, "schema", "--dir", str(out), "--check")[0] == 0
    event = json.loads((out / "event.schema.json").read_text())
    assert event["properties"]["status"]["enum"] == ["occurred", "planned", "reported"]
    assert "description" in event["properties"]["date"]
    (out / "event.schema.json").write_text("{}\n")
    status, lines, _ = run(capsys, "schema", "--dir", str(out), "--check")
    assert status == 1 and lines == [f"{out}/event.schema.json: out of date with the model:"
                                     " run 'python -m sphinx_dossier schema'"]  # fmt: skip


def test_fixture_records_satisfy_the_json_schema(dossier: Fixture) -> None:
    import jsonschema
    from sphinx_dossier.core.yamlload import load_yaml_file

    for kind in KINDS:
        schema = json.loads(schema_text(kind))
        for path in sorted((dossier.data / f"{kind}s").glob("*.yaml")):
            jsonschema.validate(load_yaml_file(path).data, schema)


def test_check_imports_neither_sphinx_nor_the_export_models(dossier: Fixture) -> None:
    """``check`` runs in pre-commit hooks and editors: it loads only the model side."""
    probe = (
        "import sys\n"
        "from sphinx_dossier.cli import main\n"
        f"status = main(['check', {str(dossier.root / 'data')!r}, '--corpus',"
        f" {str(dossier.root / 'corpus')!r}])\n"
        "heavy = sorted(m for m in sys.modules if m == 'sphinx' or m.startswith('sphinx.')"
        " or m in ('sphinx_dossier.outputs.export', 'sphinx_design', 'docutils'))\n"
        "print(status, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_check_reuses_its_cache_and_sees_every_change(
    dossier: Fixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A second check reads its last result from the cache folder; what it prints is
    always what a check from scratch prints, after edits, new errors and deletions."""
    monkeypatch.chdir(dossier.root)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    base = ["check", "data", "--corpus", "corpus"]

    def both() -> list[str]:
        warm = run(capsys, *base, *cache)
        cold = run(capsys, *base, "--no-cache")
        assert warm == cold
        return warm[1]

    assert both()[-1].startswith("checked 6 records: 0 errors")
    stored = list((tmp_path / "cache").glob("check-*.pickle"))
    assert len(stored) == 1 and (tmp_path / "cache" / ".gitignore").read_text().endswith("*\n")
    # Unchanged: the result is read back, not written again.
    before = stored[0].stat().st_mtime_ns
    both()
    assert stored[0].stat().st_mtime_ns == before
    dossier.edit("actor", "japan", "kind: state", "kind: stat")
    assert any("[dossier.type]" in line for line in both())
    dossier.path("event", "pact-kept-2019").unlink()
    assert both()[-1].startswith("checked 5 records:")
