"""Leave (R9): filed, approved by each tier its length needs, written as a new config version: absent → leave."""
import re

import pytest


from ..conftest import DAY, fresh, report, script

pytestmark = pytest.mark.backends

MORNING = {"from": "2026-11-24T08:30", "to": "2026-11-24T12:00"}


@pytest.fixture
def morning_without_a(terminal, clock):
    """w03's morning: its A clerk (c05, 陈静) never signs in; B (c06) holds the window; reported past noon."""
    day = script("win-03")
    day.presence("08:20", "B", True)
    report(terminal, clock, day, "12:30", "12:40")


def status_of(store, clerk, session="morning"):
    rows = fresh(store).projections.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), clerk=clerk)
    return next(r["status"] for r in rows if r["session"] == session)


def test_half_day_leave_needs_leader_then_office_and_turns_absent_into_leave(morning_without_a, store, client, auth):
    assert status_of(store, "c05") == "absent"
    auth.login("leader")
    auth.post("/admin/leave/new", clerk="c05", kind="personal", **MORNING)
    [request] = store.leave.requests()
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 403
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="leader").status_code == 302
    assert store.leave.request(request["id"])["status"] == "pending"
    assert store.configs.current()[2] == 1 and status_of(store, "c05") == "absent"
    auth.logout()
    auth.login("office")
    page = client.get("/admin/leave").text
    assert 'data-tier="office"' in page and 'data-tier="leader"' not in page
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 302
    approved = store.leave.request(request["id"])
    assert approved["status"] == "approved" and approved["config_version"] == 2
    leave = [lv for lv in store.configs.hall().leave if lv.clerk == "c05"]
    assert len(leave) == 1 and set(leave[0].approved_by) == {"leader", "office"}
    assert status_of(store, "c05") == "leave"
    assert "请假" in client.get(f"/admin/attendance?date={DAY}").text
    actions = [e["action"] for e in store.audit.entries()]
    assert {"file leave", "approve leave", "leave into config", "save config"} <= set(actions)


def test_a_two_day_leave_needs_the_group_leader_and_the_deputy_director(store, auth):
    """E §2(2): 1至2天的病、事假由本人申请，窗口组长签署意见，报行政中心副主任签批."""
    auth.login("office")
    auth.post("/admin/leave/new", clerk="c05", kind="personal",
              **{"from": "2026-11-25T08:30", "to": "2026-11-26T17:30"})
    [request] = store.leave.requests()
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 403
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="deputy_director").status_code == 302
    assert store.leave.request(request["id"])["status"] == "pending"
    assert not [lv for lv in store.configs.hall().leave if lv.clerk == "c05"]
    auth.logout()
    auth.login("leader")
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="leader").status_code == 302
    assert store.leave.request(request["id"])["status"] == "approved"
    [leave] = [lv for lv in store.configs.hall().leave if lv.clerk == "c05"]
    assert set(leave.approved_by) == {"leader", "deputy_director"} and store.configs.hall().is_approved(leave)


def test_two_and_a_half_days_show_and_need_the_stricter_three_day_tier(store, auth, client):
    auth.login("office")
    auth.post("/admin/leave/new", clerk="c05", kind="personal",
              **{"from": "2026-11-25T08:30", "to": "2026-11-27T12:00"})
    [request] = store.leave.requests()
    row = client.get("/admin/leave").text.split(f'data-request="{request["id"]}"')[1].split("</tr>")[0]
    assert ">2.5<" in row and "部门负责人" in row and "中心主任" in row and "按3天及以上审批" in row
    assert "超过2天不满3天（如2.5天）的，按更严的3天及以上一档审批" in client.get("/admin/leave").text
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="deputy_director").status_code == 403


