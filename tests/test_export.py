"""The JSON dataset export, its JSON Schema, the TimelineJS file, and the files a build writes."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from dataout_support import make_dataout_root
from hypothesis import example, given
from hypothesis import strategies as st
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.outputs.export import (
    EXPORT_VERSION,
    build_export,
    build_timeline,
    dataset_schema,
    dumps,
    export_data,
    layout_urls,
)
from sphinx_support import Build, build

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One build of the data-out root, shared by the read-only tests below."""
    return build(make_dataout_root(tmp_path_factory.mktemp("export") / "src"))


@pytest.fixture(scope="module")
def dataset(built: Build) -> Dataset:
    src = Path(built.app.srcdir)
    return Dataset.load(src / "data", corpus_dir=src / "corpus")


def export_of(dataset: Dataset) -> dict[str, Any]:
    return export_data(build_export(dataset))


def validator() -> jsonschema.Draft202012Validator:
    schema = dataset_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def record(export: dict[str, Any], record_id: str) -> dict[str, Any]:
    (found,) = [r for r in export["records"] if r["id"] == record_id]
    return found


def test_build_is_clean_and_writes_the_data_files(built: Build) -> None:
    assert built.warning_lines() == []
    folder = built.outdir / "_static" / "dossier"
    assert sorted(p.name for p in folder.iterdir()) == [
        "annotations.jsonld",
        "dataset.json",
        "dataset.schema.json",
        "dossier.db",
        "dossier.metadata.json",
        "timeline.json",
    ]


def test_built_export_validates_against_the_built_schema(built: Build) -> None:
    folder = built.outdir / "_static" / "dossier"
    schema = json.loads((folder / "dataset.schema.json").read_text(encoding="utf-8"))
    data = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["$schema"] == "dataset.schema.json"
    assert data["format"] == "sphinx-dossier-dataset" and data["version"] == EXPORT_VERSION


def test_build_and_command_line_give_the_same_bytes(built: Build, dataset: Dataset) -> None:
    folder = built.outdir / "_static" / "dossier"
    assert (folder / "dataset.json").read_text(encoding="utf-8") == dumps(
        export_of(dataset), compact=True
    )
    assert (folder / "dataset.schema.json").read_text(encoding="utf-8") == dumps(dataset_schema())


def test_every_page_url_in_the_export_exists_in_the_build(built: Build) -> None:
    data = json.loads((built.outdir / "_static/dossier/dataset.json").read_text("utf-8"))
    urls = {r["url"] for r in data["records"]}
    urls |= {c["url"] for r in data["records"] for c in r["claims"]}
    urls |= {ci["url"] for r in data["records"] for c in r["claims"] for ci in c["citations"]}
    assert len(urls) > 20
    for url in urls:
        page, _, anchor = url.partition("#")
        html = (built.outdir / page).read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, url


