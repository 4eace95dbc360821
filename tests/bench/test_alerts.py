"""A smoke run of bench/alerts.py at a tiny size: 3 walls on the event stream of a hall of 3 windows, 3 probes each
way; every wall saw every probe and every 差评 reached the webhook once (no timing asserted)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_alerts_bench_sees_every_probe_once(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "alerts.py"), "--walls", "3", "--windows", "3",
                           "--probes", "3", "--no-polling", "--dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["walls"], result["alert_probes"], result["lost"], result["duplicated"]) == (3, 3, 0, 0)
    assert result["wall_event_p99_ms"] > 0 and result["alert_p99_ms"] > 0
