"""R10 加班 (E §3(6)) at the hub: a window's request, the office's approval before it starts, the span judged.

窗口因工作需要，节假日、双休日和晚上加班的，应提前填写加班申请单，报行政中心协调股，经批准安排好值班人员后方可加班。
"""
from datetime import date

import pytest

from firmware.sim.record import TABLES, differences, hub_rows
from protocol.facts import parse_fact
from protocol.rules import derive

from ..conftest import DAY, fresh, local, script

pytestmark = pytest.mark.backends

SATURDAY = date(2026, 11, 28)
SPAN = {"from": "2026-11-28T09:00", "to": "2026-11-28T12:00"}


def file_request(auth, **form):
    """The window group leader of 民政 (w03) files a request; returns the response."""
    auth.login("leader")
    answer = auth.post("/admin/overtime/new", **{"window": "w03", "clerks": "c06", "reason": "婚姻登记集中办理",
                                                  **SPAN, **form})
    auth.logout()
    return answer


@pytest.fixture
def approved(store, auth):
    """w03's Saturday morning, filed by the group leader on Tuesday and approved by the office."""
    assert file_request(auth).status_code == 302
    [request] = store.overtime.requests()
    auth.login("office")
    assert auth.post(f"/admin/overtime/{request['id']}/approve").status_code == 302
    return store.overtime.request(request["id"])


def saturday_at_w03():
    """c06 (B of w03) on duty from 08:50 to 12:00, then back 12:30–13:00 unapproved; reported up to 13:30."""
    day = script("win-03", SATURDAY)
    day.presence("08:50", "B")
    day.presence("12:00", "B", False)
    day.presence("12:30", "B")
    day.presence("13:00", "B", False)
    day.clock("13:30")
    return day


def test_an_approved_request_is_a_session_the_hub_judges_like_derive(approved, terminal, store, clock, client, auth):
    assert approved["status"] == "approved" and approved["config_version"] == 2
    [span] = store.configs.hall().overtime
    assert (span.window, span.clerks, span.approved_by) == ("w03", ("c06",), "office")
    served = terminal.config().json()["config"]["overtime"]
    assert served == [{"window": "w03", "from": "2026-11-28T09:00:00+08:00", "to": "2026-11-28T12:00:00+08:00",
                       "clerks": ["c06"], "approved_by": "office"}]
    clock.set(local(SATURDAY, "13:40"))
    day = saturday_at_w03()
    assert terminal.push(day.facts).status_code == 200
    saturday = SATURDAY.isoformat()
    [row] = fresh(store).projections.rows("attendance", start=saturday, end=saturday, window="w03")
    assert (row["clerk"], row["session"], row["status"], row["sign_out"]) == (
        "c06", "overtime 09:00", "on_time", "2026-11-28T12:00:00+08:00")
    assert fresh(store).projections.rows("violations", start=saturday, end=saturday, window="w03") == []
    [hours] = fresh(store).projections.rows("overtime", start=saturday, end=saturday)
    assert (hours["clerk"], hours["present_seconds"]) == ("c06", 3 * 3600)
    [extra] = fresh(store).projections.rows("extra_time", start=saturday, end=saturday)
    assert (extra["clerk"], extra["start"], extra["seconds"]) == ("c06", "2026-11-28T12:30:00+08:00", 1800)
    report = derive(store.configs.hall(), [parse_fact(f) for f in day.facts], as_of=local(SATURDAY, "13:30"),
                    since=SATURDAY, windows=["w03"])
    assert {"overtime", "extra_time"} <= set(TABLES)
    assert differences({table: report[table] for table in TABLES}, hub_rows(store, [saturday])) == []
    [line] = [r for r in fresh(store).reports.month_attendance(2026, 11) if r["clerk"] == "c06"]
    assert line["overtime_hours"] == 3.0
    auth.login("office")                                   # Tuesday's session expired over the week
    page = client.get(f"/admin/overtime?from={saturday}").text
    assert 'id="overtime-hours"' in page and "加班 09:00" in page and "3小时" in page
    assert "30:00" in client.get(f"/admin/attendance?date={saturday}").text       # the extra half hour
    monthly = client.get("/admin/reports/monthly.csv?month=2026-11").data.decode("utf-8-sig").splitlines()
    heading = monthly[0].split(",")
    assert "加班小时" in heading
    assert next(r for r in monthly if r.startswith("杨帆")).split(",")[heading.index("加班小时")] == "3.0"


def test_every_step_is_audited(approved, store):
    actions = {e["action"]: e["detail"] for e in store.audit.entries()}
    assert actions["file overtime"]["clerks"] == ["c06"] and actions["file overtime"]["reason"] == "婚姻登记集中办理"
    assert actions["approve overtime"] == {"request": approved["id"], "version": 2}
    assert {"overtime into config", "save config"} <= set(actions)
    assert [e["actor"] for e in store.audit.entries() if e["action"] == "file overtime"] == ["leader"]


