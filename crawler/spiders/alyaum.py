"""Al Yaum (Saudi Arabia): the author meta carries «name - city»; agency names in photo captions are credits."""

from crawler.spiders.base import NewsSpider


class AlyaumSpider(NewsSpider):
    name = "alyaum"
    home_url = "https://www.alyaum.com/"
    timezone = "Asia/Riyadh"
    date_order = "DMY"
    staff_names = ("اليوم",)
