"""The builder writing an environment's pages, for post-transforms (public API only).

A post-transform needs the builder (its format, its page URLs), but Sphinx offers it
only through ``SphinxTransform.app`` (deprecated in Sphinx 9) or private attributes.
The ``builder-inited`` event hands it over publicly; it is kept per environment,
weakly, so a process that runs several builds never sees another build's builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

_BUILDERS: WeakKeyDictionary[BuildEnvironment, Builder] = WeakKeyDictionary()


def remember_builder(app: Sphinx) -> None:
    """``builder-inited`` handler: note which builder writes ``app.env``."""
    _BUILDERS[app.env] = app.builder


def builder_of(env: BuildEnvironment) -> Builder:
    """The builder that writes ``env``'s pages."""
    return _BUILDERS[env]


def is_epub(builder: Builder) -> bool:
    """An EPUB builder: HTML pages, but packaged, without the site's data files, and
    with inline SVG that readers show differently (figures fall back to text)."""
    from sphinx.builders._epub_base import EpubBuilder

    return isinstance(builder, EpubBuilder)
