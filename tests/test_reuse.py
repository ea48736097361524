"""Reuse of the content: its licence, content versions, and W3C Web Annotations of every quote."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from corpus_support import require_corpus
from dataout_support import make_dataout_root
from sphinx_dossier.cli import main
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.outputs.annotations import build_annotations, locate, ni_uri
from sphinx_dossier.outputs.export import build_export, export_data, layout_urls
from sphinx_dossier.outputs.license import (
    KNOWN_LICENSES,
    LicenseError,
    content_version,
    record_version,
    resolve_license,
)
from sphinx_support import Build, build

REPO = Path(__file__).resolve().parent.parent
BASE = "https://dossier.example/site/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The data-out root with a licence and a base URL."""
    src = make_dataout_root(tmp_path_factory.mktemp("reuse") / "src")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\ndossier_license = 'CC-BY-4.0'\nhtml_baseurl = {BASE!r}\n")
    return build(src)


@pytest.fixture(scope="module")
def dataset(built: Build) -> Dataset:
    src = Path(built.app.srcdir)
    return Dataset.load(src / "data", corpus_dir=src / "corpus")


def data_file(built: Build, name: str) -> Any:
    return json.loads((built.outdir / "_static" / "dossier" / name).read_text("utf-8"))


# -- licence ----------------------------------------------------------------------------------


