"""Admin fixtures: users of every role, a logged-in test client that sends the CSRF token, browsers over HTTP."""
import re

import pytest
import requests
from werkzeug.security import generate_password_hash


PASSWORD = "correct horse 8"
# user name -> (role, department): the viewer and the leader belong to 民政 (window w03, clerks c05/c06).
USERS = {"office": ("office", None), "viewer": ("viewer", "民政"), "leader": ("leader", "民政"),
         "auditor": ("auditor", None)}


@pytest.fixture(scope="session")
def password_hash():
    """The hash of PASSWORD, computed once (scrypt is slow on purpose)."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def users(store, password_hash):
    """One user per role."""
    return {name: store.users.add(name, password_hash, role, department=department)
            for name, (role, department) in USERS.items()}


@pytest.fixture
def display(store, password_hash):
    """A display account "screen" (the hall's big screen) of every window; its user id."""
    return store.users.add("screen", password_hash, "display")


def token_of(html):
    """The CSRF token of the first form in *html*."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Actions:
    """Log in and out, and post forms with the session's CSRF token (like flaskr's AuthActions)."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, username="office", password=PASSWORD):
        """Log in through the form; return the response."""
        self.token = token_of(self.client.get("/admin/login").text)
        answer = self.client.post("/admin/login", data={"username": username, "password": password,
                                                        "csrf_token": self.token})
        if answer.status_code == 302:   # a new session, a new token (a display account has no form at all)
            account = self.client.get("/admin/account")
            self.token = token_of(account.text) if account.status_code == 200 else None
        return answer

    def post(self, path, **data):
        """POST a form with the CSRF token."""
        return self.client.post(path, data=dict(data, csrf_token=self.token))

    def logout(self):
        return self.post("/admin/logout")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(client, users):
    return Actions(client)


class WebUser:
    """A browser of the admin pages over real HTTP (requests; cookies kept, redirects not followed)."""

    def __init__(self, base):
        self.base, self.http, self.token = base, requests.Session(), None

    def get(self, path):
        return self.http.get(self.base + path, allow_redirects=False, timeout=10)

    def post(self, path, **data):
        """POST a form with the CSRF token of the last page read."""
        return self.http.post(self.base + path, data=dict(data, csrf_token=self.token), allow_redirects=False,
                              timeout=10)

    def login(self, username="office", password=PASSWORD):
        """Log in through the form; return the login POST's response."""
        self.token = token_of(self.get("/admin/login").text)
        answer = self.post("/admin/login", username=username, password=password)
        if answer.status_code == 302:
            self.token = token_of(self.get("/admin/account").text)
        return answer

    def copy(self):
        """Another browser holding a copy of this one's cookies (a stolen session)."""
        thief = WebUser(self.base)
        thief.http.cookies.update(self.http.cookies)
        thief.token = self.token
        return thief

    def close(self):
        self.http.close()


@pytest.fixture
def web(server, users):
    """A function opening a fresh browser on the real hub; all are closed after the test."""
    opened = []

    def _open():
        opened.append(WebUser(server))
        return opened[-1]

    yield _open
    for browser in opened:
        browser.close()


def handle_case(auth, window, service, done):
    """Record the three steps a 差评 needs before closing (核实, 整改, 回访 reaching the citizen) as the office."""
    for step in ({"step": "verify", "finding": "群众对办理时限不满", "verified_by": "协调股"},
                 {"step": "rectify", "measure": "完善一次性告知"},
                 {"step": "callback", "method": "phone", "reached": "1", "satisfaction": "satisfied"}):
        assert auth.post("/admin/cases/step", window=window, service=service, done=done, **step).status_code == 302


def close_case(auth, window, service, done, note):
    """Handle the case of a 差评 and close it with *note*; the close's response."""
    handle_case(auth, window, service, done)
    return auth.post("/admin/cases/close", window=window, service=service, done=done, note=note)
