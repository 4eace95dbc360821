"""Sessions at a real hub on 127.0.0.1: revoked server-side, idle and absolute lifetimes, passwords changed."""

from .conftest import PASSWORD

NEW_PASSWORD = "a fresh one for the hall"


def logged_in(browser):
    """Whether *browser*'s session reaches an admin page."""
    return browser.get("/admin/account").status_code == 200


def test_a_copied_cookie_stops_working_after_logout(web):
    owner = web()
    owner.login()
    thief = owner.copy()
    assert logged_in(thief)
    assert owner.post("/admin/logout").status_code == 302
    assert not logged_in(thief) and thief.get("/admin/wall.json").status_code == 401


def test_logout_ends_every_session_of_the_user(web):
    first, second = web(), web()
    first.login()
    second.login()
    first.post("/admin/logout")
    assert not logged_in(second)


def test_activity_cannot_keep_a_session_beyond_twelve_hours(web, clock):
    browser = web()
    browser.login()
    for _ in range(28):                 # 28 × 25 min = 11 h 40 min, never idle for 30 min
        clock.advance(25 * 60)
        assert logged_in(browser)
    clock.advance(25 * 60)
    answer = browser.get("/admin/wall")
    assert answer.status_code == 302 and "/admin/login" in answer.headers["Location"]


def test_the_walls_polls_are_not_activity(web, clock):
    browser = web()
    browser.login()
    clock.advance(20 * 60)
    assert browser.get("/admin/wall.json").status_code == 200
    clock.advance(20 * 60)
    assert browser.get("/admin/wall.json").status_code == 401, "40 idle minutes, whatever the wall polled"


def test_a_disabled_and_enabled_again_account_keeps_its_old_cookies_dead(web, users):
    viewer, admin = web(), web()
    viewer.login("viewer")
    admin.login("office")
    admin.post(f"/admin/setup/user/{users['viewer']}/active", active="0")
    admin.post(f"/admin/setup/user/{users['viewer']}/active", active="1")
    assert not logged_in(viewer)
    assert viewer.login("viewer").status_code == 302


def test_changing_ones_password_ends_the_other_sessions_only(web, store):
    here, elsewhere = web(), web()
    here.login()
    elsewhere.login()
    answer = here.post("/admin/account/password", current_password=PASSWORD, new_password=NEW_PASSWORD,
                       repeat_password=NEW_PASSWORD)
    assert answer.status_code == 302
    assert logged_in(here) and not logged_in(elsewhere)
    assert web().login("office", PASSWORD).status_code == 401
    assert web().login("office", NEW_PASSWORD).status_code == 302
    assert ("office", "change password") in [(e["actor"], e["action"]) for e in store.audit.entries()]


def test_a_password_change_needs_the_current_password_and_counts_its_failures(web, store):
    browser = web()
    browser.login()
    for _ in range(5):
        answer = browser.post("/admin/account/password", current_password="not it at all",
                              new_password=NEW_PASSWORD, repeat_password=NEW_PASSWORD)
        assert answer.status_code == 403
    answer = browser.post("/admin/account/password", current_password=PASSWORD, new_password=NEW_PASSWORD,
                          repeat_password=NEW_PASSWORD)
    assert answer.status_code == 429, "a stolen session cannot guess the password through this form"


def test_the_office_resets_a_password_and_ends_that_users_sessions(web, users, store):
    viewer, admin = web(), web()
    viewer.login("viewer")
    admin.login("office")
    answer = admin.post(f"/admin/setup/user/{users['viewer']}/password", new_password=NEW_PASSWORD,
                        repeat_password=NEW_PASSWORD)
    assert answer.status_code == 302
    assert not logged_in(viewer)
    assert viewer.login("viewer", NEW_PASSWORD).status_code == 302
    assert ("office", "reset password", {"user": "viewer"}) in [(e["actor"], e["action"], e["detail"])
                                                                for e in store.audit.entries()]


def test_only_the_office_resets_passwords_and_not_its_own(web, users, store):
    leader, admin = web(), web()
    leader.login("leader")
    admin.login("office")
    before = store.users.by_name("viewer")["password_hash"]
    forms = {"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD}
    assert leader.post(f"/admin/setup/user/{users['viewer']}/password", **forms).status_code == 403
    assert admin.post(f"/admin/setup/user/{users['office']}/password", **forms).status_code == 400
    assert admin.post("/admin/setup/user/999/password", **forms).status_code == 404
    assert store.users.by_name("viewer")["password_hash"] == before
