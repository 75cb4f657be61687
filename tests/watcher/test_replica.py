"""The replica of the Zhejiang sites, over real sockets: every endpoint's shape, GBK, conditional GET,
chrome, attachments and each scripted event."""

from __future__ import annotations

import io
import re
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime

import defusedxml.ElementTree as SafeET
import docx
import httpx
import pypdfium2
import pytest
import typer
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from typer.testing import CliRunner

from seeds import seed_texts
from watcher.commands import replica as replica_command
from watcher.replica import (
    Edit,
    Fail,
    Publish,
    Replica,
    ReplicaError,
    Reset,
    Slow,
    Truncate,
    Withdraw,
    run_replica,
    run_replica_process,
)
from watcher.replica.files import FontMissing, find_cjk_font
from watcher.replica.pages import proxy_params

pytestmark = pytest.mark.slow

POLICY = "/col/col1229019364/index.html"
SYNTHETIC = 60


@pytest.fixture(scope="module")
def shared() -> Iterator[Replica]:
    """A replica for read-only tests (events go to `fresh`)."""
    with run_replica(articles=SYNTHETIC) as running:
        yield running


@pytest.fixture
def fresh() -> Iterator[Replica]:
    with run_replica(articles=SYNTHETIC) as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as http:
        yield http


def seed(name: str) -> str:
    path = next(p for p in seed_texts() if p.name.startswith(f"{name}_"))
    return path.read_text(encoding="utf-8")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def datastore_records(xml_text: str) -> tuple[int, list[HTMLParser], str]:
    root = SafeET.fromstring(xml_text)
    records = [HTMLParser(r.text or "") for r in root.iter("record")]
    return int(root.findtext("totalrecord") or "0"), records, root.findtext("nextgroup") or ""


def form(site: str, replica: Replica) -> dict[str, str]:
    snapshot = replica.site
    column = snapshot.sites[site].columns[0]
    return proxy_params(snapshot.sites[site], column)


# --- listings ---------------------------------------------------------------------------------


def test_column_page_hides_the_list_in_datastore_xml(shared: Replica, client: httpx.Client) -> None:
    response = client.get(shared.url(POLICY))
    assert response.status_code == 200
    page = HTMLParser(response.text)
    script = page.css_first('script[type="text/xml"]')
    assert script is not None
    total, records, nextgroup = datastore_records(script.text())
    listed = shared.site.listed("province", "1229019364")
    assert total == len(listed) == 4 + SYNTHETIC
    assert len(records) == 45
    # The provincial policy column puts div.fg_list rows inside its records.
    first = records[0].css_first("div.fg_list .fg_list_2 a")
    assert first is not None
    assert first.attributes["href"] == listed[0].path
    assert first.attributes["title"] == listed[0].title
    assert first.text().endswith("…") and listed[0].title.startswith(first.text()[:-1])
    number, date_cell = records[0].css_first(".fg_list_3"), records[0].css_first(".fg_list_5")
    assert number is not None and number.text() == listed[0].doc_number
    assert date_cell is not None and date_cell.text() == listed[0].published.isoformat()
    assert "startrecord=46" in nextgroup
    assert "dataproxy.jsp" in nextgroup
    # The pager's configuration names every form field the proxy wants.
    assert "ajaxParam" in response.text and "webid: '3096'" in response.text


def test_county_column_records_are_li_items(shared: Replica, client: httpx.Client) -> None:
    page = HTMLParser(client.get(shared.url("/col/col1229286542/index.html", "county")).content.decode("gbk"))
    script = page.css_first('script[type="text/xml"]')
    assert script is not None
    total, records, nextgroup = datastore_records(script.text())
    listed = shared.site.listed("county")
    assert total == len(records) == len(listed) == 2 and nextgroup == ""
    for record, article in zip(records, listed, strict=True):
        link, date_span = record.css_first("li a"), record.css_first("li span")
        assert link is not None and date_span is not None
        assert (link.attributes["href"], link.attributes["title"]) == (article.path, article.title)
        assert date_span.text() == article.published.isoformat()


