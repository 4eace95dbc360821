"""Logging in and out, CSRF on every form, idle expiry, the language switch."""
import pytest

from werkzeug.security import check_password_hash

from hub import create_app
from hub.clock import utc_now

from ..conftest import HubClock
from .conftest import PASSWORD, Actions, token_of


def test_login_lands_on_the_wall_and_logout_ends_the_session(client, auth):
    answer = auth.login()
    assert answer.status_code == 302 and answer.location.endswith("/admin/wall")
    assert client.get("/admin/wall").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/admin/wall").status_code == 302


@pytest.mark.parametrize("username, password", [("office", "wrong password"), ("nobody", PASSWORD)])
def test_wrong_credentials_are_refused(client, auth, username, password):
    answer = auth.login(username, password)
    assert answer.status_code == 401
    assert "用户名或密码错误" in answer.text
    assert client.get("/admin/wall").status_code == 302


def test_create_user_stores_the_password_hashed(client, store):
    store.users.create("clerk-admin", PASSWORD, "office")
    row = store.conn.execute("SELECT password_hash FROM office_users WHERE username = 'clerk-admin'").fetchone()
    assert PASSWORD not in row[0] and check_password_hash(row[0], PASSWORD)
    assert Actions(client).login("clerk-admin").status_code == 302


def test_login_refuses_a_post_without_the_csrf_token(client, users):
    client.get("/admin/login")
    answer = client.post("/admin/login", data={"username": "office", "password": PASSWORD})
    assert answer.status_code == 400


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_every_post_needs_the_sessions_csrf_token(client, auth, store, token):
    auth.login()
    data = {"clerk": "c05", "from": "2026-11-25T08:30", "to": "2026-11-25T12:00", "kind": "personal"}
    if token is not None:
        data["csrf_token"] = token
    assert client.post("/admin/leave/new", data=data).status_code == 400
    assert store.conn.execute("SELECT COUNT(*) FROM leave_requests").fetchone()[0] == 0
    assert auth.post("/admin/leave/new", **data).status_code == 302
    assert store.conn.execute("SELECT COUNT(*) FROM leave_requests").fetchone()[0] == 1


def test_a_token_from_another_session_is_refused(app, client, auth):
    auth.login()
    other = app.test_client()
    foreign = token_of(other.get("/admin/login").text)
    assert client.post("/admin/logout", data={"csrf_token": foreign}).status_code == 400


def test_sessions_last_30_idle_minutes_and_12_hours_by_default(app):
    assert app.config["ADMIN_SESSION_IDLE_MINUTES"] == 30 and app.config["ADMIN_SESSION_MAX_HOURS"] == 12
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600, "the cookie lives no longer than the session"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_an_idle_session_expires(app, client, auth, clock):
    auth.login()
    idle = app.config["ADMIN_SESSION_IDLE_MINUTES"] * 60
    clock.advance(idle - 60)
    assert client.get("/admin/wall").status_code == 200
    clock.advance(idle - 60)
    assert client.get("/admin/wall").status_code == 200, "activity keeps the session alive"
    clock.advance(idle + 1)
    answer = client.get("/admin/wall")
    assert answer.status_code == 302 and "/admin/login" in answer.location


def test_login_redirects_back_only_inside_the_admin(client, users):
    token = token_of(client.get("/admin/login").text)
    form = {"username": "office", "password": PASSWORD, "csrf_token": token}
    assert client.post("/admin/login?next=/admin/leave", data=form).location.endswith("/admin/leave")
    client.get("/admin/login")
    form["csrf_token"] = token_of(client.get("/admin/login").text)
    assert client.post("/admin/login?next=https://evil.example/", data=form).location.endswith("/admin/wall")


def test_language_switch_is_kept_in_the_session(client, auth):
    auth.login()
    assert "实时看板" in client.get("/admin/wall").text
    assert auth.post("/admin/language/en", next="/admin/wall?").status_code == 302
    page = client.get("/admin/wall").text
    assert "Live wall" in page and "实时看板" not in page
    auth.post("/admin/language/zh")
    assert "实时看板" in client.get("/admin/wall").text


def test_login_and_logout_are_audited(store, auth):
    auth.login()
    auth.logout()
    actions = [(e["actor"], e["action"]) for e in store.audit.entries()]
    assert ("office", "login") in actions and ("office", "logout") in actions


def test_session_lifetimes_run_on_the_real_clock_not_a_simulations_hub_time(app, client, auth, clock):
    real = HubClock(clock())
    app.config["ADMIN_CLOCK"] = real
    auth.login()
    clock.advance(13 * 3600)            # the hall simulator's hub time races ahead
    assert client.get("/admin/wall").status_code == 200
    real.advance(31 * 60)
    assert client.get("/admin/wall").status_code == 302


def test_the_real_clock_is_the_default_for_sessions(tmp_path):
    assert create_app({"DATABASE": str(tmp_path / "h.sqlite")}).config["ADMIN_CLOCK"] is utc_now
