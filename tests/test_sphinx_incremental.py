"""Incremental and parallel builds: after each edit, an incremental build equals a fresh one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx_dossier.sphinx_ext.datafiles import DATA_FILES
from sphinx_support import Build, build, copy_root, html_pages, inventory

PORT_AUTHORITY = """\
# yaml-language-server: $schema=../../schema/actor.schema.json
id: port-authority
name: Port Authority of Northland
kind: organization
parent: northland
claims:
  - id: part-of-northland
    text: The courier describes the signing in Port City, Northland's harbour.
    supports: [parent]
    cites:
      - source: courier-2020-03-03
        quote: "Northland and Southland signed the harbour treaty"
"""


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_claim(src: Path) -> None:
    replace(
        src / "data/events/signing-2020.yaml",
        "The treaty was signed on 1 March 2020 in Port City.",
        "The treaty was signed on 1 March 2020 in Port City; "
        "{dossier:actor}`ann-minister` had announced the plan.",
    )


def name_an_actor_not_yet_recorded(src: Path) -> None:
    # A dangling reference: the page must change once the actor is added (next step).
    replace(
        src / "data/events/talks-resume-2020.yaml",
        "on the {dossier:agreement}`harbour-treaty` would resume.",
        "on the {dossier:agreement}`harbour-treaty` would resume, with the "
        "{dossier:actor}`port-authority` present.",
    )


def add_actor(src: Path) -> None:
    (src / "data/actors/port-authority.yaml").write_text(PORT_AUTHORITY, encoding="utf-8")


def rename_record(src: Path) -> None:
    old = src / "data/actors/ann-minister.yaml"
    text = old.read_text(encoding="utf-8").replace("id: ann-minister", "id: anna-minister")
    (src / "data/actors/anna-minister.yaml").write_text(text, encoding="utf-8")
    old.unlink()
    replace(src / "data/events/signing-2020.yaml", "`ann-minister`", "`anna-minister`")


def retitle_event(src: Path) -> None:
    replace(
        src / "data/events/talks-resume-2020.yaml",
        "title: Northland says harbour treaty talks will resume",
        "title: Northland and Southland to resume harbour treaty talks",
    )


def rename_publisher(src: Path) -> None:
    # Citations on the pages citing the source show its publisher: those pages are made
    # from the source's file too, and must be read again.
    replace(
        src / "data/sources/gazette-2020-01-05.yaml",
        "publisher: {name: The Example Gazette,",
        "publisher: {name: The Example Daily Gazette,",
    )


def drop_an_actor(src: Path) -> None:
    # The actor's page loses the event although the actor's own file did not change.
    replace(
        src / "data/events/talks-resume-2020.yaml",
        "actors: [northland, southland]",
        "actors: [northland]",
    )


def reorder_events(src: Path) -> None:
    # Story order is shared by every event page (previous/next) and the listings.
    replace(src / "data/events/signing-2020.yaml", "date: 2020-03-01", "date: 2020-01-04")


def add_a_page_linking_a_record(src: Path) -> None:
    (src / "briefing.md").write_text(
        "---\norphan: true\n---\n# Briefing\n\nSee {dossier:actor}`northland`.\n",
        encoding="utf-8",
    )


def remove_that_page(src: Path) -> None:
    # Northland's page listed it among the pages that link to it; it must not any more.
    (src / "briefing.md").unlink()


def delete_record(src: Path) -> None:
    path = src / "data/actors/southland.yaml"
    shutil.copy(path, src.parent / "southland.yaml.bak")
    path.unlink()


def restore_record(src: Path) -> None:
    shutil.copy(src.parent / "southland.yaml.bak", src / "data/actors/southland.yaml")


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("edit a claim", edit_claim),
    ("name an actor not yet recorded", name_an_actor_not_yet_recorded),
    ("add an actor", add_actor),
    ("rename a record", rename_record),
    ("retitle an event", retitle_event),
    ("rename a cited source's publisher", rename_publisher),
    ("drop an actor from an event", drop_an_actor),
    ("move an event in story order", reorder_events),
    ("add a page linking a record", add_a_page_linking_a_record),
    ("remove that page", remove_that_page),
    ("delete a referenced record", delete_record),
    ("restore it", restore_record),
]


def title(built: Build, page: str) -> str:
    html = built.html(page)
    return html[html.index("<title>") : html.index("</title>")]


def assert_same_output(step: str, incremental: Build, fresh: Build) -> None:
    pages = html_pages(fresh.outdir)
    assert html_pages(incremental.outdir) == pages, f"{step}: different set of pages"
    for page in sorted(pages):
        if page == "search":
            continue
        assert incremental.main(page) == fresh.main(page), f"{step}: {page} differs"
        assert title(incremental, page) == title(fresh, page), f"{step}: title of {page}"
    assert inventory(incremental.outdir) == inventory(fresh.outdir), f"{step}: objects.inv"
    # The data files come from per-record caches on an incremental build.
    for name, _ in DATA_FILES:
        data = Path("_static/dossier") / name
        assert (incremental.outdir / data).read_bytes() == (fresh.outdir / data).read_bytes(), (
            f"{step}: {name}"
        )
    # "View page source": each record's YAML, put back only where this build wrote it.
    sources = source_copies(fresh.outdir)
    assert source_copies(incremental.outdir) == sources, f"{step}: _sources"
    assert any(name.endswith(".yaml.txt") for name in sources)


def source_copies(outdir: Path) -> dict[str, bytes]:
    root = outdir / "_sources"
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def fresh_builds(tmp_path_factory: pytest.TempPathFactory) -> list[Build]:
    """A fresh full build of the source after each step (the reference to compare with)."""
    base = tmp_path_factory.mktemp("fresh")
    src = copy_root("dossier", base / "work")
    builds = []
    for number, (_step, edit) in enumerate(STEPS):
        edit(src)
        fresh_src = base / f"step-{number}"
        shutil.copytree(src, fresh_src, ignore=shutil.ignore_patterns("_build", "records"))
        builds.append(build(fresh_src, freshenv=True))
    return builds


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "parallel-2"])
def test_incremental_build_equals_fresh_build(
    tmp_path: Path, parallel: int, fresh_builds: list[Build]
) -> None:
    src = copy_root("dossier", tmp_path / "incremental")
    first = build(src, parallel=parallel)
    if parallel:
        # Every loaded extension must allow it, or Sphinx silently reads serially.
        assert first.app.is_parallel_allowed("read") and first.app.is_parallel_allowed("write")
    for (step, edit), fresh in zip(STEPS, fresh_builds, strict=True):
        edit(src)
        incremental = build(src, parallel=parallel)
        assert_same_output(step, incremental, fresh)


def test_editing_a_claim_rewrites_only_the_pages_showing_it(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    build(src)
    edit_claim(src)
    incremental = build(src)
    # The event itself, and the actor that gains a backlink.
    assert incremental.written == {"records/events/signing-2020", "records/actors/ann-minister"}
    unchanged = build(src)
    assert unchanged.written == set()


def test_retitling_rewrites_every_page_showing_the_title(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    build(src)
    retitle_event(src)
    incremental = build(src)
    shows_title = {
        "index",  # links to the event by its title
        "records/events/talks-resume-2020",
        "records/events/signing-2020",  # claim link shows the event title
        "records/timeline",
        "records/agreements/harbour-treaty",  # lifecycle
        "records/actors/northland",  # events of the actor
        "records/actors/southland",
        "records/sources/gazette-2020-01-05",  # cited in
    }
    assert shows_title <= incremental.written
    assert not incremental.written & {
        "notes",
        "records/actors/ann-minister",
        "records/sources/courier-2020-03-03",
        "records/actors",
        "records/sources",
    }


def test_deleted_record_leaves_no_page_and_dangling_links_warn(tmp_path: Path) -> None:
    src = copy_root("dossier", tmp_path / "src")
    build(src)
    delete_record(src)
    incremental = build(src)
    assert not (incremental.outdir / "records/actors/southland.html").exists()
    assert not list((incremental.outdir / "_sources/records/actors").glob("southland.*"))
    assert list((incremental.outdir / "_sources/records/actors").glob("northland.*"))
    assert "southland" not in inventory(incremental.outdir)["dossier:actor"]
    warnings = incremental.warning_lines()
    assert any(
        "data/events/signing-2020.yaml:6: WARNING: actors[1]: no actor with id 'southland'" in w
        and w.endswith("[dossier.reference]")
        for w in warnings
    ), warnings
    assert not any("dangling-ref" in w for w in warnings), "reported twice"


def test_unchanged_data_is_not_loaded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx_dossier.core.dataset import Dataset

    loads: list[Path] = []
    original = Dataset.load

    def counting_load(data_dir: Path, **kwargs: object) -> Dataset:
        loads.append(data_dir)
        return original(data_dir, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Dataset, "load", staticmethod(counting_load))
    src = copy_root("dossier", tmp_path / "src")
    first = build(src)
    assert len(loads) == 1
    again = build(src)
    assert len(loads) == 1, "the cached dataset was not reused"
    assert again.warning_lines() == first.warning_lines() == []
    retitle_event(src)
    edited = build(src)
    assert len(loads) == 2, "an edited record must be loaded again"
    assert "Northland and Southland to resume" in edited.main("records/timeline")
    build(src, freshenv=True)
    assert len(loads) == 3, "-E must not use the cache"


def test_change_tracking_of_an_older_version_is_ignored_not_trusted(
    tmp_path: Path, fresh_builds: list[Build]
) -> None:
    """An environment written by an earlier version of the extension keeps its domain
    data; marks and page dependencies of another shape are ignored (every page is
    digested once), never read as current nor a crash."""
    import pickle

    src = copy_root("dossier", tmp_path / "src")
    first = build(src)
    env_file = Path(first.app.doctreedir) / "environment.pickle"
    with env_file.open("rb") as stream:
        env = pickle.load(stream)
    data = env.domaindata["dossier"]
    data["record_marks"] = {rid: (("old", 1), ("x",)) for rid in data["record_marks"]}
    data["page_deps"] = {doc: ((), ()) for doc in data["page_deps"]}
    with env_file.open("wb") as stream:
        pickle.dump(env, stream, pickle.HIGHEST_PROTOCOL)
    edit_claim(src)
    again = build(src)
    domain = again.app.env.get_domain("dossier")
    assert domain.digested == len(domain.snapshot)
    assert_same_output("older change tracking", again, fresh_builds[0])
