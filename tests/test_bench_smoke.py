"""Every benchmark under bench/ still runs and prints its figure.

These run each script at toy sizes, so they say nothing about speed (the figures in the README
come from full-size runs); they only keep the scripts from rotting as the code under them moves.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# script, toy-size arguments, a word its output must contain
RUNS = [
    ("amounts_throughput.py", ["--mb", "0.2", "--repeat", "1"], "MB/s"),
    ("normalize_throughput.py", ["--mb", "0.2", "--repeat", "1"], "MB/s"),
    ("parse_throughput.py", ["--mb", "0.2", "--rounds", "1"], "MB/s"),
    ("rewrap_throughput.py", ["--mb", "0.2", "--repeat", "1"], "MB/s"),
    ("diff_bench.py", ["--sizes", "50"], "ms"),
    ("http_client.py", ["--urls", "20"], "s"),
    ("replica_server.py", ["--articles", "20"], "s"),
    ("listing_bench.py", ["--articles", "20", "--repeat", "1"], "ms"),
    ("fetch_bench.py", ["--articles", "20", "--repeat", "1", "--workers", "0"], "s"),
    ("store_bench.py", ["--versions", "300", "--runs", "1"], "ms"),
]


def test_every_benchmark_is_covered() -> None:
    scripts = {path.name for path in (ROOT / "bench").glob("*.py")}
    assert scripts == {script for script, _, _ in RUNS}


@pytest.mark.slow
@pytest.mark.parametrize(("script", "args", "unit"), RUNS, ids=[run[0] for run in RUNS])
def test_benchmark_runs_at_toy_size(script: str, args: list[str], unit: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert unit in result.stdout, result.stdout[-2000:]
