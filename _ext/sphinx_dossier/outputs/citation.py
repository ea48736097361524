"""Citations of records, claims and sources in APA, Chicago, MLA, BibTeX, RIS and CSL-JSON.

Every format is made from one CSL-JSON item per cited work:

- APA, Chicago and MLA from citeproc-py with the Citation Style Language project's
  own style files (``csl/``: APA 7th, Chicago 16th author-date, MLA 9th), so the
  styles are the ones Zotero and Mendeley use rather than templates of our own;
- BibTeX written here (read back by bibtexparser in the tests), RIS by rispy, CSL-JSON by
  the standard library.

A citation must carry the date the reader looked at the page, which a build cannot
know (and two builds must be byte-identical). Every format is therefore made with
the placeholder date :data:`ACCESS_SENTINEL`; :func:`split_access` cuts each text at
the placeholder's rendering and says how that format writes a date, so the page can
show "[date of access]" and its script the reader's date in that format.

The CSL-JSON item of a claim names the claim's page anchor as its URL and carries the
quotes it rests on, and their sources, in ``note``; the styled citation of a claim is
followed by each quote and the styled citation of its source (the evidence).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final

__all__ = [
    "ACCESS_SENTINEL",
    "ACCESS_TEXT",
    "FORMATS",
    "STYLES",
    "AccessDate",
    "Work",
    "bibtex",
    "csl_json",
    "formats",
    "ris",
    "split_access",
    "styled",
]

#: The placeholder access date every format is made with (no real date looks like it
#: in this dossier's subject, and its day, month and year are all distinct).
ACCESS_SENTINEL: Final = (1111, 11, 23)
#: What a page shows for the access date until its script fills in the reader's date.
ACCESS_TEXT: Final = "[date of access]"

#: style key -> (label, CSL file in the package's ``csl/`` folder).
STYLES: Final = {
    "apa": ("APA", "apa.csl"),
    "chicago": ("Chicago", "chicago-author-date-16th-edition.csl"),
    "mla": ("MLA", "modern-language-association.csl"),
}
#: Every format, in the order a page offers them: key -> label.
FORMATS: Final = {
    **{key: label for key, (label, _) in STYLES.items()},
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl-json": "CSL-JSON",
}

_CSL_DIR = Path(__file__).resolve().parent.parent / "csl"

#: How each format renders the sentinel date -> the pattern the page's script fills
#: ({MMMM} month name, {MMM} the CSL short month term, {MM}/{DD} two digits).
#: Chicago gives an undated page the year of access as its date, and the day apart.
_RENDERED: Final = {
    "November 23, 1111": "{MMMM} {D}, {Y}",
    "23 Nov. 1111": "{D} {MMM} {Y}",
    "1111-11-23": "{Y}-{MM}-{DD}",
    "1111/11/23": "{Y}/{MM}/{DD}",
    "November 23": "{MMMM} {D}",
    "1111": "{Y}",
}
_RENDERED_RE = re.compile("|".join(rf"\b{re.escape(text)}\b" for text in _RENDERED))


@dataclass(frozen=True)
class AccessDate:
    """Where a citation text names the access date, and how (a date pattern)."""

    pattern: str


@dataclass
class Work:
    """A citable work: its CSL-JSON item, and for a claim the evidence it rests on."""

    item: dict[str, Any]
    """A CSL-JSON item; its ``accessed`` date is :data:`ACCESS_SENTINEL` when it has one."""
    evidence: list[tuple[str, Work]] = field(default_factory=list)
    """For a claim: each quote and the work (the source) it is from."""
    formatted: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """This work's entry in each data format, made when first asked for (a source's is
    asked for by every claim that quotes it)."""

    def entry(self, name: str, make: Callable[[Work], str]) -> str:
        """The work's entry in the data format ``name``, made by ``make`` once."""
        found = self.formatted.get(name)
        if found is None:
            found = self.formatted[name] = make(self)
        return found

    @property
    def key(self) -> str:
        return str(self.item["id"])


def _accessed() -> dict[str, Any]:
    return {"date-parts": [list(ACCESS_SENTINEL)]}


