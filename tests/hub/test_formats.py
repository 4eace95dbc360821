"""The hub's one way of writing durations and times (pages, wall.json, the text wall)."""
from datetime import datetime, timezone

import pytest

from hub import formats

from .conftest import TZ


@pytest.mark.parametrize("seconds, written", [
    (0, "0s"), (45, "45s"), (59.9, "59s"), (60, "1m00s"), (725, "12m05s"), (3599, "59m59s"), (3600, "1h0m"),
    (10800, "3h0m"), (7800, "2h10m"), (-5, "-5s"), (None, "—"),
])
def test_durations(seconds, written):
    assert formats.duration(seconds) == written


def test_a_missing_value_takes_the_renderers_mark():
    assert formats.duration(None, "-") == "-" and formats.clock(None, None) is None and formats.clock("", "-") == "-"
    assert formats.local(None, TZ) == "—"


def test_times_are_written_in_the_halls_zone():
    utc = "2026-11-24T00:25:07.250+00:00"
    assert formats.local_iso(utc, TZ) == "2026-11-24T08:25:07+08:00"
    assert formats.local_iso(datetime(2026, 11, 24, 0, 25, 7, tzinfo=timezone.utc), TZ) == "2026-11-24T08:25:07+08:00"
    assert formats.local_iso(None, TZ) is None
    assert formats.local(utc, TZ) == "2026-11-24 08:25:07"
    assert formats.clock(formats.local_iso(utc, TZ)) == "08:25:07"
