"""«النبأ»: news-aggregator layout with meaningless class names, US-order dates and bare counters."""

from __future__ import annotations

from ..fmt import esc, hhmm, us_date
from ..model import ArticleSpec
from ..vocab import TOPICS
from .common import Layout, comment_entries, int_arg, topic

MOST_READ = "الأكثر قراءة"
NEWSLETTER = "اشترك في نشرة النبأ الصباحية"
APP = "حمّل تطبيق النبأ على هاتفك الذكي"
RIGHTS = "جميع الحقوق محفوظة"
COMMENT_FORM = "أضف تعليقك"
COMMENT_NOTE = "التعليقات المنشورة تعبر عن آراء أصحابها ولا تعبر عن رأي النبأ"
SHARE = "مشاركة :"
MORE = "... المزيد"
AD = "مساحة إعلانية"
FOLLOW = "تابعونا على الشبكات الاجتماعية"
# In-page anchors only: share links must never point a crawler at a non-loopback host.
SHARE_NETWORKS = (("facebook", "فيسبوك"), ("x", "إكس"), ("whatsapp", "واتساب"), ("telegram", "تلغرام"))


class NabaaLayout(Layout):
    """Article `/news/<id>`, listings `/news?page=N`, sections `/section/<key>`, about `/about`."""

    feed_path = "/rss.xml"
    tagline = "النبأ - بوابتك إلى الخبر اليقين"
    PHRASES = (MOST_READ, NEWSLETTER, APP, RIGHTS, COMMENT_FORM, COMMENT_NOTE, SHARE, MORE, AD, FOLLOW, tagline)

    def listing_path(self, page: int) -> str:
        """Path of listing page `page` (page 1 is the home page)."""
        return "/" if page == 1 else f"/news?page={page}"

    def route(self, path: str, query: dict[str, str]) -> str | None:
        """HTML for home, listings, articles, sections and the about page."""
        if path == "/":
            return self._listing_page(1, home=True)
        if path == "/news":
            page = int_arg(query.get("page", "1"))
            return self._listing_page(page, home=False) if page else None
        if path.startswith("/news/"):
            spec = self.by_path.get(path)
            return self._article(spec) if spec else None
        if path.startswith("/section/"):
            key = path.removeprefix("/section/")
            if key in self.sections:
                items = self.sections[key][:20]
                return self._page(topic(key).label, f"<h1 class=\"c-t5\">{esc(topic(key).label)}</h1>"
                                  + self._entries(items))
        if path == "/about":
            return self._page("من نحن", "<h1 class=\"c-t5\">من نحن</h1><p>النبأ موقع إخباري يجمع الأخبار "
                              "المحلية والعربية على مدار الساعة.</p>")
        return None

    def not_found(self) -> str:
        """Small 404 page."""
        return self._page("الصفحة غير موجودة", "<h1 class=\"c-t5\">404 - الصفحة غير موجودة</h1>"
                          "<p><a href=\"/\">العودة إلى الرئيسية</a></p>")

    def _listing_page(self, page: int, home: bool) -> str | None:
        items = self.listing(page)
        if items is None:
            return None
        nav = []
        if page > 1:
            nav.append(f'<a class="c-pv" href="{self.listing_path(page - 1)}">الصفحة السابقة</a>')
        if page < self.page_count:
            nav.append(f'<a class="c-nx" href="{self.listing_path(page + 1)}">الصفحة التالية</a>')
        heading = "آخر الأخبار" if home else f"آخر الأخبار - صفحة {page}"
        body = f'<h2 class="c-t6">{heading}</h2>{self._entries(items)}<div class="c-pg">{" ".join(nav)}</div>'
        return self._page(self.tagline if home else heading, body)

    def _entries(self, items: list[ArticleSpec]) -> str:
        return "".join(
            f'<div class="c-l1"><a href="{s.path}"><img src="/images/{s.id}.jpg" alt="news-picture"></a>'
            f'<h3 class="c-l2"><a href="{s.path}">{esc(s.title)}</a></h3>'
            f'<span class="c-l3">{us_date(s.published)} {hhmm(s.published)}</span></div>\n'
            for s in items)

    def _facts(self, s: ArticleSpec) -> str:
        """The unlabelled list under the headline: date, time, views, comments, shares."""
        when = f'<li><i class="c-i1"></i>{us_date(s.published)}</li><li><i class="c-i2"></i>{hhmm(s.published)}</li>'
        return when + self._counters(s)

    @staticmethod
    def _counters(s: ArticleSpec) -> str:
        return "".join(f'<li><i class="c-i{n}"></i>{v}</li>' for n, v in enumerate((s.views, s.comments, s.shares),
                                                                                     start=3))

    def _article(self, s: ArticleSpec) -> str:
        paragraphs = "".join(f"<p>{esc(p)}</p>\n" for p in s.paragraphs)
        shares = "".join(f'<a class="c-s{n}" href="#share-{net}">{label}</a>'
                         for n, (net, label) in enumerate(SHARE_NETWORKS))
        comments = "".join(f'<div class="c-cm"><b>{esc(name)}</b><span>{us_date(when)} {hhmm(when)}</span>'
                           f"<p>{esc(text)}</p></div>" for name, text, when in comment_entries(s))
        body = (
            f'<div class="c-x1">\n<h1 class="c-t5">{esc(s.title)}</h1>\n<ul class="c-x2">{self._facts(s)}</ul>\n'
            f'<div class="c-x3"><img src="/images/{s.id}.jpg" alt="news-picture"></div>\n'
            f'<div class="c-x4">\n{paragraphs}</div>\n'
            f'<a class="c-x5" href="/section/{s.section}">{MORE}</a>\n'
            f'<div class="c-x6"><span>{SHARE}</span>{shares}</div>\n</div>\n'
            f'<div class="c-x7"><h4>{COMMENT_FORM}</h4><form class="c-f1" action="/comment" method="post">'
            f'<input name="n"><textarea name="c"></textarea><button>إرسال</button></form>'
            f"<small>{COMMENT_NOTE}</small>{comments}</div>\n")
        return self._page(s.title, body)

    def _page(self, title: str, main: str) -> str:
        nav = "".join(f'<li><a href="/section/{t.key}">{esc(t.label)}</a></li>' for t in TOPICS)
        most = "".join(f'<li><a href="{s.path}">{esc(s.title)}</a></li>' for s in self.most_read)
        full_title = title if title == self.tagline else f"{title} | النبأ"
        return (
            '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(full_title)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="alternate" type="application/rss+xml" title="النبأ" href="{self.url(self.feed_path)}">\n'
            "<style>.c-x2 li{display:inline-block;margin:0 6px}.c-ad{background:#eee;text-align:center}</style>\n"
            "</head>\n<body class=\"c-b0\">\n"
            f'<div class="c-h1"><a class="c-lg" href="/">النبأ</a><span class="c-tg">{esc(self.tagline)}</span>'
            f'<ul class="c-n2"><li><a href="/">الرئيسية</a></li>{nav}</ul>'
            '<form class="c-s3" action="/search"><input name="q" placeholder="ابحث في النبأ"></form></div>\n'
            f'<div class="c-ad">{AD}</div>\n'
            f'<div class="c-m4">\n{main}</div>\n'
            f'<div class="c-sd"><h4>{MOST_READ}</h4><ol>{most}</ol>'
            f'<div class="c-nl"><h4>{NEWSLETTER}</h4><form action="/newsletter" method="post">'
            '<input name="email" type="email"><button>اشتراك</button></form></div>'
            f'<div class="c-ap">{APP}</div><div class="c-ad">{AD}</div></div>\n'
            f'<div class="c-ft"><p>{FOLLOW}</p><p><a href="/about">من نحن</a></p>'
            f"<p>© {self.year} النبأ - {RIGHTS}</p></div>\n</body>\n</html>\n"
        )


class NabaaUndatedLayout(NabaaLayout):
    """The same outlet after a redesign that dropped the date and time from its article pages (drift tests)."""

    def _facts(self, s: ArticleSpec) -> str:
        """The counters alone."""
        return self._counters(s)
