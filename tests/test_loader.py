"""Rule 1: reading YAML files (syntax, encoding, empty, top level, duplicates, tags, aliases)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dossier_factory import Fixture, errors, header, only_error, where
from sphinx_dossier.core import yamlload
from sphinx_dossier.core.yamlload import MAX_DEPTH, load_yaml_bytes


def test_valid_fixture_is_clean(dossier: Fixture) -> None:
    ds = dossier.load()
    assert ds.ok, "\n".join(map(str, ds.problems))
    assert ds.problems == []
    assert len(ds.records) == 6


def test_syntax_error_points_at_offending_line(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan\nkind: state\n  bad: indent\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 5, "yaml-syntax")
    assert "invalid YAML" in problem.message


def test_unclosed_quote_points_at_where_the_quote_opens(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: 'Japan\nkind: state\nclaims: []\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 3, "yaml-syntax")
    assert "quoted scalar" in problem.message


def test_value_with_colon_gets_a_quoting_hint(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan: the state\nkind: state\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 3, "yaml-syntax")
    assert "quotes" in problem.message


def test_tab_indentation_gets_a_hint(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan\nkind: state\naliases:\n\t- Nippon\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 6, "yaml-syntax")
    assert "tabs" in problem.message


def test_non_utf8_file_reports_the_line_of_the_bad_byte(dossier: Fixture) -> None:
    path = dossier.path("actor", "japan")
    path.write_bytes(header("actor").encode() + b"id: japan\nname: Jap\xe9n\nkind: state\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 3, "encoding")
    assert "UTF-8" in problem.message


def test_utf16_file_is_named_as_such(dossier: Fixture) -> None:
    path = dossier.path("actor", "japan")
    path.write_bytes((header("actor") + "id: japan\nname: Japan\nkind: state\n").encode("utf-16"))
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 1, "encoding")
    assert "UTF-16" in problem.message


def test_utf8_byte_order_mark_is_accepted(dossier: Fixture) -> None:
    path = dossier.path("actor", "japan")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ds = dossier.load()
    assert ds.ok, "\n".join(map(str, ds.problems))
    assert ds.records["japan"].line_of(("name",)) == 3


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n", "---\n", "~\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    doc = load_yaml_bytes(text.encode(), tmp_path / "x.yaml")
    kinds = [p.subtype for p in doc.problems]
    if text == "~\n":  # an explicit null is a value, just not a record
        assert kinds == []
        assert doc.data is None
    else:
        assert kinds == ["empty"]
        assert doc.problems[0].line == 1


def test_empty_record_file_is_reported(dossier: Fixture) -> None:
    dossier.path("actor", "japan").write_text("")
    assert where(only_error(dossier.load())) == ("japan.yaml", 1, "empty")


@pytest.mark.parametrize(
    ("body", "line", "what"),
    [
        ("- id: japan\n- name: Japan\n", 2, "a list"),
        ("just some text\n", 2, "a line of text"),
        ("42\n", 2, "a single value"),
        ("null\n", 2, "null"),
    ],
)
def test_top_level_must_be_a_mapping(dossier: Fixture, body: str, line: int, what: str) -> None:
    dossier.write("actor", "japan", body)
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", line, "not-mapping")
    assert what in problem.message


def test_duplicate_key_is_rejected_with_both_lines(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan\nkind: state\nname: Nippon\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 5, "duplicate-key")
    assert "'name'" in problem.message and "line 3" in problem.message


def test_duplicate_key_in_nested_mapping(dossier: Fixture) -> None:
    dossier.edit(
        "source", "wire-2019-11-22", "    text: The article", "    id: again\n    text: The article"
    )
    problem = only_error(dossier.load())
    assert where(problem) == ("wire-2019-11-22.yaml", 11, "duplicate-key")


@pytest.mark.parametrize(
    "value",
    ["!!python/object/apply:os.system ['true']", "!custom Japan", "!!binary SmFwYW4=", "!!set {a}"],
)
def test_non_core_tags_are_rejected(dossier: Fixture, value: str) -> None:
    dossier.write("actor", "japan", f"id: japan\nname: {value}\nkind: state\n")
    problem = errors(dossier.load())[0]
    assert where(problem) == ("japan.yaml", 3, "tag")
    assert "not allowed" in problem.message


def test_core_tags_are_accepted(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: !!str japan\nname: !!str Japan\nkind: state\n")
    assert dossier.load().ok


def test_anchor_and_alias_are_rejected(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: &n Japan\nkind: state\naliases:\n  - *n\n")
    found = [where(p) for p in errors(dossier.load())]
    assert found == [("japan.yaml", 3, "alias"), ("japan.yaml", 6, "alias")]


def test_alias_bomb_is_not_expanded(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    doc = load_yaml_bytes("\n".join(lines).encode(), tmp_path / "bomb.yaml")
    assert {p.subtype for p in doc.problems} == {"alias"}
    # Every alias became a null: nothing was expanded, so the data stays tiny.
    assert doc.data["a11"] == [None] * 9


def test_second_document_is_rejected(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan\nkind: state\n---\nid: other\n")
    assert where(only_error(dossier.load())) == ("japan.yaml", 5, "multiple-documents")


def test_complex_key_is_rejected(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan\nkind: state\n? [a, b]\n: 1\n")
    assert where(only_error(dossier.load())) == ("japan.yaml", 5, "bad-key")


def test_control_character_is_rejected(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Ja\x01pan\nkind: state\n")
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 3, "yaml-syntax")
    assert "U+0001" in problem.message


def test_excessive_nesting_stops_early(tmp_path: Path) -> None:
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    doc = load_yaml_bytes(f"a: 1\nb: {deep}\n".encode(), tmp_path / "deep.yaml")
    assert [(p.line, p.subtype) for p in doc.problems] == [(2, "too-deep")]


class _StrictFlowLoader(yaml.SafeLoader):
    """A PyYAML that refuses deep flow nesting itself, as 6.0.4's libyaml does."""

    limit = MAX_DEPTH + 5

    def fetch_flow_collection_start(self, token_class: type) -> None:  # type: ignore[override]
        if self.flow_level >= self.limit:
            mark = self.get_mark()
            raise yaml.scanner.ScannerError(
                "while increasing flow level", mark, "exceeded maximum nesting depth", mark
            )
        super().fetch_flow_collection_start(token_class)


