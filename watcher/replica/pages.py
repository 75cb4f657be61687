"""HTML, datastore XML and RSS rendering for the replica, as templates with chrome slots.

A page is rendered once into a template whose stable text is fixed and whose chrome (current
time, visit counter, share widget, shuffled related links) is filled in per response. The ETag
hashes the template, so it changes only when content does, while every 200 carries different bytes.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from html import escape
from typing import Literal

from watcher.replica.site import Article, Column, Site, paragraphs

Slot = Literal["now", "visits", "related", "share"]
_MARK = "\x00"
PER_PAGE = 15
GROUP_PAGES = 3
LIST_PAGE_SIZE = 20
XXGK_PAGE_SIZE = 15
SHOWN_TITLE = 24


@dataclass(frozen=True)
class Page:
    """A rendered resource: static byte segments interleaved with chrome slot names."""

    content_type: str
    segments: tuple[bytes | str, ...]
    etag: str
    last_modified: datetime

    @property
    def size(self) -> int:
        """Bytes of the static parts (the chrome adds a few hundred more)."""
        return sum(len(s) for s in self.segments if isinstance(s, bytes))

    @property
    def static(self) -> bytes | None:
        """The whole body when the page has no chrome."""
        if len(self.segments) == 1 and isinstance(self.segments[0], bytes):
            return self.segments[0]
        return None


def slot(name: Slot) -> str:
    return f"{_MARK}{name}{_MARK}"


def compile_page(text: str, charset: str, content_type: str, last_modified: datetime) -> Page:
    """Split a template on its slot markers and encode the static parts once."""
    digest = hashlib.sha256(f"{content_type}\n{text}".encode()).hexdigest()[:24]
    pieces = text.split(_MARK)
    segments: list[bytes | str] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            segments.append(piece)
        elif piece:
            segments.append(piece.encode(charset))
    has_chrome = len(pieces) > 1
    etag = f'W/"{digest}"' if has_chrome else f'"{digest}"'
    return Page(content_type, tuple(segments), etag, last_modified.replace(microsecond=0))


@lru_cache(maxsize=4096)
def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _meta_charset(site: Site) -> str:
    return '<meta charset="gbk">' if site.charset == "gbk" else '<meta charset="utf-8">'


def _html_type(site: Site) -> str:
    # Older county sites declare GBK only in <meta charset>, never in the header.
    return "text/html" if site.charset == "gbk" else "text/html; charset=utf-8"


def _head(site: Site, title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
        f"{_meta_charset(site)}\n<title>{escape(title)}_{escape(site.title)}</title>\n{extra}"
        '<link rel="stylesheet" href="/module/css/jcms.css">\n</head>\n<body>\n'
        f'<div class="top-bar"><span class="site-name">{escape(site.title)}</span>'
        f'<span class="today">{slot("now")}</span>'
        '<a class="old-mode" href="javascript:;">长者模式</a></div>\n'
    )


_FOOT = (
    '<div class="footer"><p>主办单位：{title}办公厅　网站标识码：3300000001</p>'
    '<p><a href="javascript:;">网站地图</a> | <a href="javascript:;">联系我们</a></p></div>\n'
    '<script src="/module/jslib/jquery/jquery.js"></script>\n</body>\n</html>\n'
)


def _shown(title: str) -> str:
    """Link text as list templates cut it; the full title stays in the `title` attribute."""
    return title if len(title) <= SHOWN_TITLE else title[:SHOWN_TITLE] + "…"


def _li(article: Article, shown: str) -> str:
    return (
        f'<li><a href="{escape(article.path)}" title="{escape(article.title)}" target="_blank">'
        f"{escape(shown)}</a><span>{article.published.isoformat()}</span></li>"
    )


def _fg_row(index: int, article: Article, shown: str) -> str:
    return (
        f'<div class="fg_list"><div class="fg_list_1">{index}</div>'
        f'<div class="fg_list_2"><a href="{escape(article.path)}" title="{escape(article.title)}" '
        f'target="_blank">{escape(shown)}</a></div>'
        f'<div class="fg_list_3">{escape(article.doc_number or "")}</div>'
        f'<div class="fg_list_4">{escape(article.issuer)}</div>'
        f'<div class="fg_list_5">{article.published.isoformat()}</div></div>'
    )


def _record(column: Column, index: int, article: Article) -> str:
    if column.list_style == "datastore-fg":
        return _fg_row(index, article, _shown(article.title))
    return _li(article, _shown(article.title))


def proxy_params(site: Site, column: Column) -> dict[str, str]:
    """The form fields the JCMS pager posts to dataproxy.jsp."""
    return {
        "col": "1",
        "appid": "1",
        "webid": str(site.webid),
        "path": "/",
        "columnid": column.id,
        "sourceContentType": "1",
        "unitid": str(column.unitid),
        "webname": site.title,
        "permissiontype": "0",
    }


def datastore(site: Site, column: Column, articles: list[Article], start: int, end: int) -> str:
    """`<datastore>` with records start..end (1-based, inclusive) and the next group's link."""
    chosen = articles[start - 1 : end]
    group = PER_PAGE * GROUP_PAGES
    nextgroup = ""
    if end < len(articles):
        query = "&amp;".join(f"{k}={v}" for k, v in proxy_params(site, column).items())
        nextgroup = (
            f'<a href="/module/jpage/dataproxy.jsp?startrecord={end + 1}&amp;endrecord={end + group}'
            f'&amp;perpage={PER_PAGE}&amp;{query}"></a>'
        )
    records = "\n".join(
        f"<record><![CDATA[\n{_record(column, i, a)}\n]]></record>" for i, a in enumerate(chosen, start=start)
    )
    return (
        f"<datastore>\n<totalrecord>{len(articles)}</totalrecord>\n"
        f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n<recordset>\n{records}\n</recordset>\n</datastore>"
    )


