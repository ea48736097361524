"""Seeded generator of synthetic dossier datasets (YAML records plus a matching corpus).

The records follow the record format of the project exactly and satisfy every
validation rule: unique ids, every factual field backed by a claim, occurred
events cited only by sources published on or after them, quotes of at most 25
words found verbatim in the source's corpus file (whose sha256 the source
record carries). Per 100 records: 60 events, 20 actors, 10 agreements and 10
sources; 3 claims per record, 1-2 citations per claim, about 3 links from each
record to other records.

Usage: python benchmarks/generate.py N OUT [--seed S] [--projects data,ours,baseline,peer]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KINDS = ("source", "actor", "agreement", "event")
#: Records per 100, by kind.
PROPORTIONS = {"event": 60, "actor": 20, "agreement": 10, "source": 10}
PLURAL = {"source": "sources", "actor": "actors", "agreement": "agreements", "event": "events"}
START = dt.date(2012, 1, 1)
END = dt.date(2019, 12, 31)
MAX_QUOTE_WORDS = 25
#: Word in the first claim of the first event that the runner's edit rebuild rewrites.
EDIT_MARKER = "editmark0"

_ROLE = re.compile(r"\{dossier:(source|actor|agreement|event)\}`([^`]+)`")

_WORDS = (  # noqa: SIM905
    "ministers officials agreed talks security intelligence sharing pact defence ministry "
    "spokesman said would continue review military information exchange government "
    "announced decision extend agreement renew signed cooperation between both countries "
    "regional threat missile launch response close allies partners officials meeting "
    "capital summit statement joint framework trilateral bilateral arrangement treaty "
    "negotiations resumed suspended delayed expected planned week month year deputy "
    "director general foreign affairs national assembly lawmakers opposition public "
    "concerns historical issues trade dispute export controls measures retaliation notice "
    "termination expiry automatic renewal condition protection classified material "
    "handling procedures channel direct indirect through washington tokyo seoul"
).split()
_SYLLABLES = (  # noqa: SIM905
    "ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi "
    "mu me mo ya yu yo ra ri ru re ro wa jin min soo hyun young ho seok"
).split()
_CITIES = ("Northport", "Eastvale", "Westmere", "Southbay", "Highgate", "Lowfield", "Riverton")
_TITLES = ("Minister", "Deputy Minister", "Director General", "Spokesperson", "Ambassador")


@dataclass
class Record:
    """One synthetic record: its YAML mapping plus what the page writers need."""

    kind: str
    id: str
    title: str
    data: dict[str, Any]
    links: list[str] = field(default_factory=list)

    @property
    def claims(self) -> list[dict[str, Any]]:
        claims: list[dict[str, Any]] = self.data["claims"]
        return claims


@dataclass
class Synthetic:
    """A generated dataset: records by id (in kind order) and each source's corpus text."""

    n: int
    seed: int
    records: dict[str, Record]
    documents: dict[str, str]

    def by_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if r.kind == kind]

    def backlinks(self) -> dict[str, list[str]]:
        back: dict[str, set[str]] = {rid: set() for rid in self.records}
        for rec in self.records.values():
            for target in rec.links:
                if target != rec.id:
                    back[target].add(rec.id)
        return {rid: sorted(ids) for rid, ids in back.items()}


