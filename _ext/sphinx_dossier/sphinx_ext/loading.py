"""Loading the dataset once per build and reporting its problems as Sphinx warnings."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_dossier.core.fsio import atomic_write, describe_os_error
from sphinx_dossier.sphinx_ext._shared import (
    display_location,
    dossier_domain,
    logger,
    report_problem,
)
from sphinx_dossier.sphinx_ext.config import corpus_dir, data_dir

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_dossier.core.dataset import Dataset


REFERENCE_SUBTYPES = frozenset({"reference", "claim-reference"})
CACHE_FILE = "dossier-dataset.pickle"
CACHE_VERSION = 4  # 4: the pickled Dataset classes moved into core/


def code_key() -> str:
    """A digest of the extension's own modules (name, size, mtime).

    The code decides what a loaded dataset looks like, so results made by other code
    are never reused.
    """
    digest = hashlib.sha256(str(CACHE_VERSION).encode())
    package = Path(__file__).parent.parent  # the whole sphinx_dossier package
    for module in sorted(package.rglob("*.py")):  # subpackages too
        stat = module.stat()
        name = module.relative_to(package).as_posix()
        digest.update(f"{name}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


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


def walk_files(folder: str, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    """``(relative posix name, stat)`` of every regular file under ``folder``.

    os.scandir rather than Path.rglob: this runs at every build over every data and
    corpus file, and pathlib objects cost more than the stat calls.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = prefix + entry.name
        try:
            # Never into a linked folder: a link to a parent would loop for ever (the
            # loader reports linked folders as layout errors; it reads none of them).
            if entry.is_dir(follow_symlinks=False):
                yield from walk_files(entry.path, name + "/")
            elif entry.is_file(follow_symlinks=True):
                yield name, entry.stat(follow_symlinks=True)
        except OSError:
            continue


def _load_or_reuse(app: Sphinx) -> tuple[Dataset, str]:
    """Dataset.load (and the fingerprint of its input files), or the previous build's result
    when no input file changed.

    Loading validates every record and hashes the corpus, which dominates small
    rebuilds; the cache sits beside Sphinx's own environment pickle and is keyed
    by the size and mtime of every data and corpus file and of this package. When
    some files changed, the previous result still spares re-reading the others
    (``Dataset.load(reuse=...)``), as long as it was made with the same settings
    and code.
    """
    from sphinx_dossier.core.dataset import Dataset

    data, corpus = data_dir(app), corpus_dir(app)
    max_words = app.config.dossier_quote_max_words
    settings = (str(data), str(corpus), max_words)
    key = _fingerprint(data, corpus, settings)
    same_code = (code_key(), settings)
    cache = Path(app.doctreedir) / CACHE_FILE
    reuse: Dataset | None = None
    if not app.fresh_env_used and cache.is_file():
        try:
            with cache.open("rb") as stream:
                cached_key, cached_code, cached = pickle.load(stream)
            if isinstance(cached, Dataset) and cached_code == same_code:
                if cached_key == key:
                    return cached, key
                reuse = cached
        except Exception:  # a truncated or outdated cache is simply rebuilt
            logger.info("dossier: dataset cache unreadable, loading the data again")
    dataset = Dataset.load(data, corpus_dir=corpus, max_quote_words=max_words, reuse=reuse)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        state = pickle.dumps((key, same_code, dataset), protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(cache, state)
    except OSError as error:
        logger.info("dossier: cannot write the dataset cache (%s)", describe_os_error(error))
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
