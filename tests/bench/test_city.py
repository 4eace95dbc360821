"""A smoke run of bench/city.py at a tiny size: its phases end with every fact held once (no timing asserted)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_city_bench_holds_every_fact_once_across_two_hub_processes(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "city.py"), "--halls", "2", "--windows", "2",
                           "--duration-s", "3", "--period-s", "1", "--backlog", "30", "--processes", "2",
                           "--workers", "4", "--dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["backend"], result["terminals"], result["processes"]) == ("sqlite", 4, 2)
    assert result["pushes"] >= 4 and result["refused"] == 0 and result["backlog_refused"] == 0
    assert result["backlog_facts"] == 4 * 30
    assert (result["lost"], result["duplicated"], result["unexpected"], result["unacked"]) == (0, 0, 0, 0)
    assert result["center_month_report_ms"] > 0 and result["center_wall_ms"] > 0