# Block levels, then flow brackets spread over lines, one a line after the first 34
# (brackets in quotes and comments do not count): the level past the limit is on line 7.
_DEEP_MIXED = (
    "a:\n  b:\n    c: " + "[" * 34 + "\n" + "      " + "[ 'x[y', # [[[[\n" * 20 + "]" * 60 + "\n"
)


@pytest.mark.parametrize("limit", [MAX_DEPTH, MAX_DEPTH + 5, 60, 1000])
@pytest.mark.parametrize(
    "text, line",
    [("a: 1\nb: " + "[" * 5000 + "\n", 2), (_DEEP_MIXED, 7)],
    ids=["one-line", "mixed"],
)
def test_too_deep_whatever_pyyaml_refuses_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int, text: str, line: int
) -> None:
    # PyYAML 6.0.4 gives up on its own before our builder reaches the level past
    # MAX_DEPTH; the message must still be ours, at the same line, at any such limit.
    unlimited = load_yaml_bytes(text.encode(), tmp_path / "deep.yaml")
    monkeypatch.setattr(_StrictFlowLoader, "limit", limit)
    monkeypatch.setattr(yamlload, "_Loader", _StrictFlowLoader)
    strict = load_yaml_bytes(text.encode(), tmp_path / "deep.yaml")
    expected = [(line, "too-deep", f"nesting deeper than {MAX_DEPTH} levels: this is not a record")]
    assert [(p.line, p.subtype, p.message) for p in unlimited.problems] == expected
    assert [(p.line, p.subtype, p.message) for p in strict.problems] == expected


def test_a_real_syntax_error_stays_one_when_pyyaml_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Brackets inside quotes and comments do not count as nesting.
    text = "a: ['[[[[[[[[[[', # " + "[" * 60 + '\n  "' + "{" * 60 + '"]\nb: : c\n'
    monkeypatch.setattr(yamlload, "_Loader", _StrictFlowLoader)
    doc = load_yaml_bytes(text.encode(), tmp_path / "bad.yaml")
    assert [(p.line, p.subtype) for p in doc.problems] == [(3, "yaml-syntax")]


