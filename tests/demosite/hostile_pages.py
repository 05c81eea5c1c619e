"""HTML of the hostile outlet: its valid articles, the article template and the static hostile page bodies."""

from __future__ import annotations

import base64
import functools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .content import make_story, make_title, person_name, wire_dateline
from .fmt import esc, gulf_words, iso
from .model import ArticleSpec
from .vocab import TOPICS

TIMEZONE = "Asia/Riyadh"
VALID_IDS: tuple[int, ...] = tuple(range(7001, 7007))
MANY_LINKS = 100_000
MANY_H1 = 5_000
TABLE_DEPTH = 10_000
TRAP_PAGES = 100_000
_VIEWS_LABEL = {"ar": "مشاهدة", "fa": "بازدید", "en": "views"}


@dataclass(frozen=True)
class PageText:
    """What an article page shows: headline (None: no title anywhere), paragraphs, date, views, author."""

    title: str | None
    paragraphs: tuple[str, ...]
    published: datetime | None
    views: int | None = None
    author: str | None = None


@functools.lru_cache(maxsize=4)
def valid_articles(end_date: date) -> tuple[ArticleSpec, ...]:
    """The hostile outlet's few normal articles (newest first), one a day up to `end_date`."""
    tz = ZoneInfo(TIMEZONE)
    specs = []
    for n, article_id in enumerate(VALID_IDS):
        rng = random.Random(f"akhbar-demosite/hostile/{article_id}")
        text = make_story(rng, rng.choice(TOPICS), wire_dateline(rng) if n % 2 == 0 else None)
        day = end_date - timedelta(days=n)
        published = datetime(day.year, day.month, day.day, 9 + n, 7 * n, tzinfo=tz)
        specs.append(ArticleSpec(
            outlet="hostile", id=article_id, path=f"/news/{article_id}", title=make_title(rng, text),
            published=published, modified=published, story=f"h{article_id:04d}", text=text,
            views=rng.randint(40, 9000), comments=None, shares=None,
            author=person_name(rng) if n % 3 == 0 else None, comment_ids=(),
        ))
    return tuple(specs)


def spec_text(spec: ArticleSpec) -> PageText:
    """The PageText of a valid article."""
    return PageText(spec.title, spec.paragraphs, spec.published, spec.views, spec.author)


def case_text(kind: str, day: date) -> PageText:
    """A deterministic Arabic wire story for a hostile case page, published on `day`."""
    rng = random.Random(f"akhbar-demosite/hostile/{kind}")
    text = make_story(rng, rng.choice(TOPICS), wire_dateline(rng))
    published = datetime(day.year, day.month, day.day, 10, 30, tzinfo=ZoneInfo(TIMEZONE))
    return PageText(make_title(rng, text), text.paragraphs, published, rng.randint(40, 9000))


def dated(text: PageText, year: int) -> PageText:
    """The same page moved to another year (future or ancient dates)."""
    assert text.published is not None
    return replace(text, published=text.published.replace(year=year))


def _jsonld(text: PageText) -> str:
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle"}
    if text.title:
        data["headline"] = text.title
    if text.published:
        data["datePublished"] = iso(text.published)
    if text.author:
        data["author"] = {"@type": "Person", "name": text.author}
    return json.dumps(data, ensure_ascii=False)


def _shown_date(when: datetime, lang: str) -> str:
    return gulf_words(when) if lang == "ar" else when.strftime("%Y-%m-%d %H:%M")


def article_html(text: PageText, *, lang: str = "ar", charset: str | None = "utf-8", jsonld: str | None = None,
                 head_extra: str = "", after: str = "") -> str:
    """A plain news article page; jsonld None: generated from `text`, "" for none; `after` follows the article."""
    direction = "ltr" if lang == "en" else "rtl"
    head = [f'<meta charset="{charset}">' if charset else ""]
    if text.title:
        head.append(f"<title>{esc(text.title)} - hostile</title>")
    if text.published:
        head.append(f'<meta property="article:published_time" content="{iso(text.published)}">')
    ld = _jsonld(text) if jsonld is None else jsonld
    if ld:
        head.append(f'<script type="application/ld+json">{ld}</script>')
    meta = []
    if text.published:
        meta.append(f'<time datetime="{iso(text.published)}">{_shown_date(text.published, lang)}</time>')
    if text.views is not None:
        meta.append(f'<span class="views">{text.views:,} {_VIEWS_LABEL[lang]}</span>')
    h1 = f"<h1>{esc(text.title)}</h1>\n" if text.title else ""
    paragraphs = "".join(f"<p>{esc(p)}</p>\n" for p in text.paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n<head>\n' + "\n".join(filter(None, head))
            + f"\n{head_extra}</head>\n<body>\n"
            '<div class="top"><a href="/">hostile</a> | <a href="/about">about</a></div>\n'
            f'<article>\n{h1}<div class="meta">{" ".join(meta)}</div>\n<div class="body">\n{paragraphs}</div>\n'
            f'</article>\n{after}<div class="foot">© hostile</div>\n</body>\n</html>\n')