def test_licence_by_spdx_id_or_by_name_and_url() -> None:
    assert resolve_license(None) is None
    by_id = resolve_license("cc-by-4.0")
    assert by_id is not None and by_id.id == "CC-BY-4.0"
    assert by_id.url == "https://creativecommons.org/licenses/by/4.0/"
    own = resolve_license({"name": "Our terms", "url": "https://example.org/terms"})
    assert own is not None and (own.id, own.name) == (None, "Our terms")
    for url in KNOWN_LICENSES.values():
        assert url[1].startswith("https://") and url[1].endswith("/")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("MIT-ish", "unknown licence 'MIT-ish': use one of CC0-1.0"),
        ({"url": "https://example.org"}, "needs a 'name'"),
        ({"name": "x", "url": "ftp://example.org"}, "must be an http(s) address"),
        ({"name": "x", "link": "https://example.org"}, "nothing else"),
        (3, "must be an SPDX id"),
    ],
)
def test_bad_licence_values_say_what_to_give(value: Any, message: str) -> None:
    with pytest.raises(LicenseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_license(value)


def test_build_carries_the_licence_into_the_dataset_and_annotations(built: Build) -> None:
    assert built.warning_lines() == []
    data = data_file(built, "dataset.json")
    assert data["license"] == {
        "id": "CC-BY-4.0",
        "name": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    annotations = data_file(built, "annotations.jsonld")
    assert annotations["rights"] == data["license"]["url"]
    assert {a["rights"] for a in annotations["first"]["items"]} == {data["license"]["url"]}


def test_export_without_a_licence_says_null(dataset: Dataset) -> None:
    assert export_data(build_export(dataset))["license"] is None


def test_command_line_licence(
    tmp_path: Path, built: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    src = Path(built.app.srcdir)
    out = tmp_path / "d.json"
    args = [
        "export", str(src / "data"), "--corpus", str(src / "corpus"), "--out", str(out),
    ]  # fmt: skip
    assert main([*args, "--license", "CC0-1.0"]) == 0
    assert json.loads(out.read_text("utf-8"))["license"]["id"] == "CC0-1.0"
    assert main([*args, "--license", "nope"]) == 2
    assert "--license: unknown licence 'nope'" in capsys.readouterr().err


# -- URLs and versions ------------------------------------------------------------------------


def test_built_dataset_has_absolute_urls_and_a_content_version(
    built: Build, dataset: Dataset
) -> None:
    data = data_file(built, "dataset.json")
    urls = [r["url"] for r in data["records"]]
    urls += [c["url"] for r in data["records"] for c in r["claims"]]
    assert urls and all(u.startswith(BASE + "records/") for u in urls)
    assert data["content_version"] == content_version(dataset)
    assert len(data["content_version"]) == 12
    for entry in data["records"]:
        assert entry["version"] == record_version(dataset.records[entry["id"]])


def test_content_version_follows_the_content_not_the_urls(dataset: Dataset) -> None:
    here = export_data(build_export(dataset))
    there = export_data(build_export(dataset, layout_urls(dataset, base_url=BASE)))
    assert here["content_version"] == there["content_version"]
    assert [r["version"] for r in here["records"]] == [r["version"] for r in there["records"]]
    own = dataset.records["northland"]
    edited = dataclasses.replace(own, record=own.record.model_copy(update={"name": "Edited"}))
    assert record_version(edited) != record_version(own)


# -- W3C Web Annotations ----------------------------------------------------------------------


def test_locate_maps_normalised_matches_back_to_the_text() -> None:
    text = "Intro.\r\n  The  “pact”\u00a0was\nsigned – at last.  End."
    found = locate(text, 'The "pact" was signed - at last', context=5)
    assert found is not None
    assert text[found.start : found.end] == found.exact == "The  “pact”\u00a0was\nsigned – at last"
    assert (found.prefix, found.suffix) == (".\r\n  ", ".  En")
    assert locate(text, "not in it") is None and locate(text, "  ") is None
    assert ni_uri(hashlib.sha256(b"").hexdigest()) == (
        "ni:///sha-256;47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
    )


def reanchor(annotation: dict[str, Any], corpus: dict[str, tuple[str, str]]) -> None:
    """Re-find an annotation's quote as a tool would: check the text's digest against
    the state, the quote at its offsets with its prefix and suffix, and the quote by its
    prefix and suffix alone."""
    target = annotation["target"]
    text, digest = corpus[target["dossier:source"]]
    raw = base64.urlsafe_b64decode(target["state"]["id"].split(";", 1)[1] + "=")
    assert raw.hex() == digest, annotation["id"]
    quote, position = target["selector"]
    assert (quote["type"], position["type"]) == ("TextQuoteSelector", "TextPositionSelector")
    start, end = position["start"], position["end"]
    assert text[start:end] == quote["exact"], annotation["id"]
    assert text[start - len(quote["prefix"]) : start] == quote["prefix"]
    assert text[end : end + len(quote["suffix"])] == quote["suffix"]
    found = text.find(quote["prefix"] + quote["exact"] + quote["suffix"])
    assert found + len(quote["prefix"]) == start, annotation["id"]


def corpus_of(dataset: Dataset, folder: Path) -> dict[str, tuple[str, str]]:
    texts = {}
    for loaded in dataset.by_kind("source"):
        raw = (folder / loaded.record.document).read_bytes()  # type: ignore[attr-defined]
        texts[loaded.id] = (raw.decode("utf-8"), hashlib.sha256(raw).hexdigest())
    return texts


def test_built_annotations_follow_the_model_and_reanchor(built: Build, dataset: Dataset) -> None:
    annotations = data_file(built, "annotations.jsonld")
    assert annotations["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotations["type"] == "AnnotationCollection"
    items = annotations["first"]["items"]
    cites = sum(len(c.cites) for r in dataset.records.values() for c in r.record.claims)
    assert annotations["total"] == len(items) == cites
    first = next(a for a in items if a["id"].endswith("signing-2020.html#cite-2"))
    assert first["id"] == BASE + "records/events/signing-2020.html#cite-2"
    assert first["type"] == "Annotation" and first["motivation"] == "describing"
    assert first["body"]["type"] == "TextualBody"
    assert first["body"]["id"] == BASE + "records/events/signing-2020.html#signed"
    # A source without an address of its own is targeted through its record page.
    assert first["target"]["source"] == BASE + "records/sources/courier-2020-03-03.html"
    texts = corpus_of(dataset, Path(built.app.srcdir) / "corpus")
    for annotation in items:
        reanchor(annotation, texts)


def test_every_real_annotation_reanchors_against_the_corpus() -> None:
    folder = require_corpus()
    dataset = Dataset.load(REPO / "data", corpus_dir=folder)
    items = build_annotations(dataset, layout_urls(dataset))["first"]["items"]
    assert len(items) == sum(
        len(c.cites) for r in dataset.records.values() for c in r.record.claims
    )
    texts = corpus_of(dataset, folder)
    for annotation in items:
        reanchor(annotation, texts)


def test_without_a_corpus_annotations_keep_the_quote_only(dataset: Dataset) -> None:
    bare = Dataset.load(Path(dataset.data_dir))
    items = build_annotations(bare, layout_urls(bare))["first"]["items"]
    assert items
    for annotation in items:
        (selector,) = annotation["target"]["selector"]
        assert set(selector) == {"type", "exact"}
        assert annotation["target"]["state"]["id"].startswith("ni:///sha-256;")


# -- the GSOMIA site ----------------------------------------------------------------------------


@pytest.mark.sphinx
def test_site_states_its_licence_and_ships_every_data_file() -> None:
    import site_build

    site = site_build.real_site()
    assert site.warnings.strip() == ""
    folder = site.outdir / "_static" / "dossier"
    data = json.loads((folder / "dataset.json").read_text("utf-8"))
    assert data["license"]["id"] == "CC-BY-4.0"
    index = (site.outdir / "index.html").read_text("utf-8")
    assert "Text and data: CC BY 4.0" in index  # the footer
    for name in ("annotations.jsonld", "dossier.db", "dossier.metadata.json"):
        assert f'href="_static/dossier/{name}"' in index
        assert (folder / name).is_file()
    page = (site.outdir / "records" / "events" / "gsomia-signed-2016.html").read_text("utf-8")
    assert '"license": "https://creativecommons.org/licenses/by/4.0/"' in page  # JSON-LD
