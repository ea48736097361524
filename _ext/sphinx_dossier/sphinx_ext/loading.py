"""Loading the dataset once per build and reporting its problems as Sphinx warnings."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_dossier.sphinx_ext._shared import (
    display_location,
    dossier_domain,
    report_problem,
)
from sphinx_dossier.sphinx_ext.cache import CACHE_VERSION, JournaledCache, code_key, walk_files
from sphinx_dossier.sphinx_ext.config import corpus_dir, data_dir

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import Dataset


REFERENCE_SUBTYPES = frozenset({"reference", "claim-reference"})
CACHE_FILE = "dossier-dataset.pickle"


def _fingerprint(data: Path, corpus: Path | None, settings: tuple[object, ...]) -> str:
    """A digest of the input files, of ``settings`` and of the extension's code.

    Corpus texts count by their content: they are the evidence, and an edit that
    keeps the size and restores the modification time must not go unnoticed. Data
    files count by name, size, inode and both the modification and the change time
    (``st_ctime``, which no tool can set back), so reading thousands of records is
    not needed to see that none changed.
    """
    digest = hashlib.sha256(repr((CACHE_VERSION, settings, code_key())).encode())
    digest.update(f"\0{data}\0".encode())
    if data.is_dir():
        for name, stat in sorted(walk_files(str(data), "")):
            stamp = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
            digest.update(f"{name}\0{stamp}\n".encode())
    digest.update(f"\0{corpus}\0".encode())
    if corpus is not None and corpus.is_dir():
        for name, _ in sorted(walk_files(str(corpus), "")):
            try:
                content = hashlib.sha256((corpus / name).read_bytes()).hexdigest()
            except OSError:
                content = "unreadable"
            digest.update(f"{name}\0{content}\n".encode())
    return digest.hexdigest()


def _load_or_reuse(app: Sphinx) -> tuple[Dataset, str]:
    """Dataset.load (and the fingerprint of its input files), or the previous build's result
    when no input file changed.

    Loading validates every record and hashes the corpus, which dominates small
    rebuilds; the cache (a whole copy and a journal of what changed since, see
    :class:`~sphinx_dossier.sphinx_ext.cache.JournaledCache`) sits beside Sphinx's own
    environment pickle and is keyed
    by the size and mtime of every data and corpus file and of this package. When
    some files changed, the previous result still spares re-reading the others
    (``Dataset.load(reuse=...)``), as long as it was made with the same settings
    and code.
    """
    from sphinx_dossier.core.dataset import Dataset
    from sphinx_dossier.core.evidence import EvidenceRules

    data, corpus = data_dir(app), corpus_dir(app)
    rules = EvidenceRules(
        max_quote_words=app.config.dossier_quote_max_words,
        min_quote_words=app.config.dossier_quote_min_words,
        paraphrase_words=app.config.dossier_paraphrase_words,
    )
    # Today's date is a setting too: a source dated tomorrow stops being an error then.
    settings = (str(data), str(corpus), repr(rules))
    key = _fingerprint(data, corpus, settings)
    cache = JournaledCache(app, CACHE_FILE, "dataset", scope=settings)
    reuse: Dataset | None = None
    cached = cache.load()
    if cached is not None:
        try:
            reuse = Dataset.from_cache_parts(cached)
        except (KeyError, TypeError, ValueError, AttributeError):  # another shape
            reuse = None
        if reuse is not None and cached.get("key") == key:
            return reuse, key
    dataset = Dataset.load(data, corpus_dir=corpus, rules=rules, reuse=reuse, keep_indexes=True)
    cache.store({"key": key, **dataset.cache_parts()})
    return dataset, key


def load_dataset(app: Sphinx) -> Dataset:
    """Load and validate the data directory; emit every problem, each at its YAML line."""
    dataset, key = _load_or_reuse(app)
    for problem in dataset.problems:
        report_problem(problem)
    domain = dossier_domain(app.env)
    domain.dataset = dataset
    domain.dataset_key = key
    # The loader already reports dangling references at their YAML line; the
    # write-time resolver must not report them a second time.
    reported: dict[str, list[str]] = {}
    for problem in dataset.problems:
        if str(getattr(problem.subtype, "value", problem.subtype)) in REFERENCE_SUBTYPES:
            where = display_location(problem.path, problem.line)
            reported.setdefault(where, []).append(problem.message)
    domain.reported_references = reported
    return dataset
