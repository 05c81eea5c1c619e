"""LBCI (Lebanon): dates shown as «2026-01-08 | 12:42» in Beirut time; JSON-LD present."""

from crawler.spiders.base import NewsSpider


class LbciSpider(NewsSpider):
    name = "lbci"
    home_url = "https://www.lbcgroup.tv/"
    timezone = "Asia/Beirut"
    date_order = "DMY"
    staff_names = ("LBCI", "إل بي سي آي")
