"""The real dataset under data/: the checker is clean and every quote is found in the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from corpus_support import require_corpus
from sphinx_dossier.core.dataset import Dataset
from sphinx_dossier.core.kinds import KINDS
from sphinx_dossier.core.schema import schema_text
from sphinx_dossier.core.yamlload import load_yaml_file

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def test_real_data_is_clean_and_every_quote_is_verified() -> None:
    ds = Dataset.load(DATA, corpus_dir=require_corpus())
    assert ds.ok, "\n".join(str(p) for p in ds.errors)
    # Only notes: a quote the source prints twice (a caption, a headline) is ambiguous
    # however long it is; nothing else may be reported.
    others = [p for p in ds.problems if p.subtype != "quote-ambiguous" or p.severity != "info"]
    assert others == [], "\n".join(map(str, others))
    assert ds.corpus.quotes_total > 0
    assert ds.corpus.quotes_verified == ds.corpus.quotes_total
    assert not ds.corpus.missing


def test_real_data_has_every_kind() -> None:
    ds = Dataset.load(DATA, corpus_dir=require_corpus())
    for kind in KINDS:
        assert ds.by_kind(kind), f"no {kind} records in data/"
    assert len(ds.records) == ds.files


def test_real_records_satisfy_the_committed_json_schema() -> None:
    # The editor-facing schema must accept what the model accepts.
    for kind in KINDS:
        schema = json.loads(schema_text(kind))
        for path in sorted((DATA / f"{kind}s").glob("*.yaml")):
            data = load_yaml_file(path).data
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=str)
            assert not errors, f"{path}: {errors[0].message}"
