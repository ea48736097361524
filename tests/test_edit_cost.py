"""An edit costs what it changes: after editing one record, the extension's own work
(pages digested, data-file parts made, records checked again) is the same small number
whatever the size of the site.

The sites are the benchmark's synthetic datasets (``benchmarks/generate.py``) at two
sizes four times apart; an edit rebuild must do the same work at both. Timings are the
benchmark's business (``nox -s bench``); this counts work, which cannot be noisy.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from sphinx_support import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate
import projects

pytestmark = pytest.mark.sphinx

SIZES = (60, 240)
EDITED = "data/events/event-00001.yaml"


def _counts(src: Path) -> dict[str, Any]:
    """Build, edit one record's text, build again: what the second build did."""
    from sphinx_dossier.sphinx_ext.digests import arg_ids

    edited = src.parent / EDITED
    build(src)
    text = edited.read_text(encoding="utf-8")
    assert "editmark" in text
    edited.write_text(text.replace("editmark", "editmark-changed"), encoding="utf-8")
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    again = build(src)
    domain = again.app.env.get_domain("dossier")
    dataset = domain.dataset
    loaded = dataset.records["event-00001"]
    # Pages with a view about no record in particular (listings, "as of" pages, home)
    # are digested at every build that changes a record's face; there is a bounded
    # number of them (this edit rewords a claim, so they keep their digests).
    shared = [
        doc
        for doc, page_views in domain.views.items()
        if any(not arg_ids(arg, dataset.records) for _view, arg in page_views)
    ]
    around = (
        {t for _loc, t, _kind in loaded.record.references()}
        | set(dataset.backlinks("event-00001"))
        | {"event-00001"}
    )
    return {
        "digested": domain.digested,
        "shared": len(shared),
        "around": len(around),
        "backlinks": len(dataset.backlinks("event-00001")),
        "pages": len(again.app.env.all_docs),
        "parts": dict(domain.parts_made),
        "rechecked": dataset.rechecked,
        "written": again.written,
    }


@pytest.fixture(scope="module")
def counts(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, Any]]:
    found = {}
    for n in SIZES:
        root = tmp_path_factory.mktemp(f"n{n}")
        projects.write_ours(generate.generate(n), root / "ours")
        found[n] = _counts(root / "ours")
    return found


def test_pages_digested_after_one_edit_do_not_grow_with_the_site(
    counts: dict[int, dict[str, Any]],
) -> None:
    small, large = (counts[n] for n in SIZES)
    assert large["pages"] > 3 * small["pages"]
    for found in (small, large):
        # The shared pages (at most the listings, the indices, the home page and the
        # capped "as of" pages) and the pages of the records around the edited one,
        # with its story neighbours (previous/next): never the rest of the site.
        assert found["shared"] <= 55, found["shared"]
        assert found["digested"] <= found["shared"] + found["around"] + 2, found
        # Rewording a claim changes no record's face: the shared pages are not among them.
        assert found["digested"] <= found["around"] + 2, found
    assert large["digested"] < large["pages"] / 5


def test_data_file_parts_made_after_one_edit_are_the_edited_records(
    counts: dict[int, dict[str, Any]],
) -> None:
    for n in SIZES:
        found = counts[n]
        parts = found["parts"]
        # The edited event's own parts are made again, and those of the records that
        # show it (their export entries list it as a backlink or a reference).
        assert parts["versions"] == 1, (n, parts)
        assert 1 <= parts["export"] <= 1 + found["backlinks"], (n, parts)
        assert parts["rows"] == parts["export"], (n, parts)
        assert 1 <= parts["timeline"] <= parts["export"], (n, parts)
        assert 1 <= parts["annotations"] <= parts["export"], (n, parts)


def test_records_checked_again_after_one_edit_do_not_grow(
    counts: dict[int, dict[str, Any]],
) -> None:
    for n in SIZES:
        assert 1 <= counts[n]["rechecked"] <= counts[n]["around"], (n, counts[n]["rechecked"])


def test_the_edit_rewrites_a_handful_of_pages(counts: dict[int, dict[str, Any]]) -> None:
    for n in SIZES:
        written = counts[n]["written"]
        assert "records/events/event-00001" in written
        assert len(written) < 15, (n, sorted(written))


def test_an_edit_rebuild_imports_no_database_writer(tmp_path: Path) -> None:
    """sqlite-utils makes the database's schema once; an edit rebuild replays the kept
    statements (importing it, and numpy with it, took longer than the edit's rows).

    The data files are made in the build's own process here, where the import shows.
    """
    import subprocess

    projects.write_ours(generate.generate(30), tmp_path / "ours")
    src, out = tmp_path / "ours", tmp_path / "out"
    code = (
        "import sys\n"
        "from sphinx.cmd.build import main\n"
        "status = main(sys.argv[1:])\n"
        "sys.stderr.write(f'imported={\"sqlite_utils\" in sys.modules}\\n')\n"
        "sys.exit(status)\n"
    )

    in_this_process = ["-D", "dossier_background_data_files=0"]

    def build_in_a_process() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, "-q", "-b", "html", *in_this_process, str(src), str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stderr

    assert "imported=True" in build_in_a_process()  # the first build writes the schema
    edited = tmp_path / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "imported=False" in build_in_a_process()
    assert (out / "_static" / "dossier" / "dossier.db").is_file()


def test_a_rebuild_with_nothing_changed_digests_no_page(tmp_path: Path) -> None:
    """Nothing changed: no page is digested (at 20,000 records the listings and "as of"
    pages were most of a rebuild with nothing to do). Rewording a claim digests the
    pages around its record; the listings keep theirs (tests/test_digests.py)."""
    projects.write_ours(generate.generate(30), tmp_path / "ours")
    src = tmp_path / "ours"
    build(src)
    again = build(src)
    assert again.app.env.get_domain("dossier").digested == 0
    assert not again.written
    edited = tmp_path / EDITED
    edited.write_text(edited.read_text(encoding="utf-8").replace("editmark", "editmark-2"))
    after_edit = build(src)
    # The record's page, its neighbours and the records it names and that name it.
    assert after_edit.app.env.get_domain("dossier").digested > 4
    assert not after_edit.written & {"records/timeline", "records/actors", "records/sources"}


def test_the_as_of_state_is_computed_once_per_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stubs (builder-inited) and the views (env-updated) share it."""
    from sphinx_dossier.sphinx_ext import browse

    projects.write_ours(generate.generate(30), tmp_path / "ours")
    calls: list[int] = []
    real = browse.as_of

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(browse, "as_of", counted)
    build(tmp_path / "ours")
    assert len(calls) == 1
    edited = tmp_path / EDITED
    edited.write_text(edited.read_text(encoding="utf-8").replace("editmark", "editmark-3"))
    build(tmp_path / "ours")
    assert len(calls) == 2
