"""The benchmark's synthetic dataset generator, project writers and runner (quick mode)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import compare_content  # noqa: E402  (benchmarks/ is a folder of scripts, not a package)
import generate  # noqa: E402
import projects  # noqa: E402
import run  # noqa: E402

N = 100


@pytest.fixture(scope="module")
def syn() -> generate.Synthetic:
    return generate.generate(N, seed=7)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, syn: generate.Synthetic) -> Path:
    out = tmp_path_factory.mktemp("bench")
    projects.write_projects(syn, out, ["data", "baseline", "peer", "ours"])
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate.write_dataset(generate.generate(N, seed=3), a / "data", a / "corpus")
    generate.write_dataset(generate.generate(N, seed=3), b / "data", b / "corpus")
    generate.write_dataset(generate.generate(N, seed=4), c / "data", c / "corpus")
    assert _files(a) == _files(b)
    assert _files(a) != _files(c)
    assert _files(a).keys() == _files(c).keys()


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (100, {"event": 60, "actor": 20, "agreement": 10, "source": 10}),
        (1000, {"event": 600, "actor": 200, "agreement": 100, "source": 100}),
        (250, {"event": 151, "actor": 50, "agreement": 25, "source": 24}),
    ],
)
def test_counts_follow_the_proportions(n: int, expected: dict[str, int]) -> None:
    got = generate.counts(n)
    assert sum(got.values()) == n
    assert got["actor"] == expected["actor"]
    assert got["agreement"] == expected["agreement"]
    assert abs(got["source"] - expected["source"]) <= 1
    assert abs(got["event"] - expected["event"]) <= 1


def test_generated_records_have_the_intended_shape(syn: generate.Synthetic) -> None:
    kinds = Counter(r.kind for r in syn.records.values())
    assert kinds == {"event": 60, "actor": 20, "agreement": 10, "source": 10}
    assert all(len(r.claims) == 3 for r in syn.records.values())
    cites = Counter(len(c["cites"]) for r in syn.records.values() for c in r.claims)
    assert set(cites) == {1, 2}
    links = [len(set(r.links) - {r.id}) for r in syn.records.values()]
    assert 2.5 <= sum(links) / len(links) <= 3.5
    assert all(set(r.links) <= syn.records.keys() for r in syn.records.values())
    people = [r for r in syn.by_kind("actor") if r.data["kind"] == "person"]
    assert people and all(r.data["roles"] for r in people)


def test_quotes_are_short_and_in_the_corpus(syn: generate.Synthetic) -> None:
    documents = {r.id: syn.documents[r.data["document"]] for r in syn.by_kind("source")}
    quotes = list(generate.iter_quotes(syn))
    assert len(quotes) > 3 * N
    for _rid, source, quote in quotes:
        assert generate.quote_words(quote) <= generate.MAX_QUOTE_WORDS
        assert quote in documents[source]
    for rec in syn.by_kind("source"):
        text = syn.documents[rec.data["document"]].encode("utf-8")
        assert rec.data["sha256"] == hashlib.sha256(text).hexdigest()


def test_occurred_events_are_cited_only_by_later_sources(syn: generate.Synthetic) -> None:
    for rec in syn.by_kind("event"):
        for claim in rec.claims:
            for cite in claim["cites"]:
                assert syn.records[cite["source"]].data["published"] >= rec.data["date"]


def test_yaml_files_follow_the_record_format(written: Path) -> None:
    path = written / "data" / "events" / "event-00001.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/event.schema.json\n")
    data = yaml.safe_load(text)
    assert data["id"] == path.stem
    assert list(data)[:4] == ["id", "title", "date", "status"]
    assert "&id" not in text  # the loader rejects anchors
    assert len(list((written / "data").rglob("*.yaml"))) == N
    assert len(list((written / "corpus").glob("*.txt"))) == N // 10


def test_generated_dataset_passes_the_checker_with_its_corpus(written: Path) -> None:
    from sphinx_dossier.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["check", "--corpus", str(written / "corpus"), str(written / "data")])
    assert status == 0, out.getvalue()
    assert "0 errors" in out.getvalue()
    assert "verified against the corpus" in out.getvalue()


@pytest.mark.parametrize("shape", sorted(set(generate.SHAPES) - {"uniform"}))
def test_each_skewed_shape_is_valid_and_has_its_skew(tmp_path: Path, shape: str) -> None:
    from sphinx_dossier.cli import main

    syn = generate.generate(N, seed=7, shape=shape)
    generate.write_dataset(syn, tmp_path / "data", tmp_path / "corpus")
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["check", "--no-cache", "--corpus", str(tmp_path / "corpus"),
                       str(tmp_path / "data")])  # fmt: skip
    assert status == 0, out.getvalue()[-2000:]
    events = syn.by_kind("event")
    claims = [c for r in syn.records.values() if r.kind != "source" for c in r.claims]
    skew = {
        "hub": lambda: all("agreement-00001" in e.data["agreements"] for e in events),
        "hot-source": lambda: (
            sum(
                any(x["source"] == syn.by_kind("source")[-1].id for x in c["cites"]) for c in claims
            )
            >= len(claims) // 2 - 5
        ),
        "busy-person": lambda: max(len(a.data["roles"]) for a in syn.by_kind("actor")) > 500,
        "many-aliases": lambda: max(len(a.data["aliases"]) for a in syn.by_kind("actor")) == 50_000,
    }[shape]
    assert skew()


def test_baseline_and_peer_have_one_page_per_record(written: Path) -> None:
    for name in ("baseline", "peer"):
        pages = list((written / name / projects.PAGES_DIR).rglob("*.rst"))
        assert len(pages) == N + len(projects.LISTINGS)
    page = (written / "baseline" / "records" / "events" / "event-00001.rst").read_text()
    assert page.startswith(":orphan:\n\n.. _event-00001:\n")
    assert "Referenced by" in page or not generate.generate(N, 7).backlinks()["event-00001"]
    peer = (written / "peer" / "records" / "events" / "event-00001.rst").read_text()
    assert ".. event:: " in peer and ":id: event-00001" in peer and ":need:`" in peer


def test_every_edit_file_carries_the_marker(written: Path) -> None:
    for relative in run.EDIT_FILES.values():
        assert generate.EDIT_MARKER in (written / relative).read_text(encoding="utf-8")


def _fake(full: float, edit: float, rss: float) -> dict[str, object]:
    return {
        "full_j1": {"median": full, "peak_rss_mb": rss},
        "full_j2": {"median": full, "peak_rss_mb": rss},
        "edit": {"median": edit, "peak_rss_mb": rss},
        "noop": {"median": 1.0, "peak_rss_mb": rss},
    }


def test_verdicts_compare_against_each_target() -> None:
    sizes = {
        "1000": {
            "ours": {
                **_fake(5.0, 2.0, 200.0),
                "edit_usual_exit": {"median": 1.1},
                "check": {"median": 3.0},
                "check_warm": {"median": 1.0},
            },
            "baseline": _fake(10.0, 1.0, 100.0),
            "peer": _fake(20.0, 3.0, 300.0),
        },
    }
    by_target = {v["target"]: v for v in run.verdicts(sizes)}
    assert by_target["full build -j1 ours/baseline at N=1000"]["verdict"] == "PASS"
    assert by_target["full build -j1 ours/peer at N=1000"]["verdict"] == "PASS"
    assert by_target["edit rebuild, usual exit, ours/baseline at N=1000"]["verdict"] == "PASS"
    assert by_target["edit rebuild, fast exit, ours/baseline at N=1000"]["verdict"] == "info"
    assert by_target["check of N=5000 with corpus, cold"]["verdict"] == "not measured"
    assert by_target["peak memory -j1 ours/baseline at N=1000"]["verdict"] == "FAIL"
    assert by_target["growth time(5000)/time(1000), ours -j1"]["verdict"] == "not measured"
    assert "0.50x" in run.table(sizes)


def test_shape_verdicts_say_when_the_uniform_run_is_of_another_commit() -> None:
    uniform = {
        "_meta": {"commit": "a" * 40},
        "ours": {**_fake(50.0, 2.0, 200.0), "edit_usual_exit": {"median": 2.2}},
        "baseline": _fake(80.0, 2.0, 210.0),
    }
    shape = {
        "_meta": {"commit": "b" * 40},
        "ours": {**_fake(55.0, 2.0, 200.0), "edit_usual_exit": {"median": 2.1}},
    }
    sizes = {"1000": uniform, "1000-hub": shape}
    hub = [v for v in run.verdicts(sizes) if v["target"].startswith("skewed shape hub")]
    assert [v["verdict"] for v in hub] == ["PASS", "PASS"]
    assert all(v["note"] == "1000-hub measured at bbbbbbb, 1000 at aaaaaaa" for v in hub)
    assert "[1000-hub measured at bbbbbbb, 1000 at aaaaaaa]" in run.table(sizes)
    shape["_meta"]["commit"] = "a" * 40
    assert not any("note" in v for v in run.verdicts(sizes))
    # The growth ratios divide N = 5,000 by N = 1,000: the same rule.
    sizes["5000"] = {
        "_meta": {"commit": "c" * 40},
        "ours": {**_fake(300.0, 9.0, 900.0), "edit_usual_exit": {"median": 9.5}},
        "baseline": _fake(500.0, 9.0, 1000.0),
    }
    growth = [v for v in run.verdicts(sizes) if "growth" in v["target"]]
    assert len(growth) == 2
    assert all(v["note"] == "5000 measured at ccccccc, 1000 at aaaaaaa" for v in growth)


def test_quick_mode_runs_end_to_end(tmp_path: Path) -> None:
    out = io.StringIO()
    args = ["--sizes", "20", "--repeat", "1", "--projects", "ours,baseline", "--jobs", "1"]
    with redirect_stdout(out):
        status = run.main([*args, "--work", str(tmp_path / "w"), "--out", str(tmp_path / "r")])
    assert status == 0
    results = json.loads((tmp_path / "r" / "results.json").read_text(encoding="utf-8"))
    size = results["sizes"]["20"]
    assert set(size["baseline"]) == {"full_j1", "edit", "noop"}
    assert set(size["ours"]) == {
        "full_j1", "edit", "noop", "edit_usual_exit", "check", "check_warm"
    }  # fmt: skip
    for project in ("ours", "baseline"):
        for metric in ("full_j1", "edit", "noop"):
            measured = size[project][metric]
            assert measured["median"] > 0 and measured["peak_rss_mb"] > 10
            assert measured["warnings"] == 0, (project, metric)
    for metric in ("check", "check_warm"):
        exits = size["ours"][metric]["exit"]
        assert len(exits) >= 3 and set(exits) == {0}  # check is always a median of >= 3
    assert "edit rebuild" in out.getvalue()
    # Each edit rebuild really rebuilt the edited page, and the markers were put back.
    for project in ("ours", "baseline"):
        html = tmp_path / "w" / "20" / "build" / project / "html" / "records" / "events"
        assert "editmark" in (html / "event-00001.html").read_text(encoding="utf-8")
        assert "editmark0" not in (html / "event-00001.html").read_text(encoding="utf-8")
        edited = tmp_path / "w" / "20" / run.EDIT_FILES[project]
        assert generate.EDIT_MARKER in edited.read_text(encoding="utf-8")
    # The baseline carries the same content as our pages, so the ratios measure overhead.
    _assert_same_content(tmp_path / "w" / "20" / "build")
    # --edit-only re-measures the rebuilds on those builds and keeps the full builds.
    full = size["ours"]["full_j1"]
    with redirect_stdout(io.StringIO()):
        status = run.main(
            [*args, "--edit-only", "--work", str(tmp_path / "w"), "--out", str(tmp_path / "r")]
        )
    assert status == 0
    again = json.loads((tmp_path / "r" / "results.json").read_text(encoding="utf-8"))
    size = again["sizes"]["20"]
    assert size["ours"]["full_j1"] == full
    assert size["_meta_edit_only"]["repeat"] == 1
    for project in ("ours", "baseline"):
        assert size[project]["edit"]["warnings"] == 0
        html = tmp_path / "w" / "20" / "build" / project / "html" / "records" / "events"
        assert re.search(
            r"editmark10\d{2,}", (html / "event-00001.html").read_text(encoding="utf-8")
        )
    # --check-only adds the checker's times and its own settings, keeping the build run's.
    with redirect_stdout(io.StringIO()):
        status = run.main(
            [*args, "--check-only", "--work", str(tmp_path / "w"), "--out", str(tmp_path / "r")]
        )
    assert status == 0
    third = json.loads((tmp_path / "r" / "results.json").read_text(encoding="utf-8"))
    assert third["sizes"]["20"]["_meta"] == size["_meta"]
    assert third["sizes"]["20"]["_meta_check_only"]["commit"] == size["_meta"]["commit"]
    assert third["sizes"]["20"]["ours"]["full_j1"] == full


def test_edit_only_needs_earlier_builds(tmp_path: Path) -> None:
    args = ["--sizes", "20", "--projects", "ours", "--edit-only", "--work", str(tmp_path)]
    with pytest.raises(SystemExit, match="no earlier build of ours"):
        run.main([*args, "--out", str(tmp_path / "r")])


#: Largest relative difference in words or links per page kind that the test accepts.
CONTENT_TOLERANCE = 0.10


def _assert_same_content(build: Path) -> None:
    ours = compare_content.measure_build(build / "ours" / "html")
    baseline = compare_content.measure_build(build / "baseline" / "html")
    kinds = {"event", "actor", "agreement", "source", "root"}
    kinds |= {f"listing:{name}" for name in projects.LISTINGS}
    kinds |= {f"index:{generate.PLURAL[kind]}" for _title, kind in projects.LISTINGS.values()}
    assert kinds <= ours.keys(), sorted(ours)
    assert baseline.keys() == ours.keys(), sorted(baseline)
    table = compare_content.table({"ours": ours, "baseline": baseline})
    for kind, ratio in compare_content.ratios(ours, baseline).items():
        assert ours[kind]["pages"] == baseline[kind]["pages"], (kind, table)
        for key, value in ratio.items():
            assert abs(value - 1) <= CONTENT_TOLERANCE, (kind, key, table)


def test_content_comparison_counts_article_words_and_links() -> None:
    page = (
        '<nav><a href="x.html">Nav words</a></nav><article role="main"><h1>A title'
        '<a class="headerlink" href="#t">¶</a></h1><p>Two words<sup><a href="#c1">[1]</a>'
        "</sup></p><script>var ignored = 1;</script><ul><li>one</li><li>two</li></ul>"
        "</article><aside>sidebar words</aside>"
    )
    # "A title", "Two words[1]", "one", "two": the marker stays part of its word.
    assert compare_content.measure(page) == (6, 1)
    assert compare_content.page_kind(Path("records/events/event-00001.html")) == "event"
    assert compare_content.page_kind(Path("records/timeline.html")) == "listing:timeline"
    assert compare_content.page_kind(Path("dossier-actors.html")) == "index:actors"
    assert compare_content.page_kind(Path("_static/x.html")) is None
    assert compare_content.page_kind(Path("genindex.html")) is None
