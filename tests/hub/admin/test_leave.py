"""Leave (R9): filed, approved by each tier its length needs, written as a new config version: absent → leave."""
import pytest

from hub.store import office

from ..conftest import DAY, local, script

MORNING = {"from": "2026-11-24T08:30", "to": "2026-11-24T12:00"}


@pytest.fixture
def morning_without_a(terminal, clock):
    """w03's morning: its A clerk (c05, 陈静) never signs in; B (c06) holds the window; reported past noon."""
    day = script("win-03")
    day.presence("08:20", "B", True)
    day.clock("12:30")
    clock.set(local(DAY, "12:40"))
    assert terminal.push(day.facts).status_code == 200


def status_of(store, clerk, session="morning"):
    rows = store.rows("attendance", start=DAY.isoformat(), end=DAY.isoformat(), clerk=clerk)
    return next(r["status"] for r in rows if r["session"] == session)


def test_half_day_leave_needs_leader_then_office_and_turns_absent_into_leave(morning_without_a, store, client, auth):
    assert status_of(store, "c05") == "absent"
    auth.login("leader")
    auth.post("/admin/leave/new", clerk="c05", kind="personal", **MORNING)
    [request] = office.leave_requests(store)
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 403
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="leader").status_code == 302
    assert office.leave_request(store, request["id"])["status"] == "pending"
    assert store.current_config()[2] == 1 and status_of(store, "c05") == "absent"
    auth.logout()
    auth.login("office")
    page = client.get("/admin/leave").text
    assert 'data-tier="office"' in page and 'data-tier="leader"' not in page
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 302
    approved = office.leave_request(store, request["id"])
    assert approved["status"] == "approved" and approved["config_version"] == 2
    leave = [lv for lv in store.hall().leave if lv.clerk == "c05"]
    assert len(leave) == 1 and set(leave[0].approved_by) == {"leader", "office"}
    assert status_of(store, "c05") == "leave"
    assert "请假" in client.get(f"/admin/attendance?date={DAY}").text
    actions = [e["action"] for e in store.audit_entries()]
    assert {"file leave", "approve leave", "leave into config", "save config"} <= set(actions)


def test_a_two_day_leave_needs_the_deputy_director(store, auth):
    auth.login("office")
    auth.post("/admin/leave/new", clerk="c05", kind="annual", **{"from": "2026-11-25T08:30", "to": "2026-11-26T17:30"})
    [request] = office.leave_requests(store)
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 403
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="deputy_director").status_code == 302
    assert office.leave_request(store, request["id"])["status"] == "approved"
    assert store.hall().is_approved(next(lv for lv in store.hall().leave if lv.clerk == "c05"))


def test_a_decided_request_cannot_be_approved_again(store, auth):
    auth.login("office")
    auth.post("/admin/leave/new", clerk="c05", kind="personal", **MORNING)
    [request] = office.leave_requests(store)
    assert auth.post(f"/admin/leave/{request['id']}/reject").status_code == 302
    assert auth.post(f"/admin/leave/{request['id']}/approve", tier="office").status_code == 409
    assert store.current_config()[2] == 1


@pytest.mark.parametrize("form", [
    {"clerk": "c05", "kind": "personal", "from": "2026-11-24T12:00", "to": "2026-11-24T08:30"},
    {"clerk": "c05", "kind": "holiday", **MORNING},
    {"clerk": "c05", "kind": "personal", "cover": "c99", **MORNING},
])
def test_bad_leave_requests_are_not_filed(store, auth, form):
    auth.login("office")
    assert auth.post("/admin/leave/new", **form).status_code == 302
    assert office.leave_requests(store) == []


def test_a_malformed_time_is_a_400(store, auth):
    auth.login("office")
    answer = auth.post("/admin/leave/new", clerk="c05", kind="personal", **{"from": "soon", "to": "later"})
    assert answer.status_code == 400


def test_a_permit_excuses_the_empty_window(terminal, store, clock, auth):
    day = script("win-03")
    day.presence("08:20", "A", True)
    day.presence("10:00", "A", False)
    day.presence("10:08", "A", True)
    day.clock("12:30")
    clock.set(local(DAY, "12:40"))
    assert terminal.push(day.facts).status_code == 200
    empty = store.rows("empty_intervals", start=DAY.isoformat(), end=DAY.isoformat(), window="w03")
    assert [e["excused"] for e in empty] == [False]
    auth.login("office")
    auth.post("/admin/permits/new", window="w03", reason="会议", **{"from": "2026-11-24T09:55", "to": "2026-11-24T10:10"})
    empty = store.rows("empty_intervals", start=DAY.isoformat(), end=DAY.isoformat(), window="w03")
    assert [e["excused"] for e in empty] == [True]
    assert not [v for v in store.rows("violations", start=DAY.isoformat(), end=DAY.isoformat(), window="w03")
                if v["kind"] == "empty_window"]
