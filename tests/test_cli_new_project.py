"""``new`` in a project that has no data directory or schema files yet."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from sphinx_dossier.cli import main


def test_new_makes_the_data_directory_and_the_schema_its_record_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["new", "event", "first-meeting"]) == 0
    record = tmp_path / "data" / "events" / "first-meeting.yaml"
    first = record.read_text(encoding="utf-8").splitlines()[0]
    schema = (record.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema == tmp_path / "schema" / "event.schema.json"
    assert json.loads(schema.read_text(encoding="utf-8"))["$id"] == "event.schema.json"
    printed = out.getvalue()
    assert "created the data directory data" in printed
    assert "wrote schema/event.schema.json" in printed
    # A second record of the same kind leaves the schema file as it is.
    schema.write_text("{}\n", encoding="utf-8")
    with redirect_stdout(io.StringIO()):
        assert main(["new", "event", "second-meeting"]) == 0
    assert schema.read_text(encoding="utf-8") == "{}\n"
