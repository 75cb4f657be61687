"""Listing adapters on hand-written pages shaped like the Zhejiang sites (see the site notes)."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from parsers.adapters import ADAPTERS, PageRequest, ParseError, detect_adapter, get_adapter, post_adapter

BASE = "https://www.zj.gov.cn"
COLUMN = f"{BASE}/col/col1229019364/index.html"

DATASTORE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政策文件</title></head><body>
<ul class="nav"><li><a href="/col/col1554467/index.html">新闻</a></li></ul>
<div id="4892867"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/jpage/dataproxy.jsp?page=1&appid=1&webid=3016&path=/&columnid=1229019364&unitid=4892867&webname=浙江省人民政府&permissiontype=0&startrecord=4&endrecord=6&perpage=3"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<div class="fg_list"><div class="fg_list_1">1</div><div class="fg_list_2"><a href="/art/2026/2/3/art_1229019364_2556789.html" title="浙江省人民政府关于印发推动经济高质量发展若干政策（2026年版）的通知" target="_blank">浙江省人民政府关于印发推动经济…</a></div><div class="fg_list_3">浙政发〔2026〕6号</div><div class="fg_list_5">2026-02-03</div></div>]]></record>
<record><![CDATA[<li><a href="https://www.zj.gov.cn/art/2026/1/20/art_1229019364_2556001.html" title="关于加快发展的意见">关于加快发展的意见</a><span>2026-01-20</span></li>]]></record>
<record><![CDATA[<li><a href="/col/col1229019364/art/2026/art_0123456789abcdef0123456789abcdef.html">省政府办公厅通知</a><span>2026/1/5</span></li>]]></record>
</recordset></datastore></script></div>
</body></html>"""


def _req(url: str = COLUMN) -> PageRequest:
    return PageRequest(url=url)


def test_jcms_column_reads_datastore_records_and_follows_nextgroup_through_dataproxy() -> None:
    adapter = get_adapter("jcms-column")
    page = adapter.parse(DATASTORE_PAGE, adapter.first_request(COLUMN))
    assert [e.url for e in page.entries] == [
        f"{BASE}/art/2026/2/3/art_1229019364_2556789.html",
        f"{BASE}/art/2026/1/20/art_1229019364_2556001.html",
        f"{BASE}/col/col1229019364/art/2026/art_0123456789abcdef0123456789abcdef.html",
    ]
    first = page.entries[0]
    assert first.title == "浙江省人民政府关于印发推动经济高质量发展若干政策（2026年版）的通知"
    assert first.date == date(2026, 2, 3)
    assert first.doc_number == "浙政发〔2026〕6号"
    assert page.entries[2].date == date(2026, 1, 5)
    assert page.entries[1].doc_number is None
    nxt = page.next
    assert nxt is not None and nxt.method == "POST" and nxt.page == 2
    assert urlsplit(nxt.url).path == "/module/jpage/dataproxy.jsp"
    assert parse_qs(urlsplit(nxt.url).query) == {"startrecord": ["4"], "endrecord": ["6"], "perpage": ["3"]}
    assert nxt.data is not None and nxt.data["columnid"] == "1229019364" and nxt.data["unitid"] == "4892867"


def _proxy_answer(n: int, start: int, total: int | None = None) -> str:
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/2026/1/{i % 28 + 1}/art_1229019364_{i}.html" title="文件{i}">文件{i}</a>'
        f"<span>2026-01-{i % 28 + 1:02d}</span></li>]]></record>"
        for i in range(start, start + n)
    )
    tail = f"<totalrecord>{total}</totalrecord>" if total is not None else ""
    return f"<datastore><recordset>{records}</recordset>{tail}</datastore>"


