"""The collector tuning: a large corp view is frozen out of the collector's walk once loaded,
a small one is left alone (tests load thousands of small views)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from daka.services.corpview import CorpViews
from daka.services.heap import LARGE_VIEW, YOUNG, tune_collector
from daka.storage.store import Store
from tests.crowd import load_crowd


@pytest.fixture
def unfrozen() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def frozen_after_loading(store: Store, people: int) -> int:
    corp_id = load_crowd(store, people)
    gc.unfreeze()
    with store.read() as conn:
        CorpViews(store).get(conn, corp_id)
    return gc.get_freeze_count()


def test_a_large_corps_view_is_frozen_out_of_the_collectors_walk(store: Store, unfrozen) -> None:
    assert frozen_after_loading(store, LARGE_VIEW) > 0


def test_a_small_corps_view_is_left_to_the_collector(store: Store, unfrozen) -> None:
    assert frozen_after_loading(store, 20) == 0


def test_serving_processes_keep_a_larger_young_generation(unfrozen) -> None:
    tune_collector()
    assert gc.get_threshold()[0] == YOUNG > 700
