"""Docutils tables for the reference pages generated from code (fields, warning subtypes)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docutils import nodes

__all__ = ["inline_literals", "reference_table"]

_LITERAL = re.compile(r"``(.+?)``")


def inline_literals(text: str) -> list[nodes.Node]:
    """Text with its ````literal```` spans as literal nodes.

    The text comes from docstrings in our own code; nothing else in it is interpreted.
    """
    parts: list[nodes.Node] = []
    for index, piece in enumerate(_LITERAL.split(text)):
        if piece:
            parts.append(nodes.literal(piece, piece) if index % 2 else nodes.Text(piece))
    return parts


def reference_table(
    headings: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[list[nodes.Node]]],
    *,
    classes: Sequence[str] = (),
) -> nodes.table:
    """A table with one heading row and one row per item, each cell one paragraph."""
    table = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(headings))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row([[nodes.Text(heading)] for heading in headings])
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return table


def _row(cells: Sequence[list[nodes.Node]]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        row += nodes.entry("", nodes.paragraph("", "", *content))
    return row
