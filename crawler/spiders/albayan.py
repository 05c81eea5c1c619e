"""Al Bayan (UAE): the author meta is often a dateline such as «(أبوظبي - البيان)»."""

from crawler.spiders.base import NewsSpider


class AlbayanSpider(NewsSpider):
    name = "albayan"
    home_url = "https://www.albayan.ae/"
    timezone = "Asia/Dubai"
    date_order = "DMY"
    staff_names = ("البيان",)
