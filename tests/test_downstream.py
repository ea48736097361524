"""What a downstream project gets without extra work: an ignored pages folder, and
record pages whose "View page source" shows the YAML."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sphinx_support import build, copy_root


def test_record_page_source_link_shows_the_yaml(tmp_path: Path) -> None:
    src = copy_root("three-records", tmp_path / "src")
    built = build(src)
    assert built.warning_lines() == []
    page = built.html("records/events/talks-resume-2020")
    link = re.search(r'href="([^"]*_sources/[^"]+)"', page)
    assert link is not None and link.group(1).endswith("talks-resume-2020.yaml.txt")
    copy = (built.outdir / "records" / "events" / link.group(1)).resolve()
    yaml = src / "data" / "events" / "talks-resume-2020.yaml"
    assert copy.read_text(encoding="utf-8") == yaml.read_text(encoding="utf-8")
    # Hand-written pages keep their own source.
    index = built.html("index")
    assert 'href="_sources/index.rst.txt"' in index
    # An edited record's copy follows on the next build.
    yaml.write_text(yaml.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    build(src)
    assert copy.read_text(encoding="utf-8").endswith("# edited\n")


def test_the_generated_pages_are_ignored_by_git(tmp_path: Path) -> None:
    src = copy_root("three-records", tmp_path / "src")
    subprocess.run(["git", "init", "-q", str(src)], check=True)
    build(src)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=src,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not [line for line in status.splitlines() if line[3:].startswith("records/")], status
    assert "index.rst" in status  # git does see the project's own files
    assert (src / "records" / ".gitignore").is_file()