def test_city_column_uses_fg_list_rows(shared: Replica, client: httpx.Client) -> None:
    response = client.get(shared.url("/col/col1229063386/index.html", "city"))
    rows = HTMLParser(response.text).css("div.fg_list")
    article = shared.site.article("001", "city")
    assert len(rows) == 1
    link = rows[0].css_first(".fg_list_2 a")
    date_cell = rows[0].css_first(".fg_list_5")
    assert link is not None and date_cell is not None
    assert link.attributes["href"] == article.path
    assert date_cell.text() == article.published.isoformat()


def test_dataproxy_pages_through_the_same_datastore(shared: Replica, client: httpx.Client) -> None:
    url = shared.url("/module/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15")
    response = client.post(url, data=form("province", shared))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    total, records, nextgroup = datastore_records(response.text)
    listed = shared.site.listed("province", "1229019364")
    assert total == len(listed)
    hrefs = [r.css_first("a").attributes["href"] for r in records]  # type: ignore[union-attr]
    assert hrefs == [a.path for a in listed[45:90]]
    assert nextgroup == ""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"webid": None}, "missing form field(s): webid"),
        ({"webid": "1"}, "webid 1 is not this site's"),
        ({"columnid": "42"}, "unknown columnid 42"),
        ({"unitid": "1"}, "unitid 1 does not belong"),
    ],
)
def test_dataproxy_validates_its_form(
    shared: Replica, client: httpx.Client, change: dict[str, str | None], expected: str
) -> None:
    fields = {k: v for k, v in {**form("province", shared), **change}.items() if v is not None}
    url = shared.url("/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15")
    response = client.post(url, data=fields)
    assert response.status_code == 400
    assert expected in response.text


def test_dataproxy_wants_post_and_record_bounds(shared: Replica, client: httpx.Client) -> None:
    assert client.get(shared.url("/module/jpage/dataproxy.jsp")).status_code == 405
    response = client.post(
        shared.url("/module/jpage/dataproxy.jsp?startrecord=0"), data=form("province", shared)
    )
    assert response.status_code == 400
    assert "startrecord must be a positive integer" in response.text


