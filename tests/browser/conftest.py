"""Fixtures for the browser tests: the built site, a local HTTP server, a headless Chromium.

The site comes from ``DOSSIER_SITE`` (a built HTML directory) or is built once per session
from a copy of docs/ and data/ in a temp dir (never inside the repository). Chromium is the
system one (``DOSSIER_CHROMIUM`` or ``chromium`` on PATH); Playwright never downloads a
browser. axe-core comes from ``AXE_CORE_JS`` or a local ``node_modules``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_support import ROOT, PageLog

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_CANDIDATES = (
    ROOT / ".nox" / "axe" / "node_modules" / "axe-core" / "axe.min.js",
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built HTML site: DOSSIER_SITE, or a fresh build of docs/ + data/ in a temp dir."""
    given = os.environ.get("DOSSIER_SITE")
    if given:
        path = Path(given).resolve()
        if not (path / "index.html").is_file():
            pytest.fail(f"DOSSIER_SITE={given} has no index.html; build the site first")
        return path
    work = tmp_path_factory.mktemp("site")
    shutil.copytree(
        ROOT / "docs", work / "docs", ignore=shutil.ignore_patterns("_build", "records")
    )
    shutil.copytree(ROOT / "data", work / "data")
    if (ROOT / "schema").is_dir():
        shutil.copytree(ROOT / "schema", work / "schema")
    env = dict(os.environ)
    corpus = env.get("DOSSIER_CORPUS")
    if corpus:
        env["DOSSIER_CORPUS"] = str((ROOT / corpus).resolve())
    out = work / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(work / "docs"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0 or not (out / "index.html").is_file():
        pytest.fail(f"site build failed:\n{result.stdout}\n{result.stderr}")
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def chromium_path() -> str:
    path = os.environ.get("DOSSIER_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("no system Chromium: apt-get install chromium (or set DOSSIER_CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    given = os.environ.get("AXE_CORE_JS")
    candidates = [Path(given)] if given else list(AXE_CANDIDATES)
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.fail(
        "axe-core not found: run `npm install --no-save --prefix .nox/axe axe-core` "
        "or set AXE_CORE_JS to axe.min.js"
    )


@pytest.fixture
def open_page(browser: Any, server: str) -> Iterator[Any]:
    """Factory: open(path, width=..., scheme=..., touch=...) -> (page, log); pages close
    afterwards. ``touch`` makes a phone: a touch screen and a mobile viewport."""
    contexts: list[Any] = []
    base_netloc = urlsplit(server).netloc

    def _open(
        path: str, *, width: int = 1280, scheme: str = "light", touch: bool = False
    ) -> tuple[Any, PageLog]:
        context = browser.new_context(
            viewport={"width": width, "height": 844 if touch else 900},
            color_scheme=scheme,
            device_scale_factor=1,
            has_touch=touch,
            is_mobile=touch,
        )
        contexts.append(context)
        page = context.new_page()
        log = PageLog(server)

        def on_route(route: Any) -> None:
            url = route.request.url
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about") or parts.netloc == base_netloc:
                route.continue_()
            else:
                log.foreign.append(url)
                route.abort()

        page.route("**/*", on_route)
        page.on(
            "console",
            lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: log.console_errors.append(str(exc)))
        page.on(
            "requestfailed",
            lambda req: (
                log.failed.append(req.url) if urlsplit(req.url).netloc == base_netloc else None
            ),
        )
        page.on(
            "response",
            lambda resp: (
                log.failed.append(f"{resp.status} {resp.url}") if resp.status >= 400 else None
            ),
        )
        page.goto(server + path, wait_until="load")
        return page, log

    yield _open
    for context in contexts:
        context.close()