def _listing_modified(articles: list[Article], changed: datetime) -> datetime:
    return max([changed, *(a.modified for a in articles)])


def column_page(site: Site, column: Column, articles: list[Article], changed: datetime) -> Page:
    crumbs = f'<div class="crumbs"><a href="/">首页</a> &gt; <span>{escape(column.name)}</span></div>\n'
    if column.list_style == "fg_list":
        rows = "\n".join(_fg_row(i, a, a.title) for i, a in enumerate(articles, start=1))
        listing = (
            '<div class="fg_list_title"><span>序号</span><span>标题</span><span>文号</span>'
            f"<span>发布机构</span><span>发布日期</span></div>\n{rows}\n"
        )
    else:
        group = PER_PAGE * GROUP_PAGES
        params = ", ".join(f"{k}: '{v}'" for k, v in proxy_params(site, column).items())
        listing = (
            f'<div id="{column.unitid}"><script type="text/xml">\n'
            f"{datastore(site, column, articles, 1, group)}\n</script></div>\n"
            '<script language="javascript" src="/module/jpage/jpage.js"></script>\n'
            f"<script>$('#{column.unitid}').jpage({{proxyUrl: '/module/jpage/dataproxy.jsp', "
            f"perPage: {PER_PAGE}, groupSize: {GROUP_PAGES}, totalRecord: {len(articles)}, "
            f"ajaxParam: {{{params}}}}});</script>\n"
        )
    text = (
        _head(site, column.name)
        + crumbs
        + f'<div class="main"><div class="list-title">{escape(column.name)}</div>\n{listing}</div>\n'
        + _FOOT.format(title=escape(site.title))
    )
    return compile_page(text, site.charset, _html_type(site), _listing_modified(articles, changed))


def proxy_page(
    site: Site, column: Column, articles: list[Article], start: int, end: int, changed: datetime
) -> Page:
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n' if site.charset == "utf-8" else ""
    content_type = "text/xml; charset=UTF-8" if site.charset == "utf-8" else "text/xml; charset=GBK"
    text = prolog + datastore(site, column, articles, start, end) + "\n"
    return compile_page(text, site.charset, content_type, _listing_modified(articles, changed))


