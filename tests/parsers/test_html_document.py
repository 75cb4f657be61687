"""Article page + attachments -> documents: where the page's own facts (metadata, links) go
when the text holds several notices."""

from __future__ import annotations

from pathlib import Path

from parsers.article import ArticlePage, AttachmentLink, PageMetadata
from parsers.attachments import ExtractedFile
from parsers.html_document import article_documents
from parsers.reading import read_text_file

URL = "https://www.zj.gov.cn/art/2021/5/1/art_1229019365_1.html"


def _gazette_page(seeds_dir: Path) -> tuple[ArticlePage, dict[str, ExtractedFile]]:
    """Seed 004 is a gazette issue: one PDF holding several notices, linked from one page."""
    [path] = sorted(seeds_dir.glob("004_*.txt"))
    links = [
        AttachmentLink(
            name="公报.pdf", url="https://www.zj.gov.cn/module/download/downfile.jsp?filename=a.pdf"
        ),
        AttachmentLink(
            name="图解.pdf", url="https://www.zj.gov.cn/module/download/downfile.jsp?filename=b.pdf"
        ),
    ]
    gazette = ExtractedFile(
        name="公报.pdf",
        url=links[0].url,
        sha256="a" * 64,
        media_type="application/pdf",
        text=read_text_file(path),
    )
    page = ArticlePage(
        url=URL,
        title="浙江省人民政府公报2021年第14期",
        metadata=PageMetadata(issuer="浙江省人民政府办公厅"),
        body_text="",
        body_from="zoom",
        attachments=links,
    )
    return page, {gazette.url: gazette}


def test_attachments_belong_to_the_main_document_only(seeds_dir: Path) -> None:
    page, files = _gazette_page(seeds_dir)
    documents = article_documents(page, b"<html>page</html>", files)
    assert len(documents) > 1
    main, *others = documents
    assert [(a.name, a.sha256, a.text_extracted) for a in main.attachments] == [
        ("公报.pdf", "a" * 64, True),
        ("图解.pdf", None, False),  # linked but not downloaded: recorded, no hash
    ]
    assert all(doc.attachments == [] for doc in others)
    assert all(doc.source == main.source and doc.source.url == URL for doc in documents)


def test_a_page_without_text_still_records_its_attachments() -> None:
    link = AttachmentLink(name="扫描件.pdf", url="https://www.zj.gov.cn/f.pdf")
    page = ArticlePage(
        url=URL,
        title="关于某事的通知",
        metadata=PageMetadata(),
        body_text="",
        body_from="zoom",
        attachments=[link],
    )
    [doc] = article_documents(page, b"<html></html>", {})
    assert [a.name for a in doc.attachments] == ["扫描件.pdf"] and doc.notice_title == "关于某事的通知"
