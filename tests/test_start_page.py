"""docs/start.md: the commands a new user runs, run exactly as the page writes them."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "start.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    block = re.search(r"<!-- start:.*?-->\n```sh\n(.*?)```", PAGE, re.S)
    assert block is not None, "docs/start.md: no marked command block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_start_page_works_as_written(tmp_path: Path) -> None:
    # The venv's scripts (sphinx-dossier, sphinx-build) first on PATH, as after install.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DOSSIER_CORPUS", None)
    cwd = tmp_path
    outputs = []
    for line in _commands():
        words = shlex.split(line)
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        run = subprocess.run(words, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, f"{line}\n{run.stdout}\n{run.stderr}"
        outputs.append(run.stdout + run.stderr)
    # What the page says the steps print and write.
    said = re.search(r"ends with `(checked [^`]+)`", PAGE)  # the page's sample output
    assert said is not None and said.group(1) in outputs[1].splitlines(), outputs[1]
    assert (cwd / "_build" / "html" / "records" / "timeline.html").is_file()
    assert (cwd / "data" / "events" / "first-meeting.yaml").is_file()
    assert sorted(p.name for p in (cwd / "schema").iterdir()) == [
        "actor.schema.json",
        "agreement.schema.json",
        "event.schema.json",
        "source.schema.json",
    ]
    assert "records/" in (cwd / ".gitignore").read_text(encoding="utf-8")
