"""Writers of the three Sphinx projects compared by the benchmark, from one synthetic dataset.

- ``ours``: the dataset as YAML plus a small project that loads ``sphinx_dossier``;
- ``baseline``: the same pages written out as static reST (same titles, text,
  links, labels, theme and navigation policy), i.e. the cost of the content;
- ``peer``: the same content as sphinx-needs needs, one need per page.

All three use furo and keep record pages out of the global toctree: the root
page's toctree lists one index page per kind, which links to the records.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generate import (
    PLURAL,
    Record,
    Synthetic,
    convert_roles,
    write_dataset,
    write_if_changed,
)

PROJECT_NAMES = ("ours", "baseline", "peer")

_COMMON_CONF = """\
project = "Synthetic dossier ({n} records)"
html_theme = "furo"
html_title = "Synthetic dossier"
"""


def _heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def _day(value: Any) -> str:
    """A date as our pages show it (every synthetic date is an exact day)."""
    return f"{value.isoformat()} (exact day)"


def _fields(rec: Record, link: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(label, value, backing field name) shown at the top of a record page."""
    d = rec.data
    if rec.kind == "source":
        return [
            ("Publisher", d["publisher"]["name"], "publisher"),
            ("Author", d["author"], "author"),
            ("Published", _day(d["published"]), "published"),
            ("Document", f"``{d['document']}``", ""),
        ]
    if rec.kind == "actor":
        out = [("Kind", d["kind"], "")]
        if d["parent"]:
            out.append(("Part of", link(d["parent"]), "parent"))
        return out
    if rec.kind == "agreement":
        return [
            ("Name", d["name"], ""),
            ("Short name", d["short_name"], ""),
            ("Kind", d["kind"], ""),
            ("Parties", ", ".join(link(p) for p in d["parties"]), "parties"),
        ]
    out = [
        ("Date", _day(d["date"]), "date"),
        ("Status", d["status"], "date"),
        ("Actors", ", ".join(link(a) for a in d["actors"]), "actors"),
        ("Agreements", ", ".join(link(a) for a in d["agreements"]), "agreements"),
    ]
    if "location" in d:
        out.append(("Location", d["location"], "location"))
    return out


def _raw_html(html: str) -> list[str]:
    """A ``raw`` directive carrying ``html``, kept out of the search index like ours."""
    if not html:
        return []
    body = [f"   {line}" if line.strip() else "" for line in html.splitlines()]
    return [".. raw:: html", "   :class: no-search", "", *body, ""]


class _Resolver:
    """Relative URLs from one output page to record pages, as the figures need them."""

    def __init__(self, syn: Synthetic, page: str) -> None:
        self.syn = syn
        self.page = page

    def claim_url(self, record_id: str, claim_id: str) -> str:
        return self.url(record_id, claim_id)  # generated claim ids never clash with anchors

    def url(self, record_id: str, fragment: str = "") -> str:
        rec = self.syn.records.get(record_id)
        if rec is None:
            return ""
        target = f"{PAGES_DIR}/{PLURAL[rec.kind]}/{rec.id}"
        anchor = fragment or rec.id
        if target == self.page:
            return f"#{anchor}"
        rel = posixpath.relpath(f"{target}.html", posixpath.dirname(self.page) or ".")
        return f"{rel}#{anchor}"


