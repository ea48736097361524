"""Links in views are resolved where the views are rendered, as the resolver would."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx_dossier.sphinx_ext import transforms
from sphinx_support import build, copy_root


def _outputs(outdir: Path) -> dict[str, bytes]:
    wanted = {".html", ".tex", ".txt"}
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.suffix in wanted
    }


@pytest.mark.parametrize("buildername", ["html", "singlehtml", "latex", "text"])
def test_direct_links_give_what_pending_references_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    direct = build(copy_root("dossier", tmp_path / "direct"), buildername=buildername)
    made: list[str] = []
    original = transforms.ViewRenderer.link

    def counted(self: transforms.ViewRenderer, *args: object, **kwargs: object) -> object:
        node = original(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(type(node).__name__)
        return node

    monkeypatch.setattr(transforms.ViewRenderer, "link", counted)
    counted_build = build(copy_root("dossier", tmp_path / "counted"), buildername=buildername)
    # Every view link of this root resolves: none is left to the resolver.
    assert made and set(made) == {"reference"}
    monkeypatch.setattr(
        transforms.ViewRenderer,
        "__init__",
        lambda self, refdoc, known, resolve=None: (
            setattr(self, "refdoc", refdoc)
            or setattr(self, "known", known)
            or setattr(self, "resolve", None)
        ),
    )
    pending = build(copy_root("dossier", tmp_path / "pending"), buildername=buildername)
    assert direct.warning_lines() == pending.warning_lines() == counted_build.warning_lines()
    ours, theirs = _outputs(direct.outdir), _outputs(pending.outdir)
    assert ours.keys() == theirs.keys() and ours
    # The two builds differ in their folders' names only (LaTeX writes none of them).
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert differing == []
