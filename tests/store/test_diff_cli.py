"""`zjwatch diff OLD NEW [--json]` on files and on stored versions."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from parsers.pipeline import parse_file
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.repository import record_document
from watcher.cli import app


def seed(seed_paths: list[Path], number: str) -> Path:
    return next(p for p in seed_paths if p.name.startswith(number + "_"))


def run(*args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", *args], env=env or None)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_json_lists_the_changes(seed_paths: list[Path]) -> None:
    code, out = run(str(seed(seed_paths, "003")), str(seed(seed_paths, "000")), "--json")
    assert code == 0, out
    changes = json.loads(out)["changes"]
    kinds = {c["kind"] for c in changes}
    assert {"metadata_changed", "clause_added", "clause_removed", "clause_modified"} <= kinds
    status = [c for c in changes if c["field"] == "status"]
    assert [(c["old_value"], c["new_value"]) for c in status] == [("draft", "final")]
    pair = next(c for c in changes if c["old_label"] == "8." and c["kind"] == "clause_modified")
    assert pair["new_label"] == "(二)"
    assert {op["op"] for op in pair["text_diff"]} == {"equal", "insert", "delete"}


def test_readable_report_is_plain_when_not_a_terminal(seed_paths: list[Path]) -> None:
    code, out = run(str(seed(seed_paths, "003")), str(seed(seed_paths, "000")))
    assert code == 0, out
    assert "status: draft → final" in out
    assert "(二) (原8) modified:" in out
    assert "\x1b[" not in out


def test_readable_report_is_coloured_in_a_terminal(seed_paths: list[Path]) -> None:
    code, out = run(str(seed(seed_paths, "003")), str(seed(seed_paths, "000")), FORCE_COLOR="1", TERM="xterm")
    assert code == 0, out
    assert "\x1b[" in out


def test_same_file_has_no_changes(seed_paths: list[Path]) -> None:
    code, out = run(str(seed(seed_paths, "000")), str(seed(seed_paths, "000")))
    assert (code, out.splitlines()[-1]) == (0, "  no changes")
    code, out = run(str(seed(seed_paths, "000")), str(seed(seed_paths, "000")), "--json")
    assert json.loads(out) == {"changes": []}


def test_multi_document_files_pair_by_doc_number(seed_paths: list[Path], tmp_path: Path) -> None:
    original = seed(seed_paths, "004")
    text = original.read_text(encoding="utf-8")
    price = "核酸检测价格为 ６０ 元 ／次"  # PDF extraction: full-width digits, stray spaces
    assert text.count(price) == 1
    edited = tmp_path / "004_edited.txt"
    edited.write_text(text.replace(price, price.replace("６０", "４５")), encoding="utf-8")
    code, out = run(str(original), str(edited), "--json")
    assert code == 0, out
    changes = json.loads(out)["changes"]
    assert [(c["kind"], c["doc_number"], c["delta_percent"]) for c in changes] == [
        ("amount_changed", "浙医保联发〔2021〕19号", "-25")
    ]


def test_documents_that_pair_with_nothing_are_named(seed_paths: list[Path], tmp_path: Path) -> None:
    gazette = seed(seed_paths, "004")
    combined = tmp_path / "combined.txt"
    combined.write_text(
        gazette.read_text(encoding="utf-8") + seed(seed_paths, "000").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    code, out = run(str(gazette), str(combined))
    assert code == 0, out
    assert out.count("  no changes") == 9
    assert f"note: only in {combined}: 浙政发〔2026〕6号" in out


def test_nothing_pairs_is_said_clearly(seed_paths: list[Path]) -> None:
    code, out = run(str(seed(seed_paths, "000")), str(seed(seed_paths, "004")))
    assert code == 2
    assert "nothing pairs" in out
    assert "浙政发〔2021〕20号" in out  # lists what NEW holds


def test_missing_file(tmp_path: Path) -> None:
    code, out = run(str(tmp_path / "nope.txt"), str(tmp_path / "nope.txt"))
    assert code == 2
    assert "no such file" in out


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    code, out = run(str(tmp_path), str(tmp_path))
    assert code == 2
    assert "is a directory" in out


def test_unsupported_file_type(tmp_path: Path, seed_paths: list[Path]) -> None:
    odd = tmp_path / "notice.xyz"
    odd.write_bytes(b"\x00\x01")
    code, out = run(str(odd), str(seed(seed_paths, "000")))
    assert code == 2
    assert "notice.xyz" in out and "not supported" in out


# ---- stored versions ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL the CLI can be given: a SQLite file, or a fresh schema on the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/zjwatch.db"
        return
    pg_url: str = request.getfixturevalue("pg_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url)
    with admin.begin() as connection:
        connection.execute(sql(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(pg_url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sql(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def stored_versions(seed_paths: list[Path], tmp_path: Path, database_url: str) -> tuple[str, int, int]:
    url = database_url
    engine = make_engine(url)
    upgrade(engine)
    path = seed(seed_paths, "000")
    text = path.read_text(encoding="utf-8")
    edited = tmp_path / "000_edited.txt"
    edited.write_text(
        text.replace("单个项目最高可给予1000万元补助", "单个项目最高可给予1500万元补助"), encoding="utf-8"
    )
    ids = []
    with make_session_factory(engine)() as session:
        for day, source in enumerate((path, edited), start=1):
            [doc] = parse_file(source)
            result = record_document(
                session,
                doc,
                raw_sha256=doc.source.sha256,
                url="https://www.zj.gov.cn/art/2026/2/3/art_1229019364_2556789.html",
                fetched_at=datetime(2026, 2, day, tzinfo=UTC),
            )
            ids.append(result.version_id)
        session.commit()
    engine.dispose()
    return url, ids[0], ids[1]


def test_stored_versions_by_id(stored_versions: tuple[str, int, int]) -> None:
    url, first, second = stored_versions
    assert first != second
    code, out = run(str(first), str(second), "--json", "--db-url", url)
    assert code == 0, out
    changes = json.loads(out)["changes"]
    assert [(c["kind"], c["summary"]) for c in changes] == [
        ("amount_changed", "(二): 最高可给予1000万元 → 1500万元 (+50%)")
    ]


def test_a_file_against_a_stored_version(
    stored_versions: tuple[str, int, int], seed_paths: list[Path]
) -> None:
    url, first, _ = stored_versions
    code, out = run(str(first), str(seed(seed_paths, "000")), "--json", "--db-url", url)
    assert (code, json.loads(out)) == (0, {"changes": []})


def test_unknown_version_id(stored_versions: tuple[str, int, int]) -> None:
    url, _, second = stored_versions
    code, out = run(str(second), "99999", "--db-url", url)
    assert code == 2
    assert "no stored version with id 99999" in out


def test_unmigrated_database_is_named_without_its_password(tmp_path: Path) -> None:
    code, out = run("1", "2", "--db-url", f"sqlite:///{tmp_path}/empty.db")
    assert code == 2
    assert "zjwatch db upgrade" in out


def test_database_errors_never_show_the_password() -> None:
    code, out = run("1", "2", "--db-url", "postgresql://watcher:s3cr3t-pw@127.0.0.1:1/zjwatch")
    assert code == 2
    assert "127.0.0.1" in out
    assert "s3cr3t-pw" not in out
