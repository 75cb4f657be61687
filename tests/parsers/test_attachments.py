"""Attachment extraction: PDF and DOCX text, and the classified refusals for files that lie."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from fpdf import FPDF

from parsers.adapters.models import ParseError
from parsers.attachments import DOCX, PDF, docx_text, extract, pdf_text, sniff_media_type


def _pdf(*pages: str, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    if owner_password:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password)
    return bytes(pdf.output())


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("1. General provisions")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["No.", "Task", "Lead"], ["1", "Invest 1000", "DRC"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("2. Supplementary provisions")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_pdf_text_keeps_lines_and_pages_in_order() -> None:
    text = pdf_text(_pdf("Article 1. Subsidy up to 1000\nArticle 2. Award 20", "Article 3. Budget 140.7"))
    assert text.splitlines() == [
        "Article 1. Subsidy up to 1000",
        "Article 2. Award 20",
        "",
        "Article 3. Budget 140.7",
    ]


def test_pdf_with_only_an_owner_password_is_readable() -> None:
    assert pdf_text(_pdf("permissions only", owner_password="owner")) == "permissions only"


def test_pdf_needing_a_user_password_is_classified_encrypted() -> None:
    with pytest.raises(ParseError) as info:
        pdf_text(_pdf("secret", owner_password="owner", user_password="user"))
    assert info.value.kind == "encrypted"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<!DOCTYPE html><html><body>\xe6\x96\x87\xe4\xbb\xb6\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</body></html>",
            "HTML page",
        ),
        (b"%PDF-1.7\nthis is not a pdf body", "corrupt PDF"),
        (b"\x00\x01binary junk", "no %PDF- header"),
    ],
)
def test_bad_pdfs_are_classified_bad_content(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as info:
        pdf_text(data)
    assert info.value.kind == "bad_content"


def test_truncated_pdf_is_bad_content() -> None:
    data = _pdf("Article 1. " * 200)
    with pytest.raises(ParseError) as info:
        pdf_text(data[: len(data) // 3])
    assert info.value.kind == "bad_content"


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    assert docx_text(_docx()).splitlines() == [
        "1. General provisions",
        "No. Task Lead",
        "1 Invest 1000 DRC",
        "2. Supplementary provisions",
    ]


def test_broken_docx_is_bad_content() -> None:
    with pytest.raises(ParseError) as info:
        docx_text(_docx()[:400])
    assert info.value.kind == "bad_content"
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(ParseError):
        docx_text(other_zip.getvalue())


def test_extract_sniffs_content_not_the_name() -> None:
    pdf = _pdf("Article 1.")
    result = extract(pdf, "download.jsp", "https://www.zj.gov.cn/module/download/downfile.jsp?filename=a.pdf")
    assert result.media_type == PDF and result.text == "Article 1." and len(result.sha256) == 64
    assert extract(_docx(), "policy.doc", "u").media_type == DOCX
    xls = extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "table.xls", "u")
    assert xls.text is None and xls.media_type == "application/vnd.ms-excel"
    with pytest.raises(ParseError, match="HTML"):
        extract(b"<html><body>login required</body></html>", "policy.pdf", "u")
    assert sniff_media_type(b"<html></html>", "x.ofd") == "text/html"
