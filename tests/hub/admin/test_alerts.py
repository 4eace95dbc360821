"""The alert inbox: scoped like every page (the center every hall's with a hall column, a hall office its hall's,
a department's viewer its department's); acknowledged with a note, once, audited; the wall's data carries the
open alerts of its windows."""
import re

import pytest

from ..conftest import DAY
from .test_halls import center  # noqa: F401 (fixture)


def start(store, hall, window, department, kind="empty", clerks=("c05",)):
    """An open alert of *hall*'s *window*; its id."""
    return store.alerts.start(hall=hall, ident=f"{kind}:{window}:x", kind=kind, window=window, department=department,
                              clerks=clerks, day=DAY.isoformat(), started_at="2026-11-23T23:00:00+00:00",
                              link=f"/admin/facts?window={window}&date={DAY.isoformat()}&hall={hall}",
                              now="2026-11-23T23:00:00+00:00")["id"]


@pytest.fixture
def alerts(center, store):  # noqa: F811 (the fixture above)
    """An alert at the street hall's w03 (民政), one at its w01 (another department), one at 桃花岭's w01 (民政)."""
    return {"street-w03": start(store, "hall", "w03", "民政"), "street-w01": start(store, "hall", "w01", "公安"),
            "thl-w01": start(store, "taohualing", "w01", "民政", kind="keypad_missing", clerks=("c12",))}


def listed(client):
    """The alert ids of the inbox, as the page lists them; and whether it has a hall column."""
    page = client.get("/admin/alerts").text
    ids = sorted(int(i) for i in re.findall(r'id="alert-(\d+)"', page))
    return ids, "<th>大厅</th>" in page or "<th>Hall</th>" in page


@pytest.mark.parametrize("user, expected, hall_column", [
    ("office", ["street-w03", "street-w01", "thl-w01"], True),
    ("viewer", ["street-w03", "thl-w01"], True),
    ("thl-office", ["thl-w01"], False),
    ("thl-viewer", ["thl-w01"], False),
    ("street-office", ["street-w03", "street-w01"], False),
])
def test_each_user_sees_the_alerts_of_their_hall_and_department(alerts, auth, client, user, expected, hall_column):
    auth.login(user)
    assert listed(client) == (sorted(alerts[name] for name in expected), hall_column)


def test_an_alert_reads_in_the_halls_words(alerts, auth, client):
    auth.login("thl-office")
    page = client.get("/admin/alerts").text
    assert "评价器未连接" in page and "桃花岭1号窗口" in page and "孙悦" in page and "2026-11-24 07:00:00" in page


def test_the_office_acknowledges_an_alert_with_a_note_once_and_it_is_audited(alerts, auth, client, store):
    auth.login("street-office")
    path = f"/admin/alerts/{alerts['street-w03']}/acknowledge"
    assert auth.post(path, note="  ").status_code == 400
    assert auth.post(path, note="x" * 501).status_code == 400
    assert auth.post(path, note="已电话联系陈静").status_code == 302
    assert auth.post(path, note="again").status_code == 409
    kept = store.alerts.get(alerts["street-w03"])
    assert (kept["acked_by"], kept["ack_note"]) == ("street-office", "已电话联系陈静")
    [entry] = store.audit.entries(action="acknowledge alert")
    assert (entry["actor"], entry["hall"], entry["detail"]["note"], entry["detail"]["alert"]) == (
        "street-office", "hall", "已电话联系陈静", alerts["street-w03"])
    assert "已电话联系陈静" in client.get("/admin/alerts").text          # acknowledged, still listed while open
    audit_page = client.get("/admin/audit").text
    assert "确认了告警" in audit_page and "告警编号" in audit_page


@pytest.mark.parametrize("user, alert, status", [
    ("thl-office", "street-w03", 404),       # another hall's
    ("leader", "street-w01", 404),           # another department's
    ("leader", "street-w03", 302),
    ("viewer", "street-w03", 403),           # viewers read, never change
    ("office", "thl-w01", 302),              # the center acknowledges any hall's
])
def test_acknowledging_is_scoped_like_reading(alerts, auth, store, user, alert, status):
    auth.login(user)
    assert auth.post(f"/admin/alerts/{alerts[alert]}/acknowledge", note="seen").status_code == status
    assert (store.alerts.get(alerts[alert])["acked_by"] is not None) == (status == 302)


def test_the_wall_data_carries_the_open_alerts_of_its_windows(alerts, auth, client, store):
    auth.login("viewer")                      # 民政: w03 of the street hall
    [shown] = client.get("/admin/wall.json?hall=hall").get_json()["alerts"]
    assert (shown["id"], shown["kind"], shown["kind_text"], shown["window_name"], shown["clerk_names"]) == (
        alerts["street-w03"], "empty", "空岗", "3号窗口 民政救助", "陈静")
    key = store.alerts.get(alerts["street-w03"])["key"]
    store.alerts.end(hall="hall", key=key, ended_at="2026-11-24T00:00:00+00:00")
    assert client.get("/admin/wall.json?hall=hall").get_json()["alerts"] == []
