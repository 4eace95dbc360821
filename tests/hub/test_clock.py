"""The hub's clock: HALLPOST_CLOCK puts the hub on the simulator's timeline, as it does a terminal."""
import time
from datetime import datetime, timedelta, timezone

import pytest

from hub import create_app
from hub.clock import clock_from_environment, utc_now
from protocol.cli import main
from protocol.clock import ClockSpecError

from .conftest import HALL_TOML

START = "2026-11-24T09:00:00+08:00"


def test_without_hallpost_clock_the_hub_reads_the_real_clock():
    assert clock_from_environment({}) is utc_now


def test_hallpost_clock_gives_the_simulated_time_in_utc():
    clock = clock_from_environment({"HALLPOST_CLOCK": f"scaled:{START}@60x@{time.time() - 10!r}"})
    begun = datetime.fromisoformat(START)
    assert begun + timedelta(minutes=10) <= clock() < begun + timedelta(minutes=11)
    assert clock().tzinfo is timezone.utc


def test_the_app_tells_terminals_the_simulated_time(tmp_path, monkeypatch):
    monkeypatch.setenv("HALLPOST_CLOCK", f"scaled:{START}@1x")
    app = create_app({"DATABASE": str(tmp_path / "hub.sqlite"), "HALL_CONFIG": str(HALL_TOML)})
    told = datetime.fromisoformat(app.test_client().get("/api/v1/clock").get_json()["hub_time"])
    assert timedelta(0) <= told - datetime.fromisoformat(START) < timedelta(minutes=1)


def test_serve_with_a_bad_hallpost_clock_exits_2_quoting_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HALLPOST_CLOCK", "scaled:2026-11-24T09:00:00@60x")
    assert main(["hub", "serve", "--db", str(tmp_path / "hub.sqlite"), "--config", str(HALL_TOML)]) == 2
    assert capsys.readouterr().err == ("hallpost hub: serve: HALLPOST_CLOCK: 'scaled:2026-11-24T09:00:00@60x': "
                                       "start: must carry a time zone, got 2026-11-24T09:00:00\n")


def test_a_bad_hallpost_clock_is_refused():
    with pytest.raises(ClockSpecError, match="HALLPOST_CLOCK: 'scaled:soon'"):
        clock_from_environment({"HALLPOST_CLOCK": "scaled:soon"})
