"""Engines and sessions: SQLite by default (a file under the data directory), PostgreSQL through a URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

DB_FILE_NAME = "zjwatch.db"
URL_ENV = "ZJWATCH_DB_URL"
DATA_DIR_ENV = "ZJWATCH_DATA_DIR"
SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITE_INTENT = "zjwatch_write_intent"
"""Execution option: this transaction will write. SQLite then takes the write lock at BEGIN."""


class DatabaseUrlError(ValueError):
    """The configured database URL cannot be used."""


def data_dir() -> Path:
    """`$ZJWATCH_DATA_DIR`, else `~/.local/share/zjwatch`."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".local" / "share" / "zjwatch"


def default_url() -> str:
    return f"sqlite:///{data_dir() / DB_FILE_NAME}"


def resolve_url(url: str | None = None) -> str:
    """An explicit URL wins, then `$ZJWATCH_DB_URL`, then the SQLite file in the data directory."""
    return url or os.environ.get(URL_ENV) or default_url()


def mask_url(url: str) -> str:
    """The URL as it may be shown to a user or a log: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def make_engine(url: str | None = None, **engine_options: Any) -> Engine:
    """An engine for `url` (see resolve_url). SQLite gets WAL, foreign keys and real transactions."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"not a database URL: {mask_url(resolved)}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUrlError(f"cannot create the database folder {folder}: {exc.strerror}") from exc
        engine = create_engine(parsed, **engine_options)
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, **engine_options)
    raise DatabaseUrlError(
        f"unsupported database {parsed.get_backend_name()!r} in {mask_url(resolved)}: use sqlite or postgresql"
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite opens transactions lazily and never around SAVEPOINT or DDL; taking over BEGIN makes
    # every write (and every migration) truly atomic, which the store's guarantees rely on.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    # A deferred transaction that reads and then writes fails at once (not after the busy timeout)
    # when another writer committed meanwhile; writers that say so up front queue instead.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_INTENT)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
