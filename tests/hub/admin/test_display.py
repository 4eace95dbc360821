"""The display account (the hall's big screen): it lands on the big-screen wall and opens nothing else; every
other route of the admin blueprint, page, export or form, answers 403 (found in the app's URL map)."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from flask import url_for

from hub.admin.auth import ROLE_PAGES

from .conftest import PASSWORD, Actions, token_of

DISPLAY_PAGES = ROLE_PAGES["display"]


def other_routes(app):
    """(method, URL) of every admin route but the display's own and the login pages, with sample arguments."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("admin.") or rule.endpoint in DISPLAY_PAGES | {"admin.login"}:
                continue
            values = {name: 1 if type(rule._converters[name]).__name__ == "IntegerConverter" else "w03"
                      for name in rule.arguments}
            values.update({"lang": "en", "fmt": "csv"} if {"lang", "fmt"} & rule.arguments else {})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, url_for(rule.endpoint, **values)))
    return found


@pytest.fixture
def screen(auth, display):
    answer = auth.login("screen")
    assert answer.status_code == 302
    return answer


def test_a_display_lands_on_the_big_screen(screen, client):
    assert screen.location.endswith("/admin/wall?screen=1")
    page = client.get("/admin/wall").text
    assert 'class="wall-page big-screen"' in page, "a display's wall is the big screen with or without ?screen=1"
    assert "<nav" not in page and 'id="logout"' not in page and "<a " not in page, "no link leads anywhere"
    assert client.get("/admin/wall.json").get_json()["totals"]["unknown"] == 8


def test_the_route_walk_finds_pages_exports_and_forms(app):
    routes = other_routes(app)
    assert ("GET", "/admin/setup") in routes and ("POST", "/admin/setup/user") in routes
    assert ("POST", "/admin/logout") in routes and any(url.startswith("/admin/export/") for _, url in routes)
    assert len(routes) > 40


def test_every_other_admin_route_is_refused_to_a_display(app, screen, client, store):
    before = store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    answers = {(method, url): client.open(url, method=method, data={"note": "x", "clerk": "c05"}).status_code
               for method, url in other_routes(app)}
    assert {route: code for route, code in answers.items() if code != 403} == {}
    assert store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before, "nothing was done"
    assert client.get("/admin/wall.json").status_code == 200, "still logged in"


def test_a_display_may_not_be_lifted_to_other_pages_by_next(display, client):
    token = token_of(client.get("/admin/login").text)
    answer = client.post("/admin/login?next=/admin/setup",
                         data={"username": "screen", "password": PASSWORD, "csrf_token": token})
    assert answer.location.endswith("/admin/setup") and client.get("/admin/setup").status_code == 403


def test_a_displays_session_lives_on_its_polls_for_days(screen, client, clock):
    for _ in range(4):
        clock.advance(timedelta(hours=20).total_seconds())
        assert client.get("/admin/wall.json").status_code == 200, "the poll keeps a display's session alive"
    clock.advance(timedelta(hours=73).total_seconds())
    assert client.get("/admin/wall.json").status_code == 401, "switched off longer than 72 h: log in again"


def test_a_displays_session_ends_thirty_days_after_login(screen, client, clock):
    for _ in range(29):
        clock.advance(timedelta(days=1).total_seconds())
        assert client.get("/admin/wall.json").status_code == 200
    clock.advance(timedelta(days=1, seconds=1).total_seconds())
    assert client.get("/admin/wall.json").status_code == 401


def test_an_office_wall_left_alone_still_logs_out_after_the_idle_time(auth, client, clock):
    auth.login("office")
    clock.advance(20 * 60)
    assert client.get("/admin/wall.json").status_code == 200
    clock.advance(11 * 60)
    assert client.get("/admin/wall.json").status_code == 401, "an office user's poll is not activity"


def cookie_days(answer):
    """How many days from now the session cookie set by *answer* expires."""
    expires = parsedate_to_datetime(answer.headers["Set-Cookie"].split("Expires=")[1].split(";")[0])
    return (expires - datetime.now(timezone.utc)).total_seconds() / 86400


def test_a_displays_cookie_lasts_its_thirty_days_and_an_office_cookie_its_twelve_hours(app, auth, display):
    assert 29.9 < cookie_days(auth.login("screen")) <= 30
    assert 0.49 < cookie_days(Actions(app.test_client()).login("office")) <= 0.5
