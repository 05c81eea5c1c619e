"""النبأ, the demo news aggregator: US-order M/D/YYYY dates, unlabelled counters."""

from crawler.spiders.base import NewsSpider
from crawler.spiders.demo import DEMO_SETTINGS, demo_url


class NabaaSpider(NewsSpider):
    name = "nabaa"
    home_url = demo_url(2)
    timezone = "Asia/Riyadh"
    date_order = "MDY"
    staff_names = ("النبأ",)
    custom_settings = DEMO_SETTINGS
    scheduled = False  # a demo outlet: `scrapy crawlall` runs it only when named
