"""Store fixtures: every database test runs on SQLite (a temp file) and on real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from store.db import make_engine, make_session_factory
from store.migrate import upgrade


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def bare_engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    """An engine on an empty database (no migrations run)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path}/store.db")
        yield engine
        engine.dispose()
        return
    pg_url: str = request.getfixturevalue("pg_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(pg_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    """A migrated database: the tests build their schema exactly as production does."""
    upgrade(bare_engine)
    return bare_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session
