"""``core.asof``: the as-of pages of a dataset and the dates that fill them, without Sphinx."""

from __future__ import annotations

import os

import pytest
from site_build import ROOT
from sphinx_dossier.core.asof import as_of
from sphinx_dossier.core.dataset import Dataset


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load(ROOT / "data", corpus_dir=os.environ.get("DOSSIER_CORPUS"))


def test_one_page_per_source_date(dataset: Dataset) -> None:
    state = as_of(dataset)
    assert state.grouping == "day"
    assert [page.key for page in state.pages] == ["2016-10-27", "2016-11-12", "2019-11-13"]
    assert state.undated == ("vestnik-kavkaza-reuters-gsomia-scrapped",)
    assert len(state.pages[0].sources) == 2


def test_more_dates_than_the_cap_are_grouped_by_month_then_year(dataset: Dataset) -> None:
    # Three dates in three months of two years.
    assert as_of(dataset, 3).grouping == "day"
    state = as_of(dataset, 2)
    assert state.grouping == "year"
    assert [page.key for page in state.pages] == ["2016", "2019"]
    assert state.pages[0].cutoff.isoformat() == "2016-12-31"
    assert [page.key for page in as_of(dataset, 1).pages] == ["2019"]  # the latest kept
    assert as_of(dataset, 0).pages == []


def test_a_source_before_the_event_only_expects_it(dataset: Dataset) -> None:
    state = as_of(dataset)
    # Known from the 27 October 2016 sources, reported as held by the 12 November one.
    assert str(state.event_known["gsomia-talks-first-round-2016"]) == "2016-10-27"
    assert str(state.event_happened["gsomia-talks-first-round-2016"]) == "2016-11-12"
    # Planned events never count as having happened.
    assert "gsomia-expiry-2019" not in state.event_happened
    assert "gsomia-expiry-2019" in state.event_known
