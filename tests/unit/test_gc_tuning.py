"""GC tuning: thresholds applied and startup objects frozen when the engine starts; bad settings refused."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from crawler.extensions.gc_tuning import GcTuning


def _crawler(thresholds) -> SimpleNamespace:
    return SimpleNamespace(settings=Settings({"GC_THRESHOLDS": thresholds}),
                           signals=SimpleNamespace(connect=lambda *a, **k: None))


def test_engine_start_freezes_and_raises_thresholds(monkeypatch):
    before = gc.get_threshold()
    try:
        GcTuning.from_crawler(_crawler([50_000, 20, 100])).engine_started()
        assert gc.get_threshold() == (50_000, 20, 100)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize("thresholds", [[], [1, 2], [0, 10, 10], ["many", 1, 1]])
def test_off_or_refused(thresholds):
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(_crawler(thresholds))
