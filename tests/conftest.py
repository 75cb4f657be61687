"""Fixtures shared by every test area. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seeds import SEEDS_DIR, seed_texts


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = seed_texts()
    assert len(paths) == 5, f"expected the five seed notices in {SEEDS_DIR}, found {len(paths)}"
    return paths


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of the real PostgreSQL server that .ci/run starts. Required in CI, optional on a laptop."""
    url = os.environ.get("ZJWATCH_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide PostgreSQL: ZJWATCH_TEST_PG_URL is not set")
        pytest.skip("ZJWATCH_TEST_PG_URL not set (see .ci/run for how CI starts PostgreSQL)")
    return url
