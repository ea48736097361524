"""Text helpers every layer shares, without docutils: plain text of a field, display
titles, citation anchors and numbering, and how dates read.

A text field holds restricted MyST inline markup (emphasis, code, links, dossier
roles). The Sphinx side turns it into nodes (``sphinx_ext.inline``); everything that
needs the words only (listings, exports, JSON-LD, inventories, the command line) uses
:func:`plain_text` here, which reads the same markdown-it tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from mdit_py_plugins.myst_role import myst_role_plugin

from sphinx_dossier.core.kinds import KINDS
from sphinx_dossier.core.model import split_title

if TYPE_CHECKING:
    from markdown_it.token import Token

    from sphinx_dossier.core.dataset import Dataset, LoadedRecord

__all__ = [
    "ALLOWED_ROLES",
    "ALLOWED_SCHEMES",
    "PRECISION_TEXT",
    "ROLE_RE",
    "STATUS_BADGE",
    "STATUS_LEAD",
    "STATUS_TEXT",
    "citations",
    "cite_anchor",
    "claim_title",
    "date_notes",
    "date_phrase",
    "date_sort_key",
    "date_text",
    "date_words",
    "display_title",
    "inline_tokens",
    "plain_text",
    "source_details",
    "spoken_date",
]

#: Roles allowed in text fields, without the ``dossier:`` prefix: one per record kind,
#: ``claim`` and ``record`` (any kind).
ALLOWED_ROLES = frozenset({*KINDS, "claim", "record"})
#: ``{dossier:<role>}`content``` for every allowed role (group 1 the role, 2 the content).
ROLE_RE = re.compile(r"\{dossier:(" + "|".join(sorted(ALLOWED_ROLES)) + r")\}`([^`]*)`")
#: Link schemes allowed in text fields; anything else is rendered as text.
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")

PRECISION_TEXT = {"year": "year only", "month": "month only", "day": "exact day"}

#: What each event status means, in the words of the method page: legends, lists, the
#: text of figures and exports all use these (a status is never shown as its bare code).
STATUS_TEXT = {
    "occurred": "occurred",
    "planned": "planned or expected",
    "reported": "happened, date uncertain",
}
#: The same, short enough for a badge.
STATUS_BADGE = {"occurred": "occurred", "planned": "planned", "reported": "date uncertain"}
#: The same as a clause of the lead paragraph of an event page (the method page's
#: definitions, in short).
STATUS_LEAD = {
    "occurred": "a source published on or after its date reports that it happened",
    "planned": "it was announced or expected when the sources were written",
    "reported": "a source reports that it happened, but the date is uncertain",
}
#: How a date whose basis is not ``stated`` was obtained (``core.dates.Basis``).
BASIS_TEXT = {"resolved": "worked out from the source's own date", "inferred": "inferred"}


@cache
def _parser() -> MarkdownIt:
    # Only inline rules ever run (parseInline), and raw HTML is off, so block
    # constructs (directives, html blocks) cannot appear at all.
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["html_inline"])
    md.use(myst_role_plugin)
    return md


def inline_tokens(text: str) -> Sequence[Token]:
    """The inline tokens of one text field (the one parser both renderings share)."""
    tokens = _parser().parseInline(text)
    return tokens[0].children or [] if tokens else []


#: Characters at which an enabled inline rule (escape, code, emphasis, links, images,
#: autolinks, entities, roles) can start; line breaks and NUL are not printable.
_MARKUP_START = re.compile(r"[\\`*_\[\]!<>&{}]")


@lru_cache(maxsize=65536)
def plain_text(text: str) -> str:
    """The text of a field with its markup removed (titles, link texts, inventory names).

    Cached: listings, digests and exports ask for the same titles many times per build.
    Printable text without a character an inline rule starts at is returned as it is.
    The words are those of ``sphinx_ext.inline.parse_inline(..., links=False)``: a
    dossier role gives its title, any other role its source, an image its alt text.
    """
    if text.isprintable():
        if _MARKUP_START.search(text) is None:
            return text.strip()
        # Dossier roles and nothing else (most claim texts): their titles, as the
        # parser gives them, without running it.
        if "{dossier:" in text and _MARKUP_START.search(ROLE_RE.sub("", text)) is None:
            return ROLE_RE.sub(lambda m: split_title(m[2])[1], text).strip()
    return parsed_plain_text(text)


def parsed_plain_text(text: str) -> str:
    """:func:`plain_text` through the inline parser, always (the reference for its
    shortcuts, which a test holds to it)."""
    return "".join(_words(inline_tokens(text))).strip()


#: Tokens that only open or close emphasis or a link: their words are their children's.
_MARKS = frozenset(
    {"em_open", "em_close", "strong_open", "strong_close", "link_open", "link_close"}
)


def _words(tokens: Sequence[Token]) -> Iterator[str]:
    for token in tokens:
        kind = token.type
        if kind in ("text", "code_inline"):
            yield token.content
        elif kind == "softbreak":
            yield " "
        elif kind == "hardbreak":
            yield "\n"
        elif kind in ("em_open", "em_close", "strong_open", "strong_close") or kind in (
            "link_open",
            "link_close",
        ):
            continue
        elif kind == "myst_role":
            name = str(token.meta.get("name", ""))
            domain, _, role = name.partition(":")
            if domain == "dossier" and role in ALLOWED_ROLES:
                yield split_title(token.content)[1]
            else:
                yield f"{{{name}}}`{token.content}`"
        elif kind == "image":
            yield token.content
        else:
            yield token.content or token.markup


def display_title(loaded: LoadedRecord) -> str:
    """A record's title as every listing, link and export shows it: no markup, and the
    id when the title is empty once the markup is gone."""
    return plain_text(str(loaded.record.title)) or loaded.id


def claim_title(record_title: str, claim_id: str) -> str:
    """Display name of a claim (link text, inventory)."""
    return f"{record_title} › {claim_id}"


def cite_anchor(number: int) -> str:
    """The anchor of citation ``number`` on its record's page (``cite-3``)."""
    return f"cite-{number}"


