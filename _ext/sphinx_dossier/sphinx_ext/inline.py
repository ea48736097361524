"""Restricted MyST inline markup for text fields, as docutils nodes: emphasis, code, links,
dossier roles only. Plain text of the same fields is ``core.text.plain_text``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from docutils import nodes
from sphinx import addnodes

from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.model import split_title
from sphinx_dossier.core.text import ALLOWED_ROLES, ALLOWED_SCHEMES, inline_tokens

if TYPE_CHECKING:
    pass

__all__ = ["Report", "make_xref", "parse_inline"]

Report = Callable[[BuildWarning, str], None]
"""Callback receiving (subtype, message) for markup that was rejected."""


def make_xref(
    role: str, content: str, *, rawtext: str, refdoc: str | None, title: str | None = None
) -> addnodes.pending_xref:
    """A pending cross-reference to a dossier object, as the domain's roles make it.

    ``title`` gives the link text directly: record titles may contain ``<``, which
    the ``Title <target>`` syntax would split at the wrong place.
    """
    if title is not None:
        explicit, target = True, content.strip()
    else:
        explicit, title, target = split_title(content)
    node = addnodes.pending_xref(
        rawtext,
        refdomain="dossier",
        reftype=role,
        reftarget=target,
        refexplicit=explicit,
        refwarn=True,
    )
    if refdoc is not None:
        node["refdoc"] = refdoc
    node += nodes.inline(title, title, classes=["xref", "dossier", f"dossier-{role}"])
    return cast("addnodes.pending_xref", node)


def parse_inline(
    text: str,
    *,
    source: str,
    line: int | None,
    report: Report,
    refdoc: str | None = None,
    links: bool = True,
) -> list[nodes.Node]:
    """Parse one text field into inline docutils nodes.

    Everything outside the allowed subset is kept as literal text (and escaped
    by every writer), and reported through ``report``.  With ``links=False``
    (titles) references and roles become plain text.
    """
    children = inline_tokens(text)
    root = nodes.inline()
    stack: list[nodes.Element] = [root]

    def add(node: nodes.Node) -> None:
        if isinstance(node, nodes.Element):
            node.source, node.line = source, line
        stack[-1] += node

    def push(node: nodes.Element) -> None:
        add(node)
        stack.append(node)

    def pop() -> None:
        if len(stack) > 1:
            stack.pop()

    for token in children:
        kind = token.type
        if kind == "text":
            add(nodes.Text(token.content))
        elif kind == "softbreak":
            add(nodes.Text(" "))
        elif kind == "hardbreak":
            add(nodes.Text("\n"))
        elif kind == "code_inline":
            add(nodes.literal(token.content, token.content))
        elif kind == "em_open":
            push(nodes.emphasis())
        elif kind == "strong_open":
            push(nodes.strong())
        elif kind in ("em_close", "strong_close", "link_close"):
            pop()
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            if links and href.startswith(ALLOWED_SCHEMES):
                push(nodes.reference("", "", refuri=href))
            else:
                if links:
                    report(
                        BuildWarning.MARKUP,
                        f"link target {href!r} is not allowed: use an http(s) or mailto "
                        "URL, or a dossier role for records",
                    )
                push(nodes.inline())
        elif kind == "myst_role":
            name = str(token.meta.get("name", ""))
            rawtext = f"{{{name}}}`{token.content}`"
            domain, _, role = name.partition(":")
            if domain == "dossier" and role in ALLOWED_ROLES:
                if links:
                    add(make_xref(role, token.content, rawtext=rawtext, refdoc=refdoc))
                else:
                    add(nodes.Text(split_title(token.content)[1]))
            else:
                report(
                    BuildWarning.MARKUP,
                    f"role {{{name}}} is not allowed in text fields (only the dossier roles "
                    f"{', '.join(sorted(ALLOWED_ROLES))}); it is shown as text",
                )
                add(nodes.literal(rawtext, rawtext))
        elif kind == "image":
            report(
                BuildWarning.MARKUP,
                "images are not allowed in text fields; only the alt text is shown",
            )
            add(nodes.Text(token.content))
        else:
            # Any other token (html_inline if a plugin re-enabled it, math, ...)
            # is shown exactly as written.
            report(BuildWarning.MARKUP, f"unsupported inline markup ({kind}) is shown as text")
            add(nodes.Text(token.content or token.markup))
    return list(root.children)
