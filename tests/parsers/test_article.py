"""Article pages: metadata table, title, body without chrome, attachment links, hostile nesting."""

from __future__ import annotations

import time
from datetime import date

from parsers.article import ArticleSelectors, block_text, parse_article

URL = "https://www.zj.gov.cn/art/2026/2/3/art_1229019364_2556789.html"

PAGE = """<html><head><title>浙江省人民政府 政策文件</title>
<script>var pdfurl = "/module/download/downfile.jsp?filename=abc123.pdf&classid=0";</script></head><body>
<div class="header"><ul><li><a href="/">首页</a></li></ul></div>
<table class="fgwj_xxgk_head"><tr><td>索引号：</td><td>002482010/2026-00012</td><td>主题分类：</td><td>综合政务</td></tr>
<tr><td>发布机构：</td><td>浙江省人民政府</td><td>生成日期：</td><td>2026-02-03</td></tr>
<tr><td>文号：</td><td>浙政发〔2026〕6号</td><td>有效性：</td><td>有效</td></tr></table>
<div class="art_title"><h2>浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知</h2></div>
<div class="info">发布日期：2026-02-03 浏览次数：<span id="c">1234</span></div>
<div class="fontsize">字号：[ <a>大</a> <a>中</a> <a>小</a> ]</div>
<div id="zoom"><p>各市、县（市、区）人民政府：</p><p>现将《推动经济高质量发展若干政策》印发给你们，<br>请认真贯彻执行。</p>
<table><tr><td>序号</td><td>任务</td></tr><tr><td>1</td><td>扩大投资</td></tr></table>
<p>附件：<a href="/module/download/downfile.jsp?filename=def456.docx&classid=0">分解表.docx</a>
<a href="/art/2026/1/1/art_1_1.html">另一篇文章</a></p></div>
<div class="bdsharebuttonbox">分享到：<a href="#">微信</a></div>
<div class="xglj"><a href="/files/unrelated.pdf">相关链接一</a></div>
<div>当前时间：2026年11月23日 <a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</body></html>"""


def test_metadata_table_title_body_and_attachments() -> None:
    page = parse_article(PAGE, URL)
    meta = page.metadata
    assert (meta.index_no, meta.issuer, meta.doc_number, meta.validity, meta.topic) == (
        "002482010/2026-00012",
        "浙江省人民政府",
        "浙政发〔2026〕6号",
        "有效",
        "综合政务",
    )
    assert meta.generated == date(2026, 2, 3)
    assert page.title == "浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知"
    assert page.body_from == "#zoom"
    assert page.body_text.splitlines() == [
        "各市、县（市、区）人民政府：",
        "现将《推动经济高质量发展若干政策》印发给你们，",
        "请认真贯彻执行。",
        "序号 任务",
        "1 扩大投资",
        "附件：分解表.docx 另一篇文章",
    ]
    assert [(a.name, a.extension) for a in page.attachments] == [
        ("分解表.docx", "docx"),
        ("abc123.pdf", "pdf"),
    ]
    assert (
        page.attachments[0].url
        == "https://www.zj.gov.cn/module/download/downfile.jsp?filename=def456.docx&classid=0"
    )


def test_chrome_never_reaches_the_text() -> None:
    noisy = PAGE.replace("1234", "98765").replace("2026年11月23日", "2027年1月1日")
    assert parse_article(noisy, URL).body_text == parse_article(PAGE, URL).body_text
    text = parse_article(PAGE.replace('id="zoom"', 'id="other"'), URL).body_text
    for chrome in ("浏览次数", "打印本页", "分享到", "相关链接", "当前时间", "字号"):
        assert chrome not in text


def test_older_template_with_label_and_value_in_one_cell() -> None:
    html = """<html><body><table class="xxgk_top"><tr><td>索引号：002489019/2026-00021</td>
    <td>发布机构：杭州市人民政府</td></tr><tr><td>文号：杭政〔2026〕3号</td><td>成文日期：2026年2月10日</td></tr></table>
    <div class="title">杭州市人民政府关于印发若干政策的通知</div>
    <div class="article-conter"><p>一、总则</p><p>（一）最高补助100万元。</p></div></body></html>"""
    page = parse_article(html, "https://www.hangzhou.gov.cn/art/2026/2/10/art_1229063386_5891204.html")
    assert page.metadata.issuer == "杭州市人民政府"
    assert page.metadata.doc_number == "杭政〔2026〕3号"
    assert page.metadata.written == date(2026, 2, 10)
    assert page.title == "杭州市人民政府关于印发若干政策的通知"
    assert page.body_from == ".article-conter"
    assert page.body_text == "一、总则\n（一）最高补助100万元。"


def test_density_fallback_finds_the_main_text() -> None:
    html = """<html><body><div class="menu"><a href="/1">首页</a><a href="/2">政务公开</a><a href="/3">办事服务</a></div>
    <div class="main"><p>一、扩大有效投资。推动重大项目建设，省财政安排资金支持重大项目前期工作。</p>
    <p>二、支持科技创新。对首次认定的高新技术企业，给予最高20万元奖励。</p>
    <p>三、稳定就业。对吸纳就业困难人员的企业给予社会保险补贴。</p></div>
    <div class="footer">主办单位：某某县人民政府办公室 网站标识码：3301270001</div></body></html>"""
    page = parse_article(html, "https://www.example.gov.cn/art/2026/1/1/art_1_1.html")
    assert page.body_from == "density"
    assert page.body_text.startswith("一、扩大有效投资") and page.body_text.endswith("社会保险补贴。")
    assert "政务公开" not in page.body_text and "网站标识码" not in page.body_text


def test_selectors_are_overridable() -> None:
    html = "<html><body><div class='custom-body'><p>正文内容在这里。</p></div><div id='zoom'></div></body></html>"
    page = parse_article(html, URL, ArticleSelectors(body=(".custom-body",)))
    assert page.body_from == ".custom-body" and page.body_text == "正文内容在这里。"


def test_html_nested_ten_thousand_deep_does_not_crash() -> None:
    depth = 10_000
    started = time.perf_counter()
    inside = (
        "<html><body><div id='zoom'>"
        + "<div>" * depth
        + "<p>深层正文</p>"
        + "</div>" * depth
        + "</div></body></html>"
    )
    assert parse_article(inside, URL).body_text == "深层正文"
    bare = (
        "<html><body>"
        + "<span>" * depth
        + "<p>没有容器的深层正文。</p>"
        + "</span>" * depth
        + "</body></html>"
    )
    assert "没有容器的深层正文" in parse_article(bare, URL).body_text
    assert time.perf_counter() - started < 10


def test_block_text_of_a_table_fragment() -> None:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(
        "<div><table><tr><td>a</td><td> b </td></tr><tr><td>c</td></tr></table>tail</div>"
    )
    assert tree.body is not None
    assert block_text(tree.body) == "a b\nc\ntail"


def test_short_body_paragraphs_that_mention_chrome_words_are_kept() -> None:
    html = """<html><body><div id="zoom"><p><span class="font16">按相关文件执行。</span></p><p>相关文件</p><p>字体：统一使用仿宋。</p>
    <p>【字体：大 中 小】</p><p>字号：<a>大</a> <a>小</a></p><p>浏览次数：15</p><p>二、打印本页内容不计。</p></div></body></html>"""
    assert parse_article(html, URL).body_text.splitlines() == ["按相关文件执行。", "字体：统一使用仿宋。"]
