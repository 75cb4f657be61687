"""Attachment files: text from PDF (pypdfium2) and DOCX (python-docx); every file sniffed, hashed
and typed. Bad files raise a classified ParseError, never crash: encrypted PDFs, corrupt files,
and "PDFs" that are really an HTML error page."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
import zipfile

import pypdfium2 as pdfium
from pydantic import BaseModel, ConfigDict

from parsers.adapters.models import ParseError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFD = "application/ofd"
ZIP = "application/zip"
OLE = "application/x-ole-storage"  # .doc / .xls / .wps (binary Office formats)
HTML = "text/html"

MAX_PDF_PAGES = 2_000
MAX_UNZIPPED_BYTES = 200_000_000
_HTML_START = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<script|<title|<!--)", re.IGNORECASE
)
_EXTRA_TYPES = {".wps": "application/vnd.ms-works", ".ofd": OFD, ".et": "application/vnd.ms-excel"}


class ExtractedFile(BaseModel):
    """What is known about one downloaded attachment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    url: str
    sha256: str
    media_type: str
    text: str | None = None


def sniff_media_type(data: bytes, name: str = "") -> str:
    """Media type from the bytes themselves, the file name only as a tie-breaker."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return ZIP
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        if "OFD.xml" in names:
            return OFD
        return ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
        return _EXTRA_TYPES.get(f".{suffix}") or mimetypes.types_map.get(f".{suffix}") or OLE
    if _HTML_START.match(head):
        return HTML
    guessed = _EXTRA_TYPES.get("." + name.lower().rsplit(".", 1)[-1]) if "." in name else None
    return guessed or mimetypes.guess_type(name)[0] or "application/octet-stream"


def pdf_text(data: bytes, max_pages: int = MAX_PDF_PAGES) -> str:
    """Text of every page, pages separated by a blank line."""
    if b"%PDF-" not in data[:1024]:
        if _HTML_START.match(data[:2048]):
            raise ParseError("bad_content", "expected a PDF but the server sent an HTML page")
        raise ParseError("bad_content", "expected a PDF but the file has no %PDF- header")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ParseError("encrypted", "the PDF is encrypted and needs a password") from None
        raise ParseError("bad_content", f"corrupt PDF: {exc}") from None
    try:
        if len(document) > max_pages:
            raise ParseError(
                "bad_content", f"PDF has {len(document)} pages, more than the {max_pages} allowed"
            )
        pages: list[str] = []
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
                finally:
                    textpage.close()
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise ParseError("bad_content", f"corrupt PDF page: {exc}") from None
    finally:
        document.close()
    return "\n\n".join(p.strip("\n") for p in pages)


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ParseError("bad_content", f"corrupt DOCX (not a valid zip): {exc}") from None
    if total > MAX_UNZIPPED_BYTES:
        raise ParseError("bad_content", f"DOCX unpacks to {total} bytes, more than {MAX_UNZIPPED_BYTES}")


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows in document order; table cells separated by spaces."""
    from docx import Document as open_docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    if not data.startswith(b"PK\x03\x04"):
        if _HTML_START.match(data[:2048]):
            raise ParseError("bad_content", "expected a DOCX but the server sent an HTML page")
        raise ParseError("bad_content", "expected a DOCX but the file is not a zip archive")
    _check_zip(data)
    try:
        document = open_docx(io.BytesIO(data))
        lines: list[str] = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                for row in DocxTable(child, document).rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        text = " ".join(cell.text.split())
                        if not cells or cells[-1] != text:  # merged cells repeat their text
                            cells.append(text)
                    lines.append(" ".join(cells))
    except ParseError:
        raise
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise ParseError("bad_content", f"corrupt DOCX: {type(exc).__name__}: {exc}") from None
    return "\n".join(line for line in lines if line.strip())


def extract(data: bytes, name: str, url: str) -> ExtractedFile:
    """Hash and type a file and extract text where the type allows. Raises ParseError for a PDF or
    DOCX (by name or by content) that cannot be read."""
    media_type = sniff_media_type(data, name)
    claimed = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    text: str | None = None
    if media_type == PDF or (claimed == "pdf" and media_type in (HTML, "application/octet-stream")):
        text = pdf_text(data)
    elif media_type == DOCX or (claimed == "docx" and media_type in (HTML, ZIP, "application/octet-stream")):
        text = docx_text(data)
    return ExtractedFile(
        name=name, url=url, sha256=hashlib.sha256(data).hexdigest(), media_type=media_type, text=text
    )
