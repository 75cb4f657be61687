"""Migrations build the whole schema, the ORM matches them, and an un-migrated database is refused clearly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from store.db import make_engine, mask_url
from store.migrate import (
    DatabaseNotMigrated,
    current_revision,
    downgrade,
    ensure_migrated,
    head_revision,
    upgrade,
)
from store.models import Base


def test_fresh_database_is_refused_with_the_command_to_run(bare_engine: Engine) -> None:
    with pytest.raises(DatabaseNotMigrated) as caught:
        ensure_migrated(bare_engine)
    message = str(caught.value)
    assert "is at revision None" in message
    assert f"expected {head_revision()}" in message
    assert "run `zjwatch db upgrade`" in message


def test_upgrade_creates_every_table_and_the_orm_matches_the_migrations(bare_engine: Engine) -> None:
    assert upgrade(bare_engine) == (None, head_revision())
    ensure_migrated(bare_engine)
    tables = set(inspect(bare_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with bare_engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert drift == [], f"models and migrations disagree: {drift}"


def test_upgrade_is_idempotent_and_downgrade_removes_everything(bare_engine: Engine) -> None:
    upgrade(bare_engine)
    assert upgrade(bare_engine) == (head_revision(), head_revision())
    downgrade(bare_engine, "base")
    assert current_revision(bare_engine) is None
    assert not set(Base.metadata.tables) & set(inspect(bare_engine).get_table_names())
    upgrade(bare_engine)
    ensure_migrated(bare_engine)


def test_database_refuses_to_update_a_version_even_behind_the_orm(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO documents (id, identity_key, status, created_at, updated_at)"
                " VALUES (1, 'k', 'final', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO sources (id, url, first_seen_at, last_seen_at)"
                " VALUES (1, 'u', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO versions (id, document_id, seq, content_sha256, raw_sha256, source_id, url,"
                " fetched_at, created_at, schema_version, normalized_json) VALUES (1, 1, 1, 'c', 'r', 1, 'u',"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', '1.0', '{}')"
            )
        )
    with pytest.raises(Exception, match="versions are immutable"), engine.begin() as connection:
        connection.execute(text("UPDATE versions SET normalized_json = '{\"x\": 1}' WHERE id = 1"))


def test_error_for_a_database_with_a_password_never_shows_it() -> None:
    url = "postgresql+psycopg://watcher:s3cr3t-pw@db.example:5432/zjwatch"
    assert "s3cr3t-pw" not in mask_url(url)
    error = DatabaseNotMigrated(url, None, "0001_initial")
    assert "s3cr3t-pw" not in str(error)
    assert "s3cr3t-pw" not in error.url
    assert "watcher:***@db.example" in str(error)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/nested/dir/z.db")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_database_from_a_newer_zjwatch_is_refused_not_touched(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    for attempt in (ensure_migrated, upgrade):
        with pytest.raises(DatabaseNotMigrated, match="migrated by a newer zjwatch"):
            attempt(engine)
    assert current_revision(engine) == "ffff_future"
