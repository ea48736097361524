"""The link crawler of the browser suite finds what it should (no browser needed)."""

from __future__ import annotations

from pathlib import Path

from browser_support import broken_links

PAGES = {
    "index.html": '<a href="a/b.html#here">ok</a> <a href="a/b.html#gone">bad anchor</a>'
    '<a href="missing.html">bad file</a> <a href="https://example.org/x#y">external</a>'
    '<a href="#top">self</a><p id="top"></p><a href="a/b.html#:~:text=quote">fragment</a>',
    "a/b.html": '<h1 id="here">B</h1><a href="../index.html#top">back</a>'
    '<a href="../../outside.html">escape</a><img src="../img/x.png">',
    "img/x.png": "",
}


def test_crawler_reports_each_broken_link_and_nothing_else(tmp_path: Path) -> None:
    for name, text in PAGES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    broken, checked = broken_links(tmp_path)
    assert sorted(broken) == [
        "a/b.html: ../../outside.html (outside the site)",
        "index.html: a/b.html#gone (no #gone there)",
        "index.html: missing.html (no such file)",
    ]
    assert checked == 6