def list_page(site: Site, column: Column, articles: list[Article], number: int, changed: datetime) -> Page:
    """The plain HTML list: `ul.list li` with a link and a date span, static pages list_N.html."""
    pages = max(1, math.ceil(len(articles) / LIST_PAGE_SIZE))
    chosen = articles[(number - 1) * LIST_PAGE_SIZE : number * LIST_PAGE_SIZE]
    items = "\n".join(
        f'<li><a href="{escape(a.path)}" title="{escape(a.title)}">{escape(a.title)}</a>'
        f'<span class="date">{a.published.isoformat()}</span></li>'
        for a in chosen
    )

    def name(n: int) -> str:
        return "list.html" if n == 1 else f"list_{n}.html"

    links = [f'<a href="{name(1)}">首页</a>']
    if number > 1:
        links.append(f'<a class="prev" href="{name(number - 1)}">上一页</a>')
    if number < pages:
        links.append(f'<a class="next" href="{name(number + 1)}">下一页</a>')
    links.append(f'<a class="last" href="{name(pages)}">尾页</a>')
    text = (
        _head(site, column.name)
        + f'<div class="main"><h2>{escape(column.name)}</h2>\n<ul class="list">\n{items}\n</ul>\n'
        + f'<div class="pages">共{len(articles)}条 第{number}/{pages}页 {" ".join(links)}</div></div>\n'
        + _FOOT.format(title=escape(site.title))
    )
    return compile_page(text, site.charset, _html_type(site), _listing_modified(articles, changed))


def rss_page(site: Site, column: Column, articles: list[Article], changed: datetime) -> Page:
    """RSS 2.0 of a column, always UTF-8 (feeds are published by third parties such as RSSHub)."""
    modified = _listing_modified(articles, changed)
    items = "\n".join(
        f"<item><title>{escape(a.title)}</title><link>{escape(a.url)}</link>"
        f'<guid isPermaLink="true">{escape(a.url)}</guid><pubDate>{http_date(a.modified)}</pubDate>'
        f"<description>{escape(a.doc_number or a.title)}</description></item>"
        for a in articles
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{escape(site.title)} - {escape(column.name)}</title>\n"
        f"<link>{escape(site.base_url)}/col/col{column.id}/index.html</link>\n"
        f"<description>{escape(column.name)}</description>\n<lastBuildDate>{http_date(modified)}</lastBuildDate>\n"
        f"{items}\n</channel></rss>\n"
    )
    return compile_page(text, "utf-8", "application/rss+xml; charset=utf-8", modified)


def xxgk_page(site: Site, articles: list[Article], page: int, changed: datetime) -> Page:
    """Answer of /module/xxgk/search.jsp: `a[gkfs="主动公开"]` rows and 下一页 / 尾 页 links."""
    pages = max(1, math.ceil(len(articles) / XXGK_PAGE_SIZE))
    chosen = articles[(page - 1) * XXGK_PAGE_SIZE : page * XXGK_PAGE_SIZE]
    rows = "\n".join(
        f'<tr><td class="bt"><a gkfs="主动公开" href="{escape(a.path)}" title="{escape(a.title)}" '
        f'target="_blank">{escape(a.title)}</a></td><td class="wh">{escape(a.doc_number or "")}</td>'
        f'<td class="rq">{a.published.isoformat()}</td></tr>'
        for a in chosen
    )

    def link(label: str, number: int, enabled: bool) -> str:
        if not enabled:
            return f"<span>{label}</span>"
        return f'<a href="javascript:goPage({number});">{label}</a>'

    paging = " ".join(
        [
            f"共{len(articles)}条 第{page}/{pages}页",
            link("首页", 1, page > 1),
            link("上一页", page - 1, page > 1),
            link("下一页", page + 1, page < pages),
            link("尾 页", pages, page < pages),
        ]
    )
    text = (
        f"{_meta_charset(site)}\n"
        f'<div class="xxgk_list"><table class="xxgk_table">\n{rows}\n</table>\n'
        f'<div class="xxgk_page">{paging}</div></div>\n'
    )
    return compile_page(text, site.charset, _html_type(site), _listing_modified(articles, changed))


def _meta_table(article: Article) -> str:
    values = [
        ("索引号", article.index_no or ""),
        ("主题分类", article.topic),
        ("发布机构", article.issuer),
        ("生成日期", article.published.isoformat()),
        ("文号", article.doc_number or ""),
        ("有效性", article.validity or ""),
    ]
    if article.meta_table == "none":
        return ""
    pairs = [values[i : i + 2] for i in range(0, len(values), 2)]
    if article.meta_table == "fgwj_xxgk_head":
        rows = "".join(
            "<tr>" + "".join(f'<td class="td_lable">{k}</td><td>{escape(v)}</td>' for k, v in pair) + "</tr>"
            for pair in pairs
        )
        return f'<table class="fgwj_xxgk_head"><tbody>{rows}</tbody></table>\n'
    rows = "".join(
        "<tr>" + "".join(f"<th>{k}：</th><td>{escape(v)}</td>" for k, v in pair) + "</tr>" for pair in pairs
    )
    return f'<table class="xxgk_top" cellspacing="0">{rows}</table>\n'


