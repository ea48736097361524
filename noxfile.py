"""Developer and CI entry points: build the site, run the tests, lint, package.

Every session but ``latest`` and ``oldest`` installs from ``constraints.txt``, the
lock of the whole dependency tree, so that a new upstream release changes nothing
until the lock is refreshed (``nox -s lock``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.sessions = ["docs", "tests", "lint"]
nox.options.reuse_venv = "yes"

PYTHON = "3"
#: The oldest Python the project supports (``requires-python``).
OLDEST_PYTHON = "3.11"
ROOT = Path(__file__).parent
LOCK = ROOT / "constraints.txt"
SPHINX_BUILD = ("sphinx-build", "-W", "--keep-going", "-n", "-b", "html")


def _install(session: nox.Session, *args: str) -> None:
    """Install from the lock: exactly the versions ``constraints.txt`` names."""
    session.install("-c", str(LOCK), *args)


def _build_docs(session: nox.Session, out: str = "docs/_build/html") -> None:
    # The environment (doctrees) goes beside the site, not inside the published folder.
    session.run(*SPHINX_BUILD, *session.posargs, "-d", _doctrees(out), "docs", out)


def _doctrees(out: str) -> str:
    return str(Path(out).parent / "doctrees") if out == "docs/_build/html" else out + "-doctrees"


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the HTML site into docs/_build/html, failing on any warning."""
    _install(session, ".[docs]")
    _build_docs(session)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest arguments after --)."""
    _install(session, ".[docs,test]")
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session(python=PYTHON, default=False)
def browser(session: nox.Session) -> None:
    """Browser tests of a fresh build in system Chromium (apt-get install chromium; npm)."""
    _install(session, ".[docs,test,browser]")
    axe = Path(session.cache_dir) / "axe"
    session.run(
        "npm",
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--prefix",
        str(axe),
        "axe-core@4.14.1",
        external=True,
    )
    session.env["AXE_CORE_JS"] = str(axe / "node_modules" / "axe-core" / "axe.min.js")
    session.run("pytest", "-m", "browser", "tests/browser", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Benchmark against plain Sphinx and sphinx-needs (e.g. `nox -s bench -- --sizes 200`)."""
    _install(session, ".[docs,bench]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff, mypy, then build the sdist and wheel, check them, and try the wheel alone."""
    _install(session, ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    dist = Path(tempfile.mkdtemp(prefix="dossier-dist-"))
    # The wheel is built from the sdist, so a file missing from the sdist fails here.
    session.run("python", "-m", "build", "--outdir", str(dist), ".")
    session.run("twine", "check", "--strict", *map(str, sorted(dist.iterdir())))
    session.run("python", "tests/packaging_check.py", str(dist))
    _wheel_alone(session, dist)


def _wheel_alone(session: nox.Session, dist: Path) -> None:
    """Install the wheel into a fresh venv with only its runtime dependencies, then
    check and build a three-record project (no MyST, Sphinx's default theme) and a
    project made by `init`."""
    work = Path(tempfile.mkdtemp(prefix="dossier-wheel-"))
    venv = work / "venv"
    session.run("python", "-m", "venv", str(venv))
    py = str(venv / "bin" / "python")
    wheel = next(dist.glob("*.whl"))
    session.run(py, "-m", "pip", "install", "--quiet", "-c", str(LOCK), str(wheel), external=True)
    project = work / "project"
    shutil.copytree(ROOT / "tests" / "roots" / "test-three-records", project)
    session.chdir(project)
    session.run(py, "-m", "sphinx_dossier", "check", "data", "--corpus", "corpus", external=True)
    session.run(py, "-m", "sphinx", *SPHINX_BUILD[1:], ".", "_build/html", external=True)
    # And a new dossier from `init`, which reads the schema files from the wheel.
    session.chdir(work)
    session.run(py, "-m", "sphinx_dossier", "init", "started", external=True)
    session.chdir(work / "started")
    session.run(py, "-m", "sphinx_dossier", "check", "data", "--corpus", "corpus", external=True)
    session.run(py, "-m", "sphinx", *SPHINX_BUILD[1:], ".", "_build/html", external=True)
    session.chdir(ROOT)
    shutil.rmtree(work)
    shutil.rmtree(dist)


@nox.session(python=PYTHON, default=False)
def lock(session: nox.Session) -> None:
    """Refresh constraints.txt: the newest releases pyproject.toml allows, one version each."""
    session.install("uv")
    session.run(
        "uv",
        "pip",
        "compile",
        "pyproject.toml",
        "--all-extras",
        "--universal",
        # One version of each package for every Python, so every machine builds alike.
        "--fork-strategy",
        "fewest",
        "--python-version",
        OLDEST_PYTHON,
        "--upgrade",
        "--quiet",
        "--custom-compile-command",
        "nox -s lock",
        "--output-file",
        str(LOCK),
        *session.posargs,
    )


@nox.session(python=PYTHON, default=False, reuse_venv=False)
def latest(session: nox.Session) -> None:
    """The tests on the newest releases of everything (no lock): tomorrow's breakage today."""
    session.install("--upgrade", "--upgrade-strategy", "eager", ".[docs,test]")
    session.run("pip", "list")
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session(python=OLDEST_PYTHON, default=False, reuse_venv=False)
def oldest(session: nox.Session) -> None:
    """The declared lower bounds (oldest Python, lowest Sphinx): the tests and the docs."""
    _install(session, "uv")
    # uv, because pip cannot resolve to the lowest versions a requirement allows.
    session.run(
        "uv",
        "pip",
        "install",
        "--quiet",
        "--python",
        str(Path(session.bin) / "python"),
        "--resolution",
        "lowest-direct",
        ".[docs,test]",
    )
    session.run("pip", "list")
    session.run("pytest", "-m", "not browser", *session.posargs)
    _build_docs(session, out=tempfile.mkdtemp(prefix="dossier-oldest-docs-"))


@nox.session(python=PYTHON, default=False)
def serve(session: nox.Session) -> None:
    """Build the site, then serve it on http://127.0.0.1:8000 (Ctrl-C stops)."""
    _install(session, ".[docs]")
    session.run(
        "sphinx-build", "-n", "-b", "html", "-d", "docs/_build/doctrees", "docs", "docs/_build/html"
    )
    session.run(
        "python",
        "-m",
        "http.server",
        "--bind",
        "127.0.0.1",
        "--directory",
        "docs/_build/html",
        *(session.posargs or ["8000"]),
    )