def test_dataproxy_pages_by_record_window_until_a_short_answer() -> None:
    adapter = get_adapter("jcms-dataproxy")
    sel = adapter.selectors(
        {"unitid": "4892867", "webid": "3016", "webname": "浙江省人民政府", "perpage": 5, "group_pages": 2}
    )
    first = adapter.first_request(COLUMN, sel)
    assert first.method == "POST"
    assert parse_qs(urlsplit(first.url).query)["endrecord"] == ["10"]
    assert first.data is not None and first.data["columnid"] == "1229019364" and first.data["webid"] == "3016"
    page = adapter.parse(_proxy_answer(10, 1), first, sel)
    assert len(page.entries) == 10 and page.next is not None
    assert parse_qs(urlsplit(page.next.url).query)["startrecord"] == ["11"]
    last = adapter.parse(_proxy_answer(3, 11), page.next, sel)
    assert len(last.entries) == 3 and last.next is None


def test_dataproxy_stops_at_stated_total() -> None:
    adapter = get_adapter("jcms-dataproxy")
    request = adapter.first_request(
        f"{BASE}/module/jpage/dataproxy.jsp?startrecord=1&endrecord=4&perpage=2&columnid=1&unitid=2&webid=3"
    )
    assert request.data == {"columnid": "1", "unitid": "2", "webid": "3"}
    assert adapter.parse(_proxy_answer(4, 1, total=4), request).next is None
    assert adapter.parse(_proxy_answer(4, 1, total=9), request).next is not None


def test_dataproxy_without_form_fields_starts_from_the_column_page() -> None:
    adapter = get_adapter("jcms-dataproxy")
    first = adapter.first_request(COLUMN)
    assert first == PageRequest(url=COLUMN)
    page = adapter.parse(DATASTORE_PAGE, first)
    assert page.next is not None and page.next.method == "POST" and len(page.entries) == 3


def test_jcms_plain_fg_list_rows_and_next_link() -> None:
    html = """<html><body><div class="menu"><ul><li><a href="/">首页</a></li></ul></div>
    <div class="fg_list"><div class="fg_list_2"><a href="/art/2026/3/1/art_1_1.html">甲</a></div><div class="fg_list_5">2026-03-01</div></div>
    <div class="fg_list"><div class="fg_list_2"><a href="/art/2026/3/2/art_1_2.html">乙</a></div><div class="fg_list_5">2026-03-02</div></div>
    <a href="index_2.html">下一页</a></body></html>"""
    page = get_adapter("jcms-column").parse(html, _req())
    assert [e.title for e in page.entries] == ["甲", "乙"]
    assert page.next == PageRequest(url=f"{BASE}/col/col1229019364/index_2.html", page=2)


def test_jcms_datastore_with_entity_declaration_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE datastore [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><datastore><recordset>'
        "<record>&b;</record></recordset></datastore>"
    )
    with pytest.raises(ParseError) as info:
        get_adapter("jcms-dataproxy").parse(
            bomb, PageRequest(method="POST", url=f"{BASE}/module/jpage/dataproxy.jsp")
        )
    assert info.value.kind == "bad_content"


XXGK_PAGE = """<html><body><table>
<tr><td><a gkfs="主动公开" href="/art/2026/2/3/art_1229019365_1.html" title="关于印发甲的通知">关于印发甲的通知</a></td>
<td>浙政办发〔2026〕3号</td><td>2026-02-03</td></tr>
<tr><td><a gkfs="主动公开" href="/art/2026/2/1/art_1229019365_2.html">关于乙的批复</a></td><td></td><td>2026年2月1日</td></tr>
<tr><td><a gkfs="依申请公开" href="/art/x.html">不列</a></td></tr>
</table><div class="page"><a href="javascript:void(0)" onclick="searchsubmit(1)">首页</a>
<a href="javascript:void(0)" onclick="searchsubmit(2)">下一页</a><a href="javascript:void(0)" onclick="searchsubmit(3)">尾 页</a></div>
</body></html>"""