def test_a_rejection_needs_a_reason_and_changes_no_config(store, auth, client):
    file_request(auth)
    [request] = store.overtime.requests()
    auth.login("office")
    assert auth.post(f"/admin/overtime/{request['id']}/reject", reason=" ").status_code == 400
    assert store.overtime.request(request["id"])["status"] == "pending"
    assert auth.post(f"/admin/overtime/{request['id']}/reject", reason="当天无法安排值班人员").status_code == 302
    rejected = store.overtime.request(request["id"])
    assert (rejected["status"], rejected["rejection"], rejected["decided_by"]) == (
        "rejected", "当天无法安排值班人员", "office")
    assert store.configs.current()[2] == 1 and store.configs.hall().overtime == ()
    assert "当天无法安排值班人员" in client.get("/admin/overtime").text
    assert auth.post(f"/admin/overtime/{request['id']}/approve").status_code == 409
    assert ("reject overtime", {"request": request["id"], "reason": "当天无法安排值班人员"}) in [
        (e["action"], e["detail"]) for e in store.audit.entries()]


def test_approval_after_the_span_began_is_refused_with_the_reason(store, auth, clock, client):
    file_request(auth)
    [request] = store.overtime.requests()
    clock.set(local(SATURDAY, "09:05"))
    auth.login("office")
    assert "已开始，不能再批准" in client.get("/admin/overtime").text
    answer = auth.post(f"/admin/overtime/{request['id']}/approve")
    assert answer.status_code == 409 and "must be approved before it starts" in answer.text
    assert store.overtime.request(request["id"])["status"] == "pending"
    assert store.configs.current()[2] == 1 and "approve overtime" not in {e["action"] for e in store.audit.entries()}


@pytest.mark.parametrize("form, message", [
    ({"from": "2026-11-24T07:00", "to": "2026-11-24T08:00"}, "from: overtime is requested in advance"),
    ({"from": "2026-11-25T11:00", "to": "2026-11-25T13:00"}, "overlaps session"),
    ({"to": "2026-11-29T01:00"}, "to: must end on the day it starts"),
    ({"clerks": "c05"}, None),                                   # w03's A: allowed
    ({"reason": ""}, "reason: say what work needs the overtime"),
])
def test_a_request_the_hall_cannot_hold_is_refused_with_its_field(store, auth, form, message):
    answer = file_request(auth, **form)
    if message is None:
        assert answer.status_code == 302 and len(store.overtime.requests()) == 1
        return
    assert answer.status_code == 400 and message in answer.text
    assert store.overtime.requests() == []


def test_a_leader_cannot_file_for_another_departments_window_nor_approve(store, auth):
    assert file_request(auth, window="w01", clerks="c02").status_code == 403
    file_request(auth)
    [request] = store.overtime.requests()
    auth.login("leader")
    assert auth.post(f"/admin/overtime/{request['id']}/approve").status_code == 403
    assert store.overtime.request(request["id"])["status"] == "pending"


def test_a_duty_clerk_who_never_came_is_absent_once_the_terminal_reported_past_the_span(approved, terminal, store,
                                                                                         clock):
    tuesday = script("win-03")
    tuesday.presence("08:20", "A")
    assert terminal.push(tuesday.facts).status_code == 200
    clock.set(local(date(2026, 11, 30), "08:30"))
    monday = script("win-03", date(2026, 11, 30), first_seq=len(tuesday.facts) + 1)
    monday.presence("08:20", "A")
    assert terminal.push(monday.facts).status_code == 200
    saturday = SATURDAY.isoformat()
    [row] = fresh(store).projections.rows("attendance", start=saturday, end=saturday, window="w03")
    assert (row["clerk"], row["status"], row["provisional"]) == ("c06", "absent", False)
    assert {v["kind"] for v in fresh(store).projections.rows("violations", start=saturday, end=saturday)} == {"absent", "empty_window"}
    [hours] = fresh(store).projections.rows("overtime", start=saturday, end=saturday)
    assert hours["present_seconds"] == 0


def test_approving_an_evening_span_re_derives_that_window_day_only(enrol, store, clock, auth):
    clock.set(local(DAY, "12:40"))
    for window in ("w01", "w03"):
        day = script(f"win-{window[1:]}")
        day.presence("08:20", "A")
        day.clock("12:30")
        assert enrol(window).push(day.facts).status_code == 200
    store.projections.derive_dirty()
    assert not any(d["dirty"] for d in store.projections.window_days(start=DAY.isoformat(), end=DAY.isoformat()))
    file_request(auth, **{"from": "2026-11-24T18:30", "to": "2026-11-24T20:30"})
    [request] = store.overtime.requests()
    auth.login("office")
    assert auth.post(f"/admin/overtime/{request['id']}/approve").status_code == 302
    dirty = {d["window"] for d in store.projections.window_days(start=DAY.isoformat(), end=DAY.isoformat()) if d["dirty"]}
    assert dirty == {"w03"}
