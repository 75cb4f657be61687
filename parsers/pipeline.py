"""The one entry point from raw input to schema: read -> normalize -> split notices -> layout -> Document.

`parse_file` dispatches on the file suffix in one place (`READERS`). A saved article page goes
through the fetch stage's own path (`parsers.article` then `parsers.html_document`), a PDF or DOCX
through its attachment extraction (`parsers.attachments`), and every text ends in `parse_text`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from parsers.document import build_document
from parsers.normalize import normalize_document
from parsers.reading import EmptyInput, InputError, decode_bytes, read_file_bytes, read_text_file
from parsers.schema import Document, Source
from parsers.structure import paragraphs_of, parse_layout, split_documents


class UnsupportedFormat(InputError):
    """The file type has no reader yet."""


def parse_text(text: str, source: Source) -> list[Document]:
    """Parse one raw (decoded, not yet normalized) input into its notices."""
    normalized, script = normalize_document(text)
    paragraphs = paragraphs_of(normalized)
    documents = []
    for chunk in split_documents(paragraphs):
        layout = parse_layout(chunk)
        if not layout.clauses and not layout.preamble and not layout.title and not layout.doc_number:
            continue
        documents.append(build_document(layout, "\n".join(chunk), source, script))
    return documents


class UnreadableFile(InputError):
    """A PDF or DOCX that cannot be read (encrypted, corrupt, or another kind of file)."""


_MAX_BYTES = 20_000_000
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)


def _source(path: Path, raw: bytes) -> Source:
    return Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest())


# Touches every lazily built table: script detection and OpenCC, department aliases, amounts.
_WARM_UP_TEXT = (
    "关于印发测试办法的通知\n一、总体要求\n对企业最高给予100万元补助。(责任单位:省财政厅、省经信厅)"
)


def warm_up() -> None:
    """Build the parser's lazy tables now (about 0.1 s, mostly script detection), so that a
    worker process does not spend that time on its first document."""
    parse_text(_WARM_UP_TEXT, Source(sha256="0" * 64))


def _read_txt(path: Path) -> list[Document]:
    text = read_text_file(path)  # refuses missing, oversized, binary and undecodable files first
    return parse_text(text, _source(path, path.read_bytes()))


def _read_html(path: Path) -> list[Document]:
    """A saved article page: body and page metadata as `zjwatch fetch` reads them. Attachments
    are listed with their links but not read (they are not on disk)."""
    from parsers.adapters.models import ParseError
    from parsers.article import parse_article
    from parsers.html_document import article_documents

    raw = read_file_bytes(path, _MAX_BYTES)
    match = _META_CHARSET.search(raw[:4096])
    declared = match.group(1).decode("ascii", "replace") if match else None
    html = decode_bytes(raw, declared=declared, name=str(path))
    try:
        page = parse_article(html, path.resolve().as_uri())
        documents = article_documents(page, raw, {})
    except ParseError as exc:
        raise UnreadableFile(f"{path}: {exc.message}") from None
    source = _source(path, raw)
    return [doc.model_copy(update={"source": source}) for doc in documents]


def _read_attachment(path: Path) -> list[Document]:
    from parsers.adapters.models import ParseError
    from parsers.attachments import DOCX, HTML, PDF, extract, sniff_media_type

    raw = read_file_bytes(path, _MAX_BYTES)
    kind = "PDF" if path.suffix.lower() == ".pdf" else "DOCX"
    media_type = sniff_media_type(raw, path.name)
    if media_type == HTML:
        raise UnreadableFile(f"{path}: not a {kind} but an HTML page saved under a {path.suffix} name")
    if media_type not in (PDF, DOCX):
        raise UnreadableFile(f"{path}: not a {kind} (the content looks like {media_type})")
    try:
        text = extract(raw, path.name, path.resolve().as_uri()).text or ""
    except ParseError as exc:
        raise UnreadableFile(f"{path}: {exc.message}") from None
    if not text.strip():
        raise EmptyInput(f"{path}: the {kind} has no text layer (a scan needs OCR first)")
    return parse_text(text, _source(path, raw))


READERS: dict[str, Callable[[Path], list[Document]]] = {
    ".txt": _read_txt,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_attachment,
    ".docx": _read_attachment,
}


def parse_file(path: str | Path) -> list[Document]:
    """Parse a file; raises an `InputError` subclass with a message naming the file on bad input."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise UnsupportedFormat(
            f"{path}: {path.suffix or 'no suffix'} files are not supported yet (supported: {supported})"
        )
    return reader(path)