def test_sick_leave_filed_afterwards_records_its_hospital_certificate(morning_without_a, store, auth, client):
    """E §2(2): 病假如无法及时办理请假手续，事后应补办，并提供医院诊断证明."""
    auth.login("office")
    auth.post("/admin/leave/new", clerk="c05", kind="sick", **MORNING)              # filed at 12:40, afterwards
    auth.post("/admin/leave/new", clerk="c05", kind="sick", certificate="1",
              **{"from": "2026-11-24T14:30", "to": "2026-11-24T17:30"})
    auth.post("/admin/leave/new", clerk="c05", kind="personal", certificate="1",
              **{"from": "2026-11-25T08:30", "to": "2026-11-25T12:00"})
    later, afternoon, morning = store.leave.requests()
    assert (morning["certificate"], afternoon["certificate"], later["certificate"]) == (0, 1, None)
    page = client.get("/admin/leave").text
    row = page.split(f'data-request="{morning["id"]}"')[1].split("</tr>")[0]
    assert "事后补办" in row and "未提供" in row
    assert "事后补办" not in page.split(f'data-request="{later["id"]}"')[1].split("</tr>")[0]
    assert auth.post(f"/admin/leave/{morning['id']}/certificate", provided="1").status_code == 302
    assert store.leave.request(morning["id"])["certificate"] == 1
    assert auth.post(f"/admin/leave/{later['id']}/certificate", provided="1").status_code == 400
    assert store.leave.request(later["id"])["certificate"] is None
    entries = [(e["action"], e["detail"]) for e in store.audit.entries()]
    assert ("leave certificate", {"request": morning["id"], "provided": True}) in entries
    assert [d["certificate"] for a, d in entries if a == "file leave"] == [None, True, False]
    auth.post(f"/admin/leave/{morning['id']}/approve", tier="office")
    auth.logout()
    auth.login("leader")
    auth.post(f"/admin/leave/{morning['id']}/approve", tier="leader")
    assert status_of(store, "c05") == "leave"                 # the afterwards filing still turns absent into leave


def test_a_decided_request_cannot_be_approved_again(store, auth):
    auth.login("office")
    auth.post("/admin/leave/new", clerk="c05", kind="personal", **MORNING)
    [request] = store.leave.requests()
    assert auth.post(f"/admin/leave/{request['id']}/reject", reason="当天窗口无人顶岗").status_code == 302
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 409
    assert store.configs.current()[2] == 1


def test_a_refusal_needs_a_reason_which_the_list_shows(store, client, auth):
    auth.login("office")
    auth.post("/admin/leave/new", clerk="c05", kind="personal", cover="c06", note="孩子生病", **MORNING)
    [request] = store.leave.requests()
    answer = auth.post(f"/admin/leave/{request['id']}/reject", reason="  ")
    assert answer.status_code == 400 and "原因：不批准须说明理由" in answer.text
    assert store.leave.request(request["id"])["status"] == "pending"
    auth.post(f"/admin/leave/{request['id']}/reject", reason="当天窗口无人顶岗")
    assert store.leave.request(request["id"])["status"] == "rejected"
    row = re.search(rf'<tr data-request="{request["id"]}".*?</tr>', client.get("/admin/leave").text, re.S).group(0)
    assert "原因：当天窗口无人顶岗" in row
    assert re.search(r'<td class="cover"[^>]*>杨帆</td><td class="note"[^>]*>孩子生病</td>', row), row
    assert re.search(r'<td class="filed-by"[^>]*>office <span class="muted">2026-11-24 07:30:00</span>', row), row


def test_leave_written_in_the_hall_file_is_listed(client, auth):
    auth.login("office")
    table = re.search(r'<table id="leave-in-config">.*?</table>', client.get("/admin/leave").text, re.S).group(0)
    assert '<tr data-clerk="c01"><td>张敏</td><td>2026-11-24 08:30</td><td>2026-11-24 12:00</td><td>病假</td>' in table


