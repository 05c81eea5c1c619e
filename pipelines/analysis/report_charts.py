"""The two PNG charts of `scrapy report`, drawn on bare matplotlib Figures (Agg, no display)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

COVERAGE = (("dated", "publication date"), ("views", "views"), ("agency", "agency or staff dateline"),
            ("author", "author"))
# Daily coverage points need enough articles behind them; otherwise points are per week.
DAILY_MAX_SPAN_DAYS = 92
DAILY_MIN_ARTICLES = 10
_DPI = 110


def _colors(sites: list[str]) -> dict[str, tuple[float, ...]]:
    palette = matplotlib.colormaps["tab10" if len(sites) <= 10 else "tab20"]
    return {site: palette(i % palette.N) for i, site in enumerate(sites)}


def _date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def articles_chart(per_day: Mapping[str, Mapping[date, int]], missing: Mapping[str, list[tuple[date, date]]],
                   first: date, last: date, path: Path) -> None:
    """One row per site: articles per publication day from first to last, runs of missing days shaded."""
    sites = sorted(per_day)
    colors = _colors(sites)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    fig = Figure(figsize=(11, 1.2 + 1.5 * len(sites)), layout="constrained")
    axes = fig.subplots(len(sites), 1, sharex=True, squeeze=False)
    for ax, site in zip(axes[:, 0], sites, strict=True):
        counts = [per_day[site].get(d, 0) for d in days]
        ax.bar(days, counts, width=1.0, color=colors[site], align="edge")
        for start, end in missing.get(site, []):
            ax.axvspan(start, end + timedelta(days=1), color="#e74c3c", alpha=0.25, linewidth=0)
        ax.set_ylabel(site, rotation=0, ha="right", va="center")
        ax.set_ylim(0, max([*counts, 1]) * 1.15)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    _date_axis(axes[-1, 0])
    axes[-1, 0].set_xlim(first, last + timedelta(days=1))
    fig.suptitle("Articles per publication day (UTC) — shaded: days without articles")
    fig.savefig(path, dpi=_DPI)


def bucket_start(day: date, weekly: bool) -> date:
    """The day that stands for day's bucket: itself, or the Monday of its week."""
    return day - timedelta(days=day.weekday()) if weekly else day


def coverage_chart(coverage: Mapping[str, Mapping[date, Mapping[str, float]]], weekly: bool, path: Path) -> None:
    """Four panels (date, views, agency, author): % of each site's articles that have the field, over time."""
    sites = sorted(coverage)
    colors = _colors(sites)
    fig = Figure(figsize=(12, 7), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True, sharey=True)
    for ax, (key, label) in zip(axes.flat, COVERAGE, strict=True):
        for rank, site in enumerate(sites):
            points = sorted(coverage[site].items())
            # Earlier sites are drawn wider, so that sites with equal shares (often all 100%) stay visible.
            width = 1.2 + 3.0 * (len(sites) - 1 - rank) / max(len(sites) - 1, 1)
            ax.plot([d for d, _ in points], [share[key] for _, share in points], marker="o", markersize=2 + width,
                    linewidth=width, color=colors[site], label=site, alpha=0.9)
        ax.set_title(f"with {label}")
        ax.set_ylim(-5, 105)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        ax.grid(alpha=0.3)
        _date_axis(ax)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", title="site")
    unit = "week (Monday)" if weekly else "day"
    fig.suptitle(f"Field coverage per {unit}: share of articles with the field "
                 "(undated articles count on the day they were fetched)")
    fig.savefig(path, dpi=_DPI)
