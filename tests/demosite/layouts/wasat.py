"""«الوسط»: WordPress-like theme with JSON-LD, article meta tags and a dated related-posts block."""

from __future__ import annotations

import json

from ..fmt import esc, gulf_words, iso, thousands
from ..model import ArticleSpec
from ..vocab import TOPICS
from .common import Layout, comment_entries, excerpt, int_arg, topic

MOST_READ = "الأكثر قراءة"
RELATED = "مقالات ذات صلة"
NEWSLETTER = "اشترك في القائمة البريدية للوسط"
RIGHTS = "جميع الحقوق محفوظة"
REPLY = "اترك تعليقاً"
PRIVACY = "لن يظهر بريدك الإلكتروني للعموم"
AD = "مساحة إعلانية مدفوعة"
TAGS = "الوسوم:"
FOLLOW = "تابع الوسط على منصات التواصل"


class WasatLayout(Layout):
    """Article `/YYYY/MM/DD/<slug>-<id>/`, listings `/page/N/`, day archives `/YYYY/MM/DD/`, categories, tags, about."""

    feed_path = "/feed/"
    tagline = "الوسط: أخبار المملكة والخليج والعالم"
    PHRASES = (MOST_READ, RELATED, NEWSLETTER, RIGHTS, REPLY, PRIVACY, AD, TAGS, FOLLOW, tagline)

    def listing_path(self, page: int) -> str:
        """Path of listing page `page` (page 1 is the home page)."""
        return "/" if page == 1 else f"/page/{page}/"

    def route(self, path: str, query: dict[str, str]) -> str | None:
        """HTML for home, listings, posts, categories, tags and the about page."""
        if path == "/":
            return self._listing(1)
        parts = path.strip("/").split("/")
        if len(parts) == 2 and path.endswith("/"):
            kind, arg = parts
            if kind == "page":
                page = int_arg(arg)
                return self._listing(page) if page and page > 1 else None
            if kind == "category" and arg in self.sections:
                return self._archive(topic(arg).label, self.sections[arg][:20], f"category-{arg}")
            if kind == "tag" and arg in self.tags:
                return self._archive(self.tag_names[arg], self.tags[arg][:20], f"tag-{arg}")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and path.endswith("/"):  # WordPress day archive
            day = [s for s in self.specs if f"{s.published:%Y/%m/%d}" == "/".join(parts)]
            return self._archive("/".join(parts), day, "date") if day else None
        spec = self.by_path.get(path)
        if spec is not None:
            return self._post(spec)
        if path == "/about/":
            return self._page("من نحن", "page", '<article class="page"><h1 class="entry-title">من نحن</h1>'
                              "<div class=\"entry-content\"><p>الوسط صحيفة إلكترونية مستقلة.</p></div></article>")
        return None

    def not_found(self) -> str:
        """WordPress-style 404 page."""
        return self._page("الصفحة غير موجودة", "error404", '<section class="error-404 not-found">'
                          '<h1 class="page-title">عذراً! لم يتم العثور على هذه الصفحة.</h1></section>')

    def _summary(self, s: ArticleSpec, level: str = "h2") -> str:
        return (f'<article id="post-{s.id}" class="post-{s.id} post type-post status-publish category-{s.section}">'
                f'<header class="entry-header"><{level} class="entry-title">'
                f'<a href="{self.url(s.path)}" rel="bookmark">'
                f"{esc(s.title)}</a></{level}>"
                f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" '
                f'datetime="{iso(s.published)}">{gulf_words(s.published)}</time></span></div></header>'
                f'<div class="entry-summary"><p>{esc(excerpt(s))}</p></div></article>\n')

    def _listing(self, page: int) -> str | None:
        items = self.listing(page)
        if items is None:
            return None
        links = []
        if page > 1:
            links.append(f'<a class="prev page-numbers" href="{self.url(self.listing_path(page - 1))}">« السابق</a>')
        links.append(f'<span aria-current="page" class="page-numbers current">{page}</span>')
        if page < self.page_count:
            nxt = self.url(self.listing_path(page + 1))
            links.append(f'<a class="page-numbers" href="{nxt}">{page + 1}</a>')
            links.append(f'<a class="next page-numbers" href="{nxt}">التالي »</a>')
        nav = f'<nav class="navigation pagination"><div class="nav-links">{"".join(links)}</div></nav>'
        body = "".join(self._summary(s) for s in items) + nav
        title = self.tagline if page == 1 else f"الصفحة {page}"
        return self._page(title, "home blog" if page == 1 else "blog paged", body)

    def _archive(self, label: str, items: list[ArticleSpec], cls: str) -> str:
        body = f'<header class="page-header"><h1 class="page-title">{esc(label)}</h1></header>'
        return self._page(label, f"archive {cls}", body + "".join(self._summary(s) for s in items))

    def _post(self, s: ArticleSpec) -> str:
        paragraphs = [f"<p>{esc(p)}</p>" for p in s.paragraphs]
        if len(paragraphs) >= 3:
            paragraphs.insert(2, f'<div class="code-block code-block-2"><span>{AD}</span>'
                                 '<ins class="adsbygoogle" data-ad-slot="7781"></ins></div>')
        byline = (f'<span class="byline">بقلم <span class="author vcard">{esc(s.author)}</span></span> '
                  if s.author else "")
        tags = "، ".join(f'<a href="{self.url(f"/tag/{slug}/")}" rel="tag">{esc(label)}</a>'
                        for label, slug in s.text.tags)
        related = "".join(f'<li><a href="{self.url(r.path)}">{esc(r.title)}</a> <time datetime="{iso(r.published)}">'
                          f"{gulf_words(r.published, with_time=False)}</time></li>" for r in self.related(s))
        comments = "".join(f'<li class="comment"><div class="comment-author vcard"><b class="fn">{esc(name)}</b></div>'
                           f'<div class="comment-metadata"><time datetime="{iso(when)}">{gulf_words(when)}</time></div>'
                           f'<div class="comment-content"><p>{esc(text)}</p></div></li>'
                           for name, text, when in comment_entries(s))
        body = (
            f'<article id="post-{s.id}" class="post-{s.id} post type-post status-publish format-standard hentry '
            f'category-{s.section}">\n<header class="entry-header"><h1 class="entry-title">{esc(s.title)}</h1>\n'
            f'<div class="entry-meta">{byline}<span class="posted-on">نشر في <time class="entry-date published" '
            f'datetime="{iso(s.published)}">{gulf_words(s.published)}</time><time class="updated" '
            f'datetime="{iso(s.modified)}" hidden></time></span> '
            f'<span class="post-views">{thousands(s.views)} مشاهدة</span> '
            f'<span class="comments-link"><a href="#comments">{s.comments} تعليقات</a></span></div></header>\n'
            f'<div class="post-thumbnail"><img src="{self.url(f"/images/w{s.id}.jpg")}" alt=""></div>\n'
            f'<div class="entry-content">\n{chr(10).join(paragraphs)}\n</div>\n'
            f'<footer class="entry-footer"><span class="cat-links">القسم: '
            f'<a href="{self.url(f"/category/{s.section}/")}"'
            f' rel="category tag">{esc(s.text.topic.label)}</a></span> <span class="tags-links">{TAGS} {tags}</span>'
            "</footer>\n</article>\n"
            f'<div class="related-posts"><h3>{RELATED}</h3><ul>{related}</ul></div>\n'
            f'<div id="comments" class="comments-area"><h2 class="comments-title">التعليقات</h2>'
            f'<ol class="comment-list">{comments}</ol><div id="respond" class="comment-respond">'
            f'<h3 class="comment-reply-title">{REPLY}</h3><p class="comment-notes">{PRIVACY}</p>'
            '<form action="/wp-comments-post.php" method="post"><textarea name="comment"></textarea>'
            "<input type=\"submit\" value=\"إرسال التعليق\"></form></div></div>\n")
        return self._page(s.title, f"post-template-default single single-post postid-{s.id}", body, s)

    def _head_meta(self, s: ArticleSpec) -> str:
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": self.url(s.path)},
            "headline": s.title, "datePublished": iso(s.published), "dateModified": iso(s.modified),
            "articleSection": s.text.topic.label, "image": [self.url(f"/images/w{s.id}.jpg")],
            **({"author": {"@type": "Person", "name": s.author}} if s.author else {}),
            "publisher": {"@type": "Organization", "name": "الوسط",
                          "logo": {"@type": "ImageObject", "url": self.url("/images/logo.png")}},
        }
        ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
        return (
            f'<link rel="canonical" href="{self.url(s.path)}">\n<meta property="og:locale" content="ar_AR">\n'
            f'<meta property="og:type" content="article">\n<meta property="og:title" content="{esc(s.title)}">\n'
            f'<meta property="og:url" content="{self.url(s.path)}">\n<meta property="og:site_name" content="الوسط">\n'
            f'<meta property="article:published_time" content="{iso(s.published)}">\n'
            f'<meta property="article:modified_time" content="{iso(s.modified)}">\n'
            f'<script type="application/ld+json">{ld_json}</script>\n')

    def _page(self, title: str, body_class: str, main: str, spec: ArticleSpec | None = None) -> str:
        menu = "".join(f'<li class="menu-item"><a href="{self.url(f"/category/{t.key}/")}">{esc(t.label)}</a></li>'
                       for t in TOPICS)
        most = "".join(f'<li><a href="{self.url(s.path)}">{esc(s.title)}</a></li>' for s in self.most_read)
        full_title = title if title == self.tagline else f"{title} – الوسط"
        return (
            '<!DOCTYPE html>\n<html dir="rtl" lang="ar">\n<head>\n<meta charset="UTF-8">\n'
            f"<title>{esc(full_title)}</title>\n{self._head_meta(spec) if spec else ''}"
            '<link rel="alternate" type="application/rss+xml" title="الوسط » الخلاصة" '
            f'href="{self.url(self.feed_path)}">\n'
            f'</head>\n<body class="{body_class}">\n<div id="page" class="site">\n'
            '<header id="masthead" class="site-header"><div class="site-branding">'
            f'<p class="site-title"><a href="{self.url("/")}" rel="home">الوسط</a></p>'
            f'<p class="site-description">{esc(self.tagline)}</p></div>'
            f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{menu}</ul></nav>'
            "</header>\n"
            f'<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" '
            f'class="site-main">\n{main}</main></div>\n'
            '<aside id="secondary" class="widget-area">'
            f'<section class="widget widget_popular"><h2 class="widget-title">{MOST_READ}</h2><ul>{most}</ul></section>'
            f'<section class="widget widget_newsletter"><h2 class="widget-title">{NEWSLETTER}</h2>'
            '<form action="/newsletter/" method="post"><input type="email" name="email"></form></section>'
            f'<section class="widget widget_ad"><div class="ad-slot">{AD}</div></section></aside></div>\n'
            f'<footer id="colophon" class="site-footer"><p>{FOLLOW}</p><div class="site-info">'
            f'<a href="{self.url("/about/")}">من نحن</a> | © {self.year} الوسط. {RIGHTS}.</div></footer>\n'
            "</div>\n</body>\n</html>\n"
        )
