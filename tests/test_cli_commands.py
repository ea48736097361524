"""Contributor commands ``new``, ``show`` and ``export``: output, files, exit status, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from dossier_factory import Fixture
from sphinx_dossier.cli import main
from sphinx_dossier.core.dataset import Dataset, schema_comment
from sphinx_dossier.core.kinds import KINDS

REPO = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def in_root(dossier: Fixture, monkeypatch: pytest.MonkeyPatch) -> Fixture:
    monkeypatch.chdir(dossier.root)
    monkeypatch.delenv("DOSSIER_CORPUS", raising=False)
    return dossier


# -- new ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_new_writes_a_skeleton_the_checker_points_into(
    in_root: Fixture, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    status, out, _ = run(capsys, "new", kind, "fresh-record")
    path = in_root.path(kind, "fresh-record")
    assert status == 0
    assert out.startswith(f"wrote data/{path.parent.name}/fresh-record.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == schema_comment(kind)
    assert "id: fresh-record\n" in text
    # Every required field is present (empty), so the checker names each one at its line.
    problems = [p for p in Dataset.load(in_root.data).errors if p.path == path]
    assert problems, "an unfilled skeleton must not pass the checker"
    assert {p.subtype for p in problems} <= {"missing-field", "type", "date", "id"}
    assert all(p.line is not None and p.line > 2 for p in problems)
    assert not any(p.subtype in ("schema-comment", "unknown-key", "yaml-syntax") for p in problems)


def test_filled_skeleton_passes(in_root: Fixture, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new", "event", "pact-noted-2019")[0] == 0
    path = in_root.path("event", "pact-noted-2019")
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ('title: ""', "title: Pact noted"),
        ('date: ""', "date: 2019-11-22"),
        ('status: ""', "status: occurred"),
        ('id: ""', "id: noted"),
        ('text: ""', "text: The pact was noted."),
        ("supports: []", "supports: [date]"),
        ('source: ""', "source: wire-2019-11-22"),
        ('quote: ""', 'quote: "SEOUL, Nov. 22 (Wire)"'),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, "check", "data", "--corpus", "corpus")
    assert status == 0, out
    assert out.endswith("checked 7 records: 0 errors; 5 of 5 quotes verified against the corpus\n")


def test_new_refuses_to_overwrite_any_kind(
    in_root: Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    before = in_root.path("actor", "japan").read_text(encoding="utf-8")
    status, out, err = run(capsys, "new", "event", "japan")
    assert status == 2 and out == ""
    assert "data/actors/japan.yaml already exists" in err
    assert not in_root.path("event", "japan").exists()
    assert in_root.path("actor", "japan").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new", "place", "x"], "invalid choice: 'place'"),
        (["new", "event", "Bad_Id"], "'Bad_Id' is not a valid id"),
        (["new", "event", "a" * 81], "at most 80 characters"),
        # A missing data directory is made (a new project), not one in a missing folder.
        (
            ["new", "event", "ok-id", "--data", "missing/data"],
            "data directory not found: missing/data",
        ),
        (["new", "event"], "the following arguments are required: ID"),
    ],
)
def test_new_usage_errors(
    in_root: Fixture, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert message in err
    assert "Traceback" not in err


# -- show --------------------------------------------------------------------------------------


def test_show_prints_fields_claims_citations_and_backlinks(
    in_root: Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "show", "pact-kept-2019")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "South Korea keeps the pact"
    assert lines[1].startswith("event pact-kept-2019 · data/events/pact-kept-2019.yaml")
    assert "actors: south-korea (South Korea)" in lines
    assert "agreements: pact (Pact)" in lines
    # Roles in claim text are shown as the title of the record they name.
    assert "  kept: South Korea decided to keep the Pact." in lines
    assert (
        "    [1] wire-2019-11-22 (South Korea keeps intelligence pact with Japan, 2019-11-22)"
        in lines
    )
    assert "referenced by: nothing" in lines


def test_show_backlinks_list(in_root: Fixture, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "show", "south-korea")
    tail = out.split("referenced by:\n", 1)[1].splitlines()
    assert tail == [
        "  pact (agreement: Pact)",
        "  pact-kept-2019 (event: South Korea keeps the pact)",
        "  presidential-office (actor: Presidential office)",
    ]


def test_show_unknown_id_suggests(in_root: Fixture, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "south-kora")
    assert status == 2 and out == ""
    assert "no record with id 'south-kora' in data; did you mean south-korea?" in err


def test_show_invalid_record_lists_its_problems(
    in_root: Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    in_root.edit("actor", "japan", "kind: state", "kind: stat")
    status, out, _ = run(capsys, "show", "japan")
    assert status == 1
    assert "data/actors/japan.yaml: the record has errors and cannot be shown:" in out
    assert "data/actors/japan.yaml:4: kind: 'stat' is not one of" in out
    assert "[dossier.type]" in out


# -- export ------------------------------------------------------------------------------------


def test_export_to_stdout_is_the_dataset(
    in_root: Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "export")
    assert status == 0
    data = json.loads(out)
    assert data["counts"] == {"source": 1, "actor": 3, "agreement": 1, "event": 1}
    assert data["records"][0]["url"] == "records/sources/wire-2019-11-22.html"


def test_export_writes_files_that_validate(
    in_root: Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "export", "data", "--corpus", "corpus", "--out", "d.json",
        "--timeline", "t.json", "--schema", "s.json", "--base-url", "https://example.org",
    )  # fmt: skip
    assert status == 0
    assert out.splitlines() == ["wrote d.json", "wrote t.json", "wrote s.json"]
    data = json.loads((in_root.root / "d.json").read_text(encoding="utf-8"))
    schema = json.loads((in_root.root / "s.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["records"][0]["url"] == "https://example.org/records/sources/wire-2019-11-22.html"
    timeline = json.loads((in_root.root / "t.json").read_text(encoding="utf-8"))
    assert timeline["events"][0]["start_date"] == {"year": 2019, "month": 11, "day": 22}


def test_export_refuses_data_with_errors(
    in_root: Fixture, capsys: pytest.CaptureFixture[str]
) -> None:
    in_root.edit("event", "pact-kept-2019", "status: occurred", "status: done")
    status, out, err = run(capsys, "export", "--out", "d.json")
    assert status == 1 and out == ""
    assert "data/events/pact-kept-2019.yaml:5: status: 'done' is not one of" in err
    assert err.splitlines()[-1].startswith("export not written: 1 error in the data")
    assert not (in_root.root / "d.json").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "nowhere"], "data directory not found: nowhere"),
        (["export", "data/sources/wire-2019-11-22.yaml"], "data directory not found"),
        (["export", "--out", "no/such/dir/d.json"], "cannot write no/such/dir/d.json"),
        (["export", "--corpus", "missing"], "corpus directory not found"),
        (["show"], "the following arguments are required: ID"),
        (["show", "japan", "--data", "missing"], "data directory not found: missing"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    in_root: Fixture, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert message in err
    assert "Traceback" not in err


def test_help_documents_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["new"], ["show"], ["export"]):
        assert main([*argv, "--help"]) == 0
        out = capsys.readouterr().out
        assert "Exit status: 0" in " ".join(out.split()), argv


def test_console_script_runs(dossier: Fixture) -> None:
    script = Path(sys.executable).with_name("sphinx-dossier")
    assert script.exists(), "pip install -e . declares the sphinx-dossier console script"
    result = subprocess.run(
        [str(script), "show", "pact", "--data", str(dossier.data)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Pact\nagreement pact")
    result = subprocess.run(
        [str(script), "show", "nothing-here", "--data", str(dossier.data)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("sphinx-dossier show: error: no record with id")


@pytest.mark.parametrize("command", ["check", "export", "show"])
def test_unlistable_data_folders_are_reported_as_problems(
    in_root: Fixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    # Tests may run as root, where chmod cannot make a folder unreadable: fail the listing
    # (the loader lists the data folder with Path.iterdir, kind folders with os.scandir).
    def refuse(self: Path) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    real_scandir = os.scandir

    def refuse_scandir(path: Any = ".") -> Any:
        if Path(path).name in ("actors", "agreements", "events", "sources"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "iterdir", refuse)
    monkeypatch.setattr(os, "scandir", refuse_scandir)
    argv = [command, "japan"] if command == "show" else [command, "data"]
    status, out, err = run(capsys, *argv)
    assert status == 1
    assert "data/actors: cannot list directory: Permission denied [dossier.io]" in out + err
    assert "Traceback" not in out + err


def test_any_os_error_becomes_a_message(
    in_root: Fixture, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "data/x.yaml")

    monkeypatch.setattr(Dataset, "load", fail)
    status, out, err = run(capsys, "show", "japan")
    assert status == 2 and out == ""
    assert err == "python -m sphinx_dossier show: error: Permission denied: data/x.yaml\n"
