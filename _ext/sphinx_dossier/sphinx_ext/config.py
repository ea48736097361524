"""Configuration values of the extension, all under the ``dossier_`` prefix."""

from __future__ import annotations

import atexit
import gc
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_dossier.core.asof import DEFAULT_AS_OF_PAGES
from sphinx_dossier.core.buildwarnings import BuildWarning
from sphinx_dossier.core.evidence import (
    DEFAULT_MAX_QUOTE_WORDS,
    DEFAULT_MIN_QUOTE_WORDS,
    DEFAULT_PARAPHRASE_WORDS,
)
from sphinx_dossier.outputs.figures import MATRIX_MAX_CELLS
from sphinx_dossier.outputs.license import License, LicenseError, resolve_license
from sphinx_dossier.sphinx_ext._shared import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class Option:
    """One configuration value: its name without prefix, default, types and help text."""

    name: str
    default: Any
    types: tuple[type, ...]
    description: str
    rebuild: str = "env"


OPTIONS: tuple[Option, ...] = (
    Option(
        "generate",
        True,
        (bool,),
        "Read the dataset and generate one page per record. False = consumer mode: "
        "register the domain and roles only (for projects linking here through intersphinx).",
    ),
    Option(
        "data_dir",
        "../data",
        (str,),
        "Directory holding sources/, actors/, agreements/, events/ (relative to the conf dir).",
    ),
    Option(
        "corpus_dir",
        None,
        (str, type(None)),
        "Directory of the source texts for the quote check; falls back to $DOSSIER_CORPUS.",
    ),
    Option(
        "pages_dir",
        "records",
        (str,),
        "Git-ignored folder of the source dir where record page stubs are generated; "
        "the extension owns it and deletes .md and .dossier files in it that no record needs.",
    ),
    Option(
        "std_labels",
        True,
        (bool,),
        "Also register every record id as a std label, so :ref: and :any: work "
        "(also from projects without this extension).",
    ),
    Option(
        "quote_max_words",
        DEFAULT_MAX_QUOTE_WORDS,
        (int,),
        "Longest quote (in words, dash- and slash-joined words counted one by one) a "
        "citation may carry.",
    ),
    Option(
        "quote_min_words",
        DEFAULT_MIN_QUOTE_WORDS,
        (int,),
        "Shortest quote (in words); a shorter one is allowed only for a name or number "
        "that the claim text states too.",
    ),
    Option(
        "paraphrase_words",
        DEFAULT_PARAPHRASE_WORDS,
        (int,),
        "Shortest run of consecutive words shared with a source, outside quotation marks, "
        "that the close-paraphrase rule reports (in claims and on evidence pages); 0 = off.",
    ),
    Option(
        "matrix_max_cells",
        MATRIX_MAX_CELLS,
        (int,),
        "Largest involvement matrix (involved actors x involved agreements) shown as a "
        "table; above it, one list per agreement names only its involved actors.",
        rebuild="html",
    ),
    Option(
        "as_of_pages",
        DEFAULT_AS_OF_PAGES,
        (int,),
        "Most 'as of' pages (what the sources published by a date reported): one per "
        "source publication date; with more dates, one per month, then per year, keeping "
        "the latest pages; 0 = none.",
    ),
    Option(
        "license",
        None,
        (str, dict, type(None)),
        "Licence of the dossier's own text and data: an SPDX id such as 'CC-BY-4.0', or a "
        "dict with 'name' and 'url'. It is written into dataset.json, the JSON-LD, the "
        "annotations, the SQLite database and the citations; quotes stay their publishers'.",
    ),
    Option(
        "toctree_builders",
        ["latex", "texinfo", "man", "singlehtml", "epub"],
        (list, tuple),
        "Builders whose output holds only the pages reachable from the toctree: for them "
        "each generated listing page lists its records in a hidden toctree, so that every "
        "record page is in the book (a section below its listing) and links to it work.",
        rebuild="",
    ),
    Option(
        "background_data_files",
        True,
        (bool,),
        "Make the data files of an HTML build in a forked process while Sphinx writes "
        "the pages (Linux, one-threaded builds); False makes them at the end of the build.",
        rebuild="",
    ),
    Option(
        "fast_exit",
        True,
        (bool,),
        "At the end of the sphinx-build process, leave the build's objects to the operating "
        "system instead of letting the garbage collector walk them all (about 1 s at 1,000 "
        "records); False restores Python's usual exit.",
        rebuild="",
    ),
)

PREFIX = "dossier_"


def setup_config(app: Sphinx) -> None:
    """Declare every option and validate them once the configuration is read."""
    for option in OPTIONS:
        app.add_config_value(
            PREFIX + option.name,
            option.default,
            option.rebuild,  # type: ignore[arg-type]
            types=option.types,
            description=option.description,
        )
    app.connect("config-inited", check_config)


