"""The collector is kept off the objects a rebuild reads back, and only for the build.

``sphinx_ext/heap.py`` pauses the cyclic collector while Sphinx reads its
environment pickle, freezes what the environment and the caches left at
``builder-inited`` and after each cache read, and gives it all back at the end of
the build. These tests hold it to "only for the build": nothing stays frozen or
paused after a build (also after a failed one), the pause for the environment is
over before the records are loaded (the loader pauses the collector itself, for
the load only), and a rebuild reads Sphinx's environment with it off.
"""

from __future__ import annotations

import gc
import io
import sys
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx_support import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate
import projects

pytestmark = pytest.mark.sphinx


@pytest.fixture
def site(tmp_path: Path) -> Path:
    projects.write_ours(generate.generate(30), tmp_path / "ours")
    return tmp_path / "ours"


def _collector_before_loading(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector ran when the records were about to be loaded (each call of
    Dataset.load, which then pauses it for the load itself)."""
    from sphinx_dossier.core import dataset

    seen: list[bool] = []
    load = dataset.Dataset.load

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return load(*args, **kwargs)

    monkeypatch.setattr(dataset.Dataset, "load", staticmethod(recording))
    return seen


def test_nothing_stays_frozen_or_paused_after_a_build(site: Path) -> None:
    before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    build(site)
    assert gc.isenabled()
    assert gc.get_freeze_count() == before
    assert gc.get_threshold() == thresholds
    edited = site.parent / "data" / "events" / "event-00001.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("editmark", "editmark-2"))
    status, warning = io.StringIO(), io.StringIO()
    app = SphinxTestApp("html", srcdir=site, status=status, warning=warning)
    try:
        # builder-inited is over: the environment and the dataset are settled, and
        # the collector runs again for the build's own work.
        assert gc.isenabled()
        assert gc.get_freeze_count() > before
        # Full collections are spaced out for the build only.
        assert gc.get_threshold() == (thresholds[0], thresholds[1], 100)
        app.build()
    finally:
        app.cleanup()
    assert gc.isenabled()
    assert gc.get_freeze_count() == before
    assert gc.get_threshold() == thresholds


def test_a_fresh_build_loads_its_records_after_the_pause(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)  # leaves an environment pickle, which -E must not read
    seen = _collector_before_loading(monkeypatch)
    build(site, freshenv=True)
    assert seen == [True]


def test_a_rebuild_reads_the_environment_with_the_collector_paused(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx.application import Sphinx

    build(site)
    seen: list[bool] = []
    load = Sphinx._load_existing_env

    def recording(self: Sphinx, filename: Path) -> object:
        seen.append(gc.isenabled())
        return load(self, filename)

    monkeypatch.setattr(Sphinx, "_load_existing_env", recording)
    validated = _collector_before_loading(monkeypatch)
    edited = site.parent / "data" / "events" / "event-00001.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("editmark", "editmark-2"))
    build(site)
    assert seen == [False]
    assert validated == [True]  # the pause for the environment is over by then
    assert gc.isenabled()


def test_a_build_that_fails_in_builder_inited_leaves_nothing_behind(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)
    before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    extension = site.parent / "fail_at_start.py"
    extension.write_text(
        "def setup(app):\n"
        "    def fail(app):\n"
        "        raise RuntimeError('stop here')\n"
        "    app.connect('builder-inited', fail)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(site.parent))
    status, warning = io.StringIO(), io.StringIO()
    with pytest.raises(Exception, match="stop here"):
        SphinxTestApp(
            "html",
            srcdir=site,
            status=status,
            warning=warning,
            confoverrides={"extensions": ["sphinx_dossier", "fail_at_start"]},
        )
    assert gc.isenabled()  # the environment was read; the collector runs again
    build(site)  # the next build gives back what the failed one froze
    assert gc.isenabled()
    assert gc.get_freeze_count() == before
    assert gc.get_threshold() == thresholds


_AT_EXIT = """\
import atexit, sys
import sphinx.application as application
from sphinx.cmd.build import main

apps = []


def report():  # registered first, so it runs after the extension's handler
    domain = apps[0].env.domains["dossier"]
    print("after", domain.dataset is None, domain.views_cache is None, len(domain.data))


atexit.register(report)
build = application.Sphinx.build


def keeping(self, *args, **kwargs):
    apps.append(self)  # the app lives to the end, as in a long-running process
    return build(self, *args, **kwargs)


application.Sphinx.build = keeping
status = main(["-q", "-b", "html", "-D", "dossier_fast_exit=0", sys.argv[1], sys.argv[2]])
domain = apps[0].env.domains["dossier"]
print("built", status, domain.dataset is not None, domain.views_cache is not None)
sys.exit(status)
"""


def test_the_extension_releases_its_data_when_the_process_ends(site: Path, tmp_path: Path) -> None:
    """At exit the dataset, the views and the domain's entries are dropped (reference
    counting frees them before Python's finalisation); until then they are all kept."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _AT_EXIT, str(site), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["built 0 True True", "after True True 0"]


def test_releasing_at_exit_tolerates_builds_without_a_domain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weakref

    from sphinx_dossier.sphinx_ext import heap

    class Bare:
        def __init__(self) -> None:
            self.domains: dict[str, object] = {}

    # Only this test's environments: the builds other tests keep stay as they are.
    monkeypatch.setattr(heap, "_environments", weakref.WeakSet())
    bare = Bare()
    heap._environments.add(bare)  # type: ignore[arg-type]
    heap.release_at_exit()
    assert len(heap._environments) == 0


def test_full_collections_are_spaced_out_in_serial_builds_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A parallel build's main process keeps no doctrees: there, fewer full collections
    only left more garbage (its peak memory grew by two fifths at 1,000 records)."""
    from types import SimpleNamespace

    from sphinx_dossier.sphinx_ext import heap

    monkeypatch.setattr(heap, "_thresholds", [])
    thresholds = gc.get_threshold()
    try:
        heap.space_full_collections(SimpleNamespace(parallel=2))  # type: ignore[arg-type]
        assert gc.get_threshold() == thresholds
        heap.space_full_collections(SimpleNamespace(parallel=1))  # type: ignore[arg-type]
        assert gc.get_threshold() == (thresholds[0], thresholds[1], heap.FULL_EVERY)
        heap.release()
        assert gc.get_threshold() == thresholds
    finally:
        gc.set_threshold(*thresholds)
