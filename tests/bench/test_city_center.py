"""Smoke runs of bench/city_center.py at a tiny size, on SQLite and on PostgreSQL: the center wall's totals the
old way (each window's day replayed from its facts) and the new (kept replays) agree on every hall, or the bench
fails; both paths of the month's report run (no timing asserted)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres import server_bindir

ROOT = Path(__file__).resolve().parents[2]
KEYS = ("center_wall_ms", "center_wall_old_ms", "center_month_report_ms", "center_month_report_old_ms",
        "center_wall_page_ms", "center_month_report_page_ms")


def center(tmp_path, *options):
    """Run the bench with 2 halls of 3 windows over 1 day; its result line."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "city_center.py"), "--halls", "2", "--windows", "3",
                           "--days", "1", "--repeats", "1", "--dir", str(tmp_path), *options],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_both_paths_ran(result, backend):
    assert (result["backend"], result["halls"], result["windows"]) == (backend, 2, 6)
    assert result["facts"] > 0 and all(result[key] > 0 for key in KEYS)


@pytest.mark.slow
def test_the_center_bench_finds_the_old_and_new_walls_equal_on_sqlite(tmp_path):
    assert_both_paths_ran(center(tmp_path), "sqlite")


@pytest.mark.slow
@pytest.mark.postgresql
def test_the_center_bench_finds_the_old_and_new_walls_equal_on_postgresql(tmp_path):
    server_bindir()                 # skips without PostgreSQL's server binaries, fails in CI
    assert_both_paths_ran(center(tmp_path, "--database", "postgres"), "postgresql")