def citations(loaded: LoadedRecord) -> Iterator[tuple[int, int, int]]:
    """``(claim index, cite index, number)`` in page order, numbered from 1 as on the page."""
    number = 0
    for c_index, claim in enumerate(loaded.record.claims):
        for k_index, _cite in enumerate(claim.cites):
            number += 1
            yield c_index, k_index, number


def date_text(value: Any) -> str:
    """``2016-10 (month only, resolved)``: the date with its precision and basis."""
    if value is None:
        return ""
    iso = str(getattr(value, "iso", value))
    notes = []
    precision = getattr(value, "precision", None)
    if precision in PRECISION_TEXT:
        notes.append(PRECISION_TEXT[precision])
    basis = str(getattr(value, "basis", "stated"))
    if basis != "stated":
        notes.append(basis)
    return f"{iso} ({', '.join(notes)})" if notes else iso


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def spoken_date(value: Any) -> str:
    """A date as a reader says it, at its own precision and no finer: ``2019``,
    ``November 2016``, ``1 November 2016`` ("" for no date)."""
    if value is None:
        return ""
    year, month, day = (getattr(value, name, None) for name in ("year", "month", "day"))
    if not isinstance(year, int):
        return str(value)
    if not isinstance(month, int):
        return str(year)
    if not isinstance(day, int):
        return f"{_MONTH_NAMES[month - 1]} {year}"
    return f"{day} {_MONTH_NAMES[month - 1]} {year}"


def date_phrase(value: Any) -> str:
    """``on 1 November 2016``, ``in November 2016``, ``in 2019``: never finer than the data."""
    words = spoken_date(value)
    return f"on {words}" if getattr(value, "precision", "") == "day" else f"in {words}"


def date_notes(value: Any) -> list[str]:
    """What a reader should know about a date besides its words: ``year only``,
    ``month only`` and how it was obtained when the source does not state it."""
    notes = []
    precision = getattr(value, "precision", "day")
    if precision != "day" and precision in PRECISION_TEXT:
        notes.append(PRECISION_TEXT[precision])
    basis = str(getattr(value, "basis", "stated"))
    if basis in BASIS_TEXT:
        notes.append(BASIS_TEXT[basis])
    return notes


def date_words(value: Any, *, phrase: bool = False) -> str:
    """``2019 (year only, inferred)``, ``1 November 2016``: the date in words with what a
    reader should know about it; with ``phrase``, ``in 2019 (...)`` / ``on 1 November 2016``."""
    notes = date_notes(value)
    words = date_phrase(value) if phrase else spoken_date(value)
    return words + (f" ({', '.join(notes)})" if notes else "")


def date_sort_key(value: Any) -> tuple[int, int, int]:
    """Sort key of a date (undated last)."""
    key = getattr(value, "sort_key", None)
    return key if isinstance(key, tuple) else (9999, 0, 0)


def source_details(source: Any) -> str:
    """Outlet, copy and date of a source, as its citations print them."""
    publisher = source.publisher.name
    details = [str(publisher) if publisher else "outlet not named in the text"]
    if source.via:
        details.append(f"via {source.via}")
    details.append(date_text(source.published) if source.published is not None else "undated")
    return ", ".join(details)


def plain_claim_text(text: str, dataset: Dataset) -> str:
    """A text field without markup; dossier references become the titles they link to."""

    def title_of(match: re.Match[str]) -> str:
        explicit, title, target = split_title(match[2])
        if explicit:
            return title
        target = target.lstrip("~!")
        loaded = dataset.records.get(target.split("#", 1)[0])
        if loaded is None:
            return target
        if "#" in target:
            return f"{plain_text(loaded.record.title)} ({target.split('#', 1)[1]})"
        return plain_text(loaded.record.title)

    # Escape the replacement so a title cannot introduce markup of its own.
    replaced = ROLE_RE.sub(lambda m: _escape_markup(title_of(m)), text)
    return plain_text(replaced)


def _escape_markup(text: str) -> str:
    return re.sub(r"([\\`*_\[\]{}<>#!|])", r"\\\1", text)
