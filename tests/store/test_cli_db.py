"""`zjwatch db upgrade|current` and `zjwatch history`, through the real CLI on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_builders import at, provincial_doc
from typer.testing import CliRunner

from parsers.pipeline import parse_file
from store.db import make_engine, make_session_factory
from store.migrate import head_revision
from store.repository import record_document
from watcher.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/cli.db"


def populate(db_url: str) -> int:
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        url = "https://www.zj.gov.cn/art/2026/2/3/art_1229019364_1.html"
        first = record_document(session, provincial_doc(), raw_sha256="a" * 64, url=url, fetched_at=at(0))
        record_document(
            session, provincial_doc(subsidy="1500"), raw_sha256="b" * 64, url=url, fetched_at=at(3)
        )
        record_document(
            session,
            provincial_doc(subsidy="1500", extra_clause=True),
            raw_sha256="c" * 64,
            url=url,
            fetched_at=at(4),
        )
    engine.dispose()
    return first.document_id


def test_upgrade_then_current(db_url: str) -> None:
    code, out = invoke("db", "current", "--db-url", db_url)
    assert code == 1
    assert "revision None" in out and "zjwatch db upgrade" in out
    code, out = invoke("db", "upgrade", "--db-url", db_url)
    assert code == 0, out
    assert f"upgraded from revision None to {head_revision()}" in out
    code, out = invoke("db", "upgrade", "--db-url", db_url)
    assert (code, f"already at revision {head_revision()}" in out) == (0, True)
    code, out = invoke("db", "current", "--db-url", db_url)
    assert code == 0 and "up to date" in out


def test_default_database_lives_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZJWATCH_DB_URL", raising=False)
    monkeypatch.setenv("ZJWATCH_DATA_DIR", str(tmp_path / "data"))
    code, out = invoke("db", "upgrade")
    assert code == 0, out
    assert (tmp_path / "data" / "zjwatch.db").is_file()


def test_history_on_an_unmigrated_database_says_what_to_run(db_url: str) -> None:
    code, out = invoke("history", "1", "--db-url", db_url)
    assert code == 1
    assert "is at revision None" in out and "run `zjwatch db upgrade`" in out
    assert "Traceback" not in out


def test_history_lists_versions_and_their_changes(db_url: str) -> None:
    invoke("db", "upgrade", "--db-url", db_url)
    document_id = populate(db_url)
    code, out = invoke("history", "浙政发〔2026〕6号", "--db-url", db_url)
    assert code == 0, out
    assert "推动经济高质量发展若干政策(2026年版)" in out
    assert "first version" in out
    assert "clause_added" in out and "提振消费" in out
    code, out = invoke("history", str(document_id), "--json", "--db-url", db_url)
    assert code == 0, out
    data = json.loads(out)
    assert [v["version"]["seq"] for v in data["versions"]] == [1, 2, 3]
    assert [c["change"]["kind"] for c in data["versions"][2]["changes"]] == ["clause_added"]
    assert data["versions"][1]["changes"], "the amount edit must be listed"


def test_history_reports_unknown_and_ambiguous_documents(db_url: str) -> None:
    invoke("db", "upgrade", "--db-url", db_url)
    populate(db_url)
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        other = provincial_doc().model_copy(update={"doc_number": "浙政发〔2026〕9号"})
        record_document(
            session, other, raw_sha256="d" * 64, url="https://example.gov.cn/9.html", fetched_at=at(5)
        )
    engine.dispose()
    code, out = invoke("history", "不存在", "--db-url", db_url)
    assert code == 1 and "no stored document matches" in out
    code, out = invoke("history", "高质量发展", "--db-url", db_url)
    assert code == 1 and "2 documents match" in out and "浙政发〔2026〕9号" in out


def test_bad_or_unreachable_database_is_a_clear_error_without_the_password() -> None:
    code, out = invoke("db", "current", "--db-url", "mysql://u:hunter2@localhost/x")
    assert code == 1 and "unsupported database" in out and "hunter2" not in out
    code, out = invoke("db", "upgrade", "--db-url", "postgresql://u:hunter2@127.0.0.1:1/x")
    assert code == 1 and "hunter2" not in out and "127.0.0.1" in out
    assert "Traceback" not in out


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an SQLite database, it is a shopping list\n" * 100)
    code, out = invoke("db", "upgrade", "--db-url", f"sqlite:///{junk}")
    assert code == 1 and "not a database" in out and "Traceback" not in out


def test_an_impossible_data_dir_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plain-file").write_text("x")
    monkeypatch.delenv("ZJWATCH_DB_URL", raising=False)
    monkeypatch.setenv("ZJWATCH_DATA_DIR", str(tmp_path / "plain-file" / "data"))
    code, out = invoke("db", "upgrade")
    assert code == 1 and "cannot create the database folder" in out


def test_history_names_linked_documents(db_url: str, seed_paths: list[Path]) -> None:
    invoke("db", "upgrade", "--db-url", db_url)
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        for n, path in enumerate(seed_paths[:2]):
            for doc in parse_file(path):
                record_document(
                    session, doc, raw_sha256=doc.source.sha256, url=f"https://e.gov.cn/{n}", fetched_at=at(n)
                )
    engine.dispose()
    code, out = invoke("history", "浙政发〔2026〕6号", "--db-url", db_url)
    assert code == 0, out
    [line] = [line for line in out.splitlines() if "cited by document 2:" in line]
    assert "高质量发展" in line and line.endswith("(杭州市)")
