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
    KINDS,
    PLURAL,
    Record,
    Synthetic,
    convert_roles,
    write_dataset,
    write_if_changed,
)

PROJECT_NAMES = ("ours", "baseline", "peer")
KIND_TITLES = {"event": "Events", "actor": "Actors", "agreement": "Agreements", "source": "Sources"}

_COMMON_CONF = """\
project = "Synthetic dossier ({n} records)"
html_theme = "furo"
html_title = "Synthetic dossier"
"""


def _heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def _fields(rec: Record, link: Callable[[str], str]) -> list[tuple[str, str]]:
    """The (label, value) pairs shown at the top of a record page."""
    d = rec.data
    if rec.kind == "source":
        return [
            ("Publisher", d["publisher"]["name"]),
            ("Author", d["author"]),
            ("Published", d["published"].isoformat()),
            ("Document", f"``{d['document']}``"),
        ]
    if rec.kind == "actor":
        out = [("Kind", d["kind"])]
        if d["parent"]:
            out.append(("Part of", link(d["parent"])))
        for r in d["roles"]:
            out.append(
                (
                    "Role",
                    f"{r['title']}, {link(r['organization'])} "
                    f"(observed {r['observed'].isoformat()})",
                )
            )
        return out
    if rec.kind == "agreement":
        return [
            ("Name", d["name"]),
            ("Kind", d["kind"]),
            ("Parties", ", ".join(link(p) for p in d["parties"])),
        ]
    out = [
        ("Date", d["date"].isoformat()),
        ("Status", d["status"]),
        ("Actors", ", ".join(link(a) for a in d["actors"])),
        ("Agreements", ", ".join(link(a) for a in d["agreements"])),
    ]
    if "location" in d:
        out.append(("Location", d["location"]))
    return out


def record_body(rec: Record, link_template: str, backlinks: list[str] | None) -> str:
    """The reST of a record page below its title: fields, claims with citations, backlinks."""

    def link(target: str) -> str:
        return link_template.format(kind="", id=target)

    lines: list[str] = []
    lines += [f":{label}: {value}" for label, value in _fields(rec, link)]
    lines += ["", _heading("Claims", "-")]
    for claim in rec.claims:
        text = convert_roles(claim["text"], link_template)
        supports = ", ".join(claim["supports"]) or "context"
        lines += [f".. _{rec.id}-{claim['id']}:", "", f"**{claim['id']}** ({supports}): {text}", ""]
        for cite in claim["cites"]:
            lines += [f"   | “{cite['quote']}”", f"   | — {link(cite['source'])}", ""]
    if backlinks is not None and backlinks:
        lines += [_heading("Referenced by", "-")]
        lines += [f"* {link(b)}" for b in backlinks]
        lines.append("")
    return "\n".join(lines)


# -- baseline --------------------------------------------------------------------------
def write_baseline(syn: Synthetic, root: Path) -> None:
    """Plain Sphinx: one static reST page per record, labelled with the record id."""
    back = syn.backlinks()
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n))
    write_if_changed(root / "index.rst", _root_index("rst"))
    link_template = ":ref:`{id}`"
    for kind in KINDS:
        recs = syn.by_kind(kind)
        items = [f"* :ref:`{r.id}`" for r in recs]
        write_if_changed(
            root / f"{PLURAL[kind]}.rst",
            _heading(KIND_TITLES[kind], "=") + "\n" + "\n".join(items) + "\n",
        )
        for rec in recs:
            page = f":orphan:\n\n.. _{rec.id}:\n\n{_heading(rec.title, '=')}\n" + record_body(
                rec, link_template, back[rec.id]
            )
            write_if_changed(root / PLURAL[kind] / f"{rec.id}.rst", page)


def _root_index(suffix: str) -> str:
    toc = "\n".join(f"   {PLURAL[k]}" for k in KINDS)
    if suffix == "md":
        entries = toc.replace("   ", "")
        return f"# Synthetic dossier\n\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"
    return _heading("Synthetic dossier", "=") + f"\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n"


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
    """sphinx-needs: one need per record page, its links as need links, a needtable per kind."""
    write_if_changed(root / "conf.py", _COMMON_CONF.format(n=syn.n) + _PEER_CONF)
    write_if_changed(root / "index.rst", _root_index("rst"))
    link_template = ":need:`{id}`"
    for kind in KINDS:
        recs = syn.by_kind(kind)
        table = (
            f".. needtable::\n   :types: {kind}\n   :columns: id, title, outgoing, incoming\n"
            "   :style: table\n"
        )
        write_if_changed(
            root / f"{PLURAL[kind]}.rst", _heading(KIND_TITLES[kind], "=") + "\n" + table
        )
        for rec in recs:
            links = ", ".join(dict.fromkeys(t for t in rec.links if t != rec.id))
            body = record_body(rec, link_template, None)
            # Sections are not allowed inside a directive: claims get a rubric instead.
            body = body.replace(_heading("Claims", "-"), ".. rubric:: Claims\n")
            indented = "\n".join(f"   {line}" if line else "" for line in body.splitlines())
            page = (
                f":orphan:\n\n{_heading(rec.title, '=')}\n"
                f".. {kind}:: {rec.title}\n   :id: {rec.id}\n   :links: {links}\n\n{indented}\n"
            )
            write_if_changed(root / PLURAL[kind] / f"{rec.id}.rst", page)


# -- ours ------------------------------------------------------------------------------
_OURS_CONF = """
extensions = ["myst_parser", "sphinx_dossier"]
dossier_data_dir = "../data"
dossier_corpus_dir = "../corpus"
"""


def write_ours(syn: Synthetic, root: Path) -> None:
    """The dataset as YAML (in ``root/../data``) and a project that loads the extension."""
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
