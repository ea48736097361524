"""Accessibility repairs to markup that Sphinx itself writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Sphinx writes toctree captions as ``role="heading"`` without the level ARIA requires.
CAPTION = '<p class="caption" role="heading">'
CAPTION_FIXED = '<p class="caption" role="heading" aria-level="2">'
#: Context values holding rendered HTML: the page body and furo's navigation tree.
HTML_KEYS = ("body", "toc", "furo_navigation_tree")


def fix_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for key in HTML_KEYS:
        value = context.get(key)
        if isinstance(value, str) and CAPTION in value:
            context[key] = value.replace(CAPTION, CAPTION_FIXED)


def setup_a11y(app: Sphinx) -> None:
    # After the theme's own handler (500), which renders the navigation tree.
    app.connect("html-page-context", fix_page, priority=900)