class Content:
    """What our generated pages show beyond a record's own fields, for the static writers.

    Reverse lists (events of an actor or agreement, claims citing a source, citation
    counts) come from the synthetic records; the figures (timeline, role strips,
    involvement matrix) are the extension's own HTML, rendered by its public functions
    from the same YAML data, so that the baseline pays exactly what ours pays for them.
    """

    def __init__(self, syn: Synthetic, data_dir: Path) -> None:
        from sphinx_dossier.core.dataset import Dataset

        self.syn = syn
        self.data_dir = data_dir
        events = sorted(syn.by_kind("event"), key=lambda r: (r.data["date"], r.id))
        #: Event ids in story order (the synthetic events are all dated to the day).
        self.story = [ev.id for ev in events]
        self.story_index = {rid: i for i, rid in enumerate(self.story)}
        self.events_of: dict[str, list[Record]] = defaultdict(list)
        for ev in events:
            for target in dict.fromkeys([*ev.data["actors"], *ev.data["agreements"]]):
                self.events_of[target].append(ev)
        self.cited_in: dict[str, list[tuple[Record, str, str]]] = defaultdict(list)
        for rec in syn.records.values():
            for claim in rec.claims:
                for cite in claim["cites"]:
                    self.cited_in[cite["source"]].append((rec, claim["id"], cite["quote"]))
        self.dataset = Dataset.load(data_dir)

    def figure(self, view: str, arg: str, page: str, fig_id: str) -> list[str]:
        """reST lines embedding figure ``view`` as the extension renders it on ``page``."""
        from sphinx_dossier.sphinx_ext.figures import figure_data, render_html

        data = figure_data(self.dataset, view, arg)
        if not data:
            return []
        resolver: Any = _Resolver(self.syn, page)
        return _raw_html(render_html(view, arg, data, resolver, fig_id))


def _event_line(ev: Record, link: Callable[[str], str]) -> str:
    return f"* {_day(ev.data['date'])} *{ev.data['status']}* {link(ev.id)}"


def _backing(rec: Record, field: str) -> list[str]:
    return [c["id"] for c in rec.claims if field in c["supports"]]


def _lead(
    rec: Record,
    syn: Synthetic,
    content: Content,
    link: Callable[[str], str],
    marked: Callable[[str], str],
) -> tuple[str, list[tuple[str, str]]]:
    """The lead paragraph ours opens an agreement's, event's or source's page with, and
    the fact lines it adds (the same sentences, from the same data)."""
    d = rec.data
    if rec.kind == "agreement":
        events = content.events_of[rec.id]
        parties = " and ".join(link(p) for p in d["parties"])
        last = max(syn.by_kind("source"), key=lambda s: s.data["published"])
        ends = f"{_day(last.data['published'])} ({link(last.id)})"
        text = f"{d['short_name']}, in full {d['name']}, is a {d['kind']} between {parties}"
        text += f"{marked('parties')}."
        facts = [("Coverage", f"ends on {ends}, the date of the latest source")]
        if events:
            count = f"`{len(events)} events <#lifecycle>`__"
            span = f"from {_day(events[0].data['date'])} to {_day(events[-1].data['date'])}"
            text += f" The record follows it through {count} {span} ({len(events)} occurred)."
            facts = [("Lifecycle", f"{count}, {span}"), ("Status", f"{len(events)} occurred"),
                     *facts]  # fmt: skip
        return f"{text} The sources end on {ends}.", facts
    if rec.kind == "event":
        actors = " and ".join(link(a) for a in d["actors"])
        agreements = " and ".join(link(a) for a in d["agreements"])
        text = (
            f"This event is dated {_day(d['date'])}: a source published on or after its date"
            f" reports that it happened{marked('date')}. It involves {actors}{marked('actors')}"
            f" and concerns {agreements}{marked('agreements')}."
        )
        if "location" in d:
            text += f" It took place in {d['location']}{marked('location')}."
        return text, []
    cited = content.cited_in[rec.id]
    claims = len({(citing.id, claim_id) for citing, claim_id, _ in cited})
    records = len({citing.id for citing, _, _ in cited})
    text = (
        f"This text was published by {d['publisher']['name']}{marked('publisher')} on"
        f" {_day(d['published'])}{marked('published')}; its author is given as {d['author']}"
        f"{marked('author')}. The text gives no URL. {claims} claims in {records} records cite it."
    )
    return text, [
        ("URL", "no URL in the text"),
        ("Cited by", f"{claims} claims in {records} records"),
    ]


