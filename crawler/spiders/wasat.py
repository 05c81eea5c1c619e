"""الوسط, the demo WordPress-like outlet: JSON-LD, +03:00 meta dates, «مشاهدة» counter."""

from crawler.spiders.base import NewsSpider
from crawler.spiders.demo import DEMO_SETTINGS, demo_url


class WasatSpider(NewsSpider):
    name = "wasat"
    home_url = demo_url(3)
    timezone = "Asia/Riyadh"
    date_order = "DMY"
    staff_names = ("الوسط",)
    date_archive = "/{day:%Y/%m/%d}/"  # WordPress day archives: backfills jump straight to their days
    custom_settings = DEMO_SETTINGS
    scheduled = False  # a demo outlet: `scrapy crawlall` runs it only when named
