"""The terminal's clocks: HALLPOST_CLOCK chooses the system clock or the simulator's; every clock is a Clock."""
import time
from datetime import datetime, timedelta, timezone

import pytest

from firmware.terminal.clock import ManualClock, ScaledClock, SystemClock, clock_from_environment, read_boot_id
from protocol.clock import Clock, ClockSpecError

START = datetime.fromisoformat("2026-11-24T09:00:00+08:00")


def test_without_hallpost_clock_the_terminal_reads_the_system_clock():
    assert isinstance(clock_from_environment({}), SystemClock)
    assert isinstance(clock_from_environment({"HALLPOST_CLOCK": "system"}), SystemClock)


def test_hallpost_clock_puts_the_terminal_on_the_simulators_timeline():
    epoch = time.time() - 10                       # the timeline began 10 real seconds ago, 60 times faster
    clock = clock_from_environment({"HALLPOST_CLOCK": f"scaled:{START.isoformat()}@60x@{epoch!r}"})
    assert isinstance(clock, ScaledClock)
    assert START + timedelta(minutes=10) <= clock.wall() < START + timedelta(minutes=11)
    assert clock.wall().utcoffset() == timedelta(hours=8)
    assert 1_000_000 + 600_000 <= clock.monotonic_ms() < 1_000_000 + 660_000
    assert clock.real_seconds(60) == 1.0


def test_a_bad_hallpost_clock_is_refused():
    with pytest.raises(ClockSpecError, match="HALLPOST_CLOCK: 'scaled:now@60x'"):
        clock_from_environment({"HALLPOST_CLOCK": "scaled:now@60x"})


@pytest.mark.parametrize("clock", [SystemClock(), ScaledClock(START), ManualClock(START)], ids=lambda clock: type(clock).__name__)
def test_every_clock_offers_the_whole_seam(clock):
    for name in ("monotonic_ms", "wall", "real_seconds", "on_advance"):
        assert callable(getattr(clock, name)), name
    assert clock.wall().tzinfo is not None and clock.real_seconds(0) == 0
    assert clock.on_advance(lambda: None) is None
    assert all(hasattr(clock, name) for name in Clock.__dict__ if not name.startswith("_"))


def test_the_manual_clock_wakes_on_advance():
    clock, woken = ManualClock(START), []
    clock.on_advance(lambda: woken.append(clock.wall()))
    clock.advance(1.5)
    assert woken == [START + timedelta(seconds=1.5)] and clock.monotonic_ms() == 1_001_500


def test_hallpost_boot_id_pretends_a_boot(tmp_path):
    kernel = tmp_path / "boot_id"
    kernel.write_text("0b6e-4a1f-9c\n", encoding="ascii")
    assert read_boot_id(kernel, {}) == "0b6e4a1f9c"
    assert read_boot_id(kernel, {"HALLPOST_BOOT_ID": "sim-win-01-1764540000"}) == "sim-win-01-1764540000"


def test_the_system_clock_is_utc():
    assert SystemClock().wall().utcoffset() == timedelta(0) and SystemClock().wall().tzinfo is timezone.utc