def english_text(day: date) -> PageText:
    """An original English news article."""
    published = datetime(day.year, day.month, day.day, 8, 15, tzinfo=ZoneInfo(TIMEZONE))
    return PageText("Harbour authority opens a second container terminal after three years of work", (
        "PORT CITY (Staff) - The regional harbour authority opened its second container terminal on Sunday, adding "
        "twelve berths and doubling the volume of cargo the port can handle each year.",
        "Officials said the terminal would employ about 1,400 people once fully operational, most of them recruited "
        "from neighbouring towns. Training programmes for crane operators began last spring.",
        "Shipping companies welcomed the expansion, saying that ships had waited up to four days for a berth during "
        "the busiest months. The authority expects waiting times to fall below one day by the end of next year.",
        "Environmental groups asked the authority to publish its water quality measurements every month. A "
        "spokesperson said the first report would appear on the authority's website in January.",
    ), published, 2150)


def persian_text(day: date) -> PageText:
    """An original Persian news article (پ چ ژ گ ی ک and ZWNJ)."""
    published = datetime(day.year, day.month, day.day, 11, 40, tzinfo=ZoneInfo(TIMEZONE))
    zw = "\u200c"
    return PageText("گشایش کتابخانهٔ تازهٔ شهر در کنار پارک با یک میلیون جلد کتاب", (
        f"تهران - کتابخانهٔ بزرگ شهر روز یکشنبه با حضور گروهی از نویسندگان، پژوهشگران و خانواده{zw}ها درهای خود را "
        "به روی مردم گشود. این ساختمان چهار طبقه در کنار پارک ساخته شده و گنجایش بیش از یک میلیون جلد کتاب را دارد.",
        f"مدیر کتابخانه گفت که بخش ویژهٔ کودکان با صدها کتاب مصور، بازی{zw}های آموزشی و یک سالن کوچک نمایش آماده "
        f"شده است. به گفتهٔ او، پدر و مادرها می{zw}توانند هر پنجشنبه در کارگاه{zw}های رایگان کتاب{zw}خوانی شرکت کنند.",
        f"در طبقهٔ سوم، مجموعه{zw}ای از روزنامه{zw}ها و مجله{zw}های قدیمی نگهداری می{zw}شود که پژوهشگران تاریخ "
        f"معاصر سال{zw}ها در جست{zw}وجوی آن بوده{zw}اند. بخشی از این اسناد پیش از این در انبارهای گرم و مرطوب بود.",
        f"شهرداری اعلام کرد که کتابخانه هر روز از ساعت هشت صبح تا ده شب باز است و عضویت برای دانش{zw}آموزان و "
        f"دانشجویان رایگان خواهد بود. گروهی از داوطلبان نیز برای راهنمایی بازدیدکنندگان در سالن{zw}ها حاضرند.",
    ), published, 870)


def invisible_text(text: PageText) -> PageText:
    """The same article strewn with bidi controls, zero-width marks, U+FEFF and Arabic presentation forms."""
    marks = ("\u200f", "\u200e", "\u200b", "\u200d", "\ufeff", "\u2067", "\u2069")

    def strew(line: str) -> str:
        words = line.split(" ")
        return " ".join(w + marks[i % len(marks)] if i % 3 == 0 else w for i, w in enumerate(words))

    title = "\u202b" + strew(text.title or "") + "\u202c"
    paragraphs = tuple(strew(p).replace("لا", "\ufefb", 2) for p in text.paragraphs)
    return replace(text, title=title, paragraphs=("\ufeff" + paragraphs[0], *paragraphs[1:]))


def js_only_html(text: PageText) -> str:
    """An empty shell whose article exists only as base64 inside a script."""
    payload = base64.b64encode(article_html(text).encode()).decode()
    return ('<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>hostile</title>'
            '<script src="/static/app.js" defer></script></head>\n<body><div id="app"></div>\n'
            f'<script>var d="{payload}";'
            'document.getElementById("app").innerHTML=decodeURIComponent(escape(atob(d)));</script>\n'
            "<noscript>فعّل جافاسكربت</noscript></body></html>\n")


