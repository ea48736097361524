"""The data files made in a forked process (``sphinx_ext/forked.py``) while the pages are
written: the same bytes as made at the end of the build, warnings that count, nothing
written by a failed build, and the work done in the build's process when the child
fails or the process must not fork.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main
from sphinx_dossier.core.fsio import Staged
from sphinx_dossier.sphinx_ext import datafiles, forked
from sphinx_dossier.sphinx_ext.datafiles import DATA_DIR, DATA_FILES
from sphinx_support import copy_root

pytestmark = pytest.mark.skipif(forked.fork_refused() is not None, reason="cannot fork here")

BUILD = ["-W", "--keep-going", "-n", "-b", "html"]
IN_CHILD = "in a second process"


def _build(
    src: Path, out: Path, capsys: pytest.CaptureFixture[str], background: bool = True
) -> tuple[int, str, str]:
    flag = ["-D", f"dossier_background_data_files={int(background)}"]
    rc = build_main([*BUILD, *flag, str(src), str(out)])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / DATA_DIR / name).read_bytes() for name, _ in DATA_FILES}


def _temporaries(out: Path) -> list[str]:
    return sorted(p.name for p in (out / DATA_DIR).glob(".*.tmp"))


def _retitle_event(src: Path) -> None:
    event = src / "data" / "events" / "talks-resume-2020.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("Northland says", "Northland said"), encoding="utf-8")


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return copy_root("three-records", tmp_path / "src")


def test_a_forked_build_writes_the_same_data_files(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = src / "data" / "events" / "talks-resume-2020.yaml"
    original = event.read_text(encoding="utf-8")
    made: dict[bool, dict[str, bytes]] = {}
    for background in (True, False):
        event.write_text(original, encoding="utf-8")
        out = tmp_path / f"out-{background}"
        rc, stdout, err = _build(src, out, capsys, background)
        assert rc == 0, err
        assert (IN_CHILD in stdout) is background, stdout
        made[background] = _files(out)
        # And after an edit, from the parts kept: the same again.
        _retitle_event(src)
        rc, stdout, err = _build(src, out, capsys, background)
        assert rc == 0, err
        assert (IN_CHILD in stdout) is background, stdout
        edited = _files(out)
        assert b"Northland said harbour" in edited["dataset.json"]
        made[background].update({f"{name}, edited": data for name, data in edited.items()})
    assert made[True].keys() == made[False].keys()
    for name in made[True]:
        assert made[True][name] == made[False][name], name


def test_a_no_op_rebuild_forks_nothing(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _build(src, out, capsys)[0] == 0
    started: list[object] = []
    monkeypatch.setattr(datafiles, "start", lambda *a: started.append(a))
    rc, stdout, err = _build(src, out, capsys)
    assert rc == 0, err
    assert started == []
    assert "data files in _static/dossier are current" in stdout


def test_a_full_disk_in_the_child_is_one_warning_of_the_build(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _build(src, out, capsys)[0] == 0
    before = (out / DATA_DIR / "dataset.json").read_bytes()
    _retitle_event(src)

    def full(path: Path, content: str | bytes) -> Staged:
        if path.name == "dataset.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return Staged(path, content)

    monkeypatch.setattr(datafiles, "Staged", full)  # the child inherits it
    ended: list[bool] = []
    finish = forked.Forked.finish

    def spied(job: forked.Forked[object], go: bool) -> forked.Finished[object]:
        finished = finish(job, go)
        ended.append(finished.ok)
        return finished

    monkeypatch.setattr(forked.Forked, "finish", spied)
    rc, _, err = _build(src, out, capsys)
    assert ended == [True]  # the child wrote, failed to, and said so
    assert rc == 1  # -W: the child's warning counts
    lines = [line for line in err.splitlines() if "WARNING" in line]
    assert len(lines) == 1, err
    assert "cannot write" in lines[0] and "No space left on device" in lines[0]
    assert lines[0].endswith("[dossier.write]")
    assert (out / DATA_DIR / "dataset.json").read_bytes() == before
    assert _temporaries(out) == []
    monkeypatch.undo()
    rc, _, err = _build(src, out, capsys)  # the key was forgotten: written now
    assert rc == 0, err
    assert b"Northland said" in (out / DATA_DIR / "dataset.json").read_bytes()


def test_a_failed_build_has_the_child_write_nothing(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _build(src, out, capsys)[0] == 0
    before = _files(out)
    _retitle_event(src)
    jobs: list[forked.Forked[object]] = []

    def start(
        prepare: Callable[[], object],
        commit: Callable[[object], object],
        abandon: Callable[[object], object],
    ) -> forked.Forked[object]:
        job = forked.start(prepare, commit, abandon)
        assert job is not None
        jobs.append(job)
        return job

    def crash_while_writing(*args: object) -> None:
        raise RuntimeError("the writer broke")

    monkeypatch.setattr(datafiles, "start", start)
    monkeypatch.setattr(datafiles, "resolve_data_files", crash_while_writing)
    rc, _, _ = _build(src, out, capsys)
    assert rc != 0
    assert len(jobs) == 1
    with pytest.raises(ChildProcessError):  # reaped: no process left behind
        os.waitpid(jobs[0].pid, os.WNOHANG)
    assert _files(out) == before
    assert _temporaries(out) == []  # what it had staged is removed


def test_a_child_killed_after_staging_leaves_nothing_behind(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _build(src, out, capsys)[0] == 0
    _retitle_event(src)
    parent = os.getpid()
    real = datafiles._place

    def die_before_placing(plan: object, staged: object) -> object:
        if os.getpid() != parent:
            os._exit(9)  # killed between staging and placing
        return real(plan, staged)  # type: ignore[arg-type]

    monkeypatch.setattr(datafiles, "_place", die_before_placing)
    rc, stdout, err = _build(src, out, capsys)
    assert rc == 0, err
    assert IN_CHILD not in stdout  # the build made them itself
    assert b"Northland said harbour" in _files(out)["dataset.json"]
    assert _temporaries(out) == []  # and removed what the child had staged


def test_a_child_that_fails_has_the_build_write_the_files(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    parent = os.getpid()
    real = datafiles._make

    def make_only_here(app: object) -> object:
        if os.getpid() != parent:
            os._exit(3)  # the child dies without a word (killed, out of memory)
        return real(app)  # type: ignore[arg-type]

    monkeypatch.setattr(datafiles, "_make", make_only_here)
    rc, stdout, err = _build(src, out, capsys)
    assert rc == 0, err
    assert "data files in _static/dossier (6 written)" in stdout
    assert IN_CHILD not in stdout
    assert set(_files(out)) == {name for name, _ in DATA_FILES}


# The module on its own.


def test_the_child_commits_on_go_and_its_log_reaches_the_parent() -> None:
    sphinx_logger = logging.getLogger("sphinx")
    seen: list[logging.LogRecord] = []
    earlier = list(sphinx_logger.handlers)  # an earlier build's, which reformat records

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Keep()
    sphinx_logger.handlers = [handler]
    try:

        def prepare() -> int:
            logging.getLogger("sphinx.test").warning(
                "made %d", 41, extra={"type": "dossier", "subtype": "write", "location": "a:1"}
            )
            return 41

        job = forked.start(prepare, lambda value: value + 1)
        assert job is not None
        assert seen == []  # the child's log waits for the parent's word
        finished = job.finish(go=True)
    finally:
        sphinx_logger.handlers = earlier
    assert finished.ok and finished.value == 42
    assert [(r.getMessage(), r.subtype, r.location) for r in seen] == [("made 41", "write", "a:1")]  # type: ignore[attr-defined]


def test_the_child_abandons_on_stop(tmp_path: Path) -> None:
    staged, committed = tmp_path / "staged", tmp_path / "committed"

    def prepare() -> Path:
        staged.write_text("made")
        return staged

    job = forked.start(prepare, lambda _: committed.write_text("yes"), Path.unlink)
    assert job is not None
    finished = job.finish(go=False)
    assert not finished.ok
    assert not committed.exists()
    assert not staged.exists()


def test_an_exception_in_the_child_is_a_failure_with_its_reason() -> None:
    def prepare() -> None:
        raise ValueError("no such record")

    job = forked.start(prepare, lambda _: None)
    assert job is not None
    finished = job.finish(go=True)
    assert not finished.ok
    assert "ValueError: no such record" in finished.reason


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert "threads running" in (forked.fork_refused() or "")
        assert forked.start(lambda: None, lambda _: None) is None
    finally:
        stop.set()
        thread.join()
    for _ in range(100):  # the kernel lists a joined thread a little longer
        if forked.fork_refused() is None:
            break
        time.sleep(0.01)
    assert forked.fork_refused() is None


def test_a_job_left_by_a_build_that_never_finished_is_stopped(src: Path, tmp_path: Path) -> None:
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "app")
    try:
        # A build whose build-finished never came (interrupted): its job is left over.
        listeners = app.events.listeners["build-finished"]
        listeners[:] = [x for x in listeners if x.handler is not datafiles.write_data_files]
        app.build()
        plan, left = datafiles._FORKED[app]
        datafiles.start_data_files(app, app.builder)  # the next build of the same app
        with pytest.raises(ChildProcessError):  # told to stop, and reaped
            os.waitpid(left.pid, os.WNOHANG)
        _, new = datafiles._FORKED.pop(app)
        assert new.pid != left.pid
        assert not new.finish(go=False).ok
        folder = plan.folder
        assert not (folder / "dataset.json").exists()  # neither placed anything
        assert sorted(p.name for p in folder.glob(".*.tmp")) == []  # nor left any
    finally:
        app.cleanup()


def test_the_builds_process_does_not_import_what_makes_the_files(src: Path, tmp_path: Path) -> None:
    """The export's models, the database writer and the annotations are the child's
    business (:mod:`.datamake`): the build's own process never imports them, unless it
    makes the files itself."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from sphinx.cmd.build import main\n"
        "status = main(sys.argv[1:])\n"
        "heavy = ['sphinx_dossier.sphinx_ext.datamake', 'sphinx_dossier.outputs.export',\n"
        "         'sphinx_dossier.outputs.sqlite', 'sphinx_dossier.outputs.annotations',\n"
        "         'sqlite3']\n"
        "sys.stderr.write(f'imported={[m for m in heavy if m in sys.modules]}\\n')\n"
        "sys.exit(status)\n"
    )

    def imported(background: bool) -> str:
        flag = ["-D", f"dossier_background_data_files={int(background)}"]
        done = subprocess.run(
            [sys.executable, "-c", code, *BUILD, *flag, str(src), str(tmp_path / "out")],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stderr

    assert "imported=[]" in imported(background=True)
    assert (tmp_path / "out" / DATA_DIR / "dataset.json").is_file()
    _retitle_event(src)
    assert "imported=[]" in imported(background=True)
    event = src / "data" / "events" / "talks-resume-2020.yaml"
    event.write_text(event.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "sphinx_dossier.sphinx_ext.datamake" in imported(background=False)
