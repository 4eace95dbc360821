"""Chaos: random cable cuts, hub restarts and terminal SIGKILLs over simulated days; same equalities.

Full size is a week of 8 windows (``HALLPOST_CHAOS_DAYS=5 HALLPOST_CHAOS_WINDOWS=8
HALLPOST_CHAOS_BEGINS=08:00``, about 15 minutes); CI runs the afternoon of one day at 4 windows. Kills
land where no clerk or citizen acts at that window (a press on a dead terminal is lost by design), cuts
and hub restarts anywhere.
"""
import os
from datetime import date, time, timedelta

import pytest

from firmware.sim.run import run_days

from .support import assert_records_agree

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
FIRST_DAY = date(2026, 11, 23)    # a Monday
DAYS = int(os.environ.get("HALLPOST_CHAOS_DAYS", "1"))
WINDOWS = int(os.environ.get("HALLPOST_CHAOS_WINDOWS", "4"))
SEED = int(os.environ.get("HALLPOST_CHAOS_SEED", "20261123"))
BEGINS = time.fromisoformat(os.environ.get("HALLPOST_CHAOS_BEGINS", "13:30"))   # full size: 08:00


def test_chaos_keeps_every_fact_exactly_once(tmp_path):
    days = [FIRST_DAY + timedelta(days=n) for n in range(DAYS)]
    outcome = run_days(tmp_path, days=days, windows=WINDOWS, speed=600, chaos_seed=SEED, begins=BEGINS)
    counts = outcome.counts
    print(f"chaos: {DAYS} day(s), {WINDOWS} windows: cuts={counts['cuts']} kills={counts['kills']} "
          f"hub_restarts={counts.get('hub_restart', 0)} facts={outcome.fact_counts['hub_facts']}")
    assert counts["cuts"] >= 3 * DAYS and counts["kills"] >= 1 and counts.get("hub_restart", 0) == DAYS
    assert_records_agree(outcome)
