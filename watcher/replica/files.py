"""PDF and DOCX attachments generated from seed text, built once per process and cached.

PDFs need a CJK TrueType font: the first of `CJK_FONTS` that exists (Debian `fonts-wqy-zenhei`,
`fonts-wqy-microhei` or `fonts-noto-cjk`), or the path in `ZJWATCH_CJK_FONT`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

from watcher.replica.site import FileSpec, paragraphs

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
_FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
# Private-use code points are PDF-extraction debris in the seeds; no font has glyphs for them.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


class AttachmentError(RuntimeError):
    """An attachment cannot be generated on this machine (missing font or library)."""


class FontMissing(AttachmentError):
    """No CJK font is installed, so PDF attachments cannot be generated."""


def find_cjk_font() -> Path:
    configured = os.environ.get("ZJWATCH_CJK_FONT")
    candidates = [configured] if configured else list(CJK_FONTS)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing(
        "no CJK font for PDF attachments: install one (apt-get install fonts-wqy-zenhei) "
        f"or set ZJWATCH_CJK_FONT to a .ttf/.ttc path; looked for {', '.join(c for c in candidates if c)}"
    )


def pdf_bytes(text: str) -> bytes:
    try:
        from fpdf import FPDF
    except ImportError as exc:  # fpdf2 ships with the dev extra
        raise AttachmentError("PDF attachments need fpdf2: pip install 'zjwatch[dev]'") from exc
    font = find_cjk_font()
    for name in ("fpdf", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_producer("zjwatch replica")
    pdf.add_font("cjk", "", str(font))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    for line in paragraphs(_PRIVATE_USE.sub("", text)):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.created = _FIXED_DATE
    document.core_properties.modified = _FIXED_DATE
    for line in paragraphs(text):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_cache: dict[str, bytes] = {}
_lock = threading.Lock()


def file_bytes(spec: FileSpec) -> bytes:
    """The generated file for `spec`; identical text and kind are built only once per process."""
    key = hashlib.sha256(f"{spec.kind}\n{spec.text}".encode()).hexdigest()
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = pdf_bytes(spec.text) if spec.kind == "pdf" else docx_bytes(spec.text)
            _cache[key] = cached
        return cached
