"""A scripted day in a simulated hall of real processes: hub, 8 terminals, 8 MicroPython keypads.

The day has late and not-early sign-ins, B covering A's leave, A→B handovers and returns, a window left
empty, an early leave, an afternoon absence, a permit, stray keys and ratings (some bad, some never
given); one terminal's cable is cut for 20 simulated minutes and another terminal is SIGKILLed and
restarted. The hub's record must equal ``hallpost derive`` over the exported journals, and the
verdicts the scenario intended, with every fact held exactly once.
"""
import os
from collections import Counter
from datetime import date

import pytest

from firmware.sim.run import run_days
from tests.postgres import fresh_database

from .support import assert_records_agree

pytestmark = pytest.mark.e2e
DAY = date(2026, 11, 24)
WINDOWS = int(os.environ.get("HALLPOST_E2E_WINDOWS", "8"))
SPEED = float(os.environ.get("HALLPOST_E2E_SPEED", "600"))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgresql,
                                                                                    pytest.mark.slow])])
def outcome(request, tmp_path_factory):
    """The day played with the hub on SQLite, then on a fresh PostgreSQL database."""
    workdir = tmp_path_factory.mktemp("hall")
    if request.param == "sqlite":
        return run_days(workdir, days=[DAY], windows=WINDOWS, speed=SPEED)
    cluster, template = request.getfixturevalue("postgresql_url"), request.getfixturevalue("postgresql_template")
    with fresh_database(cluster, template) as database:
        return run_days(workdir, days=[DAY], windows=WINDOWS, speed=SPEED, database=database)


def test_the_hub_holds_what_the_journals_and_the_scenario_say(outcome):
    assert_records_agree(outcome)


def test_the_day_went_through_the_outage_and_the_kill(outcome):
    assert outcome.counts["cuts"] == 1 and outcome.counts["kills"] == 1
    assert outcome.counts["rate"] > 0 and outcome.counts["stray"] == 1


def test_the_day_is_not_trivial(outcome):
    violations = Counter(row["kind"] for row in outcome.hub["violations"])
    statuses = Counter(row["status"] for row in outcome.hub["attendance"])
    scores = Counter(row["score"] for row in outcome.hub["services"])
    kinds = Counter(row["kind"] for row in outcome.hub["handovers"])
    assert {"late", "empty_window", "off_post", "early_leave", "absent"} <= set(violations)
    assert {"on_time", "not_early", "late", "leave", "absent"} <= set(statuses)
    assert scores[None] > 0 and scores[1] + scores[2] > 0 and scores[5] > 0
    assert kinds["handover"] >= 2 and kinds["return"] >= 2