def test_keys_stay_text_and_plain_values_are_typed(tmp_path: Path) -> None:
    doc = load_yaml_bytes(
        b"yes: 1\n2016: x\nn: 12\nb: true\nd: 2019-02-30\nq: '12'\ne: null\n", tmp_path / "t.yaml"
    )
    assert doc.problems == []
    # Dates stay text so that the model can explain an impossible one.
    assert doc.data == {
        "yes": 1, "2016": "x", "n": 12, "b": True, "d": "2019-02-30", "q": "12", "e": None
    }  # fmt: skip


def test_line_map_covers_keys_and_items(tmp_path: Path) -> None:
    text = b"id: x\nclaims:\n  - id: a\n    cites:\n      - source: s\n        quote: q\n"
    doc = load_yaml_bytes(text, tmp_path / "t.yaml")
    assert doc.line_of(("claims", 0, "cites", 0, "quote")) == 6
    assert doc.line_of(("claims", 0)) == 3
    # Unknown trailing parts (e.g. pydantic union labels) fall back to the closest known one.
    assert doc.line_of(("claims", 0, "function-after[x]", "cites")) == 4
    assert doc.line_of(("nowhere",)) == 1


def test_schema_comment_is_required(dossier: Fixture) -> None:
    dossier.write("actor", "japan", "id: japan\nname: Japan\nkind: state\n", with_header=False)
    problem = only_error(dossier.load())
    assert where(problem) == ("japan.yaml", 1, "schema-comment")
    assert "actor.schema.json" in problem.message


def test_schema_comment_must_name_the_right_kind(dossier: Fixture) -> None:
    path = dossier.path("actor", "japan")
    path.write_text(path.read_text().replace("actor.schema", "event.schema"))
    assert where(only_error(dossier.load())) == ("japan.yaml", 1, "schema-comment")


def test_files_outside_record_directories_are_reported(dossier: Fixture) -> None:
    (dossier.data / "stray.yaml").write_text("id: stray\n")
    (dossier.data / "actors" / "korea.yml").write_text("id: korea\n")
    (dossier.data / "notes").mkdir()
    found = sorted(where(p) for p in errors(dossier.load()))
    assert found == [
        ("korea.yml", None, "layout"),
        ("notes", None, "layout"),
        ("stray.yaml", None, "layout"),
    ]


def test_non_record_files_are_ignored(dossier: Fixture) -> None:
    (dossier.data / "README.md").write_text("notes\n")
    (dossier.data / "actors" / ".hidden.yaml").write_text(": bad")
    assert dossier.load().ok


def test_unreadable_data_dir_is_one_problem(tmp_path: Path) -> None:
    from sphinx_dossier.core.dataset import Dataset

    ds = Dataset.load(tmp_path / "missing")
    assert [p.subtype for p in ds.problems] == ["io"]
    assert not ds.ok


def test_windows_line_endings_keep_lines(dossier: Fixture) -> None:
    path = dossier.path("actor", "japan")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    ds = dossier.load()
    assert ds.ok, "\n".join(map(str, ds.problems))
    assert ds.records["japan"].line_of(("kind",)) == 4
    dossier.edit("actor", "japan", "kind: state", "kind: stat")
    assert where(only_error(dossier.load())) == ("japan.yaml", 4, "type")


def test_plain_records_take_the_fast_path_and_problems_the_full_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a line map, plain YAML never reaches the full builder; a problem does."""
    from sphinx_dossier.core import yamlload

    built: list[str] = []
    real = yamlload._Builder

    class Counting(real):  # type: ignore[misc,valid-type]
        def stream(self) -> None:
            built.append(str(self.doc.path))
            super().stream()

    monkeypatch.setattr(yamlload, "_Builder", Counting)
    plain = b"id: x\nn: 12\nok: yes\nwhen: 2019-11-22\nlist: [a, 'b', {c: null}]\ntext: |\n  t\n"
    doc = load_yaml_bytes(plain, Path("plain.yaml"), track_lines=False)
    assert built == []
    assert doc.data == {
        "id": "x", "n": 12, "ok": True, "when": "2019-11-22",
        "list": ["a", "b", {"c": None}], "text": "t\n",
    }  # fmt: skip
    for bad in (b"a: 1\na: 2\n", b"a: &x 1\nb: *x\n", b"a: !!str 1\n", b"", b"a: 1\n---\nb: 2\n"):
        load_yaml_bytes(bad, Path("bad.yaml"), track_lines=False)
    assert built == ["bad.yaml"] * 5