def counts(n: int) -> dict[str, int]:
    """Records of each kind for a dataset of ``n`` records (events take the rounding rest)."""
    result = {kind: n * share // 100 for kind, share in PROPORTIONS.items() if kind != "event"}
    for kind in ("source", "actor", "agreement"):
        result[kind] = max(result[kind], 1 if kind != "actor" else 3)
    result["event"] = max(n - sum(result.values()), 1)
    return result


def role(kind: str, rid: str) -> str:
    return f"{{dossier:{kind}}}`{rid}`"


class _Builder:
    """Draws the records; all randomness comes from one seeded ``random.Random``."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = n
        self.counts = counts(n)
        self.ids = {
            kind: [f"{kind}-{i:05d}" for i in range(1, self.counts[kind] + 1)] for kind in KINDS
        }
        self.quotes: dict[str, list[str]] = {sid: [] for sid in self.ids["source"]}
        span = (END - START).days
        n_src = self.counts["source"]
        self.published = {
            sid: START + dt.timedelta(days=int((i + 0.5) * span / n_src))
            for i, sid in enumerate(self.ids["source"])
        }
        self.src_titles: dict[str, str] = {}
        self.quote_serial = 0

    # -- small drawing helpers -------------------------------------------------
    def name(self) -> str:
        def word(k: int) -> str:
            return "".join(self.rng.choice(_SYLLABLES) for _ in range(k)).capitalize()

        return f"{word(1)} {word(2)}-{word(1).lower()}"

    def sentence(self, k: int) -> str:
        words = [self.rng.choice(_WORDS) for _ in range(k)]
        return " ".join(words).capitalize()

    def quote_for(self, sid: str) -> str:
        """A fresh quote of 8-20 words, recorded for ``sid``'s corpus document."""
        self.quote_serial += 1
        words = [self.rng.choice(_WORDS) for _ in range(self.rng.randint(7, 19))]
        # The serial keeps every quote distinct, as real excerpts are.
        words.insert(self.rng.randint(1, len(words)), f"item{self.quote_serial}")
        text = " ".join(words)
        self.quotes[sid].append(text)
        return text

    def cites(self, eligible: list[str]) -> list[dict[str, Any]]:
        k = min(self.rng.choice((1, 2)), len(eligible))
        chosen = self.rng.sample(eligible, k)
        return [{"source": sid, "quote": self.quote_for(sid)} for sid in chosen]

    def claim(
        self, cid: str, text: str, supports: list[str], eligible: list[str]
    ) -> dict[str, Any]:
        return {"id": cid, "text": text, "supports": supports, "cites": self.cites(eligible)}

    def pick(self, kind: str, exclude: str = "") -> str:
        choices = [rid for rid in self.ids[kind] if rid != exclude] or self.ids[kind]
        return self.rng.choice(choices)

    # -- records ---------------------------------------------------------------
    def sources(self) -> list[Record]:
        out = []
        for i, sid in enumerate(self.ids["source"], 1):
            title = f"{self.sentence(self.rng.randint(6, 10))} ({i})"
            self.src_titles[sid] = title
            publisher = f"Synthetic Press {self.rng.randint(1, 12)}"
            author = self.name()
            published = self.published[sid]
            dateline = f"Published on {published.isoformat()} by {publisher}"
            byline = f"By {author}, {publisher}"
            self.quotes[sid].extend([dateline, byline])
            links = [self.pick("event") for _ in range(3)]
            claims = [
                {
                    "id": "dateline",
                    "text": "The text carries a dateline with the day of publication.",
                    "supports": ["published"],
                    "cites": [{"source": sid, "quote": dateline}],
                },
                {
                    "id": "byline",
                    "text": "The byline names the author and the publisher.",
                    "supports": ["publisher", "author"],
                    "cites": [{"source": sid, "quote": byline}],
                },
                {
                    "id": "summary",
                    "text": (
                        f"The article reports on {role('event', links[0])}, "
                        f"{role('event', links[1])} and {role('event', links[2])}."
                    ),
                    "supports": [],
                    "cites": [{"source": sid, "quote": self.quote_for(sid)}],
                },
            ]
            data = {
                "id": sid,
                "title": title,
                "publisher": {"name": publisher, "basis": "stated"},
                "via": None,
                "author": author,
                "published": published,
                "document": f"{sid}.txt",
                "sha256": "",
                "claims": claims,
            }
            out.append(Record("source", sid, title, data, links))
        return out

    def actors(self) -> list[Record]:
        ids = self.ids["actor"]
        n_state = max(1, len(ids) * 2 // 10)
        n_org = max(1, len(ids) * 3 // 10)
        self.states = ids[:n_state]
        self.orgs = ids[n_state : n_state + n_org]
        all_sources = self.ids["source"]
        out = []
        for aid in ids:
            if aid in self.states:
                kind, name = "state", f"Republic of {self.name().split()[0]}"
            elif aid in self.orgs:
                kind, name = "organization", f"Ministry of {self.sentence(2).title()}"
            else:
                kind, name = "person", self.name()
            links: list[str] = []
            parent = None
            roles: list[dict[str, Any]] = []
            claims: list[dict[str, Any]] = []
            event, agreement = self.pick("event"), self.pick("agreement")
            if kind == "state":
                other = self.pick("actor", exclude=aid)
                links += [agreement, event, other]
                claims.append(
                    self.claim(
                        "profile",
                        f"A state that is party to {role('agreement', agreement)}.",
                        [],
                        all_sources,
                    )
                )
                claims.append(
                    self.claim(
                        "relations",
                        f"It took part in {role('event', event)} with {role('actor', other)}.",
                        [],
                        all_sources,
                    )
                )
            elif kind == "organization":
                parent = self.rng.choice(self.states)
                links += [parent, agreement, event]
                claims.append(
                    self.claim(
                        "parent",
                        f"A body of the government of {role('actor', parent)}.",
                        ["parent"],
                        all_sources,
                    )
                )
                claims.append(
                    self.claim(
                        "remit",
                        f"It handles {role('agreement', agreement)} and was involved in "
                        f"{role('event', event)}.",
                        [],
                        all_sources,
                    )
                )
            else:
                for r in range(1, self.rng.choice((1, 2)) + 1):
                    org = self.rng.choice(self.states + self.orgs)
                    title = self.rng.choice(_TITLES)
                    cid = f"role-{r}"
                    claim = self.claim(
                        cid,
                        f"The source calls them {title} of {role('actor', org)}.",
                        [],
                        all_sources,
                    )
                    claims.append(claim)
                    observed = self.published[claim["cites"][0]["source"]]
                    roles.append(
                        {
                            "title": title,
                            "organization": org,
                            "observed": observed,
                            "claims": [cid],
                        }
                    )
                    links.append(org)
                if len(claims) < 2:
                    claims.append(
                        self.claim(
                            "profile",
                            f"A member of {role('actor', roles[0]['organization'])}.",
                            [],
                            all_sources,
                        )
                    )
                links.append(event)
            claims.append(
                self.claim(
                    "activity",
                    f"Mentioned in connection with {role('event', event)}.",
                    [],
                    all_sources,
                )
            )
            data = {
                "id": aid,
                "name": name,
                "kind": kind,
                "aliases": [],
                "parent": parent,
                "roles": roles,
                "claims": claims,
            }
            out.append(Record("actor", aid, name, data, links))
        return out

    def agreements(self) -> list[Record]:
        all_sources = self.ids["source"]
        out = []
        for i, gid in enumerate(self.ids["agreement"], 1):
            k = min(len(self.states), self.rng.choice((2, 2, 3)))
            parties = sorted(self.rng.sample(self.states, k))
            short = f"SA-{i}"
            name = f"Security Arrangement {i} on {self.sentence(3).title()}"
            event = self.pick("event")
            claims = [
                self.claim(
                    "parties",
                    "The parties are " + ", ".join(role("actor", p) for p in parties) + ".",
                    ["parties"],
                    all_sources,
                ),
                self.claim(
                    "terms",
                    f"Its terms cover the exchange of classified material ({self.sentence(5)}).",
                    [],
                    all_sources,
                ),
                self.claim(
                    "history", f"It was discussed at {role('event', event)}.", [], all_sources
                ),
            ]
            data = {
                "id": gid,
                "name": name,
                "short_name": short,
                "kind": "bilateral military intelligence-sharing agreement"
                if k == 2
                else "trilateral information-sharing arrangement",
                "parties": parties,
                "claims": claims,
            }
            out.append(Record("agreement", gid, short, data, [*parties, event]))
        return out

    def events(self) -> list[Record]:
        sources = self.ids["source"]
        last = self.published[sources[-1]]
        span = (last - START).days
        out = []
        for i, eid in enumerate(self.ids["event"]):
            date = START + dt.timedelta(days=self.rng.randint(0, span))
            eligible = [s for s in sources if self.published[s] >= date]
            actors = sorted(self.rng.sample(self.ids["actor"], self.rng.choice((1, 2))))
            agreement = self.pick("agreement")
            other = self.pick("event", exclude=eid)
            location = self.rng.choice(_CITIES) if self.rng.random() < 0.3 else None
            marker = f" ({EDIT_MARKER})" if i == 0 else ""
            date_text = "The source dates the event to the stated day"
            date_text += f" in {location}" if location else ""
            claims = [
                self.claim(
                    "date",
                    date_text + marker + ".",
                    ["date", "location"] if location else ["date"],
                    eligible,
                ),
                self.claim(
                    "actors",
                    " and ".join(role("actor", a) for a in actors) + " took part.",
                    ["actors"],
                    eligible,
                ),
                self.claim(
                    "agreements",
                    f"It concerned {role('agreement', agreement)}; compare {role('event', other)}.",
                    ["agreements"],
                    eligible,
                ),
            ]
            a_names = self.sentence(self.rng.randint(4, 8))
            title = f"{a_names} ({i + 1})"
            data: dict[str, Any] = {
                "id": eid,
                "title": title,
                "date": date,
                "status": "occurred",
                "actors": actors,
                "agreements": [agreement],
            }
            if location:
                data["location"] = location
            data["claims"] = claims
            out.append(Record("event", eid, title, data, [*actors, agreement, other]))
        return out


def document_text(rec: Record, quotes: list[str], rng: random.Random) -> str:
    """The synthetic article of a source: every quote, verbatim, between filler sentences."""
    lines = [rec.title, ""]
    for quote in quotes:
        filler = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 15)))
        lines.append(f"{filler.capitalize()}. {quote}.")
        lines.append("")
    return "\n".join(lines)


