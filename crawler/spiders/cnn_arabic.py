"""CNN Arabic: «(CNN) --» datelines.

The visible date is the last update («آخر تحديث», GMT+4); the URL holds the publication day.
"""

from crawler.spiders.base import NewsSpider


class CnnArabicSpider(NewsSpider):
    name = "cnn_arabic"
    home_url = "https://arabic.cnn.com/"
    timezone = "Asia/Dubai"
    date_order = "DMY"
    url_date_pattern = r"/(?P<y>\d{4})/[a-z_]+/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"
