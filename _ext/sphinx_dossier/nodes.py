"""Doctree nodes of the extension: placeholders filled at write time, and badges."""

from __future__ import annotations

from docutils import nodes


class dossier_view(nodes.General, nodes.Element):  # type: ignore[misc]
    """Placeholder for data derived from other records (backlinks, lists).

    Attributes: ``view`` (the view's name) and ``arg`` (a record id or "").
    Replaced in a post-transform, so the content is always current.
    """


def badge(text: str, color: str, *, outline: bool = False) -> nodes.inline:
    """A sphinx-design badge (same classes as its ``bdg-*`` roles)."""
    classes = ["sd-sphinx-override", "sd-badge"]
    if outline:
        classes += [f"sd-outline-{color}", f"sd-text-{color}"]
    else:
        classes += [f"sd-bg-{color}", f"sd-bg-text-{color}"]
    return nodes.inline(text, text, classes=classes)


KIND_COLORS = {"event": "primary", "agreement": "success", "actor": "info", "source": "secondary"}
STATUS_COLORS = {"occurred": "success", "planned": "warning", "reported": "info"}


def kind_badge(kind: str) -> nodes.inline:
    return badge(kind, KIND_COLORS.get(kind, "secondary"))


def status_badge(status: str) -> nodes.inline:
    return badge(status, STATUS_COLORS.get(status, "secondary"), outline=True)


def visit_skip(self: object, node: nodes.Element) -> None:
    raise nodes.SkipNode