def test_xxgk_search_posts_form_and_pages_until_last() -> None:
    adapter = get_adapter("xxgk-search")
    sel = adapter.selectors({"form": {"jdid": "3016", "infotypeId": "A0202"}})
    first = adapter.first_request(f"{BASE}/col/col1229019365/index.html", sel)
    assert first.method == "POST" and first.url == f"{BASE}/module/xxgk/search.jsp"
    assert first.data is not None
    assert (
        first.data["jdid"] == "3016" and first.data["infotypeId"] == "A0202" and first.data["currpage"] == "1"
    )
    assert first.data["sortfield"] == ",compaltedate:0"
    page = adapter.parse(XXGK_PAGE, first, sel)
    assert [(e.title, e.doc_number, e.date) for e in page.entries] == [
        ("关于印发甲的通知", "浙政办发〔2026〕3号", date(2026, 2, 3)),
        ("关于乙的批复", None, date(2026, 2, 1)),
    ]
    assert page.next is not None and page.next.data is not None
    assert page.next.data["currpage"] == "2" and page.next.data["jdid"] == "3016" and page.next.page == 2
    last_page = XXGK_PAGE.replace("searchsubmit(2)", "searchsubmit(3)")
    third = adapter.parse(
        last_page, page.next.model_copy(update={"data": page.next.data | {"currpage": "3"}}), sel
    )
    assert third.next is None


def test_html_list_skips_menus_and_reads_spans() -> None:
    html = """<html><body><ul><li><a href="/">首页</a></li><li><a href="/about">关于</a></li></ul>
    <ul class="list"><li><a href="a1.html" title="通知一">通知一</a><span>[2026-04-01]</span></li>
    <li><a href="a2.html">通知二 杭政函〔2026〕12号</a><span>2026-04-02</span></li></ul></body></html>"""
    adapter = get_adapter("html-list")
    page = adapter.parse(html, PageRequest(url="https://www.hangzhou.gov.cn/col/col1229063387/index.html"))
    assert [(e.url.rsplit("/", 1)[1], e.date) for e in page.entries] == [
        ("a1.html", date(2026, 4, 1)),
        ("a2.html", date(2026, 4, 2)),
    ]
    assert page.entries[1].doc_number == "杭政函〔2026〕12号"
    narrow = adapter.parse(html, PageRequest(url=BASE), adapter.selectors({"item": "ul.list li"}))
    assert len(narrow.entries) == 2


RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>政策文件</title>
<item><title>浙江省人民政府关于印发若干政策的通知</title><link>https://www.zj.gov.cn/art/2026/2/3/art_1_9.html</link>
<pubDate>Tue, 03 Feb 2026 08:00:00 +0800</pubDate><description>浙政发〔2026〕6号</description></item>
<item><title>无链接</title></item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<link rel="next" href="/feed?page=2"/>
<entry><title>关于乙的通知</title><link href="/art/2026/1/2/art_1_2.html"/><updated>2026-01-02T10:00:00Z</updated></entry>
</feed>"""


def test_feed_reads_rss_and_atom() -> None:
    adapter = get_adapter("feed")
    rss = adapter.parse(RSS.encode(), PageRequest(url="https://rsshub.example/zj"))
    assert len(rss.entries) == 1
    assert rss.entries[0].date == date(2026, 2, 3) and rss.entries[0].doc_number == "浙政发〔2026〕6号"
    atom = adapter.parse(ATOM, PageRequest(url="https://www.zj.gov.cn/feed"))
    assert atom.entries[0].url == "https://www.zj.gov.cn/art/2026/1/2/art_1_2.html"
    assert atom.entries[0].date == date(2026, 1, 2)
    assert atom.next == PageRequest(url="https://www.zj.gov.cn/feed?page=2", page=2)


@pytest.mark.parametrize(
    "hostile",
    [
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>',
        '<!DOCTYPE rss [<!ENTITY a "a"><!ENTITY b "&a;&a;&a;">]><rss><channel><title>&b;</title></channel></rss>',
        "<rss><channel><item>",
        "<html><body>not a feed</body></html>",
    ],
)
def test_feed_refuses_hostile_or_broken_xml(hostile: str) -> None:
    with pytest.raises(ParseError) as info:
        get_adapter("feed").parse(hostile, PageRequest(url="https://rsshub.example/zj"))
    assert info.value.kind == "bad_content"


def test_gbk_declared_feed_bytes_decode() -> None:
    body = RSS.replace("UTF-8", "GBK").encode("gbk")
    assert get_adapter("feed").parse(body, PageRequest(url=BASE)).entries[0].title.startswith("浙江省")


def test_selector_overrides_are_validated() -> None:
    with pytest.raises(ValueError, match="no_such_field"):
        get_adapter("html-list").selectors({"no_such_field": "x"})
    assert set(ADAPTERS) == {"jcms-column", "jcms-dataproxy", "xxgk-search", "html-list", "feed"}
    with pytest.raises(ParseError, match="known"):
        get_adapter("nope")


@pytest.mark.parametrize(
    ("url", "body", "expected"),
    [
        (COLUMN, DATASTORE_PAGE, "jcms-column"),
        ("https://x.gov.cn/rss.xml", RSS, "feed"),
        ("https://x.gov.cn/atom", ATOM, "feed"),
        (f"{BASE}/module/xxgk/search.jsp", XXGK_PAGE, "xxgk-search"),
        (f"{BASE}/module/jpage/dataproxy.jsp?startrecord=1", "<datastore></datastore>", "jcms-dataproxy"),
        (
            f"{BASE}/art/2026/2/3/art_1229019364_2556789.html",
            "<html><div id='zoom'>正文</div></html>",
            "article",
        ),
        ("https://x.gov.cn/p.html", '<html><table class="xxgk_top"></table></html>', "article"),
        (
            "https://x.gov.cn/list.html",
            "<html><ul><li><a href=a>x</a><span>2026-01-01</span></li></ul></html>",
            "html-list",
        ),
    ],
)
def test_detect_adapter(url: str, body: str, expected: str) -> None:
    assert detect_adapter(url, body) == expected


def test_detect_adapter_sends_document_files_to_the_article_path() -> None:
    assert (
        detect_adapter("https://x.gov.cn/module/download/downfile.jsp?filename=a.pdf", b"%PDF-1.7\n...")
        == "article"
    )
    assert detect_adapter("https://x.gov.cn/f.docx", b"PK\x03\x04rest") == "article"


def test_datastore_that_is_not_well_formed_is_read_from_its_cdata() -> None:
    sloppy = (
        "<datastore><totalrecord>2</totalrecord><nextgroup><![CDATA[]]></nextgroup><recordset>"
        '<record><![CDATA[<li><a href="/art/2026/1/2/art_1_1.html">甲</a><span>2026-01-02</span></li>]]></record>'
        '<record><![CDATA[<li><a href="/art/2026/1/3/art_1_2.html">乙</a><span>2026-01-03</span></li>]]></record>'
        "</recordset><note>R&D</note></datastore>"
    )
    request = PageRequest(
        method="POST", url=f"{BASE}/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15"
    )
    page = get_adapter("jcms-dataproxy").parse(sloppy, request)
    assert [e.title for e in page.entries] == ["甲", "乙"] and page.next is None
    with pytest.raises(ParseError):
        get_adapter("jcms-dataproxy").parse("<datastore><record>unclosed", request)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{BASE}/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45", "jcms-dataproxy"),
        (f"{BASE}/module/jpage/dataproxy.jsp", "jcms-dataproxy"),
        (f"{BASE}/module/xxgk/search.jsp?infotypeId=C0201", "xxgk-search"),
        (f"{BASE}/module/xxgk/search.jsp", "xxgk-search"),
        (COLUMN, None),
        (f"{BASE}/art/2026/2/3/art_1229019364_2556789.html", None),
        ("https://x.gov.cn/search.jsp", None),
        ("https://x.gov.cn/list.html?next=/module/xxgk/search.jsp", None),  # only the path counts
    ],
)
def test_post_only_endpoints_are_named_by_their_path(url: str, expected: str | None) -> None:
    assert post_adapter(url) == expected
