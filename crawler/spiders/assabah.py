"""Assabah (Tunisia): Tunisian month names («فيفري»); print-edition links and a calendar widget carry other dates."""

from crawler.spiders.base import NewsSpider


class AssabahSpider(NewsSpider):
    name = "assabah"
    home_url = "https://www.assabah.com.tn/"
    timezone = "Africa/Tunis"
    date_order = "DMY"
    staff_names = ("الصباح",)
