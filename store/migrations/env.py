"""Alembic environment: always handed an open connection by store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from store.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("store migrations run through store.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