def record_body(
    rec: Record,
    syn: Synthetic,
    link_template: str,
    backlinks: list[str] | None,
    section: Callable[[str], str],
    content: Content,
) -> str:
    """The reST of a record page below its title, with what our generated pages show.

    Facts with citation markers, the role strip of people, one block per claim
    (anchored by its id), the numbered citations with the quote, the reverse lists
    (an actor's events, an agreement's lifecycle with its figure, the claims citing a
    source with their quotes), the records that link here and "Cite this entry".
    """

    def link(target: str) -> str:
        return link_template.format(kind="", id=target)

    def ref(label: str, title: str) -> str:
        return f":ref:`{title} <{label}>`"

    page = f"{PAGES_DIR}/{PLURAL[rec.kind]}/{rec.id}"
    numbers: dict[tuple[str, str], int] = {}
    for claim in rec.claims:
        for cite in claim["cites"]:
            numbers.setdefault((cite["source"], cite["quote"]), len(numbers) + 1)

    def markers(claim_ids: list[str]) -> str:
        nums = sorted(
            numbers[(c["source"], c["quote"])]
            for claim in rec.claims
            if claim["id"] in claim_ids
            for c in claim["cites"]
        )
        # "\\ " joins the marker to the word before it, as ours renders it.
        return "".join(f"\\ :ref:`[{n}] <{rec.id}-cite-{n}>`" for n in nums)

    badges = f"*{rec.kind}*" + (f" *{rec.data['status']}*" if rec.kind == "event" else "")
    lines = [badges, ""]
    roles = rec.data.get("roles") or [] if rec.kind == "actor" else []
    extra: list[tuple[str, str]] = []
    if rec.kind == "actor":
        # Ours opens an actor's page with a lead and fact lines made from its roles and
        # events: the same sentences here.
        person = rec.data["kind"] == "person"
        lead = [f"{rec.title} is a {rec.data['kind']}."]
        if roles:
            named = " and as ".join(
                f"{r['title']} of {link(r['organization'])} on {_day(r['observed'])}"
                f"{markers(r['claims'][:1])}"
                for r in roles
            )
            lead.append(f"The sources name them as {named}.")
        events = content.events_of[rec.id]
        if events:
            span = f"from {_day(events[0].data['date'])} to {_day(events[-1].data['date'])}"
            who = "them" if person else "it"
            count = f"`{len(events)} events <#events>`__"  # ours links the list below
            lead.append(f"{count} of the record involve {who}, {span}.")
            extra.append(("Events", f"{count}, {span}"))
        if roles:
            organizations = ", ".join(dict.fromkeys(link(r["organization"]) for r in roles))
            extra.insert(0, ("Organizations", organizations))
        lines += [" ".join(lead), ""]
    else:
        lead, more = _lead(rec, syn, content, link, lambda f: markers(_backing(rec, f)))
        lines += [lead, ""]
        extra += more
    for label, value, backed_by in _fields(rec, link):
        backing = [c["id"] for c in rec.claims if backed_by and backed_by in c["supports"]]
        lines.append(f":{label}: {value}{markers(backing)}")
    lines += [f":{label}: {value}" for label, value in extra]
    lines.append("")
    if roles:
        lines.append(section("Roles"))
        lines += content.figure("role-strip", rec.id, page, "dossier-rolefig")
        for r in roles:
            observed = f"observed {_day(r['observed'])}{markers(r['claims'][:1])}"
            lines.append(f"* **{r['title']}**, {link(r['organization'])}, {observed}")
        lines.append("")
    lines.append(section("Claims"))
    for claim in rec.claims:
        text = convert_roles(claim["text"], link_template)
        backs = f" · backs {', '.join(claim['supports'])}" if claim["supports"] else ""
        lines += [
            ".. container:: dossier-claim",
            f"   :name: {rec.id}-{claim['id']}",
            "",
            f"   {text}{markers([claim['id']])}",
            "",
            # Ours keeps the claim's meta line out of the search index; so does this page.
            "   .. rst-class:: dossier-claim-meta no-search",
            "",
            f"   ``{claim['id']}``{backs}",
            "",
        ]
    lines.append(section("Citations"))
    claim_of = {
        (c["source"], c["quote"]): claim["id"] for claim in rec.claims for c in claim["cites"]
    }
    # A numbered list of our own instead of footnotes: docutils footnotes add a back
    # link per reference, ours one back link per citation.
    for (source, quote), n in numbers.items():
        src = syn.records[source].data
        claim_id = claim_of[(source, quote)]
        lines += [
            ".. container:: dossier-citation",
            f"   :name: {rec.id}-cite-{n}",
            "",
            f"   {link(source)}. {src['publisher']['name']}, {_day(src['published'])}. "
            + ref(f"{rec.id}-{claim_id}", f"↩ {claim_id}"),
            "",
            f"      “{quote}”",
            "",
        ]
    if rec.kind in ("actor", "agreement"):
        lines.append(section("Events" if rec.kind == "actor" else "Lifecycle"))
        if rec.kind == "agreement":
            lines += content.figure("timeline-figure", rec.id, page, "dossier-tlfig")
            # As ours, each step links the claim that backs its date.
            lines += [
                _event_line(ev, link) + f" :ref:`[claim] <{ev.id}-date>`"
                for ev in content.events_of[rec.id]
            ]
        else:
            lines += [_event_line(ev, link) for ev in content.events_of[rec.id]]
        lines.append("")
    if rec.kind == "event":
        # As ours: the previous and next event in story order.
        order = content.story
        at = content.story_index[rec.id]
        lines.append(section("Before and after"))
        for label, other in (("← Previous event", at - 1), ("Next event →", at + 1)):
            if 0 <= other < len(order):
                ev = syn.records[order[other]]
                lines += [f"* {label} ({_day(ev.data['date'])}): {link(ev.id)}"]
        lines.append("")
    if rec.kind == "source":
        lines.append(section("Cited in"))
        for citing, claim_id, quote in content.cited_in[rec.id]:
            target = ref(f"{citing.id}-{claim_id}", f"{citing.title} › {claim_id}")
            lines += [f"* *{citing.kind}* {target}", "", f"     “{quote}”", ""]
    if backlinks:
        lines.append(section("Referenced by"))
        lines += [f"* *{syn.records[b].kind}* {link(b)}" for b in backlinks]
        lines.append("")
    kind_name = rec.kind.capitalize()
    cite = [
        "To refer to this record from another page of this project, or from a project that "
        "loads the extension:",
        "",
        "reStructuredText",
        f"   :literal:`:dossier:{rec.kind}:\\`{rec.id}\\``",
        "MyST Markdown",
        f"   :literal:`{{dossier:{rec.kind}}}\\`{rec.id}\\``",
        "Plain text",
        f"   Synthetic dossier ({syn.n} records). “{rec.title}” {kind_name} record {rec.id}. "
        f"`{rec.id}.html <{rec.id}.html>`__",
        "",
    ]
    # Ours keeps the whole section out of the search index: a class on the section, or
    # (under a rubric, inside a need) on the rubric and a container around the body.
    heading = section("Cite this entry")
    lines += [".. rst-class:: no-search", "", heading]
    if heading.startswith(".. rubric::"):
        lines += [".. container:: no-search", ""] + [f"   {c}" if c else "" for c in cite]
    else:
        lines += cite
    return "\n".join(lines)


