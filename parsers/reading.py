"""Bytes -> text for notice files and HTTP bodies, with errors a user can act on.

Decoding order: a byte-order mark decides outright (UTF-8, UTF-16, UTF-32), as does UTF-16
saved without one (NUL bytes all on one side of each pair). Otherwise: strict UTF-8; the
declared charset (HTTP header or <meta charset>; GB2312/GBK are read as their superset GB18030;
a Western single-byte label over bytes that look like GBK is taken for GBK); GB18030 when it
decodes cleanly and the bytes look like Chinese; UTF-8 with U+FFFD for at most one broken
sequence per 1,000 characters (a stray bad byte, a character cut off at the end);
charset-normalizer's best guess. Binary data (a known file signature, NUL bytes, many control
bytes) is refused before any guessing, naming what it looks like.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

__all__ = [
    "BinaryInput",
    "EmptyInput",
    "InputError",
    "InputTooLarge",
    "UndecodableInput",
    "decode_bytes",
    "read_file_bytes",
    "read_text_file",
]


class InputError(ValueError):
    """Input that cannot be read as text; the message names the input and says what is wrong."""


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class InputTooLarge(InputError):
    pass


class UndecodableInput(InputError):
    pass


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF file", "extract its text first"),
    (
        b"PK\x03\x04",
        "a ZIP archive (DOCX, XLSX, OFD and WPS-X files are ZIP)",
        "extract the document text first",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an OLE2 file (legacy DOC, XLS or WPS)",
        "convert it to text first",
    ),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "images are not read"),
    (b"\xff\xd8\xff", "a JPEG image", "images are not read"),
    (b"GIF87a", "a GIF image", "images are not read"),
    (b"GIF89a", "a GIF image", "images are not read"),
    (b"\x1f\x8b", "gzip-compressed data", "decompress it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it first"),
    (b"\x7fELF", "an executable", "it is not a notice"),
)

_SAMPLE = 64 * 1024
# Control bytes that never occur in text; \t \n \r \f \v and ESC do.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")  # real multi-byte UTF-8 content, not only breaks
_GB_PAIR = re.compile(rb"[\x81-\xfe][\x40-\x7e\x80-\xfe]")
# Labels pages declare (WHATWG names included) mapped to the superset that decodes everything
# they do and more of what real pages contain.
_GB = (
    "gb2312",
    "gbk",
    "cp936",
    "x-gbk",
    "gb_2312",
    "gb_2312-80",
    "csgb2312",
    "chinese",
    "iso-ir-58",
    "euc-cn",
)
_BIG5 = ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5")
_WESTERN = {"ascii", "iso8859-1", "iso8859-15", "cp1252", "latin-1"}
_SUPERSET = {label: "gb18030" for label in _GB} | {label: "big5hkscs" for label in _BIG5}


def _binary(data: bytes, name: str) -> BinaryInput | None:
    for magic, kind, hint in _MAGIC:
        if data.startswith(magic):
            return BinaryInput(f"{name}: not text (looks like {kind}); {hint}", kind)
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        kind = "binary data (contains NUL bytes)"
        return BinaryInput(f"{name}: not text ({kind}); a text notice never contains NUL bytes", kind)
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 50):
        kind = "binary data (many control bytes)"
        return BinaryInput(f"{name}: not text ({kind}, {controls} in the first {len(sample)} bytes)", kind)
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _SUPERSET:
        return _SUPERSET[label]
    try:
        canonical = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSET.get(canonical, canonical)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: NUL bytes (the high byte of ASCII characters)
    all on one side of each byte pair. Binary data has them everywhere."""
    if len(sample) % 2:
        sample = sample[:-1]
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_even + nul_odd < 4 or min(nul_even, nul_odd) > 0.02 * (nul_even + nul_odd):
        return None
    return "utf-16-le" if nul_odd > nul_even else "utf-16-be"


def _looks_chinese(data: bytes) -> bool:
    """Most double-byte pairs are GB2312 level-1 Hanzi or CJK punctuation, as in real Chinese text."""
    pairs = _GB_PAIR.findall(data[:_SAMPLE])
    if not pairs:
        return False
    common = sum(1 for p in pairs if 0xB0 <= p[0] <= 0xD7 or 0xA1 <= p[0] <= 0xA3)
    # GB2312 trail bytes are A1-FE; Big5 puts about 40% of its characters at 40-7E.
    gb_trail = sum(1 for p in pairs if p[1] >= 0xA1)
    return common >= 0.6 * len(pairs) and gb_trail >= 0.9 * len(pairs)


def _decode(data: bytes, declared: str | None, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableInput(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} (byte {exc.start + len(bom)}); re-save it as UTF-8"
                ) from None
    if b"\x00" in data[:_SAMPLE] and (utf16 := _utf16_without_bom(data[:_SAMPLE])):
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            if not _binary(text.encode("utf-8"), name):
                return text
    if binary := _binary(data, name):
        raise binary
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = _codec(declared)
    # Java servers label everything ISO-8859-1 by default; a single-byte Western codec decodes
    # any bytes, so GBK text under such a label is taken for GBK when it looks like it.
    if codec in _WESTERN and _looks_chinese(data):
        codec = "gb18030"
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    if _looks_chinese(data):
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    # UTF-8 with a stray bad byte or a multi-byte character cut off at the end: keep the text,
    # with U+FFFD where the bytes were broken, rather than guess another encoding for all of it.
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    if broken <= max(1, len(lenient) // 1000) and _NON_ASCII.search(lenient):
        return lenient
    best = from_bytes(data[: 4 * _SAMPLE]).best()
    if best is not None:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    said = f" (declared {declared!r})" if declared else ""
    raise UndecodableInput(
        f"{name}: cannot tell its text encoding{said}: not UTF-8, not GB18030; convert it to UTF-8"
    )


def decode_bytes(data: bytes, *, declared: str | None = None, name: str = "<input>") -> str:
    """Decode a notice or an HTTP body; `declared` is the charset the source announced, if any."""
    if not data:
        raise EmptyInput(f"{name}: empty (0 bytes)")
    text = _decode(data, declared, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise EmptyInput(f"{name}: contains only whitespace ({len(data)} bytes)")
    return text


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n} bytes"


def read_file_bytes(path: Path, max_bytes: int = 20_000_000) -> bytes:
    """A notice file's bytes, refusing a missing, unreadable, empty or oversized file (or a
    directory) with a message that names it."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        if size > max_bytes:
            raise InputTooLarge(f"{path}: {_size(size)}, over the {_size(max_bytes)} limit for one notice")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # a pipe or a growing file can outrun its stat size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputTooLarge(f"{path}: over the {_size(max_bytes)} limit for one notice")
    if not data:
        raise EmptyInput(f"{path}: empty (0 bytes)")
    return data


def read_text_file(path: Path, *, max_bytes: int = 20_000_000) -> str:
    """Read a notice from disk, refusing what is not a text file of a sensible size."""
    return decode_bytes(read_file_bytes(path, max_bytes), name=str(path))
