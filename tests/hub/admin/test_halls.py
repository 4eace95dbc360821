"""Users scoped to a hall: the center's office sees every hall (choosing one in the navigation), a hall office,
viewer or leader only their own hall; none of them reads or changes another hall."""
import re

import pytest

from ..store.test_halls import TAOHUALING, document

# 桃花岭's window serves 民政, so a 民政 viewer or leader of that hall sees it
THL = TAOHUALING.replace('terminal = "thl-01"', 'terminal = "thl-01"\ndepartment = "民政"')
# user name -> (role, hall, department)
HALL_USERS = {"thl-office": ("office", "taohualing", None), "thl-viewer": ("viewer", "taohualing", "民政"),
              "thl-leader": ("leader", "taohualing", "民政"), "street-office": ("office", "hall", None)}


@pytest.fixture
def center(store, users, password_hash):
    """The example hall ("hall", the first) and 桃花岭, with users of each hall besides the center's."""
    store.configs.add_hall(document(THL), "office")
    return {name: store.users.add(name, password_hash, role, department=department, hall=hall)
            for name, (role, hall, department) in HALL_USERS.items()}


def windows(client, query=""):
    answer = client.get("/admin/wall.json" + query)
    return answer.status_code, [w["id"] for w in answer.get_json()["windows"]] if answer.status_code == 200 else None


@pytest.mark.parametrize("user, query, expected", [
    ("office", "", (200, ["w01", "w02", "w03", "w04", "w05", "w06", "w07", "w08"])),
    ("office", "?hall=taohualing", (200, ["w01"])),
    ("office", "?hall=nowhere", (404, None)),
    ("thl-office", "", (200, ["w01"])),
    ("thl-office", "?hall=taohualing", (200, ["w01"])),
    ("thl-office", "?hall=hall", (403, None)),
    ("thl-viewer", "", (200, ["w01"])),
    ("thl-leader", "?hall=hall", (403, None)),
    ("street-office", "", (200, ["w01", "w02", "w03", "w04", "w05", "w06", "w07", "w08"])),
    ("street-office", "?hall=taohualing", (403, None)),
])
def test_each_user_sees_the_wall_of_their_hall_only(center, auth, client, user, query, expected):
    auth.login(user)
    assert windows(client, query) == expected


@pytest.mark.parametrize("user, path, status", [
    ("thl-office", "/admin/facts?window=w03", 404),          # the street hall's window is not theirs to find
    ("thl-viewer", "/admin/attendance/month?clerk=c06", 404),
    ("thl-leader", "/admin/facts?window=w01", 200),
    ("thl-office", "/admin/reports?hall=hall", 403),
    ("street-office", "/admin/reports/monthly.csv?hall=taohualing", 403),
    ("office", "/admin/facts?window=w01&hall=taohualing", 200),
])
def test_pages_answer_for_the_users_hall(center, auth, client, user, path, status):
    auth.login(user)
    assert client.get(path).status_code == status


def test_a_hall_office_manages_its_halls_terminals_users_and_audit_only(center, auth, client, store):
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    auth.login("office")
    auth.logout()
    auth.login("thl-office")
    page = client.get("/admin/setup").text
    assert "thl-viewer" in page and "street-office" not in page and "win-03" not in page
    assert auth.post("/admin/setup/terminal/win-03/revoke").status_code == 404
    assert store.terminals.get("win-03")["enrolled"]
    assert auth.post(f"/admin/setup/user/{center['street-office']}/active", active="0").status_code == 404
    audit = set(re.findall(r'<tr data-action="([^"]+)"><td>[^<]*</td><td>([^<]+)</td>', client.get("/admin/audit").text))
    assert ("login", "thl-office") in audit, "an account's actions are its hall's"
    assert ("login", "office") not in audit, "the center's accounts are the center's"
    assert ("save config", "init") not in audit, "the street hall's config"
    assert ("save config", "office") in audit, "桃花岭's config, added by the center's office"


