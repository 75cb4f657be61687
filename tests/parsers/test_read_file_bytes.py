"""`read_file_bytes`: the raw-bytes reader `read_text_file` and the PDF/DOCX/HTML readers share."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from parsers.reading import EmptyInput, InputError, InputTooLarge, read_file_bytes


def test_bytes_come_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4\x00\xff")
    assert read_file_bytes(path, 100) == b"%PDF-1.4\x00\xff"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p: None, InputError, "no such file"),
        (lambda p: p.mkdir(), InputError, "is a directory, not a file"),
        (lambda p: p.write_bytes(b""), EmptyInput, "empty (0 bytes)"),
        (
            lambda p: p.write_bytes(b"x" * 101),
            InputTooLarge,
            "101 bytes, over the 100 bytes limit for one notice",
        ),
    ],
)
def test_refusals_name_the_file(tmp_path: Path, make: object, error: type[Exception], message: str) -> None:
    path = tmp_path / "in.html"
    make(path)  # type: ignore[operator]
    with pytest.raises(error, match=rf"^{re.escape(str(path))}: {re.escape(message)}$"):
        read_file_bytes(path, 100)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(InputError, match=r"cannot be read \(permission denied\)$"):
        read_file_bytes(path, 100)
