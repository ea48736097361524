"""The extension's reference page documents every role, option and warning subtype it has."""

from __future__ import annotations

from pathlib import Path

from package_scan import build_warning_members, untyped_warnings
from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.sphinx_ext.config import OPTIONS, PREFIX
from sphinx_dossier.sphinx_ext.domain import DossierDomain

PROJECT = Path(__file__).parent.parent
PAGE = (PROJECT / "docs" / "extension.md").read_text(encoding="utf-8")


def test_every_role_is_documented() -> None:
    for role in DossierDomain.roles:
        assert f"{{dossier:{role}}}`" in PAGE, role
        assert f":dossier:{role}:`" in PAGE, role


def test_every_option_is_documented() -> None:
    for option in OPTIONS:
        assert f"`{PREFIX}{option.name}` (default `{option.default!r}`".replace("'", '"') in (
            PAGE
        ), option.name


def test_every_build_warning_is_documented() -> None:
    for subtype in BuildWarning:
        assert f"`dossier.{subtype.value}`\n: " in PAGE, subtype


def test_every_subtype_the_code_emits_is_a_build_warning() -> None:
    # The whole package, read as source: a new module is covered as soon as it exists.
    assert untyped_warnings() == [], "warn through sphinx_ext._shared with a BuildWarning"
    used = build_warning_members()
    assert used, "no subtypes found: the scan is out of date"
    assert used == {member.name for member in BuildWarning}, "unused or unknown members"