def _listing(syn: Synthetic, name: str, link: Callable[[str], str], content: Content) -> str:
    """Body of a listing page, as ours: timeline by year with its figure, actors by kind,
    agreement cards with the involvement matrix, sources by date with citation counts."""
    page = f"{PAGES_DIR}/{name}"
    kind = LISTINGS[name][1]
    intro = {
        "timeline": "Every event, oldest first, grouped by year. Planned events are marked.",
        "actors": "States, organizations and people, grouped by kind.",
        "agreements": "The agreements and arrangements the records refer to.",
        "sources": "The articles every claim is drawn from, by publication date.",
    }[name]
    index = f":ref:`Index of {PLURAL[kind]} <dossier-{PLURAL[kind]}>`"
    lines = ["", intro, f"The same as a compact list: {index}.", ""]
    if name == "timeline":
        lines += content.figure("timeline-figure", "", page, "dossier-tlfig")
        events = sorted(syn.by_kind("event"), key=lambda r: (r.data["date"], r.id))
        year = None
        for rec in events:
            if rec.data["date"].year != year:
                year = rec.data["date"].year
                lines += ["", f".. rubric:: {year}", ""]
            lines.append(_event_line(rec, link))
        # As ours: the filters' note, and the list of "as of" pages (by source date).
        lines += [
            "",
            "With JavaScript, the controls above the list filter it by agreement, actor,"
            " status and year; the pages at the end show what the sources knew at each of"
            " their dates.",
            "",
            ".. rubric:: What the sources knew, date by date",
            "",
            "One page per source publication date: the events the sources published by then"
            " reported, as having happened or as planned, and the roles they observed.",
            "",
        ]
        dates = Counter(src.data["published"] for src in syn.by_kind("source"))
        lines += [
            f"* As of {_day(day)}: {k} source published then" for day, k in sorted(dates.items())
        ]
    elif name == "actors":
        for actor_kind, heading in (("state", "States"), ("organization", "Organizations"),
                                    ("person", "People")):  # fmt: skip
            lines += ["", f".. rubric:: {heading}", ""]
            for rec in syn.by_kind("actor"):
                if rec.data["kind"] == actor_kind:
                    parent = rec.data["parent"]
                    line = f"* {link(rec.id)}" + (f" (part of {link(parent)})" if parent else "")
                    # As ours: a person's roles with their dates, then the events count.
                    roles = "; ".join(
                        f"{r['title']} of {link(r['organization'])}"
                        f" (observed {_day(r['observed'])})"
                        for r in rec.data.get("roles") or []
                    )
                    line += f" — {roles}" if roles else ""
                    events = len(content.events_of[rec.id])
                    line += f" · {events} events" if events else ""
                    lines.append(line)
    elif name == "agreements":
        for r in sorted(syn.by_kind("agreement"), key=lambda r: r.title):
            parties = ", ".join(link(p) for p in r.data["parties"])
            n = len(content.events_of[r.id])
            lines += [
                f"* {link(r.id)}",
                "",
                f"  {r.data['kind']}",
                "",
                f"  Parties: {parties}",
                "",
                f"  *{n} event{'s' if n != 1 else ''}*",
                "",
            ]
        lines += content.figure("involvement-matrix", "", page, "dossier-matrix")
    else:
        sources = sorted(syn.by_kind("source"), key=lambda r: (r.data["published"], r.id))
        for r in sources:
            d = r.data
            cited = len(content.cited_in[r.id])
            lines.append(
                f"* {d['publisher']['name']} ({d['published']}). {link(r.id)}. "
                f"By {d['author']}. Cited {cited} times."
            )
    return "\n".join(lines) + "\n"


