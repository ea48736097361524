"""Directive ``dossier:subtypes``: the checker warning subtypes, from the diagnostics enum."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_dossier.core.diagnostics import WARNING_TYPE, Subtype
from sphinx_dossier.sphinx_ext.reftable import inline_literals, reference_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["SubtypesDirective", "setup_subtypes"]

#: Subtypes whose problems are information, not errors.
INFO_SUBTYPES = frozenset({Subtype.CORPUS_SKIPPED, Subtype.QUOTE_AMBIGUOUS})


class SubtypesDirective(SphinxDirective):
    """A two-column table: ``dossier.<subtype>`` and what it means, one row per enum member."""

    has_content = False
    option_spec: ClassVar[dict[str, object]] = {}

    def run(self) -> list[nodes.Node]:
        rows: list[list[list[nodes.Node]]] = []
        for member in Subtype:
            code = f"{WARNING_TYPE}.{member.value}"
            meaning = inline_literals(member.description)
            if member in INFO_SUBTYPES:
                note = " (information, not an error)"
                meaning.append(nodes.emphasis(note, note))
            rows.append([[nodes.literal(code, code)], meaning])
        table = reference_table(
            ("subtype", "meaning"), (30, 70), rows, classes=["dossier-subtypes"]
        )
        self.set_source_info(table)
        return [table]


def setup_subtypes(app: Sphinx) -> None:
    """Register ``dossier:subtypes``."""
    app.add_directive_to_domain("dossier", "subtypes", SubtypesDirective)
