"""Page layouts recognized by their structure, wherever (on whichever domain or mirror) they appear."""

from __future__ import annotations

from dataclasses import replace

from lxml import html as lxml_html

from crawler.items import SiteRules
from pipelines.extraction.body import title_heading
from pipelines.extraction.counters import counters_from_meta_list


def is_aggregator_layout(tree: lxml_html.HtmlElement) -> bool:
    """h1 → list of M/D/YYYY, time, views, comments, shares → img alt="news-picture": the aggregator layout."""
    h1 = title_heading(tree)
    if h1 is None:
        return False
    for listing in h1.xpath("following::*[self::ul or self::ol][position() <= 3]"):
        items = [" ".join(li.text_content().split()) for li in listing.xpath("./li")]
        if counters_from_meta_list(items) is not None:
            return bool(listing.xpath("following::img[@alt='news-picture']"))
    return False


def rules_for_layout(tree: lxml_html.HtmlElement, rules: SiteRules) -> SiteRules:
    """The site rules, overridden by what a recognized layout implies (e.g. US-order dates)."""
    if is_aggregator_layout(tree):
        return replace(rules, date_order="MDY")
    return rules