def _domain_index(syn: Synthetic, kind: str, link: Callable[[str], str]) -> str:
    """A static equivalent of ours' domain index of ``kind`` (``dossier-<kinds>`` page):
    a jump box to the groups, then each record grouped by initial (events: by year)."""
    name = f"dossier-{PLURAL[kind]}"
    groups: dict[str, list[str]] = {}
    if kind == "event":
        for r in sorted(syn.by_kind(kind), key=lambda r: (r.data["date"], r.id)):
            groups.setdefault(str(r.data["date"].year), []).append(
                f"* {link(r.id)} ({r.data['date']})"
            )
    else:
        for r in sorted(syn.by_kind(kind), key=lambda r: (r.title.casefold(), r.id)):
            groups.setdefault(r.title[:1].upper(), []).append(f"* {link(r.id)} *({r.id})*")
    jump = " | ".join(f":ref:`{key} <{name}-{key}>`" for key in groups)
    lines = [f":orphan:\n\n.. _{name}:\n", _heading(f"Index of {PLURAL[kind]}", "="), jump, ""]
    for key, entries in groups.items():
        lines += [f".. _{name}-{key}:", "", f".. rubric:: {key}", "", *entries, ""]
    return "\n".join(lines)


#: Listing page name -> (title, kind listed); all projects use these names under records/.
LISTINGS = {
    "timeline": ("Timeline", "event"),
    "actors": ("Actors", "actor"),
    "agreements": ("Agreements", "agreement"),
    "sources": ("Sources", "source"),
}
PAGES_DIR = "records"