def soft_404_html() -> str:
    """A 'page not found' page served with status 200."""
    return ('<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>الصفحة غير موجودة'
            '</title></head>\n<body><h1>عذرا، الصفحة المطلوبة غير موجودة</h1>\n<p>ربما نقلت الصفحة أو حذفت.</p>'
            '<p><a href="/">العودة إلى الرئيسية</a></p></body></html>\n')


def refresh_html(target: str) -> str:
    """A page that meta-refreshes to `target` at once."""
    return ('<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={esc(target)}"><title>تحويل</title></head>\n'
            f'<body><p>جار التحويل إلى <a href="{esc(target)}">الصفحة الجديدة</a></p></body></html>\n')


def not_found_html() -> str:
    """The hostile outlet's small 404 page."""
    return ('<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>404</title></head>'
            "<body><h1>404</h1></body></html>\n")


def listing_html(title: str, links: Sequence[tuple[str, str]], extra: str = "") -> str:
    """A listing page: a heading and a list of (path, label) links."""
    items = "".join(f'<li><a href="{path}">{esc(label)}</a></li>\n' for path, label in links)
    return ('<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title></head>\n<body><h1>{esc(title)}</h1>\n<ul>\n{items}</ul>\n{extra}"
            "</body></html>\n")


def many_links_html() -> str:
    """A page with MANY_LINKS links to article-shaped URLs that all 404."""
    return listing_html("أرشيف الروابط", [(f"/news/x{i:06d}", f"خبر {i}") for i in range(MANY_LINKS)])


def trap_html(page: int) -> str:
    """Page `page` of an endless-looking listing: 20 article-shaped links (404) and a next link."""
    links = [(f"/news/t{page:06d}{j:02d}", f"خبر {page}-{j}") for j in range(20)]
    nxt = f'<a rel="next" href="/news/9039?page={page + 1}">الصفحة التالية</a>' if page < TRAP_PAGES else ""
    return listing_html(f"الأرشيف - صفحة {page}", links, nxt)


def deep_tables(depth: int = TABLE_DEPTH) -> str:
    """Tables nested `depth` deep."""
    return "<table><tr><td>" * depth + "<p>قاع الجداول</p>" + "</td></tr></table>" * depth + "\n"


def many_h1(count: int = MANY_H1) -> str:
    """An aside holding `count` <h1> headings."""
    return '<aside class="more">' + "".join(f"<h1>عنوان جانبي رقم {i}</h1>" for i in range(count)) + "</aside>\n"


def truncated_html(text: PageText) -> bytes:
    """The article page cut inside the closing tag of its last paragraph."""
    page = article_html(text)
    return page[: page.rfind("</p>") + 3].encode()


def mixed_encoding(text: PageText) -> bytes:
    """utf-8 page whose second half of paragraphs is encoded in windows-1256."""
    half = len(text.paragraphs) // 2
    first, second = article_html(replace(text, paragraphs=(*text.paragraphs[:half], "\x00SPLIT"))).split("\x00SPLIT")
    rest = "".join(f"<p>{esc(p)}</p>\n" for p in text.paragraphs[half:])
    return first.encode() + rest.encode("cp1256", "xmlcharrefreplace") + second.encode()


def with_invalid_utf8(page: str) -> bytes:
    """utf-8 bytes with invalid sequences (0xff, overlong, surrogate, lone continuation, cut lead byte) in the text."""
    data = page.encode()
    bad = (b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80", b"\xd8")
    pieces = data.split("، ".encode())
    return b"".join(p + ("، ".encode() + bad[i % len(bad)] if i < len(pieces) - 1 else b"")
                    for i, p in enumerate(pieces))


def with_controls(page: str) -> bytes:
    """utf-8 bytes with C0 control characters: 0x01 after each </script>, 0x1f and 0x0b between sentences."""
    return page.replace("</script>", "</script>\x01").replace(". ", ".\x1f ").replace("، ", "،\x0b ").encode()


def with_nuls(page: str) -> bytes:
    """utf-8 bytes with NULs inside a tag name, an attribute value, the headline and between sentences."""
    page = page.replace('<div class="body">', '<div class="bo\x00dy">').replace("<article>", "<arti\x00cle>", 1)
    page = page.replace("<h1>", "<h1>\x00", 1).replace(". ", ".\x00 ")
    return page.encode()