def check_config(app: Sphinx, config: Config) -> None:
    """Report values of the wrong type or range, and fall back to the default."""
    for option in OPTIONS:
        name = PREFIX + option.name
        value = getattr(config, name)
        wrong_type = not isinstance(value, option.types) or (
            bool not in option.types and isinstance(value, bool)
        )
        if wrong_type:
            expected = " or ".join("None" if t is type(None) else t.__name__ for t in option.types)
            warn(
                BuildWarning.CONFIG,
                "%s must be %s, got %r; using the default %r",
                name,
                expected,
                value,
                option.default,
            )
            setattr(config, name, option.default)
    for name, least, default in (
        ("dossier_quote_max_words", 1, DEFAULT_MAX_QUOTE_WORDS),
        ("dossier_quote_min_words", 1, DEFAULT_MIN_QUOTE_WORDS),
        ("dossier_paraphrase_words", 0, DEFAULT_PARAPHRASE_WORDS),
        ("dossier_as_of_pages", 0, DEFAULT_AS_OF_PAGES),
    ):
        if getattr(config, name) < least:
            warn(
                BuildWarning.CONFIG,
                "%s must be at least %d, got %r; using %d",
                name,
                least,
                getattr(config, name),
                default,
            )
            setattr(config, name, default)
    if config.dossier_matrix_max_cells < 0:
        warn(
            BuildWarning.CONFIG,
            "dossier_matrix_max_cells must be at least 0, got %r; using %d",
            config.dossier_matrix_max_cells,
            MATRIX_MAX_CELLS,
        )
        config.dossier_matrix_max_cells = MATRIX_MAX_CELLS
    try:
        resolve_license(config.dossier_license)
    except LicenseError as error:
        warn(BuildWarning.CONFIG, "dossier_license: %s; using none", error)
        config.dossier_license = None
    builders = config.dossier_toctree_builders
    if not all(isinstance(name, str) for name in builders):
        default = next(o.default for o in OPTIONS if o.name == "toctree_builders")
        warn(
            BuildWarning.CONFIG,
            "dossier_toctree_builders must be a list of builder names, got %r; using %r",
            builders,
            default,
        )
        config.dossier_toctree_builders = list(default)
    if config.dossier_fast_exit:
        arm_fast_exit()
    pages_dir = Path(config.dossier_pages_dir)
    if pages_dir.is_absolute() or ".." in pages_dir.parts or not pages_dir.parts:
        warn(
            BuildWarning.CONFIG,
            "dossier_pages_dir must be a relative folder inside the source dir, got %r; "
            "using 'records'",
            config.dossier_pages_dir,
        )
        config.dossier_pages_dir = "records"


_fast_exit_armed = False


def arm_fast_exit() -> None:
    """Freeze every object at interpreter exit, so the final collections skip them.

    A build leaves millions of objects behind (doctrees, the environment, the dataset),
    many in reference cycles. At exit CPython runs full garbage collections over all of
    them only to free memory the operating system takes back anyway: at 1,000 records
    that was a fifth of an edit rebuild. ``gc.freeze`` moves them out of the collector's
    sight. It runs only at exit (an atexit handler), so a process that builds several
    times (tests, servers) collects as usual until then; reference counting still frees
    what it can, and other atexit handlers (logging's flush) run as before.
    """
    global _fast_exit_armed
    if not _fast_exit_armed:
        atexit.register(gc.freeze)
        _fast_exit_armed = True


def license_of(config: Config) -> License | None:
    """The licence ``dossier_license`` names (checked at ``config-inited``)."""
    try:
        return resolve_license(config.dossier_license)
    except LicenseError:
        return None


def data_dir(app: Sphinx) -> Path:
    """The data directory, made absolute against the conf dir.

    Links are kept (``os.path.abspath``, not ``resolve``): messages name the path the
    user knows, as the checker does.
    """
    return Path(os.path.abspath(Path(app.confdir) / str(app.config.dossier_data_dir)))


def corpus_dir(app: Sphinx) -> Path | None:
    """The corpus directory: ``dossier_corpus_dir`` (relative to the conf dir), else
    ``$DOSSIER_CORPUS`` (relative to the working directory), else None.

    The same rules as the command line's (:func:`sphinx_dossier.core.corpus.resolve_corpus_dir`):
    a blank ``DOSSIER_CORPUS`` means no corpus.
    """
    from sphinx_dossier.core.corpus import resolve_corpus_dir

    value = app.config.dossier_corpus_dir
    explicit = Path(app.confdir) / str(value) if value else None
    found = resolve_corpus_dir(explicit)
    return Path(os.path.abspath(found)) if found is not None else None
