"""The replica's parts without sockets: templates and ETags, conditional-GET rules, content events,
datastore XML, request-head parsing, event validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import defusedxml.ElementTree as SafeET
import pytest
from pydantic import ValidationError

from watcher.replica.app import _accepts_gzip, _not_modified
from watcher.replica.content import Content
from watcher.replica.events import EVENT_ADAPTER, Edit, EventError, Publish, Withdraw
from watcher.replica.http11 import BadRequest, parse_head
from watcher.replica.pages import compile_page, datastore, slot

BASES = {name: f"http://127.0.0.1:{port}" for name, port in (("province", 1), ("city", 2), ("county", 3))}
MODIFIED = datetime(2026, 2, 3, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def base_content() -> Content:
    return Content(BASES, synthetic=50)


@pytest.fixture
def content(base_content: Content) -> Content:
    base_content.reset()
    return base_content


def test_etag_ignores_chrome_and_changes_with_content() -> None:
    page = compile_page(f"<p>正文</p>{slot('now')}<p>尾</p>", "utf-8", "text/html", MODIFIED)
    again = compile_page(f"<p>正文</p>{slot('now')}<p>尾</p>", "utf-8", "text/html", MODIFIED)
    edited = compile_page(f"<p>正文改</p>{slot('now')}<p>尾</p>", "utf-8", "text/html", MODIFIED)
    assert page.etag == again.etag != edited.etag
    assert page.etag.startswith('W/"') and page.static is None
    assert page.segments == ("<p>正文</p>".encode(), "now", "<p>尾</p>".encode())
    plain = compile_page("<rss/>", "utf-8", "application/rss+xml", MODIFIED)
    assert plain.etag.startswith('"') and plain.static == b"<rss/>"


def test_gbk_pages_are_encoded_once_in_gbk() -> None:
    page = compile_page("<p>浙政发〔2026〕6号</p>", "gbk", "text/html", MODIFIED)
    assert page.static == "<p>浙政发〔2026〕6号</p>".encode("gbk")


def test_conditional_rules() -> None:
    page = compile_page(f"x{slot('now')}", "utf-8", "text/html", MODIFIED)
    bare = page.etag.removeprefix("W/")
    assert _not_modified(page, {"if-none-match": page.etag})
    assert _not_modified(page, {"if-none-match": f'"nope", {bare}'})
    assert _not_modified(page, {"if-none-match": "*"})
    assert not _not_modified(page, {"if-none-match": '"nope"'})
    same = format_datetime(MODIFIED, usegmt=True)
    earlier = format_datetime(MODIFIED - timedelta(seconds=1), usegmt=True)
    assert _not_modified(page, {"if-modified-since": same})
    assert not _not_modified(page, {"if-modified-since": earlier})
    assert not _not_modified(page, {"if-modified-since": "yesterday"})
    assert not _not_modified(page, {"if-none-match": '"nope"', "if-modified-since": same})
    assert not _not_modified(page, {})


def test_datastore_records_and_next_group(content: Content) -> None:
    site = content.sites["county"]
    column = site.columns[0]
    articles = content.listed("county", column.id)
    root = SafeET.fromstring(datastore(site, column, articles, 1, 45))
    assert root.findtext("totalrecord") == str(len(articles))
    assert len(list(root.iter("record"))) == len(articles)
    assert (root.findtext("nextgroup") or "") == ""
    province = content.sites["province"]
    policy = province.columns[0]
    listed = content.listed("province", policy.id)
    first = SafeET.fromstring(datastore(province, policy, listed, 1, 45))
    assert len(list(first.iter("record"))) == 45
    assert "startrecord=46&amp;endrecord=90" in (first.findtext("nextgroup") or "")


def test_edit_with_anchor_replaces_only_after_it(content: Content) -> None:
    article = content.find(Edit(seed="000", old="x", new="y"))
    first = article.body.index("1000万元")
    anchor = "(三)支持高能级科创平台提能造峰"
    later = article.body.index("1000万元", article.body.index(anchor))
    edited = content.edit(Edit(seed="000", old="1000万元", new="1500万元", after=anchor))
    assert edited.body[first : first + 6] == "1000万元"
    assert edited.body[later : later + 6] == "1500万元"
    assert edited.modified > article.modified
    again = content.edit(Edit(seed="000", old="1500万元", new="1600万元"))
    assert again.modified > edited.modified  # strictly later, so If-Modified-Since sees it
    with pytest.raises(EventError, match="not found"):
        content.edit(Edit(seed="000", old="1000万元", new="x", after="不存在的锚点"))


def test_publish_and_withdraw_change_listings(content: Content) -> None:
    before = content.listed("province", "1229019364")
    article = content.publish(Publish(title="新通知", body="一、总则。"))
    listed = content.listed("province", "1229019364")
    assert listed[0] == article and len(listed) == len(before) + 1
    assert content.column_changed("province", "1229019364") == article.modified
    content.withdraw(Withdraw(path=article.path))
    assert article.path not in [a.path for a in content.listed("province", "1229019364")]
    gone = content.article("province", article.path)
    assert gone is not None and gone.gone
    with pytest.raises(EventError, match="unknown site"):
        content.publish(Publish(site="mars", title="x"))
    with pytest.raises(EventError, match="unknown column"):
        content.publish(Publish(column="42", title="x"))
    content.reset()
    assert content.listed("province", "1229019364") == before


def test_published_attachment_keeps_the_text(content: Content) -> None:
    article = content.publish(Publish(title="附件通知", seed="003", attach="docx", site="city"))
    assert article.attachments[0].kind == "docx"
    assert "扩大有效投资政策" in article.attachments[0].text
    assert content.file("city", article.attachments[0].filename) == (article, article.attachments[0])


def test_request_head_parsing() -> None:
    method, target, version, headers = parse_head(b'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nIf-None-Match: W/"1"')
    assert (method, target, version) == ("GET", "/a?b=1", "HTTP/1.1")
    assert headers == {"host": "x", "if-none-match": 'W/"1"'}
    for bad, status in ((b"GET /", 400), (b"GET / HTTP/2.0", 505), (b"GET / HTTP/1.1\r\nno colon", 400)):
        with pytest.raises(BadRequest) as caught:
            parse_head(bad)
        assert caught.value.status == status


def test_event_validation() -> None:
    assert EVENT_ADAPTER.validate_python({"kind": "fail", "status": 429}).kind == "fail"
    for invalid in (
        {"kind": "fail", "status": 418},
        {"kind": "fail", "status": 500, "path": "("},
        {"kind": "slow", "delay": 0},
        {"kind": "truncate", "keep": 1.5},
        {"kind": "edit", "seed": "000", "old": "", "new": "x"},
        {"kind": "publish"},
        {"kind": "nope"},
    ):
        with pytest.raises(ValidationError):
            EVENT_ADAPTER.validate_python(invalid)


def test_gzip_negotiation_and_tags() -> None:
    assert _accepts_gzip({"accept-encoding": "gzip, deflate"})
    assert _accepts_gzip({"accept-encoding": "br;q=1.0, gzip;q=0.5"})
    assert _accepts_gzip({"accept-encoding": "*"})
    assert not _accepts_gzip({"accept-encoding": "gzip;q=0"})
    assert not _accepts_gzip({"accept-encoding": "identity"})
    assert not _accepts_gzip({})
    page = compile_page("<rss/>", "utf-8", "application/rss+xml", MODIFIED)
    assert _not_modified(page, {"if-none-match": page.etag[:-1] + '-gzip"'})
