"""Directive ``dossier:subtypes``: the checker warning subtypes, from the diagnostics enum."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .diagnostics import WARNING_TYPE, Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["SubtypesDirective", "setup_subtypes"]

_LITERAL = re.compile(r"``(.+?)``")
#: Subtypes whose problems are information, not errors.
INFO_SUBTYPES = frozenset({Subtype.CORPUS_SKIPPED})


def _inline(text: str) -> list[nodes.Node]:
    # Descriptions are docstrings with ``literal`` spans; nothing else is interpreted.
    parts: list[nodes.Node] = []
    for index, piece in enumerate(_LITERAL.split(text)):
        if piece:
            parts.append(nodes.literal(piece, piece) if index % 2 else nodes.Text(piece))
    return parts


class SubtypesDirective(SphinxDirective):
    """A two-column table: ``dossier.<subtype>`` and what it means, one row per enum member."""

    has_content = False
    option_spec: ClassVar[dict[str, object]] = {}

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["dossier-subtypes"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=30)
        group += nodes.colspec(colwidth=70)
        head = nodes.thead()
        group += head
        head += self._row([nodes.Text("subtype")], [nodes.Text("meaning")])
        body = nodes.tbody()
        group += body
        for member in Subtype:
            code = f"{WARNING_TYPE}.{member.value}"
            meaning = _inline(member.description)
            if member in INFO_SUBTYPES:
                meaning.append(
                    nodes.emphasis(" (information, not an error)", " (information, not an error)")
                )
            body += self._row([nodes.literal(code, code)], meaning)
        self.set_source_info(table)
        return [table]

    @staticmethod
    def _row(*cells: list[nodes.Node]) -> nodes.row:
        row = nodes.row()
        for content in cells:
            row += nodes.entry("", nodes.paragraph("", "", *content))
        return row


def setup_subtypes(app: Sphinx) -> None:
    """Register ``dossier:subtypes``."""
    app.add_directive_to_domain("dossier", "subtypes", SubtypesDirective)
