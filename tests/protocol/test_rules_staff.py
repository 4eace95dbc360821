"""调离 and 撤销: a clerk who left, or a window closed, from a date keeps its history and is scheduled no more."""
from datetime import date

import pytest

from protocol.config import config_from_dict, config_to_dict, load_config
from protocol.errors import ConfigError

from .support import DAY, HALL, judge, rows, script, t

NEXT = date(2026, 11, 25)   # a Wednesday
C01 = 'id = "c01"\nname = "张敏"'
W02 = 'terminal = "win-02"'


def staffed(old, new):
    """The test hall with *old* replaced by *new* in its TOML."""
    assert old in HALL
    return load_config(HALL.replace(old, new, 1))


def test_a_clerk_who_left_is_absent_before_the_date_and_not_judged_after_it():
    hall = staffed(C01, C01 + '\nleft = "2026-11-25"')
    before = judge(hall, script(), day=DAY)
    assert [r["status"] for r in rows(before, "attendance", clerk="c01")] == ["absent", "absent"]
    after = judge(hall, script(day=NEXT), day=NEXT)
    assert rows(after, "attendance", clerk="c01") == []
    assert rows(after, "violations", clerk="c01") == []
    assert [r["status"] for r in rows(after, "attendance", clerk="c03")] == ["absent", "absent"]


def test_the_empty_window_of_a_clerk_who_left_is_charged_to_nobody():
    hall = staffed(C01, C01 + '\nleft = "2026-11-25"')
    def charged_to(day):
        empty = rows(judge(hall, script(day=day), day=day), "violations", kind="empty_window", window="w01")
        return {piece["clerk"] for row in empty for piece in row["charged_to"]}

    assert charged_to(NEXT) == {None}
    assert charged_to(DAY) == {"c01"}


def test_a_b_clerk_who_left_does_not_cover_the_a_clerks_leave():
    leave = '\n[[leave]]\nclerk = "c01"\nfrom = "2026-11-25T08:30+08:00"\nto = "2026-11-25T12:00+08:00"\n' \
            'kind = "sick"\napproved_by = ["leader", "office"]\n'
    c02 = 'id = "c02"\nname = "李娜"'
    present = load_config(HALL + leave)
    assert rows(judge(present, script(day=NEXT), day=NEXT), "attendance", clerk="c02", session="morning")
    gone = load_config(HALL.replace(c02, c02 + '\nleft = "2026-11-25"') + leave)
    assert rows(judge(gone, script(day=NEXT), day=NEXT), "attendance", clerk="c02") == []


def test_a_closed_window_holds_no_sessions_from_its_date():
    hall = staffed(W02, W02 + '\nclosed = "2026-11-25"')
    before = judge(hall, script("win-02"), day=DAY)
    assert rows(before, "attendance", window="w02") and rows(before, "empty_intervals", window="w02")
    after = judge(hall, script("win-02", day=NEXT), day=NEXT)
    assert rows(after, "attendance", window="w02") == [] and rows(after, "empty_intervals", window="w02") == []
    assert rows(after, "empty_intervals", window="w01")[0]["start"] == t("08:30", NEXT)


def test_left_closed_and_departments_round_trip():
    text = HALL.replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\ndepartments = ["税务", "社保"]')
    text = text.replace(C01, C01 + '\ndepartment = "税务"\nleft = "2026-11-25"').replace(W02, W02 + '\nclosed = 2026-12-31')
    hall = load_config(text)
    assert hall.clerks["c01"].left == NEXT and hall.window("w02").closed == date(2026, 12, 31)
    assert hall.departments == ("税务", "社保") and hall.department_choices() == ["税务", "社保"]
    document = config_to_dict(hall)
    assert document["clerks"][0]["left"] == "2026-11-25" and document["windows"][1]["closed"] == "2026-12-31"
    assert config_from_dict(document) == hall
    assert "left" not in config_to_dict(load_config(HALL))["clerks"][0]


def test_department_choices_without_a_declared_list_are_those_in_use():
    hall = staffed(C01, C01 + '\ndepartment = "社保"')
    assert hall.departments == () and hall.department_choices() == ["社保"]


@pytest.mark.parametrize("old, new, message", [
    (C01, C01 + '\nleft = "someday"', 'clerks[0].left: must be a date "YYYY-MM-DD", got \'someday\''),
    (W02, W02 + '\nclosed = 5', 'windows[1].closed: must be a date "YYYY-MM-DD", got 5'),
    ('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\ndepartments = ["税务"]\n[[clerks]]\nid = "c09"\n'
     'name = "赵六"\ndepartment = "民政"', "clerks[4].department: '民政' is not one of hall.departments (税务)"),
    ('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\ndepartments = ["税务", "税务"]',
     "hall.departments[1]: '税务' is listed twice"),
])
def test_bad_staff_fields_are_refused_naming_the_field(old, new, message):
    text = HALL.replace(old, new, 1)
    if "c09" in new:   # move the extra clerk after [hall]'s keys end: a [[clerks]] table of its own
        text = HALL.replace(old, 'timezone = "Asia/Shanghai"\ndepartments = ["税务"]', 1) + \
            '\n[[clerks]]\nid = "c09"\nname = "赵六"\ndepartment = "民政"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("extra, message", [
    ('\n[[leave]]\nclerk = "c01"\nfrom = "2026-11-26T08:30+08:00"\nto = "2026-11-26T12:00+08:00"\nkind = "sick"\n',
     "leave[0].clerk: clerk 'c01' left the hall on 2026-11-25"),
    ('\n[[overtime]]\nwindow = "w01"\nfrom = "2026-11-25T18:30+08:00"\nto = "2026-11-25T20:00+08:00"\n'
     'clerks = ["c01"]\napproved_by = "office"\n', "overtime[0].clerks[0]: clerk 'c01' left the hall on 2026-11-25"),
])
def test_a_clerk_who_left_cannot_take_leave_or_overtime_after_the_date(extra, message):
    with pytest.raises(ConfigError) as caught:
        load_config(HALL.replace(C01, C01 + '\nleft = "2026-11-25"') + extra)
    assert str(caught.value) == message
    load_config(HALL.replace(C01, C01 + '\nleft = "2026-11-27"') + extra)