def date_parts(iso: str | None) -> dict[str, Any] | None:
    """A CSL date from an ISO date at any precision (``2016``, ``2016-10``, ``2016-10-27``)."""
    if not iso:
        return None
    parts = [int(part) for part in iso.split("-")[:3] if part.isdigit()]
    return {"date-parts": [parts]} if parts else None


def page_work(
    key: str,
    *,
    title: str,
    url: str | None,
    container: str,
    author: str | None,
    version: str,
    note: str | None = None,
) -> Work:
    """A page of the dossier (a record, or a claim on it) as an encyclopedia entry."""
    item: dict[str, Any] = {
        "id": key,
        "type": "entry-encyclopedia",
        "title": title,
        "container-title": container,
        "version": version,
        "accessed": _accessed(),
    }
    if author:
        # One literal name: a group or person as written, never split into initials.
        item["author"] = [{"literal": author}]
    if url:
        item["URL"] = url
    if note:
        item["note"] = note
    return Work(item)


def article_work(
    key: str,
    *,
    title: str,
    publisher: str | None,
    author: str | None,
    published: str | None,
    url: str | None,
    via: str | None = None,
) -> Work:
    """A news article, as its own text gives it."""
    item: dict[str, Any] = {"id": key, "type": "article-newspaper", "title": title}
    if publisher:
        item["container-title"] = publisher
    if author:
        item["author"] = [{"literal": author}]
    issued = date_parts(published)
    if issued is not None:
        item["issued"] = issued
    if url:
        item["URL"] = url
        item["accessed"] = _accessed()
    if via:
        item["note"] = f"Reproduces a text of {via}"
    return Work(item)


@cache
def _style(key: str) -> Any:
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(_CSL_DIR / STYLES[key][1]), validate=False)


def styled(style: str, work: Work) -> str:
    """``work``'s bibliography entry in ``style`` (``apa``, ``chicago``, ``mla``), as text."""
    item = work.item
    if item.get("type") == _PAGE_TYPE and _templatable(str(item.get("title", ""))):
        return _from_template(style, item)
    if item.get("type") == _ARTICLE_TYPE:
        text = _article_from_template(style, item)
        if text is not None:
            return text
    # Memoised by content: the same sources are cited on many pages of a build.
    return _styled(style, json.dumps(item, sort_keys=True))


@lru_cache(maxsize=4096)
def _styled(style: str, item_json: str) -> str:
    return _tidy(_render(style, json.loads(item_json)), json.loads(item_json))


#: ``(style, item as JSON) -> citeproc-py's entry``: every entry rendered in this
#: process. The Sphinx build keeps it between builds (``sphinx_ext/cite.py``), so an
#: edit rebuild renders only entries of a shape or a source it has not seen.
RENDERED: dict[tuple[str, str], str] = {}


def _render(style: str, item: dict[str, Any]) -> str:
    """citeproc-py's bibliography entry of ``item``, whitespace collapsed."""
    key = (style, json.dumps(item, sort_keys=True, ensure_ascii=False))
    found = RENDERED.get(key)
    if found is None:
        found = RENDERED[key] = _render_now(style, item)
    return found


def _render_now(style: str, item: dict[str, Any]) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    (entry,) = bibliography.bibliography()
    return " ".join(str(entry).split())


def _tidy(text: str, item: dict[str, Any]) -> str:
    """Two corrections of citeproc-py's text."""
    version = item.get("version")
    if version:
        # citeproc-py takes a version with digits and letters ("6f64ada375bd") for
        # several numbers and writes the plural label; it is one version.
        for label in ("Versions", "versions"):
            text = text.replace(f"{label} {version}", f"{label[:-1]} {version}")
    title = str(item.get("title", ""))
    if "author" not in item and title and text.lower().count(title.lower()) > 1:
        # With no author, a style puts the title first (APA, MLA); citeproc-py then
        # prints it a second time in its usual place: drop the second one.
        first = text.lower().index(title.lower()) + len(title)
        again = re.compile(rf"\s*“?{re.escape(title)}”?\.?", re.IGNORECASE)
        text = text[:first] + again.sub("", text[first:], count=1)
    return text


