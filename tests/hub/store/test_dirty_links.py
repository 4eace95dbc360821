"""The dirty marks' links between windows, worked out once per config and day for every window, are exactly
``protocol.people.linked_windows``'s; and a push marks the linked window-days of every hall sharing a clerk."""
from datetime import timedelta

from hub.store.links import links
from protocol.config import load_config
from protocol.people import linked_windows

from ..conftest import DAY, HALL_TOML
from .test_halls import TAOHUALING

# 王伟 (c03), A of w02, is made B of w01, whose A (张敏, c01) is on sick leave the morning of DAY: he covers w01 then
STREET = load_config(HALL_TOML.read_text(encoding="utf-8").replace('a = "c01"\nb = "c02"', 'a = "c01"\nb = "c03"'))
THL = load_config(TAOHUALING)


def days_around(day, count=9):
    """*count* ISO days from two days before *day*: a weekend, the leave's day, and plain workdays."""
    return [(day + timedelta(days=n)).isoformat() for n in range(-2, count - 2)]


def test_links_within_a_hall_are_linked_windows_for_every_window_and_day():
    assert links(STREET, None, DAY.isoformat())["w01"] == ["w02"], "c03 covers w01 and holds w02 on DAY"
    assert links(STREET, None, (DAY + timedelta(days=1)).isoformat())["w01"] == [], "c01 is back the next day"
    for day in days_around(DAY):
        linked = links(STREET, None, day)
        assert set(linked) == {w.id for w in STREET.windows}
        for window in STREET.windows:
            assert linked[window.id] == linked_windows(STREET, window.id, DAY.fromisoformat(day)), (window.id, day)


def test_links_to_another_hall_are_linked_windows_there():
    assert links(STREET, THL, DAY.isoformat())["w03"] == ["w01"], "c05 is A of w03 here and of w01 at 桃花岭"
    for config, other in ((STREET, THL), (THL, STREET)):
        for day in days_around(DAY):
            linked = links(config, other, day)
            for window in config.windows:
                assert linked[window.id] == linked_windows(config, window.id, DAY.fromisoformat(day), other)


def test_links_are_kept_per_config_object_not_per_equal_id():
    first = links(STREET, None, DAY.isoformat())
    assert links(STREET, None, DAY.isoformat()) is first
    unlinked = load_config(HALL_TOML.read_text(encoding="utf-8"))
    assert links(unlinked, None, DAY.isoformat()) is not first
    assert links(unlinked, None, DAY.isoformat())["w01"] == [], "w01's B is c02 here, who holds no window"