def _root_index() -> str:
    entries = [f"{PAGES_DIR}/{name}" for name in LISTINGS]
    body = "\n".join(f"   {e}" for e in entries)
    return _heading("Synthetic dossier", "=") + f"\n.. toctree::\n   :maxdepth: 1\n\n{body}\n"


def record_path(root: Path, rec: Record, suffix: str = ".rst") -> Path:
    return root / PAGES_DIR / PLURAL[rec.kind] / f"{rec.id}{suffix}"


# -- baseline --------------------------------------------------------------------------
_KIND_ORDER = {"event": 0, "agreement": 1, "actor": 2, "source": 3}


def backlinks(syn: Synthetic) -> dict[str, list[str]]:
    """Records linking to each record, as ours lists them under "Referenced by": those
    whose text links to it and, for a source, those citing it; by kind, then title."""
    back = {rid: set(ids) for rid, ids in syn.backlinks().items()}
    for rec in syn.records.values():
        for claim in rec.claims:
            for cite in claim["cites"]:
                if cite["source"] != rec.id:
                    back[cite["source"]].add(rec.id)
    key = {rid: (_KIND_ORDER[r.kind], r.title.casefold(), rid) for rid, r in syn.records.items()}
    return {rid: sorted(ids, key=key.__getitem__) for rid, ids in back.items()}


_LAST_CONTENT: list[Content] = []


def _content(syn: Synthetic, root: Path) -> Content:
    """The reverse lists and figures, from the YAML data next to ``root`` (written if absent).

    The baseline and the peer of one dataset share it (loading N records takes seconds).
    """
    data_dir = root.parent / "data"
    if _LAST_CONTENT and _LAST_CONTENT[0].syn is syn and _LAST_CONTENT[0].data_dir == data_dir:
        return _LAST_CONTENT[0]
    if not data_dir.is_dir():
        write_dataset(syn, data_dir, root.parent / "corpus")
    _LAST_CONTENT[:] = [Content(syn, data_dir)]
    return _LAST_CONTENT[0]


def write_baseline(syn: Synthetic, root: Path) -> None:
    """Plain Sphinx: one static reST page per record, labelled with the record id."""
    back = backlinks(syn)
    content = _content(syn, root)
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n))
    write_if_changed(root / "index.rst", _root_index())

    def link(target: str) -> str:
        return f":ref:`{target}`"

    for name, (title, kind) in LISTINGS.items():
        page = _heading(title, "=") + _listing(syn, name, link, content)
        write_if_changed(root / PAGES_DIR / f"{name}.rst", page)
        write_if_changed(root / f"dossier-{PLURAL[kind]}.rst", _domain_index(syn, kind, link))
    for rec in syn.records.values():
        page = f":orphan:\n\n.. _{rec.id}:\n\n{_heading(rec.title, '=')}\n" + record_body(
            rec, syn, ":ref:`{id}`", back[rec.id], lambda t: _heading(t, "-"), content
        )
        write_if_changed(record_path(root, rec), page)


