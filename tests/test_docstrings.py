"""Field descriptions come from the docstrings under the attributes, read once per module.

``describe_fields`` replaces pydantic's ``use_attribute_docstrings``, whose frame walk cost
about 0.1 s of every build's start; the descriptions must stay what pydantic found.
"""

from __future__ import annotations

import sys
import textwrap
import types
from pathlib import Path

from pydantic import BaseModel
from sphinx_dossier.core import model as core_model
from sphinx_dossier.outputs import export, license


def _models() -> list[type[BaseModel]]:
    found = []
    for module in (core_model, export, license):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def _pydantic_way(source: str, tmp_path: Path, name: str) -> type[BaseModel]:
    """The same class built by pydantic's own docstring reading, for comparison."""
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    result = module.__dict__["Sample"]
    assert isinstance(result, type)
    return result


def test_the_models_fields_have_their_docstrings_as_descriptions() -> None:
    models = _models()
    assert len(models) > 15  # the record models, the export models and the licence
    described = sum(1 for m in models for info in m.model_fields.values() if info.description)
    assert described > 100
    assert core_model.Cite.model_fields["quote"].description == (
        "A verbatim excerpt of the source (at most 25 words by default)."
    )
    assert license.License.model_fields["name"].description == "The licence's name."
    schema = core_model.Claim.model_json_schema()
    assert schema["properties"]["cites"]["description"] == "One or more citations."


def test_descriptions_match_pydantic_use_attribute_docstrings(tmp_path: Path) -> None:
    body = '''
    class Sample({base}):
        """A model."""
        {config}
        plain: int
        """A plain field.

        Indented second paragraph."""
        defaulted: str = "x"
        """With a default."""
        given: list[int] = Field(default_factory=list, min_length=0)
        """With a Field."""
        explicit: int = Field(0, description="Said in Field.")
        """Ignored: the Field's description wins."""
        undocumented: int = 0
        _private = 3
        """After a plain assignment: not a field docstring."""

        class Inner:
            hidden: int
            """Belongs to Inner."""

        def method(self) -> None:
            inside: int = 1
            """Inside a function."""
    '''
    imports = "from pydantic import BaseModel, ConfigDict, Field\n"
    theirs_config = "model_config = ConfigDict(use_attribute_docstrings=True)"
    theirs_source = imports + textwrap.dedent(body.format(base="BaseModel", config=theirs_config))
    theirs = _pydantic_way(theirs_source, tmp_path, "dossier_docstrings_theirs")

    ours_source = (
        imports
        + "from sphinx_dossier.core.docstrings import describe_fields\n"
        + textwrap.dedent(
            body.format(base="BaseModel", config="model_config = ConfigDict(defer_build=True)")
        )
        + "\ndescribe_fields(Sample)\n"
    )
    ours = _pydantic_way(ours_source, tmp_path, "dossier_docstrings_ours")

    def descriptions(cls: type[BaseModel]) -> dict[str, str | None]:
        return {name: info.description for name, info in cls.model_fields.items()}

    assert descriptions(ours) == descriptions(theirs)
    assert descriptions(ours)["plain"] == "A plain field.\n\nIndented second paragraph."
    assert descriptions(ours)["explicit"] == "Said in Field."
    assert descriptions(ours)["undocumented"] is None
    assert ours.model_json_schema() == theirs.model_json_schema()


def test_subclasses_of_the_bases_are_described_before_their_schema_is_built() -> None:
    # The record base defers its build; the descriptions are in by the first schema.
    assert core_model.Event.model_config.get("defer_build") is True
    assert "use_attribute_docstrings" not in core_model.Event.model_config
    described = [name for name, info in core_model.Event.model_fields.items() if info.description]
    assert set(described) == set(core_model.Event.model_fields)
