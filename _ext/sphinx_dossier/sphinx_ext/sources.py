""" "View page source" of a record page shows the record's YAML, not its page stub.

Sphinx copies each page's source file to ``_sources/`` for the theme's source link.
A record page's source is a three-line stub; the link is pointed at
``_sources/<page>.yaml.txt`` instead, and that file holds the record's YAML.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_dossier.core.fsio import atomic_write
from sphinx_dossier.sphinx_ext._shared import dossier_domain, write_warning
from sphinx_dossier.sphinx_ext.buildctx import is_epub

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _yaml_sourcename(app: Sphinx, docname: str) -> str:
    suffix = str(app.config.html_sourcelink_suffix)
    return f"{docname}.yaml" + ("" if suffix == ".yaml" else suffix)


def _record_files(app: Sphinx) -> dict[str, Path]:
    """docname of every record page -> its YAML file."""
    domain = dossier_domain(app.env)
    dataset = domain.dataset
    if dataset is None:
        return {}
    found = {}
    for record_id, entry in domain.records.items():
        loaded = dataset.records.get(record_id)
        if loaded is not None:
            found[entry.docname] = Path(loaded.path)
    return found


def _copies_sources(app: Sphinx) -> bool:
    builder = app.builder
    return bool(
        builder.format == "html"
        and not is_epub(builder)
        and getattr(builder, "copysource", False)
        and app.config.html_copy_source
    )


#: The record pages this process wrote in the running build, by builder: Sphinx copies
#: each one's stub over its YAML copy, which :func:`copy_yaml_sources` then puts back.
_WRITTEN: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def point_source_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """html-page-context: a record page's source link names its YAML copy."""
    if not context.get("sourcename") or not _copies_sources(app):
        return
    domain = dossier_domain(app.env)
    record_id = pagename.rsplit("/", 1)[-1]
    entry = domain.records.get(record_id)
    if entry is not None and entry.docname == pagename:
        context["sourcename"] = _yaml_sourcename(app, pagename)
        _WRITTEN.setdefault(app.builder, set()).add(pagename)


def copy_yaml_sources(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: ``_sources/<page>.yaml.txt`` is the record's YAML.

    Sphinx copies the stub there when it writes the page; this puts the YAML back,
    writing only files whose text differs. A page this process wrote is compared
    whole; so is every page when other processes wrote some (``-j``), since their
    pages are not known here. The others were not touched by this build, and a copy
    of the same size as the YAML is taken as current: a record's file cannot change
    without its page being written again (reading both files of every record took
    0.1 s of an edit rebuild at 1,000 records).
    """
    if exception is not None or not _copies_sources(app):
        return
    written = _WRITTEN.pop(app.builder, set())
    compare_all = app.parallel > 1
    sources = Path(app.builder.outdir) / "_sources"
    for docname, path in sorted(_record_files(app).items()):
        target = sources / _yaml_sourcename(app, docname)
        try:
            if not compare_all and docname not in written:
                try:
                    if target.stat().st_size == path.stat().st_size:
                        continue
                except OSError:
                    pass
            text = path.read_text(encoding="utf-8")
            try:
                if target.read_text(encoding="utf-8") == text:
                    continue
            except OSError:
                target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, text)
        except OSError as error:
            where = Path(error.filename) if error.filename else target
            write_warning(where, error, "free some space or make the output folder writable")
            return


def setup_sources(app: Sphinx) -> None:
    app.connect("html-page-context", point_source_link)
    app.connect("build-finished", copy_yaml_sources)
