"""Setup's staff management: generated ids, departments from the hall's list, namesakes confirmed, 调离 and 撤销
from a date, and removal only without history."""
from datetime import date, timedelta

import pytest

from hub.admin.staff import next_id

from ..conftest import DAY, fresh, report, script


def version(store):
    return store.configs.current()[2]


@pytest.mark.parametrize("hall_ids, hub_ids, expected", [
    (["c010", "c012"], {"c010", "c012"}, "c013"),
    (["c01", "c16"], {"c01", "c16", "c17", "c20"}, "c21"),   # clerk ids are the hub's: another hall holds c17, c20
    ([], set(), "c001"),
    (["zhang", "c09"], {"zhang", "c09", "c10"}, "c11"),
])
def test_the_next_id_follows_the_halls_pattern_and_is_free_in_the_hub(hall_ids, hub_ids, expected):
    assert next_id(hall_ids, hub_ids, "c") == expected


def test_a_clerk_and_a_window_added_without_an_id_get_the_next_free_ones(store, auth):
    auth.login()
    assert auth.post("/admin/setup/clerk", mode="add", id="", name="林晓", department="社保").status_code == 302
    assert store.configs.hall().clerks["c17"].name == "林晓"
    answer = auth.post("/admin/setup/window", mode="add", id="", name="9号窗口", terminal="win-09", a="c17",
                       b="c16", department="社保")
    assert answer.status_code == 302 and store.configs.hall().window("w09").a == "c17"


def test_a_department_not_in_the_halls_list_is_refused(store, auth):
    auth.login()
    answer = auth.post("/admin/setup/clerk", mode="add", id="", name="林晓", department="税务")
    assert answer.status_code == 400 and "部门：税务 不是本大厅的部门" in answer.text and version(store) == 1
    auth.post("/admin/setup/departments", departments="\n".join(store.configs.hall().department_choices() + ["税务"]))
    assert "税务" in store.configs.hall().departments
    assert auth.post("/admin/setup/clerk", mode="add", id="", name="林晓", department="税务").status_code == 302


def test_adding_a_namesake_in_the_same_department_asks_for_confirmation(store, auth):
    auth.login()
    answer = auth.post("/admin/setup/clerk", mode="add", id="", name="陈静", department="民政")
    assert answer.status_code == 409 and 'id="namesake"' in answer.text and "陈静（c05）" in answer.text
    assert version(store) == 1
    assert auth.post("/admin/setup/clerk", mode="add", id="", name="陈静", department="社保").status_code == 302
    answer = auth.post("/admin/setup/clerk", mode="add", id="", name="陈静", department="民政", confirm="1")
    assert answer.status_code == 302
    assert [c.department for c in store.configs.hall().clerks.values() if c.name == "陈静"] == ["民政", "社保", "民政"]


def test_a_clerk_leaves_from_a_date_and_is_reinstated(store, client, auth):
    auth.login()
    assert auth.post("/admin/setup/clerk/c02/left", left="2026-12-01").status_code == 302
    assert store.configs.hall().clerks["c02"].left == date(2026, 12, 1)
    page = client.get("/admin/setup").text
    assert 'data-window="w01"' in page and "B岗：李娜 已于 2026-12-01 调离，请另选工作人员" in page
    auth.post("/admin/setup/clerk/c02/left", left="")
    assert store.configs.hall().clerks["c02"].left is None and version(store) == 3
    assert auth.post("/admin/setup/clerk/c02/left", left="soon").status_code == 400
    assert auth.post("/admin/setup/clerk/c99/left", left="2026-12-01").status_code == 404


def test_a_window_closes_from_a_date(store, auth):
    auth.login()
    assert auth.post("/admin/setup/window/w08/closed", closed="2026-12-01").status_code == 302
    assert store.configs.hall().window("w08").closed == date(2026, 12, 1)


def test_only_a_clerk_or_window_without_history_can_be_removed(store, auth, clock, terminal):
    report(terminal, clock, script(), "18:00")     # w03's day is over: it and its clerks have attendance
    auth.login()
    answer = auth.post("/admin/setup/clerk/c02/remove")
    assert answer.status_code == 409 and "w01" in answer.text and version(store) == 1
    auth.post("/admin/setup/clerk", mode="add", id="", name="林晓", department="社保")
    assert auth.post("/admin/setup/clerk/c17/remove").status_code == 302
    assert "c17" not in store.configs.hall().clerks
    answer = auth.post("/admin/setup/window/w03/remove")
    assert answer.status_code == 409 and "考勤" in answer.text and "撤销" in answer.text
    auth.post("/admin/setup/window", mode="add", id="", name="9号窗口", terminal="win-09", a="c16", b="c15")
    assert auth.post("/admin/setup/window/w09/remove").status_code == 302
    assert store.configs.hall().window("w09") is None and version(store) == 5


def test_a_transfer_dated_in_the_past_takes_back_the_verdicts_after_it(store, auth, clock, terminal):
    report(terminal, clock, script(), "18:00")     # nobody signed in at w03: its A, c05, is absent
    day = DAY.isoformat()
    assert {r["status"] for r in fresh(store).projections.rows("attendance", start=day, end=day, clerk="c05")} == \
        {"absent"}
    auth.login()
    auth.post("/admin/setup/clerk/c05/left", left=day)
    assert fresh(store).projections.rows("attendance", start=day, end=day, clerk="c05") == []
    auth.post("/admin/setup/clerk/c05/left", left=(DAY + timedelta(days=1)).isoformat())
    assert fresh(store).projections.rows("attendance", start=day, end=day, clerk="c05")


def test_a_clerk_who_left_cannot_be_named_for_a_window(store, auth):
    auth.login()
    auth.post("/admin/setup/clerk/c16/left", left=DAY.isoformat())
    answer = auth.post("/admin/setup/window", mode="add", id="", name="9号窗口", terminal="win-09", a="c16", b="c15")
    assert answer.status_code == 400 and "A岗：郭敏 已于 2026-11-24 调离，请另选工作人员" in answer.text
    assert auth.post("/admin/setup/window", id="w08", name="8号窗口", terminal="win-08", a="c15",
                     b="c16").status_code == 302       # still B of w08 until the office names another
    assert store.configs.hall().window("w09") is None and store.configs.hall().window("w08").name == "8号窗口"