# -- pages and claims: one citeproc run per style and shape --------------------------------
#
# citeproc-py takes 10-40 ms per entry, and a build cites every record and every claim
# in three styles: at 1,000 records that was most of the build. The pages of one build
# differ only in their title, URL, version, note and id, so each style renders one
# entry with placeholders for those (a private-use character each, which no case rule
# changes) and every page's entry is that text with its values put back. The title is
# the one value a style changes (title case, sentence case): it is cased by
# citeproc-py's own rule, the one the style applies to it (learnt from a probe). A
# title with characters a style might also rewrite (quotation marks, final stops) is
# rendered in full; tests compare both ways on every style.

_PAGE_TYPE: Final = "entry-encyclopedia"
_SLOTS: Final = {"title": "\ue000", "URL": "\ue001", "version": "\ue002", "note": "\ue003"}
_OTHER_SLOTS = re.compile("[\ue001-\ue003]")
_TEMPLATABLE = re.compile(r"[\w ()\[\]›,;:'’&/+-]*[\w)\]]")
_CASES: Final = (
    None,
    "lowercase",
    "uppercase",
    "capitalize-first",
    "capitalize-all",
    "title",
    "sentence",
)
_PROBE: Final = "an OK probe of the words: the end of the title"


def _templatable(title: str) -> bool:
    return _TEMPLATABLE.fullmatch(title) is not None


def _from_template(style: str, item: dict[str, Any]) -> str:
    shape = {k: _SLOTS.get(k, v) for k, v in item.items() if k != "id"}
    pieces, cases = _template(style, json.dumps(shape, sort_keys=True))
    values = {slot: str(item[key]) for key, slot in _SLOTS.items() if key in item}
    title = values.pop(_SLOTS["title"], "")
    # The other values first, piece by piece, so that no value is read as a slot.
    pieces = [_OTHER_SLOTS.sub(lambda m: values[m[0]], piece) for piece in pieces]
    text = pieces[0]
    for piece, case in zip(pieces[1:], cases, strict=True):
        text += _cased(title, case) + piece
    return _tidy(text, item)


@lru_cache(maxsize=64)
def _template(style: str, shape_json: str) -> tuple[list[str], list[str | None]]:
    """The entry of a page of this shape cut at each place the title goes, and the
    text case the style gives the title at each of them."""
    shape = json.loads(shape_json)
    pieces = _render(style, {**shape, "id": "template"}).split(_SLOTS["title"])
    probe = _render(style, {**shape, "id": "probe", "title": _PROBE})
    cases: list[str | None] = []
    at = len(pieces[0])
    for piece in pieces[1:]:
        for case in _CASES:
            cased = _cased(_PROBE, case)
            if probe.startswith(cased + piece, at):
                cases.append(case)
                at += len(cased) + len(piece)
                break
        else:
            raise ValueError(f"{style}: cannot tell how the style cases a title: {probe!r}")
    return pieces, cases


# -- articles (the sources): one citeproc run per style and shape, checked -------------
#
# Every source is cited in three styles on its page and beside every claim quoting it;
# in full, that was a citeproc run of 10-40 ms per source and style. Sources differ
# in title, outlet, author, URL, note and date. The text values are slots as above,
# each cased as the style cases it (learnt from a probe); the date keeps its month
# and precision in the shape, and its year and day are found in the render of a
# probe date as numbers. Each template is checked against a full render of other
# values before it is used: a shape whose check fails is rendered in full.

_ARTICLE_TYPE: Final = "article-newspaper"
#: CSL variable -> its slot (private-use characters no case rule changes).
_ARTICLE_SLOTS: Final = {
    "title": "\ue010",
    "container-title": "\ue011",
    "author": "\ue012",
    "URL": "\ue013",
    "note": "\ue014",
}
_YEAR_SLOT: Final = "\ue015"
_DAY_SLOT: Final = "\ue016"
_ANY_SLOT = re.compile("[\ue010-\ue016]")
#: Two sets of values: the probe the cases are learnt from, and the check.
_ARTICLE_PROBES: Final = (
    {
        "title": "an OK probe of the words: the end of the title",
        "container-title": "the OK probe of an outlet: its name",
        "author": "an OK probe of the author: its Name",
        "URL": "https://probe.example/first/page",
        "note": "a probe of the note on the work",
    },
    {
        "title": "iPhone and the US Army in 2003: a second probe",
        "container-title": "The Second Outlet of the Probe",
        "author": "Second Probe-Author",
        "URL": "https://check.example/other",
        "note": "Reproduces a text of Another Agency",
    },
)
_PROBE_DATES: Final = ((1987, 19), (2003, 7))
#: A URL's end a style might run into its own punctuation.
_URL_END = re.compile(r"[\w/]\Z")


