"""The field reference comes from the model: rows, types, and the ``dossier:fields`` table."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sphinx_dossier.core.kinds import DOCUMENTED_MODELS
from sphinx_dossier.core.model import Event, field_reference
from sphinx_support import build


def test_rows_follow_the_model() -> None:
    rows = {row.name: row for row in field_reference(Event)}
    assert list(rows) == list(Event.model_fields)
    assert rows["status"].type == "one of ``occurred``, ``planned``, ``reported``"
    assert rows["status"].required
    assert rows["date"].type == "date"
    assert rows["until"].type == "date or null" and not rows["until"].required
    assert rows["actors"].type == "list of ids"
    assert rows["claims"].type == "list of claim mappings"
    for model in DOCUMENTED_MODELS.values():
        for row in field_reference(model):
            assert row.description, f"{model.__name__}.{row.name} has no description"


def test_fields_directive_renders_a_table(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        textwrap.dedent(
            """\
            extensions = ["sphinx_dossier"]
            dossier_generate = False
            html_theme = "basic"


            def setup(app):
                from sphinx_dossier.sphinx_ext.fieldref import setup_fieldref

                setup_fieldref(app)
            """
        )
    )
    (src / "index.rst").write_text(
        "Fields\n======\n\n.. dossier:fields:: event\n\n.. dossier:fields:: cite\n"
    )
    result = build(src)
    assert result.warning_lines() == []
    html = result.main("index")
    tables = html.split('class="dossier-fields')[1:]
    assert len(tables) == 2
    event = tables[0].split("</table>", 1)[0]
    assert '<span class="pre">status</span>' in event
    assert "(required)" in event
    assert '<span class="pre">occurred</span>' in event
    assert '<span class="pre">quote</span>' in tables[1]
