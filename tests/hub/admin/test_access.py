"""Who may see and do what: anonymous users, the office, a department viewer, a window group leader."""
import pytest

from ..store.test_audit import tamper

PAGES = ["/admin/wall", "/admin/attendance", "/admin/attendance/month?clerk=c05", "/admin/violations",
         "/admin/handovers", "/admin/inspections", "/admin/ratings", "/admin/leave", "/admin/reports",
         "/admin/facts?window=w03"]
OFFICE_ONLY = ["/admin/setup", "/admin/audit"]
NOT_THE_VIEWERS = ["/admin/facts?window=w01", "/admin/attendance/month?clerk=c01"]


@pytest.mark.parametrize("path", PAGES + OFFICE_ONLY)
def test_a_logged_out_user_is_sent_to_login(client, users, path):
    answer = client.get(path)
    assert answer.status_code == 302 and "/admin/login" in answer.location


@pytest.mark.parametrize("path", ["/admin/wall.json", "/admin/reports/weekly.csv", "/admin/reports/monthly.csv"])
def test_a_logged_out_user_gets_401_from_data(client, users, path):
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("role", ["office", "viewer", "leader"])
@pytest.mark.parametrize("path", PAGES)
def test_every_role_sees_the_pages(auth, client, role, path):
    auth.login(role)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role, status", [("office", 200), ("viewer", 403), ("leader", 403)])
@pytest.mark.parametrize("path", OFFICE_ONLY)
def test_setup_and_audit_are_the_offices(auth, client, role, status, path):
    auth.login(role)
    assert client.get(path).status_code == status


@pytest.mark.parametrize("role, status", [("office", 200), ("viewer", 403), ("leader", 403)])
@pytest.mark.parametrize("path", NOT_THE_VIEWERS)
def test_department_users_do_not_see_other_departments(auth, client, role, status, path):
    auth.login(role)
    assert client.get(path).status_code == status


@pytest.mark.parametrize("role, windows", [("office", 8), ("viewer", 1), ("leader", 1)])
def test_the_wall_shows_only_the_users_windows(auth, client, role, windows):
    auth.login(role)
    shown = [w["id"] for w in client.get("/admin/wall.json").get_json()["windows"]]
    assert len(shown) == windows and "w03" in shown


@pytest.mark.parametrize("role, status", [("office", 302), ("viewer", 403), ("leader", 302)])
def test_filing_leave(auth, role, status):
    auth.login(role)
    answer = auth.post("/admin/leave/new", clerk="c05", kind="personal",
                       **{"from": "2026-11-25T08:30", "to": "2026-11-25T12:00"})
    assert answer.status_code == status


def test_a_leader_cannot_file_leave_outside_the_department(auth):
    auth.login("leader")
    answer = auth.post("/admin/leave/new", clerk="c01", kind="personal",
                       **{"from": "2026-11-25T08:30", "to": "2026-11-25T12:00"})
    assert answer.status_code == 403


@pytest.mark.parametrize("role, path, status", [
    ("viewer", "/admin/cases/close", 403), ("leader", "/admin/cases/close", 403), ("leader", "/admin/cases/step", 403),
    ("viewer", "/admin/permits/new", 403), ("leader", "/admin/permits/new", 403),
    ("viewer", "/admin/inspections/take", 403), ("leader", "/admin/setup/user", 403),
    ("leader", "/admin/setup/window", 403), ("viewer", "/admin/setup/terminal/w03/code", 403),
])
def test_office_actions_are_refused_to_others(auth, role, path, status):
    auth.login(role)
    assert auth.post(path, window="w03", note="x").status_code == status


AUDITOR_FORMS = ["/admin/leave/new", "/admin/cases/close", "/admin/cases/appeal", "/admin/permits/new", "/admin/inspections/take",
                 "/admin/setup/user", "/admin/setup/window", "/admin/setup/terminal/w03/code", "/admin/setup/user/1/active",
                 "/admin/setup/user/1/password", "/admin/leave/1/approve"]


@pytest.mark.parametrize("path", PAGES + ["/admin/setup", "/admin/wall.json", "/admin/reports/weekly.csv"])
def test_an_auditor_reads_nothing_but_the_audit_log(auth, client, path):
    auth.login("auditor")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", AUDITOR_FORMS)
def test_an_auditor_changes_nothing(auth, store, path):
    auth.login("auditor")
    before = store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    assert auth.post(path, window="w03", note="x", clerk="c05", kind="personal", username="x", role="office",
                     password="long enough and rare", active="0", tier="office").status_code == 403
    assert store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before


def test_an_auditor_lands_on_the_audit_log_and_sees_only_it_in_the_menu(auth, client):
    answer = auth.login("auditor")
    assert answer.status_code == 302 and answer.location.endswith("/admin/audit")
    page = client.get("/admin/audit").text
    assert "操作日志" in page and "日志哈希链完整" in page
    assert 'href="/admin/wall"' not in page and 'href="/admin/setup"' not in page
    assert client.get("/admin/account").status_code == 200, "an auditor may change their own password"


def test_no_admin_route_edits_or_deletes_audit_rows(app):
    audit_rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert audit_rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)


def test_the_audit_page_names_a_changed_row(auth, client, store, database):
    auth.login("auditor")
    first = store.audit.entries()[-1]["id"]
    tamper(database, "UPDATE audit SET actor = 'someone else' WHERE id = ?", (first,))
    assert f"日志哈希链断裂于第{first}条：内容与哈希不符（该记录被修改）" in client.get("/admin/audit").text
