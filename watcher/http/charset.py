"""Turning body bytes into text: BOM, then the Content-Type charset, then <meta charset> or the
XML declaration, then GB18030, then detection. Each candidate must decode strictly to be used,
because Chinese government sites often declare one charset and serve another. Bytes that are
valid UTF-8 and not plain ASCII are read as UTF-8 whatever the label says: GBK text is almost
never valid UTF-8 by accident, while a stale gb2312 label on a UTF-8 page is common."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from parsers.reading import InputError, decode_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB2312 and GBK are subsets of GB18030; real pages labelled gb2312 routinely contain GBK-only
# characters (e.g. 〔 in 浙政发〔2026〕6号 is fine, but many names are not), so decode as GB18030.
# Latin-1 labels mean windows-1252 in practice, as the HTML standard says.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_PRESCAN_BYTES = 4096
_DETECT_BYTES = 200_000


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None if Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name == "utf-8" else _ALIASES.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def document_charset(data: bytes) -> str | None:
    """The charset a page declares in itself: XML declaration or <meta charset>/http-equiv."""
    head = data[:_PRESCAN_BYTES]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    found = normalize_charset(match.group(1).decode("ascii", "replace"))
    # A page that reached us as bytes cannot really be UTF-16; the standard says read UTF-8.
    return "utf-8" if found in ("utf-16", "utf-16-le", "utf-16-be") else found


def _bom_charset(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _detect(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data[:_DETECT_BYTES]).best()
    return normalize_charset(best.encoding) if best is not None else None


def detect_charset(data: bytes, content_type: str | None) -> str:
    """The charset `data` decodes with: BOM, valid UTF-8 (when not plain ASCII), the header
    charset, the document's own declaration, GB18030, then detection; strict decoding decides
    each step. Falls back to the first declared charset (or UTF-8) if nothing decodes."""
    if not data:
        return header_charset(content_type) or "utf-8"
    declared = [_bom_charset(data), header_charset(content_type), document_charset(data)]
    first = [declared[0], "utf-8"] if declared[0] is None and not data.isascii() else [declared[0]]
    tried: set[str] = set()
    for candidate in [*first, *declared[1:], "utf-8", "gb18030"]:
        if candidate is None or candidate in tried:
            continue
        tried.add(candidate)
        try:
            data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        return candidate
    detected = _detect(data)
    if detected and detected not in tried:
        try:
            data.decode(detected)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            return detected
    return next((c for c in declared if c), None) or detected or "utf-8"


def decode_body(data: bytes, content_type: str | None, *, name: str = "<input>") -> str:
    """The body as text via parsers.reading.decode_bytes, so a page reads the same fetched or
    from disk; what that refuses (binary, undecodable, blank) is decoded leniently here instead,
    since a response always has some text."""
    if not data:
        return ""
    declared = header_charset(content_type) or document_charset(data)
    try:
        return decode_bytes(data, declared=declared, name=name)
    except InputError:
        return data.decode(detect_charset(data, content_type), errors="replace")


def sniff_and_decode(data: bytes, content_type: str | None, *, name: str = "<input>") -> tuple[str, str]:
    """(text, charset) of a body: decode_body and detect_charset together."""
    return decode_body(data, content_type, name=name), detect_charset(data, content_type)
