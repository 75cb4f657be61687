"""`zjwatch parse`: JSON and outline output, and a clear per-file error for every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parsers.schema import SCHEMA_VERSION, ParseResult
from watcher.cli import app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["parse", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_output_is_a_parse_result(seed_paths: list[Path]) -> None:
    code, out, err = invoke(str(seed_paths[0]), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema_version"] == SCHEMA_VERSION
    result = ParseResult.model_validate(data)
    assert [d.doc_number for d in result.documents] == ["浙政发〔2026〕6号"]
    assert "浙政发" in out  # ensure_ascii=False: Chinese is written as is


def test_outline_shows_number_title_dates_and_tree(seed_paths: list[Path]) -> None:
    code, out, _ = invoke(str(seed_paths[0]))
    assert code == 0
    assert "浙政发〔2026〕6号" in out
    assert "推动经济高质量发展若干政策(2026年版)" in out
    assert "issued 2026-01-31" in out
    assert "(四十二)支持推进人的全面发展" in out
    assert "lead 省科技厅" in out


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "whitespace"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        ("nul.txt", b"abc\x00\x00\x00def" * 100, "binary"),
        ("notice.pdf", b"%PDF-1.7\n", "corrupt PDF"),
        ("notice.docx", b"PK\x03\x04", "DOCX"),
        ("notice.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "not supported yet"),
        ("missing.txt", None, "no such file"),
    ],
)
def test_bad_input_is_named_and_the_other_files_still_parse(
    tmp_path: Path, seed_paths: list[Path], name: str, data: bytes | None, says: str
) -> None:
    bad = tmp_path / name if data is None else write(tmp_path, name, data)
    code, out, err = invoke(str(bad), str(seed_paths[3]), "--json")
    assert code == 1
    assert str(bad) in err
    assert says.lower() in err.lower()
    assert "Traceback" not in err + out
    documents = json.loads(out)["documents"]
    assert [d["status"] for d in documents] == ["draft"]


def test_invalid_utf8_is_refused_or_decoded_never_a_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, "broken.txt", "一、总体要求\n".encode() + b"\xff\xfe\xfa\x80\x81" * 50 + b"\xc3")
    code, out, err = invoke(str(bad), "--json")
    assert "Traceback" not in err + out
    if code != 0:
        assert str(bad) in err


def test_gbk_file_parses_like_its_utf8_original(tmp_path: Path, seed_paths: list[Path]) -> None:
    text = seed_paths[0].read_text(encoding="utf-8")
    gbk = write(tmp_path, "gbk.txt", text.encode("gbk"))
    code_gbk, out_gbk, err = invoke(str(gbk), "--json")
    code_utf8, out_utf8, _ = invoke(str(seed_paths[0]), "--json")
    assert code_gbk == code_utf8 == 0, err
    (a,), (b,) = json.loads(out_gbk)["documents"], json.loads(out_utf8)["documents"]
    assert a["clauses"] == b["clauses"]
    assert a["source"]["sha256"] != b["source"]["sha256"]


def test_file_without_a_notice_warns(tmp_path: Path) -> None:
    furniture = "—６—\n浙江省人民政府公报 ２０２１ 年第 ２５ 期\n"  # page furniture only: nothing left
    code, out, err = invoke(str(write(tmp_path, "x.txt", furniture.encode())), "--json")
    assert "Traceback" not in err
    assert code == 0 and json.loads(out)["documents"] == [] and "no notice" in err


@pytest.mark.slow
def test_50_mb_file_is_refused_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        line = "一、总体要求。".encode() * 1000 + b"\n"
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    code, out, err = invoke(str(big), "--json")
    assert code == 1
    assert str(big) in err and "limit" in err
    assert json.loads(out)["documents"] == []


def test_published_json_schema_matches_the_models() -> None:
    from parsers.schema import json_schema

    published = json.loads(
        (Path(__file__).parents[2] / "docs" / "clause-schema.json").read_text(encoding="utf-8")
    )
    assert published == json_schema(), "regenerate: python -m parsers.schema > docs/clause-schema.json"


def test_outline_of_every_seed_in_one_run(seed_paths: list[Path]) -> None:
    code, out, err = invoke(*map(str, seed_paths))
    assert code == 0, err
    for expected in (
        "浙政办发〔2026〕4号",
        "十方面民生实事责任分解",  # a part title heads its clauses
        "leader 李岩益",
        "DRAFT",
        "浙医保联发〔2021〕19号",
        "table t1: 全球先进制造业基地建设关键指标 (12 rows)",
    ):
        assert expected in out