def test_export_is_deterministic(dataset: Dataset, built: Build) -> None:
    src = Path(built.app.srcdir)
    again = Dataset.load(src / "data", corpus_dir=src / "corpus")
    first = dumps(export_of(dataset), compact=True)
    assert first == dumps(export_of(again), compact=True)
    # Sorted keys, no spaces, one final newline: the bytes depend on the data only.
    canonical = json.dumps(
        json.loads(first), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert first == canonical + "\n"
    assert "generated" not in first and "timestamp" not in first


def test_claims_citations_references_and_backlinks(dataset: Dataset) -> None:
    export = export_of(dataset)
    assert export["counts"] == {"source": 2, "actor": 5, "agreement": 1, "event": 4}
    signing = record(export, "signing-2020")
    assert signing["kind"] == "event" and signing["file"] == "events/signing-2020.yaml"
    assert signing["url"] == "records/events/signing-2020.html"
    assert "claims" not in signing["data"] and signing["data"]["date"] == "2020-03-01"
    planned, signed = signing["claims"]
    assert planned["id"] == "signing-2020#planned"
    assert planned["url"] == "records/events/signing-2020.html#planned"
    # Claim references become the referenced record's title in the plain text.
    assert "Northland says harbour treaty talks will resume" in planned["plain_text"]
    assert "{dossier:claim}" in planned["text"]
    (cite,) = signed["citations"]
    assert cite == {
        "id": "signing-2020#cite-2",
        "number": 2,
        "url": "records/events/signing-2020.html#cite-2",
        "source": "courier-2020-03-03",
        "source_title": "Harbour treaty signed",
        "source_url": "records/sources/courier-2020-03-03.html",
        "quote": "Northland and Southland signed the harbour treaty on 1 March 2020 in Port City.",
        "note": None,
    }
    refs = {(r["field"], r["target"]): r for r in signing["references"]}
    assert refs["actors.1", "southland"] == {
        "field": "actors.1",
        "target": "southland",
        "kind": "actor",
        "resolved": True,
        "title": "Southland",
        "url": "records/actors/southland.html",
    }
    talks = record(export, "talks-resume-2020")
    assert ("claims.0.text", "southland") in {
        (r["field"], r["target"]) for r in talks["references"]
    }
    assert record(export, "gazette-2020-01-05")["backlinks"] == [
        "ann-minister",
        "harbour-treaty",
        "northland-foreign-ministry",
        "signing-2020",
        "signing-planned-2020",
        "talks-era-2019",
        "talks-resume-2020",
    ]
    kinds = [r["kind"] for r in export["records"]]
    assert kinds == sorted(kinds, key=["source", "actor", "agreement", "event"].index)


def test_events_carry_the_status_words_readers_see(dataset: Dataset) -> None:
    """Reusers read the status as the site words it (issue #16): ``reported`` is not
    "not confirmed" but "happened, date uncertain"."""
    from sphinx_dossier.core.text import STATUS_TEXT

    events = [r for r in export_of(dataset)["records"] if r["kind"] == "event"]
    assert {r["data"]["status"] for r in events} >= {"occurred", "planned"}
    for event in events:
        assert event["status_label"] == STATUS_TEXT[event["data"]["status"]]
    assert STATUS_TEXT["reported"] == "happened, date uncertain"
    assert "status_label" in dataset_schema()["$defs"]["EventOut"]["required"]
    others = [r for r in export_of(dataset)["records"] if r["kind"] != "event"]
    assert others and not any("status_label" in r for r in others)


def test_schema_accepts_the_export_and_rejects_broken_ones(dataset: Dataset) -> None:
    check = validator()
    export = export_of(dataset)
    check.validate(export)
    broken: list[dict[str, Any]] = []
    for mutate in (
        lambda e: e["records"][0].pop("url"),
        lambda e: e["records"][-1].__setitem__("kind", "place"),
        lambda e: e["records"][-1]["data"].__setitem__("date", "1 March"),
        lambda e: e["records"][-1]["claims"][0]["citations"][0].pop("quote"),
        lambda e: e.__setitem__("version", 1),
        lambda e: e.__setitem__("content_version", None),
        lambda e: e["records"][0]["data"].__setitem__("surprise", 1),
    ):
        copied = copy.deepcopy(export)
        mutate(copied)
        broken.append(copied)
    for bad in broken:
        assert not check.is_valid(bad)


def test_real_data_export_validates() -> None:
    corpus = os.environ.get("DOSSIER_CORPUS")
    dataset = Dataset.load(REPO / "data", corpus_dir=(REPO / corpus) if corpus else None)
    assert dataset.ok, "\n".join(str(p) for p in dataset.errors)
    export = export_of(dataset)
    validator().validate(export)
    assert export["counts"]["source"] == len(list((REPO / "data" / "sources").glob("*.yaml")))


def test_base_url_makes_urls_absolute(dataset: Dataset) -> None:
    urls = layout_urls(dataset, base_url="https://example.org/dossier/")
    export = export_data(build_export(dataset, urls))
    assert record(export, "northland")["url"] == (
        "https://example.org/dossier/records/actors/northland.html"
    )


# -- TimelineJS -----------------------------------------------------------------------------


def test_timeline_dates_follow_the_precision(dataset: Dataset) -> None:
    timeline = build_timeline(dataset, title="Harbour")
    slides = {s["unique_id"]: s for s in timeline["events"]}
    assert slides["talks-era-2019"]["start_date"] == {"year": 2019}
    assert slides["signing-planned-2020"]["start_date"] == {"year": 2020, "month": 2}
    assert slides["signing-planned-2020"]["end_date"] == {"year": 2020, "month": 3}
    assert slides["signing-2020"]["start_date"] == {"year": 2020, "month": 3, "day": 1}
    assert "end_date" not in slides["signing-2020"]


def test_timeline_structure(dataset: Dataset) -> None:
    timeline = build_timeline(dataset, title="Harbour <dossier>")
    assert timeline["title"]["text"]["headline"] == "Harbour &lt;dossier&gt;"
    ids = [s["unique_id"] for s in timeline["events"]]
    assert ids == ["talks-era-2019", "talks-resume-2020", "signing-planned-2020", "signing-2020"]
    for slide in timeline["events"]:
        assert set(slide) <= {"unique_id", "start_date", "end_date", "text", "group"}
        assert slide["text"]["headline"]
        assert isinstance(slide["start_date"]["year"], int)
    planned = timeline["events"][2]
    assert planned["group"] == "Planned"
    assert planned["text"]["text"].startswith("<p><em>Planned.</em></p>")
    assert '<a href="records/events/signing-planned-2020.html">' in planned["text"]["text"]


def test_built_timeline_links_resolve(built: Build) -> None:
    data = json.loads((built.outdir / "_static/dossier/timeline.json").read_text("utf-8"))
    assert data["title"]["text"]["headline"] == built.app.config.project
    for slide in data["events"]:
        href = slide["text"]["text"].split('<a href="')[1].split('"')[0]
        assert (built.outdir / href).is_file()


def test_data_files_are_linked_from_the_home_page(built: Build) -> None:
    html = built.main("index")
    for name in ("dataset.json", "dataset.schema.json", "timeline.json"):
        assert f'href="_static/dossier/{name}"' in html


def test_unchanged_data_files_are_not_rewritten(built: Build, tmp_path: Path) -> None:
    src = make_dataout_root(tmp_path / "src")
    build(src)
    target = src / "_build" / "html" / "_static" / "dossier" / "dataset.json"
    os.utime(target, (1, 1))
    build(src)
    assert target.stat().st_mtime == 1


def test_rebuild_skips_the_export_until_an_input_changes(tmp_path: Path) -> None:
    src = make_dataout_root(tmp_path / "src")
    build(src)
    folder = src / "_build" / "html" / "_static" / "dossier"
    target = folder / "dataset.json"
    # A file the build did not write: a rebuild that recomputed the export would
    # replace it, so its survival proves that nothing was recomputed.
    target.write_text("stale", encoding="utf-8")
    build(src)
    assert target.read_text(encoding="utf-8") == "stale"
    # A missing file is written again even though the inputs are unchanged.
    (folder / "timeline.json").unlink()
    build(src)
    assert (folder / "timeline.json").is_file()
    # Editing a record is an input change: the export follows it.
    yaml_file = src / "data" / "events" / "signing-2020.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(
        text.replace("title: Harbour treaty signed", "title: Treaty inked"), "utf-8"
    )
    build(src)
    export = json.loads(target.read_text(encoding="utf-8"))
    assert record(export, "signing-2020")["title"] == "Treaty inked"


@given(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_characters="\\`*_[]{}<>&!"), max_size=60),
        st.text(max_size=60),
    )
)
@example("*Seoul* says")
@example("a \\*b")
@example("Q&amp;A with the minister")
@example("{dossier:actor}`Ann <ann-minister>` said")
@example("two\nlines ")
@example("[text](https://example.org) and <https://example.org>")
@example("  spaces  inside  ")
@example("{other}`x` and ![alt *text*](https://example.org/i.png) `co*de`")
@example("**bold _and_ em** line  \nbreak\\\nthere")
@example("{dossier:claim}`rec#c1` {dossier:record}`Title <x>` {dossier:nope}`y`")
def test_plain_text_agrees_with_the_docutils_rendering(text: str) -> None:
    # core.text.plain_text reads the tokens itself (no docutils); the page renders
    # them as nodes. Both must give the same words, on the fast path and off it.
    from sphinx_dossier.core.text import plain_text
    from sphinx_dossier.sphinx_ext.inline import parse_inline

    parsed = parse_inline(text, source="", line=None, report=lambda _s, _m: None, links=False)
    assert plain_text(text) == "".join(part.astext() for part in parsed).strip()
