"""Safe reading: bytes of every shape a notice arrives in, and the errors a user sees."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from parsers.reading import (
    BinaryInput,
    EmptyInput,
    InputError,
    InputTooLarge,
    UndecodableInput,
    decode_bytes,
    read_text_file,
)

NOTICE = (
    "浙江省人民政府关于印发《推动经济高质量发展若干政策(2026年版)》的通知\n"
    "浙政发〔2026〕6号\n"
    "各市、县（市、区）人民政府，省政府直属各单位：\n"
    "现将《推动经济高质量发展若干政策(2026年版)》印发给你们，请结合实际认真组织实施。\n"
)


def test_utf8(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        assert read_text_file(path) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_byte_order_marks(encoding: str) -> None:
    data = NOTICE.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    if encoding == "utf-32-be":
        data = codecs.BOM_UTF32_BE + data
    assert decode_bytes(data) == NOTICE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding: str) -> None:
    assert decode_bytes(NOTICE.encode(encoding)) == NOTICE


def test_bom_with_broken_body_is_a_clear_error() -> None:
    with pytest.raises(
        UndecodableInput, match=r"x\.txt: starts with a UTF-8 byte-order mark but is not valid UTF-8"
    ):
        decode_bytes(codecs.BOM_UTF8 + NOTICE.encode("gbk"), name="x.txt")


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "gb18030"])
def test_gb_family_without_declaration(encoding: str) -> None:
    assert decode_bytes(NOTICE.encode(encoding)) == NOTICE


def test_gb18030_only_characters() -> None:
    text = NOTICE + "𠀀㐀 €\n"  # outside GBK: four-byte GB18030 sequences
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert decode_bytes(text.encode("gb18030")) == text
    assert decode_bytes(text.encode("gb18030"), declared="GBK") == text


def test_declared_charset_is_used_when_not_utf8() -> None:
    assert decode_bytes(NOTICE.encode("gbk"), declared="gb2312") == NOTICE
    assert decode_bytes(NOTICE.encode("big5", errors="ignore"), declared="big5") == NOTICE.encode(
        "big5", errors="ignore"
    ).decode("big5")
    # A wrong or unknown declaration does not stop a clean decode.
    assert decode_bytes(NOTICE.encode("utf-8"), declared="gbk") == NOTICE
    assert decode_bytes(NOTICE.encode("gbk"), declared="no-such-charset") == NOTICE
    # A server default of ISO-8859-1 over a GBK page: the bytes win.
    for label in ("ISO-8859-1", "latin1", "windows-1252", "us-ascii"):
        assert decode_bytes(NOTICE.encode("gbk"), declared=label) == NOTICE
    # ...while Western text under a Western label stays Western.
    assert decode_bytes("Décidé à Paris, café crème.".encode("cp1252"), declared="ISO-8859-1") == (
        "Décidé à Paris, café crème."
    )
    # WHATWG labels that Python does not know by that name.
    for label in ("x-gbk", "GB_2312-80", "csGB2312", "'gbk'"):
        assert decode_bytes(NOTICE.encode("gbk"), declared=label) == NOTICE


def test_big5_is_not_mistaken_for_gbk(seed_paths: list[Path]) -> None:
    import opencc

    traditional = opencc.OpenCC("s2t").convert(seed_paths[0].read_text(encoding="utf-8")[:3000])
    data = traditional.encode("big5", errors="ignore")
    assert decode_bytes(data) == data.decode("big5")


def test_invalid_utf8_latin_text_best_effort() -> None:
    assert decode_bytes("Le café est fermé.".encode("cp1252") * 3) == "Le café est fermé." * 3
    data = ("Le conseil municipal a décidé, après délibération, de créer un fonds spécial. " * 5).encode(
        "cp1252"
    )
    text = decode_bytes(data)
    assert "conseil municipal" in text and "fonds sp" in text


def test_utf8_with_a_broken_byte_keeps_the_text(seed_paths: list[Path]) -> None:
    data = seed_paths[0].read_bytes()
    text = decode_bytes(data[:5000] + b"\xff" + data[5000:])
    assert text.count("\ufffd") == 1
    assert text.replace("\ufffd", "") == data.decode("utf-8")
    cut = decode_bytes(data[:5001])  # ends inside a three-byte character
    assert cut == data[:5000].decode("utf-8") + "\ufffd"


def test_corrupt_gbk_is_a_clear_error() -> None:
    data = NOTICE.encode("gbk")[:60] + b"\xff\xfe\x81"
    with pytest.raises(
        UndecodableInput, match=r"notice\.txt: cannot tell its text encoding.*convert it to UTF-8"
    ):
        decode_bytes(data, name="notice.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "OLE2"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x1f\x8b\x08\x00", "gzip"),
    ],
)
def test_binary_by_signature(data: bytes, kind: str) -> None:
    with pytest.raises(BinaryInput, match=rf"^seeds/x\.txt: not text \(looks like .*{kind}") as info:
        decode_bytes(data, name="seeds/x.txt")
    assert kind in info.value.kind


def test_binary_by_content() -> None:
    with pytest.raises(BinaryInput, match="NUL bytes"):
        decode_bytes(NOTICE.encode() + b"\x00\x00\x01\x02" + NOTICE.encode())
    with pytest.raises(BinaryInput, match="control bytes"):
        decode_bytes(bytes(range(1, 32)) * 20)
    # A few stray control characters in real text are not binary.
    assert decode_bytes(NOTICE.encode() + b"\x0c\x1b") == NOTICE + "\x0c\x1b"


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t \r\n", "\u3000\n".encode(), codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"]
)
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyInput, match=r"^in\.txt: (empty|contains only whitespace)"):
        decode_bytes(data, name="in.txt")


def test_read_text_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text_file(tmp_path)
    pdf = tmp_path / "notice.txt"
    pdf.write_bytes(b"%PDF-1.4\n...")
    with pytest.raises(
        BinaryInput,
        match=rf"^{re.escape(str(pdf))}: not text \(looks like a PDF file\); extract its text first",
    ):
        read_text_file(pdf)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyInput, match=rf"^{re.escape(str(empty))}: empty"):
        read_text_file(empty)


def test_read_text_file_gbk(tmp_path: Path) -> None:
    path = tmp_path / "county.txt"
    path.write_bytes(NOTICE.encode("gbk"))
    assert read_text_file(path) == NOTICE


def test_too_large_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(NOTICE.encode() * 1000)
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    with pytest.raises(
        InputTooLarge, match=rf"^{re.escape(str(path))}: 0\.\d MB, over the 0\.1 MB limit for one notice$"
    ):
        read_text_file(path, max_bytes=100_000)
    assert opened == []
    assert read_text_file(path, max_bytes=1_000_000).startswith(NOTICE)


def test_errors_are_value_errors() -> None:
    for cls in (EmptyInput, BinaryInput, InputTooLarge, UndecodableInput):
        assert issubclass(cls, InputError) and issubclass(cls, ValueError)