def test_a_hall_offices_change_goes_to_its_hall_and_cannot_reach_another(center, auth, store):
    request = store.leave.add_request(hall="hall", clerk="c05", start="2026-11-25T08:30:00+08:00",
                                      end="2026-11-25T12:00:00+08:00", kind="personal", cover=None, note="",
                                      requested_by="office", requested_at="2026-11-24T08:00:00+08:00")
    auth.login("thl-office")
    assert auth.post(f"/admin/leave/{request}/approve", tier="office").status_code == 404
    assert store.leave.request(request)["approvals"] == []
    assert auth.post("/admin/setup/window", id="w01", name="桃花岭综合窗口").status_code == 302
    assert store.configs.hall("taohualing").window("w01").name == "桃花岭综合窗口"
    assert store.configs.hall().window("w01").name == "1号窗口 社保医保" and store.configs.current()[2] == 1
    assert store.audit.entries(limit=1)[0]["hall"] == "taohualing"


def test_a_hall_office_adds_users_to_its_own_hall_only(center, auth, store):
    auth.login("thl-office")
    assert auth.post("/admin/setup/user", username="thl-new", password="another long passphrase", role="office",
                     department="", display_name="", hall="").status_code == 302
    assert store.users.by_name("thl-new")["hall"] == "taohualing"


def test_the_center_chooses_a_hall_in_the_navigation(center, auth, client):
    auth.login("office")
    assert 'id="hall-select"' in client.get("/admin/wall").text
    assert auth.post("/admin/hall", hall="taohualing", next="/admin/wall").location.endswith("/admin/wall")
    assert windows(client) == (200, ["w01"])
    assert auth.post("/admin/hall", hall="nowhere").status_code == 400
    assert auth.post("/admin/setup/user", username="center-two", password="another long passphrase",
                     role="viewer", department="民政", display_name="", hall="taohualing").status_code == 302


def test_a_hall_user_has_no_selector_and_cannot_choose(center, auth, client):
    auth.login("thl-office")
    assert 'id="hall-select"' not in client.get("/admin/wall").text
    assert auth.post("/admin/hall", hall="hall").status_code == 403
    assert windows(client) == (200, ["w01"])


def test_a_hub_of_one_hall_shows_no_selector(auth, client):
    auth.login("office")
    assert 'id="hall-select"' not in client.get("/admin/wall").text


def test_the_center_wall_puts_the_worst_hall_first_and_opens_its_wall(center, auth, client, store, clock):
    from ..conftest import DAY, local, script
    from ..store.test_halls import push
    store.terminals.enrol(store.terminals.new_enrolment_code("w03", "office"))
    store.terminals.enrol(store.terminals.new_enrolment_code("w01", "office", hall="taohualing"))
    clock.set(local(DAY, "09:00"))
    street, thl = script("win-03"), script("thl-01")
    street.clock("08:59")
    thl.presence("08:20", "A", True)
    thl.clock("08:59")
    push(store, "win-03", street)
    push(store, "thl-01", thl)
    auth.login("office")
    page = client.get("/admin/center").text
    rows = [re.findall(r"<td[^>]*>(\d+)</td>", row.split("</tr>")[0]) for row in page.split('<tr id="hall-')[1:]]
    assert rows == [["8", "0", "1", "7", "0", "0"], ["1", "1", "0", "0", "0", "0"]]
    assert page.index('id="hall-hall"') < page.index('id="hall-taohualing"'), "the street hall: one window empty"
    assert 'href="/admin/wall?hall=taohualing"' in page
    assert client.get("/admin/wall?hall=taohualing").status_code == 200
    assert windows(client) == (200, ["w01"]), "the hall opened stays chosen while its wall polls"


@pytest.mark.parametrize("user", ["thl-office", "viewer", "street-office"])
def test_the_center_wall_is_the_center_offices(center, auth, client, user):
    auth.login(user)
    assert client.get("/admin/center").status_code == 403
    assert "/admin/center" not in client.get("/admin/wall").text