_CONTAINER_OPEN = {
    "zoom": '<div id="zoom">',
    "article-conter": '<div class="article-conter">',
    "bt_content": '<div class="bt_content">',
    "zc_article_con": '<div class="zc_article_con">',
}


def _title_block(article: Article) -> str:
    if article.meta_table == "xxgk_top" or article.container == "zc_article_con":
        return f'<div class="title">{escape(article.title)}</div>\n'
    return f'<div class="art_title"><h2>{escape(article.title)}</h2></div>\n'


def article_page(site: Site, column: Column, article: Article) -> Page:
    body = "\n".join(f'<p style="text-indent:2em;">{escape(p)}</p>' for p in paragraphs(article.body))
    links = "\n".join(
        f'<p>附件：<a href="{escape(f.path)}" target="_blank">{escape(f.name)}</a></p>'
        for f in article.attachments
        if not f.viewer
    )
    viewers = "".join(
        f'<div id="pdfContainer"></div>\n<script type="text/javascript">var pdfurl = "{f.path}";'
        "\nloadPdf(pdfurl);</script>\n"
        for f in article.attachments
        if f.viewer
    )
    info = (
        f'<div class="art_info"><span>发布日期：{article.published.isoformat()}</span>'
        f'<span>来源：{escape(article.issuer)}</span><span>浏览次数：<em id="visits">{slot("visits")}</em></span>'
        '<span class="fontsize">字号：<a href="javascript:doZoom(18)">大</a> '
        '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></span></div>\n'
    )
    meta = (
        f'<meta name="ArticleTitle" content="{escape(article.title)}">\n'
        f'<meta name="PubDate" content="{article.published.isoformat()} 09:00">\n'
        f'<meta name="ContentSource" content="{escape(article.issuer)}">\n'
        f'<meta name="ColumnName" content="{escape(column.name)}">\n'
    )
    text = (
        _head(site, article.title, meta)
        + f'<div class="crumbs"><a href="/">首页</a> &gt; <a href="/col/col{column.id}/index.html">'
        + f"{escape(column.name)}</a></div>\n"
        + '<div class="main">\n'
        + _meta_table(article)
        + _title_block(article)
        + info
        + f"{_CONTAINER_OPEN[article.container]}\n{body}\n{links}\n{viewers}</div>\n"
        + f'<div class="share">{slot("share")}</div>\n'
        + '<div class="print-close"><a href="javascript:window.print()">打印本页</a> '
        + '<a href="javascript:window.close()">关闭窗口</a></div>\n</div>\n'
        + f'<div class="sidebar"><h3>相关链接</h3><ul class="related">{slot("related")}</ul></div>\n'
        + _FOOT.format(title=escape(site.title))
    )
    return compile_page(text, site.charset, _html_type(site), article.modified)


def home_page(site: Site, changed: datetime) -> Page:
    links = "\n".join(
        f'<li><a href="/col/col{c.id}/index.html">{escape(c.name)}</a> '
        f'(<a href="/col/col{c.id}/list.html">列表</a>, <a href="/col/col{c.id}/rss.xml">RSS</a>)</li>'
        for c in site.columns
    )
    text = (
        _head(site, "首页")
        + f'<ul class="columns">\n{links}\n</ul>\n'
        + _FOOT.format(title=escape(site.title))
    )
    return compile_page(text, site.charset, _html_type(site), changed)


def message_page(site: Site, status: int, message: str) -> Page:
    text = (
        f"<!DOCTYPE html>\n<html><head>{_meta_charset(site)}<title>{status}</title></head>"
        f"<body><h1>{status}</h1><p>{escape(message)}</p></body></html>\n"
    )
    return compile_page(text, site.charset, _html_type(site), datetime.now(UTC))


CHALLENGE = (
    "<html><head><meta charset=\"utf-8\"></head><body><script>var _0x2a=['cookie','reload'];"
    "document[_0x2a[0]]='__jsl_clearance=1700000000.123|0|replica;path=/';location[_0x2a[1]]();"
    "</script></body></html>\n"
)
