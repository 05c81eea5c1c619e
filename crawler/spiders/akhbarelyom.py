"""Akhbar El Yom (Egypt): the date meta is human text («الأربعاء، 07 أكتوبر 2020 - 12:09 م», 12-hour clock)."""

from crawler.spiders.base import NewsSpider


class AkhbarelyomSpider(NewsSpider):
    name = "akhbarelyom"
    home_url = "https://akhbarelyom.com/"
    timezone = "Africa/Cairo"
    date_order = "DMY"
    staff_names = ("بوابة أخبار اليوم", "أخبار اليوم")