# -- skewed shapes: one record that is far bigger or far more linked than the rest --------


def _hub(builder: _Builder, records: dict[str, Record]) -> None:
    """One agreement every event concerns."""
    hub = builder.ids["agreement"][0]
    for rec in records.values():
        if rec.kind == "event" and hub not in rec.data["agreements"]:
            rec.data["agreements"] = sorted([*rec.data["agreements"], hub])
            rec.links.append(hub)


def _hot_source(builder: _Builder, records: dict[str, Record]) -> None:
    """One source cited by half of all claims (the latest, so it may back any event)."""
    hot = builder.ids["source"][-1]
    claims = [
        c
        for rec in records.values()
        if rec.kind != "source"
        for c in rec.claims
        if not c["id"].startswith("role-")  # a role is observed at its own source's date
    ]
    for claim in claims[::2]:
        if all(cite["source"] != hot for cite in claim["cites"]):
            claim["cites"][0] = {"source": hot, "quote": builder.quote_for(hot)}


def _busy_person(builder: _Builder, records: dict[str, Record]) -> None:
    """One person observed in 500 roles, each backed by a claim of its own."""
    person = next(r for r in records.values() if r.kind == "actor" and r.data["kind"] == "person")
    sources = builder.ids["source"]
    orgs = builder.states + builder.orgs
    for r in range(1, 501):
        org = orgs[r % len(orgs)]
        title = _TITLES[r % len(_TITLES)]
        cid = f"observed-{r}"
        claim = builder.claim(
            cid, f"The source calls them {title} of {role('actor', org)}.", [], sources
        )
        person.data["claims"].append(claim)
        observed = builder.published[claim["cites"][0]["source"]]
        person.data["roles"].append(
            {"title": title, "organization": org, "observed": observed, "claims": [cid]}
        )
        person.links.append(org)