def test_the_approve_button_reads_in_english(client, auth):
    auth.login("office")
    auth.post("/admin/language/en")
    auth.post("/admin/leave/new", clerk="c05", kind="personal", **{"from": "2026-11-24T08:30", "to": "2026-11-27T12:00"})
    page = client.get("/admin/leave").text
    assert "Approve as department head" in page and "Approve as center director" in page


@pytest.mark.parametrize("form", [
    {"clerk": "c05", "kind": "personal", "from": "2026-11-24T12:00", "to": "2026-11-24T08:30"},
    {"clerk": "c05", "kind": "holiday", **MORNING},
    {"clerk": "c05", "kind": "personal", "cover": "c99", **MORNING},
])
def test_bad_leave_requests_are_not_filed(store, auth, form):
    auth.login("office")
    assert auth.post("/admin/leave/new", **form).status_code == 302
    assert store.leave.requests() == []


def test_a_malformed_time_is_a_400(store, auth):
    auth.login("office")
    answer = auth.post("/admin/leave/new", clerk="c05", kind="personal", **{"from": "soon", "to": "later"})
    assert answer.status_code == 400


def test_a_permit_excuses_the_empty_window(terminal, store, clock, auth):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.presence("10:00", "A", False)
    day.presence("10:08", "A", True)
    report(terminal, clock, day, "12:30", "12:40")
    empty = fresh(store).projections.rows("empty_intervals", start=DAY.isoformat(), end=DAY.isoformat(),
                                          window="w03")
    assert [e["excused"] for e in empty] == [False]
    auth.login("office")
    auth.post("/admin/permits/new", window="w03", reason="会议", **{"from": "2026-11-24T09:55", "to": "2026-11-24T10:10"})
    empty = fresh(store).projections.rows("empty_intervals", start=DAY.isoformat(), end=DAY.isoformat(), window="w03")
    assert [e["excused"] for e in empty] == [True]
    page = auth.client.get(f"/admin/violations?from={DAY}&to={DAY}").text
    assert '<span class="tag good">已报备</span>' in page and "准假" not in page, "a permit is 报备, not leave"
    assert not [v for v in fresh(store).projections.rows("violations", start=DAY.isoformat(), end=DAY.isoformat(), window="w03")
                if v["kind"] == "empty_window"]


def test_time_off_in_lieu_is_a_leave_kind_of_its_own(morning_without_a, store, client, auth):
    """调休 (and 婚假, 产假, 丧假, 陪护假) are filed like any leave and counted under their own kind."""
    from .test_reports_people import monthly
    auth.login("office")
    assert "调休" in client.get("/admin/leave").text and "陪护假" in client.get("/admin/leave").text
    auth.post("/admin/leave/new", clerk="c05", kind="compensatory", **MORNING)
    [request] = store.leave.requests()
    for tier in ("leader", "office"):
        auth.login(tier)
        assert auth.post(f"/admin/leave/{request['id']}/approve", tier=tier).status_code == 302
    assert status_of(store, "c05") == "leave"
    chen = monthly(client)["陈静"]
    assert (chen["请假天数·调休"], chen["请假天数·事假"], chen["请假天数"]) == ("0.5", "0.0", "0.5")


def test_a_sign_in_during_approved_leave_is_flagged(enrol, clock, client, auth):
    """张敏 (c01) is on approved sick leave the morning of DAY (hall.toml) yet signs in at 09:00: the day's
    attendance says so. Her afternoon sign-in at 14:20 is not flagged."""
    day = script("win-01")
    day.presence("09:00", "A")
    day.presence("12:01", "A", False)
    day.presence("14:20", "A")
    report(enrol("w01"), clock, day, "14:40", "14:45")
    auth.login("office")
    page = client.get(f"/admin/attendance?date={DAY}").text
    flagged = {session for session, body in re.findall(r'<tr data-clerk="c01" data-session="(\w+)"(.*?)</tr>',
                                                       page, re.S) if "请假期间签到" in body}
    assert flagged == {"morning"}
