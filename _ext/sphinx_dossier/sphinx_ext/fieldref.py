"""Directive ``dossier:fields``: the field reference of a record kind, read from the model."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinx_dossier.core.kinds import DOCUMENTED_MODELS
from sphinx_dossier.core.model import field_reference
from sphinx_dossier.sphinx_ext.reftable import inline_literals, reference_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["FieldsDirective", "setup_fieldref"]


class FieldsDirective(SphinxDirective):
    """A table of the YAML keys of one model: name, type, required, description.

    The argument is a record kind (``source``, ``actor``, ``agreement``, ``event``) or
    a part of a record (``claim``, ``cite``, ``role``, ``publisher``).
    """

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, object]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        model = DOCUMENTED_MODELS.get(name)
        if model is None:
            choices = ", ".join(DOCUMENTED_MODELS)
            raise self.error(f"dossier:fields: unknown model {name!r}; one of: {choices}")
        rows: list[list[list[nodes.Node]]] = []
        for row in field_reference(model):
            key: list[nodes.Node] = [nodes.literal(row.name, row.name)]
            if row.required:
                key.append(nodes.emphasis(" (required)", " (required)"))
            rows.append([key, inline_literals(row.type), inline_literals(row.description)])
        table = reference_table(
            ("key", "value", "meaning"),
            (20, 25, 55),
            rows,
            classes=["dossier-fields", *self.options.get("class", [])],
        )
        self.set_source_info(table)
        return [table]


def setup_fieldref(app: Sphinx) -> None:
    """Register ``dossier:fields``."""
    # override: registering twice (from a conf.py and from setup()) is harmless.
    app.add_directive_to_domain("dossier", "fields", FieldsDirective, override=True)
