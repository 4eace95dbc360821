"""``LocalDays``: the local date of Unix µs, the last day's span kept, in zones with daylight saving too."""
import random
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from hub.store.times import LocalDays, from_us, to_us


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "Europe/London", "America/Havana",
                                  "America/Santiago", "Australia/Lord_Howe"])
def test_every_instant_gets_the_date_its_zone_gives_it_across_daylight_saving_changes(zone):
    """Havana and Santiago change their clocks at midnight, Lord Howe by half an hour: the kept span never
    names a day its zone would not."""
    tz, rng = ZoneInfo(zone), random.Random(zone)
    day_of = LocalDays(tz)
    us, seen = to_us(datetime(2024, 1, 1, tzinfo=timezone.utc)), set()
    for _ in range(60_000):
        us += rng.randint(0, 20 * 60 * 10 ** 6)
        if rng.random() < 0.01:
            us -= rng.randint(0, 3 * 86_400 * 10 ** 6)      # an older fact after newer ones
        expected = from_us(us).astimezone(tz).date().isoformat()
        assert day_of(us) == expected, from_us(us)
        seen.add(expected)
    assert len(seen) > 365


def test_instants_around_midnight_fall_on_either_side():
    tz = ZoneInfo("Asia/Shanghai")
    day_of, midnight = LocalDays(tz), to_us(datetime(2026, 11, 24, tzinfo=tz))
    assert [day_of(us) for us in (midnight + 5, midnight - 1, midnight, midnight + 86_400 * 10 ** 6 - 1,
                                  midnight + 86_400 * 10 ** 6)] == ["2026-11-24", "2026-11-23", "2026-11-24",
                                                                    "2026-11-24", "2026-11-25"]
