"""Hostile inputs that concern parsing, served over a real 127.0.0.1 socket: each gives a
classified error for its own URL while the other URLs of the pass finish."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import docx
import pytest
from fpdf import FPDF

from watcher.fetch import fetch_articles, fetch_listing
from watcher.http import Fetcher, HttpSettings

pytestmark = pytest.mark.slow

FAST = HttpSettings(per_host_rate=0, max_retries=0, total_timeout=30)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
    "<rss><channel><item><title>&h;</title><link>http://x/</link></item></channel></rss>"
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE datastore [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<datastore><recordset><record>&x;</record></recordset></datastore>"
)


def _pdf(text: str, password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _article(title: str, body: str, links: list[str]) -> bytes:
    anchors = "".join(f'<p>附件：<a href="{href}">{href.rsplit("/", 1)[1]}</a></p>' for href in links)
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<div class="art_title"><h2>{title}</h2></div><div id="zoom">{body}{anchors}</div></body></html>'
    ).encode()


DEPTH = 10_000
ROUTES: dict[str, tuple[str, bytes]] = {
    "/feed.xml": ("application/rss+xml", LAUGHS.encode()),
    "/module/jpage/dataproxy.jsp": ("text/xml", EXTERNAL.encode()),
    "/deep.html": (
        "text/html; charset=utf-8",
        (
            "<html><body><div id='zoom'>"
            + "<div>" * DEPTH
            + "<p>一、深层条款正文内容。</p>"
            + "</div>" * DEPTH
            + "</div></body></html>"
        ).encode(),
    ),
    "/with-files.html": (
        "text/html; charset=utf-8",
        _article(
            "关于印发测试政策的通知",
            "<p>各有关单位：</p><p>现将测试政策印发给你们。</p>",
            ["/f/fake.pdf", "/f/locked.pdf", "/f/broken.pdf", "/f/policy.docx"],
        ),
    ),
    "/plain.html": ("text/html; charset=utf-8", _article("关于普通事项的通知", "<p>一、普通条款。</p>", [])),
    "/f/fake.pdf": (
        "application/pdf",
        b"<!DOCTYPE html><html><body>\xe6\x96\x87\xe4\xbb\xb6\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</body></html>",
    ),
    "/f/locked.pdf": ("application/pdf", _pdf("secret", password="user")),
    "/f/broken.pdf": ("application/pdf", _pdf("Article 1. " * 300)[:900]),
    "/f/policy.docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _docx("测试政策", "一、总则", "（一）对符合条件的企业给予最高100万元补助。", "二、附则"),
    ),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._answer()

    def _answer(self) -> None:
        route = ROUTES.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_error(404)
            return
        content_type, body = route
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


async def test_xml_entity_expansion_and_external_entities_are_refused(server: str) -> None:
    async with Fetcher(FAST) as fetcher:
        feed = await fetch_listing(fetcher, f"{server}/feed.xml", "feed")
        proxy = await fetch_listing(
            fetcher,
            f"{server}/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&columnid=1&unitid=2&webid=3&webname=x",
            "jcms-dataproxy",
        )
    for listing in (feed, proxy):
        assert listing.entries == [] and listing.pages == 0
        assert [(e.stage, e.kind) for e in listing.errors] == [("listing", "bad_content")]
    assert "DTD" in feed.errors[0].message


async def test_bad_attachments_are_classified_and_the_rest_of_the_pass_finishes(server: str) -> None:
    urls = [
        f"{server}/with-files.html",
        f"{server}/deep.html",
        f"{server}/missing.html",
        f"{server}/plain.html",
    ]
    async with Fetcher(FAST) as fetcher:
        with_files, deep, missing, plain = await fetch_articles(fetcher, urls)

    kinds = {e.url.rsplit("/", 1)[1]: e.kind for e in with_files.errors}
    assert kinds == {"fake.pdf": "bad_content", "locked.pdf": "encrypted", "broken.pdf": "bad_content"}
    assert all(e.stage == "attachment" for e in with_files.errors)
    assert with_files.status == "new"
    doc = with_files.documents[0]
    by_name = {a.name: a for a in doc.attachments}
    assert by_name["policy.docx"].text_extracted and not by_name["locked.pdf"].text_extracted
    assert any("最高100万元" in clause.text for clause in doc.clauses)  # the DOCX text reached the clauses

    assert deep.status == "new" and not deep.errors
    assert (
        any("深层条款" in c.text for d in deep.documents for c in d.clauses)
        or "深层条款" in deep.documents[0].preamble
    )

    assert missing.status == "failed" and [(e.kind, e.status) for e in missing.errors] == [("not_found", 404)]
    assert plain.status == "new" and plain.documents
