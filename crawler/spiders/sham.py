"""الشام, the demo Levantine outlet: windows-1256, Levantine month names, Arabic-Indic digits."""

from crawler.spiders.base import NewsSpider
from crawler.spiders.demo import DEMO_SETTINGS, demo_url


class ShamSpider(NewsSpider):
    name = "sham"
    home_url = demo_url(4)
    timezone = "Asia/Beirut"
    date_order = "DMY"
    staff_names = ("الشام",)
    custom_settings = DEMO_SETTINGS
    scheduled = False  # a demo outlet: `scrapy crawlall` runs it only when named
