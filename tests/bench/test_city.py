"""Smoke runs of bench/city.py at a tiny size, on SQLite and on PostgreSQL: real halls, two hub processes, every
fact held once (no timing asserted)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres import server_bindir

ROOT = Path(__file__).resolve().parents[2]


def city(tmp_path, *options):
    """Run the bench with 2 halls of 2 windows on 2 hub processes; its result line."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "city.py"), "--halls", "2", "--windows", "2",
                           "--duration-s", "3", "--period-s", "1", "--backlog", "30", "--processes", "2",
                           "--workers", "4", "--dir", str(tmp_path / "work"), *options],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_every_fact_held_once(result, backend):
    assert (result["backend"], result["halls"], result["terminals"], result["processes"]) == (backend, 2, 4, 2)
    assert result["center_wall_halls"] == 2
    assert result["pushes"] >= 4 and result["refused"] == 0 and result["backlog_refused"] == 0
    assert result["backlog_facts"] == 4 * 30
    assert (result["lost"], result["duplicated"], result["unexpected"], result["unacked"]) == (0, 0, 0, 0)
    assert result["center_month_report_ms"] > 0 and result["center_wall_ms"] > 0
    assert result["center_report_page_first_ms"] > 0 and result["center_report_page_still_deriving"] >= 0
    assert result["center_month_report_whole_after_s"] >= 0 and result["center_month_report_refused"] >= 0


@pytest.mark.slow
def test_city_bench_holds_every_fact_once_across_two_hub_processes_on_sqlite(tmp_path):
    assert_every_fact_held_once(city(tmp_path), "sqlite")


@pytest.mark.slow
@pytest.mark.postgresql
def test_city_bench_holds_every_fact_once_across_two_hub_processes_on_its_own_postgresql(tmp_path):
    server_bindir()                 # skips without PostgreSQL's server binaries, fails in CI
    assert_every_fact_held_once(city(tmp_path, "--database", "postgres"), "postgresql")
