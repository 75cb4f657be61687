"""XML parsing that refuses entity declarations, entity expansion and external references."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET

from parsers.adapters.models import ParseError

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""")
_GB = {"gb2312", "gbk", "cp936", "x-gbk"}


def _decode(data: bytes) -> str:
    # expat cannot read multi-byte legacy encodings such as GBK, so decode before parsing.
    match = _DECLARED.match(data[:512])
    declared = match[1].decode("ascii").lower() if match else "utf-8"
    encoding = "gb18030" if declared in _GB else declared
    try:
        return data.decode(encoding.replace("utf-8", "utf-8-sig"))
    except (LookupError, UnicodeDecodeError) as exc:
        raise ParseError("bad_content", f"XML does not decode as {declared}: {exc}") from exc


def parse_xml(data: str | bytes) -> ET.Element:
    """Parse untrusted XML; any DTD, entity or external reference is a `bad_content` ParseError."""
    if isinstance(data, bytes):
        data = _decode(data)
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden as exc:
        raise ParseError("bad_content", "XML declares a DTD (refused: entity expansion risk)") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise ParseError("bad_content", f"XML declares entity {exc.name!r} (refused)") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise ParseError("bad_content", "XML references an external resource (refused)") from exc
    except defusedxml.DefusedXmlException as exc:
        raise ParseError("bad_content", f"unsafe XML refused: {exc}") from exc
    except (ET.ParseError, ValueError) as exc:
        raise ParseError("bad_content", f"malformed XML: {exc}") from exc
