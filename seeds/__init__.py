"""The seed corpus: five real Zhejiang notices and their reviewed normalized JSON (golden files)."""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent


def seed_texts() -> list[Path]:
    """The seed notices, in file-name order."""
    return sorted(SEEDS_DIR.glob("[0-9][0-9][0-9]_*.txt"))
