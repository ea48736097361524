"""Page stubs for records and listings, written into the source dir at builder-inited.

Each stub is a tiny reST file (suffix ``.dossier``) whose directive renders the
record from the dataset; the stub itself never changes when the record does (the directive
notes the YAML file as a dependency), so only edited records are re-read.
The stub folder belongs to the extension: files in it that no record needs
any more are deleted, and so is the HTML Sphinx leaves behind for them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx import addnodes

from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.fsio import atomic_write
from sphinx_dossier.core.layout import KIND_DIRS, LISTINGS
from sphinx_dossier.sphinx_ext._shared import (
    display_location,
    dossier_domain,
    logger,
    warn,
    write_warning,
)
from sphinx_dossier.sphinx_ext.browse import as_of_stubs
from sphinx_dossier.sphinx_ext.cache import BuildCache, walk_files
from sphinx_dossier.sphinx_ext.loading import load_dataset

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


LISTING_TITLES = {
    "timeline": "Timeline",
    "actors": "Actors",
    "agreements": "Agreements",
    "sources": "Sources",
}
LISTING_INTROS = {
    "timeline": "Every event, oldest first, grouped by year. Planned events are marked."
    " With JavaScript, the controls above the list filter it by agreement, actor, status"
    " and year; the pages at the end show what the sources knew at each of their dates.",
    "actors": "States, organizations and people, grouped by kind.",
    "agreements": "The agreements and arrangements the records refer to.",
    "sources": "The articles every claim is drawn from, by publication date.",
}


AS_OF_HEADING = "What the sources knew, date by date"
AS_OF_INTRO = (
    "One page per source publication date: the events the sources published by then"
    " reported, as having happened or as planned, and the roles they observed."
)

#: File suffix of record stubs: reST, read by ``stubparser.StubParser`` (see setup_pages).
STUB_SUFFIX = ".dossier"
#: Their file type (``source_suffix``), which ``StubParser`` is registered for.
STUB_FILETYPE = "dossier"


def record_stub(record_id: str) -> str:
    # Record pages stay out of the toctree (orphan): the theme's navigation
    # tree is rendered into every page, and thousands of entries make the
    # build quadratic. Listings and domain indices link to them instead.
    # The stub is reST under its own suffix: per page, MyST's set-up costs more
    # than the record itself, and the suffix leaves the project's .rst alone.
    return f":orphan:\n\n.. dossier:record:: {record_id}\n"


#: The domain index (indices.py) matching each listing: Sphinx labels it dossier-<name>.
LISTING_INDICES = {
    "timeline": "events",
    "actors": "actors",
    "agreements": "agreements",
    "sources": "sources",
}

#: Figures shown before (timeline) or after (agreements) a listing.
LISTING_FIGURES = {"timeline": "timeline-figure", "agreements": "involvement-matrix"}


def listing_stub(name: str) -> str:
    """reST, like the record stubs: the extension must not need MyST (a project may
    have only reST pages, and a listing page would then silently be missing)."""
    figure = f".. dossier:{LISTING_FIGURES[name]}::\n" if name in LISTING_FIGURES else ""
    listing = f".. dossier:listing:: {name}\n"
    body = (
        figure + "\n" + listing
        if name == "timeline"
        else listing + ("\n" + figure if figure else "")
    )
    if name == "timeline":
        # -- browse: the list of "as of" pages (browse.py)
        rule = "-" * len(AS_OF_HEADING)
        body += f"\n{AS_OF_HEADING}\n{rule}\n\n{AS_OF_INTRO}\n\n.. dossier:as-of::\n"
    index = f":ref:`dossier-{LISTING_INDICES[name]}`"
    intro = f"{LISTING_INTROS[name]}\nThe same as a compact list: {index}."
    title = LISTING_TITLES[name]
    # Orphan: a project that leaves the listings out of its toctree gets one
    # dossier.toctree warning saying what to add (check_listings), not Sphinx's four.
    return f":orphan:\n\n{title}\n{'=' * len(title)}\n\n{intro}\n\n{body}"


def wanted_stubs(app: Sphinx) -> dict[str, str]:
    """Every stub file this build needs, relative to the pages dir (posix), with its content."""
    dataset = load_dataset(app)
    stubs: dict[str, str] = {}
    for kind, folder in KIND_DIRS.items():
        for loaded in dataset.by_kind(kind):
            stubs[f"{folder}/{loaded.record.id}{STUB_SUFFIX}"] = record_stub(str(loaded.record.id))
    for name in LISTINGS:
        stubs[f"{name}{STUB_SUFFIX}"] = listing_stub(name)
    # -- browse: one "as of" page per source date (browse.py)
    stubs.update(as_of_stubs(dataset, app.config, STUB_SUFFIX, dossier_domain(app.env)))
    return stubs


#: In the doctree folder: a digest of the stubs wanted and of the stub files on disk.
STUBS_KEY_FILE = "dossier-stubs.pickle"


def _generated_files(root: Path) -> dict[str, tuple[int, int]]:
    """Files in the pages dir the extension owns: relative posix name -> (mtime, size)."""
    if not root.is_dir():
        return {}
    return {
        name: (stat.st_mtime_ns, stat.st_size)
        for name, stat in walk_files(str(root), "")
        # *.md: earlier versions wrote the listings as MyST files.
        if name.endswith((".md", STUB_SUFFIX))
    }


def _stubs_key(stubs: dict[str, str], files: dict[str, tuple[int, int]]) -> str:
    material = repr((sorted(stubs.items()), sorted(files.items())))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _sync_stubs(
    root: Path, stubs: dict[str, str], files: dict[str, tuple[int, int]]
) -> tuple[int, int]:
    """Write the stubs that differ, delete the unwanted ones; (written, removed)."""
    written = 0
    for relative, content in stubs.items():
        path = root / relative
        try:
            if path.read_text(encoding="utf-8") == content:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, content)
        written += 1
    removed = 0
    for relative in sorted(files.keys() - stubs.keys()):
        (root / relative).unlink(missing_ok=True)
        removed += 1
    if root.is_dir():
        for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return written, removed


#: Written into the pages dir, so version control ignores the generated pages by itself.
GITIGNORE = "# Pages sphinx-dossier generates at every build: never commit them.\n*\n"


def _ignore_folder(root: Path) -> None:
    """``<pages dir>/.gitignore`` ignoring the folder, itself included (as venv does)."""
    path = root / ".gitignore"
    if root.is_dir() and not path.exists():
        atomic_write(path, GITIGNORE)


def write_stubs(app: Sphinx) -> None:
    """builder-inited: load the dataset, (re)write changed stubs, delete unneeded ones.

    When the stubs wanted and the files on disk (names, sizes, mtimes) are as the
    previous build left them, nothing is read or written: with thousands of records,
    comparing every stub was a visible part of an edit rebuild.
    """
    if not app.config.dossier_generate:
        return
    root = Path(app.srcdir) / app.config.dossier_pages_dir
    stubs = wanted_stubs(app)
    key_file = BuildCache(app, STUBS_KEY_FILE, "page stubs")
    files = _generated_files(root)
    if files.keys() == stubs.keys() and key_file.load() == _stubs_key(stubs, files):
        logger.info("dossier: %d page stubs (none changed)", len(stubs))
        _ignore_folder(root)
        return
    try:
        written, removed = _sync_stubs(root, stubs, files)
        _ignore_folder(root)
    except OSError as error:
        where = Path(error.filename) if error.filename else root
        write_warning(where, error, "make the folder writable, or set dossier_pages_dir")
        return
    key_file.store(_stubs_key(stubs, _generated_files(root)))
    logger.info("dossier: %d page stubs (%d written, %d removed)", len(stubs), written, removed)


def remove_stale_output(
    app: Sphinx,
    env: BuildEnvironment,
    added: Set[str],
    changed: Set[str],
    removed: Set[str],
) -> list[str]:
    """env-get-outdated: delete the output Sphinx keeps for removed documents."""
    builder = app.builder
    get_outfilename = getattr(builder, "get_outfilename", None)
    if get_outfilename is None:
        return []
    outdir = Path(builder.outdir)
    for docname in sorted(removed):
        Path(get_outfilename(docname)).unlink(missing_ok=True)
        sources = outdir / "_sources" / Path(docname).parent
        if sources.is_dir():
            for copy in sources.glob(Path(docname).name + ".*"):
                copy.unlink()
    return []


def check_listings(app: Sphinx, env: BuildEnvironment) -> None:
    """env-check-consistency: the listing pages in no toctree, with the toctree to add.

    Without them in the toctree the site has no way to its lists, and builders that
    assemble one document (LaTeX, EPUB...) leave the listings and every record out.
    """
    if not app.config.dossier_generate:
        return
    included = {doc for docs in env.toctree_includes.values() for doc in docs}
    pages = app.config.dossier_pages_dir
    missing = [f"{pages}/{name}" for name in LISTINGS if f"{pages}/{name}" not in included]
    missing = [docname for docname in missing if docname in env.all_docs]
    if not missing:
        return
    root = str(app.config.root_doc)
    where = None
    if root in env.all_docs:
        # At the root page's first toctree, where the lines go; else its first line.
        toctrees = env.get_doctree(root).findall(addnodes.toctree)
        line = next((node.line for node in toctrees if node.line), 1)
        where = display_location(env.doc2path(root), line)
    entries = "".join(f"\n   {docname}" for docname in missing)
    warn(
        BuildWarning.TOCTREE,
        "the dossier's listing pages %s are in no toctree, so no page leads to them and"
        " builders such as latex and epub leave them and the records out; add to this"
        " page (MyST: the same lines in a ```{toctree} fence):\n\n.. toctree::\n%s\n",
        ", ".join(missing),
        entries,
        location=where,
    )


def setup_pages(app: Sphinx) -> None:
    # reST, read by stubparser.StubParser (registered for this file type).
    app.add_source_suffix(STUB_SUFFIX, STUB_FILETYPE)
    app.connect("builder-inited", write_stubs)
    app.connect("env-get-outdated", remove_stale_output)
    app.connect("env-check-consistency", check_listings)
