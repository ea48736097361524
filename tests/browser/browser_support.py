"""Shared bits of the browser tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


@dataclass
class PageLog:
    """What a page did on the network and the console."""

    base: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console: {m}" for m in self.console_errors]
            + [f"failed request: {u}" for u in self.failed]
            + [f"request to another host: {u}" for u in self.foreign]
        )
