"""Developer and CI entry points: build the site, run the tests, lint."""

from __future__ import annotations

from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.sessions = ["docs", "tests", "lint"]
nox.options.reuse_venv = "yes"

PYTHON = "3"


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the HTML site into docs/_build/html, failing on any warning."""
    session.install(".")
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-n",
        "-b",
        "html",
        *session.posargs,
        "docs",
        "docs/_build/html",
    )


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest arguments after --)."""
    session.install(".[test]")
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session(python=PYTHON, default=False)
def browser(session: nox.Session) -> None:
    """Browser tests of a fresh build in system Chromium (apt-get install chromium; npm)."""
    session.install(".[test]", "playwright")
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
    session.install(".", "sphinx-needs", "matplotlib", "psutil")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff lint and format check, mypy on the extension."""
    session.install(".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(python=PYTHON, default=False)
def serve(session: nox.Session) -> None:
    """Build the site, then serve it on http://127.0.0.1:8000 (Ctrl-C stops)."""
    session.install(".")
    session.run("sphinx-build", "-n", "-b", "html", "docs", "docs/_build/html")
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