# -- peer (sphinx-needs) ---------------------------------------------------------------
_PEER_CONF = """
extensions = ["sphinx_needs"]
needs_types = [
    {"directive": "event", "title": "Event", "prefix": "event-", "color": "#BFD8D2"},
    {"directive": "actor", "title": "Actor", "prefix": "actor-", "color": "#FEDCD2"},
    {"directive": "agreement", "title": "Agreement", "prefix": "agreement-", "color": "#DF744A"},
    {"directive": "source", "title": "Source", "prefix": "source-", "color": "#DCB239"},
]
needs_id_regex = r"^[a-z0-9]+(-[a-z0-9]+)*$"
needs_id_required = True
# :need: shows the whole title, as our references and the baseline's :ref: do.
needs_role_need_template = "{{ title }}"
needs_role_need_max_title_length = -1
"""


def write_peer(syn: Synthetic, root: Path) -> None:
    """sphinx-needs: one need per record page, its links as need links, a needtable per listing.

    The need content carries what the baseline's page carries (rubrics for sections), the
    listing pages the baseline's listing plus a needtable of the kind, and the domain
    indices the same static pages.
    """
    content = _content(syn, root)
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n) + _PEER_CONF)
    write_if_changed(root / "index.rst", _root_index())

    def link(target: str) -> str:
        return f":need:`{target}`"

    for name, (title, kind) in LISTINGS.items():
        table = f".. needtable::\n   :types: {kind}\n   :columns: id, title\n   :style: table\n"
        page = _heading(title, "=") + _listing(syn, name, link, content) + "\n" + table
        write_if_changed(root / PAGES_DIR / f"{name}.rst", page)
        write_if_changed(root / f"dossier-{PLURAL[kind]}.rst", _domain_index(syn, kind, link))
    for rec in syn.records.values():
        # Cited sources too, so that a source's incoming links name the records citing
        # it, as ours and the baseline list them under "Referenced by".
        cited = [c["source"] for claim in rec.claims for c in claim["cites"]]
        links = ", ".join(dict.fromkeys(t for t in [*rec.links, *cited] if t != rec.id))
        # Sections are not allowed inside a directive: rubrics instead; sphinx-needs
        # renders the incoming links itself, so no "Referenced by" list.
        body = record_body(rec, syn, ":need:`{id}`", None, lambda t: f".. rubric:: {t}\n", content)
        indented = "\n".join(f"   {line}" if line else "" for line in body.splitlines())
        page = (
            f":orphan:\n\n{_heading(rec.title, '=')}\n"
            f".. {rec.kind}:: {rec.title}\n   :id: {rec.id}\n   :links: {links}\n\n"
            f"{indented}\n"
        )
        write_if_changed(record_path(root, rec), page)


# -- ours ------------------------------------------------------------------------------
# Only what the extension needs: MyST and sphinx-design are the site's choices for
# hand-written pages, not costs of the extension, and the baseline has neither.
_OURS_CONF = """
extensions = ["sphinx_dossier"]
dossier_data_dir = "../data"
dossier_corpus_dir = "../corpus"
dossier_pages_dir = "records"
"""


def write_ours(syn: Synthetic, root: Path) -> None:
    """The dataset as YAML (in ``root/../data``) and a project that loads the extension.

    The extension generates the record pages and the listings under ``records/``.
    """
    write_dataset(syn, root.parent / "data", root.parent / "corpus")
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n) + _OURS_CONF)
    (root / "index.md").unlink(missing_ok=True)  # written by earlier versions
    write_if_changed(root / "index.rst", _root_index())


WRITERS: dict[str, Callable[[Synthetic, Path], None]] = {
    "ours": write_ours,
    "baseline": write_baseline,
    "peer": write_peer,
}


def write_projects(syn: Synthetic, out: Path, which: list[str]) -> dict[str, Any]:
    """Write the requested projects under ``out`` (``data`` alone writes just data+corpus)."""
    written: dict[str, Any] = {}
    for name in which:
        if name == "data":
            write_dataset(syn, out / "data", out / "corpus")
        elif name in WRITERS:
            WRITERS[name](syn, out / name)
        else:
            raise SystemExit(f"unknown project {name!r}; choose from data, {', '.join(WRITERS)}")
        written[name] = out / name
    return written
