"""The hub's one way of writing durations and times (pages, wall.json, the text wall)."""
from datetime import datetime, timezone

import pytest

from hub import formats
from hub.i18n import translations

from .conftest import TZ


@pytest.mark.parametrize("seconds, english, chinese", [
    (0, "0 s", "0秒"), (45, "45 s", "45秒"), (59.9, "59 s", "59秒"), (60, "1 min", "1分钟"), (725, "12 min", "12分钟"),
    (3599, "59 min", "59分钟"), (3600, "1 h", "1小时"), (3660, "1 h 1 min", "1小时1分"), (10800, "3 h", "3小时"),
    (7800, "2 h 10 min", "2小时10分"), (-5, "-5 s", "-5秒"), (None, "—", "—"),
])
def test_durations_are_words_of_the_readers_language_never_clock_times(seconds, english, chinese):
    assert formats.duration(seconds) == english
    assert formats.duration(seconds, translations("en").gettext) == english
    assert formats.duration(seconds, translations("zh").gettext) == chinese


def test_a_missing_value_takes_the_renderers_mark():
    assert formats.duration(None, missing="-") == "-" and formats.clock(None, None) is None and formats.clock("", "-") == "-"
    assert formats.local(None, TZ) == "—"


def test_times_are_written_in_the_halls_zone():
    utc = "2026-11-24T00:25:07.250+00:00"
    assert formats.local_iso(utc, TZ) == "2026-11-24T08:25:07+08:00"
    assert formats.local_iso(datetime(2026, 11, 24, 0, 25, 7, tzinfo=timezone.utc), TZ) == "2026-11-24T08:25:07+08:00"
    assert formats.local_iso(None, TZ) is None
    assert formats.local(utc, TZ) == "2026-11-24 08:25:07"
    assert formats.clock(formats.local_iso(utc, TZ)) == "08:25:07"
