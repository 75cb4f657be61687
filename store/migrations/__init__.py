"""Alembic migrations of the store, run programmatically through store.migrate (no alembic.ini needed)."""
