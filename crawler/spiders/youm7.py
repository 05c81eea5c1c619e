"""Youm7 (Egypt): «كتبت …» bylines, local Cairo times with ص/م, dates in URLs (/story/YYYY/M/D/)."""

from crawler.spiders.base import NewsSpider


class Youm7Spider(NewsSpider):
    name = "youm7"
    home_url = "https://www.youm7.com/"
    timezone = "Africa/Cairo"
    date_order = "DMY"
    staff_names = ("اليوم السابع",)