def test_xxgk_search_pages_with_next_and_last_links(shared: Replica, client: httpx.Client) -> None:
    url = shared.url("/module/xxgk/search.jsp")
    fields = {
        "infotypeId": "C0202",
        "jdid": "3096",
        "area": "",
        "divid": "div1",
        "sortfield": ",compaltedate:0",
    }
    first = HTMLParser(client.post(url, data={**fields, "currpage": "1"}).text)
    entries = first.css('a[gkfs="主动公开"]')
    expected = [a for a in shared.site.listed("province") if a.infotype == "C0202"]
    assert len(expected) == SYNTHETIC + 1
    assert len(entries) == 15
    assert entries[0].attributes["href"] == expected[0].path
    links = {a.text(): a.attributes["href"] for a in first.css(".xxgk_page a")}
    assert links["下一页"] == "javascript:goPage(2);"
    last = -(-len(expected) // 15)
    assert links["尾 页"] == f"javascript:goPage({last});"
    final = HTMLParser(client.post(url, data={**fields, "currpage": str(last)}).text)
    assert len(final.css('a[gkfs="主动公开"]')) == len(expected) - 15 * (last - 1)
    assert "下一页" not in {a.text() for a in final.css(".xxgk_page a")}


def test_xxgk_search_filters_and_validates(shared: Replica, client: httpx.Client) -> None:
    url = shared.url("/module/xxgk/search.jsp")
    found = HTMLParser(
        client.post(
            url, data={"infotypeId": "C0201", "currpage": "1", "vc_filenumber": "浙政发〔2021〕"}
        ).text
    )
    titles = [a.attributes["title"] for a in found.css('a[gkfs="主动公开"]')]
    assert titles == [shared.site.article("004").title]
    missing = client.post(url, data={"currpage": "1"})
    assert missing.status_code == 400 and "infotypeId" in missing.text


def test_plain_list_pages_and_rss(shared: Replica, client: httpx.Client) -> None:
    listed = shared.site.listed("province", "1229019364")
    page1 = HTMLParser(client.get(shared.url("/col/col1229019364/list.html")).text)
    items = page1.css("ul.list li")
    assert [i.css_first("a").attributes["href"] for i in items] == [a.path for a in listed[:20]]  # type: ignore[union-attr]
    assert items[0].css_first("span.date").text() == listed[0].published.isoformat()  # type: ignore[union-attr]
    next_link = page1.css_first("a.next")
    assert next_link is not None and next_link.attributes["href"] == "list_2.html"
    page4 = HTMLParser(client.get(shared.url("/col/col1229019364/list_4.html")).text)
    assert len(page4.css("ul.list li")) == len(listed) - 60
    assert client.get(shared.url("/col/col1229019364/list_9.html")).status_code == 404

    feed = client.get(shared.url("/col/col1229019364/rss.xml"))
    assert feed.headers["content-type"].startswith("application/rss+xml")
    links = [item.findtext("link") for item in SafeET.fromstring(feed.content).iter("item")]
    assert links == [a.url for a in listed]


# --- articles ---------------------------------------------------------------------------------


def meta_cells(page: HTMLParser, selector: str) -> dict[str, str]:
    table = page.css_first(selector)
    assert table is not None, selector
    cells = [c.text(strip=True) for c in table.css("td, th")]
    return {cells[i].rstrip("："): cells[i + 1] for i in range(0, len(cells), 2)}


def test_provincial_article_has_metadata_title_and_body(shared: Replica, client: httpx.Client) -> None:
    article = shared.site.article("000")
    assert article.path == "/art/2026/2/3/art_1229019364_2556789.html"
    page = HTMLParser(client.get(article.url).text)
    meta = meta_cells(page, "table.fgwj_xxgk_head")
    assert meta["文号"] == "浙政发〔2026〕6号"
    assert meta["发布机构"] == "浙江省人民政府"
    assert meta["生成日期"] == "2026-02-03"
    assert meta["有效性"] == "有效"
    assert meta["索引号"] == article.index_no
    assert page.css_first(".art_title h2").text() == article.title  # type: ignore[union-attr]
    body = page.css_first("#zoom")
    assert body is not None
    assert squash(body.text()) == squash(seed("000"))
    assert "浏览次数" not in body.text() and "分享" not in body.text()


@pytest.mark.parametrize(
    ("seed_name", "site", "container", "table"),
    [
        ("001", "city", ".article-conter", "table.xxgk_top"),
        ("001", "county", ".bt_content", "table.xxgk_top"),
    ],
)
def test_body_containers_vary_across_sites(
    shared: Replica, client: httpx.Client, seed_name: str, site: str, container: str, table: str
) -> None:
    article = shared.site.article(seed_name, site)
    page = HTMLParser(client.get(article.url).content.decode("gbk" if site == "county" else "utf-8"))
    assert meta_cells(page, table)["文号"] == article.doc_number
    body = page.css_first(container)
    assert body is not None
    assert squash(body.text()) == squash(seed(seed_name))
    assert page.css_first("#zoom") is None


def test_newer_article_url_pattern(shared: Replica, client: httpx.Client) -> None:
    newer = [a for a in shared.site.articles if a.column == "1554467"]
    assert len(newer) == 1
    assert re.fullmatch(r"/col/col1554467/art/2026/art_[0-9a-f]{32}\.html", newer[0].path)
    page = HTMLParser(client.get(newer[0].url).text)
    body = page.css_first(".zc_article_con")
    assert body is not None and "深化教育科技人才一体改革发展" in body.text()
    listing = client.get(shared.url("/col/col1554467/index.html")).text
    assert newer[0].path in listing


def test_county_site_is_gbk_declared_only_in_meta(shared: Replica, client: httpx.Client) -> None:
    article = shared.site.article("001", "county")
    response = client.get(article.url)
    assert response.headers["content-type"] == "text/html"
    raw = response.content
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    assert '<meta charset="gbk">' in text
    body = HTMLParser(text).css_first(".bt_content")
    assert body is not None and squash(body.text()) == squash(seed("001"))
    column = client.get(shared.url("/col/col1229286542/index.html", "county"))
    assert column.headers["content-type"] == "text/html"
    assert article.title.encode("gbk") in column.content


def test_chrome_changes_on_every_200_but_the_etag_does_not(shared: Replica, client: httpx.Client) -> None:
    url = shared.site.article("000").url
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert first.headers["etag"].startswith('W/"')
    assert first.headers["last-modified"] == second.headers["last-modified"]

    def visits(response: httpx.Response) -> int:
        node = HTMLParser(response.text).css_first("#visits")
        assert node is not None
        return int(node.text())

    assert visits(second) == visits(first) + 1
    for response in (first, second):
        assert re.search(r"\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}:\d{2}", response.text)
        assert "字号：" in response.text and ">大<" in response.text
    sidebars = {client.get(url).text.split('class="related">')[1].split("</ul>")[0] for _ in range(6)}
    assert len(sidebars) > 1, "related links should come in a different order"


def test_conditional_get_answers_304(shared: Replica, client: httpx.Client) -> None:
    url = shared.site.article("000").url
    first = client.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    by_etag = client.get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": etag.removeprefix("W/")}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    older = format_datetime(shared.site.article("000").modified - timedelta(days=1), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
    # If-None-Match wins over If-Modified-Since.
    assert (
        client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code
        == 200
    )
    head = client.head(url)
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 1000
    for path in (POLICY, "/col/col1229019364/rss.xml", "/col/col1229019364/list.html"):
        listing = client.get(shared.url(path))
        again = client.get(shared.url(path), headers={"If-None-Match": listing.headers["etag"]})
        assert again.status_code == 304, path


def test_gzip_when_accepted_with_its_own_etag(shared: Replica, client: httpx.Client) -> None:
    url = shared.site.article("000").url
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert zipped.headers["vary"] == plain.headers["vary"] == "Accept-Encoding"
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    assert int(zipped.headers["content-length"]) < len(zipped.content) / 2  # httpx decoded it
    assert squash(seed("000"))[:100] in squash(HTMLParser(zipped.text).css_first("#zoom").text())  # type: ignore[union-attr]
    for tag in (zipped.headers["etag"], plain.headers["etag"]):
        again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
        assert again.status_code == 304 and again.headers["etag"] == zipped.headers["etag"]
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, deflate"})
    assert "content-encoding" not in refused.headers
    county = client.get(shared.site.article("000", "county").url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in county.headers and "vary" not in county.headers
    pdf = client.get(shared.site.article("003").attachments[0].url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in pdf.headers


def test_request_log_shows_conditional_headers(fresh: Replica, client: httpx.Client) -> None:
    url = fresh.site.article("000").url
    etag = client.get(url).headers["etag"]
    client.get(url, headers={"If-None-Match": etag})
    log = [entry for entry in fresh.request_log if entry.path == fresh.site.article("000").path]
    assert [entry.status for entry in log] == [200, 304]
    assert log[1].headers["if-none-match"] == etag
    assert log[0].method == "GET" and log[0].site == "province"
    client.get(url, headers={"Authorization": "Basic c2VjcmV0OnNlY3JldA=="})
    assert fresh.request_log[-1].headers["authorization"] == "<redacted>"


# --- attachments ------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def test_pdf_attachments_linked_and_in_a_viewer(shared: Replica, client: httpx.Client) -> None:
    draft = shared.site.article("003")
    page = client.get(draft.url).text
    spec = draft.attachments[0]
    assert re.search(r'href="/module/download/downfile\.jsp\?filename=[0-9a-f]{32}\.pdf&amp;classid=0"', page)
    assert len(squash(HTMLParser(page).css_first("#zoom").text())) < 300  # type: ignore[union-attr]
    response = client.get(spec.url)
    assert response.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    text = squash(pdf_text(response.content))
    assert squash("2.向上争取资金支持。争取地方政府专项债券") in text
    assert client.get(spec.url, headers={"If-None-Match": response.headers["etag"]}).status_code == 304

    plan = shared.site.article("004")
    viewer = client.get(plan.url).text
    match = re.search(r'var pdfurl = "([^"]+)";', viewer)
    assert match is not None and match.group(1) == plan.attachments[0].path
    text = squash(pdf_text(client.get(shared.url(match.group(1))).content))
    assert squash("浙江省全球先进制造业基地建设“十四五”规划") in text
    assert squash("规划期限为２０２１—２０２５年") in text


def test_docx_attachment_holds_the_attached_text(shared: Replica, client: httpx.Client) -> None:
    notice = shared.site.article("002")
    assert notice.attachments[0].kind == "docx"
    response = client.get(notice.attachments[0].url)
    assert response.headers["content-type"].endswith("wordprocessingml.document")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    attached = seed("002").split("(此件公开发布)", 1)[1]
    assert squash("".join(paragraphs)) == squash(attached)


def test_unknown_download_is_404(shared: Replica, client: httpx.Client) -> None:
    response = client.get(shared.url("/module/download/downfile.jsp?filename=00.pdf&classid=0"))
    assert response.status_code == 404


def test_missing_font_is_a_clear_error(
    fresh: Replica, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZJWATCH_CJK_FONT", "/nonexistent/font.ttc")
    with pytest.raises(FontMissing, match="fonts-wqy-zenhei"):
        find_cjk_font()
    published = fresh.event(Publish(title="无字体时的附件", body="一、正文。", attach="pdf")).article
    assert published is not None
    response = client.get(published.attachments[0].url)
    assert response.status_code == 500
    assert "no CJK font for PDF attachments" in response.text
    assert "Traceback" not in response.text


# --- events -----------------------------------------------------------------------------------


def test_publish_appears_first_in_every_listing(fresh: Replica, client: httpx.Client) -> None:
    result = fresh.event({"kind": "publish", "title": "关于新政策的通知", "doc_number": "浙政发〔2026〕9号"})
    article = result.article
    assert article is not None
    script = HTMLParser(client.get(fresh.url(POLICY)).text).css_first('script[type="text/xml"]')
    _, records, _ = datastore_records(script.text())  # type: ignore[union-attr]
    assert records[0].css_first("a").attributes["href"] == article.path  # type: ignore[union-attr]
    assert article.url in client.get(fresh.url("/col/col1229019364/rss.xml")).text
    page = HTMLParser(client.get(article.url).text)
    assert meta_cells(page, "table.fgwj_xxgk_head")["文号"] == "浙政发〔2026〕9号"


def test_edit_an_amount_changes_content_etag_and_last_modified(fresh: Replica, client: httpx.Client) -> None:
    url = fresh.site.article("000").url
    before = client.get(url)
    fresh.event({"kind": "edit", "seed": "000", "old": "1000万元", "new": "1500万元", "after": "(二)"})
    after = client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert after.headers["last-modified"] != before.headers["last-modified"]
    clause = next(
        p.text()
        for p in HTMLParser(after.text).css("#zoom p")
        if "1500万元" in p.text() or "1000万元" in p.text()
    )
    assert "1500万元" in clause
    assert after.text.count("1000万元") == before.text.count("1000万元") - 1


def test_edit_inside_a_pdf_attachment(fresh: Replica, client: httpx.Client) -> None:
    spec = fresh.site.article("003").attachments[0]
    old = client.get(spec.url)
    fresh.event(Edit(seed="003", old="不少于60亿元", new="不少于80亿元"))
    new = client.get(spec.url, headers={"If-None-Match": old.headers["etag"]})
    assert new.status_code == 200
    assert "不少于80亿元" in squash(pdf_text(new.content))


def test_edit_of_missing_text_is_refused(fresh: Replica) -> None:
    with pytest.raises(ReplicaError, match="cannot be written in county's gbk"):
        fresh.event(Edit(site="county", seed="000", old="1000万元", new="1000万元\U0001f600"))
    with pytest.raises(ReplicaError, match="not found"):
        fresh.event({"kind": "edit", "seed": "000", "old": "不存在的文字", "new": "x"})
    with pytest.raises(ReplicaError, match="invalid event"):
        fresh.event({"kind": "explode"})


def test_withdraw_gone_and_unlisted(fresh: Replica, client: httpx.Client) -> None:
    gone, unlisted = fresh.site.article("003"), fresh.site.article("002")
    column = client.get(fresh.url(POLICY))
    fresh.event(Withdraw(url=gone.url))
    fresh.event(Withdraw(seed="002", mode="unlisted"))
    assert client.get(gone.url).status_code == 404
    assert client.get(gone.attachments[0].url).status_code == 404
    assert client.get(unlisted.url).status_code == 200
    listing = client.get(fresh.url(POLICY), headers={"If-None-Match": column.headers["etag"]})
    assert listing.status_code == 200
    assert gone.path not in listing.text and unlisted.path not in listing.text
    assert fresh.site.listed("province", "1229019364")[0].seed == "000"


def test_fail_for_n_requests_then_recover(fresh: Replica, client: httpx.Client) -> None:
    url = fresh.url(POLICY)
    fresh.event(Fail(status=412, count=2))
    started = time.monotonic()
    blocked = [client.get(url) for _ in range(2)]
    assert [r.status_code for r in blocked] == [412, 412]
    assert "__jsl_clearance" in blocked[0].text and "set-cookie" in blocked[0].headers
    assert client.get(url).status_code == 200
    arrivals = [entry.at for entry in fresh.request_log[-3:]]
    assert started <= arrivals[0] <= arrivals[1] <= arrivals[2] <= time.monotonic()


def test_429_carries_retry_after_and_path_patterns(fresh: Replica, client: httpx.Client) -> None:
    fresh.event({"kind": "fail", "status": 429, "retry_after": 2, "path": r"^/art/"})
    article = client.get(fresh.site.article("000").url)
    assert article.status_code == 429 and article.headers["retry-after"] == "2"
    assert client.get(fresh.url(POLICY)).status_code == 200
    fresh.event(Fail(status=500, path="rss", site="province"))
    assert client.get(fresh.url("/col/col1229019364/rss.xml")).status_code == 500
    assert client.get(fresh.url("/col/col1229063386/rss.xml", "city")).status_code == 200
    fresh.event(Reset(content=False))
    assert client.get(fresh.site.article("000").url).status_code == 200


def test_slow_down(fresh: Replica, client: httpx.Client) -> None:
    fresh.event(Slow(delay=0.3, count=1))
    started = time.perf_counter()
    client.get(fresh.url(POLICY))
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    client.get(fresh.url(POLICY))
    assert time.perf_counter() - started < 0.3


def test_truncated_body(fresh: Replica, client: httpx.Client) -> None:
    fresh.event(Truncate(keep=0.5, count=1))
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(fresh.site.article("000").url)
    assert client.get(fresh.site.article("000").url).status_code == 200


def test_reset_restores_the_seed_content(fresh: Replica, client: httpx.Client) -> None:
    original = client.get(fresh.site.article("000").url).headers["etag"]
    fresh.event(Withdraw(seed="000"))
    fresh.event(Publish(title="临时通知"))
    fresh.event(Reset())
    assert client.get(fresh.site.article("000").url).headers["etag"] == original
    assert "临时通知" not in [a.title for a in fresh.site.articles]


def test_events_over_http(fresh: Replica, client: httpx.Client) -> None:
    endpoint = fresh.url("/__replica__/event")
    ok = client.post(endpoint, json={"kind": "publish", "title": "经由接口发布的通知"})
    assert ok.status_code == 200 and ok.json()["article"]["title"] == "经由接口发布的通知"
    assert "经由接口发布的通知" in client.get(fresh.url(POLICY)).text
    invalid = client.post(endpoint, json={"kind": "fail", "status": 418})
    assert invalid.status_code == 400 and invalid.json()["error"] == "invalid event"
    refused = client.post(endpoint, json={"kind": "withdraw", "path": "/art/1999/1/1/art_1_1.html"})
    assert refused.status_code == 409
    state = client.get(fresh.url("/__replica__/state")).json()
    assert len(state["articles"]) == len(fresh.site.articles)
    assert all(entry.path != "/__replica__/event" for entry in fresh.request_log)


# --- scale, robustness, CLI -------------------------------------------------------------------


def test_scale_mode_serves_a_thousand_articles(client: httpx.Client) -> None:
    with run_replica(articles=1000) as big:
        fields = form("province", big)
        url = big.url("/module/jpage/dataproxy.jsp?startrecord=1&endrecord=2000&perpage=15")
        total, records, _ = datastore_records(client.post(url, data=fields).text)
        assert total == len(records) == 1004
        paths = [r.css_first("a").attributes["href"] for r in records]  # type: ignore[union-attr]
        assert len(set(paths)) == 1004
        for path in paths[::97]:
            assert client.get(big.url(str(path))).status_code == 200


def test_replica_in_its_own_process(client: httpx.Client) -> None:
    with run_replica_process(articles=5) as remote:
        article = remote.site.article("000")
        first = client.get(article.url)
        assert first.status_code == 200
        remote.event(Edit(seed="000", old="1000万元", new="1500万元"))
        assert client.get(article.url, headers={"If-None-Match": first.headers["etag"]}).status_code == 200
        log = remote.request_log
        assert [entry.status for entry in log] == [200, 200]
        assert log[1].headers["if-none-match"] == first.headers["etag"]
        with pytest.raises(ReplicaError, match="not found"):
            remote.event({"kind": "edit", "seed": "000", "old": "不存在", "new": "x"})
        remote.clear_log()
        assert remote.request_log == []


def test_replica_process_reports_a_busy_port() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with (
            pytest.raises(ReplicaError, match=re.escape("cannot listen on 127.0.0.1")),
            run_replica_process(port=port),
        ):
            pass


def test_bad_requests_get_clear_answers(shared: Replica) -> None:
    host, port = "127.0.0.1", int(shared.base_url.rsplit(":", 1)[1])
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.1 400")
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.1 431")


def test_home_page_and_methods(shared: Replica, client: httpx.Client) -> None:
    home = HTMLParser(client.get(shared.url("/")).text)
    hrefs = {a.attributes["href"] for a in home.css("ul.columns a")}
    assert {POLICY, "/col/col1229019364/list.html", "/col/col1229019364/rss.xml"} <= hrefs
    moved = client.get(shared.url("/col/col1229019364/"))
    assert moved.status_code == 302 and moved.headers["location"] == POLICY
    assert client.get(shared.url("/col/col1229019364"), follow_redirects=True).url.path == POLICY
    assert client.post(shared.site.article("000").url).status_code == 405
    assert client.get(shared.url("/nothing/here.html")).status_code == 404


def test_county_xxgk_and_dataproxy_answer_gbk(shared: Replica, client: httpx.Client) -> None:
    search = client.post(
        shared.url("/module/xxgk/search.jsp", "county"), data={"infotypeId": "C0201", "currpage": "1"}
    )
    assert search.headers["content-type"] == "text/html"
    titles = [
        a.attributes["title"] for a in HTMLParser(search.content.decode("gbk")).css('a[gkfs="主动公开"]')
    ]
    assert titles == [a.title for a in shared.site.listed("county")]
    proxy = client.post(
        shared.url("/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15", "county"),
        data=form("county", shared),
    )
    assert proxy.headers["content-type"] == "text/xml; charset=GBK"
    assert shared.site.article("000", "county").title.encode("gbk") in proxy.content


def test_shutdown_frees_the_ports_despite_open_connections(client: httpx.Client) -> None:
    with httpx.Client() as keep_alive:
        with run_replica() as running:
            urls = list(running.base_urls.values())
            assert keep_alive.get(urls[0] + "/").status_code == 200
            started = time.perf_counter()
        assert time.perf_counter() - started < 5
    for url in urls:
        with pytest.raises(httpx.ConnectError):
            client.get(url + "/")


def test_replica_binds_loopback_only() -> None:
    with pytest.raises(ReplicaError, match="loopback"), run_replica(host="0.0.0.0"):
        pass


def test_cli_reports_a_busy_port_without_traceback() -> None:
    app = typer.Typer()
    replica_command.register(app)

    @app.command()
    def other() -> None:
        """Keep Typer in multi-command mode."""

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["replica", "--port", str(port)])
    assert result.exit_code == 2
    assert "cannot listen on 127.0.0.1" in result.output
    assert "Traceback" not in result.output
