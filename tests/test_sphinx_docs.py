"""The extension's reference page documents every role, option and warning subtype it has."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_dossier.buildwarnings import BuildWarning
from sphinx_dossier.config import OPTIONS, PREFIX
from sphinx_dossier.domain import DossierDomain

PROJECT = Path(__file__).parent.parent
PAGE = (PROJECT / "docs" / "extension.md").read_text(encoding="utf-8")
#: The modules of the Sphinx side, whose warning subtypes the page must list.
MODULES = ["config", "domain", "inline", "render", "directives", "pages", "transforms", "views"]


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
    known = {subtype.value for subtype in BuildWarning}
    found: set[str] = set()
    for module in MODULES:
        source = (PROJECT / "_ext" / "sphinx_dossier" / f"{module}.py").read_text(encoding="utf-8")
        found |= set(re.findall(r'subtype="([a-z-]+)"', source))
        found |= set(re.findall(r'(?:report|self\.warn)\(\s*"([a-z-]+)"', source))
    assert found, "no subtypes found: the pattern is out of date"
    assert found <= known, found - known
