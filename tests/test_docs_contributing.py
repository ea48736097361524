"""The contributor docs stay complete: every warning subtype is documented, generated or by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dataout_support import make_dataout_root
from package_scan import build_warning_members
from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.diagnostics import Subtype
from sphinx_support import build

REPO = Path(__file__).resolve().parent.parent
CONTRIBUTING = REPO / "docs" / "contributing.md"


def build_only_subtypes() -> set[str]:
    """Subtypes the build emits beside the checker's: the BuildWarning members in use."""
    return {BuildWarning[name].value for name in build_warning_members()}


def hand_listed_subtypes() -> set[str]:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    table = text.split("The Sphinx build adds a few of its own", 1)[1]
    return set(re.findall(r"^\| `dossier\.([a-z-]+)` \|", table, flags=re.M))


def test_hand_written_list_matches_the_build_only_subtypes() -> None:
    found = build_only_subtypes()
    assert {"config", "dangling-ref", "markup"} <= found, "the source scan found too little"
    assert hand_listed_subtypes() == found


def test_generated_table_lists_every_enum_member(tmp_path: Path) -> None:
    result = build(make_dataout_root(tmp_path / "src"))
    assert result.warning_lines() == []
    html = result.main("index")
    table = html.split('class="dossier-subtypes', 1)[1].split("</table>", 1)[0]
    listed = re.findall(r'<span class="pre">dossier\.([a-z-]+)</span>', table)
    assert listed == [member.value for member in Subtype]
    assert "(information, not an error)" in table
    assert "<code" in table.split("dossier.layout", 1)[1].split("</tr>", 1)[0]


@pytest.mark.parametrize("status", ["0", "1", "2"])
def test_exit_statuses_are_documented(status: str) -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    assert re.search(rf"^\| `{status}` \| \S", text, flags=re.M)


def test_skeleton_example_is_what_new_writes() -> None:
    from sphinx_dossier.cli.new import skeleton

    text = CONTRIBUTING.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```\n", 1)[0]
    assert example == skeleton("event", "my-new-event")
