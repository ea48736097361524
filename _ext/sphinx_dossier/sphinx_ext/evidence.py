"""Hand-written evidence pages: every paragraph cites a claim or record, and none copies
a run of words from a source.

A page is an evidence page when its front matter (MyST) or its first field list
(reST) says ``dossier-evidence: true``. Paragraphs inside admonitions (notes, tips),
topics, sidebars, footnotes and captions say how to read the page, not what happened,
and are not checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.corpus import Corpus, normalise
from sphinx_dossier.core.evidence import PhraseIndex, outside_quotes
from sphinx_dossier.core.model import Source
from sphinx_dossier.sphinx_ext._shared import dossier_domain, warn
from sphinx_dossier.sphinx_ext.config import corpus_dir
from sphinx_dossier.sphinx_ext.heap import forget_at_exit

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["EVIDENCE_KEY", "check_evidence_page", "setup_evidence"]

#: The front-matter key that makes a page an evidence page.
EVIDENCE_KEY = "dossier-evidence"

_EXEMPT = (
    nodes.Admonition,
    nodes.topic,
    nodes.sidebar,
    nodes.footnote,
    nodes.citation,
    nodes.caption,
    nodes.legend,
    nodes.field_list,
)
_phrases: dict[tuple[object, ...], PhraseIndex] = {}


def forget_phrases() -> None:
    """Drop the kept phrase index (the process is ending: :mod:`.heap`)."""
    _phrases.clear()


def _is_evidence_page(app: Sphinx, docname: str) -> bool:
    value = app.env.metadata.get(docname, {}).get(EVIDENCE_KEY)
    return str(value).strip().lower() in ("true", "yes", "1", "on")


def _phrase_index(app: Sphinx) -> PhraseIndex | None:
    size = int(app.config.dossier_paraphrase_words)
    directory = corpus_dir(app)
    dataset = getattr(dossier_domain(app.env), "dataset", None)
    if size <= 0 or directory is None or not directory.is_dir() or dataset is None:
        return None
    sources = sorted((loaded.id, loaded.record_as(Source)) for loaded in dataset.by_kind("source"))
    key = (str(directory), size, tuple((sid, src.document, src.sha256) for sid, src in sources))
    if key not in _phrases:
        corpus = Corpus(Path(directory))
        documents = {sid: corpus.document(src.document) for sid, src in sources}
        _phrases.clear()
        _phrases[key] = PhraseIndex(
            {sid: doc for sid, doc in documents.items() if doc is not None}, size
        )
    return _phrases[key]


def _cites(paragraph: nodes.paragraph) -> bool:
    return any(
        node.get("refdomain") == "dossier" for node in paragraph.findall(addnodes.pending_xref)
    )


def _exempt(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _EXEMPT):
            return True
        parent = parent.parent
    return False


def check_evidence_page(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: the evidence rules on one hand-written page."""
    docname = app.env.docname
    if not _is_evidence_page(app, docname):
        return
    phrases = _phrase_index(app)
    checked: list[tuple[nodes.paragraph, str]] = []
    for paragraph in doctree.findall(nodes.paragraph):
        if _exempt(paragraph):
            continue
        text = " ".join(paragraph.astext().split())
        if not text:
            continue
        checked.append((paragraph, text))
        if not _cites(paragraph):
            shown = text if len(text) <= 60 else text[:57] + "..."
            warn(
                BuildWarning.EVIDENCE,
                "paragraph of an evidence page cites no claim or record (%r): link the claim"
                " or record that backs it, or move text about the page itself into a note",
                shown,
                location=paragraph,
            )
    if phrases is None:
        return
    found = phrases.runs_many([outside_quotes(normalise(text)) for _p, text in checked])
    for (paragraph, _text), runs in zip(checked, found, strict=True):
        if runs:
            run = runs[0]
            doc = phrases.documents[run.source]
            warn(
                BuildWarning.PAGE_PARAPHRASE,
                "paragraph repeats %d consecutive words of %s (line %d of %s): %r; say it"
                " in our own words, or quote the source",
                run.length,
                run.source,
                run.line,
                doc.path.name,
                run.text,
                location=paragraph,
            )


def setup_evidence(app: Sphinx) -> None:
    """Check evidence pages once their metadata is collected (after Sphinx's collectors)."""
    forget_at_exit(forget_phrases)
    app.connect("doctree-read", check_evidence_page, priority=900)
