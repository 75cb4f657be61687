"""The one entry point from raw input to schema: read -> normalize -> split notices -> layout -> Document.

`parse_file` dispatches on the file suffix in one place (`READERS`); formats the fetch stage adds
(HTML, PDF, DOCX) plug in there and reuse `parse_text`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from parsers.document import build_document
from parsers.normalize import detect_script, normalize_text
from parsers.reading import InputError, read_text_file
from parsers.schema import Document, Source
from parsers.structure import (
    CLOSING,
    DATE_LINE,
    DOC_NUMBER_LINE,
    is_title_like,
    paragraphs_of,
    parse_layout,
    split_documents,
)


class UnsupportedFormat(InputError):
    """The file type has no reader yet."""


def parse_text(text: str, source: Source) -> list[Document]:
    """Parse one raw (decoded, not yet normalized) input into its notices."""
    script = detect_script(text)
    paragraphs = resplit(paragraphs_of(normalize_text(text)))
    documents = []
    for chunk in split_documents(paragraphs):
        layout = parse_layout(chunk)
        if not layout.clauses and not layout.preamble and not layout.title and not layout.doc_number:
            continue
        documents.append(build_document(layout, "\n".join(chunk), source, script))
    return documents


def _read_txt(path: Path) -> tuple[str, bytes]:
    text = read_text_file(path)  # refuses missing, oversized, binary and undecodable files first
    return text, path.read_bytes()


READERS: dict[str, Callable[[Path], tuple[str, bytes]]] = {".txt": _read_txt}


def parse_file(path: str | Path) -> list[Document]:
    """Parse a file; raises an `InputError` subclass with a message naming the file on bad input."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise UnsupportedFormat(
            f"{path}: {path.suffix or 'no suffix'} files are not supported yet (supported: {supported})"
        )
    text, raw = reader(path)
    return parse_text(text, Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest()))


_PUBLIC_PREFIX = re.compile(r"([(（]此件(?:公开发布|主动公开|不公开)[)）])(.+)")
_DOC_NUMBER_PREFIX = re.compile(rf"({DOC_NUMBER_LINE.pattern})(.*关于.+)")
_DATE_PREFIX = re.compile(rf"({DATE_LINE.pattern})(?!\s?印发)(\D.+)")
_QUOTED_TITLE = re.compile(r"《([^《》]{6,60})》")
_CLOSING_AFTER_MARK = re.compile(rf"(?<=[)\]])(?=(?:{CLOSING.pattern}))")


def resplit(paragraphs: list[str]) -> list[str]:
    """Undo joins that glue a unit of the notice frame to the next line: a 文号 or a signature
    date followed by a title, "(此件公开发布)" followed by the policy title, and a part title
    the notice announces in 《》 glued to the paragraph before the part's "一、"."""
    out: list[str] = []
    for p in paragraphs:
        head = p[:1]
        frame = (
            (_PUBLIC_PREFIX,)
            if head in "(（"
            else (_DATE_PREFIX,)
            if head.isdigit()
            else (_DOC_NUMBER_PREFIX,)
        )
        for pattern in frame:
            m = pattern.fullmatch(p) if pattern is not _DOC_NUMBER_PREFIX or "号" in p[:24] else None
            if m and (pattern is not _DATE_PREFIX or is_title_like(m.group(2))):
                out.extend([m.group(1), m.group(2)])
                break
        else:
            m = _CLOSING_AFTER_MARK.search(p) if ("上述" in p or "以上" in p or "本" in p) else None
            out.extend([p[: m.start()], p[m.start() :]] if m and m.start() > 0 else [p])
    announced = {t for p in out[:12] for t in _QUOTED_TITLE.findall(p)}
    result: list[str] = []
    for i, p in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else ""
        title = (
            next((t for t in announced if p.endswith(t) and p != t), None) if nxt.startswith("一、") else None
        )
        if title:
            result.extend([p[: -len(title)], title])
        else:
            result.append(p)
    return result
