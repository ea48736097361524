"""Writers of the three Sphinx projects compared by the benchmark, from one synthetic dataset.

- ``ours``: the dataset as YAML plus a small project that loads ``sphinx_dossier``;
- ``baseline``: the same pages written out as static reST (same titles, text,
  links, labels, theme and navigation policy), i.e. the cost of the content;
- ``peer``: the same content as sphinx-needs needs, one need per page.

All three use furo and keep record pages out of the global toctree: the root
page's toctree lists one index page per kind, which links to the records.
"""

from __future__ import annotations

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


def _fields(rec: Record, link: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(label, value, backing field name) shown at the top of a record page."""
    d = rec.data
    if rec.kind == "source":
        return [
            ("Publisher", d["publisher"]["name"], "publisher"),
            ("Author", d["author"], "author"),
            ("Published", d["published"].isoformat(), "published"),
            ("Document", f"``{d['document']}``", ""),
        ]
    if rec.kind == "actor":
        out = [("Kind", d["kind"], "")]
        if d["parent"]:
            out.append(("Part of", link(d["parent"]), "parent"))
        for r in d["roles"]:
            value = f"{r['title']}, {link(r['organization'])} (observed {r['observed']})"
            out.append(("Role", value, f"role:{r['claims'][0]}"))
        return out
    if rec.kind == "agreement":
        return [
            ("Name", d["name"], ""),
            ("Kind", d["kind"], ""),
            ("Parties", ", ".join(link(p) for p in d["parties"]), "parties"),
        ]
    out = [
        ("Date", d["date"].isoformat(), "date"),
        ("Status", d["status"], "date"),
        ("Actors", ", ".join(link(a) for a in d["actors"]), "actors"),
        ("Agreements", ", ".join(link(a) for a in d["agreements"]), "agreements"),
    ]
    if "location" in d:
        out.append(("Location", d["location"], "location"))
    return out


def record_body(
    rec: Record,
    syn: Synthetic,
    link_template: str,
    backlinks: list[str] | None,
    section: Callable[[str], str],
) -> str:
    """The reST of a record page below its title, laid out like our generated pages.

    Facts with citation markers, one block per claim (anchored by its id), the
    numbered citations with the quote, and the records that link here.
    """

    def link(target: str) -> str:
        return link_template.format(kind="", id=target)

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
        return "".join(f" [#{rec.id}-c{n}]_" for n in nums)

    lines = [f"*{rec.kind}*", ""]
    for label, value, backed_by in _fields(rec, link):
        if backed_by.startswith("role:"):
            backing = [backed_by[5:]]
        else:
            backing = [c["id"] for c in rec.claims if backed_by and backed_by in c["supports"]]
        lines.append(f":{label}: {value}{markers(backing)}")
    lines += ["", section("Claims")]
    for claim in rec.claims:
        text = convert_roles(claim["text"], link_template)
        backs = ", ".join(claim["supports"]) or "context"
        lines += [
            ".. container:: dossier-claim",
            f"   :name: {rec.id}-{claim['id']}",
            "",
            f"   {text}{markers([claim['id']])}",
            "",
            f"   ``{claim['id']}`` · backs {backs}",
            "",
        ]
    lines.append(section("Citations"))
    for (source, quote), n in numbers.items():
        src = syn.records[source].data
        lines += [
            f".. [#{rec.id}-c{n}] {link(source)}. {src['publisher']['name']}, {src['published']}.",
            "",
            f"      “{quote}”",
            "",
        ]
    if backlinks:
        lines.append(section("Referenced by"))
        lines += [f"* *{syn.records[b].kind}* {link(b)}" for b in backlinks]
        lines.append("")
    return "\n".join(lines)


def _listing(syn: Synthetic, name: str, link: Callable[[str], str]) -> str:
    """Body of a listing page: timeline by year, actors by kind, agreements, sources by date."""
    lines: list[str] = []
    if name == "timeline":
        events = sorted(syn.by_kind("event"), key=lambda r: (r.data["date"], r.id))
        year = None
        for rec in events:
            if rec.data["date"].year != year:
                year = rec.data["date"].year
                lines += ["", f".. rubric:: {year}", ""]
            lines.append(f"* {rec.data['date']} *{rec.data['status']}* {link(rec.id)}")
    elif name == "actors":
        for kind, heading in (("state", "States"), ("organization", "Organizations"),
                              ("person", "People")):  # fmt: skip
            lines += ["", f".. rubric:: {heading}", ""]
            for rec in syn.by_kind("actor"):
                if rec.data["kind"] == kind:
                    parent = rec.data["parent"]
                    lines.append(f"* {link(rec.id)}" + (f" (part of {link(parent)})" if parent
                                                        else ""))  # fmt: skip
    elif name == "agreements":
        lines += [f"* {link(r.id)} ({r.data['name']})" for r in syn.by_kind("agreement")]
    else:
        sources = sorted(syn.by_kind("source"), key=lambda r: (r.data["published"], r.id))
        lines += [f"* {r.data['published']} {link(r.id)}" for r in sources]
    return "\n".join(lines) + "\n"


#: Listing page name -> (title, kind listed); all projects use these names under records/.
LISTINGS = {
    "timeline": ("Timeline", "event"),
    "actors": ("Actors", "actor"),
    "agreements": ("Agreements", "agreement"),
    "sources": ("Sources", "source"),
}
PAGES_DIR = "records"


def _root_index(suffix: str) -> str:
    entries = [f"{PAGES_DIR}/{name}" for name in LISTINGS]
    if suffix == "md":
        body = "\n".join(entries)
        return f"# Synthetic dossier\n\n```{{toctree}}\n:maxdepth: 1\n\n{body}\n```\n"
    body = "\n".join(f"   {e}" for e in entries)
    return _heading("Synthetic dossier", "=") + f"\n.. toctree::\n   :maxdepth: 1\n\n{body}\n"


def record_path(root: Path, rec: Record, suffix: str = ".rst") -> Path:
    return root / PAGES_DIR / PLURAL[rec.kind] / f"{rec.id}{suffix}"


# -- baseline --------------------------------------------------------------------------
def write_baseline(syn: Synthetic, root: Path) -> None:
    """Plain Sphinx: one static reST page per record, labelled with the record id."""
    back = syn.backlinks()
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n))
    write_if_changed(root / "index.rst", _root_index("rst"))

    def link(target: str) -> str:
        return f":ref:`{target}`"

    for name, (title, _kind) in LISTINGS.items():
        page = _heading(title, "=") + _listing(syn, name, link)
        write_if_changed(root / PAGES_DIR / f"{name}.rst", page)
    for rec in syn.records.values():
        page = f":orphan:\n\n.. _{rec.id}:\n\n{_heading(rec.title, '=')}\n" + record_body(
            rec, syn, ":ref:`{id}`", back[rec.id], lambda t: _heading(t, "-")
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
"""


def write_peer(syn: Synthetic, root: Path) -> None:
    """sphinx-needs: one need per record page, its links as need links, a needtable per listing."""
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n) + _PEER_CONF)
    write_if_changed(root / "index.rst", _root_index("rst"))
    for name, (title, kind) in LISTINGS.items():
        table = (
            f".. needtable::\n   :types: {kind}\n   :columns: id, title, outgoing, incoming\n"
            "   :style: table\n"
        )
        write_if_changed(root / PAGES_DIR / f"{name}.rst", _heading(title, "=") + "\n" + table)
    for rec in syn.records.values():
        links = ", ".join(dict.fromkeys(t for t in rec.links if t != rec.id))
        # Sections are not allowed inside a directive: rubrics instead; sphinx-needs
        # renders the incoming links itself, so no "Referenced by" list.
        body = record_body(rec, syn, ":need:`{id}`", None, lambda t: f".. rubric:: {t}\n")
        indented = "\n".join(f"   {line}" if line else "" for line in body.splitlines())
        page = (
            f":orphan:\n\n{_heading(rec.title, '=')}\n"
            f".. {rec.kind}:: {rec.title}\n   :id: {rec.id}\n   :links: {links}\n\n"
            f"{indented}\n"
        )
        write_if_changed(record_path(root, rec), page)


# -- ours ------------------------------------------------------------------------------
_OURS_CONF = """
extensions = ["myst_parser", "sphinx_design", "sphinx_dossier"]
dossier_data_dir = "../data"
dossier_corpus_dir = "../corpus"
dossier_pages_dir = "records"
source_suffix = {".md": "markdown"}
"""


def write_ours(syn: Synthetic, root: Path) -> None:
    """The dataset as YAML (in ``root/../data``) and a project that loads the extension.

    The extension generates the record pages and the listings under ``records/``.
    """
    write_dataset(syn, root.parent / "data", root.parent / "corpus")
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n) + _OURS_CONF)
    write_if_changed(root / "index.md", _root_index("md"))


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
