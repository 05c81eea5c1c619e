"""«الشام»: old-school table layout, windows-1256, Levantine month names and Arabic-Indic digits."""

from __future__ import annotations

from ..fmt import esc, indic_entities, levant_words
from ..model import ArticleSpec
from ..vocab import TOPICS
from .common import Layout, comment_entries, int_arg

MOST_READ = "الأكثر قراءة"
NEWSLETTER = "اشترك بالنشرة الإخبارية لموقع الشام"
RIGHTS = "جميع الحقوق محفوظة"
COMMENTS = "تعليقات القراء"
COMMENT_FORM = "أضف تعليقك"
COMMENT_NOTE = "الآراء الواردة في التعليقات تعبر عن أصحابها فقط"
POLL = "استطلاع الرأي: هل أنت راض عن الخدمات في مدينتك؟"
AD = "أعلن معنا"
PRINT = "نسخة للطباعة"
SEND = "أرسل لصديق"


class ShamLayout(Layout):
    """Article `/article.php?id=N`, listings `/list.php?p=N`, sections `/list.php?cat=K`, about `/about.php`."""

    feed_path = "/rss.php"
    tagline = "الشام - صوت الناس منذ 1998"
    PHRASES = (MOST_READ, NEWSLETTER, RIGHTS, COMMENTS, COMMENT_FORM, COMMENT_NOTE, POLL, AD, PRINT, SEND, tagline)

    def listing_path(self, page: int) -> str:
        """Path of listing page `page` (page 1 is the home page)."""
        return "/" if page == 1 else f"/list.php?p={page}"

    def route(self, path: str, query: dict[str, str]) -> str | None:
        """HTML for home, listings, sections, articles, print pages and the about page."""
        if path in ("/", "/index.php"):
            return self._listing(1)
        if path == "/list.php":
            if "cat" in query:
                cat = int_arg(query["cat"])
                if cat is None or cat > len(TOPICS):
                    return None
                t = TOPICS[cat - 1]
                rows = self._rows(self.sections[t.key][:20])
                return self._page(t.label, f'<h1 class="atitle">{esc(t.label)}</h1><table width="100%">{rows}</table>')
            page = int_arg(query.get("p", "1"))
            return self._listing(page) if page else None
        if path in ("/article.php", "/print.php"):
            spec = self.by_path.get(f"/article.php?id={query.get('id', '')}")
            if spec is None:
                return None
            return self._article(spec) if path == "/article.php" else self._print(spec)
        if path == "/about.php":
            return self._page("من نحن", '<h1 class="atitle">من نحن</h1><p>موقع الشام الإخباري.</p>')
        return None

    def not_found(self) -> str:
        """Old-school 404 page."""
        return self._page("خطأ", '<h1 class="atitle">عذرا، الصفحة المطلوبة غير موجودة</h1>')

    def _rows(self, items: list[ArticleSpec]) -> str:
        return "".join(f'<tr><td class="ltitle">&raquo; <a href="{s.path}">{esc(s.title)}</a></td>'
                       f'<td class="ldate" nowrap>{levant_words(s.published)}</td></tr>\n' for s in items)

    def _listing(self, page: int) -> str | None:
        items = self.listing(page)
        if items is None:
            return None
        nav = []
        if page > 1:
            nav.append(f'<a href="{self.listing_path(page - 1)}">&laquo; الصفحة السابقة</a>')
        if page < self.page_count:
            nav.append(f'<a href="{self.listing_path(page + 1)}">الصفحة التالية &raquo;</a>')
        body = (f'<table width="100%" cellpadding="4" class="list">{self._rows(items)}</table>'
                f'<p align="center" class="pages">{" | ".join(nav)}</p>')
        return self._page(self.tagline if page == 1 else f"أرشيف الأخبار - {page}", body)

    def _article(self, s: ArticleSpec) -> str:
        author = f'<tr><td class="author">بقلم: {esc(s.author)}</td></tr>' if s.author else ""
        text = "<br><br>\n".join(esc(p) for p in s.paragraphs)
        comments = "".join(
            f'<tr><td class="cname"><b>{esc(name)}</b> - {levant_words(when)}</td></tr>'
            f'<tr><td class="ctext">{esc(body)}</td></tr>' for name, body, when in comment_entries(s))
        t = next(t for t in TOPICS if t.key == s.section)
        cat = TOPICS.index(t) + 1
        body = (
            f'<table width="100%" cellpadding="5" class="art">\n<tr><td class="path"><a href="/">الرئيسية</a> &gt; '
            f'<a href="/list.php?cat={cat}">{esc(t.label)}</a></td></tr>\n'
            f'<tr><td><h1 class="atitle">{esc(s.title)}</h1></td></tr>\n'
            f'<tr><td class="adate">{levant_words(s.published)} &nbsp;|&nbsp; '
            f"عدد القراءات: {indic_entities(s.views)}</td></tr>\n{author}\n"
            f'<tr><td class="text"><font face="Tahoma" size="3">\n{text}\n</font></td></tr>\n'
            f'<tr><td class="tools"><a href="/print.php?id={s.id}">{PRINT}</a> | <a href="#send">{SEND}</a>'
            "</td></tr>\n</table>\n"
            f'<table width="100%" class="comments"><tr><th>{COMMENTS}</th></tr>{comments}'
            f'<tr><td><b>{COMMENT_FORM}</b><form action="/comment.php" method="post"><textarea name="c"></textarea>'
            f'<input type="submit" value="أرسل"></form><small>{COMMENT_NOTE}</small></td></tr></table>\n')
        return self._page(s.title, body)

    def _print(self, s: ArticleSpec) -> str:
        text = "".join(f"<p>{esc(p)}</p>" for p in s.paragraphs)
        return (
            '<html dir="rtl"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
            f"<title>{esc(s.title)}</title></head><body onload=\"window.print()\"><p>{PRINT} - الشام</p>"
            f"<h2>{esc(s.title)}</h2><p>{levant_words(s.published)}</p>{text}</body></html>\n")

    def _page(self, title: str, main: str) -> str:
        menu = " | ".join(f'<a href="/list.php?cat={n}">{esc(t.label)}</a>' for n, t in enumerate(TOPICS, start=1))
        most = "<br>".join(f'&bull; <a href="{s.path}">{esc(s.title)}</a>' for s in self.most_read)
        full_title = title if title == self.tagline else f"الشام - {title}"
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html dir="rtl">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">\n'
            f"<title>{esc(full_title)}</title>\n"
            f'<link rel="alternate" type="application/rss+xml" title="الشام" href="{self.url(self.feed_path)}">\n'
            '<style>td{font-family:Tahoma;font-size:13px}.atitle{font-size:20px;color:#900}</style>\n</head>\n'
            '<body bgcolor="#FFFFFF" topmargin="0">\n<table width="980" align="center" border="0" cellpadding="0" '
            'cellspacing="0">\n'
            f'<tr><td colspan="2" class="hdr"><a href="/"><img src="/images/logo.gif" alt="الشام" border="0"></a> '
            f"<b>{esc(self.tagline)}</b></td></tr>\n"
            f'<tr><td colspan="2" class="menu" bgcolor="#003366"><a href="/">الرئيسية</a> | {menu}</td></tr>\n'
            '<tr><td width="200" valign="top" class="side" bgcolor="#F0F0F0">'
            f"<b>{MOST_READ}</b><br>{most}<hr><b>{NEWSLETTER}</b>"
            '<form action="/newsletter.php" method="post"><input name="email" size="15"></form><hr>'
            f'<b>{POLL}</b><br><input type="radio" name="v"> نعم <input type="radio" name="v"> لا<hr>'
            f'<div class="ad">{AD}</div></td>\n<td valign="top" class="main">\n{main}</td></tr>\n'
            f'<tr><td colspan="2" class="ftr" align="center"><a href="/about.php">من نحن</a> | '
            f"{RIGHTS} &copy; الشام {indic_entities(self.year)}</td></tr>\n</table>\n</body>\n</html>\n"
        )
