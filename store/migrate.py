"""Run and check the Alembic migrations shipped inside the package (script_location is store/migrations)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from store.db import mask_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseNotMigrated(RuntimeError):
    """The database schema is not at the revision this code expects."""

    def __init__(self, url: str, current: str | None, expected: str, *, newer: bool = False) -> None:
        self.url = mask_url(url)
        self.current = current
        self.expected = expected
        remedy = (
            "it was migrated by a newer zjwatch: upgrade zjwatch" if newer else "run `zjwatch db upgrade`"
        )
        super().__init__(f"database at {self.url} is at revision {current}, expected {expected}: {remedy}")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to `revision` in one transaction; returns (revision before, revision after)."""
    before = current_revision(engine)
    if not is_known_revision(before):
        raise DatabaseNotMigrated(
            engine.url.render_as_string(hide_password=True), before, head_revision(), newer=True
        )
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return before, current_revision(engine)


def downgrade(engine: Engine, revision: str) -> None:
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def ensure_migrated(engine: Engine) -> None:
    """Raise DatabaseNotMigrated unless the database is exactly at the head revision."""
    expected = head_revision()
    current = current_revision(engine)
    if current != expected:
        raise DatabaseNotMigrated(
            engine.url.render_as_string(hide_password=True),
            current,
            expected,
            newer=not is_known_revision(current),
        )


def is_known_revision(revision: str | None) -> bool:
    """Whether this code's migrations know `revision` (None, an empty database, is known)."""
    if revision is None:
        return True
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except CommandError:
        return False
