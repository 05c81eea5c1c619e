"""Reactor lag stats: the percentile of a histogram, and what a stalled tick records."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.extensions import reactor_lag
from crawler.extensions.reactor_lag import ReactorLag, percentile


def test_percentile_by_nearest_rank():
    lags = Counter({0: 98, 5: 1, 340: 1})
    assert (percentile(lags, 0.5), percentile(lags, 0.99), percentile(lags, 1.0)) == (0, 5, 340)
    assert percentile(Counter(), 0.99) == 0


def test_a_late_tick_is_counted_and_reported(monkeypatch):
    scheduled = []
    monkeypatch.setattr(reactor_lag.reactor, "callLater", lambda delay, fn: scheduled.append(delay) or
                        SimpleNamespace(active=lambda: False))
    clock = iter([100.0, 100.3, 100.3])  # scheduled at 100.0, run 0.25 s late, then scheduled again
    monkeypatch.setattr(reactor_lag.time, "monotonic", lambda: next(clock))
    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    lag = ReactorLag(SimpleNamespace(stats=stats), interval=0.05)
    lag.spider_opened()
    lag._tick()
    lag.spider_closed()
    assert scheduled == [0.05, 0.05]
    assert stats.get_value("akhbar/reactor/lag_max_ms") == 250
    assert stats.get_value("akhbar/reactor/lag_p99_ms") == 250


def test_off_when_the_interval_is_zero():
    crawler = SimpleNamespace(settings=Settings({"REACTOR_LAG_INTERVAL": 0}))
    with pytest.raises(NotConfigured):
        ReactorLag.from_crawler(crawler)
