"""The parser of the generated page stubs (``.dossier`` files): reST, read faster.

A record stub is two lines the extension writes (``pages.record_stub``)::

    :orphan:

    .. dossier:record:: <id>

Parsing it with docutils' reST parser set up three state machines for two lines,
about 4 % of a full build. This parser gives the document reST would give, the
``orphan`` field list and the record's nodes (which Sphinx's transforms then treat
as usual), without the state machines. Any other text, a listing stub or a stub a
user edited, and any stub of a project with an ``rst_prolog`` or ``rst_epilog``
(which reST would add to it), goes to the reST parser.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.parsers import RSTParser

from sphinx_dossier.sphinx_ext.directives import record_page_nodes
from sphinx_dossier.sphinx_ext.pages import STUB_FILETYPE

if TYPE_CHECKING:
    from docutils.statemachine import StringList
    from sphinx.application import Sphinx

_RECORD_STUB = re.compile(r":orphan:\n\n\.\. dossier:record:: ([^\s]+)\n")
#: The line of the directive in a record stub (where its warnings point).
_DIRECTIVE_LINE = 3


class StubParser(RSTParser):
    """reST, with the record stubs the extension writes read without reST's parser."""

    supported = (STUB_FILETYPE,)

    def parse(self, inputstring: str | StringList, document: nodes.document) -> None:
        env = getattr(document.settings, "env", None)
        match = _RECORD_STUB.fullmatch(inputstring) if isinstance(inputstring, str) else None
        if match is None or env is None or env.config.rst_prolog or env.config.rst_epilog:
            super().parse(inputstring, document)
            return
        # What reST makes of ":orphan:": a field list, which the docinfo transform and
        # Sphinx's metadata collector turn into the page's "orphan" metadata.
        field = nodes.field("", nodes.field_name("", "orphan"), nodes.field_body(""))
        document += nodes.field_list("", field)
        location = f"{document.current_source or document['source']}:{_DIRECTIVE_LINE}"
        document.extend(record_page_nodes(env, match[1], location))


def setup_stub_parser(app: Sphinx) -> None:
    app.add_source_parser(StubParser)