def _many_aliases(builder: _Builder, records: dict[str, Record]) -> None:
    """One actor with 50,000 aliases."""
    actor = next(r for r in records.values() if r.kind == "actor")
    actor.data["aliases"] = [f"Alias {k}" for k in range(50_000)]


#: Shape name -> what it changes in a uniform dataset (``uniform``: nothing).
SHAPES: dict[str, Callable[[_Builder, dict[str, Record]], None]] = {
    "uniform": lambda builder, records: None,
    "hub": _hub,
    "hot-source": _hot_source,
    "busy-person": _busy_person,
    "many-aliases": _many_aliases,
}


def generate(n: int, seed: int = 1, shape: str = "uniform") -> Synthetic:
    """Draw a dataset of ``n`` records; the same ``(n, seed, shape)`` always gives the same
    dataset. ``shape`` (see :data:`SHAPES`) makes one record skewed."""
    builder = _Builder(n, seed)
    sources = builder.sources()
    actors = builder.actors()
    agreements = builder.agreements()
    events = builder.events()
    records = {rec.id: rec for rec in [*sources, *actors, *agreements, *events]}
    SHAPES[shape](builder, records)
    doc_rng = random.Random(seed + 1)
    documents = {}
    for rec in sources:
        text = document_text(rec, builder.quotes[rec.id], doc_rng)
        documents[rec.data["document"]] = text
        rec.data["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Synthetic(n, seed, records, documents)


# -- writing -------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Block mappings, flow lists of scalars, indented sequences: the look of hand-written files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        # Records never share values: the loader rejects anchors and aliases.
        return True


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.Node:
    flow = len(value) <= 2 and all(isinstance(v, str) for v in value.values()) and "name" in value
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


def record_yaml(rec: Record) -> str:
    """The record file's text: schema comment, then the mapping in field order."""
    body = yaml.dump(
        rec.data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1000,
        default_flow_style=False,
    )
    return f"# yaml-language-server: $schema=../../schema/{rec.kind}.schema.json\n{body}"


def write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (keeps mtimes for incremental builds)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_dataset(syn: Synthetic, data_dir: Path, corpus_dir: Path) -> None:
    """Write one YAML file per record under ``data_dir/<kinds>/`` and the corpus files."""
    for rec in syn.records.values():
        write_if_changed(data_dir / PLURAL[rec.kind] / f"{rec.id}.yaml", record_yaml(rec))
    for name, text in syn.documents.items():
        write_if_changed(corpus_dir / name, text)


def quote_words(text: str) -> int:
    return len(text.split())


def iter_quotes(syn: Synthetic) -> Iterable[tuple[str, str, str]]:
    """(record id, source id, quote) for every citation in the dataset."""
    for rec in syn.records.values():
        for claim in rec.claims:
            for cite in claim["cites"]:
                yield rec.id, cite["source"], cite["quote"]


def convert_roles(text: str, template: str) -> str:
    """Rewrite MyST dossier roles with ``template`` (``{kind}``, ``{id}`` placeholders)."""
    return _ROLE.sub(lambda m: template.format(kind=m.group(1), id=m.group(2)), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="uniform",
                        help="make one record skewed (default: uniform)")  # fmt: skip
    parser.add_argument(
        "--projects",
        default="data,ours,baseline,peer",
        help="comma-separated subset of data, ours, baseline, peer",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import projects  # the project writers live beside this file

    syn = generate(args.n, args.seed, args.shape)
    projects.write_projects(syn, args.out, args.projects.split(","))
    print(f"wrote {args.n} records (seed {args.seed}) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
