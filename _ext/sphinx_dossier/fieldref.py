"""Directive ``dossier:fields``: the field reference of a record kind, read from the model."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .model import DOCUMENTED_MODELS, field_reference

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["FieldsDirective", "setup_fieldref"]

_LITERAL = re.compile(r"``(.+?)``")


def _inline(text: str) -> list[nodes.Node]:
    # Descriptions are field docstrings with ``literal`` spans; nothing else is interpreted.
    parts: list[nodes.Node] = []
    for index, piece in enumerate(_LITERAL.split(text)):
        if piece:
            parts.append(nodes.literal(piece, piece) if index % 2 else nodes.Text(piece))
    return parts


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
        table = nodes.table(classes=["dossier-fields", *self.options.get("class", [])])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (20, 25, 55):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += _row([nodes.Text("key")], [nodes.Text("value")], [nodes.Text("meaning")])
        body = nodes.tbody()
        group += body
        for row in field_reference(model):
            key: list[nodes.Node] = [nodes.literal(row.name, row.name)]
            if row.required:
                key.append(nodes.emphasis(" (required)", " (required)"))
            body += _row(key, _inline(row.type), _inline(row.description))
        self.set_source_info(table)
        return [table]


def _row(*cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        row += nodes.entry("", nodes.paragraph("", "", *content))
    return row


def setup_fieldref(app: Sphinx) -> None:
    """Register ``dossier:fields``."""
    # override: registering twice (from a conf.py and from setup()) is harmless.
    app.add_directive_to_domain("dossier", "fields", FieldsDirective, override=True)
