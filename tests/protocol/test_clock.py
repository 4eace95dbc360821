"""The clock seam: HALLPOST_CLOCK names the system clock or a scaled timeline; Scale's maths."""
from datetime import datetime, timedelta, timezone

import pytest

from protocol.clock import ClockSpecError, Scale, parse_clock

START = datetime.fromisoformat("2026-11-24T08:00:00+08:00")


@pytest.mark.parametrize("text", [None, "", "system", "  system "])
def test_unset_empty_or_system_names_the_system_clock(text):
    assert parse_clock(text, 1000.0) is None


def test_a_scaled_clock_without_an_epoch_starts_when_it_is_read():
    assert parse_clock("scaled:2026-11-24T08:00:00+08:00@60x", 1000.0) == Scale(START, 60.0, 1000.0)


def test_a_spec_puts_another_process_on_the_same_timeline():
    scale = Scale(START, 37.5, 1764540000.123456)
    assert parse_clock(scale.spec(), 0.0) == scale
    assert scale.spec() == "scaled:2026-11-24T08:00:00+08:00@37.5x@1764540000.123456"


def test_simulated_and_real_time_map_both_ways():
    scale = Scale(START, 60.0, 1000.0)
    assert scale.at(1010.0) == START + timedelta(minutes=10)
    assert scale.at(1010.0).utcoffset() == timedelta(hours=8)
    assert scale.real_at(START + timedelta(hours=1)) == 1060.0
    assert scale.elapsed_ms(1000.5) == 30_000
    assert scale.real_seconds(120) == 2.0


@pytest.mark.parametrize("text, problem", [
    ("fast", "is not 'system' or 'scaled:START@SPEEDx[@EPOCH]'"),
    ("scaled:2026-11-24T08:00:00+08:00", "is not 'system'"),
    ("scaled:2026-11-24T08:00:00+08:00@60", "is not 'system'"),
    ("scaled:2026-11-24T08:00:00+08:00@60x@1@2", "is not 'system'"),
    ("scaled:yesterday@60x", "Invalid isoformat string"),
    ("scaled:2026-11-24T08:00:00@60x", "start: must carry a time zone"),
    ("scaled:2026-11-24T08:00:00+08:00@0x", "speed: must be a positive number, got 0.0"),
    ("scaled:2026-11-24T08:00:00+08:00@infx", "speed: must be a positive number, got inf"),
    ("scaled:2026-11-24T08:00:00+08:00@60x@soon", "could not convert string to float: 'soon'"),
])
def test_a_value_naming_no_clock_is_refused_quoting_it(text, problem):
    with pytest.raises(ClockSpecError, match="^HALLPOST_CLOCK: ") as refused:
        parse_clock(text, 0.0)
    assert repr(text) in str(refused.value) and problem in str(refused.value)


def test_scale_refuses_a_naive_start_and_a_negative_speed():
    with pytest.raises(ValueError, match="start: must carry a time zone"):
        Scale(START.replace(tzinfo=None), 60.0, 0.0)
    with pytest.raises(ValueError, match="speed: must be a positive number, got -1"):
        Scale(START.astimezone(timezone.utc), -1, 0.0)
