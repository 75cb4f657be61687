"""The one entry point from raw input to schema: read -> normalize -> split notices -> layout -> Document.

`parse_file` dispatches on the file suffix in one place (`READERS`); formats the fetch stage adds
(HTML, PDF, DOCX) plug in there and reuse `parse_text`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from parsers.document import build_document
from parsers.normalize import detect_script, normalize_text
from parsers.reading import InputError, read_text_file
from parsers.schema import Document, Source
from parsers.structure import paragraphs_of, parse_layout, split_documents


class UnsupportedFormat(InputError):
    """The file type has no reader yet."""


def parse_text(text: str, source: Source) -> list[Document]:
    """Parse one raw (decoded, not yet normalized) input into its notices."""
    script = detect_script(text)
    paragraphs = paragraphs_of(normalize_text(text))
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