def _article_values(item: dict[str, Any]) -> dict[str, str] | None:
    """The item's slot values, or None when one of them is not fit for a template."""
    values: dict[str, str] = {}
    for key in _ARTICLE_SLOTS:
        if key not in item:
            continue
        if key == "author":
            names = item["author"]
            if len(names) != 1 or set(names[0]) != {"literal"}:
                return None
            value = str(names[0]["literal"])
        else:
            value = str(item[key])
        fit = _URL_END.search(value) if key == "URL" else _templatable(value)
        if not fit or _ANY_SLOT.search(value):
            return None
        values[key] = value
    return values


def _article_shape(item: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    shape = {k: v for k, v in item.items() if k not in values and k not in ("id", "issued")}
    shape.update({k: "" for k in values})  # which slots there are
    issued = item.get("issued", {}).get("date-parts", [[]])[0]
    shape["issued"] = [len(issued), issued[1] if len(issued) > 1 else None]
    return shape


def _article_item(
    shape: dict[str, Any], values: dict[str, str], year: int, day: int
) -> dict[str, Any]:
    item = {k: v for k, v in shape.items() if k not in values and k != "issued"}
    for key, value in values.items():
        item[key] = [{"literal": value}] if key == "author" else value
    length, month = shape["issued"]
    if length:
        item["issued"] = {"date-parts": [[year, month, day][:length]]}
    item["id"] = "template"
    return item


def _article_from_template(style: str, item: dict[str, Any]) -> str | None:
    values = _article_values(item)
    if values is None:
        return None
    shape = _article_shape(item, values)
    template = _article_template(style, json.dumps(shape, sort_keys=True))
    if template is None:
        return None
    issued = item.get("issued", {}).get("date-parts", [[]])[0]
    year = str(issued[0]) if issued else ""
    day = str(issued[2]) if len(issued) > 2 else ""
    return _tidy(_fill(template, values, year, day), item)


#: A template: literal text, and (slot key, text case) where a value goes.
_Segment = str | tuple[str, str | None]


def _fill(template: list[_Segment], values: dict[str, str], year: str, day: str) -> str:
    out: list[str] = []
    for segment in template:
        if isinstance(segment, str):
            out.append(segment)
        elif segment[0] == "year":
            out.append(year)
        elif segment[0] == "day":
            out.append(day)
        else:
            out.append(_cased(values[segment[0]], segment[1]))
    return "".join(out)


@lru_cache(maxsize=256)
def _article_template(style: str, shape_json: str) -> list[_Segment] | None:
    """The entry of an article of this shape as a template, or None when a full render
    of other values does not give what the template gives (then each is rendered)."""
    shape = json.loads(shape_json)
    slots = {key: _ARTICLE_SLOTS[key] for key in _ARTICLE_SLOTS if key in shape}
    (year, day), (year2, day2) = _PROBE_DATES
    text = _render(style, _article_item(shape, slots, year, day))
    # The date's numbers become slots, when each is there once and nothing else is.
    for number, slot, present in (
        (year, _YEAR_SLOT, shape["issued"][0] > 0),
        (day, _DAY_SLOT, shape["issued"][0] > 2),
    ):
        if not present:
            continue
        found = re.findall(rf"(?<!\d){number}(?!\d)", text)
        if len(found) != 1:
            return None
        text = re.sub(rf"(?<!\d){number}(?!\d)", slot, text)
    by_slot = {slot: key for key, slot in slots.items()}
    by_slot.update({_YEAR_SLOT: "year", _DAY_SLOT: "day"})
    probe_values = {key: _ARTICLE_PROBES[0][key] for key in slots}
    probe = _render(style, _article_item(shape, probe_values, year, day))
    template: list[_Segment] = []
    at = 0
    pieces = _ANY_SLOT.split(text)
    marks = _ANY_SLOT.findall(text)
    if not probe.startswith(pieces[0]):
        return None
    template.append(pieces[0])
    at = len(pieces[0])
    for mark, piece in zip(marks, pieces[1:], strict=True):
        key = by_slot[mark]
        if key in ("year", "day"):
            value = str(year if key == "year" else day)
            if not probe.startswith(value + piece, at):
                return None
            template.append((key, None))
            at += len(value) + len(piece)
        else:
            for case in _CASES:
                cased = _cased(probe_values[key], case)
                if probe.startswith(cased + piece, at):
                    template.append((key, case))
                    at += len(cased) + len(piece)
                    break
            else:
                return None
        template.append(piece)
    if at != len(probe):
        return None
    # The check: other values, another date, rendered in full.
    check_values = {key: _ARTICLE_PROBES[1][key] for key in slots}
    full = _render(style, _article_item(shape, check_values, year2, day2))
    if _fill(template, check_values, str(year2), str(day2)) != full:
        return None
    return template


def _cased(text: str, case: str | None) -> str:
    """``text`` in CSL text case ``case``, by citeproc-py's own rule."""
    if case is None:
        return text
    from citeproc.string import String

    return str(_casing(case).case(String(text), "en"))


@cache
def _casing(case: str) -> Any:
    """citeproc-py's text-case rule, as an element whose ``text-case`` is ``case``."""
    from citeproc.model import TextCased

    class _Case(TextCased):  # type: ignore[misc]
        def get(self, name: str, default: Any = None) -> Any:
            return case if name == "text-case" else default

    return _Case()


def _date_text(item: dict[str, Any], name: str, separator: str) -> str | None:
    value = item.get(name)
    if not value:
        return None
    parts = value["date-parts"][0]
    return separator.join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def _bibtex_key(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", key)


def bibtex(works: Sequence[Work]) -> str:
    """The works as BibTeX entries (``@misc`` for pages, ``@article`` for articles).

    Written here, in the layout bibtexparser's writer gives (two-space indent, every
    value in braces, a blank line between entries): bibtexparser took 2 ms an entry, a
    fifth of the citation work of a build, for four lines of text. The tests parse
    every entry of the real data back with bibtexparser.
    """
    return "\n\n".join(work.entry("bibtex", _bibtex_entry) for work in works) + "\n"


def _bibtex_entry(work: Work) -> str:
    item = work.item
    article = item["type"] == "article-newspaper"
    values: list[tuple[str, str | None]] = [
        ("title", item.get("title")),
        # A literal name in braces: BibTeX then takes it whole, not as first and last.
        (
            "author",
            " and ".join(f"{{{_bibtex_escape(a['literal'])}}}" for a in item.get("author", []))
            or None,
        ),
        ("journal" if article else "howpublished", item.get("container-title")),
        ("version", item.get("version")),
        ("url", item.get("URL")),
        ("urldate", _date_text(item, "accessed", "-")),
        ("note", item.get("note")),
    ]
    issued = item.get("issued", {}).get("date-parts", [[]])[0]
    if issued:
        values.insert(3, ("year", str(issued[0])))
        if len(issued) > 1:
            values.insert(4, ("month", str(issued[1])))
        if len(issued) > 2:
            values.insert(5, ("day", str(issued[2])))
    fields = ",\n".join(
        f"  {name} = {{{v if name in _VERBATIM else _bibtex_escape(v)}}}" for name, v in values if v
    )
    kind = "article" if article else "misc"
    return f"@{kind}{{{_bibtex_key(work.key)},\n{fields}\n}}"


#: BibTeX fields written as they are (the author's braces are ours; URLs are verbatim).
_VERBATIM: Final = frozenset({"author", "url"})


def _bibtex_escape(text: str) -> str:
    # Braces must balance inside a braced value; the other specials are escaped for LaTeX.
    text = text.replace("\\", "\\textbackslash{}")
    text = re.sub(r"([{}])", r"\\\1", text)
    return re.sub(r"([%&#$_])", r"\\\1", text)


def ris(works: Sequence[Work]) -> str:
    """The works as RIS records (``ELEC`` for pages, ``NEWS`` for articles).

    rispy writes a blank line between records: the records are written one by one (a
    source's once, however many claims quote it) and joined the same way.
    """
    return "\n".join(work.entry("ris", _ris_entry) for work in works)


def _ris_entry(work: Work) -> str:
    import rispy

    item = work.item
    article = item["type"] == "article-newspaper"
    entry: dict[str, Any] = {
        "type_of_reference": "NEWS" if article else "ELEC",
        "title": item["title"],
    }
    if item.get("author"):
        entry["authors"] = [a["literal"] for a in item["author"]]
    if item.get("container-title"):
        entry["secondary_title"] = item["container-title"]
    issued = _date_text(item, "issued", "/")
    if issued is not None:
        entry["year"] = issued[:4]
        entry["date"] = issued
    if item.get("version"):
        entry["edition"] = f"version {item['version']}"
    if item.get("URL"):
        entry["urls"] = [item["URL"]]
    accessed = _date_text(item, "accessed", "/")
    if accessed is not None:
        entry["access_date"] = accessed
    if item.get("note"):
        entry["notes"] = [item["note"]]
    return str(rispy.dumps([entry], implementation=_ris_writer()))


@cache
def _ris_writer() -> type:
    """rispy's writer without its record numbers ("1."), which RIS readers do not expect
    (one class: a build writes RIS for every record and claim)."""
    import rispy

    class _Writer(rispy.RisWriter):  # type: ignore[misc]
        def set_header(self, count: int) -> str:
            return ""

    return _Writer


def csl_json(works: Sequence[Work]) -> str:
    """The works as CSL-JSON (the access date as ISO text, a CSL "raw" date): the list
    ``json.dumps(indent=2)`` writes, from each work's item written once."""
    if not works:
        return "[]\n"
    return "[\n" + ",\n".join(work.entry("csl-json", _csl_entry) for work in works) + "\n]\n"


def _csl_entry(work: Work) -> str:
    """The work's item as an element of the list: indented one level more."""
    item = dict(work.item)
    accessed = _date_text(item, "accessed", "-")
    if accessed is not None:
        item["accessed"] = {"raw": accessed}
    text = json.dumps(item, indent=2, sort_keys=True, ensure_ascii=False)
    return "  " + text.replace("\n", "\n  ")


def formats(work: Work) -> dict[str, str]:
    """``work`` in every format of :data:`FORMATS`: styled text, or the data formats of
    the work and (for a claim) of the sources it rests on."""
    out = {style: styled(style, work) for style in STYLES}
    everything = [work, *_unique(source for _, source in work.evidence)]
    out["bibtex"] = bibtex(everything)
    out["ris"] = ris(everything)
    out["csl-json"] = csl_json(everything)
    return out


def _unique(works: Any) -> list[Work]:
    seen: dict[str, Work] = {}
    for work in works:
        seen.setdefault(work.key, work)
    return list(seen.values())


def split_access(text: str) -> list[str | AccessDate]:
    """``text`` cut where it renders the access date; each cut says the date's pattern."""
    parts: list[str | AccessDate] = []
    at = 0
    for match in _RENDERED_RE.finditer(text):
        parts.append(text[at : match.start()])
        parts.append(AccessDate(_RENDERED[match.group(0)]))
        at = match.end()
    parts.append(text[at:])
    return [part for part in parts if part != ""]


def with_access(text: str, date: str | None = None) -> str:
    """``text`` with the access date as the page shows it: ``date`` (ISO) formatted as
    the script formats it, or :data:`ACCESS_TEXT`. For tests and plain-text output."""
    out = []
    for part in split_access(text):
        if isinstance(part, AccessDate):
            out.append(format_date(part.pattern, date) if date else ACCESS_TEXT)
        else:
            out.append(part)
    return "".join(out)


_MONTHS: Final = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
#: The CSL en-US locale's short month terms (what MLA prints).
_SHORT_MONTHS: Final = [
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Oct.",
    "Nov.",
    "Dec.",
]


def format_date(pattern: str, iso: str) -> str:
    """``iso`` (YYYY-MM-DD) in ``pattern``; ``dossier-cite.js`` does the same in the page."""
    year, month, day = (int(part) for part in iso.split("-"))
    return (
        pattern.replace("{MMMM}", _MONTHS[month - 1])
        .replace("{MMM}", _SHORT_MONTHS[month - 1])
        .replace("{MM}", f"{month:02d}")
        .replace("{DD}", f"{day:02d}")
        .replace("{D}", str(day))
        .replace("{Y}", f"{year:04d}")
    )
